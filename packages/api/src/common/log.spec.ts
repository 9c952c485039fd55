import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, safeError } from './log.js';

describe('safeError', () => {
  it('keeps the type, PostgreSQL code and stack frames of an error, never its message', () => {
    // The message of a unique violation quotes the row: here a household's identity number.
    const error = Object.assign(new Error('duplicate key value violates unique constraint "disbursement_household_id_number_unique": Key (household_id_number)=(130203199001011234) already exists.'), { code: '23505', routine: '_bt_check_unique' });
    const safe = safeError(error);
    expect(safe).toMatchObject({ type: 'Error', code: '23505', routine: '_bt_check_unique' });
    expect((safe.stack as string[]).length).toBeGreaterThan(0);
    expect(JSON.stringify(safe)).not.toContain('130203199001011234');
    expect(JSON.stringify(safeError(new Error('outer', { cause: error })))).not.toContain('130203199001011234');
  });
});

describe('createLogger', () => {
  it('writes JSON lines at the configured level and never writes the redacted fields', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        cb();
      },
    });
    const logger = createLogger({ logLevel: 'info', logFormat: 'json' }, sink);
    logger.debug('not written');
    logger.info({ authorization: 'Bearer airl_secret', request: { headers: { authorization: 'Bearer airl_secret' }, variables: { householdName: '王一明' } } }, 'a line');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ level: 30, msg: 'a line', service: 'airledger-api' });
    expect(lines[0]).not.toContain('airl_secret');
    expect(lines[0]).not.toContain('王一明');
  });
});
