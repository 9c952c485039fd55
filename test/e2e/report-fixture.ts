/**
 * A small ledger written with plain SQL (enterprises, grade changes, projects, subsidies,
 * observations and outcome targets in four cities) for the report and export tests, kept as
 * plain arrays so that the tests compute every expected figure from them in JavaScript,
 * independently of the API's SQL.
 */
import type { TestApp } from '../helpers/app.js';

export const CAMPAIGN = '2023-2024-autumn-winter';

/** City -> province, region (as in the plan). */
export const CITIES: Record<string, { province: string; region: string }> = {
  taiyuan: { province: 'shanxi', region: 'FENWEI_PLAIN' },
  jinzhong: { province: 'shanxi', region: 'FENWEI_PLAIN' },
  xian: { province: 'shaanxi', region: 'FENWEI_PLAIN' },
  shijiazhuang: { province: 'hebei', region: 'JJJ_SURROUNDING' },
};

export interface EnterpriseFx {
  key: string;
  city: string;
  name: string;
  industry: string;
  size: string;
  grade: string | null;
}

export const ENTERPRISES: EnterpriseFx[] = [
  { key: 'E1', city: 'taiyuan', name: '太原钢铁一厂', industry: 'STEEL', size: 'LARGE', grade: 'A' },
  { key: 'E2', city: 'taiyuan', name: '太原焦化二厂', industry: 'COKING', size: 'MEDIUM', grade: 'B' },
  { key: 'E3', city: 'taiyuan', name: '太原钢铁三厂', industry: 'STEEL', size: 'SMALL', grade: null },
  { key: 'E4', city: 'jinzhong', name: '晋中焦化', industry: 'COKING', size: 'LARGE', grade: 'D' },
  { key: 'E5', city: 'jinzhong', name: '晋中水泥', industry: 'CEMENT', size: 'MICRO', grade: null },
  { key: 'E6', city: 'xian', name: '西安水泥', industry: 'CEMENT', size: 'MEDIUM', grade: 'LEADING' },
  { key: 'E7', city: 'xian', name: '西安钢铁', industry: 'STEEL', size: 'LARGE', grade: 'B' },
  { key: 'E8', city: 'shijiazhuang', name: '石家庄钢铁', industry: 'STEEL', size: 'LARGE', grade: 'C' },
];

export interface GradeChangeFx {
  enterprise: string;
  from: string | null;
  to: string;
  /** Instant of the decision (UTC). */
  at: string;
  /** Month of the decision in China time. */
  month: string;
}

export const GRADE_CHANGES: GradeChangeFx[] = [
  { enterprise: 'E1', from: null, to: 'B', at: '2023-09-20T02:00:00Z', month: '2023-09' },
  { enterprise: 'E1', from: 'B', to: 'A', at: '2023-11-05T02:00:00Z', month: '2023-11' },
  // 2023-10-31 20:00 UTC is 2023-11-01 04:00 in China.
  { enterprise: 'E2', from: null, to: 'B', at: '2023-10-31T20:00:00Z', month: '2023-11' },
  { enterprise: 'E4', from: 'C', to: 'D', at: '2024-01-15T02:00:00Z', month: '2024-01' },
  { enterprise: 'E6', from: null, to: 'LEADING', at: '2023-12-01T02:00:00Z', month: '2023-12' },
  { enterprise: 'E7', from: null, to: 'B', at: '2024-02-10T02:00:00Z', month: '2024-02' },
  { enterprise: 'E8', from: null, to: 'C', at: '2024-04-02T02:00:00Z', month: '2024-04' },
];

export interface ProjectFx {
  name: string;
  city: string;
  enterprise: string | null;
  target: string | null;
  type: string;
  status: string;
  start: string | null;
  end: string | null;
  households: number;
  units: number;
  capacity: number;
  investment: number;
}

