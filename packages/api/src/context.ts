import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { RequestLoaders } from './common/loaders.js';
import { ANONYMOUS_ACTOR, type Actor } from './common/actor.js';

/** What every resolver and service receives: the request's own EntityManager, loaders and actor. */
export interface RequestContext {
  em: EntityManager;
  loaders: RequestLoaders;
  actor: Actor;
}

export function createRequestContext(orm: MikroORM, actor: Actor = ANONYMOUS_ACTOR): RequestContext {
  const em = orm.em.fork();
  return { em, loaders: new RequestLoaders(em), actor };
}
