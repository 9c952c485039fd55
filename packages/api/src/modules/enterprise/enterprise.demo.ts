/**
 * Demo enterprises and their grade histories: about 6,000 air-polluting enterprises across the 56
 * cities, weighted the way the region's industry is (heavy industry in Hebei, Shandong, Henan and
 * Shanxi; steel around Tangshan, Handan, Xingtai, Anyang, Linfen, Yuncheng; coking in Shanxi;
 * petrochemicals in Dongying, Binzhou, Zibo ...). Every record has origin DEMO. Histories follow
 * the grade rules of grade-rules.ts, so the demo never shows a state the API would refuse.
 */
import type { Faker } from '@faker-js/faker';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  DataOrigin,
  EnterpriseSize as S,
  GradeChangeReason as R,
  Industry as I,
  PerformanceGrade as G,
  ProtectedClassStatus as P,
  UltraLowEmissionStatus as U,
} from '@airledger/schema';
import { SEED_ACTOR } from '../../common/actor.js';
import { knexOf } from '../../common/sql.js';
import { insertChunked, weighted } from '../../seeders/demo-random.js';
import type { DemoSeeder } from '../../seeders/index.js';
import { generateCreditCode } from './credit-code.js';
import { allowedTargets, compareGrades, mayHoldGrade, requiresUltraLowEmission } from './grade-rules.js';

/** Number of demo enterprises. */
export const DEMO_ENTERPRISE_COUNT = 6000;

/** Division code used for Xiong'an New Area, which has no GB/T 2260 code of its own in the plan: its market regulator registers under 133100. */
export const XIONGAN_DIVISION_CODE = '133100';

/** First and last instant of the demo's grade decisions (China Standard Time). */
export const DEMO_GRADE_FROM = new Date('2021-01-01T00:00:00+08:00');
export const DEMO_GRADE_TO = new Date('2024-03-31T23:59:59+08:00');

/** Relative number of enterprises per city; cities not listed take their province's weight. */
const PROVINCE_WEIGHT: Record<string, number> = { beijing: 110, tianjin: 260, hebei: 120, shanxi: 95, shandong: 120, henan: 100, shaanxi: 75 };
const CITY_WEIGHT: Record<string, number> = {
  tangshan: 300, handan: 240, shijiazhuang: 230, xingtai: 170, baoding: 150, cangzhou: 170, langfang: 120,
  xiongan: 15, dingzhou: 45, xinji: 40,
  taiyuan: 120, changzhi: 115, jinzhong: 110, linfen: 140, yuncheng: 120, lvliang: 110,
  jinan: 150, zibo: 190, dongying: 150, weifang: 180, linyi: 170, binzhou: 150, liaocheng: 130,
  zhengzhou: 160, anyang: 150, luoyang: 120, xinxiang: 110, jiaozuo: 100, jiyuan: 50, hebi: 55,
  xian: 90, weinan: 95, xianyang: 85, baoji: 75, tongchuan: 35, yangling: 12,
};

/** Share of each industry in an average city. */
const INDUSTRY_BASE: Record<I, number> = {
  [I.STEEL]: 1.2, [I.CEMENT]: 3, [I.COKING]: 1, [I.GLASS]: 2, [I.FOUNDRY]: 7, [I.BRICK_AND_TILE]: 6,
  [I.NONFERROUS_SMELTING]: 2, [I.COAL_WASHING]: 2, [I.LIME]: 3, [I.REFRACTORY]: 3, [I.PETROCHEMICAL]: 0.6,
  [I.CHEMICAL]: 9, [I.INDUSTRIAL_COATING]: 13, [I.PACKAGING_AND_PRINTING]: 8, [I.OIL_STORAGE_AND_DISTRIBUTION]: 9,
  [I.POWER]: 3, [I.HEATING_BOILER]: 8, [I.OTHER]: 11,
};

