import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { authorize } from "../../server/policy.js";
import type { ImportReport } from "../../server/domain/directory-import.js";
import { load, requireAuth, runAction } from "~/utils/http.server";
import { isTooLargeResponse, readForm } from "~/utils/body.server";

export const meta: MetaFunction = () => [{ title: "Import people · Admin · Atrium" }];

const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireAuth(request, context);
  await load(async () => authorize(auth.actor, "directory.import", null));
  return { maxBytes: context.env.IMPORT_MAX_BYTES };
}

type Refused = { ok: false; message: string; fieldErrors: Record<string, string[] | undefined> };
const refuse = (message: string): Refused => ({ ok: false, message, fieldErrors: { file: [message] } });

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireAuth(request, context);
  // Only admins may import: settled before a byte of the file is read.
  await load(async () => authorize(auth.actor, "directory.import", null));
  const imports = context.domain.directoryImport;
  const max = context.env.IMPORT_MAX_BYTES;
  if (request.headers.get("content-type")?.startsWith("multipart/form-data")) {
    const message = `The file is larger than ${mb(max)}. Split it, or use the command line: npm run import:people -- file.csv`;
    let form: FormData;
    try {
      form = await readForm(request, context, { maxFileBytes: max, tooLargeMessage: message });
    } catch (e) {
      if (isTooLargeResponse(e)) return data(refuse(message), { status: 413, headers: { Connection: "close" } });
      throw e;
    }
    const file = form.get("file");
    if (!file || typeof file === "string" || file.size === 0) return refuse("Choose a CSV file to preview.");
    const deactivateMissing = form.get("deactivateMissing") === "on";
    return runAction(async () => {
      const uploadId = await imports.stageImportFile(auth.actor, new Uint8Array(await file.arrayBuffer()));
      const report = await imports.previewStagedImport(auth.actor, uploadId, { deactivateMissing });
      return { ok: true as const, stage: "preview" as const, uploadId, deactivateMissing, filename: file.name, report };
    });
  }
  const form = await readForm(request, context);
  const uploadId = String(form.get("uploadId") ?? "");
  const deactivateMissing = form.get("deactivateMissing") === "on";
  return runAction(async () => {
    try {
      const { result } = await imports.commitStagedImport(auth.actor, uploadId, { deactivateMissing });
      return { ok: true as const, stage: "done" as const, result };
    } catch (e) {
      // The file changed under us (or the directory did): show the fresh report instead.
      const report = (e as { report?: ImportReport }).report;
      if (report) return { ok: true as const, stage: "preview" as const, uploadId, deactivateMissing, filename: "", report };
      throw e;
    }
  });
}

function Totals({ r }: { r: ImportReport }) {
  const t = r.totals;
  return (
    <ul className="import-totals" data-testid="import-totals">
      <li><strong>{t.rows.toLocaleString("en-GB")}</strong> rows</li>
      <li><strong data-testid="count-create">{t.create}</strong> to create</li>
      <li><strong data-testid="count-update">{t.update}</strong> to update</li>
      <li><strong data-testid="count-unchanged">{t.unchanged}</strong> unchanged</li>
      {t.skipped > 0 && <li><strong>{t.skipped}</strong> skipped (deactivated)</li>}
      {t.deactivate > 0 && <li><strong data-testid="count-deactivate">{t.deactivate}</strong> to deactivate</li>}
      <li><strong data-testid="count-errors">{r.errorCount}</strong> with errors</li>
    </ul>
  );
}

