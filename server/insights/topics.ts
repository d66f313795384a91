/**
 * Customer topics: what a piece of customer feedback is about, recognised from its words with
 * phrase patterns (word forms folded: "delay", "delayed", "delays"), each topic carrying the
 * phrases that drove it. Small and explainable on purpose: a person can read why an insight is
 * "Refund, billing or charges" ("refund", "charged twice") and a rule can route on it.
 *
 * Praise is a topic too, but only when the message reads as praise: the sentiment model's label
 * must be positive (so "thanks for nothing, still no refund" is a refund complaint, not praise).
 *
 * Pure; used by recording (routing), the insight page, the rule preview, recurring issues and
 * `npm run eval:insights`. See docs/decisions/150-customer-topics.md.
 */

import { customerTopicLabel } from "../../app/schemas/insights.js";

export interface TopicDef {
  key: string;
  /** Praise is the only topic that is not a complaint. */
  praise?: boolean;
  /** Phrases that name the topic on their own. */
  patterns: RegExp[];
  /** Words that count only when the message also says something is wrong ("the app" + "won't"). */
  context?: RegExp;
}

// Word boundaries that also work next to "#", "@" and apostrophes.
const W = (body: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, "giu");
/** Up to n words between two parts of a phrase ("lost my checked bag"). */
const gap = (n: number) => `(?:[\\s,]+[\\p{L}\\p{N}'#]+){0,${n}}[\\s,]+`;

const ITEM = "bags?|luggage|baggage|suitcases?|parcels?|packages?|items?|deliver(?:y|ies)|box(?:es)?|shipment|stroller|car ?seat|guitar";
const LOSS = "lost|losing|loses|missing|misplaced|mishandled|damaged|broken|broke|destroyed|ripped|torn|smashed|crushed|wrecked|stolen";
const STAFF = "agents?|staff|employees?|attendants?|crew|rep|reps|representatives?|cashiers?|manager|supervisor|pilot|captain|driver|courier|personnel|people at|lady|guy|woman|man";
const BAD = "rude|rudest|unhelpful|unprofessional|disrespectful|nasty|arrogant|condescending|dismissive|hostile|aggressive|snarky|impolite|mean|clueless|incompetent|useless|horrible|terrible|awful|worst";
const SPAN = "hours?|hrs?|minutes?|mins?|days?|weeks?|months?";
const WEB = "website|web ?site|site|app|apps|online|mobile app|web|page|checkout|portal|link|url|browser";
const NEG = "not|n't|never|no one|nobody|still not|still hasn't|still haven't";

