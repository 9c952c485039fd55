import { Migration } from '@mikro-orm/migrations';
import { LEDGER_COLUMNS_SQL } from '../common/base.entity.js';

const ORIGINS = `('PLAN', 'DEMO', 'RECORDED')`;

/** Daily air quality observations (city-wide means and station values) and outcome targets per city and campaign. */
export class Migration20261129000700AirQuality extends Migration {
  override async up(): Promise<void> {
    // Concentrations in ug/m3 except CO (mg/m3); o3 is the daily maximum 8-hour mean. The ranges
    // match the API's validation (air-quality.service.ts: OBSERVATION_LIMITS).
    this.addSql(`create table "air_quality_observation" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "observed_on" date not null,
      "station_code" text check ("station_code" ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$'),
      "pm25" numeric not null check ("pm25" >= 0 and "pm25" <= 2000),
      "pm10" numeric check ("pm10" >= 0 and "pm10" <= 2000),
      "o3" numeric check ("o3" >= 0 and "o3" <= 1000),
      "no2" numeric check ("no2" >= 0 and "no2" <= 1000),
      "so2" numeric check ("so2" >= 0 and "so2" <= 3000),
      "co" numeric check ("co" >= 0 and "co" <= 100),
      "aqi" integer check ("aqi" >= 0 and "aqi" <= 500),
      "origin" text not null check ("origin" in ${ORIGINS}))`);
    // One value per city, day and station; the city-wide mean has no station (null, coalesced to
    // '' which the station_code check forbids as a real code). It leads with city_id, so it is
    // also the index of the city key and of the city foreign key.
    this.addSql(`create unique index "air_quality_observation_city_day_station_unique"
      on "air_quality_observation" ("city_id", "observed_on", (coalesce("station_code", '')))`);
    this.addSql(`create index "air_quality_observation_observed_on_index" on "air_quality_observation" ("observed_on")`);

    this.addSql(`create table "outcome_target" (${LEDGER_COLUMNS_SQL},
      "city_id" integer not null references "city" ("id"),
      "campaign_id" integer not null references "campaign" ("id"),
      "pm25_target" numeric not null check ("pm25_target" > 0 and "pm25_target" <= 500),
      "heavy_days_target" integer not null check ("heavy_days_target" >= 0 and "heavy_days_target" <= 366),
      "annual_pm25_target" numeric check ("annual_pm25_target" > 0 and "annual_pm25_target" <= 500),
      "origin" text not null check ("origin" in ${ORIGINS}),
      "version" integer not null default 1,
      constraint "outcome_target_city_id_campaign_id_unique" unique ("city_id", "campaign_id"))`);
    // The unique constraint leads with city_id (index of the city key); campaign_id gets its own.
    this.addSql(`create index "outcome_target_campaign_id_index" on "outcome_target" ("campaign_id")`);
  }
}
