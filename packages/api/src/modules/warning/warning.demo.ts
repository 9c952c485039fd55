/**
 * Demo heavy-pollution response (origin DEMO), derived from the demo observations of the
 * 2023-2024 campaign so that the two agree: for every run of heavy days (observed AQI > 200) of a
 * city a forecast issued the afternoon before (the observed AQIs give or take 10 %), a warning at
 * the level the forecast implies (YELLOW first and raised the next day when it implies more; runs
 * of one day mostly get none, a few get a YELLOW flagged FORECAST_BELOW_WARNING), lifted the day
 * after the run; a ministry linkage at ORANGE over the Jing-Jin-Ji cities of the winter episode
 * that involves most of them, answered by their warnings; the emergency reduction list of every
 * city covering every enterprise; measure checks during warnings, a few failed, half of those
 * followed by a FAILED_EMERGENCY_CUTS downgrade.
 */
import { DataOrigin, EmergencyMeasure, PerformanceGrade, WarningLevel } from '@airledger/schema';
import { SEED_ACTOR } from '../../common/actor.js';
import { knexOf } from '../../common/sql.js';
import { insertChunked } from '../../seeders/demo-random.js';
import type { DemoSeeder } from '../../seeders/index.js';
import { PLAN_2023_2024 } from '../../seeders/plan/plan-2023-2024.js';
import { addDays, compareLevels, flagReasons, impliedLevel } from './warning.rules.js';
import { gradeTier, proposedDowngrade } from './reduction.rules.js';

