export { registerExportRoutes } from './export.routes.js';
export { LIST_EXPORTS } from './export.lists.js';
export { REPORT_EXPORTS } from './export.service.js';
