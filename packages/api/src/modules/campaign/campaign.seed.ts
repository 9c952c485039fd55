import type { EntityManager } from '@mikro-orm/postgresql';
import { DataOrigin } from '@airledger/schema';
import { SEED_ACTOR } from '../../common/actor.js';
import { knexOf } from '../../common/sql.js';
import { PLAN_2023_2024 } from '../../seeders/plan/plan-2023-2024.js';

/** Loads the plan's campaign; idempotent (matches on code). */
export async function seedCampaign(em: EntityManager): Promise<void> {
  const c = PLAN_2023_2024.campaign;
  await knexOf(em)('campaign')
    .insert({
      code: c.code,
      name_zh: c.nameZh,
      name_en: 'Jing-Jin-Ji and surrounding areas and Fenwei Plain 2023-2024 autumn-winter air pollution campaign',
      period_start: c.periodStart,
      period_end: c.periodEnd,
      origin: DataOrigin.PLAN,
      created_by: SEED_ACTOR.id,
      updated_by: SEED_ACTOR.id,
    })
    .onConflict('code')
    .ignore();
}
