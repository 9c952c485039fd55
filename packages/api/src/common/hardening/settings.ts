import { loadConfig, type AppConfig } from '../../config.js';

/** The settings the hardening layer reads (see config.ts for their variables and defaults). */
export type HardeningConfig = Pick<
  AppConfig,
  | 'introspection'
  | 'fieldSuggestions'
  | 'maxDepth'
  | 'maxAliases'
  | 'maxCost'
  | 'maxTokens'
  | 'maxDirectives'
  | 'exposeLimits'
  | 'maxBodyBytes'
  | 'statementTimeoutMs'
  | 'rateLimit'
  | 'rateLimitPerMinute'
  | 'rateLimitAnonymousPerMinute'
  | 'trustProxy'
>;

const KEYS: (keyof HardeningConfig)[] = [
  'introspection',
  'fieldSuggestions',
  'maxDepth',
  'maxAliases',
  'maxCost',
  'maxTokens',
  'maxDirectives',
  'exposeLimits',
  'maxBodyBytes',
  'statementTimeoutMs',
  'rateLimit',
  'rateLimitPerMinute',
  'rateLimitAnonymousPerMinute',
  'trustProxy',
];

const resolved = new WeakMap<object, HardeningConfig>();

/**
 * The hardening settings of a createServer() call: what the caller passed, the rest from the
 * environment with the documented defaults (loadConfig), so callers that pass a partial config
 * (tests, benchmarks) get the same protections as `pnpm start`.
 */
export function hardeningConfig(config: Partial<AppConfig>): HardeningConfig {
  const cached = resolved.get(config);
  if (cached) return cached;
  const defaults = loadConfig(process.env);
  const out = {} as Record<keyof HardeningConfig, unknown>;
  for (const key of KEYS) out[key] = config[key] ?? defaults[key];
  resolved.set(config, out as HardeningConfig);
  return out as HardeningConfig;
}
