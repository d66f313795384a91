/**
 * Writes the local labelled corpora as eval:insights input, in a temporary folder (never in the
 * repository: the tweet texts must not be redistributed).
 *
 *   npm run eval:corpora            → prints the paths, e.g. /tmp/atrium-eval-XXXX/semeval-test.jsonl
 *   npm run eval:insights -- /tmp/atrium-eval-XXXX/semeval-test.jsonl
 *
 * The corpora carry sentiment labels only (no complaint reasons), so these files measure sentiment;
 * clustering is measured on tests/fixtures/insights-check.jsonl.
 *
 * semeval-test-companies.jsonl is the nearest the corpora come to customer feedback: the test
 * tweets that name an airline, carrier, bank, shop, delivery firm or tech brand, or a service
 * matter (customer service, refund, delivery, flight, bill). The words are a fixed list, chosen
 * before any score was looked at.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const DATA = resolve(
  process.env.SENTIMENT_DATA ??
    [resolve(here, "../../shared/data/sentiment"), resolve(here, "../../../shared/data/sentiment")].find((d) => existsSync(d)) ??
    resolve(here, "../../shared/data/sentiment"),
);
const out = mkdtempSync(join(tmpdir(), "atrium-eval-"));
const COMPANY_OR_SERVICE =
  /(united|americanair|american airlines|delta|southwest|jetblue|usairways|us airways|virginamerica|virgin america|spirit|alaskaair|ryanair|easyjet|britishairways|comcast|xfinity|verizon|at&t|att\b|tmobile|t-mobile|sprint|apple|iphone|ios|amazon|netflix|uber|lyft|starbucks|mcdonald|walmart|target|best ?buy|fedex|ups\b|usps|dhl|paypal|chase|wells ?fargo|bank of america|bofa|citi|xbox|playstation|psn|microsoft|windows|samsung|google|customer service|support|refund|delivery|flight|bill|billing)/i;
const files: Record<string, { parts: string[]; where?: (text: string) => boolean }> = {
  "semeval-validation.jsonl": { parts: ["semeval2017_task4a/validation.jsonl"] },
  "semeval-test.jsonl": { parts: ["semeval2017_task4a/test.jsonl"] },
  "semeval-test-companies.jsonl": { parts: ["semeval2017_task4a/test.jsonl"], where: (text) => COMPANY_OR_SERVICE.test(text) },
  // The model trains on the UCI train split: only its test split is held out.
  "uci-test.jsonl": { parts: ["uci_sentiment_labelled_sentences/test.jsonl"] },
};
for (const [name, { parts, where }] of Object.entries(files)) {
  const lines = parts.flatMap((p) => {
    const path = join(DATA, p);
    if (!existsSync(path)) {
      console.error(`Missing ${path}; set SENTIMENT_DATA.`);
      process.exit(2);
    }
    return readFileSync(path, "utf8").split("\n").filter(Boolean).flatMap((l) => {
      const { text, label } = JSON.parse(l) as { text: string; label: string };
      return !where || where(text) ? [JSON.stringify({ text, label })] : [];
    });
  });
  writeFileSync(join(out, name), lines.join("\n") + "\n");
  console.log(`${join(out, name)}  (${lines.length} lines)`);
}
