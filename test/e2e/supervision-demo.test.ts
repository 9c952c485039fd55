/**
 * The supervision demo generator on a real database (after the enterprise generator it depends
 * on), and the computed figures of supervision checked against plain SQL written here over that
 * fixture: the report subjects CLUES and ENFORCEMENT_ACTIONS, City.clueStats, the scorecards and
 * a round's figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { demoFaker } from '../../packages/api/src/seeders/demo-random.js';
import { enterpriseDemoSeeder } from '../../packages/api/src/modules/enterprise/enterprise.demo.js';
import { supervisionDemoSeeder } from '../../packages/api/src/modules/supervision/supervision.demo.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await app.orm.em.fork().transactional((em) => enterpriseDemoSeeder.run(em as EntityManager, demoFaker(20231001, 'enterprise')));
  await app.orm.em.fork().transactional((em) => supervisionDemoSeeder.run(em as EntityManager, demoFaker(20231001, 'supervision')));
});
afterAll(() => app?.close());

const one = async <T = any>(sql: string, params: unknown[] = []) => (await app.sql<T>(sql, params))[0];
const STAGES = ['IDENTIFIED', 'INVESTIGATING', 'RECTIFYING', 'SUPERVISED', 'SPOT_CHECK', 'CLOSED', 'CLOSED_UNFOUNDED'];
const close = (a: number | null, b: number | null) => (a === null || b === null ? expect(a).toBe(b) : expect(a).toBeCloseTo(b, 9));

describe('supervision demo data', () => {
  it('has rounds of the ministry and of every province, and clues in every stage, labelled DEMO', async () => {
    expect(await one(`select count(*) filter (where province_id is null)::int as ministry, count(distinct province_id)::int as provinces from supervision_round`)).toEqual({ ministry: 9, provinces: 7 });
    const stages = await app.sql(`select stage, count(*)::int as n from clue group by stage`);
    expect(stages.map((s: any) => s.stage).sort()).toEqual([...STAGES].sort());
    for (const s of stages) expect(s.n, s.stage).toBeGreaterThan(10);
    expect((await one(`select count(distinct city_id)::int as n from clue`)).n).toBe(56);
    expect((await one(`select count(distinct source)::int as n from clue`)).n).toBe(7);
    expect((await one(`select count(distinct topic)::int as n from clue`)).n).toBe(6);
    for (const t of ['supervision_round', 'clue', 'clue_step', 'enforcement_action', 'falsification_finding', 'fraud_list_entry', 'subsidy_block', 'city_assessment_verdict', 'inspection']) {
      expect((await one(`select count(*)::int as n from ${t} where origin <> 'DEMO'`)).n, t).toBe(0);
      expect((await one(`select count(*)::int as n from ${t}`)).n, t).toBeGreaterThan(0);
    }
    expect((await one(`select count(*)::int as n from clue where reopen_count > 0`)).n).toBeGreaterThan(10);
    expect((await one(`select count(distinct kind)::int as n from enforcement_action`)).n).toBe(5);
  });

  it('keeps the rules of the service: one step at a time, stage timestamps equal to the steps, consequences of every falsification', async () => {
    // Each step starts where the previous one ended, and follows the machine.
    const allowed = new Set([
      'null>IDENTIFIED', 'IDENTIFIED>INVESTIGATING', 'INVESTIGATING>RECTIFYING', 'INVESTIGATING>CLOSED_UNFOUNDED', 'RECTIFYING>SUPERVISED',
      'SUPERVISED>SPOT_CHECK', 'SUPERVISED>CLOSED', 'SPOT_CHECK>CLOSED', 'SPOT_CHECK>INVESTIGATING', 'SPOT_CHECK>RECTIFYING',
    ]);
    const transitions = await app.sql(`select coalesce(from_stage, 'null') || '>' || to_stage as t, count(*)::int as n from clue_step group by 1`);
    expect(transitions.filter((r: any) => !allowed.has(r.t))).toEqual([]);
    expect(
      (await one(`select count(*)::int as n from clue_step s join clue_step p on p.clue_id = s.clue_id and p.seq = s.seq - 1 where s.from_stage is distinct from p.to_stage or s.entered_at <= p.entered_at`)).n,
    ).toBe(0);
    // The clue's stage is its last step's; each stored stage time is the latest step entering it.
    expect(
      (await one(`select count(*)::int as n from clue x join lateral (select s.to_stage from clue_step s where s.clue_id = x.id order by s.seq desc limit 1) l on true where l.to_stage <> x.stage`)).n,
    ).toBe(0);
    for (const [stage, column] of [['INVESTIGATING', 'investigating_at'], ['RECTIFYING', 'rectifying_at'], ['SUPERVISED', 'supervised_at'], ['SPOT_CHECK', 'spot_check_at']]) {
      expect(
        (await one(`select count(*)::int as n from clue x where x.${column} is distinct from (select max(s.entered_at) from clue_step s where s.clue_id = x.id and s.to_stage = ?)`, [stage])).n,
        column,
      ).toBe(0);
    }
    // Every finding: a grade change to D for falsified monitoring, benefits gone, a block, the list entries, the city verdict.
    const broken = await app.sql(`select f.id from falsification_finding f join enterprise e on e.id = f.enterprise_id join grade_change g on g.id = f.grade_change_id
      where g.to_grade <> 'D' or g.reason <> 'FALSIFIED_MONITORING' or e.current_grade <> 'D' or e.benchmark or e.positive_list
        or not exists (select 1 from subsidy_block b where b.finding_id = f.id)
        or not exists (select 1 from fraud_list_entry l where l.finding_id = f.id and l.kind = 'ENTERPRISE' and l.enterprise_id = f.enterprise_id)
        or not exists (select 1 from city_assessment_verdict v where v.city_id = f.city_id and v.campaign_id = f.campaign_id)
        or g.decided_at <> (select max(g2.decided_at) from grade_change g2 where g2.enterprise_id = e.id)`);
    expect(broken).toEqual([]);
    // 无事不扰: every inspection of a positive-list enterprise without a clue has its reason.
    expect((await one(`select count(*)::int as n from inspection where clue_id is null and positive_list and reason_without_clue is null`)).n).toBe(0);
    expect((await one(`select count(*)::int as n from inspection where clue_id is null and positive_list`)).n).toBeGreaterThan(0);
  });
});

// ------------------------------------------------------------------------------------- figures against plain SQL

/** Per city, written here from the definitions of the issue (not with the API's SQL). */
async function expectedByCity(): Promise<Map<string, any>> {
  const rows = await app.sql(`
    with today as (select (now() at time zone 'Asia/Shanghai')::date as d),
    due as (
      select x.id, x.city_id,
        case when x.stage in ('IDENTIFIED', 'INVESTIGATING') then r.due_on when x.stage = 'RECTIFYING' then x.rectification_due end as due_on
      from clue x left join supervision_round r on r.id = x.round_id),
    reported as (
      select x.id, (x.supervised_at at time zone 'Asia/Shanghai')::date as on_day
      from clue x where x.supervised_at is not null and x.supervised_at >= x.rectifying_at)
    select c.slug,
      count(*)::int as clues,
      (count(*) filter (where x.confirmed)::float8 / nullif(count(*) filter (where x.confirmed is not null), 0)) as confirmation_rate,
      (count(*) filter (where rp.on_day <= x.rectification_due)::float8
        / nullif(count(*) filter (where rp.id is not null or (x.stage = 'RECTIFYING' and x.rectification_due < (select d from today))), 0)) as on_time_rate,
      count(*) filter (where d.due_on < (select d from today))::int as overdue,
      max((select d from today) - d.due_on) filter (where d.due_on < (select d from today)) as max_days_overdue,
      count(*) filter (where x.spot_check_result is not null)::int as spot_checked,
      (count(*) filter (where x.spot_check_failed and x.spot_check_result is not null)::float8 / nullif(count(*) filter (where x.spot_check_result is not null), 0)) as failure_rate
    from clue x join city c on c.id = x.city_id join due d on d.id = x.id left join reported rp on rp.id = x.id
    group by c.slug`);
  return new Map(rows.map((r: any) => [r.slug, r]));
}

