import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const FIELDS = `id level issuedAt effectiveFrom plannedEnd liftedAt authority flagReasons origin version
  city { slug } forecast { id } changes { kind level previousLevel effectiveAt plannedEnd previousPlannedEnd }`;
const ISSUE = `mutation($input: IssueWarningInput!) { issueWarning(input: $input) { warning { ${FIELDS} } userErrors { field code message } } }`;
const CHANGE = `mutation($input: ChangeWarningInput!) { changeWarning(input: $input) { warning { ${FIELDS} } userErrors { field code message } } }`;
const LIFT = `mutation($input: LiftWarningInput!) { liftWarning(input: $input) { warning { ${FIELDS} } userErrors { field code message } } }`;

/** Inserts a forecast of a city straight into the tables: one AQI per day from `firstDay`. */
async function insertForecast(city: string, issuedAt: string, firstDay: string, aqis: number[]): Promise<string> {
  const [row] = await app.sql<{ id: number; city_id: number }>(
    `insert into forecast (city_id, issued_at, source, origin, created_by, updated_by)
     select id, ?, 'CITY', 'RECORDED', 'test', 'test' from city where slug = ? returning id, city_id`,
    [issuedAt, city],
  );
  for (const [i, aqi] of aqis.entries()) {
    await app.sql(`insert into forecast_day (forecast_id, city_id, day, aqi, primary_pollutant) values (?, ?, (?::date + ?::int), ?, 'PM25')`, [row.id, row.city_id, firstDay, i, aqi]);
  }
  return String(row.id);
}

async function warningRows(city: string) {
  return app.sql<{ n: string }>(`select count(*) as n from warning w join city c on c.id = w.city_id where c.slug = ?`, [city]);
}

