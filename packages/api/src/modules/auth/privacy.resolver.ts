import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { personalValue } from '../../common/privacy.js';
import type { RequestContext } from '../../context.js';
import { Disbursement } from '../subsidy/subsidy.entity.js';
import { HOUSEHOLD_PERSONAL_DATA } from '../subsidy/subsidy.reads.js';

/**
 * Personal data of household subsidy recipients: the name and identity number of the head of
 * the household are shown in full to the ministry and to the CITY keys of the paying city only;
 * every other caller gets them masked (张** and 1101**********123X). Declared once
 * (subsidy.reads.ts HOUSEHOLD_PERSONAL_DATA): the compiled lane and the exports mask in SQL, these
 * resolvers with the TypeScript twin of the same declaration.
 */
@Resolver(() => Disbursement)
export class DisbursementPrivacyResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Name of the head of the receiving household; null for enterprises. Personal data: masked (first character and "**", e.g. 张**) unless the caller is the ministry or the paying city.',
  })
  householdName(@Root() d: Disbursement, @Ctx() ctx: RequestContext) {
    return personalValue(HOUSEHOLD_PERSONAL_DATA.householdName, ctx.actor, d.cityId, d.householdName);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Resident identity number (18 characters, GB 11643) of the head of the receiving household; null for enterprises. Personal data: masked to the first and last four characters (1101**********123X) unless the caller is the ministry or the paying city.',
  })
  householdIdNumber(@Root() d: Disbursement, @Ctx() ctx: RequestContext) {
    return personalValue(HOUSEHOLD_PERSONAL_DATA.householdIdNumber, ctx.actor, d.cityId, d.householdIdNumber);
  }
}
