import MiniSearch from "minisearch";

/** What the documents index knows: title and text. Who may read a hit is decided afterwards. */
export interface DocEntry {
  id: string;
  title: string;
  text: string;
  spaceId: string;
}

export interface DocHit {
  id: string;
  score: number;
  terms: string[];
}

/**
 * MiniSearch over document titles and text, built at start from the database and updated when a
 * document is created, renamed, trashed or its text settles. It returns ids only: the docs domain
 * filters them through the policy before anything reaches a reader.
 */
export class DocsIndex {
  private ms = DocsIndex.create();

  private static create() {
    return new MiniSearch<DocEntry>({
      fields: ["title", "text"],
      storeFields: ["spaceId"],
      searchOptions: { boost: { title: 3 }, prefix: true, fuzzy: 0.2, combineWith: "AND" },
    });
  }

  build(entries: DocEntry[]) {
    this.ms = DocsIndex.create();
    this.ms.addAll(entries);
  }

  upsert(e: DocEntry) {
    if (this.ms.has(e.id)) this.ms.replace(e);
    else this.ms.add(e);
  }

  remove(id: string) {
    if (this.ms.has(id)) this.ms.discard(id);
  }

  search(q: string, limit = 200): DocHit[] {
    if (!q.trim()) return [];
    return this.ms
      .search(q)
      .slice(0, limit)
      .map((r) => ({ id: r.id as string, score: r.score, terms: r.terms }));
  }

  get size() {
    return this.ms.documentCount;
  }
}
