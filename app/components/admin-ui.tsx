import { FieldError, fieldErrorsOf } from "~/components/person";

/** The success message an admin action returned, if any. */
export function okMessageOf(result: unknown): string | null {
  if (result && typeof result === "object" && "ok" in result && result.ok === true && "message" in result) {
    return String(result.message);
  }
  return null;
}

/**
 * The banner at the top of an admin page: the success message, or the reason a change was refused
 * (a form-level reason when there is one, otherwise the generic "correct the fields").
 */
export function ActionMessages({ result, flash }: { result: unknown; flash?: string | null }) {
  const ok = okMessageOf(result) ?? flash ?? null;
  const err = fieldErrorsOf(result);
  return (
    <>
      {ok && !err && <p className="flash" role="status" data-testid="flash">{ok}</p>}
      {err && (
        <p className="form-error" role="alert" data-testid="form-error">
          {err.fieldErrors.form?.join(" ") ?? err.message}
        </p>
      )}
    </>
  );
}

/** A labelled text input with its field-level message; ids are unique per form via `prefix`. */
export function TextField({
  prefix,
  name,
  label,
  errors,
  defaultValue,
  type = "text",
  maxLength,
  autoComplete,
  hint,
}: {
  prefix: string;
  name: string;
  label: string;
  errors?: string[];
  defaultValue?: string;
  type?: "text" | "email" | "password";
  maxLength?: number;
  autoComplete?: string;
  hint?: string;
}) {
  const id = `${prefix}-${name}`;
  const described = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && <span className="muted" id={`${id}-hint`}>{hint}</span>}
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue}
        maxLength={maxLength}
        autoComplete={autoComplete}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={described}
      />
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}

export function TextAreaField({ prefix, name, label, errors, defaultValue, maxLength }: { prefix: string; name: string; label: string; errors?: string[]; defaultValue?: string; maxLength?: number }) {
  const id = `${prefix}-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} defaultValue={defaultValue} maxLength={maxLength} rows={3} aria-invalid={errors?.length ? true : undefined} aria-describedby={errors?.length ? `${id}-error` : undefined} />
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}

export function SelectField({
  prefix,
  name,
  label,
  errors,
  defaultValue,
  options,
  empty,
}: {
  prefix: string;
  name: string;
  label: string;
  errors?: string[];
  defaultValue?: string;
  options: { value: string; label: string }[];
  /** Label of a leading "none" option with an empty value, when the field is optional. */
  empty?: string;
}) {
  const id = `${prefix}-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue ?? ""} aria-invalid={errors?.length ? true : undefined} aria-describedby={errors?.length ? `${id}-error` : undefined}>
        {empty !== undefined && <option value="">{empty}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}

/** Values typed into a refused form, so a page re-rendered without JavaScript loses nothing. */
export function typedValues(result: unknown): Record<string, string> {
  const v = fieldErrorsOf(result)?.values;
  if (!v || typeof v !== "object") return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x == null ? "" : String(x)]));
}
