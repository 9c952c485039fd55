import type { EntityManager } from '@mikro-orm/postgresql';
import type { Faker } from '@faker-js/faker';
import { CombustionFuel as F, CombustionUnitKind as K, CombustionUnitStatus as S, DataOrigin, Industry, ProjectType } from '@airledger/schema';
import { knexOf } from '../../common/sql.js';
import { SEED_ACTOR } from '../../common/actor.js';
import { insertChunked } from '../../seeders/demo-random.js';
import type { DemoSeeder } from '../../seeders/index.js';

const KIND_OF: Partial<Record<ProjectType, K>> = {
  [ProjectType.BOILER_ELIMINATION]: K.BOILER,
  [ProjectType.KILN_ELIMINATION]: K.KILN,
  [ProjectType.GAS_GENERATOR_ELIMINATION]: K.GAS_PRODUCER,
  [ProjectType.COKE_OVEN_CLOSURE]: K.COKE_OVEN,
};
const NAME: Record<K, string> = { BOILER: '燃煤锅炉', KILN: '工业炉窑', GAS_PRODUCER: '煤气发生炉', COKE_OVEN: '焦炉' };
/** Small coal boilers (t/h) of the kind the plan eliminates (35 t/h or less). */
const SMALL_BOILERS = [2, 4, 6, 10, 10, 15, 20, 20, 35];

interface ProjectRow {
  id: number;
  city_id: number;
  enterprise_id: number | null;
  type: ProjectType;
  status: string;
  units: number;
  planned_end_date: string;
  actual_end_date: string | null;
  province: string;
}

/**
 * The demo combustion-unit inventory: the units every demo elimination project names (as many
 * as the project's `units`; ELIMINATED on its actual end date when it is completed, otherwise
 * scheduled for its planned end), so that COAL_BOILERS_ELIMINATED and GAS_GENERATORS_ELIMINATED
 * count the same units as the demo projects declare; and in every city of the plan a few units
 * that keep operating (gas boilers, coal boilers above 35 t/h of central heating, kilns).
 */
export const inventoryDemoSeeder: DemoSeeder = {
  name: 'inventory',
  async run(em: EntityManager, faker: Faker) {
    const knex = knexOf(em);
    const actor = SEED_ACTOR.id;
    const fmt = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));
    const projects: ProjectRow[] = await knex('retrofit_project as p')
      .join('city as c', 'c.id', 'p.city_id')
      .join('province as pr', 'pr.id', 'c.province_id')
      .where('p.origin', DataOrigin.DEMO)
      .whereIn('p.type', Object.keys(KIND_OF))
      .orderBy('p.id')
      .select('p.id', 'p.city_id', 'p.enterprise_id', 'p.type', 'p.status', 'p.units', knex.raw(`to_char(p.planned_end_date, 'YYYY-MM-DD') as planned_end_date`), knex.raw(`to_char(p.actual_end_date, 'YYYY-MM-DD') as actual_end_date`), 'pr.slug as province');
    const rows: Record<string, unknown>[] = [];
    const base = { origin: DataOrigin.DEMO, created_by: actor, updated_by: actor, new_build: false, approved_exception: false };
    for (const p of projects) {
      const kind = KIND_OF[p.type]!;
      const done = p.status === 'COMPLETED' || p.status === 'VERIFIED';
      for (let i = 1; i <= Math.max(1, p.units); i++) {
        rows.push({
          ...base,
          city_id: p.city_id,
          enterprise_id: p.enterprise_id,
          elimination_project_id: p.id,
          kind,
          name: `${i}号${NAME[kind]}`,
          fuel: F.COAL,
          capacity_tph: kind === K.BOILER ? faker.helpers.arrayElement(SMALL_BOILERS) : null,
          chamber_height_m: kind === K.COKE_OVEN ? (p.province === 'shanxi' ? 4.3 : faker.helpers.arrayElement([4.3, 5.5, 6])) : null,
          industry: kind === K.COKE_OVEN ? Industry.COKING : null,
          central_heating: false,
          status: done ? S.ELIMINATED : S.SCHEDULED_FOR_ELIMINATION,
          scheduled_elimination_by: done ? null : fmt(p.planned_end_date),
          eliminated_on: done ? fmt(p.actual_end_date) : null,
        });
      }
    }
    const cities: { id: number }[] = await knex('city').orderBy('plan_order').select('id');
    for (const c of cities) {
      const gas = faker.number.int({ min: 2, max: 6 });
      for (let i = 1; i <= gas; i++) {
        rows.push({ ...base, city_id: c.id, enterprise_id: null, elimination_project_id: null, kind: K.BOILER, name: `${i}号燃气锅炉`, fuel: F.GAS, capacity_tph: faker.helpers.arrayElement([4, 10, 20, 35, 40]), chamber_height_m: null, industry: Industry.HEATING_BOILER, central_heating: faker.datatype.boolean(), status: S.OPERATING, scheduled_elimination_by: null, eliminated_on: null });
      }
      const heating = faker.number.int({ min: 1, max: 3 });
      for (let i = 1; i <= heating; i++) {
        rows.push({ ...base, city_id: c.id, enterprise_id: null, elimination_project_id: null, kind: K.BOILER, name: `集中供热${i}号燃煤锅炉`, fuel: F.COAL, capacity_tph: faker.helpers.arrayElement([58, 70, 116]), chamber_height_m: null, industry: Industry.HEATING_BOILER, central_heating: true, status: S.OPERATING, scheduled_elimination_by: null, eliminated_on: null });
      }
      rows.push({ ...base, city_id: c.id, enterprise_id: null, elimination_project_id: null, kind: K.KILN, name: '1号工业炉窑', fuel: F.GAS, capacity_tph: null, chamber_height_m: null, industry: null, central_heating: false, status: S.OPERATING, scheduled_elimination_by: null, eliminated_on: null });
    }
    await insertChunked(knex, 'combustion_unit', rows);
  },
};

