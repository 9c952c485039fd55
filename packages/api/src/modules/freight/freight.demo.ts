import type { EntityManager } from '@mikro-orm/postgresql';
import type { Faker } from '@faker-js/faker';
import { DataOrigin } from '@airledger/schema';
import { knexOf } from '../../common/sql.js';
import { SEED_ACTOR } from '../../common/actor.js';
import { insertChunked } from '../../seeders/demo-random.js';
import type { DemoSeeder } from '../../seeders/index.js';
import { FREIGHT_COUNTED_TARGETS } from '../target/target.progress.js';

/**
 * Shape of the Shuicao railway's months through a campaign (October first): the line's capacity
 * rising month by month ("运力不断提升"), a dip in February (the Spring Festival, fewer working
 * days), the highest month in March.
 */
const SHUICAO_SHAPE = [0.155, 0.16, 0.167, 0.172, 0.159, 0.187];

/** Another line of the same city, which carries freight that counts toward no target. */
const OTHER_RAILWAY = { name: '迁曹铁路', monthlyMin: 1_550_000, monthlyMax: 2_150_000 };

const SOURCE = '唐山市交通运输局铁路货运统计月报';

/** The months YYYY-MM from `from` to `to` (inclusive). */
function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > to) return out;
    out.push(month);
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
  }
}

/**
 * The demo monthly rail freight records: for each freight-counted target of each campaign (the
 * Shuicao railway of Tangshan, 水曹铁路), the tonnes carried in every month of the campaign up to
 * the deadline's month, shaped by SHUICAO_SHAPE with a little noise and summing to 101-104 % of
 * the target's quantity (the plan's 0.2亿吨 reached in March 2024, as the city reported it); and
 * the same months of another railway of the city (迁曹铁路), which count toward nothing.
 */
export const freightDemoSeeder: DemoSeeder = {
  name: 'freight',
  async run(em: EntityManager, faker: Faker) {
    const knex = knexOf(em);
    const actor = SEED_ACTOR.id;
    const targets: { code: string; city_id: number; quantity: number; from: string; to: string }[] = await knex('task_target as t')
      .join('campaign as k', 'k.id', 't.campaign_id')
      .whereIn('t.code', Object.keys(FREIGHT_COUNTED_TARGETS))
      .whereNotNull('t.city_id')
      .orderBy('t.id')
      .select('t.code', 't.city_id', knex.raw('t.quantity::float8 as quantity'), knex.raw(`to_char(k.period_start, 'YYYY-MM') as "from"`), knex.raw(`to_char(t.deadline, 'YYYY-MM') as "to"`));
    const rows: Record<string, unknown>[] = [];
    const base = { source: SOURCE, origin: DataOrigin.DEMO, created_by: actor, updated_by: actor };
    for (const t of targets) {
      const months = monthsBetween(t.from, t.to);
      const shape = months.map((_m, i) => SHUICAO_SHAPE[i % SHUICAO_SHAPE.length] * faker.number.float({ min: 0.985, max: 1.015 }));
      const total = t.quantity * faker.number.float({ min: 1.01, max: 1.04 });
      const sum = shape.reduce((a, b) => a + b, 0);
      const tonnes = shape.map((s) => Math.round((s / sum) * total));
      months.forEach((month, i) => {
        rows.push({ ...base, city_id: t.city_id, railway: FREIGHT_COUNTED_TARGETS[t.code].railway, month, tonnes: tonnes[i] });
        rows.push({ ...base, city_id: t.city_id, railway: OTHER_RAILWAY.name, month, tonnes: faker.number.int({ min: OTHER_RAILWAY.monthlyMin, max: OTHER_RAILWAY.monthlyMax }) });
      });
    }
    await insertChunked(knex, 'freight_record', rows);
  },
};
