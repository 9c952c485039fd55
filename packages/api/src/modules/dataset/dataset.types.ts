import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'The generated demo data this ledger holds. Every demo record carries origin DEMO; reports, scorecards and progress computed over a ledger with demo data include demo figures.',
})
export class DemoDataset {
  @Field(() => Int, { description: 'Seed of the generator: the same seed always gives the same data.' })
  seed!: number;

  @Field(() => Date, { description: 'When the first part was generated.' })
  generatedAt!: Date;

  @Field(() => [String], { description: 'Parts generated (e.g. air-quality, enterprise, project, subsidy), by time of generation, then name.' })
  parts!: string[];
}
