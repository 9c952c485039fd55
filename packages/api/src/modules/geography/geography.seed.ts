import type { EntityManager } from '@mikro-orm/postgresql';
import { SEED_ACTOR } from '../../common/actor.js';
import { knexOf } from '../../common/sql.js';
import { PLAN_2023_2024 } from '../../seeders/plan/plan-2023-2024.js';

/** Loads the plan's regions, provinces and 56 cities; idempotent (matches on code / slug). */
export async function seedGeography(em: EntityManager): Promise<void> {
  const knex = knexOf(em);
  const actor = SEED_ACTOR.id;
  await knex('region')
    .insert(PLAN_2023_2024.regions.map((r) => ({ code: r.code, name_zh: r.nameZh, name_en: r.nameEn, created_by: actor, updated_by: actor })))
    .onConflict('code')
    .ignore();
  await knex('province')
    .insert(
      PLAN_2023_2024.provinces.map((p) => ({
        slug: p.slug,
        name_zh: p.nameZh,
        name_en: p.nameEn,
        division_code: p.divisionCode,
        created_by: actor,
        updated_by: actor,
      })),
    )
    .onConflict('slug')
    .ignore();
  const provinces: { id: number; slug: string }[] = await knex('province').select('id', 'slug');
  const provinceId = new Map(provinces.map((p) => [p.slug, p.id]));
  await knex('city')
    .insert(
      PLAN_2023_2024.cities.map((c, i) => ({
        slug: c.slug,
        name_zh: c.nameZh,
        name_en: c.nameEn,
        kind: c.kind,
        division_code: c.divisionCode,
        province_id: provinceId.get(c.province),
        region_code: c.region,
        plan_order: i + 1,
        created_by: actor,
        updated_by: actor,
      })),
    )
    .onConflict('slug')
    .ignore();
}
