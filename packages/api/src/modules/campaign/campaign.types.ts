import { ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/pagination.js';
import { Campaign } from './campaign.entity.js';

@ObjectType({ description: 'A page of campaigns.' })
export class CampaignConnection extends ConnectionType(Campaign) {}
