import type { DocumentNode } from 'graphql';

/**
 * A least-recently-used cache bounded by an estimate of the bytes its entries hold, not by their
 * number: one 15 KB document costs as much as a hundred small ones. Each entry's size is given
 * when it is set (or updated with `resize`, when an entry grows later); past the budget the least
 * recently used entries are dropped. An entry larger than the whole budget is not kept at all.
 */
export class ByteBudgetCache<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private used = 0;

  constructor(readonly budgetBytes: number) {}

  /** Bytes the entries are estimated to hold (never more than budgetBytes). */
  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value, marked as the most recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // A Map iterates in insertion order: re-inserting makes it the newest.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V, bytes: number): this {
    this.delete(key);
    if (bytes > this.budgetBytes) return this;
    this.entries.set(key, { value, bytes });
    this.used += bytes;
    this.evict();
    return this;
  }

  /** Sets the size of an entry that grew (or shrank) after it was set. */
  resize(key: K, bytes: number): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    if (bytes > this.budgetBytes) {
      this.delete(key);
      return;
    }
    this.used += bytes - entry.bytes;
    entry.bytes = bytes;
    this.evict();
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.used -= entry.bytes;
    return true;
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.used <= this.budgetBytes) break;
      this.entries.delete(key);
      this.used -= entry.bytes;
    }
  }
}

/**
 * Heap bytes of a parsed document per character of its text (graphql-js's AST with locations,
 * measured: about 91 on Node 20), the estimate of a cached document's size.
 */
export const AST_BYTES_PER_CHAR = 100;

/** Bytes of a string in V8's heap, at worst (two-byte characters), with the object's header. */
export function stringBytes(text: string): number {
  return 2 * text.length + 32;
}

/**
 * Apollo's document store (its cache of parsed and validated documents) as a ByteBudgetCache:
 * Apollo's default measures documents by their JSON length, a fraction of what they take in memory.
 */
export function documentStore(budgetBytes: number): {
  get(key: string): Promise<DocumentNode | undefined>;
  set(key: string, value: DocumentNode): Promise<void>;
  delete(key: string): Promise<boolean>;
  cache: ByteBudgetCache<string, DocumentNode>;
} {
  const cache = new ByteBudgetCache<string, DocumentNode>(budgetBytes);
  return {
    cache,
    async get(key) {
      return cache.get(key);
    },
    async set(key, value) {
      cache.set(key, value, stringBytes(key) + AST_BYTES_PER_CHAR * (value.loc?.source.body.length ?? 1000) + 64);
    },
    async delete(key) {
      return cache.delete(key);
    },
  };
}
