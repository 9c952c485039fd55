/**
 * The hand-written limit: a plain node:http server with a pg pool of 20 that answers each query
 * with ONE SQL statement building the whole JSON answer in PostgreSQL (json_agg), no GraphQL.
 * POST /<Q> with body {"params": [...]}; the answer is {"data": <canonical shape>}.
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
  from (select count(p.id)::int as counted, (case t.unit
      when 'household' then coalesce(sum(p.households), 0) when 'unit' then coalesce(sum(p.units), 0)
      when 'tonne' then coalesce(sum(p.capacity_tonnes), 0)
      when 'enterprise' then count(distinct p.enterprise_id) + count(p.id) filter (where p.enterprise_id is null)
      else count(p.id) end)::float8 as achieved
    from retrofit_project p where p.task_target_id = t.id and p.status in ('COMPLETED', 'VERIFIED') and p.actual_end_date <= t.deadline ${projects}) a)`;

const SQL = {
  Q1: `select coalesce(json_agg(json_build_object('id', e.id::text, 'name', e.name, 'creditCode', e.credit_code, 'industry', e.industry,
      'currentGrade', e.current_grade, 'city', json_build_object('slug', c.slug, 'nameEn', c.name_en,
      'province', json_build_object('slug', p.slug, 'nameEn', p.name_en))) order by e.name, e.id), '[]') as data
    from (select * from enterprise order by name, id limit $1) e join city c on c.id = e.city_id join province p on p.id = c.province_id`,
  Q2: `select coalesce(json_agg(json_build_object('slug', c.slug, 'enterprises', json_build_object('nodes', (
      select coalesce(json_agg(json_build_object('id', e.id::text, 'name', e.name, 'gradeChanges', json_build_object('nodes', (
          select coalesce(json_agg(json_build_object('toGrade', g.to_grade, 'decidedAt', g.decided_at) order by g.decided_at desc, g.id desc), '[]')
          from (select * from grade_change g where g.enterprise_id = e.id order by decided_at desc, id desc limit $3) g))) order by e.name, e.id), '[]')
      from (select * from enterprise e where e.city_id = c.id order by name, id limit $2) e))) order by c.plan_order, c.id), '[]') as data
    from (select * from city order by plan_order, id limit $1) c`,
  Q3: `select json_build_object('id', e.id::text, 'name', e.name, 'creditCode', e.credit_code, 'industry', e.industry, 'size', e.size,
      'currentGrade', e.current_grade, 'ultraLowEmissionStatus', e.ultra_low_emission_status,
      'city', json_build_object('slug', c.slug, 'nameEn', c.name_en)) as data
    from enterprise e join city c on c.id = e.city_id where e.id = $1`,
  Q4: `select coalesce(json_agg(json_build_object('id', p.id::text, 'name', p.name, 'status', p.status, 'plannedEndDate', p.planned_end_date,
      'investmentYuan', p.investment_yuan, 'city', json_build_object('slug', c.slug),
      'enterprise', case when e.id is null then null else json_build_object('id', e.id::text, 'name', e.name) end,
      'taskTarget', case when t.id is null then null else json_build_object('code', t.code, 'nameEn', t.name_en) end)
      order by p.created_at desc, p.id desc), '[]') as data
    from (select * from retrofit_project p
          where p.city_id in (select c.id from city c join province v on v.id = c.province_id where v.slug = $2) and p.status = any($3)
          order by created_at desc, id desc limit $1) p
      join city c on c.id = p.city_id left join enterprise e on e.id = p.enterprise_id left join task_target t on t.id = p.task_target_id`,
  Q5: `select json_build_object('code', t.code, 'quantity', t.quantity, 'progress', ${progress('t', '')},
      'breakdown', (select coalesce(json_agg(json_build_object('quantity', b.quantity,
          'province', case when v.id is null then null else json_build_object('slug', v.slug) end,
          'progress', ${progress('b', `and p.city_id in (select c.id from city c where case when b.city_id is not null then c.id = b.city_id else c.province_id = b.province_id end)`)})
        order by b.id), '[]')
        from task_target_breakdown b left join province v on v.id = b.province_id where b.task_target_id = t.id)) as data
    from task_target t where t.code = $1 and t.campaign_id = (select id from campaign order by period_start desc limit 1)`,
};

// The breakdown's progress compares with the share's quantity and the target's comparator.
SQL.Q5 = SQL.Q5.replace(/b\.comparator/g, 't.comparator');

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
