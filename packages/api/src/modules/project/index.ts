import { ProjectFunding, RetrofitProject } from './project.entity.js';
import {
  CityRetrofitProjectsResolver,
  EnterpriseRetrofitProjectsResolver,
  RetrofitProjectResolver,
  TaskTargetProjectsResolver,
} from './project.resolver.js';

export const PROJECT_ENTITIES = [RetrofitProject, ProjectFunding];
export const PROJECT_RESOLVERS = [RetrofitProjectResolver, EnterpriseRetrofitProjectsResolver, CityRetrofitProjectsResolver, TaskTargetProjectsResolver];
export { RetrofitProject, ProjectFunding };
export { RetrofitProjectService } from './project.service.js';
export { projectDemoSeeder } from './project.demo.js';
export { PROJECT_READS } from './project.reads.js';
