import type { Faker } from '@faker-js/faker';
import { DataOrigin, FundingSource, Industry, ProjectStatus, ProjectType } from '@airledger/schema';
import { SEED_ACTOR } from '../../common/actor.js';
import { knexOf } from '../../common/sql.js';
import { insertChunked, weighted } from '../../seeders/demo-random.js';
import type { DemoSeeder } from '../../seeders/index.js';
import { PLAN_2023_2024 } from '../../seeders/plan/plan-2023-2024.js';
import { PROJECT_TYPE_INDUSTRIES, TARGET_PROJECT_TYPES } from './project.rules.js';

const PROJECT_COUNT = 2000;
const T = ProjectType;

/** Share of each type among the demo projects (household clean heating dominates, as in the plan). */
const TYPE_WEIGHTS: readonly (readonly [ProjectType, number])[] = [
  [T.CLEAN_HEATING_COAL_TO_GAS, 13],
  [T.CLEAN_HEATING_COAL_TO_ELECTRICITY, 12],
  [T.AGRICULTURAL_COAL_REPLACEMENT, 8],
  [T.ULTRA_LOW_EMISSION_STEEL, 4],
  [T.ULTRA_LOW_EMISSION_CEMENT, 3],
  [T.ULTRA_LOW_EMISSION_COKING, 3],
  [T.VOCS_SOURCE_SUBSTITUTION, 6],
  [T.VOCS_STORAGE_TANKS, 5],
  [T.VOCS_LOADING, 4],
  [T.VOCS_OPEN_LIQUID_SURFACES, 4],
  [T.VOCS_PETROL_STATION_VAPOUR_RECOVERY, 5],
  [T.VOCS_END_OF_PIPE_UPGRADE, 7],
  [T.VOCS_GREEN_ISLAND, 2],
  [T.BOILER_ELIMINATION, 2],
  [T.KILN_ELIMINATION, 3],
  [T.GAS_GENERATOR_ELIMINATION, 3],
  [T.LOW_NOX_BURNER_RETROFIT, 4],
  [T.RAILWAY_SPUR_LINE, 2],
  [T.COKE_OVEN_CLOSURE, 2],
];

const STATUS_WEIGHTS: readonly (readonly [ProjectStatus, number])[] = [
  [ProjectStatus.PLANNED, 18],
  [ProjectStatus.IN_PROGRESS, 22],
  [ProjectStatus.COMPLETED, 38],
  [ProjectStatus.VERIFIED, 22],
];

const NAME_SUFFIX: Record<ProjectType, string> = {
  ULTRA_LOW_EMISSION_STEEL: '钢铁全流程超低排放改造项目',
  ULTRA_LOW_EMISSION_CEMENT: '水泥超低排放改造项目',
  ULTRA_LOW_EMISSION_COKING: '焦化超低排放改造项目',
  VOCS_SOURCE_SUBSTITUTION: '低VOCs含量原辅材料源头替代项目',
  VOCS_STORAGE_TANKS: '储罐VOCs综合治理项目',
  VOCS_LOADING: '装卸废气收集治理项目',
  VOCS_OPEN_LIQUID_SURFACES: '敞开液面逸散废气治理项目',
  VOCS_PETROL_STATION_VAPOUR_RECOVERY: '加油站油气回收综合治理项目',
  VOCS_END_OF_PIPE_UPGRADE: '有机废气治理设施升级改造项目',
  VOCS_GREEN_ISLAND: 'VOCs治理“绿岛”项目',
  CLEAN_HEATING_COAL_TO_GAS: '农村清洁取暖“煤改气”工程',
  CLEAN_HEATING_COAL_TO_ELECTRICITY: '农村清洁取暖“煤改电”工程',
  AGRICULTURAL_COAL_REPLACEMENT: '农业用煤设施清洁能源替代项目',
  BOILER_ELIMINATION: '燃煤锅炉淘汰项目',
  KILN_ELIMINATION: '工业炉窑淘汰项目',
  GAS_GENERATOR_ELIMINATION: '煤气发生炉淘汰项目',
  LOW_NOX_BURNER_RETROFIT: '燃气锅炉低氮燃烧改造项目',
  RAILWAY_SPUR_LINE: '铁路专用线建设项目',
  COKE_OVEN_CLOSURE: '4.3米焦炉关停退出项目',
};

const VILLAGE_SUFFIX = ['庄', '家庄', '营', '屯', '店', '寨', '堡', '集', '楼', '河'];

interface CityRow {
  id: number;
  slug: string;
  name_zh: string;
  province: string;
}
interface EnterpriseRow {
  id: number;
  city_id: number;
  industry: Industry;
  name: string;
}
interface TargetRow {
  id: number;
  code: string;
  deadline: string;
  scope: string;
  province: string | null;
  city: string | null;
}

