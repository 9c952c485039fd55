/**
 * Writers of export files onto an HTTP response, row by row, honouring backpressure: a writer
 * resolves `row()` only once the response can take more, so that rows are pulled from the
 * database cursor no faster than the client downloads them and memory stays flat.
 */
import type { Writable } from 'node:stream';
import type { ColumnType } from './export.lists.js';
import { writeOut, ZipWriter, type ZipEntry } from './export.zip.js';

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
/** A number as PostgreSQL sends numeric and bigint values: written as it is. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
/**
 * First characters that make spreadsheet software read a CSV cell as a formula (OWASP, "CSV
 * Injection"): =, +, -, @, tab and carriage return.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Whether a value of a number column is a real number (then a leading minus is its sign, not a formula). */
function isRealNumber(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'bigint') return true;
  return typeof value === 'string' && PLAIN_NUMBER.test(value);
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A text cell that
 * starts like a formula (FORMULA_START) is neutralised as OWASP recommends: a single quote is put
 * in front (spreadsheets then show it as text) and the cell is quoted. A real number of a number
 * column is written as it is, so that -12.5 stays a number.
 */
export function csvField(value: unknown, type: ColumnType = 'string'): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text) && !(type === 'number' && isRealNumber(value))) return `"'${text.replace(/"/g, '""')}"`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV in UTF-8 with a byte order mark (so that spreadsheet software reads Chinese names), CRLF
 * line ends; `types` (by column) tell real numbers from text for the formula check of csvField.
 */
export async function csvWriter(out: Writable, headers: string[], types: ColumnType[] = []): Promise<RowWriter> {
  let buffer = BOM + headers.map((h) => csvField(h)).join(',') + '\r\n';
  return {
    async row(values) {
      let line = '';
      for (let i = 0; i < values.length; i++) line += (i ? ',' : '') + csvField(values[i], types[i]);
      buffer += line + '\r\n';
      if (buffer.length >= 64 * 1024) {
        const chunk = buffer;
        buffer = '';
        await writeOut(out, chunk);
      }
    },
    async end() {
      if (buffer) await writeOut(out, buffer);
      out.end();
    },
  };
}

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Excel's longest cell text. */
const CELL_TEXT_LIMIT = 32_767;
/** A sheet's XML above this size (uncompressed) continues on a new sheet: zip entries stay under 4 GiB. */
export const XLSX_SHEET_BYTES = 3_500_000_000;
/** Rows of XML gathered before they go to the compressor. */
const XLSX_CHUNK = 64 * 1024;

// Characters XML 1.0 does not allow (control characters but tab, line feed and carriage return, lone surrogates, U+FFFE/U+FFFF).
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_SPECIAL = /[&<>"]/g;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function xmlText(text: string): string {
  return text.replace(XML_INVALID, '').replace(XML_SPECIAL, (c) => XML_ENTITIES[c]);
}

/** Column letters of a zero-based column index: 0 -> A, 25 -> Z, 26 -> AA. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

// Cheap checks first: most values need neither escaping nor conversion.
const XML_NEEDS_WORK = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const EDGE_SPACE = /^\s|\s$/;

/** The text of a cell value (dates as ISO instants). */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : String(value);
}

/** The text of a number cell's <v>, or null when the value is not a finite number. */
function numberText(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'string' && PLAIN_NUMBER.test(value)) return value;
  const number = Number(value);
  return Number.isFinite(number) && value !== '' && typeof value !== 'boolean' ? String(number) : null;
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\ . */
function sheetTitle(base: string, number: number): string {
  const suffix = number === 1 ? '' : ` (${number})`;
  return base.replace(/[[\]:*?/\\]/g, '-').slice(0, 31 - suffix.length) + suffix;
}

