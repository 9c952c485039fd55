import { Faker, en, zh_CN } from '@faker-js/faker';

/**
 * The generator of the demo dataset: faker with Chinese names and places, seeded so that the
 * same seed always yields the same data. Each demo seeder gets its own generator, derived from
 * the dataset seed and the seeder's name, so adding one seeder does not change the others' data.
 */
export function demoFaker(seed: number, seederName: string): Faker {
  const faker = new Faker({ locale: [zh_CN, en] });
  let h = seed >>> 0;
  for (const ch of seederName) h = (Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0);
  faker.seed(h);
  return faker;
}

/** Picks from weighted choices: [[value, weight], ...]. */
export function weighted<T>(faker: Faker, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((s, [, w]) => s + w, 0);
  let r = faker.number.float({ min: 0, max: total });
  for (const [v, w] of choices) {
    r -= w;
    if (r <= 0) return v;
  }
  return choices[choices.length - 1][0];
}

/** Inserts rows in chunks (PostgreSQL allows at most 65,535 bind parameters per statement). */
export async function insertChunked(knex: import('@mikro-orm/postgresql').Knex, table: string, rows: Record<string, unknown>[], returning?: string[]): Promise<Record<string, unknown>[]> {
  if (!rows.length) return [];
  const perRow = Object.keys(rows[0]).length;
  const size = Math.max(1, Math.floor(60000 / perRow));
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += size) {
    const q = knex(table).insert(rows.slice(i, i + size));
    if (returning) out.push(...((await q.returning(returning)) as Record<string, unknown>[]));
    else await q;
  }
  return out;
}
