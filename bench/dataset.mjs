/**
 * The scale dataset of the benchmarks: the plan's 56 cities (through the API's own migrations and
 * plan seeders), then 100,000 enterprises, 1,000,000 grade changes, 200,000 retrofit projects,
 * 1,000,000 disbursements (with budgets that hold them) and four years of daily observations for
 * every city. Reproducible from BENCH_SEED: enterprises come from a seeded generator in Node (valid
 * credit codes by the API's own generator), everything else from deterministic hashes in SQL
 * (hashint8extended of row numbers and the seed), so the same seed gives the same rows.
 */
import { connectAndMigrate } from '../packages/api/dist/db/database.js';
import { seedPlan } from '../packages/api/dist/seeders/index.js';
import { generateCreditCode } from '../packages/api/dist/modules/enterprise/credit-code.js';
import { TARGET_PROJECT_TYPES } from '../packages/api/dist/modules/project/project.rules.js';
import pg from 'pg';

export const DATASET_VERSION = 4;

export const SIZES = {
  enterprises: Number(process.env.BENCH_ENTERPRISES ?? 100_000),
  gradeChangesPerEnterprise: 10,
  projects: Number(process.env.BENCH_PROJECTS ?? 200_000),
  householdDisbursements: 900_000,
  enterpriseDisbursements: 100_000,
  observationYears: [2021, 2022, 2023, 2024],
};

