/**
 * Questions people at Atrium Labs asked each other over the last ten weeks, and the answers they
 * got — written by hand. `month` places a question in the current month (a fraction of the time
 * since the month began, at most 20 days back), `daysAgo` further back; an answer comes `after`
 * hours from someone in `dept` (the asker's own department when omitted).
 */

export interface QuestionSeed {
  dept: string;
  title: string;
  body: string;
  when: { month: number } | { daysAgo: number };
  answer?: { dept?: string; after: number; text: string; accepted?: boolean };
}

export const QUESTIONS: QuestionSeed[] = [
  {
    dept: "Customer Support", when: { month: 0.1 },
    title: "Who can issue a credit when a customer was billed twice for the same seats?",
    body: "Umbrella Retail's March invoice charges 40 seats twice. I can see it in the billing history but have no button to refund. Do I raise it with Finance, and is there an SLA I can quote to the customer?",
    answer: { dept: "Finance Operations", after: 0.6, accepted: true, text: "Raise it in #billing-ops with the invoice number. Carlos or I issue the credit note the same day; the refund lands in 5–7 working days for card payments and up to 10 for bank transfers." },
  },
  {
    dept: "Sales", when: { month: 0.15 },
    title: "Okta group sync for Globex: which SAML attributes do we map?",
    body: "Globex's IT team wants groups pushed from Okta so their managers land in the right Atrium teams. What attribute names does our SAML integration read, and is `groups` enough?",
    answer: { dept: "Identity & Security", after: 2, accepted: true, text: "Map `email`, `firstName`, `lastName` and `groups` (multi-valued). Groups only become teams if the team already exists and the name matches exactly — send them the SSO runbook, section 4." },
  },
  {
    dept: "Marketing", when: { month: 0.2 },
    title: "Has legal signed off the new pricing page wording?",
    body: "I have a draft for the invoicing launch that mentions \"unlimited invoices on Business\". Before it goes to design I'd like to know whether legal has seen it.",
    answer: { dept: "Product", after: 5, text: "Not yet — Mateo sent it to legal on Monday. Avoid \"unlimited\": the fair-use cap is 10,000 invoices a month, so say \"no per-invoice fees\" instead." },
  },
  {
    dept: "Customer Support", when: { month: 0.25 },
    title: "Can we look up a customer's past invoices ourselves?",
    body: "On chat people often ask for a copy of an invoice from last year. Right now I forward every one of these to Finance.",
    answer: { dept: "Finance Operations", after: 3, accepted: true, text: "Yes: in the admin console open the account, then Billing → Invoices. Support has read access since October. Credits and refunds still need us." },
  },
  {
    dept: "Sales", when: { month: 0.3 },
    title: "Retention period for application logs, for a security questionnaire",
    body: "A prospect in banking asks how long we keep application and audit logs, and whether they can ask us to delete them early.",
    answer: { dept: "Identity & Security", after: 20, text: "Application logs 30 days, audit logs 13 months (that's in the SOC 2 report, control CC7.2). Early deletion only for audit logs at contract end. The trust portal has the wording you can paste." },
  },
  {
    dept: "Engineering", when: { month: 0.35 },
    title: "New starter on Monday — how early should I order their laptop?",
    body: "Someone joins the Data team next Monday, remote from Toronto. Is it too late for a laptop to reach them?",
    answer: { dept: "People & HR", after: 1, accepted: true, text: "Order through the IT portal today and tick \"express\". Toronto deliveries take two working days; if it's late we courier a loaner from the office." },
  },
  {
    dept: "Customer Support", when: { month: 0.4 },
    title: "CSV imports over 10 MB time out — is anyone on it?",
    body: "Three tickets this week, all the same: the upload spins and then fails after a minute. Customers split the file as a workaround. Is there a bug open?",
    answer: { dept: "Engineering", after: 8, accepted: true, text: "Yes, PLAT-812. The import runs inside the request; we are moving it to a background job, due in the next release. Until then 10 MB chunks are the right advice." },
  },
  {
    dept: "Marketing", when: { month: 0.45 },
    title: "Who is presenting the product demo in the invoicing launch webinar?",
    body: "We have 240 sign-ups for the webinar on the 12th. I need a presenter for the 15-minute demo and someone for Q&A.",
    answer: { dept: "Product", after: 26, text: "Zoe will do the demo; I'll take Q&A with Hamid from Solutions Engineering for the technical questions." },
  },
  {
    dept: "Leadership", when: { month: 0.5 },
    title: "How do we handle a strategic customer emailing their account manager about an outage?",
    body: "Globex's CFO wrote to Olivia directly about last Tuesday's slowness. What is the process so the right people see it and the customer gets one answer?",
    answer: { dept: "Customer Support", after: 0.5, accepted: true, text: "Log it as an insight with the account set — the strategic-accounts rule routes it to Technical Support with a one-hour SLA. Olivia stays the single voice to the customer; we brief her." },
  },
  {
    dept: "Product", when: { month: 0.55 },
    title: "Why does the mobile app sign people out after five minutes?",
    body: "App Store reviews this week keep mentioning it. Was the session timeout changed in 4.2?",
    answer: { dept: "Engineering", after: 4, text: "It was: the refresh token now rotates, and a race on resume drops it. A fix is in review; 4.2.1 goes out on Thursday." },
  },
  {
    dept: "Sales", when: { month: 0.6 },
    title: "Commission on a mid-quarter switch from monthly to annual",
    body: "Hooli moved from monthly to annual in week 7. Is the commission on the full annual value or only the uplift?",
    answer: { dept: "Finance Operations", after: 30, text: "On the uplift only: the annual contract value minus what the monthly plan would have billed for the rest of the year. Hana can run the numbers for you." },
  },
  {
    dept: "Customer Support", when: { month: 0.65 },
    title: "Someone posted praise for the Leeds store on LinkedIn — do we reply?",
    body: "It's a lovely post and has 300 likes already. Does Social Care reply, or Marketing?",
    answer: { dept: "Marketing", after: 1.5, accepted: true, text: "Social Care replies within the day; Jess will reshare it from the company page. Log it as an insight too so the store team hears about it." },
  },
  {
    dept: "Finance Operations", when: { month: 0.7 },
    title: "Can the dunning emails go out in German for DACH customers?",
    body: "Felix says two customers in Munich ignored our English payment reminders.",
    answer: { dept: "Engineering", after: 50, text: "The email templates are localised already; the account just needs its language set to German. We can bulk-update DACH accounts if you send me the list." },
  },
  {
    dept: "People & HR", when: { month: 0.75 },
    title: "Is there a Kubernetes person who could interview for the SRE role?",
    body: "We have three final-round candidates next week and need a second technical interviewer.",
    answer: { dept: "Engineering", after: 6, accepted: true, text: "Mei Lin and I can split them. Put us on Tuesday and Thursday afternoons, London time." },
  },
  {
    dept: "Identity & Security", when: { month: 0.8 },
    title: "Does anyone still use the shared marketing Twitter password?",
    body: "Our password manager audit flagged a shared credential for @atrium_help. We want to move it to SSO-backed access.",
    answer: { dept: "Marketing", after: 3, text: "Jess and Luis use it daily. If the social tool supports SSO we can switch this week — it does, on the business plan we already pay for." },
  },
  {
    dept: "Engineering", when: { month: 0.85 },
    title: "What's the right way to get read access to the production replica?",
    body: "I'm investigating slow report queries and want to look at real query plans.",
    answer: { dept: "Identity & Security", after: 0.8, accepted: true, text: "Request the `db-readonly` role in the access portal; it's approved by your manager and expires after 7 days. Never copy rows out of the replica." },
  },
  {
    dept: "Product", when: { month: 0.9 },
    title: "Which customers asked for approval workflows on invoices?",
    body: "I'm sizing the approvals feature for next quarter and would like to talk to five customers who asked for it.",
  },
  {
    dept: "Sales", when: { month: 0.95 },
    title: "Can a prospect run their proof of concept on EU data residency?",
    body: "A German insurer wants a 30-day trial but only if data stays in Frankfurt.",
  },
  {
    dept: "Marketing", when: { daysAgo: 24 },
    title: "Are we allowed to name Initech in the case study draft?",
    body: "Their team lead agreed on a call, but I don't have anything in writing.",
    answer: { dept: "Sales", after: 10, accepted: true, text: "Not yet — their contract needs written approval from procurement for logo use. I'll ask their champion to email you; it usually takes a week." },
  },
  {
    dept: "Engineering", when: { daysAgo: 25 },
    title: "Flaky end-to-end test in the checkout suite",
    body: "`billing-upgrade.e2e` fails about one run in ten on CI, never locally. Has anyone looked at it?",
    answer: { after: 3, text: "It waits for a fixed 500 ms before clicking. I replaced it with waiting for the price to render; PR is up." },
  },
  {
    dept: "Customer Support", when: { daysAgo: 27 },
    title: "Escalation path at night for an enterprise outage",
    body: "If a strategic customer calls at 2 am London time about an outage, who do I page?",
    answer: { dept: "Engineering", after: 2, accepted: true, text: "Page the platform on-call through the incident bot (`/incident start`). It also pulls in the support duty manager. The runbook has the phone fallback." },
  },
  {
    dept: "Finance Operations", when: { daysAgo: 29 },
    title: "Why does the revenue dashboard disagree with the ledger by €3,400?",
    body: "November's recognised revenue is off by exactly €3,412.50 between the two.",
    answer: { dept: "Engineering", after: 28, text: "The dashboard converts at the daily rate, the ledger at month-end. A GBP invoice from the 3rd explains most of it. I'll add a note on the dashboard." },
  },
  {
    dept: "Product", when: { daysAgo: 31 },
    title: "User research volunteers among our own finance team?",
    body: "Leah needs three people who pay supplier invoices for a 45-minute interview about approvals.",
    answer: { dept: "Finance Operations", after: 5, accepted: true, text: "Ananya and Carlos are happy to help. Thursday mornings work best for us." },
  },
  {
    dept: "People & HR", when: { daysAgo: 33 },
    title: "Parental leave policy for contractors in Portugal",
    body: "A long-term contractor in Lisbon is expecting a baby. What do we offer?",
    answer: { after: 40, text: "Contractors aren't covered by the employee policy, but we pause their contract without penalty and keep the role open. Sofia approved this case already." },
  },
  {
    dept: "Sales", when: { daysAgo: 35 },
    title: "Discount approval above 20% — who signs?",
    body: "Umbrella Retail wants 25% off a three-year deal.",
    answer: { dept: "Leadership", after: 7, accepted: true, text: "Anything over 20% needs me, over 30% needs Amara too. Send the deal desk form with the three-year revenue and I'll look today." },
  },
  {
    dept: "Engineering", when: { daysAgo: 37 },
    title: "Is the search index rebuilt after a restore from backup?",
    body: "We tested restoring last night's backup to staging and search returned stale results.",
    answer: { after: 12, text: "It is rebuilt at start-up, but staging kept the old index volume. Delete the volume before restoring and it matches." },
  },
  {
    dept: "Identity & Security", when: { daysAgo: 39 },
    title: "Phishing report: fake invoice email with our logo",
    body: "Two customers forwarded an email that looks like our invoice but links to a look-alike domain.",
    answer: { dept: "Marketing", after: 4, text: "We'll post a warning on the status page and the blog. Can you send me the domain so I can report it to the registrar?" },
  },
  {
    dept: "Customer Support", when: { daysAgo: 41 },
    title: "Macro for customers who lost two-factor access",
    body: "We get a few a week. The current reply is long and people still get stuck.",
    answer: { dept: "Identity & Security", after: 24, accepted: true, text: "Use the recovery-code flow first; only if they don't have codes, verify ownership by a signed email from their admin. I rewrote the macro in the help centre — shorter, with a screenshot." },
  },
  {
    dept: "Marketing", when: { daysAgo: 43 },
    title: "Brand colours for the Atrium booth at FinOps Summit",
    body: "The printer needs CMYK values; our brand guide only has hex and RGB.",
    answer: { dept: "Product", after: 2, accepted: true, text: "Freya added a print section to the design system: primary is C82 M45 Y0 K12. Ask her for the PDF with the spot colours." },
  },
  {
    dept: "Leadership", when: { daysAgo: 45 },
    title: "Where do we stand on the SOC 2 Type II audit?",
    body: "The board meets on the 20th and will ask.",
    answer: { dept: "Identity & Security", after: 16, text: "Fieldwork is finished, no exceptions so far; the report is due in three weeks. Two minor observations on access reviews, both already fixed." },
  },
  {
    dept: "Finance Operations", when: { daysAgo: 48 },
    title: "Payroll cut-off moved this month?",
    body: "I heard December payroll closes early because of the holidays. Which date?",
    answer: { dept: "People & HR", after: 1, accepted: true, text: "The 15th for expenses and overtime, salaries pay on the 20th. We emailed everyone on Friday." },
  },
  {
    dept: "Engineering", when: { daysAgo: 50 },
    title: "Guidelines for adding a new npm dependency",
    body: "I'd like to add a date library to the web app. Is there a process?",
    answer: { after: 6, accepted: true, text: "Check it's maintained, licence is MIT/Apache/BSD, and write a short decision record. Prefer what the platform already ships (Intl gets you far)." },
  },
  {
    dept: "Product", when: { daysAgo: 52 },
    title: "How many customers use the legacy reports page?",
    body: "Thinking of retiring it next quarter.",
    answer: { dept: "Engineering", after: 9, text: "About 140 accounts opened it in the last 30 days, 12 of them weekly — mostly Enterprise. I'll send you the list." },
  },
  {
    dept: "Sales", when: { daysAgo: 55 },
    title: "Reference customer in retail for an APAC prospect",
    body: "A supermarket chain in Singapore wants to speak to a retail customer using single sign-on.",
    answer: { dept: "Customer Support", after: 30, text: "Umbrella Retail has been happy since their SSO issue was fixed; their IT lead has done references before. Check with Charlotte first, it's her account." },
  },
  {
    dept: "People & HR", when: { daysAgo: 57 },
    title: "Desk booking for the London office during the refurbishment",
    body: "The third floor closes for four weeks. How do teams book desks?",
    answer: { after: 3, text: "Everyone books through the office app; each team has two fixed days. Engineering gets Tuesday and Thursday." },
  },
  {
    dept: "Customer Support", when: { daysAgo: 59 },
    title: "Tone guidance for replying to angry tweets",
    body: "A customer tweeted in capitals about a wrong invoice. How formal should we be in public?",
    answer: { dept: "Marketing", after: 2, accepted: true, text: "Short, warm, own it, move to DM: \"Sorry about this — we're on it. Could you DM us your account email?\" Never argue numbers in public." },
  },
  {
    dept: "Identity & Security", when: { daysAgo: 61 },
    title: "Rotating the Stripe API keys without failed payments",
    body: "Our yearly key rotation is due. Last time two webhooks failed in the switch.",
    answer: { dept: "Finance Operations", after: 22, text: "Create the new key, deploy it, and keep the old one active for 24 hours. Tell us the window so we watch failed payments." },
  },
  {
    dept: "Marketing", when: { daysAgo: 63 },
    title: "Google Ads spend for the invoicing campaign",
    body: "We have €15k for July. Split evenly across the UK, Germany and the Netherlands?",
    answer: { dept: "Sales", after: 48, text: "Germany brings twice the pipeline per euro. I'd go 30/50/20 and revisit after two weeks." },
  },
  {
    dept: "Engineering", when: { daysAgo: 66 },
    title: "Time zones in the digest email look wrong for Sydney",
    body: "Colleagues in Sydney get \"yesterday\" for things that happened this morning their time.",
    answer: { after: 5, accepted: true, text: "The digest formatted dates in UTC. Fixed to use the reader's profile time zone; it ships with tonight's deploy." },
  },
  {
    dept: "Finance Operations", when: { daysAgo: 68 },
    title: "Which cost centre for the new design tool licences?",
    body: "Product ordered eight seats. Is that Product's budget or shared tooling?",
  },
];
