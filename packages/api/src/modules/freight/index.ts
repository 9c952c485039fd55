import { FreightRecord } from './freight.entity.js';
import { FreightRecordResolver } from './freight.resolver.js';

export const FREIGHT_ENTITIES = [FreightRecord];
export const FREIGHT_RESOLVERS = [FreightRecordResolver];
export { FreightRecord };
export { FREIGHT_READS } from './freight.reads.js';
