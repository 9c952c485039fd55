/**
 * @airledger/sdk end to end: the BUILT package (packages/sdk/dist, loaded as ESM and as CommonJS
 * through its `exports`) against the real API on a real PostgreSQL, and against tiny local stubs for
 * failures a real server does not produce on demand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { cjsEntry, deadUrl, flakyFetch, loadCjs, loadEsm, startStub, type Sdk } from '../fixtures/sdk-support/helpers.js';

let app: TestApp;
let esm: Sdk;
let cjs: Sdk;

beforeAll(async () => {
  app = await startTestApp();
  esm = await loadEsm();
  cjs = loadCjs();
});

afterAll(async () => {
  await app?.close();
});

/** Cities in the plan's order, from the database. */
async function citiesInPlanOrder(where = 'true', params: unknown[] = []): Promise<string[]> {
  const rows = await app.sql<{ slug: string }>(`select c.slug from city c join province p on p.id = c.province_id where ${where} order by c.plan_order, c.id`, params);
  return rows.map((r) => r.slug);
}

describe('the built package', () => {
  it('loads as ESM and as CommonJS, two builds with the same API', () => {
    expect(cjsEntry()).toBe('packages/sdk/dist/index.cjs');
    expect(typeof esm.createClient).toBe('function');
    expect(typeof cjs.createClient).toBe('function');
    // Two separate builds were loaded (not one module seen twice).
    expect(esm.AirledgerError).not.toBe(cjs.AirledgerError);
    expect(Object.keys(esm).sort()).toEqual(Object.keys(cjs).sort());
    // Shared enums come from @airledger/schema, bundled in.
    expect(esm.RegionCode.FENWEI_PLAIN).toBe('FENWEI_PLAIN');
    expect(cjs.CityKind.MUNICIPALITY).toBe('MUNICIPALITY');
  });
});

