/**
 * GraphQL over HTTP compliance: graphql-http's server audit against the real server (with every
 * hardening layer on: limits, CSRF prevention, rate limiting, body size). No MUST audit may fail;
 * the SHOULD/MAY audits that do not pass are pinned below so that a change shows up in review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditServer, type AuditResult } from 'graphql-http';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
let results: AuditResult[];

beforeAll(async () => {
  app = await startTestApp();
  results = await auditServer({ url: app.url, fetchFn: fetch });
});
afterAll(() => app?.close());

const describeFailure = (r: AuditResult) => `${r.id} ${r.name}${r.status === 'ok' ? '' : `: ${r.reason}`}`;

describe('GraphQL over HTTP (graphql-http auditServer)', () => {
  it('runs the whole audit', () => {
    expect(results.length).toBeGreaterThan(40);
  });

  it('passes every MUST audit', () => {
    const mustFailures = results.filter((r) => r.name.startsWith('MUST') && r.status !== 'ok');
    expect(mustFailures.map(describeFailure)).toEqual([]);
    expect(results.filter((r) => r.status === 'error').map(describeFailure)).toEqual([]);
  });

  it('fails only the known SHOULD audits and notes only the known MAY ones', () => {
    const of = (status: string) => results.filter((r) => r.status === status).map((r) => `${r.id} ${r.name}`);
    expect(of('warn')).toEqual(KNOWN_WARNINGS);
    expect(of('notice')).toEqual(KNOWN_NOTICES);
  });
});

/**
 * Apollo Server answers documents that do not parse or validate, and variables that do not
 * coerce, with HTTP 400 also for `accept: application/json` (the spec's SHOULD is 200 there, for
 * legacy clients; 400 is what it requires for application/graphql-response+json). The operation
 * limits follow the same rule: 400.
 */
const KNOWN_WARNINGS: string[] = [
  '572B SHOULD use 200 status code on document parsing failure when accepting application/json',
  'FDE2 SHOULD use 200 status code on document validation failure when accepting application/json',
  '7B9B SHOULD use a status code of 200 on variable coercion failure when accepting application/json',
];

/**
 * CSRF prevention refuses GET requests that carry neither a JSON content type nor the
 * `apollo-require-preflight` header, which the audit's GETs do not send.
 */
const KNOWN_NOTICES: string[] = [
  '5A70 MAY accept application/x-www-form-urlencoded formatted GET requests',
  'D6D5 MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
  '6A70 MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json',
];
