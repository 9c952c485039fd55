import { requestKnex } from '../../common/pagination.js';
import type { RequestContext } from '../../context.js';
import type { DemoDataset } from './dataset.types.js';

export class DatasetService {
  /** The demo parts recorded by the demo seeders (table dataset_seed), or null when there are none. */
  static async demoDataset(ctx: RequestContext): Promise<DemoDataset | null> {
    const knex = requestKnex(ctx.em);
    const rows: { name: string; seed: number; seeded_at: string }[] = await knex('dataset_seed')
      .select('name', 'seed', knex.raw(`to_char(seeded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as seeded_at`))
      .where('name', 'like', 'demo:%')
      .orderBy([{ column: 'seeded_at' }, { column: 'name' }]);
    if (!rows.length) return null;
    return { seed: rows[0].seed, generatedAt: new Date(rows[0].seeded_at), parts: rows.map((r) => r.name.slice('demo:'.length)) };
  }
}
