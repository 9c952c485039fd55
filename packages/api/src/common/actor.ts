/**
 * Who is making a request. Every write records the actor's id (created_by / updated_by), which
 * is the "who" of the audit trail. Until API keys exist every caller is the anonymous actor.
 */
export interface Actor {
  /** Stable identifier written to created_by / updated_by. */
  id: string;
  /** Role of the actor. */
  role: 'ANONYMOUS' | 'SYSTEM';
}

export const ANONYMOUS_ACTOR: Actor = { id: 'anonymous', role: 'ANONYMOUS' };
export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'SYSTEM' };
export const SEED_ACTOR: Actor = { id: 'system:seed', role: 'SYSTEM' };