const DAY = 86_400_000;
const toDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ms = (date: string) => Date.parse(`${date}T00:00:00Z`);

/**
 * Quantities and investment of a project of a type: households, units, tonnes of capacity, yuan.
 * Orders of magnitude follow public reports (a village heating project converts a few hundred to
 * a few thousand households at 10,000-20,000 yuan each; a steel ULE retrofit costs hundreds of
 * millions for millions of tonnes of capacity).
 */
function contributions(faker: Faker, type: ProjectType): { households: number; units: number; capacityTonnes: number; investmentYuan: number } {
  const int = (min: number, max: number) => faker.number.int({ min, max });
  const yuan = (min: number, max: number) => Math.round(faker.number.float({ min, max }) * 100) / 100;
  const zero = { households: 0, units: 0, capacityTonnes: 0 };
  switch (type) {
    case T.CLEAN_HEATING_COAL_TO_GAS: {
      const households = int(300, 5000);
      return { ...zero, households, investmentYuan: yuan(households * 8_000, households * 13_000) };
    }
    case T.CLEAN_HEATING_COAL_TO_ELECTRICITY: {
      const households = int(200, 4000);
      return { ...zero, households, investmentYuan: yuan(households * 10_000, households * 20_000) };
    }
    case T.AGRICULTURAL_COAL_REPLACEMENT: {
      const units = int(5, 150);
      return { ...zero, units, investmentYuan: yuan(units * 40_000, units * 250_000) };
    }
    case T.ULTRA_LOW_EMISSION_STEEL: {
      const capacityTonnes = int(3, 22) * 100_000;
      return { ...zero, capacityTonnes, investmentYuan: yuan(capacityTonnes * 150, capacityTonnes * 400) };
    }
    case T.ULTRA_LOW_EMISSION_CEMENT:
    case T.ULTRA_LOW_EMISSION_COKING: {
      const capacityTonnes = int(5, 50) * 100_000;
      return { ...zero, capacityTonnes, investmentYuan: yuan(capacityTonnes * 20, capacityTonnes * 60) };
    }
    case T.VOCS_STORAGE_TANKS:
    case T.VOCS_LOADING: {
      const units = int(1, 24);
      return { ...zero, units, investmentYuan: yuan(units * 300_000, units * 1_500_000) };
    }
    case T.VOCS_PETROL_STATION_VAPOUR_RECOVERY:
      return { ...zero, units: int(1, 6), investmentYuan: yuan(150_000, 900_000) };
    case T.VOCS_GREEN_ISLAND:
      return { ...zero, units: 1, investmentYuan: yuan(8_000_000, 60_000_000) };
    case T.VOCS_SOURCE_SUBSTITUTION:
    case T.VOCS_OPEN_LIQUID_SURFACES:
    case T.VOCS_END_OF_PIPE_UPGRADE:
      return { ...zero, units: int(1, 4), investmentYuan: yuan(500_000, 20_000_000) };
    case T.BOILER_ELIMINATION:
      return { ...zero, units: int(1, 2), investmentYuan: yuan(300_000, 6_000_000) };
    case T.KILN_ELIMINATION:
      return { ...zero, units: int(1, 3), investmentYuan: yuan(1_000_000, 15_000_000) };
    case T.GAS_GENERATOR_ELIMINATION:
      return { ...zero, units: int(1, 4), investmentYuan: yuan(2_000_000, 30_000_000) };
    case T.LOW_NOX_BURNER_RETROFIT:
      return { ...zero, units: int(1, 12), investmentYuan: yuan(200_000, 4_000_000) };
    case T.RAILWAY_SPUR_LINE:
      return { ...zero, capacityTonnes: int(10, 50) * 100_000, investmentYuan: yuan(150_000_000, 2_000_000_000) };
    case T.COKE_OVEN_CLOSURE:
      return { ...zero, units: int(1, 4), capacityTonnes: int(4, 20) * 100_000, investmentYuan: yuan(20_000_000, 300_000_000) };
  }
}

/** Planned duration in days by type. */
function durationDays(faker: Faker, type: ProjectType): number {
  if (type === T.CLEAN_HEATING_COAL_TO_GAS || type === T.CLEAN_HEATING_COAL_TO_ELECTRICITY) return faker.number.int({ min: 45, max: 150 });
  if (type.startsWith('ULTRA_LOW') || type === T.RAILWAY_SPUR_LINE) return faker.number.int({ min: 240, max: 600 });
  return faker.number.int({ min: 30, max: 240 });
}

