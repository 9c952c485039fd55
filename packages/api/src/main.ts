/**
 * The server's entry point. Tracing, when OTEL_EXPORTER_OTLP_ENDPOINT is set, must start before
 * the modules it instruments (pg, graphql, http) are loaded, so the server itself (serve.ts) is
 * imported only after it. Without the endpoint nothing of OpenTelemetry is loaded.
 */
import { loadConfig } from './config.js';

let endpoint: string | undefined;
try {
  // Warnings (unknown AIRLEDGER_* variables) are printed here, once per process.
  endpoint = loadConfig(process.env).otlpEndpoint;
} catch {
  // serve.ts reads the settings again and reports what is wrong with them.
}
if (endpoint) await (await import('./tracing.js')).startTracing(endpoint);
await import('./serve.js');
