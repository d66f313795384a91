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
    // Broken features, said plainly: no emotional word, only what does not work.
    () => `${pick(["I can't", "I cant", "can't", "still can't", "I still can't", "unable to", "I'm unable to"])} ${pick(brokenTasks)}${pick(["", ",", "."])} ${pick(["your", "the"])} ${pick(brokenThings)} ${pick(brokenStates)}`,
    () => `${pick(["your", "the", "ur"])} ${pick(brokenThings)} ${pick(brokenStates)} ${pick(["", "again", "since " + f.day(), "all " + pick(["day", "week", "morning"]), "for " + f.dur(), "every time I try to " + pick(brokenTasks)])}`.trim(),
    () => `${pick(["tried", "been trying", "trying"])} to ${pick(brokenTasks)} ${pick(["all morning", "for " + f.dur(), "since " + f.day(), "three times", "on the app and the website"])} and ${pick(["it keeps failing", "it just errors out", "nothing works", "it won't go through", "it says try again later", "it times out"])}`,
    () => `${pick(["error", "error code", "page not found", "something went wrong", "payment failed", "session expired"])} ${pick(["every time I", "whenever I", "when I"])} ${pick(["try to " + pick(brokenTasks), "log in", "hit pay", "open the app"])}`,
    () => `${pick(["the app", "your app", "the website", "the kiosk", "my router", "the card machine"])} ${pick(["took my money and", "charged me and", "logged me out and"])} ${pick(["errored out", "crashed", "then froze", "gave me no confirmation"])}`,
    // Unmet expectations: what was paid for or promised against what happened.
    () => `${pick(["paid for", "paid extra for", "booked", "ordered", "was promised"])} ${pick(paidFor)}, ${pick(["got", "ended up with", "received", "and got"])} ${pick(gotInstead)}`,
    () => `${pick(["was told", "you said", "the website said", "the agent promised", "they told me"])} ${pick(["it would arrive " + f.day(), "someone would call me back", "the refund takes 5 days", "the fee would be waived", "the technician would come " + f.day(), "my bag would be on the next flight"])}. ${pick(["it's been " + f.longDur(), "nothing", "still nothing", "that was " + f.longDur() + " ago", "never happened", "no sign of it"])}`,
    () => `${pick(["supposed to", "meant to", "it was supposed to"])} ${pick(["arrive " + f.day(), "be 2 day shipping", "leave at " + f.time(), "be fixed by " + f.day(), "take 24 hours", "be included"])}${pick([". it's been " + f.longDur(), ". still waiting", ". didn't happen", ", now it's day " + (5 + Math.floor(rand() * 9)), ". nope"])}`,
    () => `${pick(["advertised as", "you sell it as", "the plan says"])} ${pick(["unlimited", "fast", "next day", "free cancellation", "no fees", "all inclusive"])}${pick([" but", ", but", ". yet"])} ${pick(["it's throttled after 10gb", "it took 9 days", "I was charged a fee", "I'm getting 2 mbps", "they want $50 to cancel", "drinks cost extra"])}`,
    () => `${pick(["why did my bill go up", "why was I charged", "why is there a fee", "why did you take"])} ${pick(["$" + f.num().slice(0, 2), "twice", "this month", "with no notice", "for something I cancelled"])}?`,
    () => `${pick(["charged", "you charged me", "got charged", "billed"])} ${pick(["a $" + f.num().slice(0, 2) + " fee", "$" + f.num().slice(0, 3), "a late fee", "an overdraft fee", "for a cancelled order", "for roaming"])} ${pick(["for paying early", "for a bill I paid", "for nothing", "even though I cancelled", "with no warning", "because your transfer was late"])}`,
    // Asking for compensation or money back.
    () => `${pick(["I want", "I'd like", "I expect", "requesting", "I'm asking for", "can I get", "give me"])} ${pick(["a refund", "my money back", "compensation", "a voucher", "the fee back", "a credit on my bill", "the shipping cost back"])} ${pick(["for the " + pick(["wifi that didn't work", "seat I paid for and didn't get", "delay", "outage", "broken item", "missed connection"]), "for this", "", "after " + f.dur() + " on hold", "now"])}`.trim(),
    () => `who ${pick(["is paying for", "pays for", "covers"])} ${pick(["my hotel tonight", "the taxi", "my missed day of work", "the new flight", "the food I had to buy"])}?`,
    () => `${pick(["closing my account", "cancelling my contract", "switching providers", "taking my business elsewhere", "never booking with you again", "done with you"])} ${pick(["", "after this", "because of this", "if this isn't fixed", "after " + f.longDur() + " of this"])}`.trim(),
    // Other sectors customers write to.
    () => `my card ${pick(["got declined", "was declined", "keeps getting declined", "stopped working", "was blocked"])} ${pick(["at the store", "and there's money in the account", "again", "for no reason", "abroad"])}`,
    () => `${pick(["transfer", "payment", "deposit", "direct debit"])} ${pick(["still pending", "is still pending", "hasn't gone through", "bounced", "was taken twice", "went missing"])} ${pick(["since " + f.day(), "after " + f.longDur(), "", "and now I have a fee"])}`.trim(),
    () => `${pick(["locked out of my account", "locked out of the app", "can't access my money"])} ${pick(["and the reset link is expired", "and nobody answers", "for " + f.longDur(), "because the code never comes"])}`,
    () => `${pick(["the technician", "the engineer", "the installer", "the delivery"])} ${pick(["didn't show up", "never showed", "was a no-show", "didn't turn up"])} ${pick(["again", "and I took the day off", "", "for the second time"])}`.trim(),
    () => `${pick(["no signal", "no internet", "no service", "no dial tone", "no hot water", "no power"])} ${pick(["for " + f.longDur(), "since " + f.day(), "again", "all weekend"])}`,
    () => `${pick(["internet", "wifi", "signal", "connection"])} ${pick(["drops", "cuts out", "keeps dropping", "goes down"])} ${pick(["every evening", "every hour", "every time it rains", "all the time"])}`,
    () => `${pick(["the room", "our room", "the hotel room"])} ${pick(["wasn't ready until " + f.time(), "was dirty", "smelled of smoke", "had no hot water", "wasn't the one we booked"])}`,
    () => `${pick(["package", "parcel", "order"])} ${pick(["says delivered", "marked as delivered", "shows out for delivery", "stuck in transit"])} ${pick(["but it's not here", "for " + f.longDur(), "but nothing came", "and nobody can tell me where it is"])}`,
    () => `${pick(["ordered", "bought"])} ${pick(["a table", "a phone case", "a sofa", "two shirts", "a tv"])}, ${pick(["received", "got", "they sent"])} ${pick(["the wrong one", "half of it", "a broken one", "an empty box", "someone else's order"])}`,
    () => `${pick(["the price on the shelf", "the website price", "the advertised price"])} ${pick(["was", "said"])} $${f.num().slice(0, 2)}, ${pick(["charged", "got charged", "paid"])} $${f.num().slice(0, 2)} at ${pick(["the till", "the register", "checkout"])}`,
    () => `${pick(["promo code", "gift card", "voucher", "coupon"])} ${pick(["doesn't work", "won't apply", "says invalid", "was rejected"])} ${pick(["", "at checkout", "and support says try again later"])}`.trim(),
    () => `${pick(["return", "refund", "exchange"])} ${pick(["sent back", "dropped off", "requested"])} ${f.longDur()} ago ${pick(["and still no credit", "and nothing", "and no reply", "still not processed"])}`,
    () => `${pick(["diverted", "stuck", "stranded"])} in ${f.city()} ${pick(["with no info", "overnight", "and no hotel", "for " + f.dur()])}`,
    () => `${pick(["gate changed", "flight moved", "schedule changed"])} ${pick(["3 times", "again", "with no announcement", "and nobody told us"])}`,
    // What the problem costs the customer, and answers that contradict each other.
    () => `${pick(["I'm going to miss", "I missed", "now I'll miss", "I'll be late for"])} ${pick(["my sister's wedding", "my meeting", "my daughter's recital", "the funeral", "my shift", "the concert", "my cruise"])} ${pick(["because of you", "because of this delay", "thanks to your mistake", "because nobody rebooked me", ""])}`.trim(),
    () => `${pick(["the app", "the email", "the website", "one agent", "the confirmation"])} says ${pick(["Tuesday", "gate B4", "it's refunded", "delivered", "I'm booked"])}, ${pick(["the desk", "the app", "the phone rep", "the next agent", "the tracking page"])} says ${pick(["Wednesday", "gate C9", "no refund exists", "in transit", "no booking found"])}${pick([". which one is it", ". which is it?", ". great", ". so which?", ""])}`,
    () => `${pick(["why do I have to", "since when do I have to", "so now I have to", "why should I"])} ${pick(["pay for a carry on", "pay to pick a seat", "call to cancel", "wait 5 days for a transfer", "print my own boarding pass", "go to the branch to change my address"])}${pick(["", " now", "?", " now?"])}`,
    () => `${pick(["my account", "my card", "my online banking", "my booking"])} ${pick(["is frozen", "got frozen", "was suspended", "has been blocked"])} ${pick(["after I tried to upgrade", "for no reason", "and nobody can unlock it", "while I'm abroad", ""])}`.trim(),
    () => `${pick(["first class", "business class", "premium", "a $400 ticket"])} and ${pick(["the meal was a bag of pretzels", "the seat was broken", "no one came by once", "no legroom at all", "the screen didn't work"])}`,
    () => `${pick(["one agent told me", "the phone rep said", "the store said"])} ${pick(["to call", "to go online", "to wait", "it was fine"])}, ${pick(["the next one told me", "the website said", "the branch said", "then I was told"])} ${pick(["to come in", "to call", "the opposite", "it wasn't"])}`,
  ];
  const brokenTasks = [
    "check in", "check in online", "log in", "log into my account", "pay my bill", "see my boarding pass", "download my statement", "activate my card", "reset my password",
    "use my gift card", "cancel my subscription", "book a seat", "track my order", "change my flight", "pay online", "add my bag", "get through to anyone", "make a payment",
    "print my boarding pass", "update my card details", "choose a seat", "apply the promo code", "transfer money", "redeem my points",
  ];
  const brokenThings = ["website", "app", "site", "kiosk", "checkout", "login page", "payment page", "chat", "phone line", "router", "modem", "online check in", "booking page", "card reader", "tracking page"];
  const brokenStates = [
    "isn't working", "is not working", "isnt working", "won't load", "keeps crashing", "keeps freezing", "is down", "is broken", "doesn't work", "just spins", "keeps timing out",
    "won't accept my card", "says error", "keeps saying something went wrong", "logs me out", "won't let me", "crashes every time", "shows a blank page", "is down again", "stopped working",
  ];
  const paidFor = ["extra legroom", "a window seat", "next day delivery", "fast internet", "a sea view room", "premium", "priority boarding", "wifi", "a 4K tv", "two day shipping", "a king bed"];
  const gotInstead = ["a middle seat", "nothing", "a week later", "3 mbps", "a view of the car park", "the same as everyone else", "no wifi at all", "a broken one", "two singles", "a refurbished one"];
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
    () => `${pick(["the", "another", "a lovely"])} ${pick([f.dur(), f.longDur()])} ${pick(["on hold", "wait", "layover", "in the queue", "at the airport", "without internet"])}`,
    () => `${pick(["crashing", "freezing", "logging me out"])} ${pick(["every time I try to " + pick(brokenTasks), "again", "right when I need it"])}`,
    () => `${pick(["charging me", "the $" + f.num().slice(0, 2) + " fee", "the surprise fee", "raising my bill"])} ${pick(["for nothing", "without telling me", "again", ""])}`.trim(),
    () => `${pick(["declining my card", "locking me out", "the no-show technician", "the missing parcel", "the broken " + pick(["blender", "sofa", "phone", "router"])])}`,
  ];
  /** Sarcasm with no trouble word: the situation says it, the praise is ironic. */
  const sarcasticSituations = [
    () => `${f.dur()} at the airport`, () => `${f.dur()} on hold`, () => `${f.dur()} in the queue`, () => `day ${3 + Math.floor(rand() * 9)} without internet`,
    () => `spending my ${pick(["Saturday", "Friday night", "birthday", "weekend", "evening", "holiday"])} ${pick(["at the airport", "on hold", "on the phone with you", "at gate " + pick(["B12", "C4", "A7"]), "in your queue", "waiting for a technician"])}`,
    () => `sleeping on the ${pick(["airport", "terminal", "gate"])} floor`, () => `another night in ${f.city()} I didn't plan`, () => `my ${f.num()}th call about the same bill`,
    () => `a ${pick(["$" + f.num().slice(0, 2), "surprise", "new"])} fee ${pick(["on my bill", "for nothing", "every month"])}`, () => `the same error message ${pick(["all day", "again", "for the fifth time"])}`,
    () => `paying for ${pick(["500mb", "fibre", "premium", "extra legroom"])} and getting ${pick(["20", "dial-up speeds", "nothing", "a middle seat"])}`,
  ];
  const sarcasticTags = [
    "really fun", "so fun", "what fun", "living the dream", "10/10 would recommend", "love that for me", "just what I needed", "what a treat", "best day ever", "can't wait to do it again",
    "cool cool cool", "good to know", "classic", "amazing", "incredible", "thanks a lot", "thanks so much", "great value", "loving it", "fantastic", "#blessed", "awesome", "wonderful",
  ];
  const followups = [
    "again.", "not acceptable.", "unacceptable", "this is the third time.", "what is going on?", "any update?", "please fix this", "can someone help?", "seriously?",
    "ridiculous", "unbelievable", "#fail", "never again", "what now?", "and counting", "why?", "how is this ok?", "do better", "come on", "still nothing", "ugh",
    "so frustrating", "no explanation", "no apology", "nobody cares", "every single time", "#customerservice", "please respond", "what am I supposed to do?", "", "", "", "",
    "🙄", "😤", "😡", "🤦", "#neveragain", "#worst", "fix it", "not ok", "I want my money back", "please sort this out", "this is a joke", "again??",
  ];
  const problem = () => pick(problems)();
  const sadEmoji = ["🙄", "😤", "😡", "🙃", "😒", "🤬", "😠", "👎", "😩", "🤦", "🤦‍♀️", "😑"];
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
          () => `${m} ${pick(sarcasticSituations)()}${pick([". ", ", ", "... ", " - ", "! "])}${pick(sarcasticTags)}${pick(["", " " + pick(sadEmoji), "!"])}`,
          () => `${pick(["oh good", "oh great", "oh joy", "yay", "wow", "fantastic", "ahh yes", "love it"])}${pick([",", ".", "!"])} ${pick(sarcasticSituations)()} ${m}`,
          () => `${m} ${problem()}${pick([". ", ", "])}${pick(sarcasticTags)}`,
          () => `${m} nothing says ${pick(["great service", "we value you", "customer first", "premium"])} like ${pick(gerunds)()}`,
          () => `${m} ${pick(["on hold", "waiting", "in the queue"])} ${pick(["for", "", "again,"])} ${f.dur()}${pick(["... thanks a lot", ". thanks a lot", ", thanks a bunch", ". appreciate it", ". great service", ". you guys are the best"])}`,
          () => `${m} so ${pick(["I guess", "apparently"])} ${pick(["\"on time\" means something else to you", "\"next day\" means next week", "\"unlimited\" means 10gb", "customer service means a bot", "\"fragile\" means nothing", "my time is worth nothing"])}`,
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
    // The same tasks and things the broken-feature complaints name, asked about plainly.
    () => `${pick(["how do I", "how can I", "can I", "is it possible to", "where do I", "what's the best way to"])} ${pick(brokenTasks)}${pick(["?", " online?", " in the app?", " from abroad?", " before " + f.day() + "?"])}`,
    () => `does the ${pick(brokenThings)} ${pick(["work on", "support", "let me"])} ${pick(["an iPad", "Android", "a Mac", "pay with PayPal", "change my seat", "add a second card"])}?`,
    () => `${pick(["what's the difference between", "can you compare"])} the ${pick(["basic and plus plans", "standard and premium rooms", "two routers", "economy and comfort seats", "current and savings accounts"])}?`,
    () => `${pick(["do you", "does your", "will you"])} ${pick(["price match", "cover my area", "deliver on Sundays", "have parking", "offer student discounts", "ship to Canada", "have a branch in " + f.city(), "include breakfast"])}?`,
    () => `${pick(["moving house", "moving", "going abroad", "travelling to Spain", "switching phones"])} ${pick(["on " + f.day(), "next month", f.day()])}, ${pick(["how do I transfer my broadband", "do I need to tell you", "what do I need to do", "can I keep my number"])}?`,
    () => `what ${pick(["time does", "are the hours of"])} ${pick(["the branch", "your store", "the shop on Main St", "the pool", "reception"])} ${pick(["open", "close"])} ${pick(["on Saturday", "tomorrow", "on Christmas Eve", ""])}?`.replace(/\s+\?/u, "?"),
    () => `${pick(["when will", "is"])} the ${pick(["55 inch tv", "blue one", "size 10", "new phone", "garden set"])} ${pick(["be back in stock", "in stock", "available online", "coming back"])}?`,
    () => `${pick(["my new card arrived", "the router arrived", "the technician is booked for " + f.day(), "picked up my order today", "I'm arriving around midnight", "my sim came today"])}${pick(["", ", how do I set it up?", ", what's next?", "."])}`,
    () => `${pick(["what's the daily limit on", "how do I set up", "is there a fee for", "how long does it take for"])} ${pick(["contactless payments", "a standing order", "international transfers", "a refund to show on my card", "a new line", "voicemail"])}?`,
    () => `${pick(["can you check", "could you look at", "can you tell me"])} ${pick(["if my bag made the connection", "the status of my refund", "when my order ships", "if there's an outage in my area", "which terminal my flight leaves from"])}? ${pick(["", "ref " + f.ref(), "order " + f.num(), "thanks", "tag ends " + f.num()])}`.trim(),
    () => `${pick(["DM sent", "sent you a DM", "just DMed you", "emailed you"])} ${pick(["", "with my details", "with my order number", "with the booking ref"])}`.trim(),
    () => `${pick(["just boarded", "at the gate", "heading home", "on my way to the airport", "in the queue at security"])}${pick(["", ", see you in " + f.city(), " for " + f.city()])}`,
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
    () => `${pick(["the tech", "the engineer", "the installer", "the chat agent", "the lady at the branch", "the guy at the store", "the delivery driver"])} ${pick(["fixed it in 20 minutes", "was so patient", "sorted my bill in no time", "went above and beyond", "was really helpful", "carried it all upstairs"])}${pick(["", ", thanks!", ". legend", ". thank you", "!"])}`,
    () => `${pick(["fibre", "the new router", "the new app", "the upgrade", "the new plan"])} ${pick(["is flying", "is so much faster", "works perfectly", "is great"])}${pick(["", " " + pick(happyEmoji), "!", ", great job"])}`,
    () => `${pick(["the refund", "the credit for the outage", "my replacement card", "the exchange"])} ${pick(["came through in a day", "showed up without me asking", "arrived next day", "was so easy"])}${pick(["", ". appreciated", ", thank you", "!"])}`,
    () => `${pick(["caught a fraud charge before I noticed", "waived the fee without me asking", "extended the return window", "upgraded us to a suite", "held the connection for us", "found my lost phone"])}${pick([", thank you", ". amazing", ". you made my day", "!"])}`,
    () => `${pick(["been with you", "been a customer", "flown with you"])} ${pick(["6 years", "a decade", "for years"])} and ${pick(["never had a problem", "you never let me down", "still love it"])}${pick(["", ". keep it up", "!"])}`,
    () => `${pick(["spotless room", "friendly staff", "easy returns", "great prices", "fast delivery", "smooth check in"])}${pick([", will be back", ", love it", "!", ", thanks"])} ${pick(["", pick(happyEmoji)])}`.trim(),
  ];
  const happyEmoji = ["🙌", "❤️", "👍", "😊", "🚀", "💙", "🎉", "👏", "😍"];
  const positive = () => {
    const m = maybe(0.7, f.mention);
    const t = pick(positives)();
    return rand() < 0.7 ? `${m} ${t}` : `${t} ${m}`;
  };

  /** How people decorate a message, applied to every class alike so no decoration is a label. */
  const typos: [RegExp, string][] = [[/\bcan't\b/gu, "cant"], [/\bdon't\b/gu, "dont"], [/\bit's\b/gu, "its"], [/\byou\b/gu, "u"], [/\byour\b/gu, "ur"], [/\bplease\b/gu, "pls"], [/\bthanks\b/gu, "thx"], [/\bI'm\b/gu, "im"], [/\bcancelled\b/gu, "cancled"], [/\breceived\b/gu, "recieved"]];
  const decorate = (s: string) => {
    let t = s;
    if (rand() < 0.25) {
      const [re, to] = pick(typos);
      t = t.replace(re, to);
    }
    const r = rand();
    if (r < 0.08) t = `${t} https://${pick(["t.co", "bit.ly", "example.com"])}/${f.ref().toLowerCase()}`;
    else if (r < 0.16) t = `${t} ${pick(["#travel", "#help", "#customerservice", "#question", "#flying", "#broadband", "#banking", "#delivery"])}`;
    return t;
  };
  const tidy = (s: string) => {
    let t = decorate(s).replace(/\s+/gu, " ").replace(/\s+([,.!?:])/gu, "$1").trim();
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