/** Where an industry concentrates: multipliers of the base share per province or city (city wins). */
const INDUSTRY_BY_PLACE: Record<string, Partial<Record<I, number>>> = {
  beijing: { [I.STEEL]: 0, [I.COKING]: 0, [I.COAL_WASHING]: 0, [I.NONFERROUS_SMELTING]: 0, [I.LIME]: 0, [I.REFRACTORY]: 0, [I.BRICK_AND_TILE]: 0.2, [I.CEMENT]: 0.3, [I.GLASS]: 0.2, [I.PETROCHEMICAL]: 1.5, [I.PACKAGING_AND_PRINTING]: 2, [I.INDUSTRIAL_COATING]: 1.5 },
  tianjin: { [I.STEEL]: 4, [I.PETROCHEMICAL]: 5, [I.CHEMICAL]: 1.5, [I.INDUSTRIAL_COATING]: 1.3 },
  xiongan: { [I.STEEL]: 0, [I.COKING]: 0, [I.PETROCHEMICAL]: 0, [I.CEMENT]: 0, [I.NONFERROUS_SMELTING]: 0, [I.COAL_WASHING]: 0, [I.GLASS]: 0, [I.LIME]: 0, [I.PACKAGING_AND_PRINTING]: 2 },
  yangling: { [I.STEEL]: 0, [I.COKING]: 0, [I.PETROCHEMICAL]: 0, [I.CEMENT]: 0, [I.NONFERROUS_SMELTING]: 0, [I.COAL_WASHING]: 0, [I.GLASS]: 0, [I.OTHER]: 2 },
  shanxi: { [I.COKING]: 7, [I.COAL_WASHING]: 5, [I.POWER]: 1.5 },
  tangshan: { [I.STEEL]: 16, [I.COKING]: 4, [I.CEMENT]: 2.5, [I.REFRACTORY]: 1.5 },
  handan: { [I.STEEL]: 11, [I.COKING]: 3, [I.FOUNDRY]: 1.5 },
  xingtai: { [I.STEEL]: 6, [I.GLASS]: 12, [I.COKING]: 2 },
  shijiazhuang: { [I.STEEL]: 4, [I.CEMENT]: 2.5, [I.CHEMICAL]: 1.5, [I.OTHER]: 1.3 },
  cangzhou: { [I.FOUNDRY]: 3, [I.PETROCHEMICAL]: 4, [I.STEEL]: 1.5 },
  baoding: { [I.FOUNDRY]: 1.5, [I.PACKAGING_AND_PRINTING]: 1.5 },
  qinhuangdao: { [I.GLASS]: 4, [I.STEEL]: 2 },
  taiyuan: { [I.STEEL]: 3, [I.COKING]: 5 },
  changzhi: { [I.STEEL]: 4, [I.COKING]: 8 },
  linfen: { [I.STEEL]: 6, [I.COKING]: 10 },
  yuncheng: { [I.STEEL]: 5, [I.COKING]: 6, [I.NONFERROUS_SMELTING]: 4 },
  lvliang: { [I.COKING]: 12, [I.STEEL]: 2, [I.NONFERROUS_SMELTING]: 3 },
  jinzhong: { [I.COKING]: 8, [I.STEEL]: 1.5 },
  yangquan: { [I.REFRACTORY]: 4, [I.COAL_WASHING]: 6 },
  jincheng: { [I.COAL_WASHING]: 7, [I.STEEL]: 1.5 },
  anyang: { [I.STEEL]: 8, [I.COKING]: 3 },
  jinan: { [I.STEEL]: 3, [I.PETROCHEMICAL]: 1.5 },
  rizhao: { [I.STEEL]: 6 },
  zibo: { [I.PETROCHEMICAL]: 10, [I.CHEMICAL]: 2, [I.REFRACTORY]: 2, [I.GLASS]: 1.5 },
  dongying: { [I.PETROCHEMICAL]: 20, [I.CHEMICAL]: 2, [I.OIL_STORAGE_AND_DISTRIBUTION]: 1.5 },
  binzhou: { [I.PETROCHEMICAL]: 12, [I.NONFERROUS_SMELTING]: 5, [I.CHEMICAL]: 1.5 },
  weifang: { [I.PETROCHEMICAL]: 6, [I.CHEMICAL]: 1.5 },
  puyang: { [I.PETROCHEMICAL]: 6, [I.CHEMICAL]: 1.5 },
  luoyang: { [I.PETROCHEMICAL]: 4, [I.NONFERROUS_SMELTING]: 3, [I.REFRACTORY]: 1.5 },
  zhengzhou: { [I.REFRACTORY]: 6, [I.NONFERROUS_SMELTING]: 2 },
  pingdingshan: { [I.COKING]: 4, [I.COAL_WASHING]: 4 },
  jiyuan: { [I.NONFERROUS_SMELTING]: 10, [I.STEEL]: 2, [I.COKING]: 2 },
  sanmenxia: { [I.NONFERROUS_SMELTING]: 6 },
  weinan: { [I.COKING]: 5, [I.STEEL]: 2, [I.NONFERROUS_SMELTING]: 2 },
  tongchuan: { [I.CEMENT]: 3, [I.COAL_WASHING]: 3 },
  xianyang: { [I.CEMENT]: 3 },
  baoji: { [I.NONFERROUS_SMELTING]: 4 },
};

