import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Faker } from '@faker-js/faker';
import { knexOf } from '../common/sql.js';
import { seedGeography } from '../modules/geography/geography.seed.js';
import { seedCampaign } from '../modules/campaign/campaign.seed.js';
import { demoFaker } from './demo-random.js';
import { airQualityDemoSeeder } from '../modules/air-quality/air-quality.demo.js';
import { seedTaskTargets } from '../modules/target/target.seed.js';
import { projectDemoSeeder } from '../modules/project/project.demo.js';
import { enterpriseDemoSeeder } from '../modules/enterprise/enterprise.demo.js';
import { subsidyDemoSeeder } from '../modules/subsidy/subsidy.demo.js';
import { supervisionDemoSeeder } from '../modules/supervision/supervision.demo.js';
import { warningDemoSeeder } from '../modules/warning/warning.demo.js';
import { combustionPlacesDemoSeeder, inventoryDemoSeeder } from '../modules/inventory/combustion.demo.js';
import { seedHeatingSeasons } from '../modules/inventory/heating-season.seed.js';
import { householdDemoSeeder } from '../modules/inventory/household.demo.js';
import { agricultureDemoSeeder } from '../modules/inventory/agriculture.demo.js';
import { freightDemoSeeder } from '../modules/freight/freight.demo.js';
import { submissionDemoSeeder } from '../modules/inventory/submission.demo.js';
// @seeder-registry-imports

/** Loaders of the plan's own facts, in dependency order. Each is idempotent. */
const PLAN_SEEDERS: ((em: EntityManager) => Promise<void>)[] = [
  seedGeography,
  seedCampaign,
  seedTaskTargets,
  seedHeatingSeasons, // after the campaign: each city's heating season (COAL_HOUSEHOLDS counts by its start)
  // @plan-seeders
];

/** A generator of demo data. Every demo record carries origin DEMO. */
export interface DemoSeeder {
  name: string;
  run(em: EntityManager, faker: Faker): Promise<void>;
}

/** Generators of the demo dataset, in dependency order. */
const DEMO_SEEDERS: DemoSeeder[] = [
  enterpriseDemoSeeder, // first: other demo data refers to enterprises
  projectDemoSeeder,
  subsidyDemoSeeder, // after enterprises: enterprise funds pay demo enterprises of the same city
  airQualityDemoSeeder,
  supervisionDemoSeeder, // after enterprises and their grade changes: falsifications add a grade change to D
  warningDemoSeeder, // after air quality (warnings follow the observed episodes) and supervision (downgrades after its grade changes)
  inventoryDemoSeeder, // after projects: the units each elimination project names
  householdDemoSeeder, // after projects: the villages each clean-heating project converted
  combustionPlacesDemoSeeder, // after the villages: the county, township or village each demo unit stands in
  agricultureDemoSeeder, // after the villages: agricultural coal facilities stand in them; ban zones
  freightDemoSeeder, // after the plan's targets: the monthly freight of the railways freight-counted targets name
  submissionDemoSeeder, // last: a submission's snapshot freezes the figures of the inventories and projects above
  // @demo-seeders
];

/** Loads the plan's data (regions, provinces, cities, campaign, task targets). Idempotent. */
export async function seedPlan(orm: MikroORM): Promise<void> {
  await orm.em.fork().transactional(async (em) => {
    for (const seed of PLAN_SEEDERS) await seed(em as EntityManager);
  });
}

/**
 * Generates the demo dataset from `seed`: runs every demo seeder that has not run on this
 * database yet (recorded in dataset_seed as `demo:<name>`), so that an upgrade adding a seeder
 * fills in just the new part. All or nothing: one transaction. Returns the seeders that ran.
 */
export async function seedDemoIfEmpty(orm: MikroORM, seed: number): Promise<string[]> {
  return orm.em.fork().transactional(async (tem) => {
    const em = tem as EntityManager;
    const knex = knexOf(em);
    await knex.raw('lock table dataset_seed in exclusive mode');
    const done = new Set((await knex('dataset_seed').select('name')).map((r: { name: string }) => r.name));
    const ran: string[] = [];
    for (const seeder of DEMO_SEEDERS) {
      const marker = `demo:${seeder.name}`;
      if (done.has(marker)) continue;
      await seeder.run(em, demoFaker(seed, seeder.name));
      await knex('dataset_seed').insert({ name: marker, seed });
      ran.push(seeder.name);
    }
    return ran;
  });
}
