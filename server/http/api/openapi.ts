/**
 * The OpenAPI 3.1 description of /api/v1, written by hand (decision 051): the API is small, the
 * document doubles as its reference page, and a test checks it against the router's routes and a
 * live response, so it cannot silently drift.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: ref("Error") } } });

const common401 = { "401": errorResponse("Missing, unknown, expired or revoked token (code: unauthenticated, token_invalid, token_expired, token_revoked)") };
const common429 = {
  "429": {
    ...errorResponse("Rate limit exceeded (code: rate_limited)"),
    headers: { "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait" } },
  },
};

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Atrium API",
      version: "1.0.0",
      description:
        "REST API of Atrium. Authenticate with `Authorization: Bearer <token>` (personal tokens at /account/tokens, integration tokens at /admin/api-tokens). " +
        "Errors are JSON: `{ \"error\": { \"code\", \"message\", \"details\"? } }`. Lists are paged with an opaque `cursor`; pass `nextCursor` back until it is null. " +
        "Each token may make a limited number of requests per window; `RateLimit-*` headers tell how many remain, and a 429 carries `Retry-After`.",
    },
    servers: [{ url: "/api/v1" }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An Atrium API token (atr_p_… or atr_i_…)" } },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: {
                  type: "string",
                  examples: ["unauthenticated", "token_invalid", "token_expired", "token_revoked", "insufficient_scope", "forbidden", "not_found", "invalid", "invalid_json", "rate_limited", "not_implemented", "internal"],
                },
                message: { type: "string" },
                details: { description: "For code invalid: { fieldErrors: { field: [messages] } }" },
              },
            },
          },
        },
        Ref: { type: "object", required: ["id", "name"], properties: { id: { type: "string" }, name: { type: "string" } } },
        Data: { type: "object", required: ["data"], properties: { data: {} } },
        NumberedPage: {
          type: "object",
          required: ["data", "page", "pageSize", "total"],
          properties: { data: { type: "array", items: { type: "object" } }, page: { type: "integer" }, pageSize: { type: "integer" }, total: { type: "integer" } },
        },
        Created: { type: "object", required: ["data"], properties: { data: { type: "object", required: ["id", "url"], properties: { id: { type: "string" }, url: { type: "string" } } } } },
        RichBody: {
          description: "Plain text (a string), or { json } with the editor's rich-text JSON, or { plain }",
          oneOf: [{ type: "string" }, { type: "object", properties: { json: { type: "string" }, plain: { type: "string" } } }],
        },
        NewQuestion: {
          type: "object",
          required: ["title", "body", "tags"],
          properties: { title: { type: "string" }, body: ref("RichBody"), tags: { type: "array", items: { type: "string" }, maxItems: 5 }, departmentId: { type: "string" } },
        },
        Person: {
          type: "object",
          required: ["id", "email", "name", "title", "department", "teams", "managerId", "location", "timeZone", "pronouns", "bio", "skills", "photoUrl", "active", "updatedAt"],
          properties: {
            id: { type: "string" },
            email: { type: "string", format: "email" },
            name: { type: "string" },
            title: { type: "string" },
            department: { oneOf: [ref("Ref"), { type: "null" }] },
            teams: { type: "array", items: ref("Ref") },
            managerId: { type: ["string", "null"] },
            location: { type: "string" },
            timeZone: { type: "string", description: "IANA time zone, e.g. Europe/Paris" },
            pronouns: { type: "string" },
            bio: { type: "string" },
            skills: {
              type: "array",
              items: {
                type: "object",
                required: ["name", "label", "level"],
                properties: { name: { type: "string" }, label: { type: "string" }, level: { enum: ["expert", "mentor", "learning"] } },
              },
            },
            photoUrl: { type: ["string", "null"] },
            active: { type: "boolean" },
            updatedAt: { type: "string", format: "date-time" },
          },
        },
        PeoplePage: {
          type: "object",
          required: ["data", "nextCursor"],
          properties: { data: { type: "array", items: ref("Person") }, nextCursor: { type: ["string", "null"] } },
        },
        Status: {
          type: "object",
          properties: {
            text: { type: "string", maxLength: 100 },
            emoji: { type: "string", maxLength: 16 },
            until: { type: "string", format: "date-time", description: "When the status clears; omit for no end" },
          },
        },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      "/openapi.json": {
        get: { summary: "This document", security: [], responses: { "200": { description: "OpenAPI 3.1 document", content: { "application/json": {} } } } },
      },
      "/me": {
        get: {
          summary: "The token's owner and the token itself",
          responses: {
            "200": {
              description: "Owner and token",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["data"],
                    properties: {
                      data: {
                        type: "object",
                        required: ["person", "token"],
                        properties: {
                          person: ref("Person"),
                          token: {
                            type: "object",
                            required: ["id", "name", "kind", "scopes"],
                            properties: { id: { type: "string" }, name: { type: "string" }, kind: { enum: ["personal", "integration"] }, scopes: { type: "array", items: { enum: ["read", "write", "insights:ingest"] } } },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
            ...common401,
            ...common429,
          },
        },
      },
      "/people": {
        get: {
          summary: "List people, by name",
          parameters: [
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
            { name: "cursor", in: "query", schema: { type: "string" }, description: "nextCursor of the previous page" },
            { name: "department", in: "query", schema: { type: "string" }, description: "Department id" },
            { name: "team", in: "query", schema: { type: "string" }, description: "Team id" },
            { name: "email", in: "query", schema: { type: "string" } },
            { name: "active", in: "query", schema: { enum: ["true", "false", "all"], default: "true" }, description: "false and all need an admin's token" },
          ],
          responses: {
            "200": { description: "A page of people", content: { "application/json": { schema: ref("PeoplePage") } } },
            "403": errorResponse("active=false|all without an admin's token (code: forbidden)"),
            "422": errorResponse("Bad parameter (code: invalid)"),
            ...common401,
            ...common429,
          },
        },
      },
      "/people/{id}": {
        get: {
          summary: "One person",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "The person", content: { "application/json": { schema: { type: "object", required: ["data"], properties: { data: ref("Person") } } } } },
            "404": errorResponse("No such person (code: not_found)"),
            ...common401,
            ...common429,
          },
        },
      },
      "/people/me/status": {
        put: {
          summary: "Set the token owner's status (needs the write scope)",
          requestBody: { required: true, content: { "application/json": { schema: ref("Status") } } },
          responses: {
            "204": { description: "Status set" },
            "400": errorResponse("Body is not JSON (code: invalid_json)"),
            "403": errorResponse("Token lacks the write scope (code: insufficient_scope)"),
            "422": errorResponse("Invalid status (code: invalid)"),
            ...common401,
            ...common429,
          },
        },
      },
      "/questions": {
        get: {
          summary: "List questions (the same lists as /questions in the app)",
          parameters: [
            { name: "sort", in: "query", schema: { enum: ["newest", "active", "votes", "unanswered", "department"], default: "newest" } },
            { name: "tag", in: "query", schema: { type: "string" }, description: "Tag name (synonyms resolve)" },
            { name: "department", in: "query", schema: { type: "string" }, description: "Department id" },
            { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } },
          ],
          responses: { "200": { description: "A page of question summaries", content: { "application/json": { schema: ref("NumberedPage") } } }, "422": errorResponse("Bad parameter (code: invalid)"), ...common401, ...common429 },
        },
        post: {
          summary: "Ask a question as the token's owner (needs the write scope); experts are routed and notified as in the app",
          requestBody: { required: true, content: { "application/json": { schema: ref("NewQuestion") } } },
          responses: {
            "201": { description: "Asked", content: { "application/json": { schema: ref("Created") } } },
            "400": errorResponse("Body is not JSON (code: invalid_json)"),
            "403": errorResponse("Token lacks the write scope (code: insufficient_scope)"),
            "422": errorResponse("Invalid question, e.g. unknown tag (code: invalid)"),
            ...common401,
            ...common429,
          },
        },
      },
      "/questions/{id}": {
        get: {
          summary: "A question with its answers and comments (bodies in the editor's rich-text JSON)",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "The question", content: { "application/json": { schema: ref("Data") } } }, "404": errorResponse("No such question (code: not_found)"), ...common401, ...common429 },
        },
      },
      "/questions/{id}/answers": {
        post: {
          summary: "Answer a question as the token's owner (needs the write scope)",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["body"], properties: { body: ref("RichBody") } } } } },
          responses: {
            "201": { description: "Answered", content: { "application/json": { schema: ref("Created") } } },
            "403": errorResponse("Write scope missing (insufficient_scope), or the question is closed/deleted (forbidden)"),
            "404": errorResponse("No such question (code: not_found)"),
            "422": errorResponse("Empty answer (code: invalid)"),
            ...common401,
            ...common429,
          },
        },
      },
      "/spaces": {
        get: { summary: "Document spaces (company and one per department) with how many documents the owner can read", responses: { "200": { description: "Spaces", content: { "application/json": { schema: ref("Data") } } }, ...common401, ...common429 } },
      },
      "/spaces/{id}": {
        get: {
          summary:
            "A space and one page of the tree of documents in it the token's owner can read: 100 documents in reading order (each before its children, titles A–Z), nested, a page that starts inside a branch led by that branch's parents marked context; page, pages, pageSize and total beside data (a page past the end is the last)",
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string" } },
            { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } },
          ],
          responses: {
            "200": { description: "Space and a page of its tree", content: { "application/json": { schema: ref("Data") } } },
            "404": errorResponse("No such space (code: not_found)"),
            "422": errorResponse("The page is not a whole number from 1 (code: invalid)"),
            ...common401,
            ...common429,
          },
        },
      },
      "/documents": {
        get: {
          summary: "Recently edited documents the token's owner can read",
          parameters: [{ name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 50, default: 20 } }],
          responses: { "200": { description: "Documents, most recently edited first", content: { "application/json": { schema: ref("Data") } } }, ...common401, ...common429 },
        },
      },
      "/documents/{id}": {
        get: {
          summary: "A document's metadata and its content as Markdown (or only the Markdown with format=markdown)",
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string" } },
            { name: "format", in: "query", schema: { enum: ["json", "markdown"], default: "json" } },
          ],
          responses: {
            "200": { description: "The document", content: { "application/json": { schema: ref("Data") }, "text/markdown": { schema: { type: "string" } } } },
            "403": errorResponse("The owner may not read it (code: forbidden)"),
            "404": errorResponse("No such document (code: not_found)"),
            ...common401,
            ...common429,
          },
        },
      },
      "/insights": {
        get: {
          summary: "The company-wide insights feed, newest first",
          parameters: [
            { name: "status", in: "query", schema: { enum: ["open", "new", "acknowledged", "in_progress", "resolved", "declined"] } },
            { name: "team", in: "query", schema: { type: "string" }, description: "Team id" },
            { name: "sentiment", in: "query", schema: { enum: ["negative", "neutral", "positive"] } },
            { name: "channel", in: "query", schema: { type: "string" } },
            { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } },
          ],
          responses: { "200": { description: "A page of insights", content: { "application/json": { schema: ref("NumberedPage") } } }, ...common401, ...common429 },
        },
        post: {
          summary: "Ingest a customer insight (see docs/api/insights.md)",
          description:
            "Needs an integration token with the insights:ingest scope (“Send insights only”, created at /admin/api-tokens). Idempotent by (token, externalId). JSON body of at most 64 KiB.",
          responses: {
            "201": { description: "Created" },
            "200": { description: "Duplicate externalId: the existing insight" },
            "400": errorResponse("The body is not JSON, or not one JSON object (code: invalid_json)"),
            "403": errorResponse("Token lacks the insights:ingest scope (code: insufficient_scope)"),
            "413": errorResponse("Body over 64 KiB (code: payload_too_large)"),
            "415": errorResponse("Not application/json (code: unsupported_media_type)"),
            "422": errorResponse("Invalid fields (code: invalid; details.fieldErrors)"),
            ...common401,
          },
        },
      },
      "/insights/{id}": {
        get: {
          summary: "One insight with its timeline",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "The insight", content: { "application/json": { schema: ref("Data") } } }, "404": errorResponse("No such insight (code: not_found)"), ...common401, ...common429 },
        },
      },
    },
  };
}
