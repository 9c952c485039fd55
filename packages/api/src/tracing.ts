/**
 * OpenTelemetry tracing (main.ts starts it when OTEL_EXPORTER_OTLP_ENDPOINT is set): spans of
 * HTTP requests, GraphQL parse/validate/execute (@opentelemetry/instrumentation-graphql; the
 * compiled lane has no GraphQL execution, its statement shows as a pg span of the request) and
 * every pg query (@opentelemetry/instrumentation-pg), sent over OTLP/HTTP (JSON) to
 * `<endpoint>/v1/traces`. OTEL_SERVICE_NAME (default airledger-api) and the other OTEL_*
 * variables of the SDK apply. The ESM loader hook of import-in-the-middle is registered first,
 * so that modules imported after it (the whole server) are instrumented.
 */
import { register } from 'node:module';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

let sdk: NodeSDK | null = null;

export async function startTracing(endpoint: string): Promise<void> {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  process.env.OTEL_SERVICE_NAME ??= 'airledger-api';
  sdk = new NodeSDK({
    traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
    instrumentations: [
      new HttpInstrumentation(),
      // Resolver spans would be one per field of a page: off; parse, validate and execute are kept.
      new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, depth: 0, mergeItems: true }),
      // Statement texts as sent (values are parameters, never in the text).
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();
}

/** Sends the spans still buffered (serve.ts calls it on shutdown). */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
  sdk = null;
}
