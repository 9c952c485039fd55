import type { EntityManager } from '@mikro-orm/postgresql';
import type { Faker } from '@faker-js/faker';
import { DataOrigin, RecipientKind, SubsidyProgramKind } from '@airledger/schema';
import { SEED_ACTOR } from '../../common/actor.js';
import { knexOf } from '../../common/sql.js';
import { insertChunked } from '../../seeders/demo-random.js';
import type { DemoSeeder } from '../../seeders/index.js';
import { PLAN_2023_2024 } from '../../seeders/plan/plan-2023-2024.js';
import { residentIdCheckChar } from './subsidy.rules.js';

/** Disbursements the demo dataset holds, over the four programs. */
const DISBURSEMENTS = 20_000;
/** Of which to enterprises (when enterprises exist), per fund. */
const CENTRAL_FUND_DISBURSEMENTS = 320;
const LOCAL_FUND_DISBURSEMENTS = 240;

/**
 * Approximate resident population in millions (7th census, 2020): the size of each city's
 * clean-heating programme and budgets. Municipalities and provincial capitals are discounted
 * below (fewer rural households heating with coal per inhabitant).
 */
const POPULATION_M: Record<string, number> = {
  beijing: 21.9, tianjin: 13.9, shijiazhuang: 10.6, tangshan: 7.7, qinhuangdao: 3.1, handan: 9.4, xingtai: 7.1, baoding: 9.2,
  cangzhou: 7.3, langfang: 5.5, hengshui: 4.2, xiongan: 1.2, dingzhou: 1.1, xinji: 0.6, taiyuan: 5.3, yangquan: 1.3,
  changzhi: 3.2, jincheng: 2.2, jinzhong: 3.4, yuncheng: 4.8, linfen: 4.0, lvliang: 3.4, jinan: 9.2, zibo: 4.7,
  zaozhuang: 3.9, dongying: 2.2, weifang: 9.4, jining: 8.4, taian: 5.5, rizhao: 3.0, linyi: 11.0, dezhou: 5.6,
  liaocheng: 5.9, binzhou: 3.9, heze: 8.8, zhengzhou: 12.6, kaifeng: 4.8, luoyang: 7.1, pingdingshan: 5.0, anyang: 5.5,
  hebi: 1.6, xinxiang: 6.3, jiaozuo: 3.5, puyang: 3.8, xuchang: 4.4, luohe: 2.4, sanmenxia: 2.0, shangqiu: 7.8,
  zhoukou: 9.0, jiyuan: 0.7, xian: 13.0, tongchuan: 0.7, baoji: 3.3, xianyang: 4.2, weinan: 4.7, yangling: 0.25,
};
const URBAN_DISCOUNT: Record<string, number> = { beijing: 0.3, tianjin: 0.5, xian: 0.5, zhengzhou: 0.6, jinan: 0.7, taiyuan: 0.6, shijiazhuang: 0.8 };

/** Xiong'an New Area has no division code of its own: its three counties (雄县, 容城县, 安新县) are Baoding's. */
const XIONGAN_COUNTIES = ['130638', '130629', '130632'];

const PROGRAMS = [
  {
    code: '2023-2024-clean-heating-operating',
    nameZh: '2023-2024年采暖季农村清洁取暖运行补贴',
    nameEn: 'Rural clean-heating operating subsidy, 2023-2024 heating season',
    kind: SubsidyProgramKind.CLEAN_HEATING_OPERATING,
    description: 'Subsidy to rural households on gas or electricity bills of clean heating, favouring low-income households (低保户、特困户、防返贫监测户).',
  },
  {
    code: '2023-2024-clean-heating-equipment',
    nameZh: '2023-2024年农村清洁取暖设备购置补贴',
    nameEn: 'Rural clean-heating equipment purchase subsidy, 2023-2024',
    kind: SubsidyProgramKind.CLEAN_HEATING_EQUIPMENT,
    description: 'One-off subsidy to rural households for air-source heat pumps, gas wall-hung boilers or electric heaters replacing loose coal.',
  },
  {
    code: '2023-2024-central-air-fund-major-projects',
    nameZh: '2023年中央大气污染防治资金（重大工程项目）',
    nameEn: 'Central air-pollution prevention fund for major projects, 2023',
    kind: SubsidyProgramKind.CENTRAL_AIR_POLLUTION_FUND,
    description: 'Central fund for enterprises\' major projects: ultra-low-emission retrofits, VOCs treatment, boiler and kiln elimination.',
  },
  {
    code: '2023-2024-local-air-fund-benchmark-enterprises',
    nameZh: '2023-2024年地方大气污染防治资金（标杆企业奖补）',
    nameEn: 'Local air-pollution fund for benchmark enterprises, 2023-2024',
    kind: SubsidyProgramKind.LOCAL_AIR_POLLUTION_FUND,
    description: 'Local rewards to benchmark (标杆) enterprises of air pollution control and to enterprises upgraded to grade A or B.',
  },
] as const;