export const TOPICS: readonly TopicDef[] = [
  {
    key: "lost-damaged",
    patterns: [
      W(`(?:${LOSS})${gap(3)}(?:${ITEM})`),
      W(`(?:${ITEM})${gap(3)}(?:${LOSS}|never arrived|didn't arrive|did not arrive|not arrived|hasn't arrived|has not arrived|didn't make it|never made it|left behind)`),
      W(`lost (?:and|&) found|baggage claim|bag claim|baggage (?:office|service)|lost property|where (?:is|are) my (?:${ITEM})`),
    ],
  },
  {
    key: "cancelled",
    patterns: [W(`cancel+(?:ed|ing|s|ation|ations)?|canx|cxld?`)],
  },
  {
    key: "refund-billing",
    patterns: [
      W(`refund(?:s|ed|ing)?|money back|reimburs\\w*|compensat\\w*|chargeback|overcharg\\w*|double[- ]?charged|charged (?:me )?(?:twice|double|again|for)|charg(?:e|ed|es|ing) (?:me|my card|us)|hidden (?:fees?|charges?)|bill(?:ed|ing)|invoic\\w*|fees?`),
    ],
    context: W(`bills?|payments?|paid|pay|credit card|debit(?:ed)?|price|prices|priced|pricing|fares?|voucher|credit|receipt|subscription|\\$\\d+|\\d+ ?(?:dollars|euros|pounds)`),
  },
  {
    key: "account-login",
    patterns: [
      W(`log ?in|login|logged (?:in|out)|log ?on|sign(?:ed|ing)? ?(?:in|on)|password|passcode|username|locked out|(?:account|profile) (?:is |was |got |has been )?(?:locked|blocked|suspended|closed|hacked|deleted|disabled)|verification code|two[- ]factor|2fa`),
    ],
    context: W(`my account|account|frequent flyer|loyalty|rewards?|miles|points|membership|member number|status`),
  },
  {
    key: "website-app",
    patterns: [
      W(`error(?:s| message| code)?|crash(?:es|ed|ing)?|glitch(?:es|y)?|bugs?|buggy|frozen|freez(?:e|es|ing)|not loading|won't load|doesn't load|can't load|timed? ?out|404|down again|is down|went down`),
      W(`(?:${WEB})${gap(3)}(?:not|[\\p{L}]*n't|cannot|never|keeps?|fails?|failing|broken|useless|terrible|awful|sucks)`),
    ],
    context: W(`${WEB}`),
  },
  {
    key: "late-delayed",
    patterns: [
      W(`delay(?:s|ed|ing)?|late|later than|running behind|behind schedule|overdue|still (?:not )?(?:here|arrived|delivered)|(?:hasn't|has not|haven't|have not|never|didn't|did not|not yet) (?:arrived|shown up|turned up|come|been delivered|been shipped|shipped|departed|taken off|left)|missed (?:my|our|the) (?:connection|connecting flight|flight|train|meeting)|misconnect\\w*|sat on the (?:tarmac|runway)|on the tarmac`),
    ],
  },
  {
    key: "waiting-no-reply",
    patterns: [
      W(`on hold|hold (?:times?|music)|(?<!can't |cant |cannot |can not )wait(?:s|ed|ing)?|queue[sd]?|long lines?|lines? (?:is|are|was|were) (?:long|huge|ridiculous)|(?:${NEG}) (?:replied|responded|answered|called (?:me )?back|got back|gotten back|heard back|returned my call)|no (?:reply|response|answer|callback|call back|one answers|one picks up)|nobody (?:answers|picks up|replied|responded|called)|hung up|call(?:ed)? back|can(?:'|no)?t get through|cannot get through|busy signal|disconnected|ignor(?:e|ed|ing) (?:me|my|us)|(?:${SPAN}) (?:on hold|waiting|and counting|later|now)|still waiting`),
    ],
  },
  {
    key: "staff-attitude",
    patterns: [
      W(`rude(?:ly|ness)?|rudest|unhelpful|unprofessional|disrespect(?:ful|ed)?|condescending|arrogant|dismissive|hostile|snarky|impolite|attitude|yell(?:ed|ing)|shout(?:ed|ing)|laughed at|rolled (?:her|his|their) eyes|treated (?:me|us) (?:like|badly|poorly)`),
      W(`(?:${STAFF})${gap(3)}(?:${BAD})|(?:${BAD})${gap(2)}(?:${STAFF})`),
    ],
  },
  {
    key: "booking-order",
    patterns: [
      W(`re-?book(?:ed|ing)?|reservations?|itinerar(?:y|ies)|reschedul\\w*|confirmation (?:number|code|email)|boarding pass(?:es)?|check[- ]?in|seat assignments?|order (?:number|no|#)|standby|waitlist|name change|change (?:my|the|our) (?:flight|booking|order|reservation|seat|date)`),
    ],
    context: W(`book(?:ed|ing|ings)?|tickets?|ticketing|upgrade[sd]?|(?:my|the|an|our|your|this) order|orders|ordered`),
  },
  {
    key: "product-quality",
    patterns: [
      W(`quality|defect(?:s|ive)?|faulty|stopped working|fell apart|falls? apart|cheap(?:ly)? made|flimsy|poorly made|wrong (?:item|size|colou?r|product)|expired|stale|dirty|filthy|smell(?:s|ed|y)|cold food|uncomfortable|cramped|broken (?:seat|screen|tv|toilet|tray)`),
    ],
    context: W(`product|leg ?room|seats?|wi-?fi|entertainment|food|meals?|snacks?|drinks?|plane|aircraft|cabin|toilet|bathroom|tv|screen`),
  },
  {
    key: "praise",
    praise: true,
    patterns: [
      W(`thank(?:s| you| u)|thx|appreciat\\w*|love[ds]?|loving|great|awesome|amazing|excellent|fantastic|wonderful|best|kudos|shout ?out|well done|helpful|smooth|perfect|brilliant|impressed|outstanding|superb|friendly|pleasant|nice|lovely|grateful|happy|glad|delighted|exceeded`),
    ],
  },
];

export const TOPIC_KEYS: readonly string[] = TOPICS.map((t) => t.key);
export const topicLabel = customerTopicLabel;