/** Words that name each industry in a company name (行业字样). */
const INDUSTRY_WORDS: Record<I, string[]> = {
  [I.STEEL]: ['钢铁', '特钢', '钢铁集团', '钢铁实业', '型钢', '钢管'],
  [I.CEMENT]: ['水泥', '建材', '水泥制品'],
  [I.COKING]: ['焦化', '煤焦化', '焦化实业', '焦煤'],
  [I.GLASS]: ['玻璃', '浮法玻璃', '玻璃制品'],
  [I.FOUNDRY]: ['铸造', '铸业', '机械铸造', '精密铸造'],
  [I.BRICK_AND_TILE]: ['新型建材', '砖瓦', '页岩砖'],
  [I.NONFERROUS_SMELTING]: ['有色金属', '铝业', '冶炼', '铅业', '锌业'],
  [I.COAL_WASHING]: ['洗煤', '煤业', '洗选煤'],
  [I.LIME]: ['石灰', '钙业', '白灰'],
  [I.REFRACTORY]: ['耐火材料', '耐材', '高温材料'],
  [I.PETROCHEMICAL]: ['石化', '石油化工', '炼化'],
  [I.CHEMICAL]: ['化工', '精细化工', '化学', '生物化工'],
  [I.INDUSTRIAL_COATING]: ['机械制造', '家具', '汽车零部件', '钢结构', '五金制品', '工程机械'],
  [I.PACKAGING_AND_PRINTING]: ['印刷', '包装', '彩印', '包装材料'],
  [I.OIL_STORAGE_AND_DISTRIBUTION]: ['石油销售', '油库', '能源', '石油储运'],
  [I.POWER]: ['热电', '发电', '电力', '能源'],
  [I.HEATING_BOILER]: ['供热', '热力', '热源'],
  [I.OTHER]: ['制药', '橡胶制品', '食品', '纺织', '塑料制品', '木业', '陶瓷'],
};

/** Characters of trade names (字号). */
const TRADE_NAME_CHARS = [...'鑫华宏恒盛达金泰隆源丰瑞兴昌祥德信通旭永佳润新嘉凯博天正中远安誉富荣明利鼎海晟强'];

const HEAVY = new Set<I>([I.STEEL, I.PETROCHEMICAL, I.POWER, I.COKING, I.CEMENT, I.GLASS, I.NONFERROUS_SMELTING]);
const KILNS = new Set<I>([I.GLASS, I.LIME, I.REFRACTORY, I.BRICK_AND_TILE, I.FOUNDRY, I.NONFERROUS_SMELTING, I.COAL_WASHING]);