export const PROJECTS: ProjectFx[] = [
  { name: '太原钢铁超低排放', city: 'taiyuan', enterprise: 'E1', target: 'STEEL_ULTRA_LOW_CAPACITY', type: 'ULTRA_LOW_EMISSION_STEEL', status: 'COMPLETED', start: '2023-03-01', end: '2023-11-20', households: 0, units: 0, capacity: 3_000_000, investment: 500_000_000 },
  { name: '太原煤改气一期', city: 'taiyuan', enterprise: null, target: 'COAL_HOUSEHOLDS', type: 'CLEAN_HEATING_COAL_TO_GAS', status: 'COMPLETED', start: '2023-06-01', end: '2023-11-10', households: 1200, units: 0, capacity: 0, investment: 12_000_000 },
  { name: '晋中煤改电', city: 'jinzhong', enterprise: null, target: 'COAL_HOUSEHOLDS', type: 'CLEAN_HEATING_COAL_TO_ELECTRICITY', status: 'VERIFIED', start: '2023-06-01', end: '2023-11-14', households: 800, units: 0, capacity: 0, investment: 9_600_000 },
  // Ended after the deadline (2023-11-15): does not count toward COAL_HOUSEHOLDS.
  { name: '晋中煤改气', city: 'jinzhong', enterprise: null, target: 'COAL_HOUSEHOLDS', type: 'CLEAN_HEATING_COAL_TO_GAS', status: 'COMPLETED', start: '2023-07-01', end: '2023-12-01', households: 500, units: 0, capacity: 0, investment: 5_000_000.5 },
  { name: '西安水泥超低排放', city: 'xian', enterprise: 'E6', target: null, type: 'ULTRA_LOW_EMISSION_CEMENT', status: 'IN_PROGRESS', start: '2023-09-01', end: null, households: 0, units: 0, capacity: 1_000_000, investment: 80_000_000 },
  { name: '太原燃煤锅炉淘汰', city: 'taiyuan', enterprise: null, target: 'COAL_BOILERS_ELIMINATED', type: 'BOILER_ELIMINATION', status: 'PLANNED', start: null, end: null, households: 0, units: 3, capacity: 0, investment: 2_000_000 },
  { name: '西安煤改电', city: 'xian', enterprise: null, target: 'COAL_HOUSEHOLDS', type: 'CLEAN_HEATING_COAL_TO_ELECTRICITY', status: 'COMPLETED', start: '2023-05-01', end: '2023-11-01', households: 2000, units: 0, capacity: 0, investment: 30_000_000 },
];

export interface DisbursementFx {
  program: 'OPS' | 'FUND';
  city: string;
  household: { name: string; id: string; lowIncome: boolean } | null;
  enterprise: string | null;
  amount: number;
  approved: string;
  paid: string | null;
}

export const PROGRAMS = { OPS: 'fx-clean-heating-operating', FUND: 'fx-central-fund' } as const;
export const BUDGETS: { program: 'OPS' | 'FUND'; city: string; amount: number }[] = [
  { program: 'OPS', city: 'taiyuan', amount: 10_000 },
  { program: 'OPS', city: 'jinzhong', amount: 6_000 },
  { program: 'FUND', city: 'xian', amount: 1_000_000 },
];

const hh = (name: string, id: string, lowIncome: boolean) => ({ name, id, lowIncome });
export const DISBURSEMENTS: DisbursementFx[] = [
  { program: 'OPS', city: 'taiyuan', household: hh('张秀英', '140105195203140211', true), enterprise: null, amount: 1000, approved: '2023-11-01', paid: '2023-11-11' },
  { program: 'OPS', city: 'taiyuan', household: hh('李建国', '140105196707220133', false), enterprise: null, amount: 2000, approved: '2023-11-05', paid: '2023-11-25' },
  { program: 'OPS', city: 'taiyuan', household: hh('王桂兰', '140105194801090448', true), enterprise: null, amount: 1500, approved: '2023-12-01', paid: '2024-01-10' },
  { program: 'OPS', city: 'taiyuan', household: hh('赵淑珍', '140105195911300626', true), enterprise: null, amount: 500, approved: '2024-01-05', paid: null },
  { program: 'OPS', city: 'jinzhong', household: hh('刘玉梅', '140702195504050284', true), enterprise: null, amount: 800, approved: '2023-12-10', paid: '2023-12-15' },
  { program: 'OPS', city: 'jinzhong', household: hh('陈志强', '140702196811120315', false), enterprise: null, amount: 1200, approved: '2023-12-12', paid: '2024-01-11' },
  { program: 'FUND', city: 'xian', household: null, enterprise: 'E7', amount: 300_000, approved: '2023-12-01', paid: '2023-12-31' },
  { program: 'FUND', city: 'xian', household: null, enterprise: 'E6', amount: 200_000, approved: '2024-01-10', paid: null },
];

