import { Migration } from '@mikro-orm/migrations';

/**
 * The approval chain of the protected class (保障类): the city government's consent, then the
 * province's review, then the filing with the Ministry, each with its day and who recorded it
 * (the actor of the key). protected_class stays the stage the chain has reached (what filters,
 * exports and the reduction-list rule read) and a check keeps it equal to the chain: no later
 * step without the earlier one, no step dated before the one it follows. Rows that already hold
 * a stage without dates get their record day and "migration" as the author of each step reached.
 */
export class Migration20261202185100ProtectedClassChain extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "enterprise"
      add column "protected_city_consented_on" date, add column "protected_city_consented_by" text,
      add column "protected_province_reviewed_on" date, add column "protected_province_reviewed_by" text,
      add column "protected_ministry_filed_on" date, add column "protected_ministry_filed_by" text`);
    this.addSql(`update "enterprise" set
      "protected_city_consented_on" = case when "protected_class" <> 'NONE' then "created_at"::date end,
      "protected_city_consented_by" = case when "protected_class" <> 'NONE' then 'migration' end,
      "protected_province_reviewed_on" = case when "protected_class" in ('PROVINCE_REVIEWED', 'MINISTRY_FILED') then "created_at"::date end,
      "protected_province_reviewed_by" = case when "protected_class" in ('PROVINCE_REVIEWED', 'MINISTRY_FILED') then 'migration' end,
      "protected_ministry_filed_on" = case when "protected_class" = 'MINISTRY_FILED' then "created_at"::date end,
      "protected_ministry_filed_by" = case when "protected_class" = 'MINISTRY_FILED' then 'migration' end
      where "protected_class" <> 'NONE'`);
    this.addSql(`alter table "enterprise" add constraint "enterprise_protected_chain_check" check (
      ("protected_city_consented_on" is null) = ("protected_city_consented_by" is null)
      and ("protected_province_reviewed_on" is null) = ("protected_province_reviewed_by" is null)
      and ("protected_ministry_filed_on" is null) = ("protected_ministry_filed_by" is null)
      and ("protected_province_reviewed_on" is null or "protected_province_reviewed_on" >= "protected_city_consented_on")
      and ("protected_ministry_filed_on" is null or "protected_ministry_filed_on" >= "protected_province_reviewed_on")
      and "protected_class" = case when "protected_ministry_filed_on" is not null then 'MINISTRY_FILED'
        when "protected_province_reviewed_on" is not null then 'PROVINCE_REVIEWED'
        when "protected_city_consented_on" is not null then 'CITY_CONSENTED' else 'NONE' end)`);
  }
}
