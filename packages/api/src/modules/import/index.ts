import { ImportJobResolver } from './import.resolver.js';

export const IMPORT_RESOLVERS: Function[] = [ImportJobResolver];
export { registerImportRoutes } from './import.routes.js';
export { importFile, type ImportOutcome, type ImportRequest } from './import.service.js';
export { IMPORT_KINDS } from './import.kinds.js';