const SIZES_HEAVY: [S, number][] = [[S.LARGE, 40], [S.MEDIUM, 44], [S.SMALL, 15], [S.MICRO, 1]];
const SIZES_LIGHT: [S, number][] = [[S.LARGE, 3], [S.MEDIUM, 20], [S.SMALL, 50], [S.MICRO, 27]];
const SIZES_SMALL: [S, number][] = [[S.LARGE, 1], [S.MEDIUM, 12], [S.SMALL, 50], [S.MICRO, 37]];

const FIRST_GRADE: Record<S, [G, number][]> = {
  [S.LARGE]: [[G.LEADING, 5], [G.A, 24], [G.B, 38], [G.C, 27], [G.D, 6]],
  [S.MEDIUM]: [[G.LEADING, 0.5], [G.A, 10], [G.B, 35], [G.C, 43], [G.D, 11.5]],
  [S.SMALL]: [[G.A, 3], [G.B, 22], [G.C, 55], [G.D, 20]],
  [S.MICRO]: [[G.A, 1], [G.B, 12], [G.C, 52], [G.D, 35]],
};
const GRADED_SHARE: Record<S, number> = { [S.LARGE]: 0.97, [S.MEDIUM]: 0.93, [S.SMALL]: 0.86, [S.MICRO]: 0.7 };
const LATER_REASONS: [R, number][] = [
  [R.UPGRADE_ON_IMPROVEMENT, 35],
  [R.ASSESSMENT, 20],
  [R.DOWNGRADE_FOR_VIOLATION, 25],
  [R.FAILED_EMERGENCY_CUTS, 12],
  [R.FALSIFIED_MONITORING, 8],
];
const NOTES: Partial<Record<R, string[]>> = {
  [R.UPGRADE_ON_IMPROVEMENT]: ['完成深度治理改造，申请升级并通过评估', '完成清洁运输改造，经复核予以升级', '治理设施提标改造完成，评估达到更高绩效等级'],
  [R.DOWNGRADE_FOR_VIOLATION]: ['执法检查发现无组织排放控制不到位', '污染治理设施未正常运行', '超标排放被立案处罚', '未按要求落实清洁运输'],
  [R.FALSIFIED_MONITORING]: ['自动监测数据弄虚作假，降为D级并取消优惠政策', '篡改在线监测数据，降为D级'],
  [R.FAILED_EMERGENCY_CUTS]: ['重污染天气应急期间未落实减排措施', '橙色预警期间未按要求停产限产'],
};

interface CityRow {
  id: number;
  slug: string;
  nameZh: string;
  divisionCode: string | null;
  province: string;
  provinceNameZh: string;
}

/** Splits `total` over weights by largest remainder, at least `min` each. */
function allocate(weights: number[], total: number, min: number): number[] {
  const rest = total - min * weights.length;
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * rest);
  const out = exact.map((x) => min + Math.floor(x));
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  const missing = total - out.reduce((a, b) => a + b, 0);
  for (let k = 0; k < missing; k++) out[order[k][1]]++;
  return out;
}

/**
 * The publicity day of an assessed-and-publicised enterprise, derived from its credit code (no
 * draw of the generator, so the rest of the dataset stays as it was): between 2019-05-01 (after
 * the steel ultra-low-emission opinion of 2019-04-28) and 2024-03-31, about one in twelve after
 * the steel target's deadline (2023-12-31).
 */
function publicityDate(creditCode: string): string {
  let h = 0;
  for (const c of creditCode) h = (h * 31 + c.charCodeAt(0)) % 1_000_003;
  const from = Date.UTC(2019, 4, 1);
  const late = h % 12 === 0;
  const span = late ? Date.UTC(2024, 2, 31) - Date.UTC(2024, 0, 1) : Date.UTC(2023, 11, 31) - from;
  const day = (late ? Date.UTC(2024, 0, 1) : from) + (Math.floor(h / 12) % (span / 86_400_000 + 1)) * 86_400_000;
  return new Date(day).toISOString().slice(0, 10);
}

