import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { SKILL_LEVEL_LABEL, SKILL_LEVELS } from "~/schemas/people";
import { Avatar, FieldError, fieldErrorsOf } from "~/components/person";
import { When } from "~/components/when";
import { RowAction } from "~/components/row-action";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { isTooLargeResponse, readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "Edit profile · Atrium" }];

const PHOTO_MAX = 2 * 1024 * 1024;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  const profile = await load(() => context.domain.people.getEditableProfile(auth.actor, params.id!));
  const isAdmin = auth.actor.role === "admin";
  const [departments, teams, people, identities] = isAdmin
    ? await Promise.all([
        context.domain.org.listDepartments(),
        context.domain.org.listTeams(),
        context.domain.people.listPeopleOptions(),
        load(() => context.domain.sso.listSsoIdentities(auth.actor, profile.id)),
      ])
    : [[], [], [], []];
  const timeZones = Intl.supportedValuesOf("timeZone");
  const vocabulary = (await context.domain.skills.listVocabulary()).flatMap((s) => [s.name, ...s.synonyms]);
  return { profile, isAdmin, departments, teams, people: people.filter((p) => p.id !== profile.id), identities, timeZones, vocabulary };
}

/** Rows of paired inputs (skills, links) arrive as parallel lists; blank rows are dropped. */
function rows<K extends string>(form: FormData, keys: K[]): Record<K, string>[] {
  const cols = keys.map((k) => form.getAll(k).map(String));
  const n = Math.max(0, ...cols.map((c) => c.length));
  const out: Record<K, string>[] = [];
  for (let i = 0; i < n; i++) {
    const row = Object.fromEntries(keys.map((k, j) => [k, (cols[j]![i] ?? "").trim()])) as Record<K, string>;
    if (keys.some((k) => row[k] !== "")) out.push(row);
  }
  return out;
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  const userId = params.id!;
  const people = context.domain.people;

  if (request.headers.get("content-type")?.startsWith("multipart/form-data")) {
    // Who may change this photo is settled before a byte of the upload is read.
    await load(() => people.assertCanSetPhoto(auth.actor, userId));
    let form: FormData;
    try {
      form = await readForm(request, context, { maxFileBytes: PHOTO_MAX, tooLargeMessage: "Photos must be 2 MB or smaller." });
    } catch (e) {
      if (isTooLargeResponse(e)) {
        return data({ ok: false as const, message: "Photo too large.", fieldErrors: { photo: ["Photos must be 2 MB or smaller."] } }, { status: 413, headers: { Connection: "close" } });
      }
      throw e;
    }
    const file = form.get("photo");
    const bytes = file && typeof file !== "string" ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
    return runAction(async () => {
      await people.setPhoto(auth.actor, userId, bytes);
      return { ok: true as const, message: "Photo updated." };
    });
  }

  const form = await readForm(request, context);
  const intent = form.get("intent");
  if (intent === "remove-photo") {
    return runAction(async () => {
      await people.removePhoto(auth.actor, userId);
      return { ok: true as const, message: "Photo removed." };
    });
  }
  if (intent === "unlink-sso") {
    return runAction(async () => {
      const gone = await context.domain.sso.unlinkSsoIdentity(auth.actor, { userId, identityId: form.get("identityId") });
      return { ok: true as const, message: `Unlinked the sign-in identity ${gone.email || gone.subject} at ${gone.issuer}. The next single sign-on with this person’s verified email links again.` };
    });
  }
  if (intent === "hr") {
    const input = {
      email: form.get("email"),
      title: form.get("title") ?? "",
      departmentId: form.get("departmentId") || null,
      managerId: form.get("managerId") || null,
      teamIds: form.getAll("teamIds").map(String),
    };
    return runAction(async () => {
      await people.updateHrFields(auth.actor, userId, input);
      return { ok: true as const, message: "Job details saved." };
    }, input);
  }
  const input = {
    name: form.get("name"),
    pronouns: form.get("pronouns") ?? "",
    location: form.get("location") ?? "",
    timeZone: form.get("timeZone"),
    bio: form.get("bio") ?? "",
    links: rows(form, ["linkLabel", "linkUrl"]).map((r) => ({ label: r.linkLabel, url: r.linkUrl })),
    // The level select always has a value, so a skill row counts only when its name is filled.
    skills: rows(form, ["skillName", "skillLevel"])
      .filter((r) => r.skillName !== "")
      .map((r) => ({ name: r.skillName, level: r.skillLevel })),
  };
  return runAction(async () => {
    await people.updateProfile(auth.actor, userId, input);
    return redirect(`/people/${userId}`);
  }, input);
}

type Values = {
  name?: string;
  pronouns?: string;
  location?: string;
  timeZone?: string;
  bio?: string;
  links?: { label: string; url: string }[];
  skills?: { name: string; level: string }[];
};

