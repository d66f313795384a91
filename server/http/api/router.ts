/**
 * REST API v1, mounted at /api/v1 in front of the Remix handler. Machines authenticate with
 * `Authorization: Bearer <token>`; every handler calls the same domain verbs as the pages.
 * Paths this router does not own fall through to Remix (app/routes/api.v1.$.ts answers the
 * unknown paths with a JSON 404).
 */
import express, { Router, type Request, type RequestHandler, type Response } from "express";
import type { ApiScope } from "../../../app/schemas/platform.js";
import type { Domain } from "../../domain/index.js";
import type { TokenAuth } from "../../domain/api-tokens.js";
import type { Env } from "../../env.js";
import { bearerToken } from "../bearer.js";
import { sendApiError, sendCaughtError } from "./errors.js";
import { openApiDocument } from "./openapi.js";
import { memoryLimiters, type LimiterFactory } from "../../domain/rate-limit.js";
import { SPACE_PAGE_SIZE } from "../../domain/docs.js";
import { ValidationError } from "../../domain/errors.js";

/** Failed authentications allowed per client address per window, before 429. */
const FAILED_AUTH_LIMIT = 30;

export function apiRouter(domain: Domain, env: Env, now: () => number = Date.now, limiters: LimiterFactory = memoryLimiters): Router {
  const router = Router();
  const perToken = limiters("api-token", env.API_RATE_LIMIT, env.API_RATE_WINDOW_SECONDS * 1000);
  const failures = limiters("api-auth-failures", FAILED_AUTH_LIMIT, env.API_RATE_WINDOW_SECONDS * 1000);
  const json = express.json({ limit: "100kb" });

  router.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  /** Authenticates, rate-limits per token, checks the scope, then runs the handler. */
  const authed =
    (scope: ApiScope, handler: (req: Request, res: Response, auth: TokenAuth) => Promise<unknown>): RequestHandler =>
    async (req, res) => {
      try {
        let auth: TokenAuth;
        try {
          auth = await domain.apiTokens.authenticateToken(bearerToken(req.get("authorization")));
        } catch (e) {
          const t = await failures.take(`ip:${req.ip}`, now());
          if (!t.allowed) {
            res.setHeader("Retry-After", String(t.resetSeconds));
            return sendApiError(res, 429, "rate_limited", `Too many failed authentications. Retry in ${t.resetSeconds} s.`);
          }
          throw e;
        }
        const t = await perToken.take(auth.token.id, now());
        res.setHeader("RateLimit-Limit", String(t.limit));
        res.setHeader("RateLimit-Remaining", String(t.remaining));
        res.setHeader("RateLimit-Reset", String(t.resetSeconds));
        if (!t.allowed) {
          res.setHeader("Retry-After", String(t.resetSeconds));
          return sendApiError(res, 429, "rate_limited", `Rate limit of ${t.limit} requests per ${env.API_RATE_WINDOW_SECONDS} s exceeded. Retry in ${t.resetSeconds} s.`);
        }
        if (!auth.token.scopes.includes(scope)) {
          res.setHeader("WWW-Authenticate", `Bearer realm="atrium", error="insufficient_scope", scope="${scope}"`);
          return sendApiError(res, 403, "insufficient_scope", `This token lacks the “${scope}” scope.`);
        }
        await handler(req, res, auth);
      } catch (e) {
        sendCaughtError(res, e);
      }
    };

  const doc = JSON.stringify(openApiDocument());
  router.get("/openapi.json", (_req, res) => {
    res.setHeader("Cache-Control", "public, max-age=300");
    res.type("application/json").send(doc);
  });

  router.get(
    "/me",
    authed("read", async (_req, res, auth) => {
      const person = await domain.directory.getPerson(auth.actor, auth.actor.id);
      res.json({ data: { person, token: { id: auth.token.id, name: auth.token.name, kind: auth.token.kind, scopes: auth.token.scopes } } });
    }),
  );

  router.get(
    "/people",
    authed("read", async (req, res, auth) => {
      res.json(await domain.directory.listPeople(auth.actor, req.query));
    }),
  );

  router.get(
    "/people/:id",
    authed("read", async (req, res, auth) => {
      res.json({ data: await domain.directory.getPerson(auth.actor, req.params.id) });
    }),
  );

  /**
   * Reads the JSON body (≤ 100 kB) after the token was checked, so strangers' bodies are never
   * read. Answers 413 when it is larger (and closes the connection: the rest is left unread),
   * 415 when it is not JSON, 400 when it does not parse; resolves false then.
   */
  const readJson = (req: Request, res: Response) =>
    new Promise<boolean>((resolve) => {
      const hasBody = Number(req.get("content-length") ?? 0) > 0 || req.get("transfer-encoding") !== undefined;
      if (hasBody && !req.is("application/json")) {
        sendApiError(res, 415, "unsupported_media_type", "Send the body as JSON with “Content-Type: application/json”.");
        return resolve(false);
      }
      json(req, res, (err?: unknown) => {
        const type = (err as { type?: string } | undefined)?.type;
        if (type === "entity.too.large") {
          res.setHeader("Connection", "close");
          sendApiError(res, 413, "payload_too_large", "The body is larger than 100 kB.");
        } else if (err) sendApiError(res, 400, "invalid_json", "The request body is not valid JSON.");
        resolve(!err);
      });
    });

  router.put("/people/me/status", authed("write", async (req, res, auth) => {
    if (!(await readJson(req, res))) return;
    await domain.people.setStatus(auth.actor, req.body ?? {});
    res.status(204).end();
  }));

  // ── Q&A, documents and insights: the same verbs (and so the same permissions) as the pages ──
  const origin = (req: Request) => `${req.protocol}://${req.get("host")}`;
  /** Page-numbered lists answer { data, page, pageSize, total }. */
  const paged = (r: { items: unknown[]; page: number; pageSize: number; total: number }) => ({ data: r.items, page: r.page, pageSize: r.pageSize, total: r.total });

  router.get("/questions", authed("read", async (req, res, auth) => {
    const r = await domain.questions.listQuestions(auth.actor, req.query);
    res.json({ ...paged(r), ...(r.unknownTag ? { unknownTag: r.unknownTag } : {}) });
  }));
  router.get("/questions/:id", authed("read", async (req, res, auth) => {
    res.json({ data: await domain.questions.getQuestion(auth.actor, req.params.id!) });
  }));
  /** A body may be plain text (a string) or the editor's { json } / { plain } form. */
  const richBody = (b: unknown) => (typeof b === "string" ? { plain: b } : b);
  router.post("/questions", authed("write", async (req, res, auth) => {
    if (!(await readJson(req, res))) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const q = await domain.questions.askQuestion(auth.actor, { ...body, body: richBody(body.body) });
    const url = `${origin(req)}/questions/${q.id}`;
    res.status(201).setHeader("Location", url);
    res.json({ data: { id: q.id, url } });
  }));
  router.post("/questions/:id/answers", authed("write", async (req, res, auth) => {
    if (!(await readJson(req, res))) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const a = await domain.questions.answerQuestion(auth.actor, req.params.id!, { body: richBody(body.body) });
    res.status(201).json({ data: { id: a.id, url: `${origin(req)}/questions/${req.params.id}#answer-${a.id}` } });
  }));

  router.get("/spaces", authed("read", async (_req, res, auth) => {
    res.json({ data: await domain.docs.listSpaces(auth.actor) });
  }));
  /** A space's tree a page at a time (the page's 100 documents in reading order, as on /docs/spaces/:id). */
  router.get("/spaces/:id", authed("read", async (req, res, auth) => {
    const asked = req.query.page;
    if (asked !== undefined && !(typeof asked === "string" && /^[1-9]\d{0,8}$/.test(asked)))
      throw new ValidationError({ page: ["The page must be a whole number from 1."] });
    const { page, pages, total, ...space } = await domain.docs.getSpacePage(auth.actor, req.params.id!, asked ? Number(asked) : 1);
    res.json({ data: space, page, pages, pageSize: SPACE_PAGE_SIZE, total });
  }));
  router.get("/documents", authed("read", async (req, res, auth) => {
    const limit = Math.max(1, Math.min(50, Number(req.query.limit) || 20));
    res.json({ data: await domain.docs.listRecent(auth.actor, { limit }) });
  }));
  router.get("/documents/:id", authed("read", async (req, res, auth) => {
    const id = req.params.id!;
    if (req.query.format === "markdown") {
      const md = await domain.docs.exportMarkdown(auth.actor, id);
      return res.type("text/markdown; charset=utf-8").send(md.markdown);
    }
    const [doc, md] = await Promise.all([domain.docs.getDocument(auth.actor, id), domain.docs.exportMarkdown(auth.actor, id)]);
    res.json({ data: { ...doc, markdown: md.markdown } });
  }));

  router.get("/insights", authed("read", async (req, res, auth) => {
    res.json(paged(await domain.insights.listInsights(auth.actor, req.query)));
  }));
  router.get("/insights/:id", authed("read", async (req, res, auth) => {
    res.json({ data: await domain.insights.getInsight(auth.actor, req.params.id!) });
  }));

  // Insights from social-listening tools and mail forwarders (docs/api/insights.md). The token is
  // checked before the body is read, so strangers learn nothing about the schema.
  const insightJson = express.json({ limit: "64kb" });
  router.post(
    "/insights",
    authed("insights:ingest", async (req, res, auth) => {
      if (!req.is("application/json")) {
        return sendApiError(res, 415, "unsupported_media_type", "Send the insight as JSON with “Content-Type: application/json”.");
      }
      const parsed = await new Promise<{ type?: string } | undefined>((resolve) => insightJson(req, res, (err?: unknown) => resolve(err as { type?: string } | undefined)));
      if (parsed?.type === "entity.too.large") {
        res.setHeader("Connection", "close");
        return sendApiError(res, 413, "payload_too_large", "The body is larger than 64 KiB.");
      }
      if (parsed) return sendApiError(res, 400, "invalid_json", "The body is not valid JSON.");
      const r = await domain.insights.ingestInsight(auth, req.body);
      const url = new URL(`/insights/${r.id}`, `${req.protocol}://${req.get("host")}`).toString();
      if (r.duplicate) return res.status(200).json({ id: r.id, duplicate: true, url });
      res.status(201).setHeader("Location", url);
      res.json({ id: r.id, duplicate: false, url, status: r.insight.status, sentiment: r.insight.sentiment, teams: r.insight.teams, priority: r.insight.priority });
    }),
  );

  return router;
}