/** Funding by source, in whole cents, adding up to 60-100% of the investment. */
function funding(faker: Faker, household: boolean, hasEnterprise: boolean, investmentYuan: number): [FundingSource, number][] {
  const sources: FundingSource[] = household
    ? [FundingSource.CENTRAL_AIR_POLLUTION_FUND, FundingSource.LOCAL_GOVERNMENT, FundingSource.OTHER]
    : hasEnterprise
      ? [FundingSource.ENTERPRISE_SELF_FUNDED, FundingSource.BANK_LOAN, FundingSource.CENTRAL_AIR_POLLUTION_FUND]
      : [FundingSource.LOCAL_GOVERNMENT, FundingSource.CENTRAL_AIR_POLLUTION_FUND];
  const picked = sources.slice(0, faker.number.int({ min: 1, max: sources.length }));
  let cents = Math.floor(Math.round(investmentYuan * 100) * faker.number.float({ min: 0.6, max: 1 }));
  const out: [FundingSource, number][] = [];
  picked.forEach((source, i) => {
    const share = i === picked.length - 1 ? cents : Math.floor(cents * faker.number.float({ min: 0.3, max: 0.7 }));
    cents -= share;
    if (share > 0) out.push([source, share / 100]);
  });
  return out;
}

/**
 * 2,000 demo retrofit projects over every type, status and city. Enterprise projects are carried
 * out at an enterprise of the same city whose industry fits the type; household clean-heating
 * projects lie in the provinces of the COAL_HOUSEHOLDS breakdown; projects count toward the
 * matching task target of the plan's campaign when their type and city fit it. Dates follow the
 * status; most completed projects end before their target's deadline.
 */
