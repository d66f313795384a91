import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { headlineTrend, trendText } from "../../../server/domain/insight-clusters.js";
import { ClusterIndex, CLUSTER_THRESHOLD, clusterTopicOf, polarityOf, replayClusters, termsOf, topicWords } from "../../../server/insights/cluster-index.js";
import { adjustedRandIndex, purity } from "../../../server/insights/eval-metrics.js";

const H = 3_600_000;
const add = (ix: ClusterIndex, id: string, text: string, at: number, opts: { tags?: string[]; label?: string; clusterId?: string } = {}) => {
  const topic = clusterTopicOf(text, opts.label ?? "negative");
  ix.add({ id, at, polarity: opts.label === "positive" ? "praise" : "other", topic, terms: termsOf(text, opts.tags ?? [], topic), clusterId: opts.clusterId ?? null });
};
/** A new insight as the product probes the index with it (a complaint unless said otherwise). */
const probe = (text: string, at: number, tags: string[] = [], label = "negative") => {
  const topic = clusterTopicOf(text, label);
  return { at, polarity: polarityOf(label), topic, terms: termsOf(text, tags, topic) };
};

test("topic words drop function words and links, keep negations, fold plurals", () => {
  expect(topicWords("The invoices are WRONG again! @acme https://x.io/1")).toEqual(["invoice", "wrong"]);
  expect(topicWords("Refund not received, I can't log in")).toEqual(["refund", "not", "received", "not", "log"]);
});

test("similar complaints pair up and then join the cluster; unrelated ones stay apart", () => {
  const ix = new ClusterIndex();
  add(ix, "a", "My invoice is wrong again, charged twice", 0, { tags: ["billing"] });
  add(ix, "c", "The mobile app crashes when I open settings", H, { tags: ["mobile-app"] });
  const m = ix.match(probe("Invoice wrong: I was charged twice this month", 2 * H, ["billing"]));
  expect(m).toMatchObject({ kind: "pair", withId: "a" });
  add(ix, "b", "Invoice wrong: I was charged twice this month", 2 * H, { tags: ["billing"] });
  ix.assign("a", "k1");
  ix.assign("b", "k1");
  expect(ix.match(probe("charged twice, the invoice is wrong", 3 * H, []))).toMatchObject({ kind: "cluster", clusterId: "k1" });
  expect(ix.match(probe("Where is my parcel? Tracking has not moved", 3 * H, []))).toBeNull();
});

test("a shared tag alone never makes a match, however many share it", () => {
  const ix = new ClusterIndex();
  const texts = ["refund missing", "app crashes on start", "rude agent on the phone", "parcel is late", "password reset broken", "wrong size shoes"];
  texts.forEach((t, i) => add(ix, `t${i}`, t, i * H, { tags: ["product-x"] }));
  expect(ix.match(probe("the new pricing page confuses me", 10 * H, ["product-x"]))).toBeNull();
  // The tag weighs less than the rarest word of the same rarity would.
  expect(ix.idf("#product-x")).toBeLessThan(0.5 * ix.idf("product-x"));
  expect(CLUSTER_THRESHOLD).toBeGreaterThan(0);
});

test("praise never joins complaints, even with the same words", () => {
  const ix = new ClusterIndex();
  add(ix, "n1", "support agent was rude on the phone", 0, { label: "negative" });
  expect(ix.match(probe("support agent on the phone was lovely", H, [], "positive"))).toBeNull();
  expect(ix.match(probe("support agent on the phone was rude again", H, []))).toMatchObject({ withId: "n1" });
});

test("topics never mix: complaints sharing words but about different problems stay apart, and names lead with the topic", () => {
  const ix = new ClusterIndex();
  add(ix, "lost", "my bag was lost on flight 22 from Boston to Denver", 0);
  expect(ix.match(probe("flight 22 from Boston to Denver cancelled", H))).toBeNull();
  expect(ix.match(probe("they lost my suitcase on flight 22 from Boston", H))).toMatchObject({ kind: "pair", withId: "lost" });
  expect(ix.nameOf(["my bag was lost on flight 22", "they lost my bag again"], 2, "lost-damaged")).toMatch(/^Lost or damaged item: /);
});

test("the window is honoured in full: a match from 6 days ago is found behind 5,000 newer insights", () => {
  const ix = new ClusterIndex();
  const day = 24 * H;
  add(ix, "old", "refund not received for order 77, bank says nothing arrived", 0);
  for (let i = 0; i < 5000; i++) add(ix, `n${i}`, `parcel ${i % 7 === 0 ? "late" : "early"} courier depot ${i}`, day + i * 60_000);
  const at = 6 * day;
  expect(ix.match(probe("still no refund received, bank shows nothing", at, []))).toMatchObject({ kind: "pair", withId: "old" });
  // …and not beyond it.
  expect(ix.match(probe("still no refund received, bank shows nothing", 7 * day + 1, []))).toBeNull();
});

