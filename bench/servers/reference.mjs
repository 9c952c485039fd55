/**
 * The hand-written limit: a plain node:http server with a pg pool of 20 that answers each query
 * with ONE SQL statement building the whole JSON answer in PostgreSQL (json_agg), no GraphQL.
 * POST /<Q>[.scoped][.masked] with body {"params": [...]}; the answer is {"data": <canonical shape>}.
 * Usage: DATABASE_URL=... PORT=... node servers/reference.mjs
 */
import http from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_MAX ?? 20) });

const progress = (t, projects) => `(select json_build_object('achieved', a.achieved, 'countedProjects', a.counted,
    'percent', case when ${t}.comparator = 'DONE' or ${t}.quantity is null or ${t}.quantity = 0 then null
      else round((a.achieved / ${t}.quantity * 100)::numeric, 2) end,
    'met', case ${t}.comparator when 'DONE' then a.counted >= 1 when 'AT_LEAST' then a.achieved >= ${t}.quantity
      when 'MORE_THAN' then a.achieved > ${t}.quantity when 'AT_MOST' then a.achieved <= ${t}.quantity else false end)
  from (select count(p.id)::int as counted, (case when t.code = 'COAL_HOUSEHOLDS' then coalesce(sum(hh.households), 0) else case t.unit
      when 'household' then coalesce(sum(p.households), 0) when 'unit' then coalesce(sum(p.units), 0)
      when 'tonne' then coalesce(sum(p.capacity_tonnes), 0)
      when 'enterprise' then count(distinct p.enterprise_id) + count(p.id) filter (where p.enterprise_id is null)
      else count(p.id) end end)::float8 as achieved
    from retrofit_project p
    -- COAL_HOUSEHOLDS counts the project's village conversions in use by its city's heating-season start (the deadline without one), after the start a year before.
    left join lateral (select sum(hc.households) as households from household_conversion hc
        cross join lateral (select coalesce((select hs.starts_on from heating_season hs where hs.city_id = hc.city_id and hs.campaign_id = t.campaign_id), t.deadline) as starts_on) s
        where hc.project_id = p.id and hc.converted_on <= s.starts_on and hc.converted_on > (s.starts_on - interval '1 year')::date) hh on t.code = 'COAL_HOUSEHOLDS'
    where p.task_target_id = t.id and p.status in ('COMPLETED', 'VERIFIED') and p.actual_end_date <= t.deadline ${projects}) a)`;

/** The masks of README "Personal data": 张三丰 -> 张**, 11010519491231002X -> 1101**********002X. */
const maskedName = (col) => `case when ${col} is null then null else left(btrim(${col}), 1) || '**' end`;
const maskedIdNumber = (col) =>
  `case when ${col} is null then null when length(${col}) <= 8 then repeat('*', length(${col})) else left(${col}, 4) || repeat('*', length(${col}) - 8) || right(${col}, 4) end`;

/**
 * Each statement for a national caller, and for a scoped one (`scoped`: the caller's city ids are
 * the last parameter, `$<n>`, and every city-scoped table read carries `city_id = any($<n>)`, which
 * the city indexes answer); Q6 also with the personal data masked (`masked`).
 */
