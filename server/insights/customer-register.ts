/**
 * The customer register: a message addressed to someone (an @handle) or naming a company, brand or
 * service matter (customer service, a refund, a delivery, a flight, a bill). Feedback of this kind
 * is mostly complaints, and the model's complaint threshold for it is chosen on validation text of
 * the same register (decision 570); other text keeps the general threshold.
 *
 * COMPANY_OR_SERVICE is also the filter of the held-out "tweets naming a company" set
 * (bench/corpora-to-jsonl.ts, via scripts/company-tweets.ts): a fixed word list, chosen before any
 * score was looked at (decision 300).
 */
export const COMPANY_OR_SERVICE =
  /(united|americanair|american airlines|delta|southwest|jetblue|usairways|us airways|virginamerica|virgin america|spirit|alaskaair|ryanair|easyjet|britishairways|comcast|xfinity|verizon|at&t|att\b|tmobile|t-mobile|sprint|apple|iphone|ios|amazon|netflix|uber|lyft|starbucks|mcdonald|walmart|target|best ?buy|fedex|ups\b|usps|dhl|paypal|chase|wells ?fargo|bank of america|bofa|citi|xbox|playstation|psn|microsoft|windows|samsung|google|customer service|support|refund|delivery|flight|bill|billing)/i;

export const namesCompanyOrService = (text: string) => COMPANY_OR_SERVICE.test(text);

/** "@acme …", "… thanks @acme": a handle, not an e-mail address ("me@acme.com"). */
const HANDLE = /(?:^|[^\w@.])@\w/u;

export const addressedToSomeone = (text: string) => HANDLE.test(text);

/** Customer feedback's register: addressed to an @handle, or naming a company or service matter. */
export const customerRegister = (text: string) => addressedToSomeone(text) || namesCompanyOrService(text);
