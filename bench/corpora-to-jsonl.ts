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
 * semeval-test-companies.jsonl: the test tweets that name a company or a service matter
 * (scripts/company-tweets.ts), the nearest the corpora come to customer feedback.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { namesCompanyOrService } from "../scripts/company-tweets.js";

const here = dirname(fileURLToPath(import.meta.url));
const DATA = resolve(
  process.env.SENTIMENT_DATA ??
    [resolve(here, "../../shared/data/sentiment"), resolve(here, "../../../shared/data/sentiment")].find((d) => existsSync(d)) ??
    resolve(here, "../../shared/data/sentiment"),
);
const out = mkdtempSync(join(tmpdir(), "atrium-eval-"));
const files: Record<string, { parts: string[]; where?: (text: string) => boolean }> = {
  "semeval-validation.jsonl": { parts: ["semeval2017_task4a/validation.jsonl"] },
  "semeval-test.jsonl": { parts: ["semeval2017_task4a/test.jsonl"] },
  "semeval-test-companies.jsonl": { parts: ["semeval2017_task4a/test.jsonl"], where: namesCompanyOrService },
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
