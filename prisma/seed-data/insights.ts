/**
 * Customer insights for the demo: the accounts, the routing rules an admin of Atrium Labs would
 * have set up, and what customers said — written by hand. The seed posts every insight through the
 * same verbs as the app, so the product's scorer rates the words and the rules route them; nothing
 * here says which team an insight goes to or how it feels.
 */

export const ACCOUNTS = [
  { name: "Globex Corporation", segment: "Enterprise", tier: "strategic" },
  { name: "Initech", segment: "Enterprise", tier: "gold" },
  { name: "Umbrella Retail", segment: "Mid-market", tier: "silver" },
  { name: "Hooli Stores", segment: "SMB", tier: "standard" },
] as const;

export interface RuleSeed {
  name: string;
  teams: string[];
  priority?: "low" | "normal" | "high" | "urgent";
  ackWithin: string;
  resolveWithin: string;
  conditions: Record<string, unknown>;
}

const SOCIAL = ["twitter", "facebook", "instagram", "linkedin", "review_site"];

/** In order: the first matching rule routes (the demo's match mode). A rule whose teams are missing is skipped. */
export const RULES: RuleSeed[] = [
  { name: "Billing complaints", teams: ["Finance Operations"], priority: "high", ackWithin: "30m", resolveWithin: "1d", conditions: { topics: "billing, invoices, refunds" } },
  { name: "Single sign-on problems", teams: ["Identity", "Technical Support"], priority: "urgent", ackWithin: "15m", resolveWithin: "8h", conditions: { topics: "saml, sso" } },
  { name: "Product problems", teams: ["Technical Support"], ackWithin: "2h", resolveWithin: "3d", conditions: { topics: "integrations, login", sentimentAtMost: "-0.3" } },
  { name: "Strategic accounts, any complaint", teams: ["Technical Support"], priority: "high", ackWithin: "1h", resolveWithin: "1d", conditions: { tiers: ["strategic"], sentimentAtMost: "-0.3" } },
  { name: "Praise on social channels", teams: ["Social Care"], priority: "low", ackWithin: "1d", resolveWithin: "7d", conditions: { sentimentAtLeast: "0.3", channels: SOCIAL } },
  { name: "Security and compliance questions", teams: ["Security Operations"], priority: "high", ackWithin: "4h", resolveWithin: "3d", conditions: { topics: "security, soc 2, gdpr" } },
  { name: "Slowness and outages", teams: ["Platform"], priority: "urgent", ackWithin: "30m", resolveWithin: "8h", conditions: { topics: "performance, outage" } },
  { name: "Mobile and web app feedback", teams: ["Web Experience"], ackWithin: "8h", resolveWithin: "5d", conditions: { products: "mobile app, web app" } },
  { name: "Search and reports", teams: ["Data & ML"], ackWithin: "8h", resolveWithin: "5d", conditions: { products: "search, reports" } },
  { name: "Pricing and plans", teams: ["Product Management"], ackWithin: "1d", resolveWithin: "7d", conditions: { topics: "pricing" } },
  { name: "Usability and accessibility", teams: ["Product Design"], ackWithin: "1d", resolveWithin: "7d", conditions: { topics: "usability, accessibility" } },
  { name: "Renewals and contracts", teams: ["Enterprise Sales"], priority: "high", ackWithin: "4h", resolveWithin: "2d", conditions: { topics: "renewal, contract" } },
  { name: "Events and campaigns", teams: ["Growth Marketing"], priority: "low", ackWithin: "1d", resolveWithin: "7d", conditions: { topics: "webinar, website" } },
];

export type Sample = { daysAgo: number; text: string; channel: string; account?: string; topics?: string[]; products?: string[]; source?: string };