/** Median over clues of the days spent in a stage (sum of its completed stays), per city: steps paired with the next one. */
async function medianDaysByCity(stage: string): Promise<Map<string, number | null>> {
  const rows = await app.sql(
    `with stays as (
       select s.clue_id, sum(extract(epoch from n.entered_at - s.entered_at) / 86400.0) as days
       from clue_step s join clue_step n on n.clue_id = s.clue_id and n.seq = s.seq + 1
       where s.to_stage = ? group by s.clue_id)
     select c.slug, percentile_cont(0.5) within group (order by st.days) as median
     from stays st join clue x on x.id = st.clue_id join city c on c.id = x.city_id group by c.slug`,
    [stage],
  );
  return new Map(rows.map((r: any) => [r.slug, r.median === null ? null : Number(r.median)]));
}

const REPORT = `query($input: ReportInput!) { report(input: $input) { columns { name } rows { kind keys { value } values } } }`;

describe('supervision figures', () => {
  it('answers the report subject CLUES per city as plain SQL does', async () => {
    const input = {
      subject: 'CLUES',
      dimensions: ['CITY'],
      measures: [
        { measure: 'COUNT' },
        { measure: 'CONFIRMED', aggregation: 'AVG' },
        { measure: 'RECTIFIED_ON_TIME', aggregation: 'AVG' },
        { measure: 'OVERDUE', aggregation: 'SUM' },
        { measure: 'DAYS_OVERDUE', aggregation: 'MAX' },
        { measure: 'SPOT_CHECK_FAILED', aggregation: 'AVG' },
        { measure: 'DAYS_INVESTIGATING', aggregation: 'MEDIAN' },
        { measure: 'DAYS_RECTIFYING', aggregation: 'MEDIAN' },
        { measure: 'FINE_AMOUNT', aggregation: 'SUM' },
      ],
    };
    const r = await app.data(REPORT, { input });
    const expected = await expectedByCity();
    const investigating = await medianDaysByCity('INVESTIGATING');
    const rectifying = await medianDaysByCity('RECTIFYING');
    const fines = new Map(
      (await app.sql(`select c.slug, sum(a.fine_yuan)::float8 as fines from enforcement_action a join city c on c.id = a.city_id group by c.slug`)).map((x: any) => [x.slug, x.fines]),
    );
    const details = r.report.rows.filter((row: any) => row.kind === 'DETAIL');
    expect(details).toHaveLength(56);
    for (const row of details) {
      const slug = row.keys[0].value;
      const e = expected.get(slug);
      const [count, confirmed, onTime, overdue, daysOverdue, failed, inv, rect, fine] = row.values;
      expect(count, slug).toBe(e.clues);
      close(confirmed, e.confirmation_rate);
      close(onTime, e.on_time_rate);
      expect(overdue, slug).toBe(e.overdue);
      expect(daysOverdue, slug).toBe(e.max_days_overdue ?? 0);
      close(failed, e.failure_rate);
      close(inv, investigating.get(slug) ?? null);
      close(rect, rectifying.get(slug) ?? null);
      close(fine, fines.get(slug) ?? null);
    }
    // The fixture exercises every figure: none of them is empty over the whole country.
    const total = r.report.rows.find((row: any) => row.kind === 'GRAND_TOTAL');
    expect(total.values.every((v: number | null) => v !== null && v > 0), JSON.stringify(total.values)).toBe(true);
    expect(total.values[1]).toBeLessThan(1);
    expect(total.values[2]).toBeLessThan(1);
    expect(total.values[0]).toBe((await one(`select count(*)::int as n from clue`)).n);
  });

  it('answers City.clueStats and the CITY scorecards with the same figures, and actions by kind as plain SQL counts them', async () => {
    const expected = await expectedByCity();
    const supervised = await medianDaysByCity('SUPERVISED');
    const d = await app.data(`query { cities(first: 60) { nodes { slug clueStats { cluesPushed openClues confirmationRate onTimeRectificationRate overdueClues maxDaysOverdue spotChecked spotCheckFailureRate
      medianDaysPerStage { stage medianDays } actionsByKind { kind count } finesYuan positiveListInspectionsWithoutClue falsifications assessmentUnqualified } } } }`);
    const cards = await app.data(`{ campaignScorecards(level: CITY) { key clues { cluesPushed confirmationRate overdueClues spotCheckFailureRate finesYuan assessmentUnqualified } } }`);
    const cardOf = new Map(cards.campaignScorecards.map((c: any) => [c.key, c.clues]));
    const actions = await app.sql(`select c.slug, a.kind, count(*)::int as n, coalesce(sum(a.fine_yuan), 0)::float8 as fines from enforcement_action a join city c on c.id = a.city_id group by 1, 2`);
    const open = new Map((await app.sql(`select c.slug, count(*)::int as n from clue x join city c on c.id = x.city_id where x.stage not in ('CLOSED', 'CLOSED_UNFOUNDED') group by 1`)).map((x: any) => [x.slug, x.n]));
    const unqualified = new Set((await app.sql(`select c.slug from city_assessment_verdict v join city c on c.id = v.city_id`)).map((x: any) => x.slug));
    const inspections = new Map((await app.sql(`select c.slug, count(*)::int as n from inspection i join city c on c.id = i.city_id where i.clue_id is null and i.positive_list group by 1`)).map((x: any) => [x.slug, x.n]));
    for (const city of d.cities.nodes) {
      const s = city.clueStats;
      const e = expected.get(city.slug);
      expect(s.cluesPushed, city.slug).toBe(e.clues);
      expect(s.openClues, city.slug).toBe(open.get(city.slug) ?? 0);
      close(s.confirmationRate, e.confirmation_rate);
      close(s.onTimeRectificationRate, e.on_time_rate);
      expect(s.overdueClues).toBe(e.overdue);
      expect(s.maxDaysOverdue).toBe(e.max_days_overdue);
      expect(s.spotChecked).toBe(e.spot_checked);
      close(s.spotCheckFailureRate, e.failure_rate);
      close(s.medianDaysPerStage.find((x: any) => x.stage === 'SUPERVISED').medianDays, supervised.get(city.slug) ?? null);
      for (const a of s.actionsByKind) expect(a.count, `${city.slug} ${a.kind}`).toBe(actions.find((x: any) => x.slug === city.slug && x.kind === a.kind)?.n ?? 0);
      close(s.finesYuan, actions.filter((x: any) => x.slug === city.slug).reduce((sum: number, x: any) => sum + x.fines, 0));
      expect(s.assessmentUnqualified).toBe(unqualified.has(city.slug));
      expect(s.positiveListInspectionsWithoutClue).toBe(inspections.get(city.slug) ?? 0);
      expect(cardOf.get(city.slug)).toEqual({
        cluesPushed: s.cluesPushed, confirmationRate: s.confirmationRate, overdueClues: s.overdueClues, spotCheckFailureRate: s.spotCheckFailureRate, finesYuan: s.finesYuan, assessmentUnqualified: s.assessmentUnqualified,
      });
    }
  });

  it('answers per province, per round and actions by kind as plain SQL does', async () => {
    const byProvince = await app.sql(`select p.slug, count(*)::int as n, avg(case when x.confirmed then 1.0 when not x.confirmed then 0.0 end)::float8 as rate
      from clue x join city c on c.id = x.city_id join province p on p.id = c.province_id group by p.slug`);
    const cards = await app.data(`{ campaignScorecards(level: PROVINCE) { key clues { cluesPushed confirmationRate } } }`);
    for (const p of byProvince) {
      const card = cards.campaignScorecards.find((c: any) => c.key === p.slug);
      expect(card.clues.cluesPushed, p.slug).toBe(p.n);
      close(card.clues.confirmationRate, p.rate);
    }
    const [round] = await app.sql(`select id from supervision_round where province_id is null and number = 2`);
    const stats = await app.data(`query($id: ID!) { supervisionRound(id: $id) { stats { cluesPushed spotChecked actionsByKind { kind count } } } }`, { id: String(round.id) });
    const plain = await one(`select count(*)::int as n, count(*) filter (where spot_check_result is not null)::int as checked from clue where round_id = ?`, [round.id]);
    expect(stats.supervisionRound.stats).toMatchObject({ cluesPushed: plain.n, spotChecked: plain.checked });
    const actionsOfRound = await app.sql(`select a.kind, count(*)::int as n from enforcement_action a join clue x on x.id = a.clue_id where x.round_id = ? group by 1`, [round.id]);
    for (const a of stats.supervisionRound.stats.actionsByKind) expect(a.count, a.kind).toBe(actionsOfRound.find((x: any) => x.kind === a.kind)?.n ?? 0);

    const r = await app.data(REPORT, { input: { subject: 'ENFORCEMENT_ACTIONS', dimensions: ['ROUND', 'ACTION_KIND'], measures: [{ measure: 'COUNT' }, { measure: 'FINE_AMOUNT', aggregation: 'SUM' }], totals: 'GRAND_TOTAL' } });
    const plainActions = await app.sql(`select coalesce(x.round_id::text, '') as round, a.kind, count(*)::int as n, sum(a.fine_yuan)::float8 as fines
      from enforcement_action a join clue x on x.id = a.clue_id group by 1, 2`);
    const details = r.data?.report?.rows ?? r.report.rows;
    const detailRows = details.filter((row: any) => row.kind === 'DETAIL');
    expect(detailRows).toHaveLength(plainActions.length);
    for (const row of detailRows) {
      const p = plainActions.find((x: any) => x.round === (row.keys[0].value ?? '') && x.kind === row.keys[1].value);
      expect(row.values[0]).toBe(p.n);
      close(row.values[1], p.fines);
    }
    // The watch list: most overdue first, as plain SQL orders the overdue clues.
    const watch = await app.data(`{ overdueClues(first: 5) { daysOverdue dueOn clue { id stage } } }`);
    const plainWatch = await app.sql(`select x.id, (now() at time zone 'Asia/Shanghai')::date - case when x.stage = 'RECTIFYING' then x.rectification_due else r.due_on end as days
      from clue x left join supervision_round r on r.id = x.round_id
      where (x.stage in ('IDENTIFIED', 'INVESTIGATING') and r.due_on < (now() at time zone 'Asia/Shanghai')::date) or (x.stage = 'RECTIFYING' and x.rectification_due < (now() at time zone 'Asia/Shanghai')::date)
      order by days desc, x.id limit 5`);
    expect(watch.overdueClues.map((w: any) => [Number(w.clue.id), w.daysOverdue])).toEqual(plainWatch.map((p: any) => [p.id, p.days]));
  });
});

