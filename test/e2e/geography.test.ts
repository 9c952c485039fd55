import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

describe('regions, provinces and cities (the plan\'s geography)', () => {
  it('holds the plan\'s 2 regions, 7 provinces and 56 cities, 40 and 16 by region', async () => {
    const d = await app.data(`{
      regions { totalCount nodes { code nameZh cities { slug } } }
      provinces { totalCount nodes { slug } }
      cities(first: 100) { totalCount nodes { slug } }
    }`);
    expect(d.regions.totalCount).toBe(2);
    const byCode = Object.fromEntries(d.regions.nodes.map((r: any) => [r.code, r]));
    expect(byCode.JJJ_SURROUNDING.cities).toHaveLength(40);
    expect(byCode.FENWEI_PLAIN.cities).toHaveLength(16);
    expect(byCode.FENWEI_PLAIN.nameZh).toBe('汾渭平原');
    expect(d.provinces.totalCount).toBe(7);
    expect(d.cities.totalCount).toBe(56);
    expect(d.cities.nodes).toHaveLength(56);
  });

  it('finds a city by slug with its province and region', async () => {
    const d = await app.data(`{ city(slug: "luoyang") { nameZh nameEn kind divisionCode province { slug nameZh } region { code } } }`);
    expect(d.city).toEqual({
      nameZh: '洛阳市',
      nameEn: 'Luoyang',
      kind: 'PREFECTURE_CITY',
      divisionCode: '410300',
      province: { slug: 'henan', nameZh: '河南省' },
      region: { code: 'FENWEI_PLAIN' },
    });
    const x = await app.data(`{ city(slug: "xiongan") { kind divisionCode } }`);
    expect(x.city).toEqual({ kind: 'NEW_AREA', divisionCode: null });
  });

  it('lists a province\'s cities both ways', async () => {
    const d = await app.data(`{ province(slug: "shaanxi") { nameEn cities { slug province { slug } } } }`);
    expect(d.province.cities.map((c: any) => c.slug)).toEqual(['xian', 'tongchuan', 'baoji', 'xianyang', 'weinan', 'yangling']);
    expect(new Set(d.province.cities.map((c: any) => c.province.slug))).toEqual(new Set(['shaanxi']));
  });

  it('filters cities by region, province and kind', async () => {
    const d = await app.data(`{
      fenwei: cities(filter: { region: FENWEI_PLAIN }) { totalCount }
      henanFenwei: cities(filter: { region: FENWEI_PLAIN, province: "henan" }) { nodes { slug } }
      county: cities(filter: { kind: COUNTY_LEVEL_CITY }) { nodes { slug } }
    }`);
    expect(d.fenwei.totalCount).toBe(16);
    expect(d.henanFenwei.nodes.map((c: any) => c.slug).sort()).toEqual(['luoyang', 'sanmenxia']);
    expect(d.county.nodes.map((c: any) => c.slug).sort()).toEqual(['dingzhou', 'jiyuan', 'xinji']);
  });

  it('pages through cities with cursors in a stable order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const d: any = await app.data(`query($after: String) { cities(first: 20, after: $after, orderBy: { field: SLUG }) { nodes { slug } pageInfo { hasNextPage endCursor } } }`, { after });
      seen.push(...d.cities.nodes.map((c: any) => c.slug));
      pages++;
      if (!d.cities.pageInfo.hasNextPage) break;
      after = d.cities.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(56);
    expect(seen).toEqual([...seen].sort());
  });

  it('reports no demo dataset on a ledger that holds only the plan\'s data', async () => {
    expect((await app.data(`{ demoDataset { seed } }`)).demoDataset).toBeNull();
  });

  it('answers unknown slugs and bad paging arguments with coded errors naming the field', async () => {
    const unknownCity = await app.gql(`{ city(slug: "atlantis") { slug } }`);
    expect(unknownCity.data?.city).toBeNull();
    expect(unknownCity.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'slug' });

    const unknownProvince = await app.gql(`{ cities(filter: { province: "nowhere" }) { totalCount } }`);
    expect(unknownProvince.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.province' });

    const badFirst = await app.gql(`{ cities(first: -1) { totalCount } }`);
    expect(badFirst.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first', reason: 'OUT_OF_RANGE' });

    const badCursor = await app.gql(`{ cities(after: "not-a-cursor") { totalCount } }`);
    expect(badCursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
