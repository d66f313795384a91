import { expect } from "vitest";

/** What a refused verb throws: its HTTP status, message and per-field messages. */
export type Refusal = { status: number; message: string; fieldErrors?: Record<string, string[]> };

/** The error `fn` is refused with; the test fails when `fn` succeeds. */
export async function refusalOf(fn: () => Promise<unknown>): Promise<Refusal> {
  const err = await fn().then(
    () => null,
    (e: unknown) => e as Refusal,
  );
  expect(err, "the call should have been refused").not.toBeNull();
  return err!;
}