// ------------------------------------------------------------------------------------- every figure per province, region and round

/**
 * Every ClueStats figure per place key (SQL over `x` clue, `c` city, `p` province), written here
 * from the definitions: clues pushed, open, confirmation rate, on-time rectification rate,
 * overdue and most days overdue, spot-check failure rate, median days per stage, actions by kind,
 * fines, positive-list inspections without a clue, falsifications, the assessment verdict.
 */
async function expectedStats(key: string): Promise<Map<string, any>> {
  const places = `clue x join city c on c.id = x.city_id join province p on p.id = c.province_id`;
  const base = await app.sql(`
    with today as (select (now() at time zone 'Asia/Shanghai')::date as d)
    select ${key} as k, count(*)::int as "cluesPushed",
      count(*) filter (where x.stage not in ('CLOSED', 'CLOSED_UNFOUNDED'))::int as "openClues",
      (count(*) filter (where x.confirmed)::float8 / nullif(count(*) filter (where x.confirmed is not null), 0)) as "confirmationRate",
      (count(*) filter (where x.supervised_at >= x.rectifying_at and (x.supervised_at at time zone 'Asia/Shanghai')::date <= x.rectification_due)::float8
        / nullif(count(*) filter (where x.supervised_at >= x.rectifying_at or (x.stage = 'RECTIFYING' and x.rectification_due < (select d from today))), 0)) as "onTimeRectificationRate",
      count(*) filter (where (case when x.stage = 'RECTIFYING' then x.rectification_due when x.stage in ('IDENTIFIED', 'INVESTIGATING') then r.due_on end) < (select d from today))::int as "overdueClues",
      max((select d from today) - (case when x.stage = 'RECTIFYING' then x.rectification_due when x.stage in ('IDENTIFIED', 'INVESTIGATING') then r.due_on end))
        filter (where (case when x.stage = 'RECTIFYING' then x.rectification_due when x.stage in ('IDENTIFIED', 'INVESTIGATING') then r.due_on end) < (select d from today)) as "maxDaysOverdue",
      count(*) filter (where x.spot_check_result is not null)::int as "spotChecked",
      (count(*) filter (where x.spot_check_failed and x.spot_check_result is not null)::float8 / nullif(count(*) filter (where x.spot_check_result is not null), 0)) as "spotCheckFailureRate"
    from ${places} left join supervision_round r on r.id = x.round_id group by 1`);
  const out = new Map<string, any>(base.map((r: any) => [String(r.k), { ...r, medianDaysPerStage: {}, actionsByKind: {}, finesYuan: 0 }]));
  for (const stage of ['IDENTIFIED', 'INVESTIGATING', 'RECTIFYING', 'SUPERVISED', 'SPOT_CHECK']) {
    const rows = await app.sql(
      `with stays as (
         select s.clue_id, sum(extract(epoch from n.entered_at - s.entered_at) / 86400.0) as days
         from clue_step s join clue_step n on n.clue_id = s.clue_id and n.seq = s.seq + 1 where s.to_stage = ? group by s.clue_id)
       select ${key} as k, percentile_cont(0.5) within group (order by st.days) as median, count(*)::int as stays
       from stays st join ${places} on x.id = st.clue_id group by 1`,
      [stage],
    );
    for (const r of rows) out.get(String(r.k)).medianDaysPerStage[stage] = { medianDays: Number(r.median), stays: r.stays };
  }
  for (const r of await app.sql(`select ${key} as k, a.kind, count(*)::int as n, coalesce(sum(a.fine_yuan), 0)::float8 as fines from enforcement_action a join ${places} on x.id = a.clue_id group by 1, 2`)) {
    const e = out.get(String(r.k));
    e.actionsByKind[r.kind] = r.n;
    e.finesYuan += r.fines;
  }
  return out;
}

