/**
 * Demo supervision data (origin DEMO) for the 2023-2024 campaign: rounds pushed by the ministry
 * and by each province, clues of every source and topic in every stage (with reopened ones),
 * each step dated, enforcement actions with fines, a few falsification findings with all their
 * consequences, and inspections (some of positive-list enterprises without a clue, with a reason).
 * Written straight into the tables (no audit rows), consistent with the rules of the service.
 */
import type { Faker } from '@faker-js/faker';
import { ClueSource, ClueStage, ClueTopic, EnforcementActionKind, SpotCheckResult } from '@airledger/schema';
import { SEED_ACTOR } from '../../common/actor.js';
import { knexOf } from '../../common/sql.js';
import { insertChunked, weighted } from '../../seeders/demo-random.js';
import type { DemoSeeder } from '../../seeders/index.js';

const CAMPAIGN = '2023-2024-autumn-winter';
const CLUES = 1600;
const DAY = 86_400_000;
/** First and last push of a ministry round. */
const FIRST_PUSH = Date.parse('2023-10-09T01:00:00Z');
const MINISTRY_ROUNDS = 9;
const PROVINCE_ROUNDS = 3;
/** Steps happen before this instant (the campaign's end plus the summary). */
const LAST_STEP = Date.parse('2024-04-15T09:00:00Z');

const S = ClueStage;
/** Stage the demo clues end at. */
const FINAL_STAGE: readonly (readonly [ClueStage, number])[] = [
  [S.IDENTIFIED, 7],
  [S.INVESTIGATING, 9],
  [S.RECTIFYING, 14],
  [S.SUPERVISED, 10],
  [S.SPOT_CHECK, 6],
  [S.CLOSED, 42],
  [S.CLOSED_UNFOUNDED, 12],
];

/** Sources and the topics they usually reveal. */
const SOURCES: readonly (readonly [ClueSource, number, readonly ClueTopic[]])[] = [
  [ClueSource.SATELLITE_HOTSPOT, 22, [ClueTopic.KEY_ENTERPRISE_GOVERNANCE, ClueTopic.DUST, ClueTopic.LOOSE_COAL]],
  [ClueSource.ONLINE_MONITORING_ANOMALY, 20, [ClueTopic.SELF_MONITORING_DATA, ClueTopic.KEY_ENTERPRISE_GOVERNANCE]],
  [ClueSource.POWER_USE_ANOMALY, 14, [ClueTopic.HEAVY_POLLUTION_RESPONSE, ClueTopic.KEY_ENTERPRISE_GOVERNANCE]],
  [ClueSource.STRAW_FIRE_POINT, 8, [ClueTopic.STRAW_BURNING]],
  [ClueSource.EMERGENCY_CHECK_FAILURE, 10, [ClueTopic.HEAVY_POLLUTION_RESPONSE]],
  [ClueSource.COMPLAINT, 14, [ClueTopic.LOOSE_COAL, ClueTopic.DUST, ClueTopic.KEY_ENTERPRISE_GOVERNANCE]],
  [ClueSource.ON_SITE_FINDING, 12, [ClueTopic.KEY_ENTERPRISE_GOVERNANCE, ClueTopic.SELF_MONITORING_DATA, ClueTopic.DUST]],
];