export default function EditProfile() {
  const { profile, isAdmin, departments, teams, people, identities, timeZones, vocabulary } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const err = fieldErrorsOf(result);
  const fe = err?.fieldErrors ?? {};
  // After a refused save, show what the person typed (matters when JavaScript is off).
  const typed = (err?.values ?? null) as Values | null;
  const v = { ...profile, ...(typed && "skills" in typed ? typed : {}) } as typeof profile & Values;
  const busy = useNavigation().state === "submitting";
  const [skillRows, setSkillRows] = useState(Math.max(v.skills.length + 2, 4));
  const [linkRows, setLinkRows] = useState(Math.max(v.links.length + 1, 2));
  const okMessage = result && "ok" in result && result.ok && "message" in result ? (result.message as string) : null;

  return (
    <>
      <p><Link to={`/people/${profile.id}`}>← Back to profile</Link></p>
      <h1>Edit profile: {profile.name}</h1>
      {okMessage && <p className="flash" role="status">{okMessage}</p>}
      {err && <p className="form-error" role="alert" data-testid="form-error">{err.message}</p>}

      <section className="card" aria-labelledby="photo-h">
        <h2 id="photo-h">Photo</h2>
        <div className="row">
          <Avatar name={profile.name} initials={profile.name.split(/\s+/).slice(0, 2).map((p) => p[0]).join("").toUpperCase()} photoUrl={profile.photoPath ? `/uploads/${profile.photoPath}` : null} size={72} />
          <Form method="post" encType="multipart/form-data" className="row">
            <div className="field">
              <label htmlFor="photo">Upload a photo (PNG, JPEG, GIF or WebP, up to 2 MB)</label>
              <input id="photo" name="photo" type="file" accept="image/png,image/jpeg,image/gif,image/webp" aria-describedby="photo-error" />
              <FieldError id="photo-error" errors={fe.photo} />
            </div>
            <button type="submit">Upload photo</button>
          </Form>
          {profile.photoPath && (
            <Form method="post">
              <button type="submit" name="intent" value="remove-photo" className="secondary">Use initials instead</button>
            </Form>
          )}
        </div>
      </section>

      <Form method="post" className="card" noValidate aria-labelledby="about-h" style={{ marginTop: "1rem" }}>
        <h2 id="about-h">About you</h2>
        <input type="hidden" name="intent" value="profile" />
        <div className="field">
          <label htmlFor="name">Name</label>
          <input id="name" name="name" type="text" defaultValue={v.name} maxLength={100} required aria-invalid={!!fe.name} />
          <FieldError errors={fe.name} />
        </div>
        <div className="row">
          <div className="field">
            <label htmlFor="pronouns">Pronouns</label>
            <input id="pronouns" name="pronouns" type="text" defaultValue={v.pronouns} maxLength={40} />
            <FieldError errors={fe.pronouns} />
          </div>
          <div className="field">
            <label htmlFor="location">Location</label>
            <input id="location" name="location" type="text" defaultValue={v.location} maxLength={100} />
            <FieldError errors={fe.location} />
          </div>
          <div className="field">
            <label htmlFor="timeZone">Time zone</label>
            <select id="timeZone" name="timeZone" defaultValue={v.timeZone}>
              {!timeZones.includes(v.timeZone) && <option value={v.timeZone}>{v.timeZone}</option>}
              {timeZones.map((tz) => <option key={tz} value={tz}>{tz}</option>)}
            </select>
            <FieldError errors={fe.timeZone} />
          </div>
        </div>
        <div className="field">
          <label htmlFor="bio">Bio</label>
          <textarea id="bio" name="bio" defaultValue={v.bio} maxLength={2000} aria-invalid={!!fe.bio} />
          <FieldError errors={fe.bio} />
        </div>

        <fieldset>
          <legend>Skills</legend>
          <datalist id="skill-suggestions">{vocabulary.map((s) => <option key={s} value={s} />)}</datalist>
          <p className="muted">“Ask me about” marks your expertise; colleagues searching for it will find you first.</p>
          <FieldError errors={fe.skills} />
          {Array.from({ length: skillRows }, (_, i) => {
            const s = v.skills[i];
            return (
              <div className="row" key={i} data-testid="skill-row">
                <div className="field">
                  <label htmlFor={`skillName-${i}`}>Skill {i + 1}</label>
                  <input id={`skillName-${i}`} name="skillName" type="text" defaultValue={s?.name ?? ""} maxLength={40} list="skill-suggestions" />
                  <FieldError errors={fe[`skills.${i}.name`]} />
                </div>
                <div className="field">
                  <label htmlFor={`skillLevel-${i}`}>Level for skill {i + 1}</label>
                  <select id={`skillLevel-${i}`} name="skillLevel" defaultValue={s?.level ?? "expert"}>
                    {SKILL_LEVELS.map((l) => <option key={l} value={l}>{SKILL_LEVEL_LABEL[l]}</option>)}
                  </select>
                  <FieldError errors={fe[`skills.${i}.level`]} />
                </div>
              </div>
            );
          })}
          <button type="button" className="secondary" onClick={() => setSkillRows((n) => Math.min(n + 1, 40))}>Add another skill</button>
        </fieldset>

        <fieldset>
          <legend>Contact links</legend>
          <FieldError errors={fe.links} />
          {Array.from({ length: linkRows }, (_, i) => {
            const l = v.links[i];
            return (
              <div className="row" key={i}>
                <div className="field">
                  <label htmlFor={`linkLabel-${i}`}>Link {i + 1} label</label>
                  <input id={`linkLabel-${i}`} name="linkLabel" type="text" defaultValue={l?.label ?? ""} maxLength={40} />
                  <FieldError errors={fe[`links.${i}.label`]} />
                </div>
                <div className="field">
                  <label htmlFor={`linkUrl-${i}`}>Link {i + 1} address</label>
                  <input id={`linkUrl-${i}`} name="linkUrl" type="url" defaultValue={l?.url ?? ""} maxLength={500} placeholder="https://" />
                  <FieldError errors={fe[`links.${i}.url`]} />
                </div>
              </div>
            );
          })}
          <button type="button" className="secondary" onClick={() => setLinkRows((n) => Math.min(n + 1, 8))}>Add another link</button>
        </fieldset>
        <p><button type="submit" disabled={busy}>Save profile</button></p>
      </Form>

      {isAdmin && (
        <Form method="post" className="card" noValidate aria-labelledby="hr-h" style={{ marginTop: "1rem" }}>
          <h2 id="hr-h">Job details (administrators)</h2>
          <input type="hidden" name="intent" value="hr" />
          <div className="field">
            <label htmlFor="email">Work email</label>
            <input id="email" name="email" type="email" defaultValue={profile.email} required />
            <FieldError errors={fe.email} />
          </div>
          <div className="field">
            <label htmlFor="title">Job title</label>
            <input id="title" name="title" type="text" defaultValue={profile.title} maxLength={100} />
            <FieldError errors={fe.title} />
          </div>
          <div className="row">
            <div className="field">
              <label htmlFor="departmentId">Department</label>
              <select id="departmentId" name="departmentId" defaultValue={profile.departmentId ?? ""}>
                <option value="">None</option>
                {departments.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
              </select>
              <FieldError errors={fe.departmentId} />
            </div>
            <div className="field">
              <label htmlFor="managerId">Manager</label>
              <select id="managerId" name="managerId" defaultValue={profile.managerId ?? ""}>
                <option value="">None</option>
                {people.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
              </select>
              <FieldError errors={fe.managerId} />
            </div>
          </div>
          <fieldset>
            <legend>Teams</legend>
            <FieldError errors={fe.teamIds} />
            <div className="grid">
              {teams.map((t) => (
                <label key={t.id} className="row">
                  <input type="checkbox" name="teamIds" value={t.id} defaultChecked={profile.teamIds.includes(t.id)} /> {t.name}
                </label>
              ))}
            </div>
          </fieldset>
          <p><button type="submit" disabled={busy}>Save job details</button></p>
        </Form>
      )}

      {isAdmin && (
        <section className="card" aria-labelledby="sso-h" style={{ marginTop: "1rem" }} data-testid="sso-identities">
          <h2 id="sso-h">Single sign-on identities (administrators)</h2>
          {identities.length === 0 ? (
            <p className="muted">Not linked to any identity provider account.</p>
          ) : (
            <>
              <p className="muted">
                Unlink an identity only when it is this person’s own account whose identity changed at the provider: their
                next sign-in there links by verified email again. If the provider gave this address to someone else, change
                this person’s work email or deactivate them instead.
              </p>
              <div className="table-scroll">
                <table>
                  <caption className="sr-only">Linked sign-in identities</caption>
                  <thead>
                    <tr>
                      <th scope="col">Provider (issuer)</th>
                      <th scope="col">Email at last sign-in</th>
                      <th scope="col">Linked</th>
                      <th scope="col">Last sign-in</th>
                      <th scope="col"><span className="sr-only">Actions</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    {identities.map((i) => (
                      <tr key={i.id} data-testid="sso-identity">
                        <td>
                          <code>{i.issuer}</code>
                          <div className="muted small">subject <code>{i.subject}</code></div>
                        </td>
                        <td>{i.email || <span className="muted">—</span>}</td>
                        <td><When date={i.createdAt} format="datetime" /></td>
                        <td><When date={i.lastSignInAt} format="datetime" /></td>
                        <td>
                          <RowAction intent="unlink-sso" fields={{ identityId: i.id }} label="Unlink" detail={`${i.email || i.subject} at ${i.issuer}`} buttonClassName="danger small" />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      )}
    </>
  );
}
