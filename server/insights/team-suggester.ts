/**
 * "Suggested team": a multinomial naive Bayes over an insight's topic words and tags, learned from
 * the teams leads re-routed insights to. Pure; the domain trains it from the recorded decisions.
 */
import { termsOf } from "./cluster-index.js";

export interface Decision {
  text: string;
  tags: readonly string[];
  teamId: string;
}

export interface TeamSuggester {
  decisions: number;
  suggest(text: string, tags?: readonly string[]): { teamId: string; confidence: number } | null;
}

export function trainSuggester(decisions: readonly Decision[]): TeamSuggester {
  const docs = new Map<string, number>();
  const counts = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  const vocab = new Set<string>();
  for (const d of decisions) {
    docs.set(d.teamId, (docs.get(d.teamId) ?? 0) + 1);
    let c = counts.get(d.teamId);
    if (!c) counts.set(d.teamId, (c = new Map()));
    for (const t of termsOf(d.text, d.tags)) {
      c.set(t, (c.get(t) ?? 0) + 1);
      totals.set(d.teamId, (totals.get(d.teamId) ?? 0) + 1);
      vocab.add(t);
    }
  }
  return {
    decisions: decisions.length,
    suggest(text, tags = []) {
      if (!decisions.length) return null;
      const terms = termsOf(text, tags).filter((t) => vocab.has(t));
      if (!terms.length) return null;
      const scores = [...docs].map(([teamId, n]) => {
        const c = counts.get(teamId)!;
        const total = totals.get(teamId) ?? 0;
        let s = Math.log(n / decisions.length);
        for (const t of terms) s += Math.log(((c.get(t) ?? 0) + 1) / (total + vocab.size));
        return { teamId, s };
      });
      const max = Math.max(...scores.map((x) => x.s));
      const z = scores.reduce((a, x) => a + Math.exp(x.s - max), 0);
      const best = scores.reduce((a, b) => (b.s > a.s ? b : a));
      return { teamId: best.teamId, confidence: Math.round((1 / z) * 1000) / 1000 };
    },
  };
}

/**
 * Held-out check, in time order: learn from the first `trainShare` of the decisions, suggest for
 * the rest. Compared with always suggesting the team chosen most often in the training part.
 */
export function heldOutAccuracy(decisions: readonly Decision[], trainShare = 0.8) {
  const cut = Math.floor(decisions.length * trainShare);
  const train = decisions.slice(0, cut);
  const test = decisions.slice(cut);
  const model = trainSuggester(train);
  const freq = new Map<string, number>();
  for (const d of train) freq.set(d.teamId, (freq.get(d.teamId) ?? 0) + 1);
  const majority = [...freq].sort((a, b) => b[1] - a[1])[0]?.[0];
  let hit = 0;
  let base = 0;
  for (const d of test) {
    if (model.suggest(d.text, d.tags)?.teamId === d.teamId) hit++;
    if (majority === d.teamId) base++;
  }
  return { train: train.length, test: test.length, accuracy: test.length ? hit / test.length : 0, majorityBaseline: test.length ? base / test.length : 0 };
}