export interface RecognisedTopic {
  key: string;
  label: string;
  /** The phrases of the message that drove it, as written (lower-cased), first occurrence first. */
  phrases: string[];
  /** Evidence: 2 for a topic phrase, +1 for context words that counted. Strongest first; on a tie the
   * more specific topic (earlier in TOPICS: a lost bag before a late one, a refund before waiting). */
  strength: number;
}

/** Words that make a bare context word ("site", "bill", "booking") count: something is wrong. */
const TROUBLE = W(
  `not|n't|no|never|can(?:'|no)?t|cannot|won't|wont|doesn't|didn't|isn't|error|problem|issues?|fail(?:s|ed|ing)?|broken|wrong|still|again|help|why|unable|trouble|stuck|charged|lost|missing|worst|terrible|horrible|awful|ridiculous|sucks?`,
);

/**
 * The topics of a message, strongest first. `label` is the sentiment label (negative, neutral,
 * positive): praise needs "positive" (with no label: praise only when nothing else is found);
 * complaint topics are found whatever the label (a neutral "my bag never arrived" is still about a
 * lost bag). A topic's context words (e.g. "fare", "app", "seat") count only next to trouble words.
 */
export function recogniseTopics(text: string, label?: string): RecognisedTopic[] {
  // A pure function of text and label (the rules change only with a deploy), asked again for the
  // same texts on every /insights and insight page view: remembered per (label, text), at most
  // TOPICS_MEMO_SIZE answers, cleared whole when full; long texts are worked out each time.
  // Callers must not change the array they get.
  if (text.length > TOPICS_MEMO_MAX_TEXT) return topicsOf(text, label);
  const key = `${label ?? ""}\u0000${text}`;
  let known = topicsMemo.get(key);
  if (!known) {
    known = topicsOf(text, label);
    if (topicsMemo.size >= TOPICS_MEMO_SIZE) topicsMemo.clear();
    topicsMemo.set(key, known);
  }
  return known;
}
const TOPICS_MEMO_SIZE = 5000;
const TOPICS_MEMO_MAX_TEXT = 2000;
const topicsMemo = new Map<string, RecognisedTopic[]>();

function topicsOf(text: string, label?: string): RecognisedTopic[] {
  const t = text.replace(/[’‘`]/gu, "'");
  const out: (RecognisedTopic & { order: number })[] = [];
  const trouble = hits(TROUBLE, t).length > 0;
  TOPICS.forEach((def, order) => {
    if (def.praise && label !== undefined && label !== "positive") return;
    const strong = def.patterns.flatMap((p) => hits(p, t));
    const context = def.context && trouble ? hits(def.context, t) : [];
    if (!strong.length && !context.length) return;
    out.push({ key: def.key, label: customerTopicLabel(def.key), phrases: uniq([...strong, ...context]), strength: (strong.length ? 2 : 0) + (context.length ? 1 : 0), order });
  });
  const found = label === undefined && out.some((x) => x.key !== "praise") ? out.filter((x) => x.key !== "praise") : out;
  return found.sort((a, b) => b.strength - a.strength || a.order - b.order).map(({ order: _o, ...x }) => x);
}

/** Topics that are a complaint by themselves; the others (an invoice, a booking) are often just mentioned. */
const COMPLAINT_TOPICS = new Set(["lost-damaged", "cancelled", "late-delayed", "waiting-no-reply", "staff-attitude", "website-app"]);

/**
 * The topics that speak of a problem: complaint topics, and the others only when the message also
 * says something is wrong ("my invoice arrived" is not a billing complaint; "wrong invoice again" is).
 * The sentiment model uses them as features.
 */
export function troubleTopics(text: string): RecognisedTopic[] {
  const t = text.replace(/[’‘`]/gu, "'");
  const trouble = hits(TROUBLE, t).length > 0;
  return recogniseTopics(text).filter((x) => x.key !== "praise" && (trouble || COMPLAINT_TOPICS.has(x.key)));
}

/** The one topic an insight is filed under in recurring issues: the strongest, or null. */
export function primaryTopic(topics: readonly RecognisedTopic[]): string | null {
  return topics[0]?.key ?? null;
}

function hits(re: RegExp, text: string): string[] {
  re.lastIndex = 0;
  const out: string[] = [];
  for (const m of text.matchAll(re)) out.push(m[0].toLowerCase().replace(/\s+/gu, " "));
  return out;
}

const uniq = (xs: string[]) => [...new Set(xs)].slice(0, 6);
