/**
 * What makes a new password acceptable (NIST SP 800-63B, decision 057): 12 to 256 characters
 * (PasswordSchema), no composition rules, and not one that attackers try first. "Try first" is
 * judged by zxcvbn-ts against its maintained list of ~49,000 common and breached passwords
 * (@zxcvbn-ts/language-common), with keyboard patterns, repeats, sequences, dates and l33t
 * variants of those words, and the person's own name and email. A password whose estimated
 * guesses are under 10^8 (zxcvbn score below 3) is refused.
 */
import { createRequire } from "node:module";
import type { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { ValidationError } from "./errors.js";

// The dictionaries are about 12 MB in memory and only a password being set needs them: they are
// loaded on first use, not with the server (both packages ship CommonJS, so this stays synchronous).
const require = createRequire(import.meta.url);
let factory: ZxcvbnFactory | null = null;
function zxcvbn(): ZxcvbnFactory {
  if (!factory) {
    const { ZxcvbnFactory } = require("@zxcvbn-ts/core") as typeof import("@zxcvbn-ts/core");
    const { adjacencyGraphs, dictionary } = require("@zxcvbn-ts/language-common") as typeof import("@zxcvbn-ts/language-common");
    factory = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  }
  return factory;
}

const COMMON = "This password is too easy to guess: it is a common or breached password, or close to one. Try a few unrelated words.";
export const MIN_SCORE = 3;

/** Throws a field-level ValidationError when the password is too guessable. `context` is words tied to the person (name, email). */
export function assertStrongPassword(password: string, context: string[] = [], field = "password"): void {
  // Each word of the name and email, and each run together ("sidshort" for "Sid Short").
  const words = ["atrium", ...context.flatMap((c) => {
    const parts = c.toLowerCase().split("@")[0].split(/[^\p{L}\p{N}]+/u);
    return [...parts, parts.join("")];
  })].filter((w) => w.length >= 3);
  const result = zxcvbn().check(password.slice(0, 256), words);
  if (result.score < MIN_SCORE) throw new ValidationError({ [field]: [COMMON] });
}
