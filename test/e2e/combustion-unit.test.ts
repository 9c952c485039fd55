/**
 * The combustion-unit inventory (锅炉炉窑清单): each rule of the plan refused once and passing
 * once, elimination projects naming their units, and the boiler / gas-producer targets counting
 * eliminated units (checked against plain SQL over the fixture and the plan's 55 and 169).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const UNIT_FIELDS = 'id version kind fuel capacityTph chamberHeightM status scheduledEliminationBy eliminatedOn origin city { slug } eliminationProject { id }';
const CREATE = `mutation($input: CreateCombustionUnitInput!) { createCombustionUnit(input: $input) { combustionUnit { ${UNIT_FIELDS} } userErrors { field code message } } }`;
const UPDATE = `mutation($input: UpdateCombustionUnitInput!) { updateCombustionUnit(input: $input) { combustionUnit { ${UNIT_FIELDS} } userErrors { field code message } } }`;
const CREATE_PROJECT = `mutation($input: CreateRetrofitProjectInput!) { createRetrofitProject(input: $input) { retrofitProject { id } userErrors { field code message } } }`;

const create = async (input: Record<string, unknown>) => (await app.data(CREATE, { input: { city: 'baoding', name: '1号锅炉', ...input } })).createCombustionUnit;
const update = async (input: Record<string, unknown>) => (await app.data(UPDATE, { input })).updateCombustionUnit;
const codes = (r: { userErrors: { field: string[]; code: string }[] }) => r.userErrors.map((e) => `${e.field.join('.')}:${e.code}`);

async function project(input: Record<string, unknown>): Promise<string> {
  const d = await app.data(CREATE_PROJECT, {
    input: { name: '淘汰项目', plannedStartDate: '2023-06-01', plannedEndDate: '2023-11-30', status: 'COMPLETED', actualStartDate: '2023-06-01', actualEndDate: '2023-11-30', ...input },
  });
  expect(d.createRetrofitProject.userErrors).toEqual([]);
  return d.createRetrofitProject.retrofitProject.id;
}

async function progress(code: string) {
  return (await app.data(`query($code: String!) { taskTarget(code: $code) { quantity progress { achieved percent met countedProjects } } }`, { code })).taskTarget;
}

describe('rules of the combustion-unit inventory', () => {
  it('a coal boiler of 35 t/h or less cannot stay operating; above 35 t/h or scheduled it can', async () => {
    expect(codes(await create({ kind: 'BOILER', fuel: 'COAL', capacityTph: 35 }))).toEqual(['input.status:SMALL_COAL_BOILER_MUST_BE_ELIMINATED']);
    expect(codes(await create({ kind: 'BOILER', fuel: 'COAL', capacityTph: 35.01 }))).toEqual([]);
    expect(codes(await create({ kind: 'BOILER', fuel: 'GAS', capacityTph: 10 }))).toEqual([]);
    const scheduled = await create({ kind: 'BOILER', fuel: 'COAL', capacityTph: 20, status: 'SCHEDULED_FOR_ELIMINATION', scheduledEliminationBy: '2023-12-31' });
    expect(scheduled.userErrors).toEqual([]);
    expect(scheduled.combustionUnit).toMatchObject({ status: 'SCHEDULED_FOR_ELIMINATION', scheduledEliminationBy: '2023-12-31', origin: 'RECORDED', city: { slug: 'baoding' } });
    // Back to operating is refused by an update as well; nothing is written.
    const back = await update({ id: scheduled.combustionUnit.id, status: 'OPERATING' });
    expect(codes(back)).toEqual(['input.status:SMALL_COAL_BOILER_MUST_BE_ELIMINATED']);
    const [row] = await app.sql(`select status, version from combustion_unit where id = ?`, [Number(scheduled.combustionUnit.id)]);
    expect(row).toEqual({ status: 'SCHEDULED_FOR_ELIMINATION', version: 1 });
  });

  it('a new coal boiler outside central heating is refused unless approved as an exception', async () => {
    const big = { kind: 'BOILER', fuel: 'COAL', capacityTph: 70, newBuild: true };
    expect(codes(await create(big))).toEqual(['input.newBuild:NEW_COAL_BOILER_NOT_ALLOWED']);
    expect(codes(await create({ ...big, centralHeating: true }))).toEqual([]);
    expect(codes(await create({ ...big, approvedException: true }))).toEqual([]);
    expect(codes(await create({ ...big, fuel: 'GAS' }))).toEqual([]);
  });

  it('an eliminated unit names the project that eliminates it, of the type for its kind, in its city', async () => {
    const boilerProject = await project({ city: 'baoding', type: 'BOILER_ELIMINATION', taskTarget: 'COAL_BOILERS_ELIMINATED', units: 1 });
    const kilnProject = await project({ city: 'baoding', type: 'KILN_ELIMINATION', units: 1 });
    const elsewhere = await project({ city: 'xingtai', type: 'BOILER_ELIMINATION', units: 1 });
    const boiler = { kind: 'BOILER', fuel: 'COAL', capacityTph: 10, status: 'ELIMINATED', eliminatedOn: '2023-11-30' };
    expect(codes(await create(boiler))).toEqual(['input.eliminationProjectId:REQUIRED']);
    expect(codes(await create({ ...boiler, eliminationProjectId: kilnProject }))).toEqual(['input.eliminationProjectId:NOT_ALLOWED']);
    expect(codes(await create({ ...boiler, eliminationProjectId: elsewhere }))).toEqual(['input.eliminationProjectId:NOT_ALLOWED']);
    expect(codes(await create({ ...boiler, eliminatedOn: null, eliminationProjectId: boilerProject }))).toEqual(['input.eliminatedOn:REQUIRED']);
    expect(codes(await create({ ...boiler, eliminatedOn: '2999-01-01', eliminationProjectId: boilerProject }))).toEqual(['input.eliminatedOn:INVALID_DATE']);
    const ok = await create({ ...boiler, eliminationProjectId: boilerProject });
    expect(ok.userErrors).toEqual([]);
    expect(ok.combustionUnit.eliminationProject).toEqual({ id: boilerProject });
    // The project lists the units it eliminates.
    const d = await app.data(`query($id: ID!) { retrofitProject(id: $id) { eliminatedUnits { id status } } }`, { id: boilerProject });
    expect(d.retrofitProject.eliminatedUnits).toEqual([{ id: ok.combustionUnit.id, status: 'ELIMINATED' }]);
    // ELIMINATED is final.
    expect(codes(await update({ id: ok.combustionUnit.id, status: 'SCHEDULED_FOR_ELIMINATION', scheduledEliminationBy: '2024-01-01', eliminatedOn: null }))).toEqual(['input.status:INVALID_TRANSITION']);
    // A boiler needs its capacity, a coke oven its chamber height.
    expect(codes(await create({ kind: 'BOILER', fuel: 'GAS' }))).toEqual(['input.capacityTph:REQUIRED']);
    expect(codes(await create({ kind: 'COKE_OVEN', fuel: 'COAL' }))).toEqual(['input.chamberHeightM:REQUIRED']);
    expect(codes(await create({ kind: 'COKE_OVEN', fuel: 'COAL', chamberHeightM: 4.3 }))).toEqual([]);
  });

  it('version conflicts are refused', async () => {
    const u = await create({ kind: 'KILN', fuel: 'GAS' });
    expect(codes(await update({ id: u.combustionUnit.id, version: 7, name: '窑' }))).toEqual(['input.version:CONFLICT']);
    const ok = await update({ id: u.combustionUnit.id, version: 1, name: '2号窑' });
    expect(ok.combustionUnit.version).toBe(2);
  });
});

describe('boiler and gas-producer targets count eliminated units', () => {
  it('counts eliminated units of counting projects by the deadline, as plain SQL does, against the plan\'s 55 and 169', async () => {
    expect((await progress('COAL_BOILERS_ELIMINATED')).quantity).toBe(55);
    expect((await progress('GAS_GENERATORS_ELIMINATED')).quantity).toBe(169);
    const before = (await progress('COAL_BOILERS_ELIMINATED')).progress.achieved;
    // A project declaring 50 units that names 2 eliminated boilers counts 2; one eliminated after the deadline does not count.
    const p = await project({ city: 'handan', type: 'BOILER_ELIMINATION', taskTarget: 'COAL_BOILERS_ELIMINATED', units: 50 });
    for (const eliminatedOn of ['2023-11-01', '2023-12-31', '2024-01-02']) {
      const r = await create({ city: 'handan', kind: 'BOILER', fuel: 'COAL', capacityTph: 6, status: 'ELIMINATED', eliminatedOn, eliminationProjectId: p });
      expect(r.userErrors).toEqual([]);
    }
    expect((await progress('COAL_BOILERS_ELIMINATED')).progress.achieved).toBe(before + 2);

    const g = await project({ city: 'handan', type: 'GAS_GENERATOR_ELIMINATION', taskTarget: 'GAS_GENERATORS_ELIMINATED', units: 169 });
    for (let i = 0; i < 3; i++) {
      expect((await create({ city: 'handan', kind: 'GAS_PRODUCER', fuel: 'COAL', status: 'ELIMINATED', eliminatedOn: '2023-11-30', eliminationProjectId: g })).userErrors).toEqual([]);
    }
    // 3 of 169, although the project declares 169 units.
    expect((await progress('GAS_GENERATORS_ELIMINATED')).progress).toEqual({ achieved: 3, percent: 1.78, met: false, countedProjects: 1 });

    const plain = await app.sql<{ code: string; n: number }>(
      `select t.code, count(u.id)::int as n
         from task_target t
         join retrofit_project p on p.task_target_id = t.id and p.status in ('COMPLETED', 'VERIFIED') and p.actual_end_date <= t.deadline
         join combustion_unit u on u.elimination_project_id = p.id and u.status = 'ELIMINATED' and u.eliminated_on <= t.deadline
        where (t.code = 'COAL_BOILERS_ELIMINATED' and u.kind = 'BOILER' and u.fuel = 'COAL') or (t.code = 'GAS_GENERATORS_ELIMINATED' and u.kind = 'GAS_PRODUCER')
        group by t.code order by t.code`,
    );
    expect(plain).toEqual([
      { code: 'COAL_BOILERS_ELIMINATED', n: (await progress('COAL_BOILERS_ELIMINATED')).progress.achieved },
      { code: 'GAS_GENERATORS_ELIMINATED', n: 3 },
    ]);
  });
});

describe('reading the inventory', () => {
  it('needs a key, filters by place and kind, and a city key sees its own cities only', async () => {
    const anonymous = await app.anonymous.gql(`{ combustionUnits { totalCount } }`);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const all = await app.data(`{ combustionUnits(filter: { city: "handan", kinds: [GAS_PRODUCER] }) { totalCount nodes { kind city { slug } } } }`);
    expect(all.combustionUnits.totalCount).toBe(3);
    const key = await app.createKey({ role: 'CITY', city: 'xingtai' });
    const mine = await app.as(key.secret).data(`{ combustionUnits(filter: { city: "handan" }) { totalCount } }`);
    expect(mine.combustionUnits.totalCount).toBe(0);
    const refused = await app.as(key.secret).gql(CREATE, { input: { city: 'handan', kind: 'KILN', fuel: 'GAS', name: '越权窑' } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await app.sql(`select id from combustion_unit where name = '越权窑'`)).toEqual([]);
    // READ_ONLY reads every city and writes nothing; anonymous cannot write.
    const readOnly = await app.createKey({ role: 'READ_ONLY' });
    expect((await app.as(readOnly.secret).data(`{ combustionUnits(filter: { city: "handan" }) { totalCount } }`)).combustionUnits.totalCount).toBeGreaterThan(0);
    const ro = await app.as(readOnly.secret).gql(CREATE, { input: { city: 'handan', kind: 'KILN', fuel: 'GAS', name: '越权窑' } });
    expect(ro.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anon = await app.anonymous.gql(CREATE, { input: { city: 'handan', kind: 'KILN', fuel: 'GAS', name: '越权窑' } });
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await app.sql(`select id from combustion_unit where name = '越权窑'`)).toEqual([]);
  });
});

describe('the place below the city a unit stands in', () => {
  const CREATE_LOCALITY = `mutation($input: CreateLocalityInput!) { createLocality(input: $input) { locality { id } userErrors { field code } } }`;
  const locality = async (input: Record<string, unknown>) => {
    const d = (await app.data(CREATE_LOCALITY, { input })).createLocality;
    expect(d.userErrors).toEqual([]);
    return d.locality.id as string;
  };
  const PLACED = `mutation($input: CreateCombustionUnitInput!) { createCombustionUnit(input: $input) { combustionUnit { id locality { id level } } userErrors { field code message } } }`;
  const MOVE = `mutation($input: UpdateCombustionUnitInput!) { updateCombustionUnit(input: $input) { combustionUnit { id version locality { id } } userErrors { field code message } } }`;
  const kiln = (name: string, extra: Record<string, unknown>) => ({ city: 'langfang', kind: 'KILN', fuel: 'GAS', name, ...extra });

  it('is a county, township or village of its own city; another city\'s place is refused and nothing is written', async () => {
    const county = await locality({ city: 'langfang', level: 'COUNTY', nameZh: '固安县' });
    const township = await locality({ city: 'langfang', level: 'TOWNSHIP', parentId: county, nameZh: '柳泉镇' });
    const village = await locality({ city: 'langfang', level: 'VILLAGE', parentId: township, nameZh: '东红寺村' });
    const elsewhere = await locality({ city: 'cangzhou', level: 'COUNTY', nameZh: '献县' });

    for (const [name, place, level] of [['县属窑', county, 'COUNTY'], ['镇属窑', township, 'TOWNSHIP'], ['村属窑', village, 'VILLAGE']] as const) {
      const d = (await app.data(PLACED, { input: kiln(name, { localityId: place }) })).createCombustionUnit;
      expect(d.userErrors).toEqual([]);
      expect(d.combustionUnit.locality).toEqual({ id: place, level });
    }
    const refused = (await app.data(PLACED, { input: kiln('跨市窑', { localityId: elsewhere }) })).createCombustionUnit;
    expect(refused.userErrors.map((e: { field: string[]; code: string }) => `${e.field.join('.')}:${e.code}`)).toEqual(['input.localityId:NOT_FOUND']);
    const bad = (await app.data(PLACED, { input: kiln('坏编号窑', { localityId: 'not-an-id' }) })).createCombustionUnit;
    expect(bad.userErrors.map((e: { field: string[] }) => e.field.join('.'))).toEqual(['input.localityId']);
    expect(await app.sql(`select id from combustion_unit where name in ('跨市窑', '坏编号窑')`)).toEqual([]);

    // The table holds the rule too: a unit's place is of the unit's city.
    const [unit] = await app.sql<{ id: number }>(`select id from combustion_unit where name = '县属窑'`);
    await expect(app.sql(`update combustion_unit set locality_id = ? where id = ?`, [Number(elsewhere), unit.id])).rejects.toThrow(/combustion_unit_locality_in_city/);

    // Moving a unit: to another city's place is refused; null clears the place.
    const moved = (await app.data(MOVE, { input: { id: String(unit.id), localityId: elsewhere } })).updateCombustionUnit;
    expect(moved.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_FOUND']);
    const cleared = (await app.data(MOVE, { input: { id: String(unit.id), localityId: null } })).updateCombustionUnit;
    expect(cleared.userErrors).toEqual([]);
    expect(cleared.combustionUnit.locality).toBeNull();
    const back = (await app.data(MOVE, { input: { id: String(unit.id), localityId: county } })).updateCombustionUnit;
    expect(back.combustionUnit.locality).toEqual({ id: county });
  });

  it('the list filters by a locality: the place itself and every place under it, as plain SQL does', async () => {
    const [county] = await app.sql<{ id: number }>(`select l.id from locality l join city c on c.id = l.city_id where c.slug = 'langfang' and l.name_zh = '固安县'`);
    const [township] = await app.sql<{ id: number }>(`select l.id from locality l where l.parent_id = ?`, [county.id]);
    const LIST = `query($id: ID!) { combustionUnits(filter: { localityId: $id }, first: 100) { totalCount nodes { name } } }`;
    const names = async (id: number) => (await app.data(LIST, { id: String(id) })).combustionUnits.nodes.map((n: { name: string }) => n.name).sort();
    expect(await names(county.id)).toEqual(['县属窑', '村属窑', '镇属窑'].sort());
    expect(await names(township.id)).toEqual(['村属窑', '镇属窑'].sort());
    const plain = await app.sql<{ name: string }>(
      `select u.name from combustion_unit u join locality l on l.id = u.locality_id left join locality p on p.id = l.parent_id left join locality g on g.id = p.parent_id
        where ? in (l.id, p.id, g.id) order by u.name`,
      [township.id],
    );
    expect(plain.map((r) => r.name).sort()).toEqual(await names(township.id));
    // A CITY key of another city finds none of them.
    const key = await app.createKey({ role: 'CITY', city: 'cangzhou' });
    expect((await app.as(key.secret).data(LIST, { id: String(county.id) })).combustionUnits.totalCount).toBe(0);
  });
});
