import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

/** Where an import stands. */
export enum ImportJobStatus {
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  REFUSED = 'REFUSED',
  VALIDATED = 'VALIDATED',
  DUPLICATE = 'DUPLICATE',
  INTERRUPTED = 'INTERRUPTED',
}
registerEnumType(ImportJobStatus, {
  name: 'ImportJobStatus',
  description: 'Where an import of a ledger file stands.',
  valuesConfig: {
    RUNNING: { description: 'Reading and writing rows; nothing is visible to others until it succeeds.' },
    SUCCEEDED: { description: 'Every valid row was written (with skipInvalid, refused rows were skipped), in one transaction.' },
    FAILED: { description: 'Nothing was written: rows were refused (see the rejects), or the file could not be read (see the message).' },
    REFUSED: { description: 'Nothing was written: a row belongs to a city the key may not change.' },
    VALIDATED: { description: 'A dry run: the rows were checked and nothing was written.' },
    DUPLICATE: { description: 'The same file (by SHA-256) of this kind was imported already; nothing was written.' },
    INTERRUPTED: { description: 'The server stopped during the import; its transaction was rolled back, nothing was written.' },
  },
});

@ObjectType({ description: 'An import of a ledger file (POST /imports/<kind> or `ledger import`): its progress, counts and outcome.' })
export class ImportJob {
  @Field(() => ID, { description: 'Unique identifier.' })
  id!: string;

  @Field(() => String, { description: 'What was imported: enterprises, grade-changes, retrofit-projects, combustion-units, household-conversions, reduction-list-entries, disbursements or air-quality-observations.' })
  kind!: string;

  @Field(() => String, { description: 'File format: csv or xlsx.' })
  format!: string;

  @Field(() => String, { description: 'Name of the file as given by the caller.' })
  fileName!: string;

  @Field(() => String, { description: 'SHA-256 of the file (hex): the same file of a kind is written once.' })
  fileHash!: string;

  @Field(() => Float, { description: 'Size of the file in bytes.' })
  fileBytes!: number;

  @Field(() => Boolean, { description: 'Whether it was a dry run (checked, never written).' })
  dryRun!: boolean;

  @Field(() => Boolean, { description: 'Whether refused rows were skipped (otherwise one refused row stops the whole import).' })
  skipInvalid!: boolean;

  @Field(() => ImportJobStatus, { description: 'Where the import stands.' })
  status!: string;

  @Field(() => Int, { description: 'Data rows read so far (the header not counted).' })
  rowsRead!: number;

  @Field(() => Int, { description: 'Rows that passed every rule so far.' })
  rowsValid!: number;

  @Field(() => Int, { description: 'Rows refused so far.' })
  rowsRejected!: number;

  @Field(() => Int, { description: 'Rows the import has written so far (visible to others only once it SUCCEEDED); 0 for every other final status: nothing of theirs was kept.' })
  rowsWritten!: number;

  @Field(() => Float, { description: 'Share of the file read, 0 to 1.' })
  progress!: number;

  @Field(() => String, { nullable: true, description: 'What happened, in words (why nothing was written, which columns were not imported).' })
  message!: string | null;

  @Field(() => ID, { nullable: true, description: 'For a DUPLICATE: the import that wrote this file.' })
  duplicateOf!: string | null;

  @Field(() => String, { description: 'Who started it ("key:<id>", or "system:cli").' })
  createdBy!: string;

  @Field(() => Date, { description: 'When it started.' })
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it ended; null while running.' })
  finishedAt!: Date | null;

  @Field(() => String, { nullable: true, description: `Path of the CSV of refused rows (each row as read, with the column and reason; the first 1000 are kept), or null when none were refused.` })
  rejectsUrl!: string | null;
}