describe.each([
  ['ESM', () => esm],
  ['CommonJS', () => cjs],
])('every operation (%s build)', (_build, sdk) => {
  /**
   * One check per operation of the SDK, against values read from the database. The first test
   * fails when an operation has no check here.
   */
  const checks: Record<string, (client: ReturnType<Sdk['createClient']>) => Promise<void>> = {
    async regions(client) {
      const { regions } = await client.regions();
      const rows = await app.sql<{ code: string; name_en: string }>('select code, name_en from region order by id');
      expect(regions.totalCount).toBe(rows.length);
      expect(regions.nodes.map((r) => [r.code, r.nameEn])).toEqual(rows.map((r) => [r.code, r.name_en]));
      expect(regions.pageInfo.hasNextPage).toBe(false);
    },
    async region(client) {
      const { region } = await client.region({ code: sdk().RegionCode.FENWEI_PLAIN });
      expect(region?.code).toBe('FENWEI_PLAIN');
      expect(region?.cities.map((c) => c.slug)).toEqual(await citiesInPlanOrder(`c.region_code = 'FENWEI_PLAIN'`));
    },
    async provinces(client) {
      const { provinces } = await client.provinces({ first: 3 });
      const rows = await app.sql<{ slug: string }>('select slug from province order by id');
      expect(provinces.totalCount).toBe(rows.length);
      expect(provinces.nodes.map((p) => p.slug)).toEqual(rows.slice(0, 3).map((r) => r.slug));
      expect(provinces.pageInfo.hasNextPage).toBe(rows.length > 3);
    },
    async province(client) {
      const { province } = await client.province({ slug: 'hebei' });
      const [row] = await app.sql<{ name_en: string; division_code: string }>(`select name_en, division_code from province where slug = 'hebei'`);
      expect(province).toMatchObject({ slug: 'hebei', nameEn: row.name_en, divisionCode: row.division_code });
      expect(province?.cities.map((c) => c.slug)).toEqual(await citiesInPlanOrder(`p.slug = 'hebei'`));
    },
    async cities(client) {
      const { cities } = await client.cities({ filter: { province: 'shanxi' }, orderBy: { field: sdk().CityOrderField.SLUG, direction: sdk().SortDirection.DESC }, first: 5 });
      const expected = (await citiesInPlanOrder(`p.slug = 'shanxi'`)).sort().reverse();
      expect(cities.totalCount).toBe(expected.length);
      expect(cities.nodes.map((c) => c.slug)).toEqual(expected.slice(0, 5));
      expect(cities.nodes.every((c) => c.province.slug === 'shanxi')).toBe(true);
    },
    async city(client) {
      const { city } = await client.city({ slug: 'shijiazhuang' });
      const [row] = await app.sql<{ name_zh: string; kind: string; region_code: string }>(`select name_zh, kind, region_code from city where slug = 'shijiazhuang'`);
      expect(city).toMatchObject({ slug: 'shijiazhuang', nameEn: 'Shijiazhuang', nameZh: row.name_zh, kind: row.kind, regionCode: row.region_code, province: { slug: 'hebei' } });
    },
    async campaigns(client) {
      const { campaigns } = await client.campaigns();
      const rows = await app.sql<{ code: string }>('select code from campaign');
      expect(campaigns.totalCount).toBe(rows.length);
      expect(campaigns.nodes.map((c) => c.code).sort()).toEqual(rows.map((r) => r.code).sort());
    },
    async campaign(client) {
      const [row] = await app.sql<{ code: string; name_en: string; period_start: string; period_end: string; origin: string }>(
        `select code, name_en, to_char(period_start, 'YYYY-MM-DD') as period_start, to_char(period_end, 'YYYY-MM-DD') as period_end, origin from campaign order by id limit 1`,
      );
      const { campaign } = await client.campaign({ code: row.code });
      expect(campaign).toMatchObject({ code: row.code, nameEn: row.name_en, periodStart: row.period_start, periodEnd: row.period_end, origin: row.origin });
      expect((await client.campaign({ code: 'no-such-campaign' }).catch((e) => e)).constructor).toBe(sdk().NotFoundError);
    },
    async taskTargets(client) {
      const rows = await app.sql<{ code: string; quantity: string | null; breakdown: string }>(
        `select t.code, t.quantity, (select count(*) from task_target_breakdown b where b.task_target_id = t.id) as breakdown from task_target t`,
      );
      const { taskTargets } = await client.taskTargets({ first: 500 });
      expect(taskTargets.totalCount).toBe(rows.length);
      expect(taskTargets.nodes.map((t) => t.code).sort()).toEqual(rows.map((r) => r.code).sort());
      for (const t of taskTargets.nodes) {
        const row = rows.find((r) => r.code === t.code)!;
        expect(t.quantity).toBe(row.quantity === null ? null : Number(row.quantity));
        expect(t.breakdown).toHaveLength(Number(row.breakdown));
        expect(typeof t.progress.met).toBe('boolean');
      }
      const paged = await client.paginate.taskTargets({ first: 2 }).all();
      expect(paged.map((t) => t.code)).toEqual(taskTargets.nodes.map((t) => t.code));
    },
    async taskTarget(client) {
      const [row] = await app.sql<{ code: string; name_en: string; comparator: string; scope: string; deadline: string }>(
        `select code, name_en, comparator, scope, to_char(deadline, 'YYYY-MM-DD') as deadline from task_target order by id limit 1`,
      );
      const { taskTarget } = await client.taskTarget({ code: row.code });
      expect(taskTarget).toMatchObject({ code: row.code, nameEn: row.name_en, comparator: row.comparator, scope: row.scope, deadline: row.deadline });
    },
  };

  it('has a check for every operation of the SDK', () => {
    expect(Object.keys(checks).sort()).toEqual(Object.keys(sdk().OPERATIONS).sort());
  });

  for (const name of Object.keys(checks)) {
    it(`${name}`, async () => {
      const client = sdk().createClient({ url: app.url });
      await checks[name](client);
    });
  }
});

