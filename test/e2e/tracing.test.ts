/**
 * OpenTelemetry tracing of the real server process (packages/api/dist/main.js) with
 * OTEL_EXPORTER_OTLP_ENDPOINT set to an OTLP/HTTP receiver run by this test: a request answered
 * by the resolvers and one answered by the compiled lane arrive as spans (HTTP server, GraphQL
 * execution, pg queries); without the setting nothing is sent.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureDatabase } from '../../packages/api/src/db/database.js';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../packages/api/dist/main.js');

interface Span {
  name: string;
  kind: number;
  traceId: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** A local OTLP/HTTP receiver: the spans of every POST /v1/traces (OTLP JSON). */
async function receiver(): Promise<{ url: string; spans: Span[]; requests: number; close(): Promise<void> }> {
  const state = { spans: [] as Span[], requests: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        state.requests++;
        const parsed = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: Span[] }[] }[] };
        for (const rs of parsed.resourceSpans) for (const ss of rs.scopeSpans) state.spans.push(...ss.spans);
      }
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get spans() {
      return state.spans;
    },
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function startApi(env: Record<string, string>): { child: ChildProcess; ready: Promise<void>; output: () => string; stop(): Promise<void> } {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AIRLEDGER_SEED_DEMO: 'false', AIRLEDGER_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const check = (c: Buffer) => {
      out += c.toString();
      if (/GraphQL API ready/.test(out)) resolve();
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  return {
    child,
    ready,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

let databaseUrl: string;
beforeAll(async () => {
  expect(fs.existsSync(MAIN), 'the API is built').toBe(true);
  databaseUrl = await ensureDatabase(inject('adminUrl'), `airledger_test_${process.pid}_tracing`, inject('templateDb'));
});

const attr = (span: Span, key: string) => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v ? Object.values(v)[0] : undefined;
};

describe('OpenTelemetry tracing', () => {
  let otlp: Awaited<ReturnType<typeof receiver>>;
  afterAll(async () => otlp?.close());

  it('sends HTTP, GraphQL and pg spans of both paths to OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    otlp = await receiver();
    const port = await freePort();
    // The info level: the start-up line "GraphQL API ready" is awaited.
    const api = startApi({ DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_BSP_SCHEDULE_DELAY: '100', AIRLEDGER_LOG_LEVEL: 'info' });
    try {
      await api.ready;
      const url = `http://127.0.0.1:${port}/graphql`;
      const post = async (query: string) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json();
      // Resolvers (City.outcomeTarget is not compiled) and the compiled lane.
      expect((await post(`query OutcomeTarget { cities(first: 1) { nodes { slug outcomeTarget(campaign: "2023-2024-autumn-winter") { pm25Target } } } }`)).errors).toBeUndefined();
      expect((await post(`query CitiesPage { cities(first: 2) { nodes { slug } } }`)).data.cities.nodes).toHaveLength(2);
      await expect.poll(() => otlp.spans.filter((s) => attr(s, 'url.path') === '/graphql' || attr(s, 'http.target') === '/graphql').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      await expect.poll(() => otlp.spans.some((s) => s.name.startsWith('query OutcomeTarget') || attr(s, 'graphql.operation.name') === 'OutcomeTarget'), { timeout: 20_000 }).toBe(true);

      const pg = otlp.spans.filter((s) => attr(s, 'db.system') === 'postgresql' || attr(s, 'db.system.name') === 'postgresql');
      expect(pg.length, 'pg spans').toBeGreaterThan(0);
      // The compiled lane's statement is a pg span inside the request's trace.
      const http = otlp.spans.filter((s) => s.kind === 2 && (attr(s, 'url.path') === '/graphql' || attr(s, 'http.target') === '/graphql'));
      const traces = new Set(http.map((s) => s.traceId));
      expect(pg.filter((s) => traces.has(s.traceId)).length).toBeGreaterThanOrEqual(2);
      // No statement's values: texts with parameters only.
      for (const s of pg) expect(JSON.stringify(s.attributes)).not.toContain('db.statement.parameters');
    } finally {
      await api.stop();
    }
  });

  it('sends nothing without the setting', async () => {
    const quiet = await receiver();
    const port = await freePort();
    const api = startApi({ DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', AIRLEDGER_LOG_LEVEL: 'info' });
    try {
      await api.ready;
      await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      expect(api.output()).not.toContain('tracing:');
    } finally {
      await api.stop();
      await quiet.close();
    }
    expect(quiet.requests).toBe(0);
  });
});