test("centroids stop chaining: a cluster does not swallow a topic that only its newest member touches", () => {
  const rows = [
    "refund not received for my order",
    "my refund was not received yet",
    "refund still not received after two weeks",
    "where is my refund, not received",
    "refund not received, third email",
    "no refund received since march",
    "refund received at last but the parcel arrived broken",
    "parcel arrived broken, box crushed",
    "box crushed and the parcel broken on arrival",
  ].map((text, i) => ({ id: `r${i}`, text, at: 100 * H + i * H, label: "negative" }));
  // A window also holds other subjects, which is what makes "refund" a telling word.
  const words = ["login", "password", "app", "crash", "agent", "rude", "phone", "store", "price", "coupon", "invoice", "address", "update", "screen"];
  const others = Array.from({ length: 60 }, (_, i) => ({ id: `o${i}`, text: `${words[i % 14]} ${words[(i * 5 + 3) % 14]} ${words[(i * 3 + 1) % 14]}`, at: i * H, label: "neutral" }));
  const c = replayClusters([...others, ...rows]);
  expect(c.get("r0")).toBe(c.get("r5"));
  expect(c.get("r7")).not.toBeNull();
  expect(c.get("r7")).not.toBe(c.get("r0"));
  expect(c.get("r8")).toBe(c.get("r7"));
});

test("on the hand-labelled check set: ARI ≥ 0.25, ≤ 30 % unclustered, no cluster mixes complaints with praise", () => {
  const rows = readFileSync(new URL("../../fixtures/insights-check.jsonl", import.meta.url), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l, i) => ({ ...(JSON.parse(l) as { text: string; label: string; reason: string; createdAt: string; tags: string[] }), id: String(i) }));
  const c = replayClusters(rows.map((r) => ({ id: r.id, text: r.text, at: Date.parse(r.createdAt), label: r.label, tags: r.tags })));
  const pred = rows.map((r) => c.get(r.id) ?? null);
  const reasons = rows.map((r) => r.reason);
  expect(adjustedRandIndex(reasons, pred)).toBeGreaterThanOrEqual(0.25);
  expect(pred.filter((p) => p === null).length / pred.length).toBeLessThanOrEqual(0.3);
  expect(purity(reasons, pred)).toBeGreaterThan(0.7);
  const labelsByCluster = new Map<string, Set<string>>();
  pred.forEach((p, i) => p && labelsByCluster.set(p, new Set([...(labelsByCluster.get(p) ?? []), rows[i]!.label])));
  for (const s of labelsByCluster.values()) expect(s.has("positive") && s.has("negative")).toBe(false);
});

test("clusters are named by their top terms", () => {
  const ix = new ClusterIndex();
  for (let i = 0; i < 30; i++) add(ix, `x${i}`, `filler text number ${i} about parcels and apps`, i);
  const name = ix.nameOf(["Refund not received for order 5", "my refund is still not received", "refund not received, second email"]);
  expect(name).toBe("refund not received");
});

test("adjusted Rand index and purity", () => {
  expect(adjustedRandIndex(["a", "a", "b", "b"], ["x", "x", "y", "y"])).toBe(1);
  expect(adjustedRandIndex(["a", "a", "b", "b"], ["x", "y", "x", "y"])).toBeLessThan(0);
  expect(purity(["a", "a", "b"], ["x", "x", null])).toBe(1);
});

test("trend texts", () => {
  expect(trendText({ recent: 14, previous: 3, days: 7 })).toBe("14 similar in 7 days, up from 3");
  expect(trendText({ recent: 2, previous: 5, days: 7 })).toBe("2 similar in 7 days, down from 5");
  expect(trendText({ recent: 4, previous: 4, days: 7 })).toBe("4 similar in 7 days, same as the 7 days before");
  expect(headlineTrend({ recent: 14, previous: 3 })).toBe("14 this week, up from 3");
});

test("a cluster's running sums stand in for its recounted centroid: every match the same, score for score, also after members leave and the window moves", () => {
  const rows = readFileSync(new URL("../../fixtures/insights-check.jsonl", import.meta.url), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l, i) => ({ ...(JSON.parse(l) as { text: string; label: string; createdAt: string; tags: string[] }), id: String(i) }))
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  const windowMs = 2 * 86_400_000; // short, so members age out of it during the replay
  const fast = new ClusterIndex(windowMs);
  const recount = new ClusterIndex(windowMs, false);
  let next = 0;
  let clusterMatches = 0;
  for (const [i, r] of rows.entries()) {
    const topic = clusterTopicOf(r.text, r.label);
    const item = { id: r.id, at: Date.parse(r.createdAt), polarity: polarityOf(r.label), topic, terms: termsOf(r.text, r.tags, topic), clusterId: null };
    const m = fast.match(item);
    expect(m).toEqual(recount.match(item));
    for (const ix of [fast, recount]) ix.add({ ...item });
    if (m?.kind === "cluster") {
      clusterMatches++;
      for (const ix of [fast, recount]) ix.assign(r.id, m.clusterId);
    } else if (m) {
      const id = `k${++next}`;
      for (const ix of [fast, recount]) {
        ix.assign(m.withId, id);
        ix.assign(r.id, id);
      }
    }
    // Now and then a member moves to a cluster of its own, as another instance's clustering could
    // leave it; and now and then one of any polarity or topic is filed into the first cluster.
    if (i % 17 === 16 && m) for (const ix of [fast, recount]) ix.assign(r.id, `moved${i}`);
    if (i % 5 === 4 && next) for (const ix of [fast, recount]) ix.assign(r.id, "k1");
  }
  expect(clusterMatches).toBeGreaterThan(10);
});