/** mulberry32: a small seeded generator for the Node-side rows. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INDUSTRIES = ['STEEL', 'CEMENT', 'COKING', 'GLASS', 'FOUNDRY', 'BRICK_AND_TILE', 'NONFERROUS_SMELTING', 'COAL_WASHING', 'LIME', 'REFRACTORY',
  'PETROCHEMICAL', 'CHEMICAL', 'INDUSTRIAL_COATING', 'PACKAGING_AND_PRINTING', 'OIL_STORAGE_AND_DISTRIBUTION', 'POWER', 'HEATING_BOILER', 'OTHER'];
const SIZES_ = ['LARGE', 'MEDIUM', 'SMALL', 'MICRO'];
const ULE = ['NOT_STARTED', 'RETROFITTING', 'COMPLETED', 'ASSESSED_AND_PUBLICISED'];
const PROTECTED = ['NONE', 'NONE', 'NONE', 'CITY_CONSENTED', 'PROVINCE_REVIEWED', 'MINISTRY_FILED'];
const NAME_PARTS = ['华北', '冀东', '晋中', '汾河', '鲁西', '中原', '渭北', '燕山', '太行', '黄河', '海河', '泰山', '秦岭', '吕梁', '沧海', '长城'];
const NAME_KINDS = { STEEL: '钢铁', CEMENT: '水泥', COKING: '焦化', GLASS: '玻璃', FOUNDRY: '铸造', BRICK_AND_TILE: '砖瓦', NONFERROUS_SMELTING: '有色冶炼',
  COAL_WASHING: '洗煤', LIME: '石灰', REFRACTORY: '耐火材料', PETROCHEMICAL: '石化', CHEMICAL: '化工', INDUSTRIAL_COATING: '涂装', PACKAGING_AND_PRINTING: '包装印刷',
  OIL_STORAGE_AND_DISTRIBUTION: '油品储运', POWER: '电力', HEATING_BOILER: '热力', OTHER: '实业' };
const PROJECT_TYPES = ['ULTRA_LOW_EMISSION_STEEL', 'ULTRA_LOW_EMISSION_CEMENT', 'ULTRA_LOW_EMISSION_COKING', 'VOCS_SOURCE_SUBSTITUTION', 'VOCS_STORAGE_TANKS',
  'VOCS_LOADING', 'VOCS_OPEN_LIQUID_SURFACES', 'VOCS_PETROL_STATION_VAPOUR_RECOVERY', 'VOCS_END_OF_PIPE_UPGRADE', 'VOCS_GREEN_ISLAND',
  'CLEAN_HEATING_COAL_TO_GAS', 'CLEAN_HEATING_COAL_TO_ELECTRICITY', 'AGRICULTURAL_COAL_REPLACEMENT', 'BOILER_ELIMINATION', 'KILN_ELIMINATION',
  'GAS_GENERATOR_ELIMINATION', 'LOW_NOX_BURNER_RETROFIT', 'RAILWAY_SPUR_LINE', 'COKE_OVEN_CLOSURE'];
const HOUSEHOLD_TYPES = ['CLEAN_HEATING_COAL_TO_GAS', 'CLEAN_HEATING_COAL_TO_ELECTRICITY', 'AGRICULTURAL_COAL_REPLACEMENT'];

const stable = (v) => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));

/** Returns a pg client on `url` with the dataset loaded (loads it when missing or of another seed/version). */
export async function ensureDataset(url, seed, log = console.log) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create table if not exists bench_dataset (version int not null, seed int not null, sizes jsonb not null, loaded_at timestamptz not null default now())`);
    const { rows } = await client.query('select version, seed, sizes from bench_dataset');
    if (rows[0] && rows[0].version === DATASET_VERSION && rows[0].seed === seed && stable(rows[0].sizes) === stable(SIZES)) {
      log(`dataset present (seed ${seed})`);
      return;
    }
    if (rows.length) throw new Error('The bench database holds another dataset: drop it (BENCH_FRESH=1) and rerun.');
  } finally {
    await client.end();
  }
  const t0 = Date.now();
  const orm = await connectAndMigrate(url, 4);
  await seedPlan(orm);
  await orm.close(true);
  log(`migrations and plan data: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await load(c, seed, log);
  } finally {
    await c.end();
  }
  log(`dataset loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function load(c, seed, log) {
  const step = async (label, sql, params) => {
    const t = Date.now();
    const r = await c.query(sql, params);
    log(`  ${label}: ${r.rowCount ?? ''} rows, ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return r;
  };
  await c.query('begin');
  await c.query(`set local synchronous_commit = off`);
  // A deterministic pseudo-random integer in [0, n) of (key, salt): the same rows for the same seed.
  await c.query(`create function pg_temp.h(k bigint, salt int, n int) returns int language sql immutable
    as $$ select (abs(hashint8extended(k * 131 + salt, ${Number(seed)})) % n)::int $$`);
  // Chinese resident id number (GB 11643) with its ISO 7064 MOD 11-2 check character.
  await c.query(`create function pg_temp.id_number(first17 text) returns text language sql immutable as $$
    select first17 || substr('10X98765432', 1 + (
      select sum(substr(first17, i, 1)::int * (array[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2])[i]) % 11
      from generate_series(1, 17) i)::int, 1) $$`);

  const cities = (await c.query(`select id, province_id, coalesce(division_code, '133100') as division_code from city order by plan_order`)).rows;
  const { rows: [campaign] } = await c.query(`select id from campaign order by period_start desc limit 1`);

  // ---- enterprises (Node: valid credit codes by the API's generator)
  const rand = prng(seed);
  const int = (n) => Math.floor(rand() * n);
  const codes = new Set();
  const cols = { city_id: [], name: [], credit_code: [], industry: [], size: [], key: [], online: [], ule: [], protected: [], benchmark: [], positive: [] };
  for (let i = 0; i < SIZES.enterprises; i++) {
    const city = cities[int(cities.length)];
    const industry = INDUSTRIES[int(INDUSTRIES.length)];
    let code;
    do code = generateCreditCode(city.division_code, int); while (codes.has(code));
    codes.add(code);
    cols.city_id.push(city.id);
    cols.name.push(`${NAME_PARTS[int(NAME_PARTS.length)]}${NAME_PARTS[int(NAME_PARTS.length)]}${NAME_KINDS[industry]}有限公司${i + 1}号`);
    cols.credit_code.push(code);
    cols.industry.push(industry);
    cols.size.push(SIZES_[int(SIZES_.length)]);
    cols.key.push(rand() < 0.3);
    cols.online.push(rand() < 0.5);
    // Steel, cement and coking are graded below, so they carry assessed ultra-low emission.
    cols.ule.push(['STEEL', 'CEMENT', 'COKING'].includes(industry) ? 'ASSESSED_AND_PUBLICISED' : ULE[int(ULE.length)]);
    cols.protected.push(PROTECTED[int(PROTECTED.length)]);
    cols.benchmark.push(rand() < 0.05);
    cols.positive.push(rand() < 0.1);
  }
  const t = Date.now();
  const CHUNK = 20_000;
  for (let i = 0; i < SIZES.enterprises; i += CHUNK) {
    const slice = (a) => a.slice(i, i + CHUNK);
    await c.query(
      `insert into enterprise (created_at, updated_at, created_by, updated_by, city_id, name, credit_code, industry, size, key_discharger,
         online_monitoring, ultra_low_emission_status, protected_class, benchmark, positive_list, origin,
         protected_city_consented_on, protected_city_consented_by, protected_province_reviewed_on, protected_province_reviewed_by,
         protected_ministry_filed_on, protected_ministry_filed_by)
       select now(), now(), 'system:bench', 'system:bench', u.*, 'DEMO',
         -- the protected class's approval chain up to the stage drawn (each step a day after the one before)
         case when u.p <> 'NONE' then date '2023-09-01' end, case when u.p <> 'NONE' then 'system:bench' end,
         case when u.p in ('PROVINCE_REVIEWED', 'MINISTRY_FILED') then date '2023-09-02' end, case when u.p in ('PROVINCE_REVIEWED', 'MINISTRY_FILED') then 'system:bench' end,
         case when u.p = 'MINISTRY_FILED' then date '2023-09-03' end, case when u.p = 'MINISTRY_FILED' then 'system:bench' end
       from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::bool[], $8::text[], $9::text[], $10::bool[], $11::bool[])
         u(city_id, name, credit_code, industry, size, key_discharger, online_monitoring, ule, p, benchmark, positive_list)`,
      [slice(cols.city_id), slice(cols.name), slice(cols.credit_code), slice(cols.industry), slice(cols.size), slice(cols.key), slice(cols.online),
        slice(cols.ule), slice(cols.protected), slice(cols.benchmark), slice(cols.positive)],
    );
  }
  await c.query(`update enterprise set created_at = timestamptz '2022-01-01 00:00:00+08' + make_interval(secs => id * 7), updated_at = timestamptz '2022-01-01 00:00:00+08' + make_interval(secs => id * 7) where created_by = 'system:bench'`);
  log(`  enterprises: ${SIZES.enterprises} rows, ${((Date.now() - t) / 1000).toFixed(1)} s`);

  // ---- grade changes: n per enterprise, consecutive grades always differ, increasing decision times
  await step('grade changes', `
    with g as (
      select e.id as enterprise_id, e.city_id, n,
        pg_temp.h(e.id, 1, 5) + sum(case when n = 1 then 0 else 1 + pg_temp.h(e.id * 16 + n, 2, 4) end) over (partition by e.id order by n) as s
      from enterprise e cross join generate_series(1, ${SIZES.gradeChangesPerEnterprise}) n
    ), w as (
      select *, (array['LEADING','A','B','C','D'])[1 + s % 5] as to_grade,
        (array['LEADING','A','B','C','D'])[1 + (lag(s) over (partition by enterprise_id order by n)) % 5] as from_grade,
        s % 5 as gi, (lag(s) over (partition by enterprise_id order by n)) % 5 as fi
      from g
    )
    insert into grade_change (created_at, updated_at, created_by, updated_by, enterprise_id, city_id, from_grade, to_grade, reason, decided_by, decided_at, origin)
    select d, d, 'system:bench', 'system:bench', enterprise_id, city_id, from_grade, to_grade,
      case when n = 1 or pg_temp.h(enterprise_id * 16 + n, 3, 3) = 0 then 'ASSESSMENT' when gi < fi then 'UPGRADE_ON_IMPROVEMENT' else 'DOWNGRADE_FOR_VIOLATION' end,
      '生态环境局', d, 'DEMO'
    from (select *, date_trunc('milliseconds', timestamptz '2021-01-04 09:00:00+08' + make_interval(days => (n - 1) * 110 + pg_temp.h(enterprise_id * 16 + n, 4, 100),
      secs => pg_temp.h(enterprise_id * 16 + n, 5, 28800)) + make_interval(secs => pg_temp.h(enterprise_id * 16 + n, 6, 1000) / 1000.0)) as d from w) x`);
  await step('current grades', `
    update enterprise e set current_grade = l.to_grade
    from (select distinct on (enterprise_id) enterprise_id, to_grade from grade_change order by enterprise_id, decided_at desc, id desc) l
    where l.enterprise_id = e.id`);

  // enterprises numbered within their city, to pick an enterprise of a given city
  await c.query(`create temp table ent on commit drop as select id, city_id, row_number() over (partition by city_id order by id) as rn from enterprise`);
  await c.query(`create index on ent (city_id, rn)`);
  await c.query(`create temp table city_n on commit drop as
    select c.id as city_id, c.province_id, coalesce(c.division_code, '133100') as division_code, row_number() over (order by c.plan_order) - 1 as ci,
      (select count(*) from ent where ent.city_id = c.id)::int as ents from city c`);

  // ---- retrofit projects
  const targets = (await c.query(`select t.id, t.code, t.scope, array_remove(array_agg(b.province_id), null) as provinces
    from task_target t left join task_target_breakdown b on b.task_target_id = t.id where t.campaign_id = $1 group by t.id order by t.id`, [campaign.id])).rows;
  const links = [];
  for (const type of PROJECT_TYPES) {
    const target = targets.find((tg) => tg.scope === 'CAMPAIGN' && TARGET_PROJECT_TYPES[tg.code]?.includes(type));
    if (target) links.push([type, target.id, target.provinces.length ? `{${target.provinces.join(',')}}` : null]);
  }
  await c.query(`create temp table link (type text, target_id int, provinces int[]) on commit drop`);
  for (const l of links) await c.query(`insert into link values ($1, $2, $3)`, l);
  await step('retrofit projects', `
    with p as (
      select n, cn.city_id, cn.province_id, cn.ents, (array[${PROJECT_TYPES.map((x) => `'${x}'`).join(',')}])[1 + pg_temp.h(n, 11, ${PROJECT_TYPES.length})] as type,
        (array['PLANNED','IN_PROGRESS','COMPLETED','VERIFIED'])[1 + pg_temp.h(n, 12, 4)] as status,
        date '2023-03-01' + pg_temp.h(n, 13, 200) as ps
      from generate_series(1, ${SIZES.projects}) n join city_n cn on cn.ci = pg_temp.h(n, 10, 56)
    )
    insert into retrofit_project (created_at, updated_at, created_by, updated_by, city_id, enterprise_id, task_target_id, name, type, status,
      planned_start_date, planned_end_date, actual_start_date, actual_end_date, households, units, capacity_tonnes, investment_yuan, origin)
    select ts, ts, 'system:bench', 'system:bench', p.city_id,
      case when p.type in (${HOUSEHOLD_TYPES.map((x) => `'${x}'`).join(',')}) or p.ents = 0 then null
        else (select ent.id from ent where ent.city_id = p.city_id and ent.rn = 1 + pg_temp.h(p.n, 14, p.ents)) end,
      case when l.provinces is null or p.province_id = any(l.provinces) then l.target_id end,
      '改造项目 ' || p.n, p.type, p.status, p.ps, p.ps + 30 + pg_temp.h(p.n, 15, 200),
      case when p.status <> 'PLANNED' then p.ps + pg_temp.h(p.n, 16, 20) end,
      case when p.status in ('COMPLETED', 'VERIFIED') then p.ps + pg_temp.h(p.n, 16, 20) + 10 + pg_temp.h(p.n, 17, 150) end,
      case when p.type like 'CLEAN_HEATING%' then 50 + pg_temp.h(p.n, 18, 500) else 0 end,
      case when p.type in ('BOILER_ELIMINATION','KILN_ELIMINATION','GAS_GENERATOR_ELIMINATION','LOW_NOX_BURNER_RETROFIT','VOCS_STORAGE_TANKS','VOCS_LOADING','AGRICULTURAL_COAL_REPLACEMENT') then 1 + pg_temp.h(p.n, 19, 12) else 0 end,
      case when p.type like 'ULTRA_LOW%' or p.type = 'RAILWAY_SPUR_LINE' then 10000 * (1 + pg_temp.h(p.n, 20, 500)) else 0 end,
      10000 * (10 + pg_temp.h(p.n, 21, 5000)),
      'DEMO'
    from p left join link l on l.type = p.type,
      lateral (select timestamptz '2023-06-01 00:00:00+08' + make_interval(secs => p.n * 30) as ts) x`);

  // ---- a county, township and village per city, and the village conversion of each finished
  // clean-heating project (what COAL_HOUSEHOLDS counts: target.progress.ts HOUSEHOLD_COUNTED_TARGETS)
  for (const [level, parent] of [['COUNTY', null], ['TOWNSHIP', 'COUNTY'], ['VILLAGE', 'TOWNSHIP']]) {
    await c.query(`insert into locality (created_by, updated_by, city_id, parent_id, level, name_zh, origin)
      select 'system:bench', 'system:bench', c.id, ${parent ? `(select l.id from locality l where l.city_id = c.id and l.level = '${parent}')` : 'null'},
        '${level}', c.name_zh || '基准' || '${{ COUNTY: '县', TOWNSHIP: '镇', VILLAGE: '村' }[level]}', 'DEMO' from city c`);
  }
  await step('village conversions', `
    insert into household_conversion (created_by, updated_by, city_id, village_id, project_id, households, new_system, converted_on, origin)
    select 'system:bench', 'system:bench', p.city_id, v.id, p.id, p.households,
      case when p.type like '%ELECTRIC%' then 'ELECTRICITY' else 'GAS' end, p.actual_end_date, 'DEMO'
    from retrofit_project p join locality v on v.city_id = p.city_id and v.level = 'VILLAGE'
    where p.type like 'CLEAN_HEATING%' and p.actual_end_date is not null and p.households > 0`);

  // ---- subsidy programs, budgets per city, disbursements; budgets are then set to hold them
  const prog = await c.query(`insert into subsidy_program (created_by, updated_by, campaign_id, code, name_zh, name_en, kind, origin) values
    ('system:bench', 'system:bench', $1, 'bench-clean-heating', '清洁取暖运行补贴（基准）', 'Clean heating operating subsidy (bench)', 'CLEAN_HEATING_OPERATING', 'DEMO'),
    ('system:bench', 'system:bench', $1, 'bench-air-fund', '大气污染防治资金（基准）', 'Air pollution fund (bench)', 'CENTRAL_AIR_POLLUTION_FUND', 'DEMO') returning id, code`, [campaign.id]);
  const [heating, fund] = prog.rows;
  await c.query(`insert into subsidy_budget (created_by, updated_by, program_id, city_id, amount_yuan, origin)
    select 'system:bench', 'system:bench', p, c.id, 0, 'DEMO' from city c, unnest(array[$1::int, $2::int]) p`, [heating.id, fund.id]);
  await step('household disbursements', `
    with d as (
      select n, cn.city_id, cn.division_code, date '2023-10-01' + pg_temp.h(n, 31, 170) as approved, pg_temp.h(n, 32, 10) as paid_roll
      from generate_series(1, ${SIZES.householdDisbursements}) n join city_n cn on cn.ci = pg_temp.h(n, 30, 56)
    )
    insert into disbursement (created_by, updated_by, program_id, budget_id, city_id, recipient_kind, household_name, household_id_number, low_income,
      amount_yuan, approved_on, paid_on, origin)
    select 'system:bench', 'system:bench', $1, b.id, d.city_id, 'HOUSEHOLD',
      (array['王','李','张','刘','陈','杨','赵','黄','周','吴'])[1 + pg_temp.h(n, 33, 10)] || (array['秀英','桂兰','建国','玉兰','明','伟','芳','军','丽','强'])[1 + pg_temp.h(n, 34, 10)],
      pg_temp.id_number(d.division_code || to_char(date '1940-01-01' + pg_temp.h(n, 35, 22000), 'YYYYMMDD') || lpad(pg_temp.h(n, 36, 1000)::text, 3, '0')),
      pg_temp.h(n, 37, 5) = 0, 500 + pg_temp.h(n, 38, 3000), d.approved,
      case when d.paid_roll < 8 then d.approved + pg_temp.h(n, 39, 40) end, 'DEMO'
    from d join subsidy_budget b on b.program_id = $1 and b.city_id = d.city_id`, [heating.id]);
  await step('enterprise disbursements', `
    with d as (
      select n, cn.city_id, cn.ents, date '2023-10-01' + pg_temp.h(n, 41, 170) as approved
      from generate_series(1, ${SIZES.enterpriseDisbursements}) n join city_n cn on cn.ci = pg_temp.h(n, 40, 56)
      where cn.ents > 0
    )
    insert into disbursement (created_by, updated_by, program_id, budget_id, city_id, recipient_kind, enterprise_id, amount_yuan, approved_on, paid_on, origin)
    select 'system:bench', 'system:bench', $1, b.id, d.city_id, 'ENTERPRISE',
      (select ent.id from ent where ent.city_id = d.city_id and ent.rn = 1 + pg_temp.h(d.n, 42, d.ents)),
      10000 * (1 + pg_temp.h(n, 43, 300)), d.approved, case when pg_temp.h(n, 44, 4) > 0 then d.approved + pg_temp.h(n, 45, 60) end, 'DEMO'
    from d join subsidy_budget b on b.program_id = $1 and b.city_id = d.city_id`, [fund.id]);
  await step('budgets that hold them', `
    update subsidy_budget b set amount_yuan = ceil(s.total * 1.25 / 10000) * 10000
    from (select budget_id, sum(amount_yuan) as total from disbursement group by budget_id) s where s.budget_id = b.id`);

  // ---- daily city-wide observations
  await step('air quality observations', `
    insert into air_quality_observation (created_by, updated_by, city_id, observed_on, station_code, pm25, pm10, o3, no2, so2, co, aqi, origin)
    select 'system:bench', 'system:bench', c.id, d::date, null, x.pm25, round(x.pm25 * 1.6, 1), 40 + pg_temp.h(c.id * 100000 + (d::date - date '2000-01-01'), 52, 160),
      15 + pg_temp.h(c.id * 100000 + (d::date - date '2000-01-01'), 53, 60), 3 + pg_temp.h(c.id * 100000 + (d::date - date '2000-01-01'), 54, 30),
      round(0.4 + pg_temp.h(c.id * 100000 + (d::date - date '2000-01-01'), 55, 20) / 10.0, 1), least(500, round(x.pm25 * 1.3)::int), 'DEMO'
    from city c cross join generate_series(date '${SIZES.observationYears[0]}-01-01', date '${SIZES.observationYears.at(-1)}-12-31', interval '1 day') d,
      lateral (select (10 + pg_temp.h(c.id * 100000 + (d::date - date '2000-01-01'), 51, 190))::numeric as pm25) x`);

  await c.query(`insert into bench_dataset (version, seed, sizes) values ($1, $2, $3)`, [DATASET_VERSION, seed, JSON.stringify(SIZES)]);
  await c.query('commit');
  const t2 = Date.now();
  await c.query('vacuum analyze');
  log(`  vacuum analyze: ${((Date.now() - t2) / 1000).toFixed(1)} s`);
}