/**
 * The approval chain of a demo protected class, from the credit code (no draw of the generator):
 * the city consents between 2023-08-01 and 2023-09-19, the province reviews 5-24 days later, the
 * Ministry files 3-17 days after that (all before the campaign's first day); only the steps the
 * class reached are dated, each recorded by the seed.
 */
function protectedChain(creditCode: string, reached: P, actor: string): Record<string, string | null> {
  let h = 7;
  for (const c of creditCode) h = (h * 37 + c.charCodeAt(0)) % 1_000_033;
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const consent = Date.UTC(2023, 7, 1) + (h % 50) * 86_400_000;
  const review = consent + (5 + (Math.floor(h / 50) % 20)) * 86_400_000;
  const filing = review + (3 + (Math.floor(h / 1000) % 15)) * 86_400_000;
  const level = [P.NONE, P.CITY_CONSENTED, P.PROVINCE_REVIEWED, P.MINISTRY_FILED].indexOf(reached);
  return {
    protected_city_consented_on: level >= 1 ? day(consent) : null,
    protected_city_consented_by: level >= 1 ? actor : null,
    protected_province_reviewed_on: level >= 2 ? day(review) : null,
    protected_province_reviewed_by: level >= 2 ? actor : null,
    protected_ministry_filed_on: level >= 3 ? day(filing) : null,
    protected_ministry_filed_by: level >= 3 ? actor : null,
  };
}

function ultraLowStatus(faker: Faker, industry: I, size: S): U {
  if (requiresUltraLowEmission(industry)) {
    const bySize: Record<S, number[]> = { [S.LARGE]: [5, 15, 15, 65], [S.MEDIUM]: [10, 30, 20, 40], [S.SMALL]: [35, 35, 15, 15], [S.MICRO]: [60, 30, 10, 0] };
    const [n, r, c, a] = bySize[size];
    return weighted(faker, [[U.NOT_STARTED, n], [U.RETROFITTING, r], [U.COMPLETED, c], [U.ASSESSED_AND_PUBLICISED, a]]);
  }
  if (industry === I.POWER) return weighted(faker, [[U.RETROFITTING, 5], [U.COMPLETED, 25], [U.ASSESSED_AND_PUBLICISED, 70]]);
  if (industry === I.HEATING_BOILER) return weighted(faker, [[U.NOT_STARTED, 30], [U.RETROFITTING, 20], [U.COMPLETED, 35], [U.ASSESSED_AND_PUBLICISED, 15]]);
  if (KILNS.has(industry)) return weighted(faker, [[U.NOT_STARTED, 65], [U.RETROFITTING, 20], [U.COMPLETED, 12], [U.ASSESSED_AND_PUBLICISED, 3]]);
  return weighted(faker, [[U.NOT_STARTED, 92], [U.RETROFITTING, 4], [U.COMPLETED, 4]]);
}

/** Picks a target among `allowed`, preferring the grade next to `current` (real changes move one step). */
function nearTarget(faker: Faker, current: G | null, allowed: G[]): G {
  if (current === null || allowed.length === 1) return faker.helpers.arrayElement(allowed);
  const dist = (g: G) => Math.abs(compareGrades(g, current));
  return weighted(faker, allowed.map((g) => [g, dist(g) === 1 ? 8 : 1] as const));
}

interface GradeStep {
  fromGrade: G | null;
  toGrade: G;
  reason: R;
  decidedAt: Date;
  note: string | null;
}