describe('pagination', () => {
  it('iterates every city across pages of 10, following endCursor until hasNextPage is false', async () => {
    const counted = flakyFetch(0);
    const client = esm.createClient({ url: app.url, fetch: counted.fetch });
    const slugs: string[] = [];
    for await (const city of client.paginate.cities({ first: 10 })) slugs.push(city.slug);
    const expected = await citiesInPlanOrder();
    expect(expected.length).toBe(56);
    expect(slugs).toEqual(expected);
    // 56 cities in pages of 10: 6 requests, the first without a cursor, each next one with the
    // previous page's endCursor.
    expect(counted.calls.length).toBe(6);
    expect(counted.calls[0].body.variables.after).toBeNull();
    expect(counted.calls.every((c) => c.body.variables.first === 10)).toBe(true);
    expect(new Set(counted.calls.map((c) => c.body.variables.after)).size).toBe(6);
  });

  it('all({ max }) stops at the cap, fetching only the pages it needs', async () => {
    const counted = flakyFetch(0);
    const client = esm.createClient({ url: app.url, fetch: counted.fetch });
    const first25 = await client.paginate.cities({ first: 10 }).all({ max: 25 });
    expect(first25.map((c) => c.slug)).toEqual((await citiesInPlanOrder()).slice(0, 25));
    expect(counted.calls.length).toBe(3);

    const hebei = await client.paginate.cities({ first: 4, filter: { province: 'hebei' } }).all();
    expect(hebei.map((c) => c.slug)).toEqual(await citiesInPlanOrder(`p.slug = 'hebei'`));
  });

  it('breaking out of for await stops fetching; pages() yields whole pages', async () => {
    const counted = flakyFetch(0);
    const client = cjs.createClient({ url: app.url, fetch: counted.fetch });
    let seen = 0;
    for await (const _city of client.paginate.cities({ first: 10 })) {
      if (++seen === 12) break;
    }
    expect(counted.calls.length).toBe(2);

    const sizes: number[] = [];
    for await (const page of client.paginate.cities({ first: 10 }).pages()) sizes.push(page.nodes.length);
    expect(sizes).toEqual([10, 10, 10, 10, 10, 6]);

    const regions = await client.paginate.regions({ first: 1 }).all();
    expect(regions.map((r) => r.code).sort()).toEqual(['FENWEI_PLAIN', 'JJJ_SURROUNDING']);
  });

  it('paginates any custom connection document with paginateConnection', async () => {
    const doc = parse('query slugs($first: Int, $after: String) { cities(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { slug } } }') as TypedDocumentNode<
      { cities: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { slug: string }[] } },
      { first?: number; after?: string | null }
    >;
    const client = esm.createClient({ url: app.url });
    const all = await client.paginateConnection(doc, { first: 20 }, (d) => d.cities).all();
    expect(all.map((c) => c.slug)).toEqual(await citiesInPlanOrder());
  });

  it('stops cleanly when the server repeats a cursor', async () => {
    const stub = await startStub(() => ({ body: { data: { cities: { totalCount: 99, pageInfo: { hasNextPage: true, endCursor: 'same' }, nodes: [{ slug: 'x' }] } } } }));
    try {
      const client = esm.createClient({ url: stub.url });
      const all = await client.paginate.cities({ first: 1 }).all();
      expect(all.length).toBe(2);
      expect(stub.requests.length).toBe(2);
    } finally {
      await stub.close();
    }
  });
});

describe('custom typed documents', () => {
  it('request() sends any TypedDocumentNode and returns its typed data', async () => {
    const CityNames: TypedDocumentNode<{ cities: { totalCount: number; nodes: { slug: string; nameEn: string }[] } }, { province: string }> = parse(
      'query cityNames($province: String!) { cities(filter: { province: $province }, first: 100) { totalCount nodes { slug nameEn } } }',
    );
    const client = cjs.createClient({ url: app.url });
    const { cities } = await client.request(CityNames, { province: 'henan' });
    const expected = await citiesInPlanOrder(`p.slug = 'henan'`);
    expect(cities.totalCount).toBe(expected.length);
    expect(cities.nodes.map((c) => c.slug)).toEqual(expected);
    // The SDK's own documents work the same way.
    const { city } = await client.request(cjs.CityDocument, { slug: 'taiyuan' });
    expect(city?.province.slug).toBe('shanxi');
    // And a plain string document.
    const data = await client.request<{ region: { nameEn: string } }>('query { region(code: JJJ_SURROUNDING) { nameEn } }');
    expect(data.region.nameEn).toBeTruthy();
  });
});

