/**
 * Tweets that name an airline, carrier, bank, shop, delivery firm or tech brand, or a service
 * matter (customer service, refund, delivery, flight, bill): the nearest the sentiment corpora come
 * to customer feedback. A fixed word list, chosen before any score was looked at.
 */
export const COMPANY_OR_SERVICE =
  /(united|americanair|american airlines|delta|southwest|jetblue|usairways|us airways|virginamerica|virgin america|spirit|alaskaair|ryanair|easyjet|britishairways|comcast|xfinity|verizon|at&t|att\b|tmobile|t-mobile|sprint|apple|iphone|ios|amazon|netflix|uber|lyft|starbucks|mcdonald|walmart|target|best ?buy|fedex|ups\b|usps|dhl|paypal|chase|wells ?fargo|bank of america|bofa|citi|xbox|playstation|psn|microsoft|windows|samsung|google|customer service|support|refund|delivery|flight|bill|billing)/i;

export const namesCompanyOrService = (text: string) => COMPANY_OR_SERVICE.test(text);
