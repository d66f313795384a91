/**
 * Text → features for the sentiment model. Shared by training (scripts/train-sentiment.ts) and
 * inference (sentiment-model.ts), so both see exactly the same features.
 *
 * Features are hashed (FNV-1a, 32 bit) into a fixed number of buckets; each one also keeps the
 * word or phrase it came from, so a score can be explained in the customer's own words.
 */

export interface Feature {
  /** Bucket index (before the modulo of the model's size). */
  hash: number;
  /** The words this feature stands for, as shown in an explanation. */
  phrase: string;
  /** Index of the token the feature belongs to (char n-grams are credited to their word). */
  token: number;
}

const NEGATORS = new Set([
  "not", "no", "never", "cannot", "cant", "can't", "dont", "don't", "doesnt", "doesn't", "didnt", "didn't", "isnt", "isn't",
  "wasnt", "wasn't", "arent", "aren't", "werent", "weren't", "wont", "won't", "wouldnt", "wouldn't", "couldnt", "couldn't",
  "shouldnt", "shouldn't", "havent", "haven't", "hasnt", "hasn't", "hadnt", "hadn't", "aint", "ain't", "nothing", "nobody",
  "none", "nowhere", "neither", "nor", "without", "lack", "unable",
]);

/** Politeness and praise words that customers also use ironically ("thanks for nothing"). */
const PRAISE = new Set([
  "thanks", "thank", "thx", "great", "awesome", "love", "nice", "wonderful", "amazing", "fantastic", "brilliant", "perfect", "appreciate", "helpful",
  "fun", "best", "lovely", "glad", "enjoying", "impressive", "cool",
]);
/**
 * Words that say something went wrong in a customer's dealing with a company. Praise next to
 * them is most often sarcasm ("great job… on hold for 2 hours"); the model learns how much.
 */
const TROUBLE = new Set([
  "hold", "waiting", "wait", "waited", "hours", "hour", "hrs", "mins", "minutes", "delayed", "delay", "cancelled", "canceled",
  "late", "lost", "still", "nothing", "never", "broken", "stuck", "charged", "missed", "nobody", "worst", "ruined", "useless",
  "outage", "down", "error", "crashed", "crashing", "declined", "fee", "queue", "expired", "frozen", "disconnected", "airport",
]);

