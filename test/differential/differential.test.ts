/**
 * The generated differential suite: every case of test/differential/cases (written by
 * `pnpm differential:generate` from the declarations and the schema, see plan.ts) asked of two
 * servers on one database, the compiled lane's and a reference with compiled reads off (the
 * resolvers, reading the same declarations through common/compiled/declared.ts). It proves
 * - that the committed cases are the plan's: one JSON file and one SQL snapshot per case of every
 *   root of a declared collection x filter key x sort field and direction (paired, plan.ts) x
 *   first page / page after it x caller class, and nothing else (a filter, a sort or a root added
 *   to the schema or a declaration fails here until the cases are generated again);
 * - that the SQL the compiler writes for each case is its snapshot, byte for byte;
 * - that both servers answer each case with the same HTTP status, content type and response
 *   text (the top-level `extensions`, which counts SQL statements, cut out);
 * - that the compiled server answers the cases marked `compiled` in one statement (national and
 *   anonymous callers) or in the scoped transaction's four (BEGIN, set-up, statement, COMMIT),
 *   and the others through the resolvers; the reference never compiles;
 * - that the cases that held rows when generated still do (the comparison is not vacuous).
 * Cases run per caller class and per root within one pair of servers, a few at a time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_MODELS } from '../../packages/api/src/modules/index.js';
import { CASES_DIR, caseFiles, compiledSql, post, snapshotText, startHarness, withoutTopLevelExtensions, type Answer, type Harness } from './harness.js';
import { CALLERS, planCases, SCOPED_CALLERS, type CallerClass, type CaseFile } from './plan.js';

const cases: CaseFile[] = caseFiles().map((f) => JSON.parse(fs.readFileSync(path.join(CASES_DIR, f), 'utf8')) as CaseFile);
const REGENERATE = 'run `pnpm differential:generate` and commit test/differential/cases';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // The first request of a scoped key finds out that it is scoped (one statement more); later ones go straight to the scoped path.
  for (const caller of SCOPED_CALLERS) await post(h.app.url, h.secrets[caller], { query: '{ enterprises(first: 1) { totalCount } }' });
});
afterAll(async () => {
  await h?.close();
});

describe('the committed differential cases are those the declarations and the schema call for', () => {
  it('one case file and one SQL snapshot per planned case, and nothing else', () => {
    const planned = planCases(h.schema, READ_MODELS, h.compiler);
    const files = new Set(fs.readdirSync(CASES_DIR));
    const expected = new Set(planned.flatMap((c) => [`${c.name}.json`, `${c.name}.sql`]));
    expect([...expected].filter((f) => !files.has(f)), `planned cases without files: ${REGENERATE}`).toEqual([]);
    expect([...files].filter((f) => !expected.has(f)), `files of no planned case: ${REGENERATE}`).toEqual([]);
    const byName = new Map(cases.map((c) => [c.name, c]));
    for (const p of planned) {
      const c = byName.get(p.name)!;
      const shape = {
        root: c.root,
        caller: c.caller,
        document: c.document,
        filterKey: c.filterKey,
        orderBy: c.orderBy,
        filterKeys: Object.keys((c.variables.filter as object | undefined) ?? {}),
        variableOrderBy: c.variables.orderBy ?? null,
        afterEndCursorOf: c.afterEndCursorOf,
        arguments: p.arguments ? Object.keys(c.variables) : undefined,
      };
      expect(shape, `${p.name}: ${REGENERATE}`).toEqual({
        root: p.root,
        caller: p.caller,
        document: p.document,
        filterKey: p.page ? (p.filterKey ?? null) : undefined,
        orderBy: p.page ? (p.orderBy ?? null) : undefined,
        filterKeys: p.filterKey ? [p.filterKey] : [],
        variableOrderBy: p.orderBy ?? null,
        afterEndCursorOf: p.page === 'after' ? p.firstPageOf : undefined,
        arguments: p.arguments,
      });
    }
  });

  it('covers every caller class, compiled, with rows in most cases', () => {
    for (const caller of CALLERS) {
      // Anonymous callers of collections that need a key are the resolvers' to refuse.
      // and callers whose role a declared access rule refuses (FORBIDDEN).
      const mine = cases.filter((c) => c.caller === caller && !c.reason?.startsWith('not public') && !c.reason?.startsWith('forbidden'));
      const compiled = mine.filter((c) => c.execution === 'compiled');
      expect(compiled.length, `${caller}: compiled cases`).toBeGreaterThan(mine.length / 2);
      expect(compiled.filter((c) => c.nonEmpty).length, `${caller}: compiled cases with rows`).toBeGreaterThan((compiled.length * 3) / 4);
    }
    // Only anonymous callers of collections that need a key, callers whose role an access rule
    // refuses, and filter keys without a declared rule (declared-rules.test.ts KNOWN_MISSING), are
    // left to the resolvers.
    for (const c of cases.filter((x) => x.execution === 'resolvers' && x.caller !== 'anonymous' && !x.reason?.startsWith('forbidden'))) {
      const root = READ_MODELS.map((r) => r.roots[c.root]).find(Boolean);
      const keys = root?.kind === 'connection' ? ((root.where as { keys?: readonly string[] } | undefined)?.keys ?? []) : [];
      expect(keys, `${c.name} is left to the resolvers: its filter key must be one without a declared rule`).not.toContain(c.filterKey);
    }
  });
});

/** Runs `work` over `items`, `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** Asks both servers one case; returns the reference's answer (an `after` case follows it). */
async function compare(c: CaseFile, firstPage?: Answer): Promise<Answer> {
  const variables = { ...c.variables };
  if (c.afterEndCursorOf) variables.after = firstPage?.body.data?.[c.root]?.pageInfo?.endCursor ?? null;
  const secret = h.secrets[c.caller as CallerClass];
  const payload = { query: c.document, variables };
  const [compiled, ref] = await Promise.all([post(h.app.url, secret, payload), post(h.referenceUrl, secret, payload)]);
  const at = (what: string) => `${c.name}: ${what}`;

  expect.soft(snapshotText(compiledSql(h, c.document, variables, c.caller)), at(`compiled SQL vs the snapshot (${REGENERATE} if the change is meant)`)).toBe(
    fs.readFileSync(path.join(CASES_DIR, `${c.name}.sql`), 'utf8'),
  );
  expect.soft(compiled.status, at('HTTP status')).toBe(ref.status);
  expect.soft(compiled.contentType, at('content type')).toBe(ref.contentType);
  expect.soft(withoutTopLevelExtensions(compiled.text), at('response text')).toBe(withoutTopLevelExtensions(ref.text));
  expect.soft(ref.execution, at('the reference never compiles')).not.toBe('compiled');
  if (c.execution === 'compiled') {
    expect.soft(compiled.execution, at('answered by the compiled lane')).toBe('compiled');
    expect.soft(compiled.body.extensions?.sqlStatements, at('SQL statements of the compiled answer')).toBe(SCOPED_CALLERS.includes(c.caller) ? 4 : 1);
    expect.soft(ref.body.errors, at('reference errors')).toBeUndefined();
  } else {
    expect.soft(compiled.execution, at(`answered by the resolvers (${c.reason})`)).not.toBe('compiled');
  }
  if (c.nonEmpty) {
    const data = ref.body.data?.[c.root];
    const rows = 'orderBy' in c ? (data?.edges?.length ?? 0) : data ? 1 : 0;
    expect.soft(rows, at('rows (the case held rows when generated)')).toBeGreaterThan(0);
  }
  return ref;
}

for (const caller of CALLERS) {
  describe(`generated differential cases asked by ${caller}: the compiled lane answers as the resolvers`, () => {
    const mine = cases.filter((c) => c.caller === caller);
    const roots = [...new Set(mine.map((c) => c.root))];
    for (const root of roots) {
      const ofRoot = mine.filter((c) => c.root === root);
      it(`${root} (${ofRoot.length} cases)`, async () => {
        const after = new Map(ofRoot.filter((c) => c.afterEndCursorOf).map((c) => [c.afterEndCursorOf!, c]));
        await pool(
          ofRoot.filter((c) => !c.afterEndCursorOf),
          4,
          async (c) => {
            const first = await compare(c);
            const next = after.get(c.name);
            if (next) await compare(next, first);
          },
        );
      });
    }
  });
}
