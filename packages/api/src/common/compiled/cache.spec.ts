import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { AST_BYTES_PER_CHAR, ByteBudgetCache, documentStore } from './cache.js';

describe('ByteBudgetCache', () => {
  it('keeps the estimated bytes within the budget, dropping the least recently used first', () => {
    const cache = new ByteBudgetCache<string, number>(100);
    cache.set('a', 1, 40).set('b', 2, 40);
    expect(cache.bytes).toBe(80);
    expect(cache.get('a')).toBe(1); // a is now the most recently used
    cache.set('c', 3, 40); // 120 > 100: b goes, not a
    expect(cache.has('b')).toBe(false);
    expect([cache.get('a'), cache.get('c')]).toEqual([1, 3]);
    expect(cache.bytes).toBe(80);
    expect(cache.size).toBe(2);
  });

  it('counts bytes, not entries: one large entry displaces many small ones', () => {
    const cache = new ByteBudgetCache<number, string>(1000);
    for (let i = 0; i < 100; i++) cache.set(i, 'x', 10);
    expect(cache.size).toBe(100);
    cache.set(1000, 'large', 950);
    expect(cache.bytes).toBeLessThanOrEqual(1000);
    expect(cache.size).toBe(6); // the large one and the five newest small ones
    expect(cache.has(99)).toBe(true);
    expect(cache.has(0)).toBe(false);
  });

  it('never keeps an entry larger than the budget, and follows entries that grow', () => {
    const cache = new ByteBudgetCache<string, string>(100);
    cache.set('huge', 'x', 101);
    expect(cache.has('huge')).toBe(false);
    expect(cache.bytes).toBe(0);
    cache.set('a', 'x', 30).set('b', 'y', 30);
    cache.resize('a', 80); // 110 bytes: the least recently used entry (a) goes
    expect(cache.has('a')).toBe(false);
    expect(cache.bytes).toBe(30);
    cache.resize('b', 200);
    expect(cache.has('b')).toBe(false);
    expect(cache.bytes).toBe(0);
    // setting a key again replaces its size
    cache.set('c', 'z', 10);
    cache.set('c', 'z', 20);
    expect(cache.bytes).toBe(20);
  });

  it('stays within budget over many distinct large entries', () => {
    const cache = new ByteBudgetCache<string, string>(64 * 1024);
    for (let i = 0; i < 5000; i++) {
      cache.set(`k${i}`, 'v', 1000 + (i % 17) * 100);
      expect(cache.bytes).toBeLessThanOrEqual(64 * 1024);
    }
  });

  it('serves Apollo as its document store, sizing a document by its text', async () => {
    const text = `{ cities(first: 2) { nodes { slug } } }`;
    const store = documentStore(10 * AST_BYTES_PER_CHAR * text.length);
    for (let i = 0; i < 50; i++) await store.set(`doc${i}`, parse(text));
    expect(store.cache.bytes).toBeLessThanOrEqual(store.cache.budgetBytes);
    expect(store.cache.size).toBeLessThan(10);
    expect(await store.get('doc49')).toBeDefined();
    expect(await store.get('doc0')).toBeUndefined();
    expect(await store.delete('doc49')).toBe(true);
  });
});
