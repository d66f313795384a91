/**
 * The best `limit` of many offered items, best first, without sorting them all. A short list
 * (up to 64) is kept in order as items are offered, so an item that cannot enter costs one
 * comparison; a longer one (or Infinity) collects everything and is sorted once.
 * `before(a, b)` is true when a ranks strictly ahead of b.
 */
export class BestOf<T> {
  private readonly items: T[] = [];
  private readonly short: boolean;

  constructor(
    private readonly limit: number,
    private readonly before: (a: T, b: T) => boolean,
  ) {
    this.short = limit <= 64;
  }

  /** Once a short list is full, the item an offer must rank ahead of to enter; otherwise undefined. */
  get last(): T | undefined {
    return this.short && this.items.length >= this.limit ? this.items[this.limit - 1] : undefined;
  }

  offer(item: T): void {
    const { items, limit, before } = this;
    if (limit <= 0) return;
    if (!this.short) {
      items.push(item);
      return;
    }
    if (items.length >= limit) {
      if (!before(item, items[limit - 1]!)) return;
      items.pop();
    }
    let at = items.length;
    while (at > 0 && before(item, items[at - 1]!)) at--;
    items.splice(at, 0, item);
  }

  /** The best, best first. */
  list(): T[] {
    if (this.short) return this.items;
    const { before } = this;
    return this.items.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0)).slice(0, this.limit);
  }
}
