/**
 * Writes many varied customer-service messages for training the sentiment model: complaints with
 * and without an emotional word (a service problem × the thing it happened to × how long × the
 * frame around it, including sarcastic thanks), neutral questions, requests and plain statements
 * about the same nouns, and sincere praise — some of it about problems that were put right, so
 * neither a noun nor "thanks" nor "delay" is a label by itself.
 *
 *   npx tsx scripts/customer-service-sentences.ts [count-per-class] > sentences.jsonl
 *
 * scripts/train-sentiment.ts imports generateCustomerSentences(); the output is not committed.
 * Written from the kinds of problems customers report (airline, delivery, telecom, bank, shop),
 * not from any labelled set we evaluate on. Deterministic: the same seed gives the same lines.
 */
import { fileURLToPath } from "node:url";
import { rng } from "../bench/qa-common.js";
import type { Label } from "../server/insights/eval-metrics.js";

export interface GeneratedRow {
  text: string;
  label: Label;
}

type Pick = <T>(xs: readonly T[]) => T;

/** Small fillers shared by every frame. */
function fillers(pick: Pick, rand: () => number) {
  const num = () => String(100 + Math.floor(rand() * 8900));
  const ref = () => Array.from({ length: 6 }, () => "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[Math.floor(rand() * 32)]).join("");
  const city = () => pick(["Boston", "Denver", "Chicago", "Dallas", "NYC", "LAX", "Newark", "Houston", "Atlanta", "Miami", "Seattle", "Phoenix", "Orlando", "Vegas", "DC", "Philly", "SFO", "Austin", "Nashville", "London", "Toronto", "Charlotte"]);
  const day = () => pick(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "tomorrow", "tonight", "next week", "the 14th", "March 3rd"]);
  const time = () => `${1 + Math.floor(rand() * 12)}${pick([":05", ":30", ":45", "", ":15"])}${pick(["am", "pm", " am", " pm", ""])}`;
  const dur = () =>
    pick([
      `${2 + Math.floor(rand() * 5)} hours`, `${1 + Math.floor(rand() * 4)} hrs`, `${20 + 5 * Math.floor(rand() * 20)} minutes`, `${30 + 5 * Math.floor(rand() * 12)} mins`,
      "an hour", "over an hour", "two hours", "three hours", "45 min", "90 minutes", "all morning", "all day", "half the day",
    ]);
  const longDur = () => pick([`${2 + Math.floor(rand() * 5)} weeks`, `${3 + Math.floor(rand() * 20)} days`, "a month", "two months", "three weeks", "since last week", `since ${pick(["Monday", "Friday", "January", "the 2nd"])}`]);
  const mention = () => pick(["@AcmeAir", "@skyline", "@FlyNorth", "@blueway_air", "@JetCo", "@parcelgo", "@QuickShip", "@telco_help", "@NetLink", "@mybank", "@ShopRight", "@AcmeAir", "@skyline", "@FlyNorth", "@JetCo"]);
  return { num, ref, city, day, time, dur, longDur, mention };
}

