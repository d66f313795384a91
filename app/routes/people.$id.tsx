import { MapPin } from "lucide-react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { SKILL_LEVEL_LABEL, SKILL_LEVELS } from "~/schemas/people";
import { Avatar, FieldError, fieldErrorsOf, LocalTime, Presence, Status } from "~/components/person";
import { useEntityWatch } from "~/realtime/entity-watch";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { FollowButton } from "~/components/social";
import { readForm } from "~/utils/body.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.profile.name ?? "Person"} · Atrium` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const profile = await load(() => context.domain.people.getProfile(auth.actor, params.id!));
  // Q&A: expertise shown by accepted and upvoted answers.
  const expertise = await context.domain.questions.expertiseOf(auth.actor, params.id!);
  const following = await context.domain.follows.isFollowingPerson(auth.actor, params.id!);
  return { profile, expertise, following };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const form = await readForm(request, context);
  return runAction(async () => {
    await context.domain.people.setStatus(auth.actor, { text: form.get("text"), emoji: form.get("emoji"), until: form.get("until") || undefined });
    return { ok: true as const };
  });
}

export default function ProfilePage() {
  const { profile: p, expertise, following } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = fieldErrorsOf(result)?.fieldErrors;
  const live = useEntityWatch([{ type: "person", id: p.id }]);
  return (
    <article className="layout-2" data-testid="profile" data-live={live ? "true" : "false"}>
      <div>
        <header className="row card">
          <Avatar name={p.name} initials={p.initials} photoUrl={p.photoUrl} size={96} />
          <div>
            <h1 data-testid="profile-name">{p.name}{p.pronouns && <span className="muted" style={{ fontSize: "1rem" }}> ({p.pronouns})</span>}</h1>
            <div>{p.title}{p.department ? ` · ${p.department.name}` : ""}</div>
            <div className="row">
              <Presence userId={p.id} initial={p.presence} showLabel />
              <LocalTime timeZone={p.timeZone} />
              {p.location && <span className="icon-text"><MapPin aria-hidden="true" size={14} />{p.location}</span>}
            </div>
            <Status userId={p.id} initial={p.status} />
            {!p.active && <p className="form-error">This account is deactivated.</p>}
            {p.canEdit && <p><Link to={`/people/${p.id}/edit`} className="button secondary">Edit profile</Link></p>}
            {!p.isSelf && p.active && <div><FollowButton kind="person" id={p.id} following={following} name={p.name} /></div>}
          </div>
        </header>

        {p.bio && (
          <section>
            <h2>About</h2>
            <p style={{ whiteSpace: "pre-wrap" }} data-testid="bio">{p.bio}</p>
          </section>
        )}

        <section>
          <h2>Skills</h2>
          {p.skills.length === 0 && <p className="muted">No skills listed yet.</p>}
          {SKILL_LEVELS.map((level) => {
            const list = p.skills.filter((s) => s.level === level);
            return list.length ? (
              <div key={level}>
                <h3 style={{ fontSize: "1rem", marginBottom: ".25rem" }}>{SKILL_LEVEL_LABEL[level]}</h3>
                {list.map((s) => (
                  <Link key={s.name} to={`/people?skill=${encodeURIComponent(s.name)}`} className={`skill skill-${s.level}`}>{s.label}</Link>
                ))}
              </div>
            ) : null;
          })}
        </section>

        {expertise.length > 0 && (
          <section aria-labelledby="demonstrated-h" data-testid="demonstrated-expertise">
            <h2 id="demonstrated-h">Demonstrated expertise</h2>
            <ul className="list-plain" style={{ gap: ".15rem" }}>
              {expertise.map((e) => (
                <li key={e.tag}>
                  <Link to={`/questions/tagged/${encodeURIComponent(e.tag)}`} className="skill">{e.tag}</Link>{" "}
                  {e.accepted > 0
                    ? `${e.accepted} accepted answer${e.accepted === 1 ? "" : "s"} on ${e.tag}`
                    : `${e.answers} answer${e.answers === 1 ? "" : "s"} on ${e.tag}`}
                  {e.upvotes > 0 && <span className="muted"> · {e.upvotes} upvote{e.upvotes === 1 ? "" : "s"}</span>}
                </li>
              ))}
            </ul>
          </section>
        )}

        <section>
          <h2>Contact</h2>
          <ul>
            <li><a href={`mailto:${p.email}`}>{p.email}</a></li>
            {p.links.map((l) => (
              <li key={l.url}><a href={l.url} rel="noopener noreferrer nofollow" target="_blank">{l.label}</a></li>
            ))}
          </ul>
          {p.teams.length > 0 && <p>Teams: {p.teams.map((t) => <Link key={t.id} to={`/people?team=${t.id}`} className="skill">{t.name}</Link>)}</p>}
        </section>

        {p.isSelf && (
          <section className="card" aria-labelledby="status-h">
            <h2 id="status-h">Your status</h2>
            <Form method="post" className="row" noValidate>
              <div className="field"><label htmlFor="emoji">Emoji</label><input id="emoji" name="emoji" type="text" size={3} defaultValue={p.status?.emoji ?? ""} /><FieldError errors={errors?.emoji} /></div>
              <div className="field"><label htmlFor="text">Status</label><input id="text" name="text" type="text" maxLength={100} defaultValue={p.status?.text ?? ""} placeholder="In workshops all day" /><FieldError errors={errors?.text} /></div>
              <div className="field"><label htmlFor="until">Until <span className="muted small">({p.timeZone} time)</span></label><input id="until" name="until" type="datetime-local" /><FieldError errors={errors?.until} /></div>
              <button type="submit">Set status</button>
            </Form>
          </section>
        )}
      </div>

      <aside aria-labelledby="org-h" className="card">
        <h2 id="org-h">Org chart</h2>
        {p.managerChain.length > 0 ? (
          <ol className="org-chain" aria-label="Reports to" data-testid="manager-chain">
            {[...p.managerChain].reverse().map((m) => (
              <li key={m.id} className="org-person"><Avatar name={m.name} initials={m.initials} photoUrl={m.photoUrl} size={28} /><span><Link to={`/people/${m.id}`}>{m.name}</Link><br /><span className="muted">{m.title}</span></span></li>
            ))}
          </ol>
        ) : (
          <p className="muted">No manager listed.</p>
        )}
        <p className="org-self"><strong>{p.name}</strong><br /><span className="muted">{p.title}</span></p>
        <h3 style={{ fontSize: "1rem" }}>Direct reports</h3>
        {p.reports.length ? (
          <ul className="org-chain" data-testid="reports">
            {p.reports.map((r) => (
              <li key={r.id} className="org-person"><Avatar name={r.name} initials={r.initials} photoUrl={r.photoUrl} size={28} /><span><Link to={`/people/${r.id}`}>{r.name}</Link><br /><span className="muted">{r.title}</span></span></li>
            ))}
          </ul>
        ) : (
          <p className="muted">None.</p>
        )}
      </aside>
    </article>
  );
}
