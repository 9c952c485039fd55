/**
 * Reading ledger files row by row, never whole in memory: CSV (UTF-8 with or without BOM, or
 * GB18030 as Chinese spreadsheet software writes it, detected from the first bytes) through
 * csv-parse, and XLSX (the first worksheet) through exceljs's streaming reader. Every row comes
 * out as text cells with its line (CSV record number or worksheet row number, the header being 1)
 * and the bytes of the file consumed so far (for progress).
 */
import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
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

/**
 * The objects of a readable stream in batches of what it holds at once: one promise per batch
 * rather than per object (a file of a million rows).
 */
async function* batches<T>(stream: Readable): AsyncGenerator<T[]> {
  let ended = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  stream.on('readable', signal);
  stream.once('end', () => ((ended = true), signal()));
  stream.once('error', (error: Error) => ((failure = error), signal()));
  for (;;) {
    const batch: T[] = [];
    let item: T | null;
    while ((item = stream.read() as T | null) !== null) batch.push(item);
    if (batch.length) yield batch;
    else if (failure) throw failure;
    else if (ended) return;
    else await new Promise<void>((resolve) => (wake = resolve));
  }
}

/** Line breaks inside a cell (a quoted field over several lines): CRLF, LF or CR count one each. */
function lineBreaks(cell: string): number {
  let n = 0;
  for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) n++;
  for (let i = cell.indexOf('\r'); i !== -1; i = cell.indexOf('\r', i + 1)) if (cell[i + 1] !== '\n') n++;
  return n;
}

async function* csvRows(file: string, encoding: TextEncoding): AsyncGenerator<FileRow[]> {
  const counter = byteCounter();
  // Lines are counted here rather than with csv-parse's `info` (an object per record): a record
  // ends one line further, plus the line breaks inside its quoted cells; empty lines are skipped
  // here so that they are counted.
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false });
  // 16 KB at a time (a few hundred rows): the rows of a chunk are garbage before the next one,
  // so they die young instead of filling the old generation (about 15 MB above the start for
  // 200,000 rows, against 80 MB with 64 KB chunks).
  const source = fs.createReadStream(file, { highWaterMark: 16 * 1024 });
  const decode = iconv.decodeStream(encoding === 'utf-8' ? 'utf8' : 'gb18030', { stripBOM: true });
  source.on('error', (e) => parser.destroy(e));
  source.pipe(counter).pipe(decode).pipe(parser);
  let line = 0;
  try {
    for await (const records of batches<string[]>(parser)) {
      const rows: FileRow[] = [];
      for (const cells of records) {
        line++;
        for (const cell of cells) if (cell.length && (cell.includes('\n') || cell.includes('\r'))) line += lineBreaks(cell);
        if (cells.length === 1 && cells[0] === '') continue;
        rows.push({ line, cells, bytesRead: counter.bytes });
      }
      if (rows.length) yield rows;
    }
  } finally {
    source.destroy();
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

async function* xlsxRows(file: string): AsyncGenerator<FileRow[]> {
  const counter = byteCounter();
  const source = fs.createReadStream(file).pipe(counter);
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(source, { sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
  for await (const worksheet of workbook) {
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as unknown[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim());
      if (cells.every((c) => c === '')) continue;
      yield [{ line: row.number, cells, bytesRead: counter.bytes }];
    }
    // Only the first worksheet is the ledger.
    break;
  }
  source.destroy();
}

/** The rows of a file, header first, in batches (of what the parser holds at once). */
export async function* readRows(file: string, format: ImportFormat, encoding?: TextEncoding): AsyncGenerator<FileRow[]> {
  if (format === 'xlsx') yield* xlsxRows(file);
  else yield* csvRows(file, encoding ?? (await detectEncoding(file)));
}
