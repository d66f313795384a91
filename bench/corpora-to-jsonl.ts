/**
 * Writes the local labelled corpora as eval:insights input, in a temporary folder (never in the
 * repository: the tweet texts must not be redistributed).
 *
 *   npm run eval:corpora            → prints the paths, e.g. /tmp/atrium-eval-XXXX/semeval-test.jsonl
 *   npm run eval:insights -- /tmp/atrium-eval-XXXX/semeval-test.jsonl
 *
 * The corpora carry sentiment labels only (no complaint reasons), so these files measure sentiment;
 * clustering is measured on tests/fixtures/insights-check.jsonl.
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
const files: Record<string, string[]> = {
  "semeval-validation.jsonl": ["semeval2017_task4a/validation.jsonl"],
  "semeval-test.jsonl": ["semeval2017_task4a/test.jsonl"],
  // The model trains on the UCI train split: only its test split is held out.
  "uci-test.jsonl": ["uci_sentiment_labelled_sentences/test.jsonl"],
};
for (const [name, parts] of Object.entries(files)) {
  const lines = parts.flatMap((p) => {
    const path = join(DATA, p);
    if (!existsSync(path)) {
      console.error(`Missing ${path}; set SENTIMENT_DATA.`);
      process.exit(2);
    }
    return readFileSync(path, "utf8").split("\n").filter(Boolean).map((l) => {
      const { text, label } = JSON.parse(l) as { text: string; label: string };
      return JSON.stringify({ text, label });
    });
  });
  writeFileSync(join(out, name), lines.join("\n") + "\n");
  console.log(`${join(out, name)}  (${lines.length} lines)`);
}
