import type { EntityManager } from '@mikro-orm/postgresql';
import type { Faker } from '@faker-js/faker';
import { DataOrigin, SubmissionKind } from '@airledger/schema';
import { knexOf } from '../../common/sql.js';
import { SEED_ACTOR } from '../../common/actor.js';
import type { DemoSeeder } from '../../seeders/index.js';
import { SUBMISSION_DEADLINES } from './submission.rules.js';
import { SubmissionService } from './submission.service.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Midnight (China time, UTC+8) starting the day `date`. */
const chinaMidnight = (date: string) => Date.parse(`${date}T00:00:00+08:00`);

const NOTE: Record<SubmissionKind, string> = {
  [SubmissionKind.COMBUSTION_UNITS]: '锅炉炉窑清单报送',
  [SubmissionKind.VILLAGE_CONVERSIONS]: '村级散煤改造清单报送',
  [SubmissionKind.BAN_ZONES]: '高污染燃料禁燃区划定情况报送',
  [SubmissionKind.CAMPAIGN_SUMMARY]: '秋冬季攻坚行动总结',
};

/**
 * The demo submissions (报送) of the provinces of the plan, filed through the service code that
 * freezes snapshots (SubmissionService.insert), so that each snapshot is what the figures of the
 * demo ledger give. For every province and every kind of the campaign's deadlines: about 60%
 * filed on time (1-20 days before the deadline, during office hours China time), 25% late (1-30
 * days after) and 15% missing; a few filings are followed by a corrected one a week or two
 * later. A filing carries the seed actor and the name of the province's environment department.
 * Runs last: the snapshots read the inventories of the other demo seeders.
 */
export const submissionDemoSeeder: DemoSeeder = {
  name: 'submission',
  async run(em: EntityManager, faker: Faker) {
    const knex = knexOf(em);
    const provinces: { id: number; name_zh: string }[] = await knex('province as p')
      .whereExists(knex('city as c').whereRaw('c.province_id = p.id'))
      .orderBy('p.id')
      .select('p.id', 'p.name_zh');
    for (const [code, deadlines] of Object.entries(SUBMISSION_DEADLINES)) {
      const campaign: { id: number } | undefined = await knex('campaign').where({ code }).first('id');
      if (!campaign) continue;
      for (const p of provinces) {
        for (const [kind, deadline] of Object.entries(deadlines) as [SubmissionKind, string][]) {
          const roll = faker.number.float({ min: 0, max: 1 });
          if (roll >= 0.85) continue; // missing
          const day = roll < 0.6 ? -faker.number.int({ min: 1, max: 20 }) : faker.number.int({ min: 1, max: 30 });
          const filedAt = new Date(chinaMidnight(deadline) + day * DAY + faker.number.int({ min: 9 * HOUR, max: 17 * HOUR }));
          const filing = {
            provinceId: p.id,
            campaignId: campaign.id,
            kind,
            deadline,
            filedBy: SEED_ACTOR.id,
            filedByName: `${p.name_zh}生态环境厅`,
            origin: DataOrigin.DEMO,
          };
          await SubmissionService.insert(em, { ...filing, filedAt, note: NOTE[kind] });
          if (faker.datatype.boolean(0.15)) {
            const corrected = new Date(filedAt.getTime() + faker.number.int({ min: 7, max: 14 }) * DAY);
            await SubmissionService.insert(em, { ...filing, filedAt: corrected, note: `${NOTE[kind]}（更正）` });
          }
        }
      }
    }
  },
};