export interface ObservationFx {
  city: string;
  day: string;
  pm25: number;
  aqi: number | null;
  station?: string;
}

export const OBSERVATIONS: ObservationFx[] = [
  { city: 'taiyuan', day: '2023-09-15', pm25: 30, aqi: 43 },
  { city: 'taiyuan', day: '2023-12-01', pm25: 100, aqi: 133 },
  { city: 'taiyuan', day: '2023-12-02', pm25: 160, aqi: 210 },
  { city: 'taiyuan', day: '2023-12-03', pm25: 40, aqi: 56 },
  { city: 'taiyuan', day: '2024-01-10', pm25: 80, aqi: 106 },
  { city: 'taiyuan', day: '2022-12-05', pm25: 120, aqi: 158 },
  { city: 'taiyuan', day: '2022-12-06', pm25: 100, aqi: 133 },
  // A station's value: reports, rankings and attainment use city-wide means only.
  { city: 'taiyuan', day: '2023-12-01', pm25: 300, aqi: 350, station: 'TY01' },
  { city: 'jinzhong', day: '2023-12-01', pm25: 50, aqi: 69 },
  { city: 'jinzhong', day: '2023-12-02', pm25: 70, aqi: 94 },
  { city: 'jinzhong', day: '2024-01-10', pm25: 200, aqi: 250 },
  { city: 'jinzhong', day: '2022-12-05', pm25: 90, aqi: 119 },
  { city: 'xian', day: '2023-12-01', pm25: 120, aqi: 158 },
  { city: 'xian', day: '2023-12-02', pm25: 140, aqi: 184 },
  // Heavy by PM2.5 alone (no AQI).
  { city: 'xian', day: '2023-12-03', pm25: 151, aqi: null },
  { city: 'shijiazhuang', day: '2023-12-01', pm25: 200, aqi: 250 },
  { city: 'shijiazhuang', day: '2023-12-02', pm25: 100, aqi: 133 },
  { city: 'shijiazhuang', day: '2022-12-01', pm25: 90, aqi: 119 },
];

export const OUTCOME_TARGETS: Record<string, { pm25: number; heavy: number }> = {
  taiyuan: { pm25: 90, heavy: 1 },
  jinzhong: { pm25: 110, heavy: 0 },
  xian: { pm25: 140, heavy: 2 },
  shijiazhuang: { pm25: 120, heavy: 0 },
};

export const isHeavy = (o: { pm25: number; aqi: number | null }) => o.pm25 > 150 || (o.aqi !== null && o.aqi > 200);