/** Cities of Jing-Jin-Ji (Beijing, Tianjin and Hebei's cities in scope). */
const JJJ_PROVINCES = ['beijing', 'tianjin', 'hebei'];
/** Cuts (percent of baseline) at YELLOW, ORANGE, RED per grade tier: monotonic by grade and level. */
const TIER_MEASURES: { measure: EmergencyMeasure; red: EmergencyMeasure; cuts: [number, number, number] }[] = [
  { measure: EmergencyMeasure.SELF_DETERMINED, red: EmergencyMeasure.SELF_DETERMINED, cuts: [0, 5, 10] },
  { measure: EmergencyMeasure.LIMIT_PRODUCTION, red: EmergencyMeasure.STOP_LINES, cuts: [10, 20, 30] },
  { measure: EmergencyMeasure.STOP_LINES, red: EmergencyMeasure.STOP_LINES, cuts: [20, 30, 50] },
  { measure: EmergencyMeasure.STOP_LINES, red: EmergencyMeasure.STOP_PRODUCTION, cuts: [30, 50, 100] },
];
/** Typical daily emissions (t/day) of a LARGE enterprise by industry: SO2, NOx, PM, VOCs. */
const BASELINES: Record<string, [number, number, number, number]> = {
  STEEL: [2.5, 4, 3, 0.6], CEMENT: [0.8, 3, 1.2, 0.1], COKING: [1.2, 2, 1, 1.5], GLASS: [0.9, 2.2, 0.4, 0.1], POWER: [3, 4, 0.6, 0.1],
  HEATING_BOILER: [0.6, 0.8, 0.2, 0.05], PETROCHEMICAL: [0.8, 1.2, 0.3, 3], CHEMICAL: [0.3, 0.4, 0.2, 1.6], INDUSTRIAL_COATING: [0.02, 0.05, 0.05, 1.2],
  PACKAGING_AND_PRINTING: [0.01, 0.02, 0.02, 0.8], OIL_STORAGE_AND_DISTRIBUTION: [0, 0, 0, 0.9],
};
const SIZE_FACTOR: Record<string, number> = { LARGE: 1, MEDIUM: 0.4, SMALL: 0.12, MICRO: 0.03 };
const cst = (day: string, hour = 0) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`);

interface Run { cityId: number; slug: string; province: string; days: string[]; aqis: number[] }

export const warningDemoSeeder: DemoSeeder = {
  name: 'warning',
  async run(em, faker) {
    const knex = knexOf(em);
    const actor = SEED_ACTOR.id;
    const stamp = { origin: DataOrigin.DEMO, created_by: actor, updated_by: actor };
    const campaign = await knex('campaign').where({ code: PLAN_2023_2024.campaign.code }).first('id', knex.raw(`to_char(period_start, 'YYYY-MM-DD') as period_start`));
    if (!campaign) throw new Error(`The plan's campaign ${PLAN_2023_2024.campaign.code} is not loaded.`);
    const { rows: obs } = await knex.raw(
      `select o.city_id, c.slug, p.slug as province, to_char(o.observed_on, 'YYYY-MM-DD') as day, o.aqi
       from air_quality_observation o join city c on c.id = o.city_id join province p on p.id = c.province_id join campaign k on k.id = ?
       where o.station_code is null and o.aqi is not null and o.observed_on between k.period_start and k.period_end
       order by c.plan_order, o.observed_on`,
      [campaign.id],
    );
    // Runs of consecutive heavy days per city.
    const runs: Run[] = [];
    let current: Run | null = null;
    for (const o of obs as { city_id: number; slug: string; province: string; day: string; aqi: number }[]) {
      if (o.aqi > 200) {
        if (current && current.cityId === o.city_id && addDays(current.days[current.days.length - 1]!, 1) === o.day) {
          current.days.push(o.day);
          current.aqis.push(o.aqi);
        } else {
          current = { cityId: o.city_id, slug: o.slug, province: o.province, days: [o.day], aqis: [o.aqi] };
          runs.push(current);
        }
      } else current = current && current.cityId === o.city_id ? null : current;
    }
    const aqiOf = new Map((obs as { city_id: number; day: string; aqi: number }[]).map((o) => [`${o.city_id}|${o.day}`, o.aqi]));

    // The winter episode of Jing-Jin-Ji: the December-February day on which most JJJ runs are under way.
    const jjj = runs.filter((r) => JJJ_PROVINCES.includes(r.province) && r.days[0]! >= '2023-12-01' && r.days[0]! <= '2024-02-15');
    const count = new Map<string, number>();
    for (const r of jjj) for (const d of r.days) count.set(d, (count.get(d) ?? 0) + 1);
    const peak = [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
    const linked = peak ? jjj.filter((r) => r.days.includes(peak)) : [];
    let linkageId: number | null = null;
    if (linked.length >= 2) {
      const start = linked.map((r) => r.days[0]!).sort()[0]!;
      const end = linked.map((r) => r.days[r.days.length - 1]!).sort().reverse()[0]!;
      const [row] = await insertChunked(knex, 'regional_linkage', [{
        province_id: null, level: WarningLevel.ORANGE, authority: '生态环境部', issued_at: cst(addDays(start, -1), 10), effective_from: cst(start),
        planned_end: cst(addDays(end, 1)), lifted_at: cst(addDays(end, 1)), note: '京津冀区域重污染天气应急联动（演示数据）', version: 1, ...stamp,
      }], ['id']);
      linkageId = Number(row!.id);
      await insertChunked(knex, 'regional_linkage_city', linked.map((r) => ({ linkage_id: linkageId, city_id: r.cityId })));
    }
    const linkedSet = new Set(linked);

    // Forecasts, warnings and their changes.
    const forecasts: Record<string, unknown>[] = [];
    const plans: { run: Run; days: { day: string; aqi: number }[]; level: WarningLevel | null }[] = [];
    for (const run of runs) {
      const first = addDays(run.days[0]!, -1);
      const days = Array.from({ length: run.days.length + 2 }, (_, i) => addDays(first, i))
        .filter((d) => d >= campaign.period_start)
        .map((day) => ({ day, aqi: Math.max(0, Math.min(500, Math.round((aqiOf.get(`${run.cityId}|${day}`) ?? 150) * faker.number.float({ min: 0.9, max: 1.1 })))) }));
      const implied = impliedLevel(days.map((d) => d.aqi));
      let level = implied;
      if (linkedSet.has(run)) level = WarningLevel.ORANGE;
      else if (!level && faker.number.float({ min: 0, max: 1 }) < 0.15) level = WarningLevel.YELLOW; // issued without basis: flagged
      forecasts.push({ city_id: run.cityId, issued_at: cst(first, 16), source: 'CITY', system_name: null, ...stamp });
      plans.push({ run, days, level });
    }
    const fIds = await insertChunked(knex, 'forecast', forecasts, ['id']);
    const forecastDays: Record<string, unknown>[] = [];
    plans.forEach((p, i) => p.days.forEach((d) => forecastDays.push({ forecast_id: fIds[i]!.id, city_id: p.run.cityId, day: d.day, aqi: d.aqi, primary_pollutant: 'PM25' })));
    await insertChunked(knex, 'forecast_day', forecastDays);

    const warningRows: Record<string, unknown>[] = [];
    const warned: { plan: (typeof plans)[number]; forecastId: number; start: Date; end: Date; first: WarningLevel }[] = [];
    plans.forEach((p, i) => {
      if (!p.level) return;
      const start = cst(p.run.days[0]!);
      const end = cst(addDays(p.run.days[p.run.days.length - 1]!, 1));
      const forecastId = Number(fIds[i]!.id);
      const isLinked = linkedSet.has(p.run);
      // A city of the linkage may answer at another level (then flagged): about one in five.
      if (isLinked && faker.number.float({ min: 0, max: 1 }) < 0.2) p.level = WarningLevel.YELLOW;
      const first = compareLevels(p.level, WarningLevel.YELLOW) > 0 && p.run.days.length > 1 && !isLinked ? WarningLevel.YELLOW : p.level;
      const flags = flagReasons({ level: p.level, plannedEnd: end }, p.days, isLinked ? WarningLevel.ORANGE : null);
      warningRows.push({
        city_id: p.run.cityId, level: p.level, issued_at: cst(addDays(p.run.days[0]!, -1), 18), effective_from: start, planned_end: end, lifted_at: end,
        forecast_id: forecastId, authority: `${p.run.slug} 重污染天气应急指挥部`, linkage_id: isLinked ? linkageId : null, flag_reasons: flags, note: null,
        version: first === p.level ? 2 : 3, ...stamp,
      });
      warned.push({ plan: p, forecastId, start, end, first });
    });
    const wIds = await insertChunked(knex, 'warning', warningRows, ['id']);
    const changes: Record<string, unknown>[] = [];
    warned.forEach((w, i) => {
      const base = { warning_id: wIds[i]!.id, city_id: w.plan.run.cityId, forecast_id: w.forecastId, note: null, ...stamp };
      changes.push({ ...base, kind: 'ISSUED', effective_at: w.start, level: w.first, previous_level: null, planned_end: w.end, previous_planned_end: null });
      if (w.first !== w.plan.level) {
        changes.push({ ...base, kind: 'RAISED', effective_at: cst(w.plan.run.days[1]!), level: w.plan.level, previous_level: w.first, planned_end: w.end, previous_planned_end: w.end });
      }
      changes.push({ ...base, kind: 'LIFTED', effective_at: w.end, level: w.plan.level, previous_level: w.plan.level, planned_end: w.end, previous_planned_end: w.end });
    });
    await insertChunked(knex, 'warning_change', changes);

    // The reduction list of every city: every enterprise, with its grade as of the campaign start.
    const { rows: enterprises } = await knex.raw(
      `select e.id, e.city_id, e.industry, e.size, e.protected_class,
         (select g.to_grade from grade_change g where g.enterprise_id = e.id and g.decided_at < ? order by g.decided_at desc, g.id desc limit 1) as grade
       from enterprise e order by e.id`,
      [cst(PLAN_2023_2024.campaign.periodStart)],
    );
    const entries: Record<string, unknown>[] = [];
    for (const e of enterprises as { id: number; city_id: number; industry: string; size: string; protected_class: string; grade: PerformanceGrade | null }[]) {
      const base = BASELINES[e.industry] ?? [0.1, 0.15, 0.1, 0.1];
      const f = (SIZE_FACTOR[e.size] ?? 0.1) * faker.number.float({ min: 0.7, max: 1.3 });
      const exempt = e.protected_class === 'MINISTRY_FILED';
      const tier = TIER_MEASURES[gradeTier(e.grade)]!;
      const measure = (i: number) => (exempt ? EmergencyMeasure.PROTECTED_EXEMPT : i === 2 ? tier.red : tier.measure);
      const cut = (i: number) => (exempt ? 0 : tier.cuts[i]!);
      entries.push({
        city_id: e.city_id, campaign_id: campaign.id, enterprise_id: e.id, grade_at_listing: e.grade, protected_exempt: exempt,
        so2_baseline: +(base[0] * f).toFixed(4), nox_baseline: +(base[1] * f).toFixed(4), pm_baseline: +(base[2] * f).toFixed(4), vocs_baseline: +(base[3] * f).toFixed(4),
        yellow_measure: measure(0), yellow_cut_percent: cut(0), orange_measure: measure(1), orange_cut_percent: cut(1), red_measure: measure(2), red_cut_percent: cut(2),
        measure_note: null, version: 1, ...stamp,
      });
    }
    const eIds = await insertChunked(knex, 'reduction_list_entry', entries, ['id', 'enterprise_id', 'city_id']);
    const byCity = new Map<number, { id: number; enterprise_id: number; grade: PerformanceGrade | null }[]>();
    const gradeOf = new Map((enterprises as { id: number; grade: PerformanceGrade | null }[]).map((e) => [e.id, e.grade]));
    for (const r of eIds) (byCity.get(Number(r.city_id)) ?? byCity.set(Number(r.city_id), []).get(Number(r.city_id))!).push({ id: Number(r.id), enterprise_id: Number(r.enterprise_id), grade: gradeOf.get(Number(r.enterprise_id)) ?? null });

    // Measure checks during about a third of the warnings.
    const checks: Record<string, unknown>[] = [];
    warned.forEach((w, i) => {
      const listed = byCity.get(w.plan.run.cityId) ?? [];
      if (!listed.length || faker.number.float({ min: 0, max: 1 }) > 0.35) return;
      for (const entry of faker.helpers.arrayElements(listed, { min: 1, max: Math.min(3, listed.length) })) {
        const failed = faker.number.float({ min: 0, max: 1 }) < 0.15;
        const proposed = failed ? proposedDowngrade(entry.grade) : null;
        checks.push({
          city_id: w.plan.run.cityId, warning_id: wIds[i]!.id, entry_id: entry.id, enterprise_id: entry.enterprise_id,
          checked_at: new Date(w.start.getTime() + faker.number.int({ min: 2, max: 20 }) * 3600_000),
          method: faker.helpers.arrayElement(['ON_SITE', 'POWER_USE', 'ONLINE_MONITORING']), result: failed ? 'FAILED' : 'PASSED',
          finding: failed ? '未按清单落实减排措施' : null, inspector: '市生态环境执法支队', proposed_grade: proposed,
          proposal_status: proposed ? 'PROPOSED' : null, grade_change_id: null, version: 1, ...stamp,
        });
      }
    });
    const cIds = await insertChunked(knex, 'measure_check', checks, ['id', 'enterprise_id', 'proposed_grade', 'checked_at']);
    // Half of the proposals accepted, when no later grade change of the enterprise exists: the downgrade is recorded and linked.
    for (const c of cIds) {
      if (!c.proposed_grade || faker.number.float({ min: 0, max: 1 }) < 0.5) continue;
      const decidedAt = new Date(new Date(c.checked_at as string).getTime() + 3 * 86_400_000);
      const { rows } = await knex.raw(`select current_grade, (select max(decided_at) from grade_change g where g.enterprise_id = e.id) as latest from enterprise e where e.id = ?`, [Number(c.enterprise_id)]);
      const e = rows[0] as { current_grade: PerformanceGrade | null; latest: Date | null };
      if ((e.latest && new Date(e.latest) >= decidedAt) || e.current_grade !== null && proposedDowngrade(e.current_grade) !== c.proposed_grade) continue;
      const [g] = await insertChunked(knex, 'grade_change', [{
        enterprise_id: c.enterprise_id, city_id: (await knex('enterprise').where({ id: c.enterprise_id }).first('city_id')).city_id, from_grade: e.current_grade, to_grade: c.proposed_grade,
        reason: 'FAILED_EMERGENCY_CUTS', note: `督查 ${c.id}: 未按清单落实减排措施`, decided_by: '市生态环境局', decided_at: decidedAt, ...stamp,
      }], ['id']);
      await knex('enterprise').where({ id: c.enterprise_id }).update({ current_grade: c.proposed_grade });
      await knex('measure_check').where({ id: c.id }).update({ proposal_status: 'ACCEPTED', grade_change_id: g!.id, version: 2 });
    }
  },
};
