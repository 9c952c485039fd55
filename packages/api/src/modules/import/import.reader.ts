/**
 * Reading ledger files row by row, never whole in memory: CSV (UTF-8 with or without BOM, or
 * GB18030 as Chinese spreadsheet software writes it, detected from the first bytes) through
 * csv-parse, and XLSX (the first worksheet) through exceljs's streaming reader. Every row comes
 * out as text cells with its line (CSV record number or worksheet row number, the header being 1)
 * and the bytes of the file consumed so far (for progress).
 */
import fs from 'node:fs';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';

export type ImportFormat = 'csv' | 'xlsx';
export type TextEncoding = 'utf-8' | 'gb18030';

export interface FileRow {
  line: number;
  cells: string[];
  /** Bytes of the file read when this row came out. */
  bytesRead: number;
}

/** How many bytes the encoding is guessed from. */
const SAMPLE_BYTES = 64 * 1024;

/**
 * The encoding of a CSV file: UTF-8 when it starts with a BOM or its first bytes are valid UTF-8
 * (a character cut at the end of the sample is allowed), GB18030 otherwise.
 */
export async function detectEncoding(file: string): Promise<TextEncoding> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    const sample = buffer.subarray(0, bytesRead);
    if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
    const decoder = new TextDecoder('utf-8', { fatal: true });
    // A multi-byte character may be cut by the end of the sample: drop up to 3 trailing bytes.
    for (let cut = 0; cut <= Math.min(3, bytesRead); cut++) {
      try {
        decoder.decode(sample.subarray(0, bytesRead - cut));
        return 'utf-8';
      } catch {
        if (bytesRead < SAMPLE_BYTES) break; // the whole file was read: nothing was cut
      }
    }
    return 'gb18030';
  } finally {
    await handle.close();
  }
}

/** The format of a file from its name (`.csv`, `.xlsx`), or null. */
export function formatOf(fileName: string): ImportFormat | null {
  const m = /\.(csv|xlsx)$/i.exec(fileName);
  return m ? (m[1].toLowerCase() as ImportFormat) : null;
}

/** Counts the bytes flowing through. */
function byteCounter(): Transform & { bytes: number } {
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      t.bytes += chunk.length;
      done(null, chunk);
    },
  }) as Transform & { bytes: number };
  t.bytes = 0;
  return t;
}

async function* csvRows(file: string, encoding: TextEncoding): AsyncGenerator<FileRow> {
  const counter = byteCounter();
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  const source = fs.createReadStream(file);
  const decode = iconv.decodeStream(encoding === 'utf-8' ? 'utf8' : 'gb18030', { stripBOM: true });
  source.on('error', (e) => parser.destroy(e));
  source.pipe(counter).pipe(decode).pipe(parser);
  for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield { line: record.info.lines, cells: record.record, bytesRead: counter.bytes };
  }
}

/** A cell of exceljs's streaming reader as text: numbers as written, dates as YYYY-MM-DD (or an ISO instant). */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') {
    const v = value as { text?: unknown; richText?: { text: string }[]; result?: unknown; hyperlink?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if (v.result !== undefined) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    return '';
  }
  return String(value);
}

async function* xlsxRows(file: string): AsyncGenerator<FileRow> {
  const counter = byteCounter();
  const source = fs.createReadStream(file).pipe(counter);
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(source, { sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
  for await (const worksheet of workbook) {
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as unknown[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim());
      if (cells.every((c) => c === '')) continue;
      yield { line: row.number, cells, bytesRead: counter.bytes };
    }
    // Only the first worksheet is the ledger.
    break;
  }
  source.destroy();
}

/** The rows of a file, header first. */
export async function* readRows(file: string, format: ImportFormat, encoding?: TextEncoding): AsyncGenerator<FileRow> {
  if (format === 'xlsx') yield* xlsxRows(file);
  else yield* csvRows(file, encoding ?? (await detectEncoding(file)));
}
