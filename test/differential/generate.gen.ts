/**
 * Writes the generated differential cases (`pnpm differential:generate`): for every case of the
 * plan (plan.ts: the declarations and the schema), its variables drawn from the test database as
 * the case's caller sees it, one JSON file, and the SQL the compiler writes for it next to it.
 * Run by vitest (vitest.generate.config.ts) for its database set-up; not part of `pnpm test`,
 * whose differential.test.ts fails when the committed files are not what this writes.
 *
 * A filter's value: the first candidate that the caller's answer (through the resolvers) has
 * rows for and that keeps out some rows (so the filter does something), else the first with
 * rows, else the first candidate. Candidates: an enum's values, true/false, a few dates and instants, an id the nodes carry (`entityId`), the ids
 * of the references of the collection's first rows (`enterpriseId`: the nodes' `enterprise.id`; `localityId`: their Locality, `village.id`),
 * and for text keys the rows of the table the key names (STRING_CANDIDATES). A filter key the
 * generator has no candidates for stops it, naming the key: nothing is left out silently.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getNamedType, GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, GraphQLScalarType } from 'graphql';
import { READ_MODELS } from '../../packages/api/src/modules/index.js';
import { CASES_DIR, compiledSql, post, snapshotText, startHarness, type Answer, type Harness } from './harness.js';
import { CALLERS, inputShape, PAGE, planCases, type CallerClass, type CaseFile, type PlannedCase } from './plan.js';

/** Dates tried for LocalDate filter keys, in this order (the campaign's season first). */
const DATE_CANDIDATES = ['2023-12-01', '2024-01-15', '2023-11-01', '2024-02-15', '2023-10-01', '2024-03-31', '2022-06-30', '2025-06-30', '2026-06-30'];

/** Candidates of text filter keys, from the table each key names. */
const STRING_CANDIDATES: Record<string, string> = {
  city: `select slug as v from city order by plan_order, id`,
  province: `select slug as v from province order by id`,
  campaign: `select code as v from campaign order by period_start desc, id desc`,
  taskTarget: `select distinct code as v from task_target order by code`,
  stationCode: `select distinct station_code as v from air_quality_observation where station_code is not null order by 1 limit 20`,
  railway: `select distinct railway as v from freight_record order by 1`,
  fromMonth: `select distinct month as v from freight_record order by 1`,
  toMonth: `select distinct month as v from freight_record order by 1 desc`,
  actor: `select distinct actor_id as v from audit_event order by 1`,
  entity: `select distinct entity as v from audit_event order by 1`,
  operation: `select distinct operation as v from audit_event order by 1`,
};

/** Instants tried for DateTime filter keys (the audit trail's `from` / `to`), in this order. */
const INSTANT_CANDIDATES = ['2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z'];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function ref(caller: CallerClass, query: string, variables: Record<string, unknown>): Promise<Answer> {
  return post(h.referenceUrl, h.secrets[caller], { query, variables });
}

const memo = new Map<string, Promise<unknown>>();
const once = <T>(key: string, f: () => Promise<T>): Promise<T> => {
  if (!memo.has(key)) memo.set(key, f());
  return memo.get(key) as Promise<T>;
};

/** totalCount of a root connection for a filter, as the caller sees it (null: an error). */
function count(caller: CallerClass, root: string, filterType: string | null, filter: Record<string, unknown> | null): Promise<number | null> {
  return once(`count ${caller} ${root} ${JSON.stringify(filter)}`, async () => {
    const query = filterType ? `query($filter: ${filterType}) { ${root}(filter: $filter) { totalCount } }` : `{ ${root} { totalCount } }`;
    const a = await ref(caller, query, filter ? { filter } : {});
    return a.body.errors ? null : (a.body.data?.[root]?.totalCount as number);
  });
}

/** Values of a field of the first rows of a root connection (e.g. `enterprise { id }`), distinct, in order. */
async function nodeValues(caller: CallerClass, root: string, selection: string, pick: (node: any) => unknown): Promise<unknown[]> {
  const a = await ref(caller, `{ ${root}(first: 500) { nodes { ${selection} } } }`, {});
  const out: unknown[] = [];
  for (const n of a.body.data?.[root]?.nodes ?? []) {
    const v = pick(n);
    if (v !== null && v !== undefined && !out.includes(v)) out.push(v);
  }
  return out;
}