/** Story 5: two weeks of insights, including an invoice complaint that keeps coming back. */
export const SAMPLES: Sample[] = [
  // The recurring one: wrong invoices, growing this week.
  { daysAgo: 12, text: "Our March invoice is wrong again: we were charged twice for the same seats.", channel: "email", account: "Initech", topics: ["billing"] },
  { daysAgo: 9, text: "Invoice wrong — charged twice for seats we removed last month. Please fix.", channel: "chat", account: "Umbrella Retail", topics: ["billing"] },
  { daysAgo: 5, text: "@atrium_help your invoices are wrong AGAIN. Charged twice, third month in a row. Terrible.", channel: "twitter", account: "Globex Corporation", topics: ["billing"], source: "https://twitter.com/globex_cfo/status/1850012345678" },
  { daysAgo: 3, text: "Wrong invoice amount again, we were charged twice for the annual plan.", channel: "email", account: "Hooli Stores", topics: ["billing"] },
  { daysAgo: 1, text: "Charged twice on this month's invoice, the amount is wrong. Very frustrating.", channel: "phone", account: "Initech", topics: ["billing"] },
  { daysAgo: 0.2, text: "Is anyone looking at the invoices? Charged twice again, invoice is wrong.", channel: "facebook", topics: ["billing"] },
  // Others.
  { daysAgo: 6, text: "SAML login fails for our Okta users since yesterday's update: 'invalid assertion'.", channel: "email", account: "Globex Corporation", topics: ["saml", "sso"] },
  { daysAgo: 4, text: "Love the new dashboard — our team finally sees everything in one place. Great work!", channel: "linkedin", account: "Initech", products: ["dashboard"] },
  { daysAgo: 2, text: "The CSV import keeps timing out on files over 10 MB.", channel: "chat", account: "Umbrella Retail", topics: ["integrations"], products: ["csv import"] },
  { daysAgo: 0.5, text: "Store staff in Leeds were wonderful and sorted my order in minutes.", channel: "store", topics: ["stores"] },
  { daysAgo: 0.1, text: "<b>Seriously?</b> The app logs me out every five minutes.", channel: "review_site", products: ["mobile app"], topics: ["login"], source: "https://reviews.example.com/atrium/123" },
];

/**
 * Ten weeks of handled insights for the involvement dashboard. `month` places one in the current
 * month (a fraction of the time since the month began, at most 20 days back), `daysAgo` further
 * back; `ack`/`resolve` are hours after posting when the routed team acknowledged and resolved
 * it (null: not yet — the SLA sweep marks those past their deadline).
 */
export type HandledSample = Omit<Sample, "daysAgo" | "source"> & ({ month: number } | { daysAgo: number }) & { ack: number | null; resolve: number | null; /** How it was resolved (the resolve step asks for one). */ note?: string };

