/**
 * `warningChanged`: enterprise and city systems hear of a warning the moment it is issued, raised,
 * lowered, extended or lifted. Every committed change of `warning_change` notifies the channel
 * airledger_warning (trigger of Migration20261202120300WarningNotify), which every API process
 * listens on (common/notifications.ts); each subscriber then reads the warning through the normal
 * read path with its own key, so that a CITY key hears only its city and fields mean what they
 * mean in queries.
 */
import { Arg, Field, InputType, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import { RegionCode, WarningChangeKind, WarningLevel } from '@airledger/schema';
import type { MikroORM } from '@mikro-orm/postgresql';
import { inScope } from '../../common/auth.js';
import { LedgerError, UserErrorCode } from '../../common/errors.js';
import { RequestLoaders } from '../../common/loaders.js';
import { boundedQueue, type NotificationChannel } from '../../common/notifications.js';
import type { RequestContext } from '../../context.js';
import { Warning } from './warning.entity.js';
import { WarningService } from './warning.service.js';

/** The channel of warning changes. */
export const WARNING_CHANNEL = 'airledger_warning';
/** Events kept for a subscriber that does not keep up (older ones are dropped). */
const QUEUE_LIMIT = 100;

/** What a process needs to serve subscriptions (server.ts). */
export interface LiveContext {
  orm: MikroORM;
  warnings: NotificationChannel;
}

@InputType({ description: 'Which warning changes a subscriber hears. Conditions are combined with AND; none: every change the key may read.' })
export class WarningChangedFilter {
  @Field(() => String, { nullable: true, description: 'Only warnings of this city (slug).' })
  city?: string | null;

  @Field(() => String, { nullable: true, description: 'Only warnings of the cities of this province (slug).' })
  province?: string | null;

  @Field(() => RegionCode, { nullable: true, description: 'Only warnings of the cities of this key region.' })
  region?: RegionCode | null;

  @Field(() => [WarningLevel], { nullable: true, description: 'Only changes after which the warning is at one of these levels.' })
  levels?: WarningLevel[] | null;
}

@ObjectType({ description: 'A change of a heavy-pollution warning, as it was committed.' })
export class WarningChangedEvent {
  @Field(() => WarningChangeKind, { description: 'What happened: ISSUED, RAISED, LOWERED, EXTENDED or LIFTED.' })
  kind!: WarningChangeKind;

  @Field(() => Warning, { description: 'The warning after the change.' })
  warning!: Warning;
}

interface Notification {
  warningId: number;
  cityId: number;
  kind: WarningChangeKind;
}

/** The cities a filter names (null: any), or NOT_FOUND naming the field. */
async function filterCities(ctx: RequestContext, filter: WarningChangedFilter | null | undefined): Promise<Set<number> | null> {
  if (!filter || (!filter.city && !filter.province && !filter.region)) return null;
  const knex = ctx.em.getKnex();
  let ids: number[] | null = null;
  const keep = (rows: { id: number }[]) => {
    const found = rows.map((r) => r.id);
    ids = ids === null ? found : ids.filter((id) => found.includes(id));
  };
  if (filter.city) {
    const { rows } = await knex.raw('select id from city where slug = ?', [filter.city]);
    if (!rows.length) throw LedgerError.of('filter.city', UserErrorCode.NOT_FOUND, `No city with slug "${filter.city}".`);
    keep(rows);
  }
  if (filter.province) {
    const { rows } = await knex.raw('select c.id from city c join province p on p.id = c.province_id where p.slug = ?', [filter.province]);
    if (!rows.length) throw LedgerError.of('filter.province', UserErrorCode.NOT_FOUND, `No province with slug "${filter.province}".`);
    keep(rows);
  }
  if (filter.region) keep((await knex.raw('select id from city where region_code = ?', [filter.region])).rows);
  return new Set(ids ?? []);
}

/** The events of one subscription, read with the subscriber's key. */
export async function warningEvents(ctx: RequestContext, filter: WarningChangedFilter | null | undefined): Promise<AsyncIterableIterator<WarningChangedEvent>> {
  const live = ctx.live;
  if (!live) throw new Error('Subscriptions are served over WebSocket only');
  const cities = await filterCities(ctx, filter);
  let unsubscribe = () => {};
  const queue = boundedQueue<Notification>(QUEUE_LIMIT, () => unsubscribe());
  unsubscribe = await live.warnings.subscribe((payload) => {
    try {
      const n = JSON.parse(payload) as Notification;
      // Cheap checks first: another city's change never costs this subscriber a query.
      if (!inScope(ctx, n.cityId) || (cities && !cities.has(n.cityId))) return;
      queue.push(n);
    } catch {
      /* not a notification of this channel's shape */
    }
  });
  async function* events(): AsyncGenerator<WarningChangedEvent> {
    for await (const n of queue.iterator) {
      // Each event is read afresh (a new EntityManager and loaders): nothing is cached across events.
      ctx.em = live!.orm.em.fork();
      ctx.loaders = new RequestLoaders(ctx.em);
      let warning: Warning;
      try {
        warning = await WarningService.warning(ctx, n.warningId);
      } catch {
        continue; // gone, or not readable with this key
      }
      if (filter?.levels?.length && !filter.levels.includes(warning.level as WarningLevel)) continue;
      yield { kind: n.kind, warning };
    }
  }
  const gen = events();
  const iterator: AsyncIterableIterator<WarningChangedEvent> = {
    next: () => gen.next(),
    // Ends the wait for the next notification at once, then the generator.
    return: async () => {
      await queue.iterator.return!();
      return gen.return(undefined);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

@Resolver()
export class WarningSubscriptionResolver {
  @Subscription(() => WarningChangedEvent, {
    description:
      'Changes of heavy-pollution warnings as they are committed (issued, raised, lowered, extended, lifted), over WebSocket (graphql-ws, path /graphql), for the warnings the key may read: a CITY key hears its city only.',
    subscribe: ({ args, context }) => warningEvents(context as RequestContext, (args as { filter?: WarningChangedFilter }).filter),
  })
  warningChanged(
    @Root() event: WarningChangedEvent,
    @Arg('filter', () => WarningChangedFilter, { nullable: true, description: 'Which changes to hear.' }) _filter: WarningChangedFilter | null,
  ): WarningChangedEvent {
    return event;
  }
}