/** Writes the fixture; returns the ids of enterprises by key. */
export async function writeFixture(app: TestApp): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  let i = 0;
  for (const e of ENTERPRISES) {
    const [row] = await app.sql<{ id: number }>(
      `insert into enterprise (city_id, name, credit_code, industry, size, ultra_low_emission_status, ultra_low_emission_publicised_on, current_grade, origin, created_by, updated_by)
       select id, ?, ?, ?, ?, 'ASSESSED_AND_PUBLICISED', '2023-11-25', ?, 'RECORDED', 'test', 'test' from city where slug = ? returning id`,
      [e.name, `9114${String(++i).padStart(14, '0')}`, e.industry, e.size, e.grade, e.city],
    );
    ids[e.key] = row.id;
  }
  for (const g of GRADE_CHANGES) {
    await app.sql(
      `insert into grade_change (enterprise_id, city_id, from_grade, to_grade, reason, decided_by, decided_at, origin, created_by, updated_by)
       select e.id, e.city_id, ?, ?, ?, '生态环境局', ?::timestamptz, 'RECORDED', 'test', 'test' from enterprise e where e.id = ?`,
      [g.from, g.to, g.from === null ? 'ASSESSMENT' : g.to < g.from ? 'UPGRADE_ON_IMPROVEMENT' : 'DOWNGRADE_FOR_VIOLATION', g.at, ids[g.enterprise]],
    );
  }
  for (const p of PROJECTS) {
    const [row] = await app.sql<{ id: number; city_id: number }>(
      `insert into retrofit_project (city_id, enterprise_id, task_target_id, name, type, status, planned_start_date, planned_end_date,
         actual_start_date, actual_end_date, households, units, capacity_tonnes, investment_yuan, origin, created_by, updated_by)
       select c.id, ?, (select id from task_target where code = ?), ?, ?, ?, '2023-01-01', '2023-12-31', ?, ?, ?, ?, ?, ?, 'RECORDED', 'test', 'test'
       from city c where c.slug = ? returning id, city_id`,
      [p.enterprise ? ids[p.enterprise] : null, p.target, p.name, p.type, p.status, p.start, p.end, p.households, p.units, p.capacity, p.investment, p.city],
    );
    // Households of a clean-heating project are on the village conversion list (COAL_HOUSEHOLDS counts them),
    // in use on 2023-10-15, before every city's heating-season start.
    if (p.households > 0) await convertHouseholds(app, row.id, row.city_id, p.households, p.type === 'CLEAN_HEATING_COAL_TO_GAS' ? 'GAS' : 'ELECTRICITY');
  }
  const programIds: Record<string, number> = {};
  for (const [key, code] of Object.entries(PROGRAMS)) {
    const [row] = await app.sql<{ id: number }>(
      `insert into subsidy_program (campaign_id, code, name_zh, name_en, kind, origin, created_by, updated_by)
       select id, ?, ?, ?, ?, 'RECORDED', 'test', 'test' from campaign where code = ? returning id`,
      [code, key === 'OPS' ? '清洁取暖运行补贴' : '中央大气污染防治资金', key === 'OPS' ? 'Clean-heating operating subsidy' : 'Central air-pollution fund', key === 'OPS' ? 'CLEAN_HEATING_OPERATING' : 'CENTRAL_AIR_POLLUTION_FUND', CAMPAIGN],
    );
    programIds[key] = row.id;
  }
  const budgetIds: Record<string, number> = {};
  for (const b of BUDGETS) {
    const [row] = await app.sql<{ id: number }>(
      `insert into subsidy_budget (program_id, city_id, amount_yuan, origin, created_by, updated_by)
       select ?, id, ?, 'RECORDED', 'test', 'test' from city where slug = ? returning id`,
      [programIds[b.program], b.amount, b.city],
    );
    budgetIds[`${b.program}|${b.city}`] = row.id;
  }
  for (const d of DISBURSEMENTS) {
    await app.sql(
      `insert into disbursement (program_id, budget_id, city_id, recipient_kind, household_name, household_id_number, enterprise_id, low_income,
         amount_yuan, approved_on, paid_on, origin, created_by, updated_by)
       select ?, ?, id, ?, ?, ?, ?, ?, ?, ?, ?, 'RECORDED', 'test', 'test' from city where slug = ?`,
      [
        programIds[d.program], budgetIds[`${d.program}|${d.city}`], d.household ? 'HOUSEHOLD' : 'ENTERPRISE', d.household?.name ?? null, d.household?.id ?? null,
        d.enterprise ? ids[d.enterprise] : null, d.household ? d.household.lowIncome : null, d.amount, d.approved, d.paid, d.city,
      ],
    );
  }
  for (const o of OBSERVATIONS) {
    await app.sql(
      `insert into air_quality_observation (city_id, observed_on, station_code, pm25, aqi, origin, created_by, updated_by)
       select id, ?, ?, ?, ?, 'RECORDED', 'test', 'test' from city where slug = ?`,
      [o.day, o.station ?? null, o.pm25, o.aqi, o.city],
    );
  }
  for (const [city, t] of Object.entries(OUTCOME_TARGETS)) {
    await app.sql(
      `insert into outcome_target (city_id, campaign_id, pm25_target, heavy_days_target, origin, created_by, updated_by)
       select c.id, cp.id, ?, ?, 'RECORDED', 'test', 'test' from city c, campaign cp where c.slug = ? and cp.code = ?`,
      [t.pm25, t.heavy, city, CAMPAIGN],
    );
  }
  return ids;
}