/** Inspections, falsifications and verdicts per place key (over city `c`, province `p`). */
async function expectedOther(key: string): Promise<Map<string, any>> {
  const rows = await app.sql(`select ${key} as k,
      (select count(*) from inspection i join city c2 on c2.id = i.city_id where i.clue_id is null and i.positive_list and c2.id = any(array_agg(c.id)))::int as inspections,
      (select count(*) from falsification_finding f where f.city_id = any(array_agg(c.id)))::int as falsifications,
      exists (select 1 from city_assessment_verdict v where v.city_id = any(array_agg(c.id))) as unqualified
    from city c join province p on p.id = c.province_id group by 1`);
  return new Map(rows.map((r: any) => [String(r.k), r]));
}

const STATS = `cluesPushed openClues confirmationRate onTimeRectificationRate overdueClues maxDaysOverdue spotChecked spotCheckFailureRate
  medianDaysPerStage { stage medianDays stays } actionsByKind { kind count } finesYuan positiveListInspectionsWithoutClue falsifications assessmentUnqualified`;

function expectStats(label: string, s: any, e: any, other?: any) {
  expect(s.cluesPushed, label).toBe(e.cluesPushed);
  expect(s.openClues, label).toBe(e.openClues);
  close(s.confirmationRate, e.confirmationRate);
  close(s.onTimeRectificationRate, e.onTimeRectificationRate);
  expect(s.overdueClues, label).toBe(e.overdueClues);
  expect(s.maxDaysOverdue, label).toBe(e.maxDaysOverdue);
  expect(s.spotChecked, label).toBe(e.spotChecked);
  close(s.spotCheckFailureRate, e.spotCheckFailureRate);
  for (const m of s.medianDaysPerStage) {
    const x = e.medianDaysPerStage[m.stage];
    expect(m.stays, `${label} ${m.stage}`).toBe(x?.stays ?? 0);
    close(m.medianDays, x?.medianDays ?? null);
  }
  for (const a of s.actionsByKind) expect(a.count, `${label} ${a.kind}`).toBe(e.actionsByKind[a.kind] ?? 0);
  close(s.finesYuan, e.finesYuan);
  if (other) {
    expect(s.positiveListInspectionsWithoutClue, label).toBe(other.inspections);
    expect(s.falsifications, label).toBe(other.falsifications);
    expect(s.assessmentUnqualified, label).toBe(other.unqualified);
  }
}