function Preview({ r, uploadId, deactivateMissing, filename }: { r: ImportReport; uploadId: string; deactivateMissing: boolean; filename: string }) {
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card" aria-labelledby="preview-h" data-testid="import-preview">
      <h2 id="preview-h">Preview{filename ? ` of ${filename}` : ""}</h2>
      <Totals r={r} />
      {r.fileErrors.length > 0 && (
        <div className="form-error" role="alert" data-testid="file-errors">
          {r.fileErrors.map((e) => <p key={e}>{e}</p>)}
        </div>
      )}
      {r.rowErrors.length > 0 && (
        <>
          <h3>Rows with errors</h3>
          <p className="form-error" role="alert">Nothing can be imported until these rows are fixed in the file.</p>
          <div className="table-scroll">
            <table data-testid="row-errors">
              <thead><tr><th scope="col">Line</th><th scope="col">Email</th><th scope="col">Problem</th></tr></thead>
              <tbody>
                {r.rowErrors.slice(0, 500).map((e) => (
                  <tr key={e.line} data-testid="row-error" data-line={e.line}>
                    <td>{e.line}</td>
                    <td>{e.email}</td>
                    <td>{e.messages.join(" ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {r.rowErrors.length > 500 && <p className="muted">… and {r.rowErrors.length - 500} more.</p>}
        </>
      )}
      {r.ok && (
        <>
          {(r.newDepartments.length > 0 || r.newTeams.length > 0) && (
            <p>
              {r.newDepartments.length > 0 && <>New departments: {r.newDepartments.join(", ")}. </>}
              {r.newTeams.length > 0 && <>New teams: {r.newTeams.slice(0, 40).join(", ")}{r.newTeams.length > 40 ? "…" : ""}.</>}
            </p>
          )}
          {r.deactivate.length > 0 && (
            <p data-testid="to-deactivate">
              <strong>Will be deactivated</strong> (not in the file): {r.deactivate.slice(0, 30).map((d) => `${d.name} <${d.email}>`).join(", ")}
              {r.deactivate.length > 30 ? ` and ${r.deactivate.length - 30} more` : ""}.
            </p>
          )}
          {r.sample.length > 0 && (
            <div className="table-scroll">
              <table data-testid="import-changes">
                <caption className="sr-only">First changes</caption>
                <thead><tr><th scope="col">Line</th><th scope="col">Person</th><th scope="col">Change</th></tr></thead>
                <tbody>
                  {r.sample.map((p) => (
                    <tr key={p.line} data-testid="import-change">
                      <td>{p.line}</td>
                      <td>{p.name}<div className="muted small">{p.email}</div></td>
                      <td>{p.action === "create" ? "New person" : p.action === "update" ? `Changes ${p.changes.join(", ")}` : p.note}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {r.totals.create + r.totals.update + r.totals.deactivate === 0 ? (
            <p data-testid="nothing-to-do">Everything in this file is already in Atrium: importing it would change nothing.</p>
          ) : (
            <Form method="post" className="row">
              <input type="hidden" name="uploadId" value={uploadId} />
              {deactivateMissing && <input type="hidden" name="deactivateMissing" value="on" />}
              <button type="submit" disabled={busy}>{busy ? "Importing…" : "Import these changes"}</button>
              <Link to="/admin/import">Cancel</Link>
            </Form>
          )}
        </>
      )}
    </section>
  );
}

export default function AdminImport() {
  const { maxBytes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const refused = result && !result.ok ? result : null;
  const preview = result && result.ok && "stage" in result && result.stage === "preview" ? result : null;
  const done = result && result.ok && "stage" in result && result.stage === "done" ? result.result : null;
  return (
    <>
      <h1>Import people from CSV</h1>
      <p className="muted">
        Upload the HR export: columns <code>email, name, title, department, team, manager_email, location, time_zone, skills</code>{" "}
        (only email and name are required). Skills look like <code>go:expert; kubernetes:mentor</code>; several teams are
        separated by <code>;</code>. The file is authoritative for the columns it has; skills are added, never removed. You
        see every problem and every change before anything is written; the same file imported twice changes nothing. Up to{" "}
        {mb(maxBytes)} here; larger files with <code>npm run import:people -- file.csv</code>.
      </p>
      {done && (
        <p className="flash" role="status" data-testid="import-done">
          Imported: {done.created} created, {done.updated} updated, {done.unchanged} unchanged, {done.deactivated} deactivated
          {done.departmentsCreated + done.teamsCreated > 0 ? ` (${done.departmentsCreated} departments and ${done.teamsCreated} teams created)` : ""}. It is in the{" "}
          <Link to="/admin/audit?action=directory.imported">audit log</Link>.
        </p>
      )}
      {refused && <p className="form-error" role="alert" data-testid="import-refused">{refused.fieldErrors.file?.[0] ?? refused.message}</p>}
      {preview && <Preview r={preview.report} uploadId={preview.uploadId} deactivateMissing={preview.deactivateMissing} filename={preview.filename} />}
      <Form method="post" encType="multipart/form-data" className="card admin-form" key={preview?.uploadId ?? "new"}>
        <h2>{preview ? "Preview another file" : "Choose a file"}</h2>
        <div className="field">
          <label htmlFor="import-file">CSV file</label>
          <input id="import-file" name="file" type="file" accept=".csv,text/csv" required />
        </div>
        <div className="field">
          <label>
            <input type="checkbox" name="deactivateMissing" /> Deactivate people who are not in the file (never you)
          </label>
        </div>
        <button type="submit" className="secondary" disabled={busy}>Preview</button>
      </Form>
    </>
  );
}