const BUILD = {
  Q1: ({ scoped }) => `select coalesce(json_agg(json_build_object('id', e.id::text, 'name', e.name, 'creditCode', e.credit_code, 'industry', e.industry,
      'currentGrade', e.current_grade, 'city', json_build_object('slug', c.slug, 'nameEn', c.name_en,
      'province', json_build_object('slug', p.slug, 'nameEn', p.name_en))) order by e.name, e.id), '[]') as data
    from (select * from enterprise ${scoped ? 'where city_id = any($2::int[])' : ''} order by name, id limit $1) e join city c on c.id = e.city_id join province p on p.id = c.province_id`,
  // A scoped caller's cities are its own (PROVINCE: the province's, CITY: its city), so their enterprises and grade changes are too.
  Q2: ({ scoped }) => `select coalesce(json_agg(json_build_object('slug', c.slug, 'enterprises', json_build_object('nodes', (
      select coalesce(json_agg(json_build_object('id', e.id::text, 'name', e.name, 'gradeChanges', json_build_object('nodes', (
          select coalesce(json_agg(json_build_object('toGrade', g.to_grade, 'decidedAt', g.decided_at) order by g.decided_at desc, g.id desc), '[]')
          from (select * from grade_change g where g.enterprise_id = e.id order by decided_at desc, id desc limit $3) g))) order by e.name, e.id), '[]')
      from (select * from enterprise e where e.city_id = c.id order by name, id limit $2) e))) order by c.plan_order, c.id), '[]') as data
    from (select * from city ${scoped ? 'where id = any($4::int[])' : ''} order by plan_order, id limit $1) c`,
  Q3: ({ scoped }) => `select json_build_object('id', e.id::text, 'name', e.name, 'creditCode', e.credit_code, 'industry', e.industry, 'size', e.size,
      'currentGrade', e.current_grade, 'ultraLowEmissionStatus', e.ultra_low_emission_status,
      'city', json_build_object('slug', c.slug, 'nameEn', c.name_en)) as data
    from enterprise e join city c on c.id = e.city_id where e.id = $1 ${scoped ? 'and e.city_id = any($2::int[])' : ''}`,
  Q4: ({ scoped }) => `select coalesce(json_agg(json_build_object('id', p.id::text, 'name', p.name, 'status', p.status, 'plannedEndDate', p.planned_end_date,
      'investmentYuan', p.investment_yuan, 'city', json_build_object('slug', c.slug),
      'enterprise', case when e.id is null then null else json_build_object('id', e.id::text, 'name', e.name) end,
      'taskTarget', case when t.id is null then null else json_build_object('code', t.code, 'nameEn', t.name_en) end)
      order by p.created_at desc, p.id desc), '[]') as data
    from (select * from retrofit_project p
          where p.city_id in (select c.id from city c join province v on v.id = c.province_id where v.slug = $2) and p.status = any($3)
            ${scoped ? 'and p.city_id = any($4::int[])' : ''}
          order by created_at desc, id desc limit $1) p
      join city c on c.id = p.city_id left join enterprise e on e.id = p.enterprise_id left join task_target t on t.id = p.task_target_id`,
  // Progress counts the projects the caller may read (a scoped caller: its cities').
  Q5: ({ scoped }) => {
    const mine = scoped ? 'and p.city_id = any($2::int[])' : '';
    return `select json_build_object('code', t.code, 'quantity', t.quantity, 'progress', ${progress('t', mine)},
      'breakdown', (select coalesce(json_agg(json_build_object('quantity', b.quantity,
          'province', case when v.id is null then null else json_build_object('slug', v.slug) end,
          'progress', ${progress('b', `and p.city_id in (select c.id from city c where case when b.city_id is not null then c.id = b.city_id else c.province_id = b.province_id end) ${mine}`)})
        order by b.id), '[]')
        from task_target_breakdown b left join province v on v.id = b.province_id where b.task_target_id = t.id)) as data
    from task_target t where t.code = $1 and t.campaign_id = (select id from campaign order by period_start desc limit 1)`
      // The breakdown's progress compares with the share's quantity and the target's comparator.
      .replace(/b\.comparator/g, 't.comparator');
  },
  // The scope on the id of the city the filter names: the same rows as `d.city_id = any($3)`, but that second condition
  // on the row's city makes the planner multiply the two selectivities (343 rows estimated, 18,000 read), read the whole
  // city by its city_id index and sort it (700 ms) instead of walking the primary key (2 ms).
  Q6: ({ scoped, masked }) => `select coalesce(json_agg(json_build_object('id', d.id::text, 'amount', d.amount_yuan, 'approvedOn', d.approved_on, 'paidOn', d.paid_on,
      'city', json_build_object('slug', c.slug), 'program', json_build_object('code', g.code),
      'householdName', ${masked ? maskedName('d.household_name') : 'd.household_name'},
      'householdIdNumber', ${masked ? maskedIdNumber('d.household_id_number') : 'd.household_id_number'}) order by d.id), '[]') as data
    from (select * from disbursement where city_id = (select id from city where slug = $2 ${scoped ? 'and id = any($3::int[])' : ''})
          order by id limit $1) d
      join city c on c.id = d.city_id join subsidy_program g on g.id = d.program_id`,
  // Attainment (modules/air-quality attainmentSql): the city-wide daily observations of the campaign period
  // (heavy-or-worse: PM2.5 above 150 or AQI above 200) against the city's outcome target.
  Q7: ({ scoped }) => `select json_build_object('periodDays', c.period_end - c.period_start + 1, 'observedDays', count(o.id),
      'pm25Mean', avg(o.pm25), 'heavyPollutionDays', count(o.id) filter (where o.pm25 > 150 or o.aqi > 200),
      'pm25Target', t.pm25_target, 'heavyDaysTarget', t.heavy_days_target,
      'pm25Met', case when t.id is null or count(o.id) = 0 then null else avg(o.pm25) <= t.pm25_target end,
      'heavyDaysMet', case when t.id is null or count(o.id) = 0 then null else count(o.id) filter (where o.pm25 > 150 or o.aqi > 200) <= t.heavy_days_target end) as data
    from city y join campaign c on c.code = $2
      left join air_quality_observation o on o.city_id = y.id and o.station_code is null and o.observed_on between c.period_start and c.period_end
        ${scoped ? 'and o.city_id = any($3::int[])' : ''}
      left join outcome_target t on t.city_id = y.id and t.campaign_id = c.id ${scoped ? 'and t.city_id = any($3::int[])' : ''}
    where y.slug = $1
    group by y.id, c.id, t.id`,
};

/** Route names: Q1 (national), Q1.scoped, Q6.masked, Q6.scoped.masked, ... */
const SQL = {};
for (const [name, build] of Object.entries(BUILD)) {
  for (const scoped of [false, true]) {
    for (const masked of name === 'Q6' ? [false, true] : [false]) {
      SQL[`${name}${scoped ? '.scoped' : ''}${masked ? '.masked' : ''}`] = build({ scoped, masked });
    }
  }
}

const server = http.createServer((req, res) => {
  const name = req.url.slice(1);
  const sql = SQL[name];
  if (req.method !== 'POST' || !sql) {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const { params } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      // The JSON is built by PostgreSQL; Node only wraps it.
      const r = await pool.query({ text: sql, values: params ?? [], rowMode: 'array', types: { getTypeParser: () => (v) => v } });
      const body = `{"data":${r.rows[0]?.[0] ?? 'null'}}`;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } catch (error) {
      const body = JSON.stringify({ errors: [{ message: String(error.message) }] });
      res.writeHead(500, { 'content-type': 'application/json' }).end(body);
    }
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`reference ready on ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
