import type { EntityManager } from '@mikro-orm/postgresql';
import { DataOrigin } from '@airledger/schema';
import { SEED_ACTOR } from '../../common/actor.js';
import { knexOf } from '../../common/sql.js';
import { PLAN_2023_2024 } from '../../seeders/plan/plan-2023-2024.js';

/**
 * Each city's 2023-2024 heating season (the plan gives none: "采暖季前; the season's start date
 * varies by city"). The dates are the statutory heating periods of the cities' heat-supply rules
 * (供热条例/供热管理办法): 15 November to 15 March in Beijing, Tianjin, Hebei, Shandong, Henan,
 * Shaanxi and southern Shanxi (Yuncheng, Linfen, Jincheng); 1 November to 31 March in the colder
 * cities of central and eastern Shanxi (Taiyuan, Yangquan, Changzhi, Jinzhong, Lvliang). The
 * COAL_HOUSEHOLDS target counts a city's conversions put into use by its start.
 */
export const HEATING_SEASONS_2023: Readonly<Record<string, { startsOn: string; endsOn: string }>> = Object.fromEntries(
  ['taiyuan', 'yangquan', 'changzhi', 'jinzhong', 'lvliang'].map((slug) => [slug, { startsOn: '2023-11-01', endsOn: '2024-03-31' }]),
);
const DEFAULT_2023 = { startsOn: '2023-11-15', endsOn: '2024-03-15' };
const SOURCE = 'statutory heating period of the city (供热条例), 2023-2024';

/** Loads the heating seasons of the plan's campaign for every city (origin PLAN); idempotent (city + campaign): a season a city recorded or changed (recordHeatingSeason) is kept. */
export async function seedHeatingSeasons(em: EntityManager): Promise<void> {
  const knex = knexOf(em);
  const campaign: { id: number } | undefined = await knex('campaign').where({ code: PLAN_2023_2024.campaign.code }).first('id');
  if (!campaign) throw new Error('seedHeatingSeasons runs after seedCampaign');
  const cities: { id: number; slug: string }[] = await knex('city').orderBy('plan_order').select('id', 'slug');
  const rows = cities.map((c) => {
    const season = HEATING_SEASONS_2023[c.slug] ?? DEFAULT_2023;
    return { city_id: c.id, campaign_id: campaign.id, starts_on: season.startsOn, ends_on: season.endsOn, source: SOURCE, origin: DataOrigin.PLAN, created_by: SEED_ACTOR.id, updated_by: SEED_ACTOR.id };
  });
  if (rows.length) await knex('heating_season').insert(rows).onConflict(['city_id', 'campaign_id']).ignore();
}
