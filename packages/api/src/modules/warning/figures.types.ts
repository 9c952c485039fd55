import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EmissionPollutant, Industry, WarningFlagReason, WarningLevel } from '@airledger/schema';

registerEnumType(EmissionPollutant, {
  name: 'EmissionPollutant',
  description: 'A pollutant of the emission baselines of the emergency reduction lists.',
  valuesConfig: {
    SO2: { description: 'Sulphur dioxide.' },
    NOX: { description: 'Nitrogen oxides.' },
    PM: { description: 'Particulate matter.' },
    VOCS: { description: 'Volatile organic compounds.' },
  },
});

@ObjectType({ description: 'City-days on which a warning of a level was the most severe in force.' })
export class LevelDays {
  @Field(() => WarningLevel, { description: 'The level.' })
  level!: WarningLevel;

  @Field(() => Int, { description: 'City-days (China days of the campaign) on which it was the most severe level in force, summed over the cities.' })
  days!: number;
}

@ObjectType({ description: 'Warnings flagged with a reason.' })
export class FlagReasonCount {
  @Field(() => WarningFlagReason, { description: 'The reason.' })
  reason!: WarningFlagReason;

  @Field(() => Int, { description: 'Warnings of the campaign carrying it.' })
  count!: number;
}

@ObjectType({ description: 'Coverage of the emergency reduction lists in an industry.' })
export class IndustryCoverage {
  @Field(() => Industry, { description: 'The industry.' })
  industry!: Industry;

  @Field(() => Int, { description: 'Listed enterprises of the industry.' })
  listed!: number;

  @Field(() => Int, { description: 'Registered (air-polluting) enterprises of the industry.' })
  registered!: number;

  @Field(() => Float, { nullable: true, description: 'listed / registered; null without registered enterprises.' })
  rate!: number | null;
}

@ObjectType({ description: 'Planned reduction of a pollutant at a level: the sum of the entries\' cuts over the list\'s baseline, against the guidance.' })
export class PlannedReduction {
  @Field(() => WarningLevel, { description: 'The level.' })
  level!: WarningLevel;

  @Field(() => EmissionPollutant, { description: 'The pollutant.' })
  pollutant!: EmissionPollutant;

  @Field(() => Float, { description: 'Baseline of the listed enterprises, t/day.' })
  baselineTonnesPerDay!: number;

  @Field(() => Float, { description: 'Sum over the entries of baseline x cut percent, t/day.' })
  cutTonnesPerDay!: number;

  @Field(() => Float, { nullable: true, description: 'cut / baseline; null without baseline.' })
  share!: number | null;

  @Field(() => Float, { description: 'The guidance\'s share at this level: 0.1 YELLOW, 0.2 ORANGE, 0.3 RED.' })
  target!: number;

  @Field(() => Boolean, { nullable: true, description: 'Whether share >= target; null without baseline.' })
  meetsTarget!: boolean | null;
}

@ObjectType({ description: 'Figures of the emergency reduction lists of a place and campaign.' })
export class ReductionListFigures {
  @Field(() => Int, { description: 'Listed enterprises.' })
  listedEnterprises!: number;

  @Field(() => Int, { description: 'Registered (air-polluting) enterprises.' })
  registeredEnterprises!: number;

  @Field(() => Float, { nullable: true, description: 'listed / registered ("涉气企业全覆盖" asks 1); null without registered enterprises.' })
  coverageRate!: number | null;

  @Field(() => [IndustryCoverage], { description: 'Coverage by industry (industries with registered enterprises).' })
  coverageByIndustry!: IndustryCoverage[];

  @Field(() => [PlannedReduction], { description: 'Planned reduction at each level and pollutant (12 rows: YELLOW, ORANGE, RED x SO2, NOX, PM, VOCS).' })
  plannedReduction!: PlannedReduction[];
}

@ObjectType({ description: 'Figures of the measure checks of a place and campaign.' })
export class MeasureCheckFigures {
  @Field(() => Int, { description: 'Checks made during the campaign.' })
  checks!: number;

  @Field(() => Int, { description: 'Checks FAILED.' })
  failedChecks!: number;

  @Field(() => Float, { nullable: true, description: 'failed / checks; null without checks.' })
  failureRate!: number | null;

  @Field(() => Int, { description: 'Downgrades that followed (accepted FAILED_EMERGENCY_CUTS proposals).' })
  downgrades!: number;
}

@ObjectType({ description: 'Heavy-pollution response figures of a place (city, province, region or all cities) for a campaign, over the caller\'s cities, computed in SQL.' })
export class EmergencyFigures {
  @Field(() => [LevelDays], { description: 'Warning days by level (YELLOW, ORANGE, RED).' })
  warningDays!: LevelDays[];

  @Field(() => Int, { description: 'Heavy-or-worse pollution days observed (city-wide daily means, PM2.5 > 150 or AQI > 200), summed over the cities.' })
  heavyDays!: number;

  @Field(() => Int, { description: 'Of those, days with a warning in force.' })
  heavyDaysWithWarning!: number;

  @Field(() => Int, { description: 'Of those, days without a warning in force.' })
  heavyDaysWithoutWarning!: number;

  @Field(() => Int, { description: 'Warnings whose response started during the campaign.' })
  warnings!: number;

  @Field(() => Int, { description: 'Of those, warnings flagged (going further than their forecast, or not following their linkage).' })
  flaggedWarnings!: number;

  @Field(() => [FlagReasonCount], { description: 'Flagged warnings by reason (a warning may carry several).' })
  flaggedByReason!: FlagReasonCount[];

  @Field(() => ReductionListFigures, { nullable: true, description: 'Figures of the emergency reduction lists; null for callers without an API key.' })
  reductionLists!: ReductionListFigures | null;

  @Field(() => MeasureCheckFigures, { nullable: true, description: 'Figures of the measure checks; null for callers without an API key.' })
  measureChecks!: MeasureCheckFigures | null;
}
