import { Migration } from '@mikro-orm/migrations';

/**
 * API keys know the key that issued them, and idempotency records hold no secret.
 *
 * - `api_key.issuer_id`: the key that issued a key (null: command line or system), filled in for
 *   existing keys from `created_by` ("key:<id>"). A key works only while every key above it works
 *   (common/auth.ts authenticate), so existing keys are brought in line: a key whose issuer
 *   (transitively) is revoked is revoked too, and a key's expiry is capped at its issuers' earliest.
 * - `idempotency_key.response`: replays of createApiKey stored the new key's secret in clear; it
 *   is replaced by the marker of a withheld value (common/mutation.ts Unstored).
 */
export class Migration20261202000200KeyIssuers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "api_key" add column "issuer_id" integer references "api_key" ("id")`);
    this.addSql(`create index "api_key_issuer_id_index" on "api_key" ("issuer_id")`);
    this.addSql(`update "api_key" k set "issuer_id" = substr(k."created_by", 5)::integer
      where k."created_by" ~ '^key:[0-9]{1,9}$' and exists (select 1 from "api_key" p where p."id" = substr(k."created_by", 5)::integer and p."id" < k."id")`);
    // Issuers are older keys (p.id < k.id above), so the chains end; the depth bound is a guard.
    this.addSql(`with recursive chain as (
        select k."id" as key_id, k."issuer_id" as above, 1 as depth from "api_key" k where k."issuer_id" is not null
        union all
        select c.key_id, p."issuer_id", c.depth + 1 from chain c join "api_key" p on p."id" = c.above where p."issuer_id" is not null and c.depth < 32
      ), worst as (
        select c.key_id, min(p."expires_at") as expires_at, min(p."revoked_at") as revoked_at
        from chain c join "api_key" p on p."id" = c.above group by c.key_id
      )
      update "api_key" k set
        "expires_at" = case when w.expires_at is not null and (k."expires_at" is null or k."expires_at" > w.expires_at) then w.expires_at else k."expires_at" end,
        "revoked_at" = coalesce(k."revoked_at", w.revoked_at),
        "revoked_by" = coalesce(k."revoked_by", case when w.revoked_at is not null then 'system:issuer-revoked' end)
      from worst w
      where w.key_id = k."id"
        and ((w.expires_at is not null and (k."expires_at" is null or k."expires_at" > w.expires_at)) or (k."revoked_at" is null and w.revoked_at is not null))`);
    this.addSql(`update "idempotency_key" set "response" = jsonb_set("response", '{secret}', '{"$unstored": true}'::jsonb)
      where "operation" = 'createApiKey' and jsonb_typeof("response") = 'object' and jsonb_typeof("response" -> 'secret') = 'string'`);
  }
}