describe('errors from the real server', () => {
  it('bad input -> ValidationError naming the field', async () => {
    const client = esm.createClient({ url: app.url });
    const error = await client.cities({ first: 501 }).catch((e) => e);
    expect(error).toBeInstanceOf(esm.ValidationError);
    expect(error).toBeInstanceOf(esm.AirledgerError);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.field).toBe('first');
    expect(error.fields).toEqual([{ path: ['first'], code: 'OUT_OF_RANGE', message: expect.any(String) }]);
    expect(error.operationName).toBe('cities');
  });

  it('a document the schema rejects -> ValidationError (HTTP 400)', async () => {
    const client = cjs.createClient({ url: app.url });
    const error = await client.request('query { cities { nodes { noSuchField } } }').catch((e) => e);
    expect(error).toBeInstanceOf(cjs.ValidationError);
    expect(error.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error.status).toBe(400);
  });

  it('unknown slug -> NotFoundError, with the field and the partial data', async () => {
    const client = esm.createClient({ url: app.url });
    const error = await client.city({ slug: 'atlantis' }).catch((e) => e);
    expect(error).toBeInstanceOf(esm.NotFoundError);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.data).toEqual({ city: null });

    const filterError = await client.cities({ filter: { province: 'atlantis' } }).catch((e) => e);
    expect(filterError).toBeInstanceOf(esm.NotFoundError);
    expect(filterError.errors[0].extensions.field).toBe('filter.province');
  });

  it('partial data with errors is surfaced on the error, not dropped', async () => {
    const client = esm.createClient({ url: app.url });
    const error = await client.request('query { good: city(slug: "baoding") { slug nameEn } bad: city(slug: "atlantis") { slug } }').catch((e) => e);
    expect(error).toBeInstanceOf(esm.NotFoundError);
    expect(error.data).toEqual({ good: { slug: 'baoding', nameEn: 'Baoding' }, bad: null });
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0].path).toEqual(['bad']);
  });
});

