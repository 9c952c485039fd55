import type { EntityManager } from '@mikro-orm/postgresql';
import type { Faker } from '@faker-js/faker';
import { AgriculturalFacilityKind as K, AgriculturalFacilityStatus as S, DataOrigin, HeatingSystem, ProjectType } from '@airledger/schema';
import { knexOf } from '../../common/sql.js';
import { SEED_ACTOR } from '../../common/actor.js';
import { insertChunked } from '../../seeders/demo-random.js';
import type { DemoSeeder } from '../../seeders/index.js';

const NAME: Record<K, string> = { GREENHOUSE: '温室大棚', GRAIN_DRYER: '粮食烘干塔', LIVESTOCK: '养殖场', TOBACCO_CURING: '烤烟房', OTHER: '农业用煤设施' };
const DAY = 86_400_000;
const ms = (date: string) => Date.parse(`${date}T00:00:00Z`);
const fmt = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : d === null || d === undefined ? null : String(d).slice(0, 10));

/**
 * The demo agricultural coal facility list and ban zones. Each demo AGRICULTURAL_COAL_REPLACEMENT
 * project names as many facilities as the units it declares, in villages of its city, REPLACED
 * between its actual start and end when completed, still on COAL otherwise; every city of the
 * plan keeps a few more facilities on coal, and has one to three ban zones (禁燃区: the urban
 * core, designated years ago, and often an extension of 2023).
 */
export const agricultureDemoSeeder: DemoSeeder = {
  name: 'agriculture',
  async run(em: EntityManager, faker: Faker) {
    const knex = knexOf(em);
    const actor = SEED_ACTOR.id;
    const base = { origin: DataOrigin.DEMO, created_by: actor, updated_by: actor };
    const cities: { id: number; name_zh: string }[] = await knex('city').orderBy('plan_order').select('id', 'name_zh');
    const villagesOf = new Map<number, number[]>();
    for (const v of (await knex('locality').where('level', 'VILLAGE').orderBy('id').select('id', 'city_id')) as { id: number; city_id: number }[]) {
      villagesOf.set(v.city_id, [...(villagesOf.get(v.city_id) ?? []), v.id]);
    }
    const village = (cityId: number) => (villagesOf.get(cityId)?.length ? faker.helpers.arrayElement(villagesOf.get(cityId)!) : null);
    const kinds = Object.values(K);
    const rows: Record<string, unknown>[] = [];
    const projects: { id: number; city_id: number; status: string; units: number; actual_start_date: unknown; actual_end_date: unknown }[] = await knex('retrofit_project')
      .where({ origin: DataOrigin.DEMO, type: ProjectType.AGRICULTURAL_COAL_REPLACEMENT })
      .orderBy('id')
      .select('id', 'city_id', 'status', 'units', 'actual_start_date', 'actual_end_date');
    for (const p of projects) {
      const done = p.status === 'COMPLETED' || p.status === 'VERIFIED';
      const start = fmt(p.actual_start_date);
      const end = fmt(p.actual_end_date);
      for (let i = 1; i <= Math.max(1, p.units); i++) {
        const kind = faker.helpers.arrayElement(kinds);
        const replacedOn = done && start && end ? new Date(faker.number.int({ min: ms(start), max: Math.max(ms(start), ms(end)) })).toISOString().slice(0, 10) : null;
        rows.push({
          ...base,
          city_id: p.city_id,
          village_id: village(p.city_id),
          project_id: p.id,
          name: `${i}号${NAME[kind]}`,
          kind,
          status: replacedOn ? S.REPLACED : S.COAL,
          replaced_by: replacedOn ? faker.helpers.arrayElement([HeatingSystem.ELECTRICITY, HeatingSystem.GAS, HeatingSystem.OTHER]) : null,
          replaced_on: replacedOn,
        });
      }
    }
    const zones: Record<string, unknown>[] = [];
    for (const c of cities) {
      const coal = faker.number.int({ min: 2, max: 6 });
      for (let i = 1; i <= coal; i++) {
        const kind = faker.helpers.arrayElement(kinds);
        rows.push({ ...base, city_id: c.id, village_id: village(c.id), project_id: null, name: `${NAME[kind]}（未替代）${i}号`, kind, status: S.COAL, replaced_by: null, replaced_on: null });
      }
      zones.push({ ...base, city_id: c.id, name: `${c.name_zh}主城区高污染燃料禁燃区`, area_km2: faker.number.int({ min: 4000, max: 60000 }) / 100, designated_on: new Date(ms('2015-01-01') + faker.number.int({ min: 0, max: 1800 }) * DAY).toISOString().slice(0, 10) });
      const more = faker.number.int({ min: 0, max: 2 });
      for (let i = 1; i <= more; i++) {
        zones.push({ ...base, city_id: c.id, name: `${c.name_zh}禁燃区扩展区${i}`, area_km2: faker.number.int({ min: 1000, max: 30000 }) / 100, designated_on: new Date(ms('2023-06-01') + faker.number.int({ min: 0, max: 200 }) * DAY).toISOString().slice(0, 10) });
      }
    }
    await insertChunked(knex, 'agricultural_coal_facility', rows);
    await insertChunked(knex, 'ban_zone', zones);
  },
};
