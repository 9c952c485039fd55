import { describe, expect, it } from 'vitest';
import { ConfigError, knownVariables, loadConfig, unknownVariables } from './config.js';

const problems = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env, { warn: () => {} });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('loadConfig', () => {
  it('reads the documented spellings of booleans, integers, ports and URLs', () => {
    const c = loadConfig(
      {
        AIRLEDGER_RATE_LIMIT: 'OFF',
        AIRLEDGER_SEED_DEMO: 'no',
        AIRLEDGER_EXPOSE_SQL_COUNT: ' 1 ',
        AIRLEDGER_DEBUG_ERRORS: 'True',
        PORT: '8080',
        AIRLEDGER_EMBEDDED_PG_PORT: '65535',
        AIRLEDGER_MAX_DEPTH: '0',
        DATABASE_URL: 'postgresql://a:b@db.internal:5432/airledger',
        AIRLEDGER_TRUST_PROXY: 'loopback, 10.0.0.0/8',
        HOST: '127.0.0.1',
      },
      { warn: () => {} },
    );
    expect(c).toMatchObject({
      rateLimit: false,
      seedDemo: false,
      exposeSqlCount: true,
      debugErrors: true,
      port: 8080,
      embeddedPgPort: 65535,
      maxDepth: 0,
      databaseUrl: 'postgresql://a:b@db.internal:5432/airledger',
      trustProxy: 'loopback, 10.0.0.0/8',
      host: '127.0.0.1',
    });
    // empty is unset: the default
    expect(loadConfig({ AIRLEDGER_RATE_LIMIT: '', PORT: '' })).toMatchObject({ rateLimit: true, port: 4000, debugErrors: false });
  });

  it('refuses values it does not understand, naming every variable (and never echoing DATABASE_URL)', () => {
    expect(problems({ AIRLEDGER_RATE_LIMIT: 'ture' })).toEqual(['AIRLEDGER_RATE_LIMIT must be true or false (also 1/0, yes/no, on/off), got "ture"']);
    expect(problems({ PORT: '99999' })).toEqual(['PORT must be a TCP port, an integer from 1 to 65535, got "99999"']);
    expect(problems({ PORT: '0' })[0]).toMatch(/^PORT /);
    expect(problems({ AIRLEDGER_EMBEDDED_PG_PORT: '5432x' })[0]).toMatch(/^AIRLEDGER_EMBEDDED_PG_PORT /);
    expect(problems({ AIRLEDGER_MAX_COST: '-1' })).toEqual(['AIRLEDGER_MAX_COST must be a non-negative integer, got "-1"']);
    expect(problems({ AIRLEDGER_MAX_COST: '1e6' })[0]).toMatch(/^AIRLEDGER_MAX_COST /);
    const url = problems({ DATABASE_URL: 'not-a-url' });
    expect(url).toEqual(['DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/airledger, got a value that is not one']);
    expect(problems({ DATABASE_URL: 'mysql://root:secret@db/x' }).join()).not.toContain('secret');
    expect(problems({ AIRLEDGER_TRUST_PROXY: 'everyone' })[0]).toMatch(/^AIRLEDGER_TRUST_PROXY /);
    expect(problems({ HOST: 'local host' })[0]).toMatch(/^HOST /);
    expect(problems({ AIRLEDGER_INTROSPECTION: 'maybe', AIRLEDGER_MAX_DEPTH: 'deep', PORT: 'http' })).toHaveLength(3);
    expect(() => loadConfig({ AIRLEDGER_RATE_LIMIT: 'ture' })).toThrow(/AIRLEDGER_RATE_LIMIT/);
  });

  it('warns once about AIRLEDGER_* variables no setting reads, with the close known names', () => {
    const warnings: string[] = [];
    loadConfig({ AIRLEDGER_RATE_LIMT: 'false', AIRLEDGER_MAX_DEPHT: '3', AIRLEDGER_WHATEVER_ELSE: 'x', OTHER: 'y' }, { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      '[airledger] ignoring unknown settings AIRLEDGER_MAX_DEPHT (did you mean AIRLEDGER_MAX_DEPTH?), AIRLEDGER_RATE_LIMT (did you mean AIRLEDGER_RATE_LIMIT?), AIRLEDGER_WHATEVER_ELSE',
    ]);
    loadConfig({ AIRLEDGER_RATE_LIMT: 'false' }, { warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(unknownVariables({ AIRLEDGER_RATE_LIMIT: 'true', AIRLEDGER_DEBUG_ERRORS: '1', AIRLEDGER_URL: 'x' })).toEqual([]);
    expect(knownVariables()).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'AIRLEDGER_RATE_LIMIT', 'AIRLEDGER_DEBUG_ERRORS', 'AIRLEDGER_TRUST_PROXY']));
  });
});
