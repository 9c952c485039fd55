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

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
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

/** One cell of a row (`ref` is its address, e.g. B12), typed by its column; null for an empty cell. */
function cellXml(ref: string, value: unknown, type: ColumnType, style: string): string {
  if (value === null || value === undefined) return '';
  if (type === 'number') {
    const number = typeof value === 'number' ? value : Number(value);
    if (Number.isFinite(number)) return `<c r="${ref}"${style}><v>${number}</v></c>`;
    if (typeof value !== 'string') return '';
  } else if (type === 'boolean') {
    const truth = typeof value === 'boolean' ? value : value === 'true' || value === 't';
    return `<c r="${ref}"${style} t="b"><v>${truth ? 1 : 0}</v></c>`;
  }
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (text.length > CELL_TEXT_LIMIT) text = text.slice(0, CELL_TEXT_LIMIT);
  const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
  // Inline strings: no shared-strings table to keep in memory until the end.
  return `<c r="${ref}"${style} t="inlineStr"><is><t${space}>${xmlText(text)}</t></is></c>`;
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
 * A sheet holds the header and XLSX_ROWS_PER_SHEET rows; further rows continue on new sheets.
 */
export async function xlsxWriter(out: Writable, sheetName: string, headers: string[], types: ColumnType[]): Promise<RowWriter> {
  const zip = new ZipWriter(out);
  const columns = headers.map((_, i) => columnName(i));
  const titles: string[] = [];
  let sheet: ZipEntry;
  let rowNumber = 0;
  let buffer = '';

  const rowXml = (values: unknown[], style: string) => {
    rowNumber++;
    let xml = `<row r="${rowNumber}">`;
    for (let i = 0; i < columns.length; i++) xml += cellXml(columns[i] + rowNumber, values[i], style ? 'string' : types[i], style);
    return xml + '</row>';
  };
  const flush = async () => {
    if (!buffer) return;
    const chunk = buffer;
    buffer = '';
    await sheet.write(chunk);
  };
  const openSheet = async () => {
    titles.push(sheetTitle(sheetName, titles.length + 1));
    sheet = await zip.entry(`xl/worksheets/sheet${titles.length}.xml`);
    rowNumber = 0;
    buffer = `${XML_DECL}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>${rowXml(headers, ' s="1"')}`;
  };
  const closeSheet = async () => {
    buffer += '</sheetData></worksheet>';
    await flush();
    await sheet.close();
  };

  await openSheet();
  return {
    async row(values) {
      if (rowNumber > XLSX_ROWS_PER_SHEET || sheet.size + buffer.length * 3 > XLSX_SHEET_BYTES) {
        await closeSheet();
        await openSheet();
      }
      buffer += rowXml(values, '');
      if (buffer.length >= XLSX_CHUNK) await flush();
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