export const HANDLED: HandledSample[] = [
  // Finance Operations
  { month: 0.15, text: "We paid invoice INV-20417 by bank transfer on the 2nd and it still shows as overdue.", channel: "email", account: "Umbrella Retail", topics: ["invoices"], ack: 0.4, resolve: 20, note: "Payment matched by hand; the reconciliation job missed a reference with a trailing space." },
  { month: 0.7, text: "Could you send the credit note for the two seats we cancelled? Our auditors are asking.", channel: "email", account: "Initech", topics: ["refunds"], ack: 1.5, resolve: null },
  { daysAgo: 33, text: "The VAT number is missing from our invoices since we moved to annual billing, so finance cannot reclaim it.", channel: "chat", account: "Hooli Stores", topics: ["billing"], ack: 0.3, resolve: 30, note: "Tax ID restored on the invoice template; corrected invoices re-issued for the last two periods." },
  { daysAgo: 58, text: "Thanks for sorting out the currency on our invoices so quickly, much appreciated.", channel: "email", account: "Globex Corporation", topics: ["invoices"], ack: 2, resolve: 3, note: "Thanked them; the currency fix is now the default for all accounts billed in GBP." },
  // Identity (and Technical Support)
  { month: 0.35, text: "Users provisioned through SCIM can't sign in with SSO until an admin resets them. Blocking our rollout.", channel: "email", account: "Globex Corporation", topics: ["sso", "scim"], ack: 0.2, resolve: 6, note: "SCIM now marks provisioned users as SSO-ready; the 37 affected users were fixed in bulk." },
  { month: 0.85, text: "Entra ID keeps rejecting the SAML response: clock skew error in the sign-in logs.", channel: "chat", account: "Initech", topics: ["saml"], ack: 0.5, resolve: null },
  { daysAgo: 45, text: "Google Workspace single sign-on stopped working for one of our subsidiaries overnight.", channel: "phone", account: "Umbrella Retail", topics: ["sso"], ack: 3, resolve: 12, note: "The subsidiary's IdP certificate had expired; they uploaded the new one with our help." },
  // Technical Support
  { month: 0.25, text: "The Salesforce sync has failed every night this week and nobody told us. Disappointing.", channel: "email", account: "Initech", topics: ["integrations"], products: ["salesforce sync"], ack: 1, resolve: 40, note: "A token expiry stopped the sync; renewed it and added an alert when a nightly sync fails." },
  { month: 0.6, text: "Our Slack integration posts every notification twice. Annoying for the whole team.", channel: "chat", account: "Hooli Stores", topics: ["integrations"], ack: 5, resolve: null },
  { daysAgo: 27, text: "Password reset emails never arrive for our users on Outlook. Really frustrating.", channel: "phone", account: "Umbrella Retail", topics: ["login"], ack: 1.5, resolve: 22, note: "Outlook was quarantining our sender; SPF record fixed and the customer's admin allow-listed us." },
  { daysAgo: 64, text: "Terrible week: your API returned errors on every webhook retry and we lost orders.", channel: "email", account: "Globex Corporation", topics: ["api"], ack: 0.8, resolve: 50, note: "Retry storm traced to a misconfigured rate limit; fixed, and lost orders replayed with the customer." },
  // Social Care
  { month: 0.45, text: "Shout-out to your support team, they fixed our import in ten minutes. Brilliant!", channel: "twitter", ack: 3, resolve: 5, note: "Replied with thanks and passed the praise to Technical Support." },
  { month: 0.9, text: "Really impressed with the new onboarding checklist, our new hires love it.", channel: "linkedin", account: "Hooli Stores", ack: 9, resolve: null },
  { daysAgo: 38, text: "Five stars. Helpful people, clear docs and a product that just works.", channel: "review_site", ack: 20, resolve: 30, note: "Thanked the reviewer and shared it in #wins." },
  // Security Operations
  { month: 0.3, text: "Our security team needs your latest SOC 2 report and pen test summary before we can renew.", channel: "email", account: "Globex Corporation", topics: ["soc 2"], ack: 2, resolve: 30, note: "Sent the SOC 2 Type II report and pen test summary under NDA." },
  { month: 0.75, text: "Where is customer data stored for EU tenants? Our DPO is asking for the GDPR subprocessor list.", channel: "email", account: "Initech", topics: ["gdpr"], ack: 6, resolve: null },
  { daysAgo: 52, text: "We found an old API key of ours in a public repository; can you confirm it was revoked on your side?", channel: "phone", account: "Umbrella Retail", topics: ["security"], ack: 0.5, resolve: 4, note: "Confirmed the key was revoked within an hour of the commit; no calls were made with it." },
  // Platform
  { month: 0.2, text: "Pages took over ten seconds to load for everyone in Singapore this morning.", channel: "chat", account: "Initech", topics: ["performance"], ack: 0.3, resolve: 5, note: "A cache node in Singapore was down; traffic failed over and the node was replaced." },
  { month: 0.65, text: "Was there an outage around 14:00 UTC? Our whole office got error 502 for twenty minutes.", channel: "twitter", topics: ["outage"], ack: 1.2, resolve: 3, note: "Confirmed a 20-minute load balancer incident; linked the status page post-mortem." },
  { daysAgo: 41, text: "Exports have been slow since last Tuesday, a report that took a minute now takes fifteen.", channel: "email", account: "Hooli Stores", topics: ["performance"], ack: 2, resolve: null },
  // Web Experience
  { month: 0.4, text: "On the iPad the editor toolbar covers the first line of text, so we can't edit titles.", channel: "email", account: "Umbrella Retail", products: ["mobile app"], ack: 4, resolve: 70, note: "Toolbar moved below the safe area on iPad; fix shipped in 4.2.1." },
  { month: 0.8, text: "Dark mode in the web app is lovely, but the charts are unreadable in it.", channel: "chat", products: ["web app"], ack: 7, resolve: null },
  { daysAgo: 30, text: "The Android app crashes when I attach a photo from the camera.", channel: "phone", products: ["mobile app"], ack: 12, resolve: 60, note: "Camera attachments now resized before upload; crash fixed in Android 4.3." },
  // Data & ML
  { month: 0.5, text: "Search never finds documents by their project code, e.g. PRJ-2231, only by title words.", channel: "email", account: "Initech", products: ["search"], ack: 3, resolve: null },
  { month: 0.95, text: "The monthly usage report counts deactivated users, so our numbers look inflated.", channel: "chat", account: "Globex Corporation", products: ["reports"], ack: 2.5, resolve: null },
  { daysAgo: 47, text: "Could the weekly report include a breakdown by department? Our COO asked for it.", channel: "email", account: "Hooli Stores", products: ["reports"], ack: 26, resolve: 90, note: "Department breakdown added to the weekly report as an optional section." },
  // Product Management
  { month: 0.55, text: "The jump from the Team plan to Business is too steep for a company of forty people.", channel: "phone", account: "Hooli Stores", topics: ["pricing"], ack: 10, resolve: null },
  { daysAgo: 24, text: "Would you offer a non-profit discount? We are a charity with a small budget.", channel: "email", topics: ["pricing"], ack: 18, resolve: 40, note: "Shared the non-profit programme (40% off); they signed up." },
  { daysAgo: 60, text: "Per-seat pricing punishes us for adding part-time staff. Please consider active-user billing.", channel: "chat", account: "Umbrella Retail", topics: ["pricing"], ack: 30, resolve: 100, note: "Logged as feedback for the pricing review; offered part-time seats at half price meanwhile." },
  // Product Design
  { month: 0.1, text: "The grey text on the settings page is very hard to read for our colleagues with low vision.", channel: "email", account: "Initech", topics: ["accessibility"], ack: 8, resolve: null },
  { daysAgo: 35, text: "It took me ages to find where to change my notification settings.", channel: "chat", topics: ["usability"], ack: 20, resolve: 80, note: "Notification settings now linked from the bell menu; replied with the new path." },
  // Enterprise Sales
  { month: 0.4, text: "Our renewal quote is 18% higher than last year and nobody explained why.", channel: "email", account: "Globex Corporation", topics: ["renewal"], ack: 1, resolve: 30, note: "Account executive walked them through the seat growth behind the quote; agreed a two-year price lock." },
  { daysAgo: 29, text: "We need the contract amended to add our new subsidiary in Canada.", channel: "email", account: "Initech", topics: ["contract"], ack: 3, resolve: 44, note: "Amendment signed adding the Canadian subsidiary." },
  // Growth Marketing
  { month: 0.6, text: "Great webinar on invoicing yesterday. Will the recording be shared?", channel: "email", topics: ["webinar"], ack: 5, resolve: 9, note: "Sent the recording and slides to all attendees." },
  { daysAgo: 43, text: "The pricing page on your website still lists the old storage limits.", channel: "chat", topics: ["website"], ack: 15, resolve: 30, note: "Pricing page updated with the current storage limits." },
  // Nothing matches: triage
  { month: 0.3, text: "Do you have an office in Lisbon? We would like to visit.", channel: "other", ack: 6, resolve: 7, note: "Told them about the Lisbon office and introduced the office manager." },
];