/**
 * Places of the demo combustion units, once the demo's counties, townships and villages exist
 * (householdDemoSeeder): a unit of an enterprise, a central-heating boiler or a coke oven stands
 * in a county (its industrial park or district); a small coal boiler or a kiln of no enterprise
 * in a township or, now and then, a village; about one unit in twenty has no place recorded, as
 * inventories filed before places were kept. A seeder of its own, so that the other demo data
 * stays as it was generated and a ledger seeded before places gets them on its next start.
 */
export const combustionPlacesDemoSeeder: DemoSeeder = {
  name: 'combustion-places',
  async run(em: EntityManager, faker: Faker) {
    const knex = knexOf(em);
    const units: { id: number; city_id: number; kind: K; enterprise_id: number | null; central_heating: boolean }[] = await knex('combustion_unit')
      .where({ origin: DataOrigin.DEMO })
      .whereNull('locality_id')
      .orderBy('id')
      .select('id', 'city_id', 'kind', 'enterprise_id', 'central_heating');
    const places: { id: number; city_id: number; level: string }[] = await knex('locality').where({ origin: DataOrigin.DEMO }).orderBy('id').select('id', 'city_id', 'level');
    const byCity = new Map<string, number[]>();
    for (const p of places) {
      const key = `${p.city_id}:${p.level}`;
      if (!byCity.has(key)) byCity.set(key, []);
      byCity.get(key)!.push(p.id);
    }
    const pairs: [number, number][] = [];
    for (const u of units) {
      if (faker.number.int({ min: 1, max: 20 }) === 1) continue;
      const county = u.enterprise_id !== null || u.central_heating || u.kind === K.COKE_OVEN;
      const level = county ? 'COUNTY' : faker.helpers.weightedArrayElement([{ weight: 3, value: 'TOWNSHIP' }, { weight: 1, value: 'VILLAGE' }, { weight: 1, value: 'COUNTY' }]);
      const choices = byCity.get(`${u.city_id}:${level}`) ?? byCity.get(`${u.city_id}:COUNTY`);
      if (choices?.length) pairs.push([u.id, faker.helpers.arrayElement(choices)]);
    }
    for (let i = 0; i < pairs.length; i += 5000) {
      const chunk = pairs.slice(i, i + 5000);
      await knex.raw(
        `update combustion_unit u set locality_id = v.locality_id from (select unnest(?::int[]) as id, unnest(?::int[]) as locality_id) v where u.id = v.id`,
        [chunk.map((p) => p[0]), chunk.map((p) => p[1])],
      );
    }
  },
};
