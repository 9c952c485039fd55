import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';

/**
 * Apollo plugins of the read path's speed (see bench/RESULTS.md):
 * - cache control is off: the API sends no cache hints, and the plugin's per-field hook made
 *   Apollo wrap every field of every query (a promise and a hook call per field).
 */
export function speedPlugins(): ApolloServerPlugin[] {
  return [ApolloServerPluginCacheControlDisabled()];
}
