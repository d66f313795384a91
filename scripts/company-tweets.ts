/**
 * Tweets that name an airline, carrier, bank, shop, delivery firm or tech brand, or a service
 * matter (customer service, refund, delivery, flight, bill): the nearest the sentiment corpora come
 * to customer feedback. A fixed word list, chosen before any score was looked at; it lives with the
 * customer register it is part of (server/insights/customer-register.ts).
 */
export { COMPANY_OR_SERVICE, namesCompanyOrService } from "../server/insights/customer-register.js";