describe('every supervision figure per province, region and round', () => {
  it('answers the PROVINCE and REGION scorecards as plain SQL does, every figure', async () => {
    for (const [level, key] of [['PROVINCE', 'p.slug'], ['REGION', 'c.region_code']] as const) {
      const [expected, other] = [await expectedStats(key), await expectedOther(key)];
      const cards = (await app.data(`{ campaignScorecards(level: ${level}) { key clues { ${STATS} } } }`)).campaignScorecards;
      expect(cards.length, level).toBe(other.size);
      for (const card of cards) expectStats(`${level} ${card.key}`, card.clues, expected.get(card.key), other.get(card.key));
    }
  });

  it('answers SupervisionRound.stats for every round as plain SQL does, every figure', async () => {
    const expected = await expectedStats(`x.round_id::text`);
    const rounds = (await app.data(`{ supervisionRounds(first: 100) { totalCount nodes { id number province { slug } stats { ${STATS} } } } }`)).supervisionRounds;
    expect(rounds.totalCount).toBe((await one(`select count(*)::int as n from supervision_round`)).n);
    let withClues = 0;
    for (const r of rounds.nodes) {
      const e = expected.get(r.id);
      if (!e) {
        expect(r.stats.cluesPushed, r.id).toBe(0);
        continue;
      }
      withClues++;
      expectStats(`round ${r.id}`, r.stats, e);
      // Falsifications of the round's clues, as plain SQL counts them.
      expect(r.stats.falsifications, r.id).toBe((await one(`select count(*)::int as n from falsification_finding f join clue x on x.id = f.clue_id where x.round_id = ?`, [Number(r.id)])).n);
    }
    expect(withClues).toBeGreaterThan(10);
  });

  it('lists the whole watch list, filtered by province, with due days and days overdue, as plain SQL', async () => {
    const watch = (await app.data(`{ overdueClues(first: 500, filter: { province: "henan" }) { dueOn daysOverdue clue { id stage city { slug } } } }`)).overdueClues;
    const plain = await app.sql(`select x.id, to_char(d.due, 'YYYY-MM-DD') as due, (now() at time zone 'Asia/Shanghai')::date - d.due as days
      from clue x join city c on c.id = x.city_id join province p on p.id = c.province_id left join supervision_round r on r.id = x.round_id
      cross join lateral (select case when x.stage = 'RECTIFYING' then x.rectification_due when x.stage in ('IDENTIFIED', 'INVESTIGATING') then r.due_on end as due) d
      where p.slug = 'henan' and d.due < (now() at time zone 'Asia/Shanghai')::date order by days desc, x.id limit 500`);
    expect(plain.length).toBeGreaterThan(0);
    expect(watch.map((w: any) => [Number(w.clue.id), w.dueOn, w.daysOverdue])).toEqual(plain.map((p: any) => [p.id, p.due, p.days]));
    expect(watch.every((w: any) => ['IDENTIFIED', 'INVESTIGATING', 'RECTIFYING'].includes(w.clue.stage))).toBe(true);
    // One statement for the list however long it is (and one batch for each relation of its clues).
    const q = (first: number) => app.gql(`{ overdueClues(first: ${first}, filter: { province: "henan" }) { dueOn daysOverdue clue { id stage daysOverdue city { slug } round { id } } } }`);
    const [few, many] = [await q(1), await q(plain.length)];
    expect(many.data.overdueClues.length).toBeGreaterThan(1);
    expect(many.data.overdueClues.every((w: any) => w.clue.daysOverdue === w.daysOverdue)).toBe(true);
    expect(few.extensions?.sqlStatements).toBeGreaterThan(0);
    expect(many.extensions?.sqlStatements).toBe(few.extensions?.sqlStatements);
    // Each entry's daysOverdue is the clue's own field, and the clues filter overdue: true counts the same clues.
    const count = (await app.data(`{ clues(filter: { province: "henan", overdue: true }) { totalCount nodes { daysOverdue } } }`)).clues;
    expect(count.totalCount).toBe(plain.length);
  });
});