export function generateCustomerSentences(seed = 20261206, perClass = 1500): GeneratedRow[] {
  const rand = rng(seed);
  const pick: Pick = (xs) => xs[Math.floor(rand() * xs.length)]!;
  const f = fillers(pick, rand);
  const maybe = (p: number, s: () => string) => (rand() < p ? s() : "");

  // --- problems, as a customer would state them (most with no emotional word) -----------------
  const problems: (() => string)[] = [
    () => `flight ${f.num()} delayed ${f.dur()}`,
    () => `my flight has been delayed ${pick(["again", "three times", "twice", `another ${f.dur()}`, `${f.dur()} now`])}`,
    () => `flight cancelled and no rebooking`,
    () => `my flight to ${f.city()} got ${pick(["cancelled", "canceled", "Cancelled Flighted"])} and ${pick(["nobody", "no one"])} ${pick(["told us why", "can rebook me", "is at the desk", "answers the phone"])}`,
    () => `been on hold for ${f.dur()}`,
    () => `on hold ${f.dur()} and ${pick(["the call dropped", "still no agent", "then it hung up", "counting"])}`,
    () => `${f.dur()} on hold ${pick(["just to be disconnected", "and nobody picked up", "and then transferred to the wrong team", ""])}`.trim(),
    () => `still no refund ${pick(["after " + f.longDur(), f.longDur(), "for my cancelled flight", "for the order I returned", ""])}`.trim(),
    () => `where is my ${pick(["bag", "luggage", "suitcase", "refund", "parcel", "order", "package", "money"])}${pick(["?", "??", "", " ?"])}`,
    () => `my ${pick(["bag", "luggage", "suitcase"])} ${pick(["didn't make it to", "never arrived in", "is still not in", "went missing on the way to", "didn't arrive in", "hasn't arrived in", "did not come off the plane in", "wasn't on the belt in"])} ${f.city()}`,
    () => `my ${pick(["parcel", "package", "order", "refund", "replacement", "new card", "bag", "luggage"])} ${pick(["didn't arrive", "hasn't arrived", "never arrived", "hasn't come", "didn't come", "still hasn't shown up", "never turned up", "did not arrive"])} ${pick(["", "yet", "today", "on " + f.day(), "after " + f.longDur()])}`.trim(),
    () => `${pick(["lost", "you lost"])} my ${pick(["bag", "luggage", "suitcase", "car seat", "stroller"])} ${pick(["and no one can tell me where it is", "on a direct flight", "again", ""])}`.trim(),
    () => `stuck on the ${pick(["tarmac", "plane", "runway"])} for ${f.dur()}`,
    () => `sitting at the gate for ${f.dur()} with no ${pick(["update", "information", "explanation", "announcement"])}`,
    () => `missed my connection ${pick(["because the first flight was late", "in " + f.city(), "and the next flight is tomorrow", ""])}`.trim(),
    () => `no one ${pick(["at the gate", "at the desk", "at the counter", "on the phone", "in chat"])} ${pick(["can help", "knows anything", "for " + f.dur(), "will answer"])}`,
    () => `nobody ${pick(["answers the phone", "has replied to my email", "called me back", "will tell us what is going on"])}`,
    () => `still waiting for ${pick(["a callback", "my refund", "a reply", "my bag", "the replacement", "someone to call me back", "the technician", "an answer"])} ${pick(["after " + f.longDur(), f.longDur(), "", "from " + f.day()])}`.trim(),
    () => `${pick(["you", "they", "the app"])} charged me twice for ${pick(["my ticket", "the same order", "one bag", "the upgrade", "this month"])}`,
    () => `${pick(["your website", "the app", "online check in", "the site", "the booking page"])} ${pick(["won't let me check in", "keeps crashing", "is down again", "has been down all day", "won't load", "keeps giving me an error", "logs me out every time"])}`,
    () => `can't ${pick(["check in", "get through to anyone", "change my flight online", "log in to my account", "get a refund", "pick a seat", "reach anyone"])} ${pick(["", "for " + f.dur(), "since " + f.day(), "and the line is busy"])}`.trim(),
    () => `the ${pick(["parcel", "package", "order", "replacement", "item"])} ${pick(["arrived broken", "came damaged", "says delivered but it is not here", "was left in the rain", "never showed up", "is missing a part"])}`,
    () => `${pick(["got", "received", "they sent me"])} the wrong ${pick(["item", "size", "order", "part", "bill"])} ${pick(["again", "for the second time", ""])}`.trim(),
    () => `my ${pick(["internet", "broadband", "phone line", "wifi", "signal"])} has been down ${f.longDur()}`,
    () => `${pick(["the agent", "the gate agent", "your staff", "the driver", "the rep on the phone", "the flight attendant"])} ${pick(["hung up on me", "was rude to me", "would not help", "just walked away", "laughed at us", "told me it's not their problem"])}`,
    () => `${pick(["overbooked", "bumped me off", "downgraded me on"])} ${pick(["my flight", "the flight", "a flight I paid for"])} ${pick(["with no compensation", "and offered nothing", "", "without asking"])}`.trim(),
    () => `rebooked me on a flight ${f.dur()} later`,
    () => `${pick(["third", "fourth", "fifth"])} time ${pick(["calling", "emailing", "asking", "writing"])} about ${pick(["the same problem", "my refund", "this bill", "my bag", "this order"])}`,
    () => `no ${pick(["wifi", "power outlets", "food", "water", "updates", "crew"])} ${pick(["on a " + f.dur() + " flight", "for " + f.dur(), "and no apology"])}`,
    () => `the ${pick(["seat", "screen", "tray table", "toilet", "air con"])} ${pick(["was broken", "didn't work", "was filthy", "was broken the whole flight"])}`,
    () => `I was promised a ${pick(["call back", "refund", "voucher", "replacement"])} ${f.longDur()} and ${pick(["nothing", "still nothing", "nothing happened", "heard nothing"])}`,
    () => `${pick(["lost", "cancelled", "deleted"])} my ${pick(["reservation", "booking", "seat assignment", "miles"])} ${pick(["without telling me", "and can't find it", "for no reason"])}`,
    () => `${pick(["ordered", "bought", "paid for"])} ${pick(["a phone", "a laptop", "a new router", "a seat upgrade", "two tickets"])} ${pick(["3 weeks ago", "a month ago", "ten days ago", "in January"])} ${pick(["and still nothing", "and it never came", "and never got it", "and no one can tell me where it is"])}`,
    () => `the delivery ${pick(["is late again", "didn't come", "window came and went", "was supposed to be " + f.day()])}`,
    () => `${pick(["delayed", "late", "cancelled"])} again`,
    () => `${f.dur()} ${pick(["in line at the counter", "waiting at baggage claim", "in the queue", "waiting for a gate", "waiting for the crew"])}`,
  ];
  /** Same problems told as "-ing" clauses, for sarcastic frames ("thanks for losing my bag"). */
  const gerunds: (() => string)[] = [
    () => `losing my ${pick(["bag", "luggage", "suitcase", "parcel", "booking"])}`,
    () => `${pick(["cancelling", "canceling"])} my flight ${pick(["without telling me", "at the last minute", "again", ""])}`.trim(),
    () => `keeping me on hold for ${f.dur()}`,
    () => `the ${f.dur()} delay`,
    () => `charging me twice`,
    () => `ignoring my ${pick(["emails", "calls", "messages", "DMs"])}`,
    () => `${pick(["another", "yet another"])} delay`,
    () => `stranding us in ${f.city()}`,
    () => `the ${f.dur()} wait at ${pick(["check in", "baggage claim", "the gate", "security"])}`,
    () => `never calling me back`,
    () => `breaking my ${pick(["suitcase", "stroller", "order"])}`,
    () => `making me miss my connection`,
    () => `the ${pick(["broken", "dirty"])} seat`,
    () => `not answering ${pick(["the phone", "my emails", "for " + f.dur()])}`,
  ];
  const followups = [
    "again.", "not acceptable.", "unacceptable", "this is the third time.", "what is going on?", "any update?", "please fix this", "can someone help?", "seriously?",
    "ridiculous", "unbelievable", "#fail", "never again", "what now?", "and counting", "why?", "how is this ok?", "do better", "come on", "still nothing", "ugh",
    "so frustrating", "no explanation", "no apology", "nobody cares", "every single time", "#customerservice", "please respond", "what am I supposed to do?", "", "", "", "",
  ];
  const problem = () => pick(problems)();
  const end = () => pick([".", "", "!", "!!", "...", " ?", "."]);
  const complaint = (): string => {
    const m = maybe(0.7, f.mention);
    switch (Math.floor(rand() * 9)) {
      case 0:
      case 1:
      case 2:
        return `${m} ${problem()}${end()} ${pick(followups)}`;
      case 3:
        return `${m} ${problem()} and ${problem()}${end()}`;
      case 4:
        return `${m} ${pick(["why is it that", "how is it that", "can you explain why", "why"])} ${problem()}?`;
      case 5:
        return `${problem()} ${m}${end()}`;
      default: {
        // Sarcastic thanks or praise around a problem.
        const praise = pick([
          () => `thanks for ${pick(gerunds)()} ${m}`,
          () => `${m} thanks for nothing. ${problem()}`,
          () => `great job ${m}, ${problem()}`,
          () => `${m} love ${pick(gerunds)()}`,
          () => `nothing like ${pick(gerunds)()} to start the ${pick(["day", "week", "trip", "holiday"])} ${m}`,
          () => `${m} really appreciate ${pick(gerunds)()}`,
          () => `way to go ${m}, ${problem()}`,
          () => `${m} ${problem()}. ${pick(["great.", "thanks a lot.", "awesome.", "perfect.", "brilliant.", "fantastic.", "love it.", "just great."])}`,
          () => `${pick(["awesome service as always", "best airline ever", "another great experience", "wonderful customer service", "amazing service", "five stars"])} ${m}: ${problem()}`,
          () => `${m} ${problem()}, thanks for nothing`,
          () => `wow ${m}, ${problem()}. ${pick(["impressive", "well done", "good job", "nice"])}`,
          () => `so glad I ${pick(["paid extra", "chose you", "flew with you", "booked with you"])} ${m}. ${problem()}`,
          () => `${m} thanks so much for ${pick(gerunds)()}. really`,
        ])();
        return praise;
      }
    }
  };

  // --- neutral: questions, requests and plain statements about the same nouns -----------------
  const neutrals: (() => string)[] = [
    () => `can I change my flight to ${f.day()}?`,
    () => `is flight ${f.num()} on time${pick(["?", " today?", " tonight?"])}`,
    () => `is there a delay on flight ${f.num()}?`,
    () => `what happens if my flight is ${pick(["delayed", "cancelled", "late"])}?`,
    () => `what's the ${pick(["baggage allowance", "carry on limit", "policy for pets", "check in time"])} ${pick(["to " + f.city(), "on international flights", "for basic economy", ""])}?`.replace(" ?", "?"),
    () => `do you fly ${pick(["to", "from"])} ${f.city()}${pick(["?", " yet?", " in the summer?"])}`,
    () => `how do I ${pick(["add a bag to my booking", "request a refund for a cancelled trip", "change my seat", "update my email address", "track my parcel", "get a receipt", "add my miles number", "upgrade"])}?`,
    () => `how long ${pick(["is the wait at security today", "before the flight should I arrive", "does a refund usually take", "does delivery take to " + f.city()])}?`,
    () => `is the ${pick(["lounge", "store", "desk", "counter"])} still open${pick(["?", " at " + f.time() + "?"])}`,
    () => `flying to ${f.city()} ${f.day()}${end()}`,
    () => `my flight is at ${f.time()}${end()}`,
    () => `just checked in for flight ${f.num()}`,
    () => `${pick(["sent", "just sent"])} you a DM with my ${pick(["booking reference", "order number", "confirmation number", "account number"])}`,
    () => `my ${pick(["booking reference", "confirmation code", "order number"])} is ${f.ref()}`,
    () => `please ${pick(["DM me", "follow me so I can DM you", "call me back about booking " + f.ref(), "send me the receipt for flight " + f.num(), "help me change my seat"])}`,
    () => `could you ${pick(["help me change my booking to " + f.day(), "check the status of order " + f.num(), "add a seat for my son to the reservation", "tell me the gate for flight " + f.num()])}?`,
    () => `the ${pick(["parcel", "package", "order", "replacement"])} is due ${f.day()}`,
    () => `I ${pick(["booked", "reserved", "bought"])} ${pick(["two seats", "a ticket", "a return flight", "the basic fare"])} for ${f.day()}`,
    () => `I requested a refund on ${f.day()}, reference ${f.ref()}`,
    () => `${pick(["boarding", "landing", "leaving"])} in ${f.dur()}`,
    () => `any ${pick(["deals", "cheap flights", "direct flights", "seats left"])} to ${f.city()} ${pick(["in March", "this weekend", f.day(), ""])}?`.replace(" ?", "?"),
    () => `I'll ${pick(["call back", "check again", "be at the airport", "pick it up"])} ${f.day()}`,
    () => `heading to ${f.city()} for ${pick(["work", "a wedding", "the weekend", "a conference"])}`,
    () => `what time does the ${pick(["counter", "store", "check in desk", "phone line"])} open${pick(["?", " on Sunday?", " tomorrow?"])}`,
    () => `does the ${pick(["plane", "flight", "fare"])} ${pick(["have wifi", "include a bag", "have power outlets", "include a meal"])}?`,
    () => `I have a ${pick(["question", "quick question"])} about ${pick(["my booking", "my bill", "my order", "baggage", "my account"])}`,
    () => `who do I talk to about ${pick(["a group booking", "travelling with a pet", "a lost item", "changing my name on the ticket"])}?`,
    () => `my ${pick(["bag", "parcel", "order", "refund"])} ${pick(["reference", "number", "tracking number"])} is ${f.num()}`,
    () => `the delivery is booked for ${f.day()} between ${f.time()} and ${f.time()}`,
    () => `I called ${pick(["support", "the help line", "your team"])} ${pick(["this morning", "yesterday", "earlier"])} about my ${pick(["plan", "booking", "order", "card"])}`,
    () => `is it possible to ${pick(["pay with points", "bring a car seat", "change the name on a ticket", "get an aisle seat"])}?`,
    () => `will flight ${f.num()} ${pick(["leave from gate", "board at", "land at"])} ${pick(["B12", "C4", f.time(), "terminal 2"])}?`,
    // Plain facts and questions with the nouns complaints use most.
    () => `my ${pick(["parcel", "package", "order", "new phone", "replacement card", "invoice"])} ${pick(["arrived", "came", "was delivered", "turned up"])} ${pick(["today", "this morning", "on " + f.day(), "yesterday"])}`,
    () => `the ${pick(["parcel", "package", "order", "letter", "bill", "card", "bag"])} ${pick(["arrived", "came", "got here"])} ${pick(["today", "at noon", "this afternoon", "after lunch", "on " + f.day()])}`,
    () => `${pick(["arrived", "landed", "got in"])} in ${f.city()} ${pick(["today", "at " + f.time(), "this morning", "last night"])}`,
    () => `order ${f.num()} was ${pick(["delivered", "shipped", "dispatched", "collected"])} ${pick(["on " + f.day(), "yesterday", "this morning"])}`,
    () => `what is the ${pick(["fee", "price", "charge"])} for ${pick(["a second bag", "a checked bag", "an extra bag", "seat selection", "changing a flight"])}?`,
    () => `my ${pick(["bag", "suitcase", "luggage"])} is ${pick(["checked through to " + f.city(), "the blue one", "23 kg", "a carry on"])}`,
    () => `${pick(["dropped off", "checked"])} my ${pick(["bag", "bags", "luggage"])} ${pick(["at the desk", "at the kiosk", "already"])}`,
    () => `can I ${pick(["bring a stroller on board", "take my bag into the cabin", "check a bike", "carry on a guitar"])}?`,
    () => `how do I ${pick(["pay my bill", "report a lost item", "claim my miles", "reset my password", "set up the app", "change my address"])}?`,
    () => `I ${pick(["paid", "received", "opened"])} the ${pick(["bill", "invoice", "statement"])} ${pick(["today", "this morning", "online"])}`,
    () => `I'm ${pick(["on", "booked on"])} flight ${f.num()} ${pick(["tomorrow", "tomorrow morning", "tonight", "on " + f.day()])}`,
    () => `my connection in ${f.city()} is at ${f.time()}`,
    () => `I ${pick(["ordered", "bought", "booked", "paid for", "signed up for"])} ${pick(["a new phone", "a laptop", "two tickets", "a flight to " + f.city(), "the premium plan", "a new router", "a gift card", "a seat upgrade"])} ${pick(["last week", "last month", "yesterday", "on " + f.day(), "online", "this morning"])}`,
    () => `we ${pick(["ordered", "booked", "bought"])} ${pick(["a table", "the family fare", "three seats", "a sofa", "a return trip"])} ${pick(["last week", "for " + f.day(), "in March", "online"])}`,
    () => `the refund ${pick(["request", "form"])} ${pick(["is sent", "went in " + f.day(), "is number " + f.num()])}`,
  ];
  const neutral = () => {
    const m = maybe(0.7, f.mention);
    const t = pick(neutrals)();
    return rand() < 0.8 ? `${m} ${t}` : `${t} ${m}`;
  };

  // --- praise, including for problems that were put right --------------------------------------
  const positives: (() => string)[] = [
    () => `thanks for ${pick(["the quick rebooking", "getting me on the next flight", "finding my bag", "the upgrade", "sorting out my refund so fast", "the quick reply", "a smooth flight", "waiting for me at the gate", "the help today"])}`,
    () => `great crew on flight ${f.num()} ${pick(["today", "tonight", "this morning"])}`,
    () => `the ${pick(["agent", "gate agent", "crew", "driver", "rep on the phone", "flight attendant"])} ${pick(["at the desk", "in " + f.city(), "", "on my flight"])} was ${pick(["so helpful", "lovely", "amazing", "really kind", "great"])}`.replace("  ", " "),
    () => `landed ${pick(["early", "on time", "20 minutes early"])}${pick([", thanks!", "! great job", ", nice work", ". love it"])}`,
    () => `got my ${pick(["bag", "refund", "parcel", "replacement"])} ${pick(["back", "today", ""])}${pick([", thank you", ", thanks!", " - thanks for the help", ". great service"])}`,
    () => `${pick(["smooth", "great", "lovely", "comfortable", "easy"])} flight to ${f.city()}${pick(["", " today", ", thanks", "!"])}`,
    () => `love the new ${pick(["seats", "app", "lounge", "planes", "website", "snacks"])}`,
    () => `${pick(["support", "the agent", "your team"])} sorted it in ${pick(["five minutes", "no time", "one call"])}${pick([", brilliant", ", thank you", "!", ", great service"])}`,
    () => `best ${pick(["flight", "service", "experience"])} I've had in a while`,
    () => `thank you for rebooking me so quickly after ${pick(["the cancellation", "my flight was cancelled", "the delay"])}`,
    () => `the delay was short and the crew kept us updated${pick([", thanks", ". well done", ""])}`,
    () => `${pick(["kudos", "shout out", "big thanks"])} to ${pick(["the crew", "the team", "Maria", "James", "the pilot"])} ${pick(["on flight " + f.num(), "at the gate", "in " + f.city(), ""])}`.trim(),
    () => `${pick(["you guys rock", "you're the best", "always a pleasure", "great service as always", "never disappoint"])}`,
    () => `on time and ${pick(["great service", "friendly crew", "comfy seats"])}${pick(["", "!", ", thank you"])}`,
    () => `the refund came through${pick([", thank you", ". appreciate it", "!", " quickly, thanks"])}`,
    () => `thanks for ${pick(["fixing", "sorting", "handling"])} ${pick(["my booking", "the billing mistake", "the problem with my account", "my seat"])} ${pick(["so quickly", "", "today"])}`.trim(),
    () => `appreciate the ${pick(["fast reply", "free upgrade", "help", "quick fix", "update"])}${pick(["", "!", ", thanks"])}`,
    () => `can't wait to fly with you again${pick(["", "!"])}`,
    () => `the parcel arrived ${pick(["early", "a day early", "on time", "well packed"])}${pick([", great", ", thank you", "!"])}`,
  ];
  const positive = () => {
    const m = maybe(0.7, f.mention);
    const t = pick(positives)();
    return rand() < 0.7 ? `${m} ${t}` : `${t} ${m}`;
  };

  const tidy = (s: string) => {
    let t = s.replace(/\s+/gu, " ").replace(/\s+([,.!?:])/gu, "$1").trim();
    // Customers write in every case; the model lower-cases anyway, but ALL CAPS is a cue of its own.
    const r = rand();
    if (r < 0.35) t = t.charAt(0).toUpperCase() + t.slice(1);
    return t;
  };
  const out: GeneratedRow[] = [];
  const seen = new Set<string>();
  const fill = (label: Label, make: () => string, n: number) => {
    let tries = 0;
    let made = 0;
    while (made < n && tries++ < n * 20) {
      const text = tidy(make());
      if (seen.has(text.toLowerCase())) continue;
      seen.add(text.toLowerCase());
      out.push({ text, label });
      made++;
    }
  };
  fill("negative", complaint, perClass);
  fill("neutral", neutral, perClass);
  fill("positive", positive, perClass);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = Number(process.argv[2] ?? 1500);
  for (const r of generateCustomerSentences(undefined, n)) process.stdout.write(`${JSON.stringify(r)}\n`);
}
