/**
 * Hardening of the HTTP API: operation limits (depth, aliases, directives, cost, tokens), request
 * body size, per-key rate limiting in PostgreSQL, statement timeouts as coded errors, field
 * suggestions toggle, and the readiness endpoint. Wired into server.ts by single lines; every
 * setting is in config.ts (README: "Limits and hardening").
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, RequestHandler } from 'express';
import proxyaddr from 'proxy-addr';
import type { ApolloServerPlugin } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../config.js';
import { jsonBody as jsonBodyFor } from './body.js';
import { hardeningParseOptions, limitsPlugin } from './limits.js';
import { applyRateLimit, PostgresRateLimitStore, type RateLimitStore } from './rate-limit.js';
import { registerReadiness } from './readiness.js';
import { hardeningConfig } from './settings.js';

export { HardeningErrorCode, isStatementTimeout, sendHttpError, STATEMENT_TIMEOUT_MESSAGE } from './errors.js';
export { operationCost, UNPAGINATED_LIST_ESTIMATE } from './cost.js';
export { checkReadiness } from './readiness.js';
export { PostgresRateLimitStore, rateLimitBucket, type RateLimitStore } from './rate-limit.js';
export { hardeningConfig, type HardeningConfig } from './settings.js';
export { armorRules as operationLimitRules, inputError } from './limits.js';
export { inputValueIssues, MaxLength, operationInputIssues, TEXT_LIMITS } from './inputs.js';

/** Apollo plugins: limits with status 400 and codes, token-limit code, suggestions toggle, statement timeout code. */
export function hardeningPlugins(config: Partial<AppConfig>): ApolloServerPlugin<any>[] {
  return [limitsPlugin(hardeningConfig(config))];
}

/** Options for the ApolloServer constructor: parser token limit. */
export function parseOptions(config: Partial<AppConfig>): { maxTokens?: number } {
  return hardeningParseOptions(hardeningConfig(config));
}

/** The JSON body parser of /graphql with the configured size limit and coded errors. */
export function jsonBody(config: Partial<AppConfig>): RequestHandler {
  return jsonBodyFor(hardeningConfig(config));
}

/**
 * Trust proxy and GET /readyz; returns the rate limiter, which the request hooks run for every
 * request before either GraphQL path (common/hooks/rate-limit.ts; true: go on, false: it
 * answered 429).
 */
export function registerHardening(
  app: Express,
  orm: MikroORM,
  config: Partial<AppConfig>,
  store: RateLimitStore = new PostgresRateLimitStore(orm),
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const settings = hardeningConfig(config);
  const log = (line: string) => console.warn(`[airledger] ${line}`);
  app.set('trust proxy', settings.trustProxy);
  registerReadiness(app, orm);
  // The client IP express would see (trust proxy).
  const trust = app.get('trust proxy fn') as Parameters<typeof proxyaddr>[1];
  return (req, res) => (settings.rateLimit ? applyRateLimit(req, res, proxyaddr(req, trust), settings, store, log) : Promise.resolve(true));
}