const URL_RE = /https?:\/\/\S+|www\.\S+/giu;
const TOKEN_RE =
  /<url>|<user>|[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[:;=8][-o^']?[)(\]\[dpo/\\|*]+|[)(\]\[dpo/\\|*]+[-o^']?[:;=]|<3+|[!?]+|\p{Extended_Pictographic}/giu;
const SCOPE_END = /^[!?]+$/u;

export interface Tokens {
  /** Normalised tokens, in order; negated ones carry a "¬" prefix. */
  tokens: string[];
  /** The same tokens without the negation mark, for display. */
  plain: string[];
}

function normalise(text: string) {
  return text
    .normalize("NFKC")
    .replace(URL_RE, " <url> ")
    .replace(/@\w+/gu, " <user> ")
    .replace(/[’‘`]/gu, "'")
    .replace(/&amp;/gu, "&")
    .toLowerCase()
    // "soooo" → "soo": elongation is a signal, but one spelling of it.
    .replace(/(\p{L})\1{2,}/gu, "$1$1");
}

/** Splits into tokens and marks the words in a negation's scope (up to the next punctuation). */
export function tokenizeForSentiment(text: string): Tokens {
  const norm = normalise(text);
  const tokens: string[] = [];
  const plain: string[] = [];
  let negated = false;
  let last = 0;
  for (const m of norm.matchAll(TOKEN_RE)) {
    const gap = norm.slice(last, m.index);
    last = m.index! + m[0].length;
    if (/[.,;:()"]/u.test(gap)) negated = false;
    let t = m[0];
    if (/^\d+$/u.test(t)) t = t.length > 2 ? "<num>" : t;
    if (SCOPE_END.test(t)) {
      negated = false;
      t = t.length > 1 ? t.slice(0, 2) : t;
      tokens.push(t);
      plain.push(t);
      continue;
    }
    const isNeg = NEGATORS.has(t) || t.endsWith("n't");
    tokens.push(negated && !isNeg ? `¬${t}` : t);
    plain.push(t);
    if (isNeg) negated = true;
  }
  return { tokens, plain };
}

/** FNV-1a over the UTF-16 code units, with a namespace per feature kind. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const CHAR_MIN = 3;
const CHAR_MAX = 5;

/** Word → valence (about −4…4), as in the VADER lexicon the model file carries. */
export type Lexicon = ReadonlyMap<string, number>;

/**
 * All features of a text: words (negation-marked), word pairs and triples, character n-grams inside
 * words, and cues. Praise in a message that also speaks of trouble ("thanks for nothing", "great
 * job… on hold for 2 hours") is read as its own kind of word ("~thanks"), so sincere thanks do not
 * lend it their weight; the cue itself is a feature too.
 *
 * With a lexicon, each word in it also yields its valence class ("l:-2", negated "l:¬-2", praise
 * next to trouble "l:~3"), and the message its net valence ("x:lexnet:-3"): a handful of features
 * shared by thousands of words, so a word the training tweets rarely or never used ("filthy",
 * "shameful") still pulls its way.
 *
 * Shapes of a service problem that need no emotional word ("still no refund", "2 hours", "where is
 * my bag?") are features of their own (problemCues), shared by every wording of them.
 */
export function extractFeatures(text: string, lexicon?: Lexicon): Feature[] {
  const { tokens: raw, plain } = tokenizeForSentiment(text);
  const praiseAt = plain.findIndex((p) => PRAISE.has(p));
  const troubleAt = plain.findIndex((p) => TROUBLE.has(p));
  const sarcastic = praiseAt >= 0 && troubleAt >= 0;
  const tokens = sarcastic ? raw.map((t, i) => (PRAISE.has(plain[i]!) ? `~${t}` : t)) : raw;
  const out: Feature[] = [];
  let lexNet = 0;
  const add = (key: string, phrase: string, token: number) => out.push({ hash: fnv1a(key), phrase, token });
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const p = plain[i]!;
    add(`w:${t}`, t.startsWith("¬") ? `${prevNegator(plain, i)}… ${p}` : p, i);
    if (i > 0) add(`b:${tokens[i - 1]}_${t}`, `${plain[i - 1]} ${p}`, i);
    if (i > 1) add(`t:${tokens[i - 2]}_${tokens[i - 1]}_${t}`, `${plain[i - 2]} ${plain[i - 1]} ${p}`, i);
    const valence = lexicon?.get(p);
    if (valence !== undefined) {
      const mark = t.startsWith("¬") ? "¬" : t.startsWith("~") ? "~" : "";
      add(`l:${mark}${Math.max(-3, Math.min(3, Math.round(valence)))}`, mark === "¬" ? `${prevNegator(plain, i)}… ${p}` : p, i);
      // A negated word counts half and reversed ("not bad" is mildly good); ironic praise not at all.
      if (mark === "¬") lexNet -= valence / 2;
      else if (!mark) lexNet += valence;
    }
    if (/^[\p{L}]{4,}$/u.test(p) && !t.startsWith("~")) {
      const w = `<${p}>`;
      for (let n = CHAR_MIN; n <= CHAR_MAX; n++) for (let k = 0; k + n <= w.length; k++) add(`c:${w.slice(k, k + n)}`, p, i);
    }
  }
  if (lexicon) add(`x:lexnet:${Math.max(-4, Math.min(4, Math.round(lexNet)))}`, "", -1);
  if (!tokens.length) add("empty", "", 0);
  if (sarcastic) add("x:praise+trouble", `${plain[praiseAt]} … ${plain[troubleAt]}`, praiseAt);
  for (const c of problemCues(plain)) add(c.key, c.phrase, c.token);
  if (text.length > 0 && text === text.toUpperCase() && /\p{L}{4}/u.test(text)) add("x:allcaps", "ALL CAPS", 0);
  add("bias", "", -1);
  return out;
}

function prevNegator(plain: string[], i: number) {
  for (let j = i - 1; j >= 0; j--) if (NEGATORS.has(plain[j]!) || plain[j]!.endsWith("n't")) return plain[j]!;
  return "not";
}

const TIME_UNITS = new Set(["hour", "hours", "hr", "hrs", "minute", "minutes", "min", "mins", "day", "days", "week", "weeks", "month", "months"]);
const AMOUNTS = /^(?:\d+|<num>|an?|one|two|three|four|five|six|seven|eight|nine|ten|few|several|many|couple)$/u;
const WH_TROUBLE = new Set(["why", "where", "how"]);

/**
 * Shapes of a service problem that need no emotional word: "still" followed closely by a negation
 * or a wait ("still no refund", "still hasn't arrived", "still waiting"), a duration ("2 hours",
 * "three days"), "why/where … my/is/did" questions ("where is my bag?").
 */
export function problemCues(plain: readonly string[]): { key: string; phrase: string; token: number }[] {
  const out: { key: string; phrase: string; token: number }[] = [];
  for (let i = 0; i < plain.length; i++) {
    const p = plain[i]!;
    if (p === "still") {
      for (let j = i + 1; j < Math.min(plain.length, i + 4); j++) {
        const q = plain[j]!;
        if (NEGATORS.has(q) || q.endsWith("n't") || q === "waiting" || q === "nothing") {
          out.push({ key: "x:still-not", phrase: plain.slice(i, j + 1).join(" "), token: i });
          break;
        }
      }
    }
    if (TIME_UNITS.has(p) && i > 0 && AMOUNTS.test(plain[i - 1]!)) out.push({ key: "x:duration", phrase: `${plain[i - 1]} ${p}`, token: i });
    if (WH_TROUBLE.has(p) && plain.slice(i + 1, i + 4).some((q) => q === "my" || q === "still" || q === "nobody" || q === "no")) out.push({ key: `x:wh-trouble`, phrase: plain.slice(i, i + 3).join(" "), token: i });
  }
  return out;
}
