import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Faker } from '@faker-js/faker';
import { knexOf } from '../common/sql.js';
import { seedGeography } from '../modules/geography/geography.seed.js';
import { seedCampaign } from '../modules/campaign/campaign.seed.js';
import { demoFaker } from './demo-random.js';
// @seeder-registry-imports

/** Loaders of the plan's own facts, in dependency order. Each is idempotent. */
const PLAN_SEEDERS: ((em: EntityManager) => Promise<void>)[] = [
  seedGeography,
  seedCampaign,
  // @plan-seeders
];

/** A generator of demo data. Every demo record carries origin DEMO. */
export interface DemoSeeder {
  name: string;
  run(em: EntityManager, faker: Faker): Promise<void>;
}

/** Generators of the demo dataset, in dependency order. */
const DEMO_SEEDERS: DemoSeeder[] = [
  // @demo-seeders
];

/** Loads the plan's data (regions, provinces, cities, campaign, task targets). Idempotent. */
export async function seedPlan(orm: MikroORM): Promise<void> {
  await orm.em.fork().transactional(async (em) => {
    for (const seed of PLAN_SEEDERS) await seed(em as EntityManager);
  });
}

/**
 * Generates the demo dataset from `seed` unless one was generated before. All or nothing: one
 * transaction. Returns whether it generated.
 */
export async function seedDemoIfEmpty(orm: MikroORM, seed: number): Promise<boolean> {
  return orm.em.fork().transactional(async (tem) => {
    const em = tem as EntityManager;
    const knex = knexOf(em);
    await knex.raw('lock table dataset_seed in exclusive mode');
    const done = await knex('dataset_seed').where({ name: 'demo' }).first();
    if (done) return false;
    for (const seeder of DEMO_SEEDERS) await seeder.run(em, demoFaker(seed, seeder.name));
    await knex('dataset_seed').insert({ name: 'demo', seed });
    return true;
  });
}