const DAY_MS = 86_400_000;
const CAMPAIGN_START = Date.parse(`${PLAN_2023_2024.campaign.periodStart}T00:00:00Z`);
const CAMPAIGN_DAYS = Math.round((Date.parse(`${PLAN_2023_2024.campaign.periodEnd}T00:00:00Z`) - CAMPAIGN_START) / DAY_MS) + 1;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

interface CityRow {
  id: number;
  slug: string;
  kind: string;
  division_code: string | null;
}

/** County-level region codes to draw identity numbers from: districts of the city's division code. */
function regionCodesOf(city: CityRow): string[] {
  const code = city.division_code;
  if (!code) return XIONGAN_COUNTIES;
  if (!code.endsWith('00')) return [code];
  const prefix = code.endsWith('0000') ? `${code.slice(0, 2)}01` : code.slice(0, 4);
  const districts = code.endsWith('0000') ? [1, 2, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16] : [2, 3, 4, 21, 22, 23, 24, 25, 26, 27, 28, 81];
  return districts.map((d) => `${prefix}${String(d).padStart(2, '0')}`);
}

/** A valid 18-character resident identity number: region, birth date 1940-2000, sequence, check character. */
function identityNumber(faker: Faker, regions: string[]): string {
  const birth = isoDay(Date.UTC(1940, 0, 1) + faker.number.int({ min: 0, max: 22_280 }) * DAY_MS).replaceAll('-', '');
  const first17 = `${faker.helpers.arrayElement(regions)}${birth}${String(faker.number.int({ min: 1, max: 999 })).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** fen (integer) to a yuan numeric literal. */
function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

/**
 * The demo subsidies: four programs of the 2023-2024 campaign, a budget for each in every city,
 * and 20,000 disbursements, mostly to rural households (about 55-70% of the household amount to
 * low-income households), some to enterprises of the same city; approvals in the campaign period,
 * most paid 5-90 days later. Budgets are sized from the generated commitments with headroom, so
 * no budget is exceeded.
 */
export const subsidyDemoSeeder: DemoSeeder = {
  name: 'subsidy',
  async run(em: EntityManager, faker: Faker): Promise<void> {
    const knex = knexOf(em);
    const actor = SEED_ACTOR.id;
    const audit = { origin: DataOrigin.DEMO, created_by: actor, updated_by: actor };

    const campaign = await knex('campaign').where({ code: PLAN_2023_2024.campaign.code }).first('id');
    if (!campaign) throw new Error(`Campaign ${PLAN_2023_2024.campaign.code} is missing: load the plan first.`);
    const cities: CityRow[] = await knex('city').select('id', 'slug', 'kind', 'division_code').orderBy('plan_order');
    const enterprises: { id: number; city_id: number; benchmark: boolean; current_grade: string | null }[] = await knex('enterprise')
      .select('id', 'city_id', 'benchmark', 'current_grade')
      .orderBy('id');

    const programRows = await insertChunked(
      knex,
      'subsidy_program',
      PROGRAMS.map((p) => ({ campaign_id: campaign.id, code: p.code, name_zh: p.nameZh, name_en: p.nameEn, kind: p.kind, description: p.description, ...audit })),
      ['id', 'kind'],
    );
    const programId = new Map(programRows.map((r) => [r.kind as SubsidyProgramKind, r.id as number]));

    // Households per city in proportion to the rural population; each city its own low-income rate.
    const weights = cities.map((c) => (POPULATION_M[c.slug] ?? 3) * (URBAN_DISCOUNT[c.slug] ?? 1));
    const cumulative: number[] = [];
    weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
    const totalWeight = cumulative[cumulative.length - 1];
    const pickCity = (): number => {
      const r = faker.number.float({ min: 0, max: totalWeight });
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid] < r) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const lowIncomeRate = cities.map(() => faker.number.float({ min: 0.5, max: 0.62 }));
    const regions = cities.map(regionCodesOf);
    const cityIndex = new Map(cities.map((c, i) => [c.id, i]));

    interface Draft {
      kind: SubsidyProgramKind;
      city: number;
      row: Record<string, unknown>;
      fen: number;
    }
    const drafts: Draft[] = [];
    const paymentDays = (speed: number): number => 5 + Math.round(85 * Math.pow(faker.number.float({ min: 0, max: 1 }), 1.8) * speed);
    const dates = (approvedOffset: number, paidRate: number, speed: number) => {
      const approved = CAMPAIGN_START + Math.min(CAMPAIGN_DAYS - 1, Math.max(0, approvedOffset)) * DAY_MS;
      const paid = faker.datatype.boolean({ probability: paidRate }) ? approved + Math.min(90, paymentDays(speed)) * DAY_MS : null;
      return { approved_on: isoDay(approved), paid_on: paid === null ? null : isoDay(paid) };
    };

    // Enterprise funds: projects of enterprises of the city; the local fund rewards benchmark
    // enterprises first, then enterprises graded LEADING, A or B.
    const central = faker.helpers.shuffle(enterprises).slice(0, CENTRAL_FUND_DISBURSEMENTS);
    const benchmarks = faker.helpers.shuffle(enterprises.filter((e) => e.benchmark));
    const wellGraded = faker.helpers.shuffle(enterprises.filter((e) => !e.benchmark && ['LEADING', 'A', 'B'].includes(e.current_grade ?? '')));
    const local = [...benchmarks, ...wellGraded].slice(0, LOCAL_FUND_DISBURSEMENTS);
    for (const [kind, list, note] of [
      [SubsidyProgramKind.CENTRAL_AIR_POLLUTION_FUND, central, '重大工程项目资金'],
      [SubsidyProgramKind.LOCAL_AIR_POLLUTION_FUND, local, '标杆企业奖补资金'],
    ] as const) {
      for (const e of list) {
        // Log-uniform 0.5 M to 20 M yuan, in tens of thousands.
        const fen = Math.round(Math.exp(faker.number.float({ min: Math.log(50), max: Math.log(2000) }))) * 1_000_000;
        drafts.push({
          kind,
          city: cityIndex.get(e.city_id)!,
          fen,
          row: {
            recipient_kind: RecipientKind.ENTERPRISE,
            household_name: null,
            household_id_number: null,
            enterprise_id: e.id,
            low_income: null,
            note,
            ...dates(faker.number.int({ min: 0, max: CAMPAIGN_DAYS - 1 }), 0.8, 1),
          },
        });
      }
    }

    const households = DISBURSEMENTS - drafts.length;
    for (let i = 0; i < households; i++) {
      const city = pickCity();
      const operating = faker.datatype.boolean({ probability: 0.62 });
      const lowIncome = faker.datatype.boolean({ probability: lowIncomeRate[city] });
      const favour = lowIncome ? 1.2 : 1;
      // Equipment is approved mostly before and early in the heating season, operating subsidies through it.
      const twoDice = faker.number.int({ min: 0, max: 91 }) + faker.number.int({ min: 0, max: 91 });
      const offset = operating ? 20 + Math.round(twoDice * 0.88) : Math.round(twoDice * 0.66);
      const fen = operating
        ? Math.round((faker.number.int({ min: 600, max: 2500 }) * favour) / 10) * 1000
        : Math.round((faker.number.int({ min: 3000, max: 16_600 }) * favour) / 100) * 10_000;
      drafts.push({
        kind: operating ? SubsidyProgramKind.CLEAN_HEATING_OPERATING : SubsidyProgramKind.CLEAN_HEATING_EQUIPMENT,
        city,
        fen,
        row: {
          recipient_kind: RecipientKind.HOUSEHOLD,
          household_name: faker.person.fullName(),
          household_id_number: identityNumber(faker, regions[city]),
          enterprise_id: null,
          low_income: lowIncome,
          note: null,
          // Low-income households are paid somewhat faster.
          ...dates(offset, 0.88, lowIncome ? 0.85 : 1),
        },
      });
    }

    // Budgets: every program in every city, sized from its commitments with 8-38% headroom.
    const committed = new Map<string, number>();
    for (const d of drafts) {
      const key = `${d.kind}:${d.city}`;
      committed.set(key, (committed.get(key) ?? 0) + d.fen);
    }
    const budgetRows: Record<string, unknown>[] = [];
    for (const p of PROGRAMS) {
      const forEnterprises = p.kind === SubsidyProgramKind.CENTRAL_AIR_POLLUTION_FUND || p.kind === SubsidyProgramKind.LOCAL_AIR_POLLUTION_FUND;
      const step = forEnterprises ? 10_000_000 : 1_000_000; // 100,000 or 10,000 yuan, in fen
      cities.forEach((c, i) => {
        const used = committed.get(`${p.kind}:${i}`) ?? 0;
        const base = used > 0 ? used * faker.number.float({ min: 1.08, max: 1.38 }) : (forEnterprises ? 200_000_000 : 20_000_000) * Math.max(1, weights[i]);
        budgetRows.push({ program_id: programId.get(p.kind), city_id: c.id, amount_yuan: yuan(Math.ceil(base / step) * step), version: 1, ...audit });
      });
    }
    const budgets = await insertChunked(knex, 'subsidy_budget', budgetRows, ['id', 'program_id', 'city_id']);
    const budgetId = new Map(budgets.map((b) => [`${b.program_id}:${b.city_id}`, b.id as number]));

    await insertChunked(
      knex,
      'disbursement',
      drafts.map((d) => {
        const program = programId.get(d.kind)!;
        const city = cities[d.city].id;
        return { program_id: program, budget_id: budgetId.get(`${program}:${city}`), city_id: city, ...d.row, amount_yuan: yuan(d.fen), ...audit };
      }),
    );
  },
};