describe('the report subject CLUES per province and per round, every measure', () => {
  it('answers every measure grouped by PROVINCE and by ROUND as plain SQL does', async () => {
    const measures = [
      { measure: 'COUNT' },
      { measure: 'CONFIRMED', aggregation: 'AVG' },
      { measure: 'RECTIFIED_ON_TIME', aggregation: 'AVG' },
      { measure: 'OVERDUE', aggregation: 'SUM' },
      { measure: 'DAYS_OVERDUE', aggregation: 'MAX' },
      { measure: 'SPOT_CHECK_FAILED', aggregation: 'AVG' },
      ...['IDENTIFIED', 'INVESTIGATING', 'RECTIFYING', 'SUPERVISED', 'SPOT_CHECK'].map((s) => ({ measure: `DAYS_${s}`, aggregation: 'MEDIAN' })),
      { measure: 'ACTIONS', aggregation: 'SUM' },
      { measure: 'FINE_AMOUNT', aggregation: 'SUM' },
    ];
    for (const [dimension, key] of [['PROVINCE', 'p.slug'], ['ROUND', `coalesce(x.round_id::text, '')`]] as const) {
      const expected = await expectedStats(key);
      // At most 12 measures a report: two reports, joined by key.
      const values = new Map<string, unknown[]>();
      for (const part of [measures.slice(0, 6), measures.slice(6)]) {
        const r = await app.data(REPORT, { input: { subject: 'CLUES', dimensions: [dimension], measures: part } });
        for (const row of r.report.rows.filter((x: any) => x.kind === 'DETAIL')) {
          const k = String(row.keys[0].value ?? '');
          values.set(k, [...(values.get(k) ?? []), ...row.values]);
        }
      }
      expect(values.size, dimension).toBe(expected.size);
      for (const [k, rowValues] of values) {
        const e = expected.get(k);
        const label = `${dimension} ${k}`;
        const [count, confirmed, onTime, overdue, daysOverdue, failed, ...rest] = rowValues as any[];
        expect(count, label).toBe(e.cluesPushed);
        close(confirmed, e.confirmationRate);
        close(onTime, e.onTimeRectificationRate);
        expect(overdue, label).toBe(e.overdueClues);
        expect(daysOverdue, label).toBe(e.maxDaysOverdue ?? 0);
        close(failed, e.spotCheckFailureRate);
        ['IDENTIFIED', 'INVESTIGATING', 'RECTIFYING', 'SUPERVISED', 'SPOT_CHECK'].forEach((s, i) => close(rest[i], e.medianDaysPerStage[s]?.medianDays ?? null));
        const actions = Object.values(e.actionsByKind as Record<string, number>).reduce((a, b) => a + b, 0);
        expect(rest[5], label).toBe(actions);
        close(rest[6], e.finesYuan > 0 ? e.finesYuan : null); // SUM over clues without fines is null, as in every report
      }
    }
  });
});