const EVIDENCE: Record<ClueSource, readonly string[]> = {
  SATELLITE_HOTSPOT: ['卫星遥感识别为PM2.5高值区', '卫星遥感热点持续冒泡', '遥感监测颗粒物浓度明显高于周边'],
  ONLINE_MONITORING_ANOMALY: ['在线监测数据长时间恒值', '在线监测数据零值或负值', '氮氧化物排放浓度频繁临界超标', '烟气流量与产能不匹配'],
  POWER_USE_ANOMALY: ['重污染天气预警期间用电量未下降', '治污设施用电量异常偏低', '生产设施与治污设施用电不同步'],
  STRAW_FIRE_POINT: ['卫星监测发现秸秆焚烧火点', '夜间火点集中出现'],
  EMERGENCY_CHECK_FAILURE: ['橙色预警期间未落实减排措施', '预警期间应停产设施仍在运行'],
  COMPLAINT: ['群众举报夜间偷排', '群众举报散煤销售', '群众举报工地扬尘'],
  ON_SITE_FINDING: ['现场检查发现治污设施未正常运行', '现场检查发现物料露天堆放', '现场检查发现自行监测报告缺失'],
};
const LOCATIONS = ['村民聚居区', '建筑工地', '城乡结合部', '物流园区', '农田', '渣土消纳场'];
const FOUND = ['排查属实，已责令整改', '现场核实问题存在', '经调阅监控记录确认'];
const UNFOUNDED = ['现场排查未发现问题', '数据异常系设备检修所致', '火点为正常生产用火'];
const ACTION_WEIGHTS: readonly (readonly [EnforcementActionKind, number])[] = [
  [EnforcementActionKind.TOLERANT_CORRECTION, 22],
  [EnforcementActionKind.CORRECTION_ORDER, 40],
  [EnforcementActionKind.FINE, 26],
  [EnforcementActionKind.PRODUCTION_RESTRICTION, 9],
  [EnforcementActionKind.POLICE_TRANSFER, 3],
];
const INSTITUTIONS = ['环境检测技术有限公司', '环保科技服务有限公司', '环境监测运维有限公司'];
const NO_CLUE_REASONS = ['重污染天气应急减排措施落实情况随机抽查', '“双随机、一公开”抽查', '上级交办事项核查'];

const chinaDay = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10);

interface Row {
  [k: string]: unknown;
}