describe('network failures, timeouts and retries', () => {
  it('a server that is down -> NetworkError, after the configured retries', async () => {
    const url = await deadUrl();
    const client = esm.createClient({ url, retries: 2, retryDelayMs: 10 });
    const error = await client.regions().catch((e) => e);
    expect(error).toBeInstanceOf(esm.NetworkError);
    expect(error).not.toBeInstanceOf(esm.TimeoutError);
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('a server that never answers -> TimeoutError after timeoutMs (each attempt aborted)', async () => {
    const stub = await startStub(() => 'hang');
    try {
      const client = cjs.createClient({ url: stub.url, timeoutMs: 200, retries: 1, retryDelayMs: 10 });
      const started = Date.now();
      const error = await client.regions().catch((e) => e);
      expect(error).toBeInstanceOf(cjs.TimeoutError);
      expect(error).toBeInstanceOf(cjs.NetworkError);
      expect(error.timeoutMs).toBe(200);
      expect(stub.requests.length).toBe(2);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await stub.close();
    }
  });

  it('retries a query after network failures and counts the calls', async () => {
    const flaky = flakyFetch(2);
    const client = esm.createClient({ url: app.url, fetch: flaky.fetch, retries: 2, retryDelayMs: 5 });
    const { city } = await client.city({ slug: 'xian' });
    expect(city?.nameEn).toBe("Xi'an");
    expect(flaky.calls.length).toBe(3);

    const tooFlaky = flakyFetch(3);
    const error = await esm.createClient({ url: app.url, fetch: tooFlaky.fetch, retries: 2, retryDelayMs: 5 }).city({ slug: 'xian' }).catch((e) => e);
    expect(error).toBeInstanceOf(esm.NetworkError);
    expect(tooFlaky.calls.length).toBe(3);

    const noRetry = flakyFetch(1);
    const perCall = await esm.createClient({ url: app.url, fetch: noRetry.fetch }).city({ slug: 'xian' }, { retries: 0 }).catch((e) => e);
    expect(perCall).toBeInstanceOf(esm.NetworkError);
    expect(noRetry.calls.length).toBe(1);
  });

  it('does not retry errors that a retry cannot fix (bad input)', async () => {
    const counted = flakyFetch(0);
    const client = esm.createClient({ url: app.url, fetch: counted.fetch, retries: 3, retryDelayMs: 5 });
    await expect(client.city({ slug: 'atlantis' })).rejects.toBeInstanceOf(esm.NotFoundError);
    expect(counted.calls.length).toBe(1);
  });

  it('never retries a mutation without an idempotency key; retries it with one, sending Idempotency-Key', async () => {
    const mutation = 'mutation touch($id: ID!) { touch(id: $id) { ok } }';
    const failing = flakyFetch(5);
    const client = esm.createClient({ url: 'http://127.0.0.1:9/graphql', fetch: failing.fetch, retries: 3, retryDelayMs: 5 });
    await expect(client.request(mutation, { id: '1' })).rejects.toBeInstanceOf(esm.NetworkError);
    expect(failing.calls.length).toBe(1);

    const stub = await startStub((_req, i) => (i < 3 ? { status: 503, body: 'unavailable' } : { body: { data: { touch: { ok: true } } } }));
    try {
      const viaStub = esm.createClient({ url: stub.url, retries: 3, retryDelayMs: 5 });
      await expect(viaStub.request(mutation, { id: '1' })).rejects.toBeInstanceOf(esm.ServerError);
      expect(stub.requests.length).toBe(1);
      const data = await viaStub.request(mutation, { id: '1' }, { idempotencyKey: 'touch-1' });
      expect(data).toEqual({ touch: { ok: true } });
      expect(stub.requests.length).toBe(4);
      expect(stub.requests.slice(1).map((r) => r.headers['idempotency-key'])).toEqual(['touch-1', 'touch-1', 'touch-1']);
      expect(stub.requests[0].headers['idempotency-key']).toBeUndefined();
    } finally {
      await stub.close();
    }
  });

  it('a cancelled request rejects with the signal reason and is not retried', async () => {
    const stub = await startStub(() => 'hang');
    try {
      const client = esm.createClient({ url: stub.url, retries: 3 });
      const controller = new AbortController();
      const pending = client.regions(undefined, { signal: controller.signal }).catch((e) => e);
      setTimeout(() => controller.abort(new Error('user cancelled')), 50);
      const error = await pending;
      expect(error.message).toBe('user cancelled');
      expect(stub.requests.length).toBe(1);
    } finally {
      await stub.close();
    }
  });
});

describe('HTTP and GraphQL error mapping (local stub)', () => {
  it('HTTP 429 with Retry-After -> RateLimitError with retryAfter in seconds', async () => {
    const stub = await startStub(() => ({ status: 429, headers: { 'retry-after': '7' }, body: 'slow down' }));
    try {
      // 7 s is more than this client is willing to wait: it does not retry.
      const client = esm.createClient({ url: stub.url, maxRetryDelayMs: 1000 });
      const error = await client.regions().catch((e) => e);
      expect(error).toBeInstanceOf(esm.RateLimitError);
      expect(error.retryAfter).toBe(7);
      expect(error.status).toBe(429);
      expect(stub.requests.length).toBe(1);
    } finally {
      await stub.close();
    }
  });

  it('HTTP 429 with a short Retry-After is waited for, then retried', async () => {
    const stub = await startStub((_req, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: { errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] } } : { body: { data: { regions: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } } } }));
    try {
      const client = cjs.createClient({ url: stub.url, retryDelayMs: 5 });
      const started = Date.now();
      const { regions } = await client.regions();
      expect(regions.totalCount).toBe(0);
      expect(stub.requests.length).toBe(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    } finally {
      await stub.close();
    }
  });

  it('HTTP 500 -> ServerError (retried for a query)', async () => {
    const stub = await startStub(() => ({ status: 500, body: '<html>Internal Server Error</html>' }));
    try {
      const client = esm.createClient({ url: stub.url, retries: 2, retryDelayMs: 5 });
      const error = await client.regions().catch((e) => e);
      expect(error).toBeInstanceOf(esm.ServerError);
      expect(error.status).toBe(500);
      expect(error.code).toBe('HTTP_500');
      expect(stub.requests.length).toBe(3);
    } finally {
      await stub.close();
    }
  });

  it('maps every extensions.code and HTTP status to its class, and sends token and headers', async () => {
    const cases: [string | number, keyof Sdk][] = [
      ['UNAUTHENTICATED', 'AuthenticationError'],
      ['FORBIDDEN', 'PermissionError'],
      ['BAD_USER_INPUT', 'ValidationError'],
      ['NOT_FOUND', 'NotFoundError'],
      ['CONFLICT', 'ConflictError'],
      ['RATE_LIMITED', 'RateLimitError'],
      ['INTERNAL_SERVER_ERROR', 'ServerError'],
      [401, 'AuthenticationError'],
      [403, 'PermissionError'],
      [404, 'NotFoundError'],
      [409, 'ConflictError'],
      [502, 'ServerError'],
    ];
    for (const [answer, className] of cases) {
      const stub = await startStub(() =>
        typeof answer === 'number'
          ? { status: answer, body: 'nope' }
          : { body: { data: null, errors: [{ message: `failed: ${answer}`, extensions: { code: answer, field: 'input.name' } }] } },
      );
      try {
        const client = cjs.createClient({ url: stub.url, token: 't0ken', headers: { 'x-app': 'report-builder' }, retries: 0 });
        const error = await client.regions().catch((e) => e);
        expect(error, String(answer)).toBeInstanceOf(cjs[className] as any);
        expect(error.name).toBe(className);
        expect(cjs.isAirledgerError(error)).toBe(true);
        expect(esm.isAirledgerError(error)).toBe(true);
        if (typeof answer === 'string') expect(error.code).toBe(answer);
        else expect(error.status).toBe(answer);
        if (className === 'ValidationError') expect(error.field).toBe('input.name');
        expect(stub.requests[0].headers.authorization).toBe('Bearer t0ken');
        expect(stub.requests[0].headers['x-app']).toBe('report-builder');
        expect(stub.requests[0].body.operationName).toBe('regions');
      } finally {
        await stub.close();
      }
    }
  });

  it('mutation userErrors throw ValidationError with their field paths by default; throwOnUserErrors: false returns the payload', async () => {
    const payload = { createThing: { thing: null, userErrors: [{ field: ['input', 'creditCode'], code: 'TAKEN', message: 'Already registered.' }] } };
    const stub = await startStub(() => ({ body: { data: payload } }));
    try {
      const client = esm.createClient({ url: stub.url });
      const mutation = 'mutation createThing { createThing(input: {}) { thing { id } userErrors { field code message } } }';
      const error = await client.request(mutation).catch((e) => e);
      expect(error).toBeInstanceOf(esm.ValidationError);
      expect(error.code).toBe('USER_ERRORS');
      expect(error.fields).toEqual([{ path: ['input', 'creditCode'], code: 'TAKEN', message: 'Already registered.' }]);
      expect(error.field).toBe('input.creditCode');
      expect(error.data).toEqual(payload);

      const returned = await client.request<typeof payload>(mutation, undefined, { throwOnUserErrors: false });
      expect(returned).toEqual(payload);
      expect(() => esm.assertNoUserErrors(returned.createThing)).toThrow(esm.ValidationError);
      const lenient = esm.createClient({ url: stub.url, throwOnUserErrors: false });
      expect(await lenient.request(mutation)).toEqual(payload);
    } finally {
      await stub.close();
    }
  });

  it('a 200 response that is not JSON -> ServerError', async () => {
    const stub = await startStub(() => ({ status: 200, body: 'hello' }));
    try {
      const error = await esm.createClient({ url: stub.url, retries: 0 }).regions().catch((e) => e);
      expect(error).toBeInstanceOf(esm.ServerError);
      expect(error.code).toBe('INVALID_RESPONSE');
    } finally {
      await stub.close();
    }
  });
});
