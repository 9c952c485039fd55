import { CombustionUnit } from './combustion.entity.js';
import { CombustionUnitResolver, RetrofitProjectEliminatedUnitsResolver } from './combustion.resolver.js';

export const INVENTORY_ENTITIES = [CombustionUnit];
export const INVENTORY_RESOLVERS = [CombustionUnitResolver, RetrofitProjectEliminatedUnitsResolver];
export { CombustionUnit };
export { INVENTORY_READS } from './combustion.reads.js';