export const supervisionDemoSeeder: DemoSeeder = {
  name: 'supervision',
  async run(em, faker: Faker) {
    const knex = knexOf(em);
    const campaign = (await knex('campaign').where({ code: CAMPAIGN }).first('id')) as { id: number } | undefined;
    if (!campaign) return;
    const cities = (await knex('city').select('id', 'province_id', 'name_zh').orderBy('plan_order')) as { id: number; province_id: number; name_zh: string }[];
    const provinces = (await knex('province').select('id', 'name_zh').orderBy('id')) as { id: number; name_zh: string }[];
    const enterprises = (await knex('enterprise as e')
      .select('e.id', 'e.city_id', 'e.name', 'e.credit_code', 'e.positive_list', 'e.benchmark', 'e.current_grade', knex.raw('(select max(g.decided_at) from grade_change g where g.enterprise_id = e.id) as last_change'))
      .orderBy('e.id')) as { id: number; city_id: number; name: string; credit_code: string; positive_list: boolean; benchmark: boolean; current_grade: string | null; last_change: Date | null }[];
    const byCity = new Map<number, typeof enterprises>();
    for (const e of enterprises) {
      let l = byCity.get(e.city_id);
      if (!l) byCity.set(e.city_id, (l = []));
      l.push(e);
    }
    const audit = { created_by: SEED_ACTOR.id, updated_by: SEED_ACTOR.id };

    // ---------------------------------------------------------------- rounds
    const roundRows: Row[] = [];
    for (let n = 1; n <= MINISTRY_ROUNDS; n++) {
      const pushed = FIRST_PUSH + (n - 1) * 18 * DAY;
      roundRows.push({ campaign_id: campaign.id, province_id: null, number: n, title: `第${n}轮 秋冬季攻坚监督帮扶`, pushed_on: chinaDay(pushed), due_on: chinaDay(pushed + 15 * DAY), origin: 'DEMO', ...audit });
    }
    for (const p of provinces) {
      for (let n = 1; n <= PROVINCE_ROUNDS; n++) {
        const pushed = FIRST_PUSH + 10 * DAY + (n - 1) * 45 * DAY;
        roundRows.push({ campaign_id: campaign.id, province_id: p.id, number: n, title: `${p.name_zh}第${n}轮 交叉帮扶`, pushed_on: chinaDay(pushed), due_on: chinaDay(pushed + 20 * DAY), origin: 'DEMO', ...audit });
      }
    }
    const rounds = (await insertChunked(knex, 'supervision_round', roundRows, ['id', 'province_id', 'pushed_on', 'due_on'])) as { id: number; province_id: number | null; pushed_on: string | Date }[];
    const pushedAt = (r: { pushed_on: string | Date }) => (r.pushed_on instanceof Date ? r.pushed_on.getTime() + 8 * 3600_000 : Date.parse(`${r.pushed_on}T00:00:00Z`)) + 1 * 3600_000;

    // ---------------------------------------------------------------- clues and their steps
    const clueRows: Row[] = [];
    const stepsOf: Row[][] = [];
    const meta: { enterpriseId: number | null; cityId: number; topic: ClueTopic; confirmedAt: number | null; stage: ClueStage; lastAt: number }[] = [];
    const stageWeights = FINAL_STAGE.map(([s, w]) => [s, w] as const);
    for (let i = 0; i < CLUES; i++) {
      const city = cities[i % cities.length];
      const candidates = rounds.filter((r) => r.province_id === null || r.province_id === city.province_id);
      const own = faker.number.int({ min: 1, max: 100 }) <= 8;
      const round = own ? null : faker.helpers.arrayElement(candidates);
      const [source, , topics] = weighted(faker, SOURCES.map((s) => [s, s[1]] as const));
      const topic = faker.helpers.arrayElement(topics);
      const list = byCity.get(city.id) ?? [];
      const withEnterprise = topic !== ClueTopic.STRAW_BURNING && topic !== ClueTopic.LOOSE_COAL && list.length > 0 && faker.number.int({ min: 1, max: 100 }) <= 90;
      const enterprise = withEnterprise ? faker.helpers.arrayElement(list) : null;
      const start = round ? pushedAt(round) + faker.number.int({ min: 0, max: 6 }) * 3600_000 : FIRST_PUSH + faker.number.int({ min: 0, max: 150 }) * DAY;
      const finalStage = weighted(faker, stageWeights);
      // The walk: one step at a time to the final stage; some spot checks fail and reopen.
      let t = start;
      let stage = S.IDENTIFIED as ClueStage;
      let due: string | null = null;
      let confirmed: boolean | null = null;
      let result: SpotCheckResult | null = null;
      let failed = false;
      let reopens = 0;
      let confirmedAt: number | null = null;
      const at: Partial<Record<ClueStage, number>> = { [S.IDENTIFIED]: start };
      const steps: Row[] = [{ seq: 1, from_stage: null, to_stage: S.IDENTIFIED, entered_at: new Date(start), role: round?.province_id ? 'PROVINCE' : round ? 'MINISTRY' : 'CITY', note: null, spot_check_result: null, rectification_due: null }];
      const go = (to: ClueStage, gapDays: [number, number], role: string, extra: Row = {}) => {
        const previous = t;
        t = Math.min(t + faker.number.float({ min: gapDays[0], max: gapDays[1] }) * DAY, LAST_STEP);
        if (t <= previous) t = previous + faker.number.int({ min: 1, max: 12 }) * 3600_000;
        steps.push({ seq: steps.length + 1, from_stage: stage, to_stage: to, entered_at: new Date(t), role, note: null, spot_check_result: null, rectification_due: null, ...extra });
        stage = to;
        at[to] = t;
      };
      const path: Record<ClueStage, ClueStage[]> = {
        IDENTIFIED: [],
        INVESTIGATING: [S.INVESTIGATING],
        RECTIFYING: [S.INVESTIGATING, S.RECTIFYING],
        SUPERVISED: [S.INVESTIGATING, S.RECTIFYING, S.SUPERVISED],
        SPOT_CHECK: [S.INVESTIGATING, S.RECTIFYING, S.SUPERVISED, S.SPOT_CHECK],
        CLOSED: [S.INVESTIGATING, S.RECTIFYING, S.SUPERVISED, S.CLOSED],
        CLOSED_UNFOUNDED: [S.INVESTIGATING, S.CLOSED_UNFOUNDED],
      };
      const reopen = (finalStage === S.CLOSED || finalStage === S.SUPERVISED || finalStage === S.RECTIFYING) && faker.number.int({ min: 1, max: 100 }) <= 12;
      const plan = [...path[finalStage]];
      if (reopen) {
        // RECTIFYING -> SUPERVISED -> SPOT_CHECK -> (failed) RECTIFYING, then on to the final stage.
        const tail = plan.slice(plan.indexOf(S.RECTIFYING) + 1);
        plan.splice(plan.indexOf(S.RECTIFYING) + 1, plan.length, S.SUPERVISED, S.SPOT_CHECK, S.RECTIFYING, ...tail);
      }
      for (const to of plan) {
        if (to === S.INVESTIGATING) go(to, [0.5, 4], 'CITY');
        else if (to === S.RECTIFYING && stage === S.INVESTIGATING) {
          go(to, [1, 8], 'CITY', { note: faker.helpers.arrayElement(FOUND) });
          confirmed = true;
          confirmedAt = t;
          due = chinaDay(t + faker.number.int({ min: 15, max: 45 }) * DAY);
          steps[steps.length - 1].rectification_due = due;
        } else if (to === S.RECTIFYING) {
          const r = SpotCheckResult.RECTIFICATION_FAILED;
          go(to, [2, 7], 'PROVINCE', { spot_check_result: r, note: '抽查发现整改不力' });
          result = r;
          failed = true;
          reopens++;
          due = chinaDay(t + faker.number.int({ min: 10, max: 30 }) * DAY);
          steps[steps.length - 1].rectification_due = due;
        } else if (to === S.CLOSED_UNFOUNDED) {
          go(to, [1, 8], 'CITY', { note: faker.helpers.arrayElement(UNFOUNDED) });
          confirmed = false;
        } else if (to === S.SUPERVISED) {
          // Most rectifications are reported by the due day, some late.
          const dueAt = Date.parse(`${due}T00:00:00+08:00`);
          const late = faker.number.int({ min: 1, max: 100 }) <= 22;
          const target = late ? dueAt + faker.number.int({ min: 2, max: 25 }) * DAY : t + faker.number.float({ min: 0.3, max: 0.9 }) * Math.max(DAY, dueAt - t);
          go(to, [Math.max(0.2, (target - t) / DAY), Math.max(0.3, (target - t) / DAY + 0.5)], 'CITY');
        } else if (to === S.SPOT_CHECK) go(to, [1, 6], 'PROVINCE');
        else if (to === S.CLOSED) {
          if (stage === S.SPOT_CHECK) {
            go(to, [2, 7], 'PROVINCE', { spot_check_result: SpotCheckResult.PASSED });
            result = SpotCheckResult.PASSED;
          } else go(to, [1, 6], 'PROVINCE');
        }
      }
      // A closed clue that was spot-checked and passed (without a reopen), now and then.
      if (finalStage === S.CLOSED && !reopen && faker.number.int({ min: 1, max: 100 }) <= 25) {
        const last = steps.pop()!;
        stage = last.from_stage as ClueStage;
        t = (at[S.SUPERVISED] ?? t) as number;
        go(S.SPOT_CHECK, [1, 5], 'PROVINCE');
        go(S.CLOSED, [2, 6], 'PROVINCE', { spot_check_result: SpotCheckResult.PASSED });
        result = SpotCheckResult.PASSED;
      }
      if (finalStage === S.SPOT_CHECK && faker.number.int({ min: 1, max: 100 }) <= 15) {
        // Reopened as not real: back to INVESTIGATING.
        go(S.INVESTIGATING, [2, 6], 'PROVINCE', { spot_check_result: SpotCheckResult.NOT_REAL, note: '抽查发现排查不实' });
        result = SpotCheckResult.NOT_REAL;
        failed = true;
        reopens++;
      }
      const closedAt = stage === S.CLOSED || stage === S.CLOSED_UNFOUNDED ? t : null;
      clueRows.push({
        city_id: city.id,
        campaign_id: campaign.id,
        round_id: round?.id ?? null,
        enterprise_id: enterprise?.id ?? null,
        location: enterprise ? null : `${city.name_zh}${faker.helpers.arrayElement(LOCATIONS)}`,
        source,
        topic,
        evidence: faker.helpers.arrayElement(EVIDENCE[source]),
        stage,
        identified_at: new Date(start),
        investigating_at: at[S.INVESTIGATING] ? new Date(at[S.INVESTIGATING]!) : null,
        rectifying_at: at[S.RECTIFYING] ? new Date(at[S.RECTIFYING]!) : null,
        supervised_at: at[S.SUPERVISED] ? new Date(at[S.SUPERVISED]!) : null,
        spot_check_at: at[S.SPOT_CHECK] ? new Date(at[S.SPOT_CHECK]!) : null,
        closed_at: closedAt ? new Date(closedAt) : null,
        rectification_due: due,
        confirmed,
        spot_check_result: result,
        spot_check_failed: failed,
        reopen_count: reopens,
        origin: 'DEMO',
        ...audit,
      });
      stepsOf.push(steps);
      meta.push({ enterpriseId: enterprise?.id ?? null, cityId: city.id, topic, confirmedAt, stage, lastAt: t });
    }
    const clues = (await insertChunked(knex, 'clue', clueRows, ['id'])) as { id: number }[];
    const stepRows: Row[] = [];
    clues.forEach((c, i) => {
      for (const s of stepsOf[i]) stepRows.push({ ...s, clue_id: c.id, city_id: meta[i].cityId, origin: 'DEMO', ...audit });
    });
    await insertChunked(knex, 'clue_step', stepRows);

    // ---------------------------------------------------------------- falsifications (a few, with every consequence)
    const falsified = new Set<number>();
    const findings: { clueIndex: number; at: number }[] = [];
    clues.forEach((_c, i) => {
      const m = meta[i];
      if (findings.length >= 10 || m.topic !== ClueTopic.SELF_MONITORING_DATA || m.confirmedAt === null || m.enterpriseId === null || falsified.has(m.enterpriseId)) return;
      const e = enterprises.find((x) => x.id === m.enterpriseId)!;
      const at = m.confirmedAt + 2 * DAY;
      if (e.last_change && new Date(e.last_change).getTime() >= at) return;
      if (faker.number.int({ min: 1, max: 100 }) > 35) return;
      falsified.add(e.id);
      findings.push({ clueIndex: i, at });
    });
    for (const { clueIndex, at } of findings) {
      const m = meta[clueIndex];
      const e = enterprises.find((x) => x.id === m.enterpriseId)!;
      const [gc] = await knex('grade_change')
        .insert({ enterprise_id: e.id, city_id: e.city_id, from_grade: e.current_grade, to_grade: 'D', reason: 'FALSIFIED_MONITORING', note: '自行监测数据弄虚作假', decided_by: '生态环境局', decided_at: new Date(at), origin: 'DEMO', ...audit })
        .returning('id');
      await knex('enterprise').where({ id: e.id }).update({ current_grade: 'D', benchmark: false, positive_list: false });
      const [finding] = await knex('falsification_finding')
        .insert({
          clue_id: clues[clueIndex].id, city_id: e.city_id, campaign_id: campaign.id, enterprise_id: e.id, grade_change_id: (gc as { id: number }).id,
          benchmark_withdrawn: e.benchmark, positive_list_withdrawn: e.positive_list, decided_by: '生态环境局', decided_at: new Date(at), note: '篡改、伪造自动监测数据', origin: 'DEMO', ...audit,
        })
        .returning('id');
      const findingId = (finding as { id: number }).id;
      const day = chinaDay(at);
      await knex('subsidy_block').insert({ enterprise_id: e.id, city_id: e.city_id, finding_id: findingId, blocked_on: day, origin: 'DEMO', ...audit });
      const institution = `${faker.location.city()}${faker.helpers.arrayElement(INSTITUTIONS)}`;
      await knex('fraud_list_entry').insert([
        { finding_id: findingId, city_id: e.city_id, campaign_id: campaign.id, kind: 'ENTERPRISE', name: e.name, credit_code: e.credit_code, enterprise_id: e.id, affiliation: null, listed_on: day, origin: 'DEMO', ...audit },
        { finding_id: findingId, city_id: e.city_id, campaign_id: campaign.id, kind: 'INSTITUTION', name: institution, credit_code: null, enterprise_id: null, affiliation: null, listed_on: day, origin: 'DEMO', ...audit },
        { finding_id: findingId, city_id: e.city_id, campaign_id: campaign.id, kind: 'PERSON', name: faker.person.fullName(), credit_code: null, enterprise_id: null, affiliation: institution, listed_on: day, origin: 'DEMO', ...audit },
      ]);
      await knex.raw(
        `insert into city_assessment_verdict (city_id, campaign_id, verdict, reason, finding_id, decided_on, origin, created_by, updated_by)
         values (?, ?, 'UNQUALIFIED', 'FALSIFIED_MONITORING', ?, ?, 'DEMO', ?, ?) on conflict (city_id, campaign_id) do nothing`,
        [e.city_id, campaign.id, findingId, day, SEED_ACTOR.id, SEED_ACTOR.id],
      );
    }
    const findingClues = new Set(findings.map((f) => f.clueIndex));

    // ---------------------------------------------------------------- enforcement actions and inspections
    const actionRows: Row[] = [];
    const inspectionRows: Row[] = [];
    clues.forEach((c, i) => {
      const m = meta[i];
      if (m.enterpriseId !== null && stepsOf[i].length > 1) {
        const e = enterprises.find((x) => x.id === m.enterpriseId)!;
        inspectionRows.push({ city_id: m.cityId, campaign_id: campaign.id, enterprise_id: m.enterpriseId, clue_id: c.id, inspected_on: chinaDay((stepsOf[i][1].entered_at as Date).getTime()), positive_list: e.positive_list, reason_without_clue: null, note: null, origin: 'DEMO', ...audit });
      }
      if (m.confirmedAt === null || faker.number.int({ min: 1, max: 100 }) > 65) return;
      const n = findingClues.has(i) ? 2 : weighted(faker, [[1, 80], [2, 20]] as const);
      for (let k = 0; k < n; k++) {
        let kind = findingClues.has(i) ? (k === 0 ? EnforcementActionKind.FINE : EnforcementActionKind.POLICE_TRANSFER) : weighted(faker, ACTION_WEIGHTS);
        if (kind === EnforcementActionKind.TOLERANT_CORRECTION && k > 0) kind = EnforcementActionKind.CORRECTION_ORDER;
        actionRows.push({
          clue_id: c.id,
          city_id: m.cityId,
          enterprise_id: m.enterpriseId,
          kind,
          fine_yuan: kind === EnforcementActionKind.FINE ? faker.number.int({ min: 1, max: 100 }) * 10000 : null,
          publicised: kind === EnforcementActionKind.POLICE_TRANSFER || faker.number.int({ min: 1, max: 100 }) <= 25,
          decided_on: chinaDay(m.confirmedAt + faker.number.int({ min: 0, max: 10 }) * DAY),
          decided_by: '生态环境综合行政执法支队',
          note: null,
          origin: 'DEMO',
          ...audit,
        });
      }
    });
    // 无事不扰: a few inspections of positive-list enterprises without a clue, each with its reason.
    const positive = enterprises.filter((e) => e.positive_list && !falsified.has(e.id));
    for (let k = 0; k < Math.min(40, positive.length); k++) {
      const e = faker.helpers.arrayElement(positive);
      inspectionRows.push({ city_id: e.city_id, campaign_id: campaign.id, enterprise_id: e.id, clue_id: null, inspected_on: chinaDay(FIRST_PUSH + faker.number.int({ min: 0, max: 170 }) * DAY), positive_list: true, reason_without_clue: faker.helpers.arrayElement(NO_CLUE_REASONS), note: null, origin: 'DEMO', ...audit });
    }
    await insertChunked(knex, 'enforcement_action', actionRows);
    await insertChunked(knex, 'inspection', inspectionRows);
  },
};
