import type { EntityManager } from '@mikro-orm/postgresql';
import { DataOrigin } from '@airledger/schema';
import { SEED_ACTOR } from '../../common/actor.js';
import { knexOf } from '../../common/sql.js';
import { PLAN_2023_2024 } from '../../seeders/plan/plan-2023-2024.js';

interface PlanTaskTarget {
  code: string;
  nameZh: string;
  nameEn: string;
  comparator: string;
  quantity: number | null;
  unit: string | null;
  deadline: string;
  deadlineNote?: string;
  scope: string;
  province?: string;
  city?: string;
  breakdown?: { province?: string; city?: string; quantity: number }[];
}

/**
 * Loads the plan's task targets and their provincial breakdown (origin PLAN); idempotent (matches
 * on campaign + code, and on target + place for the breakdown). Runs after seedCampaign.
 */
export async function seedTaskTargets(em: EntityManager): Promise<void> {
  const knex = knexOf(em);
  const actor = SEED_ACTOR.id;
  const campaign: { id: number } | undefined = await knex('campaign').where({ code: PLAN_2023_2024.campaign.code }).first('id');
  if (!campaign) throw new Error('seedTaskTargets runs after seedCampaign');
  const provinces = new Map<string, number>((await knex('province').select('id', 'slug')).map((p: { id: number; slug: string }) => [p.slug, p.id]));
  const cities = new Map<string, number>((await knex('city').select('id', 'slug')).map((c: { id: number; slug: string }) => [c.slug, c.id]));
  const place = (kind: 'province' | 'city', slug: string | undefined): number | null => {
    if (!slug) return null;
    const id = (kind === 'province' ? provinces : cities).get(slug);
    if (id === undefined) throw new Error(`Unknown ${kind} "${slug}" in the plan's task targets`);
    return id;
  };
  // Millisecond timestamps, so that cursors over created_at (kept to the millisecond) are exact.
  const createdAt = knex.raw(`date_trunc('milliseconds', now())`);
  const targets = PLAN_2023_2024.taskTargets as readonly PlanTaskTarget[];
  await knex('task_target')
    .insert(
      targets.map((t) => ({
        campaign_id: campaign.id,
        code: t.code,
        name_zh: t.nameZh,
        name_en: t.nameEn,
        comparator: t.comparator,
        quantity: t.quantity,
        unit: t.unit,
        deadline: t.deadline,
        deadline_note: t.deadlineNote ?? null,
        scope: t.scope,
        province_id: place('province', t.province),
        city_id: place('city', t.city),
        origin: DataOrigin.PLAN,
        created_at: createdAt,
        updated_at: createdAt,
        created_by: actor,
        updated_by: actor,
      })),
    )
    .onConflict(['campaign_id', 'code'])
    .ignore();
  const ids = new Map<string, number>(
    (await knex('task_target').where({ campaign_id: campaign.id }).select('id', 'code')).map((r: { id: number; code: string }) => [r.code, r.id]),
  );
  const shares = targets.flatMap((t) =>
    (t.breakdown ?? []).map((b) => ({
      task_target_id: ids.get(t.code),
      province_id: place('province', b.province),
      city_id: place('city', b.city),
      quantity: b.quantity,
      created_at: createdAt,
      updated_at: createdAt,
      created_by: actor,
      updated_by: actor,
    })),
  );
  if (shares.length) await knex('task_target_breakdown').insert(shares).onConflict().ignore();
}
