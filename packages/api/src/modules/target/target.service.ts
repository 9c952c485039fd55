import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { TargetComparator } from '@airledger/schema';
import { notFound } from '../../common/errors.js';
import { declaredPage, declaredRootQuery, type DeclaredQuery } from '../../common/compiled/declared.js';
import type { Connection, PageArgs } from '../../common/pagination.js';
import { knexOf } from '../../common/sql.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { requireCampaign } from '../campaign/campaign.service.js';
import { City, Province } from '../geography/geography.entity.js';
import { TaskTarget, TaskTargetBreakdown } from './target.entity.js';
import { ACHIEVED_SQL, COUNTING_SQL, evaluateProgress, type Progress } from './target.progress.js';
import { TARGET_READS } from './target.reads.js';
import type { TaskTargetFilter, TaskTargetOrder } from './target.types.js';

/** The campaign with the latest start: the default campaign of task target look-ups. */
export async function latestCampaign(em: EntityManager): Promise<Campaign | null> {
  const [latest] = await em.find(Campaign, { id: { $gt: 0 } }, { orderBy: { periodStart: 'desc', id: 'desc' }, limit: 1 });
  return latest ?? null;
}

/** The campaign of `code`, or the latest campaign when code is omitted; NOT_FOUND naming `field`. */
export async function campaignOrLatest(em: EntityManager, code: string | null | undefined, field: string): Promise<Campaign> {
  if (code !== null && code !== undefined) return requireCampaign(em, code, field);
  const c = await latestCampaign(em);
  if (!c) throw notFound('campaign', field, '(latest)');
  return c;
}

/**
 * Looks up a task target by code within a campaign (default: the latest campaign), or throws
 * NOT_FOUND naming `field` (the campaign is named by `campaignField`).
 */
export async function requireTaskTarget(em: EntityManager, code: string, campaign: string | null | undefined, field: string, campaignField: string): Promise<TaskTarget> {
  const c = await campaignOrLatest(em, campaign, campaignField);
  const target = await em.findOne(TaskTarget, { campaignId: c.id, code });
  if (!target) throw notFound('task target', field, code);
  return target;
}

interface AchievedRow {
  id: number;
  counted: number;
  achieved: number;
}

/** Join condition of the projects `p` that count toward the target `t` (see target.progress.ts). */
export function countingJoin(knex: Knex): (this: Knex.JoinClause) => void {
  return function (this: Knex.JoinClause) {
    this.on('p.task_target_id', '=', 't.id').andOn(knex.raw(COUNTING_SQL));
  };
}

/** The conditions and sort of the task targets collection (exports): its declaration (target.reads.ts) on alias `t`. */
export function taskTargetListQuery(ctx: RequestContext, filter: TaskTargetFilter | null | undefined, order: TaskTargetOrder | null | undefined, t = 't'): Promise<DeclaredQuery> {
  return declaredRootQuery(ctx, [TARGET_READS], 'taskTargets', { filter, orderBy: order }, t);
}

export class TaskTargetService {
  static taskTargets(ctx: RequestContext, filter: TaskTargetFilter | null | undefined, orderBy: TaskTargetOrder | null | undefined, page: PageArgs): Promise<Connection<TaskTarget>> {
    return declaredPage(ctx, [TARGET_READS], 'taskTargets', { filter, orderBy, ...page });
  }

  static async taskTarget(ctx: RequestContext, code: string, campaign: string | null | undefined): Promise<TaskTarget> {
    return requireTaskTarget(ctx.em, code, campaign, 'code', 'campaign');
  }

  /** Task targets of a campaign, in the plan's order (batched over campaigns). */
  static targetsOfCampaign(ctx: RequestContext, campaignId: number): Promise<TaskTarget[]> {
    return ctx.loaders.manyBy(TaskTarget, 'campaignId').load(campaignId);
  }

  static targetById(ctx: RequestContext, id: number): Promise<TaskTarget | null> {
    return ctx.loaders.byId(TaskTarget).load(id);
  }

  static campaignOf(ctx: RequestContext, target: TaskTarget): Promise<Campaign> {
    return ctx.loaders.byId(Campaign).load(target.campaignId) as Promise<Campaign>;
  }

  static provinceOf(ctx: RequestContext, provinceId: number | null): Promise<Province | null> {
    return provinceId === null ? Promise.resolve(null) : ctx.loaders.byId(Province).load(provinceId);
  }

  static cityOf(ctx: RequestContext, cityId: number | null): Promise<City | null> {
    return cityId === null ? Promise.resolve(null) : ctx.loaders.byId(City).load(cityId);
  }

  /** The breakdown of a target (batched: one statement for every target of the request). */
  static breakdownOf(ctx: RequestContext, target: TaskTarget): Promise<TaskTargetBreakdown[]> {
    return ctx.loaders.manyBy(TaskTargetBreakdown, 'taskTargetId').load(target.id);
  }

  /** Progress of a target: one grouped statement for every target of the request. */
  static async progressOf(ctx: RequestContext, target: TaskTarget): Promise<Progress> {
    const row = await ctx.loaders
      .custom<number, AchievedRow | undefined>('taskTargetProgress', async (ids) => {
        const knex = knexOf(ctx.em);
        const rows: AchievedRow[] = await knex('task_target as t')
          .leftJoin('retrofit_project as p', countingJoin(knex))
          .whereIn('t.id', [...ids])
          .groupBy('t.id', 't.unit')
          .select('t.id', knex.raw('count(p.id)::int as counted'), knex.raw(`(${ACHIEVED_SQL})::float8 as achieved`));
        const map = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => map.get(id));
      })
      .load(target.id);
    return evaluateProgress(target.comparator, target.quantity, row?.achieved ?? 0, row?.counted ?? 0);
  }

  /**
   * Progress of one share of a breakdown: the counting projects of its target located in the
   * share's city, or in a city of the share's province. One statement for every share of the request.
   */
  static async breakdownProgressOf(ctx: RequestContext, share: TaskTargetBreakdown): Promise<Progress> {
    const row = await ctx.loaders
      .custom<number, (AchievedRow & { comparator: TargetComparator }) | undefined>('taskTargetBreakdownProgress', async (ids) => {
        const knex = knexOf(ctx.em);
        // One aggregate per share (LATERAL): PostgreSQL then reads each share's counting projects
        // by index, instead of testing the place condition on every pair of share and project.
        const rows: (AchievedRow & { comparator: TargetComparator })[] = (
          await knex.raw(
            `select b.id, t.comparator, a.counted, a.achieved
               from task_target_breakdown b join task_target t on t.id = b.task_target_id
               cross join lateral (
                 select count(p.id)::int as counted, (${ACHIEVED_SQL})::float8 as achieved
                   from retrofit_project p
                  where p.task_target_id = t.id and ${COUNTING_SQL}
                    and p.city_id in (select c.id from city c where case when b.city_id is not null then c.id = b.city_id else c.province_id = b.province_id end)
               ) a
              where b.id = any(?::int[])`,
            [[...ids] as never],
          )
        ).rows;
        const map = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => map.get(id));
      })
      .load(share.id);
    if (!row) throw new Error(`No breakdown share ${share.id}`);
    return evaluateProgress(row.comparator, share.quantity, row.achieved, row.counted);
  }
}