/** A consistent history of 1-4 changes that respects every grade rule. */
function gradeHistory(faker: Faker, industry: I, size: S, status: U): GradeStep[] {
  const n = weighted(faker, [[1, 45], [2, 30], [3, 15], [4, 10]] as const);
  const times = Array.from({ length: n }, () => faker.date.between({ from: DEMO_GRADE_FROM, to: DEMO_GRADE_TO }).getTime()).sort((a, b) => a - b);
  const steps: GradeStep[] = [];
  let current: G | null = null;
  for (let i = 0; i < n; i++) {
    let reason: R;
    let toGrade: G;
    if (current === null) {
      reason = R.ASSESSMENT;
      toGrade = weighted(faker, FIRST_GRADE[size].filter(([g]) => mayHoldGrade(industry, status, g)));
    } else {
      // Demo histories only record changes of grade (a D -> D sanction for falsification is the supervision module's).
      const candidates = LATER_REASONS.map(([r, w]) => [r, w, allowedTargets({ industry, ultraLowEmissionStatus: status, currentGrade: current, reason: r }).filter((g) => g !== current)] as const)
        .filter(([, , targets]) => targets.length > 0);
      const [r, , targets] = weighted(faker, candidates.map((c) => [c, c[1]] as const));
      reason = r;
      toGrade = nearTarget(faker, current, targets);
    }
    const year = new Date(times[i] + 8 * 3600_000).getUTCFullYear();
    const note = reason === R.ASSESSMENT
      ? (current === null ? `${year}年度重污染天气重点行业绩效分级评级` : `${year}年度绩效分级复核`)
      : faker.helpers.arrayElement(NOTES[reason]!);
    steps.push({ fromGrade: current, toGrade, reason, decidedAt: new Date(times[i]), note });
    current = toGrade;
  }
  return steps;
}

function tradeName(faker: Faker): string {
  const given = faker.person.firstName();
  if (given.length === 2 && faker.datatype.boolean()) return given;
  return faker.helpers.arrayElement(TRADE_NAME_CHARS) + faker.helpers.arrayElement(TRADE_NAME_CHARS);
}

