import { stemmer } from "stemmer";

/**
 * The words of a question as both Q&A indexes see them: lower case, split on anything that is not
 * a letter, digit, '#' or '+', function words dropped, English suffixes folded (Porter), so
 * "graphs" meets "graph" and "languages" meets "language".
 */
export const STOP_WORDS = new Set(
  (
    "a about above after again against all am an and any are aren't as at be because been before being below between both but by " +
    "can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further get gets got had " +
    "hasn't has have haven't having he her here hers herself him himself his how i i'm i've if in into is isn't it it's its itself " +
    "just let's me more most my myself no nor not now of off on once only or other ought our ours ourselves out over own same she " +
    "should shouldn't so some such than that that's the their theirs them themselves then there there's these they this those " +
    "through to too under until up use used using very want was wasn't way we we're were weren't what what's when where which " +
    "while who whom why will with won't would wouldn't you you're your yours yourself yourselves anyone someone something any help " +
    "thanks thank please hi hello question questions need trying try tried work working works also like know one"
  ).split(" "),
);

export const tokenize = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{N}#+]+/u).filter(Boolean);

const stems = new Map<string, string>();

/** A token's index form, or null for a function word or a single character. */
export function termOf(token: string): string | null {
  if (token.length < 2 || STOP_WORDS.has(token)) return null;
  let s = stems.get(token);
  if (s === undefined) {
    // Only plain words are stemmed: "c++", "c#", "ipv6" and "2fa" stay as typed.
    s = /^[a-z]{4,}$/.test(token) ? stemmer(token) : token;
    if (stems.size < 200_000) stems.set(token, s);
  }
  return s;
}

/** The index terms of a text, in order, repeats kept. */
export function termsOf(text: string): string[] {
  const out: string[] = [];
  for (const t of tokenize(text)) {
    const s = termOf(t);
    if (s) out.push(s);
  }
  return out;
}