const STYLES = `${XML_DECL}<styleSheet xmlns="${MAIN_NS}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/**
 * xlsx (SpreadsheetML) written row by row into a streaming zip (export.zip.ts): inline strings,
 * one fixed style sheet (bold header), numbers and booleans typed by column. Nothing is kept per
 * row: each row becomes XML, goes through the compressor and out to the response, waiting for
 * both to drain, so that memory stays flat however many rows there are (a general-purpose
 * library such as exceljs builds objects per row and does not heed the zip's backpressure).
 * A sheet holds the header and XLSX_ROWS_PER_SHEET rows (`rowsPerSheet`); further rows continue on
 * new sheets, named after the first: `name (2)`, `name (3)`.
 */
export async function xlsxWriter(
  out: Writable,
  sheetName: string,
  headers: string[],
  types: ColumnType[],
  { rowsPerSheet = XLSX_ROWS_PER_SHEET }: { rowsPerSheet?: number } = {},
): Promise<RowWriter> {
  const zip = new ZipWriter(out);
  const titles: string[] = [];
  let sheet: ZipEntry;
  let rowNumber = 0;
  // XML is written piece by piece straight into a byte buffer, from constant strings and the
  // row's own values: making a row allocates next to nothing, so that the young generation
  // fills slowly and next to nothing is promoted to the old one (garbage there would stay until
  // a full collection and raise the peak memory by tens of megabytes).
  let chunk = Buffer.allocUnsafe(XLSX_CHUNK);
  let used = 0;
  const ascii = (text: string) => {
    used += chunk.write(text, used, 'latin1');
  };
  const utf8 = (text: string) => {
    used += chunk.write(text, used, 'utf8');
  };
  const flush = async () => {
    if (!used) return;
    const full = chunk.subarray(0, used);
    chunk = Buffer.allocUnsafe(XLSX_CHUNK);
    used = 0;
    await sheet.write(full);
  };
  /** Makes room for `bytes` more bytes: flushes, and takes a larger buffer for an outsized row. */
  const reserve = async (bytes: number) => {
    if (used + bytes <= chunk.length) return;
    await flush();
    if (bytes > chunk.length) chunk = Buffer.allocUnsafe(bytes);
  };
  const cellStarts = headers.map((_, i) => `<c r="${columnName(i)}`);
  const writeRow = async (values: unknown[], header: boolean) => {
    rowNumber++;
    const r = String(rowNumber);
    let bytes = 32;
    for (let i = 0; i < cellStarts.length; i++) {
      const v = values[i];
      if (v !== null && v !== undefined) bytes += 80 + (typeof v === 'string' ? v.length * 3 : 3 * textOf(v).length);
    }
    await reserve(bytes);
    ascii('<row r="');
    ascii(r);
    ascii('">');
    for (let i = 0; i < cellStarts.length; i++) {
      const value = values[i];
      if (value === null || value === undefined) continue;
      const type = header ? 'string' : types[i];
      if (type === 'number') {
        const number = numberText(value);
        if (number !== null) {
          ascii(cellStarts[i]);
          ascii(r);
          ascii('"><v>');
          ascii(number);
          ascii('</v></c>');
          continue;
        }
        if (typeof value !== 'string') continue;
      } else if (type === 'boolean') {
        const truth = typeof value === 'boolean' ? value : value === 'true' || value === 't';
        ascii(cellStarts[i]);
        ascii(r);
        ascii(truth ? '" t="b"><v>1</v></c>' : '" t="b"><v>0</v></c>');
        continue;
      }
      let text = textOf(value);
      if (text === '') continue; // an empty cell, as in the CSV
      if (text.length > CELL_TEXT_LIMIT) text = text.slice(0, CELL_TEXT_LIMIT);
      ascii(cellStarts[i]);
      ascii(r);
      // Inline strings: no shared-strings table to keep in memory until the end. An inline string
      // is text, never a formula (formulas are <f> elements, which this writer never writes), so
      // "=HYPERLINK(...)" is shown as typed and needs no neutralising quote here.
      ascii(header ? '" s="1" t="inlineStr"><is><t' : '" t="inlineStr"><is><t');
      ascii(EDGE_SPACE.test(text) ? ' xml:space="preserve">' : '>');
      utf8(XML_NEEDS_WORK.test(text) ? xmlText(text) : text);
      ascii('</t></is></c>');
    }
    ascii('</row>');
    if (used >= XLSX_CHUNK) await flush();
  };
  const openSheet = async () => {
    titles.push(sheetTitle(sheetName, titles.length + 1));
    sheet = await zip.entry(`xl/worksheets/sheet${titles.length}.xml`);
    rowNumber = 0;
    await reserve(1024);
    utf8(`${XML_DECL}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>`);
    await writeRow(headers, true);
  };
  const closeSheet = async () => {
    await reserve(64);
    ascii('</sheetData></worksheet>');
    await flush();
    await sheet.close();
  };

  await openSheet();
  return {
    async row(values) {
      if (rowNumber > rowsPerSheet || sheet.size + used > XLSX_SHEET_BYTES) {
        await closeSheet();
        await openSheet();
      }
      await writeRow(values, false);
    },
    async end() {
      await closeSheet();
      const sheets = titles.map((title, i) => `<sheet name="${xmlText(title)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
      await zip.file(
        'xl/workbook.xml',
        `${XML_DECL}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView/></bookViews><sheets>${sheets}</sheets></workbook>`,
      );
      const sheetRels = titles.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('');
      await zip.file(
        'xl/_rels/workbook.xml.rels',
        `${XML_DECL}<Relationships xmlns="${PKG_REL_NS}">${sheetRels}<Relationship Id="rId${titles.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`,
      );
      await zip.file('xl/styles.xml', STYLES);
      await zip.file('_rels/.rels', `${XML_DECL}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
      const overrides = titles
        .map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
        .join('');
      await zip.file(
        '[Content_Types].xml',
        `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
      );
      await zip.finish();
    },
  };
}