/** The node type of a root connection. */
function nodeTypeOf(root: string): GraphQLObjectType {
  const connection = getNamedType(h.schema.getQueryType()!.getFields()[root].type) as GraphQLObjectType;
  return getNamedType(connection.getFields().nodes.type) as GraphQLObjectType;
}

async function candidates(caller: CallerClass, root: string, key: string, type: ReturnType<typeof inputShape>): Promise<unknown[]> {
  const { named, list } = type;
  const wrap = (values: unknown[]) => (list ? values.map((v) => [v]) : values);
  if (named instanceof GraphQLEnumType) return wrap(named.getValues().map((v) => v.name));
  if (named instanceof GraphQLScalarType) {
    if (named.name === 'Boolean') return wrap([true, false]);
    if (named.name === 'LocalDate') return wrap(DATE_CANDIDATES);
    if (named.name === 'DateTime') return wrap(INSTANT_CANDIDATES);
    // An id the nodes carry themselves (the audit trail's `entityId`).
    const own = nodeTypeOf(root).getFields()[key];
    if (named.name === 'ID' && own && getNamedType(own.type).name === 'ID') return wrap(await nodeValues(caller, root, key, (n) => n[key]));
    if (named.name === 'ID' && key.endsWith('Id')) {
      // `enterpriseId`: the nodes' `enterprise`; else the nodes' field of that type (`localityId`: `village`, a Locality).
      const nodeType = nodeTypeOf(root);
      const named = key.slice(0, -2);
      const typeName = named[0].toUpperCase() + named.slice(1);
      const ref = nodeType.getFields()[named] ? named : Object.values(nodeType.getFields()).find((f) => getNamedType(f.type).name === typeName)?.name;
      if (!ref) throw new Error(`${root} filter ${key}: the nodes have no field ${named} (nor one of type ${typeName}) to draw an id from`);
      return wrap(await nodeValues(caller, root, `${ref} { id }`, (n) => n[ref]?.id));
    }
    if (named.name === 'String') {
      if (key === 'search') return wrap((await nodeValues(caller, root, 'name', (n) => n.name)).map((name) => String(name).slice(0, 2)));
      const sql = STRING_CANDIDATES[key];
      if (!sql) throw new Error(`${root} filter ${key}: no candidates for a text filter key of this name (add its table to STRING_CANDIDATES)`);
      return wrap((await h.app.sql<{ v: string }>(sql)).map((r) => r.v));
    }
  }
  throw new Error(`${root} filter ${key}: no candidates for values of ${named.name}`);
}

/** The value of a filter key for a caller: see the file's comment. */
function filterValue(caller: CallerClass, root: string, key: string): Promise<unknown> {
  return once(`value ${caller} ${root} ${key}`, async () => {
    const arg = h.schema.getQueryType()!.getFields()[root].args.find((a) => a.name === 'filter')!;
    const filterType = getNamedType(arg.type) as GraphQLInputObjectType;
    const total = await count(caller, root, filterType.name, null);
    const shape = inputShape(filterType.getFields()[key].type);
    const all = await candidates(caller, root, key, shape);
    // Nothing in the data to draw from (e.g. no station readings in the demo): a value of the
    // type that matches no row; the case then compares empty answers (nonEmpty false).
    if (!all.length) {
      const none = shape.named.name === 'ID' ? '2147483647' : 'none';
      return shape.list ? [none] : none;
    }
    let withRows: unknown;
    for (const v of all.slice(0, 60)) {
      const n = await count(caller, root, filterType.name, { [key]: v });
      if (n !== null && n > 0) {
        if (total !== null && n < total) return v;
        if (withRows === undefined) withRows = v;
      }
    }
    return withRows ?? all[0];
  });
}

