/**
 * Writers of export files onto an HTTP response, row by row, honouring backpressure: a writer
 * resolves `row()` only once the response can take more, so that rows are pulled from the
 * database cursor no faster than the client downloads them and memory stays flat.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ColumnType } from './export.lists.js';

export type ExportFormat = 'csv' | 'xlsx';

export interface RowWriter {
  row(values: unknown[]): Promise<void> | void;
  end(): Promise<void>;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Excel's last row is 1,048,576: a sheet takes the header and this many rows, then a new sheet starts. */
export const XLSX_ROWS_PER_SHEET = 1_048_575;

const BOM = '\uFEFF';
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** CSV in UTF-8 with a byte order mark (so that spreadsheet software reads Chinese names), CRLF line ends. */
export async function csvWriter(out: Writable, headers: string[]): Promise<RowWriter> {
  let buffer = BOM + headers.map(csvField).join(',') + '\r\n';
  return {
    async row(values) {
      buffer += values.map(csvField).join(',') + '\r\n';
      if (buffer.length >= 64 * 1024) {
        const chunk = buffer;
        buffer = '';
        await write(out, chunk);
      }
    },
    async end() {
      if (buffer) await write(out, buffer);
      out.end();
    },
  };
}

function cell(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'number') return Number(value);
  if (type === 'boolean') return typeof value === 'boolean' ? value : value === 'true';
  return String(value);
}

/** The writable side of a zip entry stream (readable-stream 3: no writableNeedDrain getter). */
type EntryStream = NodeJS.EventEmitter & { _writableState?: { needDrain?: boolean } };

/** xlsx through exceljs's streaming WorkbookWriter (no shared strings, no styles: nothing is kept per row). */
export async function xlsxWriter(out: Writable, sheetName: string, headers: string[], types: ColumnType[]): Promise<RowWriter> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  let sheetNumber = 1;
  let rowsInSheet = 0;
  const newSheet = () => {
    const sheet = workbook.addWorksheet(sheetNumber === 1 ? sheetName : `${sheetName} (${sheetNumber})`);
    sheet.addRow(headers).commit();
    return sheet;
  };
  let sheet = newSheet();
  return {
    async row(values) {
      if (rowsInSheet === XLSX_ROWS_PER_SHEET) {
        sheet.commit();
        sheetNumber++;
        sheet = newSheet();
        rowsInSheet = 0;
      }
      sheet.addRow(values.map((v, i) => cell(v, types[i]))).commit();
      rowsInSheet++;
      // exceljs's sheet stream (a StreamBuf) writes into the zip entry's PassThrough without
      // heeding its backpressure, so rows would pile up there while the zip compresses: wait for
      // that PassThrough to drain (exceljs 4.4 internals, checked defensively), then for the client.
      const entry = (sheet as unknown as { _stream?: { pipes?: EntryStream[] } })._stream?.pipes?.[0];
      if (entry?._writableState?.needDrain) await once(entry, 'drain');
      if (out.writableNeedDrain) await once(out, 'drain');
    },
    async end() {
      sheet.commit();
      await workbook.commit();
    },
  };
}
