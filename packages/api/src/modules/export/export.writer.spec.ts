import { randomBytes } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ColumnType } from './export.lists.js';
import { columnName, csvField, xlsxWriter } from './export.writer.js';
import { OutputClosedError } from './export.zip.js';

async function collect(write: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((r) => out.on('end', r));
  await write(out);
  await ended;
  return Buffer.concat(chunks);
}

async function read(file: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as never);
  return workbook.worksheets.map((sheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow({ includeEmpty: true }, (r) => rows.push((r.values as unknown[]).slice(1)));
    return { name: sheet.name, rows };
  });
}

describe('xlsxWriter', () => {
  it('names columns like Excel', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('writes typed cells, escapes XML and drops characters XML cannot hold', async () => {
    const headers = ['text', 'number', 'flag', 'when'];
    const types: ColumnType[] = ['string', 'number', 'boolean', 'string'];
    const file = await collect(async (out) => {
      const w = await xlsxWriter(out, 'checks', headers, types);
      await w.row(['a & b <c> "d"', '123.40', true, new Date('2024-01-31T16:00:00.000Z')]);
      await w.row([' 太原市 😷 ', 42, 'false', null]);
      await w.row(['bell\u0007 and lone \uD800 surrogate', 'NaN', 'true', 'x']);
      await w.row([null, '-1.5e3', false, '']);
      await w.row(['x'.repeat(40_000), 7, null, 'long']);
      await w.end();
    });
    const [sheet] = await read(file);
    expect(sheet.name).toBe('checks');
    expect(sheet.rows[0]).toEqual(headers);
    expect(sheet.rows[1]).toEqual(['a & b <c> "d"', 123.4, true, '2024-01-31T16:00:00.000Z']);
    expect(sheet.rows[2]).toEqual([' 太原市 😷 ', 42, false]);
    // A number column keeps text that is no number as text.
    expect(sheet.rows[3]).toEqual(['bell and lone  surrogate', 'NaN', true, 'x']);
    // Empty text is an empty cell, as in the CSV.
    expect(sheet.rows[4]).toEqual([undefined, -1500, false]);
    // Excel's longest cell text is 32,767 characters.
    expect((sheet.rows[5][0] as string).length).toBe(32_767);
    expect(sheet.rows[5].slice(1)).toEqual([7, undefined, 'long']);
  });

  it('continues on new sheets, each with the header, once a sheet is full', async () => {
    const file = await collect(async (out) => {
      const w = await xlsxWriter(out, 'air-quality-observations', ['id'], ['number'], { rowsPerSheet: 3 });
      for (let i = 1; i <= 7; i++) await w.row([i]);
      await w.end();
    });
    const sheets = await read(file);
    expect(sheets.map((s) => s.name)).toEqual(['air-quality-observations', 'air-quality-observations (2)', 'air-quality-observations (3)']);
    expect(sheets.map((s) => s.rows)).toEqual([
      [['id'], [1], [2], [3]],
      [['id'], [4], [5], [6]],
      [['id'], [7]],
    ]);
  });

  it('waits while the output is full and fails, instead of waiting forever, once it is closed', async () => {
    let taken = 0;
    // An output that takes one chunk and then never asks for more (a client that stopped reading).
    const out = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        taken += chunk.length;
        if (taken < 4096) callback();
      },
    });
    const w = await xlsxWriter(out, 'stalled', ['text'], ['string']);
    let written = 0;
    const writing = (async () => {
      for (let i = 0; i < 100_000; i++) {
        // Text that does not compress much (1,000 characters a row).
        await w.row([randomBytes(500).toString('hex')]);
        written++;
      }
    })();
    const failure = writing.catch((e) => e);
    await new Promise((r) => setTimeout(r, 200));
    // Backpressure: the writer stopped taking rows once its buffer, the compressor's and the
    // output's were full (about 100 kB: a hundred-odd rows), rather than piling them up.
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(300);
    out.destroy();
    expect(await failure).toBeInstanceOf(OutputClosedError);
  });
});

describe('csvField', () => {
  it('neutralises text that starts like a formula (OWASP) and keeps real numbers of number columns', () => {
    for (const text of ['=1+1', '+1', '-1', '-cmd', '@SUM(A1)', '\t=1', '\r=1']) {
      expect(csvField(text), JSON.stringify(text)).toBe(`"'${text}"`);
    }
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField(-1.5, 'number')).toBe('-1.5');
    expect(csvField('-59', 'number')).toBe('-59');
    expect(csvField('-2.5e3', 'number')).toBe('-2.5e3');
    // Text in a number column, or a negative number in a text column, is text.
    expect(csvField('-1+cmd', 'number')).toBe(`"'-1+cmd"`);
    expect(csvField('-59', 'string')).toBe(`"'-59"`);
    expect(csvField('a=1')).toBe('a=1');
    expect(csvField(' =1')).toBe(' =1');
    expect(csvField(null)).toBe('');
  });
});