/** The arguments of a one-record root: the same-named field of the first row of a connection over its type (or over a type referencing it). */
async function recordArguments(caller: CallerClass, c: PlannedCase): Promise<Record<string, unknown>> {
  const query = h.schema.getQueryType()!;
  const type = getNamedType(query.getFields()[c.root].type) as GraphQLObjectType;
  const connections = READ_MODELS.flatMap((r) => Object.entries(r.roots)).filter(([, m]) => m.kind === 'connection').map(([n]) => n);
  const direct = connections.find((r) => nodeTypeOf(r) === type);
  const out: Record<string, unknown> = {};
  for (const arg of c.arguments ?? []) {
    let values: unknown[] = [];
    if (direct) values = await nodeValues(caller, direct, arg, (n) => n[arg]);
    else {
      // A type without a root connection of its own: through a collection whose nodes reference it.
      for (const r of connections) {
        const f = Object.values(nodeTypeOf(r).getFields()).find((x) => getNamedType(x.type) === type);
        if (!f) continue;
        values = await nodeValues(caller, r, `${f.name} { ${arg} }`, (n) => n[f.name]?.[arg]);
        if (values.length) break;
      }
    }
    if (!values.length && caller !== 'ministry') return recordArguments('ministry', c);
    if (!values.length) throw new Error(`${c.root}: no record to draw ${arg} from`);
    out[arg] = values[0];
  }
  return out;
}

it('writes the generated differential cases', { timeout: 1_800_000 }, async () => {
  const planned = planCases(h.schema, READ_MODELS, h.compiler);
  const firstPages = new Map<string, Answer>();
  const written = new Set<string>();
  fs.mkdirSync(CASES_DIR, { recursive: true });

  const generate = async (c: PlannedCase) => {
    let variables: Record<string, unknown>;
    let compiled: ReturnType<typeof compiledSql>;
    let nonEmpty: boolean;
    // A record the caller may not see (e.g. another's API key): the statement finds none and the resolvers answer NOT_FOUND.
    let notVisible = false;
    if (c.page) {
      variables = { first: PAGE };
      if (c.filterKey) {
        // Anonymous callers of collections that need a key see nothing: the national key's value.
        const asked = (await count(c.caller, c.root, null, null)) === null ? 'ministry' : c.caller;
        variables.filter = { [c.filterKey]: await filterValue(asked, c.root, c.filterKey) };
      }
      if (c.orderBy) variables.orderBy = c.orderBy;
      let run = variables;
      if (c.page === 'after') {
        const first = firstPages.get(c.firstPageOf!)!;
        run = { ...variables, after: first.body.data?.[c.root]?.pageInfo?.endCursor ?? null };
      }
      const answer = await ref(c.caller, c.document, run);
      if (c.page === 'first') firstPages.set(c.name, answer);
      compiled = compiledSql(h, c.document, run, c.caller);
      nonEmpty = (answer.body.data?.[c.root]?.edges?.length ?? 0) > 0;
    } else {
      variables = await recordArguments(c.caller === 'anonymous' ? 'ministry' : c.caller, c);
      const answer = await ref(c.caller, c.document, variables);
      compiled = compiledSql(h, c.document, variables, c.caller);
      nonEmpty = answer.body.data?.[c.root] != null;
      notVisible = 'sql' in compiled && !nonEmpty && Boolean(answer.body.errors?.length);
    }
    const file: CaseFile = {
      name: c.name,
      root: c.root,
      caller: c.caller,
      document: c.document,
      variables,
      ...(c.page === 'after' ? { afterEndCursorOf: c.firstPageOf } : {}),
      ...(c.page ? { filterKey: c.filterKey ?? null, orderBy: c.orderBy ?? null } : {}),
      execution: 'sql' in compiled && !notVisible ? 'compiled' : 'resolvers',
      ...('reason' in compiled ? { reason: compiled.reason } : notVisible ? { reason: 'not visible: the caller may not see the record; the resolvers answer the error' } : {}),
      nonEmpty,
    };
    fs.writeFileSync(path.join(CASES_DIR, `${c.name}.json`), `${JSON.stringify(file, null, 2)}\n`);
    fs.writeFileSync(path.join(CASES_DIR, `${c.name}.sql`), snapshotText(compiled));
    written.add(`${c.name}.json`);
    written.add(`${c.name}.sql`);
  };

  // Callers in parallel; within a caller, in the plan's order (an `after` case follows its first page).
  await Promise.all(CALLERS.map(async (caller) => {
    for (const c of planned.filter((p) => p.caller === caller)) await generate(c);
  }));
  for (const f of fs.readdirSync(CASES_DIR)) if (!written.has(f)) fs.rmSync(path.join(CASES_DIR, f));
  expect(written.size).toBe(planned.length * 2);
  console.info(`[differential] wrote ${planned.length} cases to ${path.relative(process.cwd(), CASES_DIR)}`);
});
