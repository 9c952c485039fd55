/**
 * Who is making a request. Every write records the actor's id (created_by / updated_by), which
 * is the "who" of the audit trail. Requests without an API key are the anonymous actor; requests
 * with a key act as that key (common/auth.ts).
 */
export interface Actor {
  /** Stable identifier written to created_by / updated_by: `key:<id>` for API keys. */
  id: string;
  /** Role of the actor. */
  role: 'ANONYMOUS' | 'SYSTEM' | 'MINISTRY' | 'PROVINCE' | 'CITY' | 'READ_ONLY';
  /** Id of the API key the request was made with; null for anonymous and system actors. */
  keyId?: number | null;
  /** Name of the key (who holds it). */
  name?: string;
  /** Province of a PROVINCE key (or of a READ_ONLY key scoped to a province). */
  provinceId?: number | null;
  /** City of a CITY key (or of a READ_ONLY key scoped to a city). */
  cityId?: number | null;
  /**
   * Cities whose city-scoped records the actor may read (and, when its role writes, change).
   * null or undefined: every city.
   */
  cityIds?: number[] | null;
}

export const ANONYMOUS_ACTOR: Actor = { id: 'anonymous', role: 'ANONYMOUS', keyId: null, cityIds: null };
export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'SYSTEM', keyId: null, cityIds: null };
export const SEED_ACTOR: Actor = { id: 'system:seed', role: 'SYSTEM', keyId: null, cityIds: null };
