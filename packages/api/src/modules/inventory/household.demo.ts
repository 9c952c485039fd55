import type { EntityManager } from '@mikro-orm/postgresql';
import type { Faker } from '@faker-js/faker';
import { DataOrigin, HeatingSystem, LocalityLevel, ProjectType } from '@airledger/schema';
import { knexOf } from '../../common/sql.js';
import { SEED_ACTOR } from '../../common/actor.js';
import { insertChunked } from '../../seeders/demo-random.js';
import type { DemoSeeder } from '../../seeders/index.js';

const STEMS = ['东', '西', '南', '北', '新', '安', '平', '宁', '丰', '永', '长', '清', '河', '山', '阳', '兴', '富', '和', '福', '泉', '杨', '柳', '桥', '石', '高', '马', '白', '黄', '青', '龙', '凤', '古', '太', '大', '小', '双', '三', '官', '王', '李', '张', '刘'];
const VILLAGE_SUFFIX = ['庄', '家庄', '营', '屯', '店', '寨', '堡', '集', '楼', '河', '沟', '坡'];
const DAY = 86_400_000;
const ms = (date: string) => Date.parse(`${date}T00:00:00Z`);
const toDate = (t: number) => new Date(t).toISOString().slice(0, 10);
const fmt = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : d === null || d === undefined ? null : String(d).slice(0, 10));

/** A name not yet used under the same parent. */
function uniqueName(faker: Faker, used: Set<string>, make: () => string): string {
  for (let i = 0; i < 20; i++) {
    const name = make();
    if (!used.has(name)) return used.add(name), name;
  }
  const name = `${make()}${used.size + 1}`;
  used.add(name);
  return name;
}

interface HouseholdProject {
  id: number;
  city_id: number;
  type: ProjectType;
  status: string;
  households: number;
  actual_start_date: string | null;
  actual_end_date: string | null;
}

/**
 * The demo place hierarchy below the city and the village conversion list. In every city of the
 * plan 2-4 counties, each with 2-3 townships of 3-5 villages (division codes under the city's).
 * Each demo clean-heating project converts its households in 1-4 villages of its city: a
 * completed project all of them, between its actual start and end (so that a project's
 * conversions add up to the households it declares, and COAL_HOUSEHOLDS counts what the demo
 * projects declare, less what was put into use after the city's heating-season start); a
 * project in progress 30-80% of them; a planned one none. Conversions in use before the
 * heating season mostly report a stable supply, many a completed first season (at the season's
 * end) and some the old heating removed after it (build before break). Every city also has a few
 * conversions of the 2022-2023 season without a project, their old heating removed in 2023.
 */