// ---- independent aggregation in JavaScript ----

export type Agg = 'COUNT' | 'SUM' | 'MIN' | 'MAX' | 'AVG' | 'MEDIAN';

export function aggregate(agg: Agg, values: (number | null)[]): number | null {
  const xs = values.filter((v): v is number => v !== null);
  if (agg === 'COUNT') return values.length;
  if (!xs.length) return null;
  switch (agg) {
    case 'SUM':
      return xs.reduce((a, b) => a + b, 0);
    case 'MIN':
      return Math.min(...xs);
    case 'MAX':
      return Math.max(...xs);
    case 'AVG':
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    case 'MEDIAN': {
      const s = [...xs].sort((a, b) => a - b);
      const mid = (s.length - 1) / 2;
      return (s[Math.floor(mid)] + s[Math.ceil(mid)]) / 2;
    }
  }
}

export interface MeasureSpec<R> {
  agg: Agg;
  value: (r: R) => number | null;
  where?: (r: R) => boolean;
}

/**
 * The rows a GROUP BY ROLLUP gives, keyed by the dimension keys joined with "|" ("*" for a
 * rolled-up dimension, "null" for a record without a key), with one value per measure.
 */
export function rollup<R>(records: R[], dims: ((r: R) => string | null)[], measures: MeasureSpec<R>[]): Map<string, (number | null)[]> {
  const out = new Map<string, (number | null)[]>();
  for (let level = dims.length; level >= 0; level--) {
    const groups = new Map<string, R[]>();
    for (const r of records) {
      const key = dims.map((d, i) => (i < level ? String(d(r)) : '*')).join('|');
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    if (level === 0 && !groups.size) groups.set(dims.map(() => '*').join('|'), []);
    for (const [key, rs] of groups) {
      out.set(
        key,
        measures.map((m) => {
          const sel = m.where ? rs.filter(m.where) : rs;
          return aggregate(m.agg, sel.map(m.value));
        }),
      );
    }
  }
  return out;
}

/** The rows of a report response keyed like rollup(). */
export function reportMap(report: { rows: { keys: { isTotal: boolean; value: string | null }[]; values: (number | null)[] }[] }): Map<string, (number | null)[]> {
  return new Map(report.rows.map((r) => [r.keys.map((k) => (k.isTotal ? '*' : String(k.value))).join('|'), r.values]));
}

/** A county, township and village of the project's city, and one conversion of its households. */
async function convertHouseholds(app: TestApp, projectId: number, cityId: number, households: number, system: string): Promise<void> {
  const place = async (level: string, parent: number | null) =>
    (await app.sql<{ id: number }>(`insert into locality (city_id, parent_id, level, name_zh, origin, created_by, updated_by) values (?, ?, ?, ?, 'RECORDED', 'test', 'test') returning id`, [cityId, parent, level, `${level}${projectId}`]))[0].id;
  const village = await place('VILLAGE', await place('TOWNSHIP', await place('COUNTY', null)));
  await app.sql(
    `insert into household_conversion (city_id, village_id, project_id, households, new_system, converted_on, origin, created_by, updated_by) values (?, ?, ?, ?, ?, '2023-10-15', 'RECORDED', 'test', 'test')`,
    [cityId, village, projectId, households, system],
  );
}
