/**
 * The strength check alone (decision 057): zxcvbn's score with Atrium's name and the person's
 * own words. Each refused password below is accepted without the word that makes it guessable
 * (the positive controls), so a test fails when that word stops counting.
 */
import { describe, expect, test } from "vitest";
import { ValidationError } from "../../../server/domain/errors.js";
import { assertStrongPassword } from "../../../server/domain/password-policy.js";

const COMMON = "This password is too easy to guess: it is a common or breached password, or close to one. Try a few unrelated words.";

function refusal(password: string, context?: string[], field?: string) {
  try {
    if (field === undefined) assertStrongPassword(password, context);
    else assertStrongPassword(password, context, field);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).fieldErrors;
  }
  return null;
}

describe("assertStrongPassword", () => {
  test("a guessable password is refused on the field named, `password` by default, with the one message", () => {
    expect(refusal("password1234")).toEqual({ password: [COMMON] });
    expect(refusal("password1234", [], "newPassword")).toEqual({ newPassword: [COMMON] });
    expect(refusal("plum orbit lantern quietly")).toBeNull();
  });

  test("zxcvbn score 3 is enough, score 2 is not", () => {
    // "vyqnugget7" scores 3 (about 10^8.2 guesses) with no words of the person's; "vyqkwpvj" scores 2 (10^8 exactly).
    expect(refusal("vyqnugget7")).toBeNull();
    expect(refusal("vyqkwpvj")).toEqual({ password: [COMMON] });
  });

  test("the server's own name counts as a guessable word", () => {
    // 10^8.1 guesses for zxcvbn alone, 10^7 once "atrium" is one of the user inputs.
    expect(refusal("Atrium!qz7w")).toEqual({ password: [COMMON] });
    expect(refusal("Atrium!qz7w", ["Lo Ko", "lo.ko@example.test"])).toEqual({ password: [COMMON] });
  });

  test("a three-letter word of the name counts, as does each word of the email's local part", () => {
    expect(refusal("vyqnugget7", ["Vyq Lo"])).toEqual({ password: [COMMON] });
    expect(refusal("vyqnugget7", ["Lo Ko", "vyq.lo@example.test"])).toEqual({ password: [COMMON] });
    expect(refusal("vyqnugget7", ["Lo-Vyq"])).toEqual({ password: [COMMON] });
    // Letters beyond ASCII are part of a word; the email's domain is everyone's, not the person's.
    expect(refusal("vyqnugget7", ["Zoë Vyq"])).toEqual({ password: [COMMON] });
    expect(refusal("vyqnugget7", ["Lo Ko", "lo.ko@vyq.test"])).toBeNull();
    expect(refusal("vyqnugget7", ["Lo Ko"])).toBeNull();
  });

  test("the name's words run together count too", () => {
    // Strong for anyone else; "quillonzembrowski" is the name "Quillon Zembrowski" without its space.
    expect(refusal("quillonzembrowski")).toBeNull();
    expect(refusal("quillonzembrowski", ["Quillon Zembrowski"])).toEqual({ password: [COMMON] });
    expect(refusal("quillonzembrowski", ["Quillon Zembrowski", "q@example.test"])).toEqual({ password: [COMMON] });
  });

  test("the dictionaries are loaded once and judge every later call the same way", () => {
    for (let i = 0; i < 3; i++) {
      expect(refusal("iloveyou12345")).toEqual({ password: [COMMON] });
      expect(refusal("plum orbit lantern quietly")).toBeNull();
    }
  });
});
