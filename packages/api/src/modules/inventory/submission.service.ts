import type { EntityManager } from '@mikro-orm/postgresql';
import { DataOrigin, type SubmissionKind, type SubmissionStatus } from '@airledger/schema';
import { forbidden, READS, requireRead, requireWriter } from '../../common/auth.js';
import { declaredPage } from '../../common/compiled/declared.js';
import { LedgerError, notFound, UserErrorCode } from '../../common/errors.js';
import { parseId } from '../../common/ids.js';
import type { Connection, PageArgs } from '../../common/pagination.js';
import { knexOf } from '../../common/sql.js';
import type { RequestContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { Province } from '../geography/geography.entity.js';
import { ACHIEVED_SQL, COUNTING_SQL } from '../target/target.progress.js';
import { campaignOrLatest } from '../target/target.service.js';
import { Submission } from './submission.entity.js';
import { SUBMISSION_READS } from './submission.reads.js';
import { snapshotSql, SUBMISSION_DEADLINES, submissionStatusSql } from './submission.rules.js';

/** One filing as SubmissionService.insert writes it. */
export interface SubmissionFiling {
  provinceId: number;
  campaignId: number;
  kind: SubmissionKind;
  deadline: string;
  filedAt: Date | null;
  filedBy: string;
  filedByName: string | null;
  note: string | null;
  origin: DataOrigin;
}
import type { FileSubmissionInput, ProvinceSubmissionStatus, SubmissionFilter, SubmissionOrder } from './submission.types.js';

/** The province's ($1) COAL_HOUSEHOLDS share achieved in the campaign ($2), as the target's progress counts it. */
const PROVINCE_COAL_HOUSEHOLDS = `coalesce((select (${ACHIEVED_SQL})::float8 from task_target t
    left join retrofit_project p on p.task_target_id = t.id and ${COUNTING_SQL} and p.city_id in (select c.id from city c where c.province_id = $1)
    where t.code = 'COAL_HOUSEHOLDS' and t.campaign_id = $2 group by t.id), 0)`;

function deadlines(campaign: Campaign, field: string): Readonly<Record<SubmissionKind, string>> {
  const d = SUBMISSION_DEADLINES[campaign.code];
  if (!d) throw LedgerError.of(field.split('.'), UserErrorCode.NOT_ALLOWED, `The campaign ${campaign.code} asks for no submissions.`);
  return d;
}

export class SubmissionService {
  static submissions(ctx: RequestContext, filter: SubmissionFilter | null, orderBy: SubmissionOrder | null, page: PageArgs): Promise<Connection<Submission>> {
    requireRead(ctx, READS.submissions);
    return declaredPage(ctx, [SUBMISSION_READS], 'submissions', { filter, orderBy, ...page });
  }

  static async submission(ctx: RequestContext, id: string): Promise<Submission> {
    requireRead(ctx, READS.submissions);
    const s = await ctx.loaders.byId(Submission).load(parseId(id, 'id'));
    if (!s) throw notFound('submission', 'id', id);
    return s;
  }

  static provinceOf(ctx: RequestContext, s: Submission): Promise<Province> {
    return ctx.loaders.byId(Province).load(s.provinceId) as Promise<Province>;
  }

  static campaignOf(ctx: RequestContext, s: Submission): Promise<Campaign> {
    return ctx.loaders.byId(Campaign).load(s.campaignId) as Promise<Campaign>;
  }

  /**
   * Files a submission: only a PROVINCE key of the province files it. The snapshot of the figures
   * it reports is computed and frozen in the same INSERT.
   */
  static async file(ctx: RequestContext, em: EntityManager, input: FileSubmissionInput): Promise<Submission> {
    requireWriter(ctx);
    const province = await em.findOne(Province, { slug: input.province });
    if (!province) throw notFound('province', 'input.province', input.province);
    if (ctx.actor.role !== 'PROVINCE' || ctx.actor.provinceId !== province.id) throw forbidden(`Only a PROVINCE key of ${province.nameEn} files its submissions.`);
    const campaign = await campaignOrLatest(em, input.campaign, 'input.campaign');
    const deadline = deadlines(campaign, 'input.campaign')[input.kind];
    if (input.note != null && input.note.length > 4000) throw LedgerError.of(['input', 'note'], UserErrorCode.OUT_OF_RANGE, 'A note has at most 4,000 characters.');
    const id = await SubmissionService.insert(em, {
      provinceId: province.id,
      campaignId: campaign.id,
      kind: input.kind,
      deadline,
      filedAt: null,
      filedBy: ctx.actor.id,
      filedByName: ctx.actor.name ?? null,
      note: input.note ?? null,
      origin: DataOrigin.RECORDED,
    });
    return (await em.findOne(Submission, { id }))!;
  }

  /**
   * Inserts one filing with its snapshot computed and frozen in the same INSERT (the snapshot's
   * `asOf` is the filing's time): what `file` writes after its checks, and what the demo
   * generator files for the provinces. `filedAt` null: now. Returns the new id.
   */
  static async insert(em: EntityManager, f: SubmissionFiling): Promise<number> {
    const snapshot = `jsonb_build_object('province', (select slug from province where id = $1), 'campaign', (select code from campaign where id = $2), 'asOf', filing.filed_at, 'figures', ${snapshotSql(f.kind, PROVINCE_COAL_HOUSEHOLDS)})`
      .replaceAll('$1', 'filing.province_id')
      .replaceAll('$2', 'filing.campaign_id');
    const { rows } = await knexOf(em).raw(
      `insert into submission (province_id, campaign_id, kind, deadline, filed_at, filed_by, filed_by_name, note, snapshot, origin)
       select filing.province_id, filing.campaign_id, ?, ?::date, filing.filed_at, ?, ?, ?, ${snapshot}, ? from (select ?::integer as province_id, ?::integer as campaign_id, coalesce(?::timestamptz, now())::timestamptz(3) as filed_at) filing returning id`,
      [f.kind, f.deadline, f.filedBy, f.filedByName, f.note, f.origin, f.provinceId, f.campaignId, f.filedAt ? f.filedAt.toISOString() : null],
    );
    return rows[0].id as number;
  }

  /** The figures a submission of `kind` reports for province `provinceId` in campaign `campaignId`, computed now (what filing now would freeze). */
  static async figuresNow(em: EntityManager, provinceId: number, campaignId: number, kind: SubmissionKind): Promise<unknown> {
    const sql = snapshotSql(kind, PROVINCE_COAL_HOUSEHOLDS).replaceAll('$1', 'f.province_id').replaceAll('$2', 'f.campaign_id');
    const { rows } = await knexOf(em).raw(`select ${sql} as figures from (select ?::integer as province_id, ?::integer as campaign_id) f`, [provinceId, campaignId]);
    return rows[0].figures;
  }

  /** ON_TIME / LATE / MISSING of every province and kind of a campaign, computed in one SQL statement. */
  static async statuses(ctx: RequestContext, campaignCode: string | null | undefined): Promise<ProvinceSubmissionStatus[]> {
    requireRead(ctx, READS.submissions);
    const campaign = await campaignOrLatest(ctx.em, campaignCode, 'campaign');
    const d = SUBMISSION_DEADLINES[campaign.code] ?? {};
    const kinds = Object.entries(d);
    if (!kinds.length) return [];
    const knex = knexOf(ctx.em);
    const rows: { province_id: number; kind: SubmissionKind; deadline: string; status: SubmissionStatus; first: Date | null; latest: number | null }[] = (
      await knex.raw(
        `select pr.id as province_id, k.kind, to_char(k.deadline, 'YYYY-MM-DD') as deadline,
                ${submissionStatusSql('min(s.filed_at)', 'k.deadline')} as status, min(s.filed_at) as first,
                (array_agg(s.id order by s.filed_at desc, s.id desc) filter (where s.id is not null))[1] as latest
           from province pr
           cross join unnest(?::text[], ?::date[]) with ordinality as k(kind, deadline, n)
           left join submission s on s.province_id = pr.id and s.kind = k.kind and s.campaign_id = ?
          where exists (select 1 from city c where c.province_id = pr.id)
          group by pr.id, k.kind, k.deadline, k.n
          order by (select min(c.plan_order) from city c where c.province_id = pr.id), pr.id, k.n`,
        [kinds.map(([k]) => k), kinds.map(([, v]) => v), campaign.id],
      )
    ).rows;
    const provinces = await ctx.loaders.byId(Province).loadMany(rows.map((r) => r.province_id));
    const latest = await ctx.loaders.byId(Submission).loadMany(rows.map((r) => r.latest ?? 0));
    return rows.map((r, i) => ({
      province: provinces[i] as Province,
      kind: r.kind,
      deadline: r.deadline,
      status: r.status,
      firstFiledAt: r.first === null ? null : new Date(r.first),
      latest: r.latest === null ? null : (latest[i] as Submission),
    }));
  }
}