describe('warnings: issue, change, lift', () => {
  it('issues a warning on its forecast, raises, extends and lifts it as dated changes, in the audit trail too', async () => {
    const forecast = await insertForecast('baoding', '2023-12-09T08:00:00Z', '2023-12-10', [180, 230, 260, 240, 150]);
    const issued = (
      await app.data(ISSUE, {
        input: { city: 'baoding', level: 'YELLOW', issuedAt: '2023-12-09T10:00:00Z', effectiveFrom: '2023-12-10T00:00:00+08:00', plannedEnd: '2023-12-14T00:00:00+08:00', forecastId: forecast, authority: '保定市重污染天气应急指挥部' },
      })
    ).issueWarning;
    expect(issued.userErrors).toEqual([]);
    const w = issued.warning;
    expect(w).toMatchObject({ level: 'YELLOW', flagReasons: [], origin: 'RECORDED', version: 1, city: { slug: 'baoding' }, forecast: { id: forecast } });
    expect(w.changes.map((c: any) => c.kind)).toEqual(['ISSUED']);

    // A second warning of the same city while this one is open is refused, and writes nothing.
    const before = await warningRows('baoding');
    const second = (
      await app.data(ISSUE, { input: { city: 'baoding', level: 'RED', issuedAt: '2023-12-09T12:00:00Z', effectiveFrom: '2023-12-10T00:00:00+08:00', plannedEnd: '2023-12-12T00:00:00+08:00', authority: '保定市' } })
    ).issueWarning;
    expect(second.warning).toBeNull();
    expect(second.userErrors.map((e: any) => [e.field, e.code])).toEqual([[['input', 'city'], 'NOT_ALLOWED']]);
    expect(await warningRows('baoding')).toEqual(before);

    // Raising to ORANGE exceeds what the forecast implies (no day over 300): allowed, flagged.
    const raised = (await app.data(CHANGE, { input: { id: w.id, version: 1, level: 'ORANGE', effectiveAt: '2023-12-11T12:00:00+08:00' } })).changeWarning;
    expect(raised.userErrors).toEqual([]);
    expect(raised.warning).toMatchObject({ level: 'ORANGE', version: 2, flagReasons: ['LEVEL_ABOVE_FORECAST'] });
    expect(raised.warning.changes.map((c: any) => [c.kind, c.previousLevel, c.level])).toEqual([
      ['ISSUED', null, 'YELLOW'],
      ['RAISED', 'YELLOW', 'ORANGE'],
    ]);

    // A stale version is a CONFLICT.
    const stale = (await app.data(CHANGE, { input: { id: w.id, version: 1, level: 'YELLOW' } })).changeWarning;
    expect(stale.userErrors.map((e: any) => e.code)).toEqual(['CONFLICT']);

    // Lower back to YELLOW and extend to the 16th: beyond the last heavy forecast day (13th) + 1.
    const lowered = (
      await app.data(CHANGE, { input: { id: w.id, version: 2, level: 'YELLOW', plannedEnd: '2023-12-17T00:00:00+08:00', effectiveAt: '2023-12-12T08:00:00+08:00' } })
    ).changeWarning;
    expect(lowered.userErrors).toEqual([]);
    expect(lowered.warning.flagReasons).toEqual(['LONGER_THAN_FORECAST']);
    expect(lowered.warning.changes.map((c: any) => c.kind)).toEqual(['ISSUED', 'RAISED', 'LOWERED', 'EXTENDED']);

    // Lifting before the latest change is refused; after it, the warning closes.
    const early = (await app.data(LIFT, { input: { id: w.id, liftedAt: '2023-12-11T00:00:00+08:00' } })).liftWarning;
    expect(early.userErrors.map((e: any) => [e.field, e.code])).toEqual([[['input', 'liftedAt'], 'INVALID_DATE']]);
    const lifted = (await app.data(LIFT, { input: { id: w.id, version: 3, liftedAt: '2023-12-14T10:00:00+08:00' } })).liftWarning;
    expect(lifted.userErrors).toEqual([]);
    expect(lifted.warning.liftedAt).toBe('2023-12-14T02:00:00.000Z');
    expect(lifted.warning.changes.map((c: any) => c.kind)).toEqual(['ISSUED', 'RAISED', 'LOWERED', 'EXTENDED', 'LIFTED']);
    const relift = (await app.data(LIFT, { input: { id: w.id } })).liftWarning;
    expect(relift.userErrors.map((e: any) => e.code)).toEqual(['INVALID_TRANSITION']);

    // Every change is in the audit trail.
    const audit = await app.sql<{ entity: string; action: string; operation: string }>(
      `select entity, action, operation from audit_event where entity in ('Warning', 'WarningChange') and (entity_id = ? or after ->> 'warning_id' = ?) order by id`,
      [Number(w.id), w.id],
    );
    expect(audit.filter((a) => a.entity === 'WarningChange').map((a) => a.operation)).toEqual(['issueWarning', 'changeWarning', 'changeWarning', 'changeWarning', 'liftWarning']);
    expect(audit.filter((a) => a.entity === 'Warning').map((a) => a.action)).toEqual(['CREATE', 'UPDATE', 'UPDATE', 'UPDATE']);

    // Now a new warning can be issued.
    const again = (
      await app.data(ISSUE, { input: { city: 'baoding', level: 'RED', issuedAt: '2023-12-20T00:00:00Z', effectiveFrom: '2023-12-21T00:00:00+08:00', plannedEnd: '2023-12-22T00:00:00+08:00', authority: '保定市' } })
    ).issueWarning;
    expect(again.userErrors).toEqual([]);
    expect(again.warning.flagReasons).toEqual(['NO_FORECAST']);
  });

  it('refuses a forecast of another city and a CITY key writing for another city', async () => {
    const forecast = await insertForecast('tangshan', '2023-12-01T00:00:00Z', '2023-12-02', [250, 260]);
    const p = (
      await app.data(ISSUE, { input: { city: 'handan', level: 'YELLOW', issuedAt: '2023-12-01T10:00:00Z', effectiveFrom: '2023-12-02T00:00:00Z', plannedEnd: '2023-12-03T00:00:00Z', forecastId: forecast, authority: '邯郸市' } })
    ).issueWarning;
    expect(p.userErrors.map((e: any) => [e.field, e.code])).toEqual([[['input', 'forecastId'], 'NOT_ALLOWED']]);
    const key = await app.createKey({ role: 'CITY', city: 'tangshan' });
    const r = await app.as(key.secret).gql(ISSUE, { input: { city: 'handan', level: 'YELLOW', effectiveFrom: '2099-01-01T00:00:00Z', plannedEnd: '2099-01-02T00:00:00Z', authority: 'x' } });
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
