/**
 * What can be checked of the deployment without a Docker engine: deploy/compose.yaml parsed
 * (services, health checks, start order, PgBouncer in transaction mode, the API reaching the
 * database through PgBouncer, two API processes behind the load balancer), the Dockerfile
 * (multi-stage, Node 20, non-root, HEALTHCHECK on /readyz) and .env.example listing every
 * setting that config.ts reads.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const compose = parse(read('deploy/compose.yaml'), { merge: true }) as { services: Record<string, any> };
const services = compose.services;

function env(service: any): Record<string, string> {
  const e = service.environment ?? {};
  return Array.isArray(e) ? Object.fromEntries(e.map((line: string) => line.split(/=(.*)/s).slice(0, 2))) : e;
}

describe('deploy/compose.yaml', () => {
  it('runs PostgreSQL 17, PgBouncer, two API processes and a load balancer, each with a health check', () => {
    expect(Object.keys(services).sort()).toEqual(['api1', 'api2', 'lb', 'pgbouncer', 'postgres']);
    expect(services.postgres.image).toMatch(/^postgres:17(\b|$)/);
    for (const [name, service] of Object.entries(services)) {
      expect(service.healthcheck?.test, `${name} has a health check`).toBeTruthy();
    }
    for (const api of ['api1', 'api2']) {
      expect(services[api].build.dockerfile).toBe('Dockerfile');
      expect(services[api].healthcheck.test.join(' ')).toContain('/readyz');
    }
  });

  it('starts each service once what it needs is healthy', () => {
    expect(services.pgbouncer.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.api1.depends_on).toEqual({ pgbouncer: { condition: 'service_healthy' } });
    // The first process migrates at start-up; the second waits for it.
    expect(services.api2.depends_on).toEqual({ pgbouncer: { condition: 'service_healthy' }, api1: { condition: 'service_healthy' } });
    expect(services.lb.depends_on).toEqual({ api1: { condition: 'service_healthy' }, api2: { condition: 'service_healthy' } });
  });

  it('puts PgBouncer in transaction mode, keeping prepared statements, in front of PostgreSQL', () => {
    const bouncer = env(services.pgbouncer);
    expect(bouncer.POOL_MODE).toBe('transaction');
    expect(bouncer.DB_HOST).toBe('postgres');
    expect(Number(bouncer.MAX_PREPARED_STATEMENTS)).toBeGreaterThan(0);
    // PgBouncer >= 1.21 is the first with max_prepared_statements.
    const [, major, minor] = /:v?(\d+)\.(\d+)/.exec(services.pgbouncer.image)!;
    expect(Number(major) * 100 + Number(minor)).toBeGreaterThanOrEqual(121);
    // The API's startup parameters are ignored by PgBouncer, and PostgreSQL holds the timeouts instead (README, "PgBouncer").
    expect(String(bouncer.IGNORE_STARTUP_PARAMETERS).split(',').sort()).toEqual(['idle_in_transaction_session_timeout', 'statement_timeout']);
    expect(services.postgres.command.join(' ')).toMatch(/-c statement_timeout=\S+ -c idle_in_transaction_session_timeout=\S+/);
  });

  it('points both API processes at PgBouncer, not at PostgreSQL', () => {
    for (const api of ['api1', 'api2']) {
      const url = new URL(env(services[api]).DATABASE_URL.replace(/\$\{[^}]*\}/g, 'x'));
      expect(url.protocol).toBe('postgres:');
      expect(url.hostname).toBe('pgbouncer');
      expect(env(services[api]).NODE_ENV).toBe('production');
      // Subscriptions LISTEN on a direct connection: a transaction-mode pooler does not keep one.
      expect(new URL(env(services[api]).AIRLEDGER_LISTEN_URL.replace(/\$\{[^}]*\}/g, 'x')).hostname).toBe('postgres');
    }
  });

  it('balances over both API processes (deploy/nginx.conf)', () => {
    const nginx = read('deploy/nginx.conf');
    const upstream = /upstream airledger_api \{([^}]*)\}/.exec(nginx)![1];
    expect([...upstream.matchAll(/server (\S+):4000/g)].map((m) => m[1])).toEqual(['api1', 'api2']);
    expect(services.lb.volumes.join(' ')).toContain('./nginx.conf:/etc/nginx/nginx.conf');
    expect(env(services.api1).AIRLEDGER_TRUST_PROXY).toBe('1');
    // WebSocket upgrades (subscriptions) pass through to the API.
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginx).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  it('builds in one stage and runs from another on Node 20 as a non-root user', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const image of stages) expect(image).toMatch(/^node:20\b/);
    expect(dockerfile).toContain('pnpm@12.4.2');
    expect(dockerfile).toContain('--frozen-lockfile');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER (?!root\b)\S+/m);
    expect(runtime).toMatch(/^HEALTHCHECK [\s\S]*\/readyz/m);
  });
});

describe('.env.example', () => {
  it('lists every setting config.ts reads, with its default', () => {
    const config = read('packages/api/src/config.ts');
    const settings = new Set([...config.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)].map((m) => m[1] ?? m[2]));
    expect(settings.size).toBeGreaterThan(25);
    const example = new Map(
      read('.env.example')
        .split('\n')
        .filter((line) => /^[A-Z]/.test(line))
        .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
    const missing = [...settings].filter((name) => !example.has(name));
    expect(missing).toEqual([]);
    // Every default that config.ts states as a literal is the one written in .env.example.
    for (const m of config.matchAll(/\(\s*'([A-Z][A-Z0-9_]*)',\s*env\.\1,\s*([0-9_]+|true|false|'[^']*')\s*\)/g)) {
      const value = m[2].startsWith("'") ? m[2].slice(1, -1) : m[2].replaceAll('_', '');
      expect(example.get(m[1]), m[1]).toBe(value);
    }
    // Every listed name is read by the server (no stale entries).
    expect([...example.keys()].filter((name) => !settings.has(name))).toEqual([]);
  });
});