export const householdDemoSeeder: DemoSeeder = {
  name: 'household-conversion',
  async run(em: EntityManager, faker: Faker) {
    const knex = knexOf(em);
    const actor = SEED_ACTOR.id;
    const base = { origin: DataOrigin.DEMO, created_by: actor, updated_by: actor };
    const cities: { id: number; division_code: string | null }[] = await knex('city').orderBy('plan_order').select('id', 'division_code');
    const stem = () => faker.helpers.arrayElement(STEMS) + faker.helpers.arrayElement(STEMS);

    // Counties, townships, villages.
    const counties: Record<string, unknown>[] = [];
    for (const c of cities) {
      const used = new Set<string>();
      const n = faker.number.int({ min: 2, max: 4 });
      for (let i = 1; i <= n; i++) {
        const code = c.division_code ? `${c.division_code.slice(0, 4)}${String(20 + i).padStart(2, '0')}` : null;
        counties.push({ ...base, city_id: c.id, parent_id: null, level: LocalityLevel.COUNTY, name_zh: uniqueName(faker, used, () => `${stem()}${faker.helpers.arrayElement(['县', '区'])}`), division_code: code });
      }
    }
    const countyIds = await insertChunked(knex, 'locality', counties, ['id']);
    const townships: Record<string, unknown>[] = [];
    countyIds.forEach((r, i) => {
      const used = new Set<string>();
      const n = faker.number.int({ min: 2, max: 3 });
      for (let j = 1; j <= n; j++) {
        const code = counties[i].division_code ? `${counties[i].division_code}${String(100 + j).padStart(3, '0')}` : null;
        townships.push({ ...base, city_id: counties[i].city_id, parent_id: r.id, level: LocalityLevel.TOWNSHIP, name_zh: uniqueName(faker, used, () => `${stem()}${faker.helpers.arrayElement(['镇', '乡'])}`), division_code: code });
      }
    });
    const townshipIds = await insertChunked(knex, 'locality', townships, ['id']);
    const villages: Record<string, unknown>[] = [];
    townshipIds.forEach((r, i) => {
      const used = new Set<string>();
      const n = faker.number.int({ min: 3, max: 5 });
      for (let j = 1; j <= n; j++) {
        const code = townships[i].division_code ? `${townships[i].division_code}${String(200 + j).padStart(3, '0')}` : null;
        villages.push({ ...base, city_id: townships[i].city_id, parent_id: r.id, level: LocalityLevel.VILLAGE, name_zh: uniqueName(faker, used, () => `${stem()}${faker.helpers.arrayElement(VILLAGE_SUFFIX)}村`), division_code: code });
      }
    });
    const villageIds = await insertChunked(knex, 'locality', villages, ['id']);
    const villagesOf = new Map<number, number[]>();
    villageIds.forEach((r, i) => {
      const city = villages[i].city_id as number;
      villagesOf.set(city, [...(villagesOf.get(city) ?? []), r.id as number]);
    });

    const seasons = new Map<number, { starts: string; ends: string }>(
      (await knex('heating_season').select('city_id', 'starts_on', 'ends_on')).map((s: { city_id: number; starts_on: unknown; ends_on: unknown }) => [s.city_id, { starts: fmt(s.starts_on)!, ends: fmt(s.ends_on)! }]),
    );
    const conversions: Record<string, unknown>[] = [];
    /** Build before break, as a conversion in use on `convertedOn` in city `cityId` would report it. */
    const afterwards = (cityId: number, convertedOn: string) => {
      const season = seasons.get(cityId);
      const stable = faker.datatype.boolean(0.9);
      if (!season || convertedOn > season.starts || !stable) return { supply_stable: stable, first_season_completed_on: null, old_heating_removed_on: null };
      const completed = faker.datatype.boolean(0.75) ? season.ends : null;
      const removed = completed && faker.datatype.boolean(0.5) ? toDate(ms(completed) + faker.number.int({ min: 10, max: 60 }) * DAY) : null;
      return { supply_stable: true, first_season_completed_on: completed, old_heating_removed_on: removed };
    };

    const projects: HouseholdProject[] = await knex('retrofit_project')
      .where('origin', DataOrigin.DEMO)
      .whereIn('type', [ProjectType.CLEAN_HEATING_COAL_TO_GAS, ProjectType.CLEAN_HEATING_COAL_TO_ELECTRICITY])
      .whereIn('status', ['IN_PROGRESS', 'COMPLETED', 'VERIFIED'])
      .where('households', '>', 0)
      .orderBy('id')
      .select('id', 'city_id', 'type', 'status', 'households', 'actual_start_date', 'actual_end_date');
    for (const p of projects) {
      const start = fmt(p.actual_start_date);
      if (!start) continue;
      const done = p.status === 'COMPLETED' || p.status === 'VERIFIED';
      const end = done ? fmt(p.actual_end_date)! : toDate(ms(start) + 40 * DAY);
      const total = done ? p.households : Math.max(1, Math.floor(p.households * faker.number.float({ min: 0.3, max: 0.8 })));
      const places = faker.helpers.arrayElements(villagesOf.get(p.city_id) ?? [], { min: 1, max: 4 }).slice(0, total);
      let left = total;
      places.forEach((village, i) => {
        const households = i === places.length - 1 ? left : Math.max(1, Math.min(left - (places.length - 1 - i), Math.floor(total / places.length)));
        if (households < 1) return;
        left -= households;
        const convertedOn = toDate(faker.number.int({ min: ms(start), max: Math.max(ms(start), ms(end)) }));
        const gas = p.type === ProjectType.CLEAN_HEATING_COAL_TO_GAS;
        const system = faker.datatype.boolean(0.1) ? HeatingSystem.OTHER : gas ? HeatingSystem.GAS : HeatingSystem.ELECTRICITY;
        conversions.push({ ...base, city_id: p.city_id, village_id: village, project_id: p.id, households, new_system: system, converted_on: convertedOn, ...afterwards(p.city_id, convertedOn) });
      });
    }
    // Conversions of the 2022-2023 heating season, without a project of this campaign.
    for (const c of cities) {
      const n = faker.number.int({ min: 1, max: 3 });
      for (let i = 0; i < n; i++) {
        const convertedOn = toDate(faker.number.int({ min: ms('2022-08-01'), max: ms('2022-11-05') }));
        const removed = faker.datatype.boolean(0.8) ? toDate(faker.number.int({ min: ms('2023-04-01'), max: ms('2023-06-30') })) : null;
        conversions.push({
          ...base,
          city_id: c.id,
          village_id: faker.helpers.arrayElement(villagesOf.get(c.id)!),
          project_id: null,
          households: faker.number.int({ min: 20, max: 400 }),
          new_system: faker.helpers.arrayElement([HeatingSystem.GAS, HeatingSystem.ELECTRICITY]),
          converted_on: convertedOn,
          supply_stable: true,
          first_season_completed_on: '2023-03-15',
          old_heating_removed_on: removed,
        });
      }
    }
    await insertChunked(knex, 'household_conversion', conversions);
  },
};