export const enterpriseDemoSeeder: DemoSeeder = {
  name: 'enterprise',
  async run(em: EntityManager, faker: Faker) {
    const knex = knexOf(em);
    const actor = SEED_ACTOR.id;
    const cities: CityRow[] = await knex('city as c')
      .join('province as p', 'p.id', 'c.province_id')
      .select('c.id', 'c.slug', 'c.name_zh as nameZh', 'c.division_code as divisionCode', 'p.slug as province', 'p.name_zh as provinceNameZh')
      .orderBy('c.plan_order');
    const counts = allocate(cities.map((c) => CITY_WEIGHT[c.slug] ?? PROVINCE_WEIGHT[c.province] ?? 100), DEMO_ENTERPRISE_COUNT, 12);

    const codes = new Set<string>((await knex('enterprise').select('credit_code')).map((r: { credit_code: string }) => r.credit_code));
    const names = new Set<string>();
    const random = (n: number) => faker.number.int(n - 1);
    const enterprises: Record<string, unknown>[] = [];
    const histories = new Map<string, { cityId: number; steps: GradeStep[]; decidedBy: (g: G) => string }>();

    cities.forEach((city, ci) => {
      const industries = (Object.keys(INDUSTRY_BASE) as I[]).map((ind) => {
        const m = INDUSTRY_BY_PLACE[city.slug]?.[ind] ?? INDUSTRY_BY_PLACE[city.province]?.[ind] ?? 1;
        return [ind, INDUSTRY_BASE[ind] * m] as const;
      });
      const division = city.divisionCode ?? XIONGAN_DIVISION_CODE;
      const cityBureau = `${city.nameZh}生态环境局`;
      const provinceDept = city.province === 'beijing' || city.province === 'tianjin' ? cityBureau : `${city.provinceNameZh}生态环境厅`;
      for (let k = 0; k < counts[ci]; k++) {
        const industry = weighted(faker, industries);
        const size = weighted(
          faker,
          HEAVY.has(industry) ? SIZES_HEAVY : [I.PACKAGING_AND_PRINTING, I.INDUSTRIAL_COATING, I.BRICK_AND_TILE, I.LIME].includes(industry) ? SIZES_SMALL : SIZES_LIGHT,
        );
        let name: string;
        do {
          const form = size === S.LARGE ? weighted(faker, [['有限公司', 4], ['股份有限公司', 3], ['集团有限公司', 2]] as const) : weighted(faker, [['有限公司', 8], ['有限责任公司', 2]] as const);
          name = `${city.nameZh}${tradeName(faker)}${faker.helpers.arrayElement(INDUSTRY_WORDS[industry])}${form}`;
        } while (names.has(name));
        names.add(name);
        let creditCode: string;
        do creditCode = generateCreditCode(division, random, { modern: faker.number.float() < 0.55 });
        while (codes.has(creditCode));
        codes.add(creditCode);

        const keyP = { [S.LARGE]: 0.95, [S.MEDIUM]: HEAVY.has(industry) ? 0.75 : 0.4, [S.SMALL]: 0.15, [S.MICRO]: 0.03 }[size];
        const keyDischarger = faker.number.float() < keyP;
        const onlineMonitoring = faker.number.float() < (keyDischarger ? 0.93 : 0.04);
        const status = ultraLowStatus(faker, industry, size);
        const protectedP = industry === I.HEATING_BOILER ? 0.25 : industry === I.POWER ? 0.3 : industry === I.OTHER ? 0.06 : industry === I.CHEMICAL ? 0.03 : 0.01;
        const protectedClass = faker.number.float() < protectedP
          ? weighted(faker, [[P.CITY_CONSENTED, 30], [P.PROVINCE_REVIEWED, 30], [P.MINISTRY_FILED, 40]] as const)
          : P.NONE;

        const steps = faker.number.float() < GRADED_SHARE[size] ? gradeHistory(faker, industry, size, status) : [];
        const grade = steps.at(-1)?.toGrade ?? null;
        const falsified = steps.some((s) => s.reason === R.FALSIFIED_MONITORING);
        const benchmark = !falsified && (grade === G.LEADING ? faker.number.float() < 0.3 : grade === G.A ? faker.number.float() < 0.08 : false);
        const positiveP = falsified ? 0 : grade === G.LEADING || grade === G.A ? 0.6 : grade === G.B ? 0.35 : protectedClass !== P.NONE ? 0.5 : grade === G.C ? 0.05 : 0;
        const positiveList = faker.number.float() < positiveP;

        enterprises.push({
          city_id: city.id,
          name,
          credit_code: creditCode,
          industry,
          size,
          key_discharger: keyDischarger,
          online_monitoring: onlineMonitoring,
          ultra_low_emission_status: status,
          ultra_low_emission_publicised_on: status === U.ASSESSED_AND_PUBLICISED ? publicityDate(creditCode) : null,
          protected_class: protectedClass,
          ...protectedChain(creditCode, protectedClass, actor),
          benchmark,
          positive_list: positiveList,
          current_grade: grade,
          origin: DataOrigin.DEMO,
          created_by: actor,
          updated_by: actor,
        });
        if (steps.length) histories.set(creditCode, { cityId: city.id, steps, decidedBy: (g) => (g === G.LEADING ? provinceDept : cityBureau) });
      }
    });

    const inserted = (await insertChunked(knex, 'enterprise', enterprises, ['id', 'credit_code'])) as { id: number; credit_code: string }[];
    const changes: Record<string, unknown>[] = [];
    for (const row of inserted) {
      const h = histories.get(row.credit_code);
      if (!h) continue;
      for (const s of h.steps) {
        changes.push({
          enterprise_id: row.id,
          city_id: h.cityId,
          from_grade: s.fromGrade,
          to_grade: s.toGrade,
          reason: s.reason,
          note: s.note,
          decided_by: h.decidedBy(s.toGrade),
          decided_at: s.decidedAt,
          origin: DataOrigin.DEMO,
          created_by: actor,
          updated_by: actor,
        });
      }
    }
    await insertChunked(knex, 'grade_change', changes);
  },
};
