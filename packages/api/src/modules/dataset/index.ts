import { DatasetResolver } from './dataset.resolver.js';

export const DATASET_RESOLVERS = [DatasetResolver];
