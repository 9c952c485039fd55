import { ApiKey } from './auth.entity.js';
import { ApiKeyResolver, ViewerResolver } from './auth.resolver.js';
import { DisbursementPrivacyResolver } from './privacy.resolver.js';

export const AUTH_ENTITIES = [ApiKey];
export const AUTH_RESOLVERS: Function[] = [ApiKeyResolver, ViewerResolver, DisbursementPrivacyResolver];
export { ApiKey, ApiKeyRole, ApiKeyStatus } from './auth.entity.js';
export { ApiKeyService } from './auth.service.js';
export { AUTH_READS } from './auth.reads.js';
