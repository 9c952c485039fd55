import { CityAssessmentVerdict, Clue, ClueStep, EnforcementAction, FalsificationFinding, FraudListEntry, Inspection, SubsidyBlock, SupervisionRound } from './supervision.entity.js';
import {
  CityClueStatsResolver,
  ClueResolver,
  EnforcementActionResolver,
  EnterpriseCluesResolver,
  FalsificationFindingResolver,
  FraudListResolver,
  InspectionResolver,
  SupervisionRoundResolver,
} from './supervision.resolver.js';

export const SUPERVISION_ENTITIES = [SupervisionRound, Clue, ClueStep, EnforcementAction, FalsificationFinding, FraudListEntry, SubsidyBlock, CityAssessmentVerdict, Inspection];
export const SUPERVISION_RESOLVERS: Function[] = [
  SupervisionRoundResolver,
  ClueResolver,
  FalsificationFindingResolver,
  EnforcementActionResolver,
  FraudListResolver,
  InspectionResolver,
  EnterpriseCluesResolver,
  CityClueStatsResolver,
];
export { SupervisionRound, Clue, ClueStep, EnforcementAction, FalsificationFinding, FraudListEntry, SubsidyBlock, CityAssessmentVerdict, Inspection };
export { SupervisionService, subsidyBlockOf } from './supervision.service.js';
export { SUPERVISION_READS } from './supervision.reads.js';