export const projectDemoSeeder: DemoSeeder = {
  name: 'project',
  async run(em, faker) {
    const knex = knexOf(em);
    const actor = SEED_ACTOR.id;
    const cities: CityRow[] = await knex('city as c').join('province as p', 'p.id', 'c.province_id').orderBy('c.plan_order').select('c.id', 'c.slug', 'c.name_zh', 'p.slug as province');
    const enterprises: EnterpriseRow[] = await knex('enterprise').orderBy('id').select('id', 'city_id', 'industry', 'name');
    const targets: TargetRow[] = await knex('task_target as t')
      .join('campaign as k', 'k.id', 't.campaign_id')
      .leftJoin('province as p', 'p.id', 't.province_id')
      .leftJoin('city as c', 'c.id', 't.city_id')
      .where('k.code', PLAN_2023_2024.campaign.code)
      .select('t.id', 't.code', knex.raw(`to_char(t.deadline, 'YYYY-MM-DD') as deadline`), 't.scope', 'p.slug as province', 'c.slug as city');
    const shares: { code: string; province: string; quantity: number }[] = await knex('task_target_breakdown as b')
      .join('task_target as t', 't.id', 'b.task_target_id')
      .join('province as p', 'p.id', 'b.province_id')
      .select('t.code', 'p.slug as province', knex.raw('b.quantity::float8 as quantity'));

    const cityById = new Map(cities.map((c) => [c.id, c]));
    // Household projects go to the provinces of the breakdown, in proportion to their shares.
    const householdShares = shares.filter((s) => s.code === 'COAL_HOUSEHOLDS').map((s) => [s.province, s.quantity] as const);
    const citiesOf = (province: string) => cities.filter((c) => c.province === province);
    const targetOf = (type: ProjectType, city: CityRow): TargetRow | undefined =>
      targets.find((t) => {
        if (!TARGET_PROJECT_TYPES[t.code]?.includes(type)) return false;
        if (t.scope === 'PROVINCE' && t.province !== city.province) return false;
        if (t.scope === 'CITY' && t.city !== city.slug) return false;
        const own = shares.filter((s) => s.code === t.code);
        return own.length === 0 || own.some((s) => s.province === city.province);
      });
    const enterprisesFor = (type: ProjectType, cityId?: number): EnterpriseRow[] => {
      const industries = PROJECT_TYPE_INDUSTRIES[type] ?? [];
      return enterprises.filter((e) => industries.includes(e.industry) && (cityId === undefined || e.city_id === cityId));
    };
    const fixedCity: Partial<Record<ProjectType, CityRow[]>> = {
      [T.COKE_OVEN_CLOSURE]: cities.filter((c) => c.province === 'shanxi' || c.province === 'shaanxi'),
    };

    const projects: Record<string, unknown>[] = [];
    const fundingOf: [FundingSource, number][][] = [];
    const types = Object.values(ProjectType);
    const statuses = Object.values(ProjectStatus);
    for (let i = 0; i < PROJECT_COUNT; i++) {
      // The first projects run through every type, status and city; the rest follow the weights.
      const type = i < types.length * 4 ? types[i % types.length] : weighted(faker, TYPE_WEIGHTS);
      const status = i < types.length * 4 ? statuses[Math.floor(i / types.length)] : weighted(faker, STATUS_WEIGHTS);
      const rotated = cities[i % cities.length];
      const household = type === T.CLEAN_HEATING_COAL_TO_GAS || type === T.CLEAN_HEATING_COAL_TO_ELECTRICITY;

      let city: CityRow;
      let enterprise: EnterpriseRow | undefined;
      if (household) {
        city = householdShares.length ? faker.helpers.arrayElement(citiesOf(weighted(faker, householdShares))) : rotated;
      } else if (fixedCity[type]?.length) {
        city = faker.helpers.arrayElement(fixedCity[type]!);
        const local = enterprisesFor(type, city.id);
        enterprise = local.length ? faker.helpers.arrayElement(local) : undefined;
      } else if (type === T.RAILWAY_SPUR_LINE && faker.datatype.boolean(0.4)) {
        city = cities.find((c) => c.slug === 'tangshan') ?? rotated;
        const local = enterprisesFor(type, city.id);
        enterprise = local.length ? faker.helpers.arrayElement(local) : undefined;
      } else if (PROJECT_TYPE_INDUSTRIES[type]) {
        const local = enterprisesFor(type, rotated.id);
        const anywhere = local.length ? local : enterprisesFor(type);
        enterprise = anywhere.length ? faker.helpers.arrayElement(anywhere) : undefined;
        city = enterprise ? cityById.get(enterprise.city_id)! : rotated;
      } else {
        city = rotated;
      }
      const target = targetOf(type, city);

      // Dates: planned in 2023 around the campaign; actual dates follow the status.
      const deadline = target?.deadline ?? '2023-12-31';
      const duration = durationDays(faker, type);
      const plannedEnd = toDate(ms(deadline) - faker.number.int({ min: -40, max: 60 }) * DAY);
      const plannedStart = toDate(ms(plannedEnd) - duration * DAY);
      let actualStart: string | null = null;
      let actualEnd: string | null = null;
      if (status === ProjectStatus.COMPLETED || status === ProjectStatus.VERIFIED) {
        // About 85% end on or before the deadline.
        const late = faker.datatype.boolean(0.15);
        actualEnd = late
          ? toDate(ms(deadline) + faker.number.int({ min: 1, max: 90 }) * DAY)
          : toDate(ms(deadline) - faker.number.int({ min: 0, max: 75 }) * DAY);
        actualStart = toDate(ms(actualEnd) - Math.round(duration * faker.number.float({ min: 0.7, max: 1.2 })) * DAY);
      } else if (status === ProjectStatus.IN_PROGRESS) {
        actualStart = toDate(ms(plannedStart) + faker.number.int({ min: -20, max: 45 }) * DAY);
      }
      const created = new Date(ms(plannedStart) - faker.number.int({ min: 10, max: 120 }) * DAY + faker.number.int({ min: 8 * 3600, max: 18 * 3600 }) * 1000 - 8 * 3600_000);
      const lastEvent = actualEnd ?? actualStart;
      const updated = lastEvent && ms(lastEvent) + 10 * 3600_000 > created.getTime() ? new Date(ms(lastEvent) + 10 * 3600_000) : created;
      const figures = contributions(faker, type);

      const place = household ? `${city.name_zh}${faker.person.lastName()}${faker.helpers.arrayElement(VILLAGE_SUFFIX)}村` : enterprise ? enterprise.name : city.name_zh;
      projects.push({
        city_id: city.id,
        enterprise_id: enterprise?.id ?? null,
        task_target_id: target?.id ?? null,
        name: `${place}${NAME_SUFFIX[type]}`.slice(0, 200),
        type,
        status,
        planned_start_date: plannedStart,
        planned_end_date: plannedEnd,
        actual_start_date: actualStart,
        actual_end_date: actualEnd,
        households: figures.households,
        units: figures.units,
        capacity_tonnes: figures.capacityTonnes,
        investment_yuan: figures.investmentYuan,
        origin: DataOrigin.DEMO,
        version: 1 + statuses.indexOf(status),
        created_at: created,
        updated_at: updated,
        created_by: actor,
        updated_by: actor,
      });
      fundingOf.push(funding(faker, household, Boolean(enterprise), figures.investmentYuan));
    }

    const ids = (await insertChunked(knex, 'retrofit_project', projects, ['id'])).map((r) => r.id as number);
    const rows = ids.flatMap((id, i) =>
      fundingOf[i].map(([source, amount]) => ({
        project_id: id,
        city_id: projects[i].city_id,
        source,
        amount_yuan: amount,
        created_at: projects[i].created_at,
        updated_at: projects[i].created_at,
        created_by: actor,
        updated_by: actor,
      })),
    );
    await insertChunked(knex, 'project_funding', rows);
  },
};
