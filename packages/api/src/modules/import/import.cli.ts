/**
 * What `ledger import` shows and writes on the machine it runs on: a progress bar on stderr (share
 * of the file read, rows, rows per second, ETA; cli-progress) and the rejects file (every refused
 * row as read, with its line, the column and the reason), streamed as rows are refused.
 */
import fs from 'node:fs';
import cliProgress from 'cli-progress';
import { csvField } from '../export/export.writer.js';
import type { ImportCounts, RejectIssue } from './import.service.js';

export interface ProgressBar {
  start(totalBytes: number): void;
  update(counts: ImportCounts): void;
  stop(): void;
}

export function importProgressBar(enabled: boolean): ProgressBar {
  if (!enabled) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {percentage}% | {rows} rows | {rate} rows/s | {rejected} refused | ETA {eta_formatted}', stream: process.stderr, hideCursor: true, etaBuffer: 20 },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  let running = false;
  return {
    start(total) {
      started = Date.now();
      running = true;
      bar.start(Math.max(total, 1), 0, { rows: 0, rate: 0, rejected: 0 });
    },
    update(c) {
      if (!running) return;
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(c.bytesRead, { rows: c.rowsRead, rate: Math.round(c.rowsRead / seconds), rejected: c.rowsRejected });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

export interface RejectsWriter {
  /** The file's header (the rejects file repeats it, between its line and reason columns). */
  header(cells: string[]): void;
  row(line: number, cells: string[], issues: RejectIssue[]): void;
  /** Ends the file; resolves with whether any row was written (an empty rejects file is removed). */
  close(): Promise<boolean>;
}

export function rejectsFileWriter(file: string): RejectsWriter {
  let out: fs.WriteStream | null = null;
  let closed: Promise<boolean> | null = null;
  let headerCells: string[] = [];
  const line = (cells: string[]) => cells.map((c) => csvField(c, 'number')).join(',') + '\r\n';
  return {
    header(cells) {
      headerCells = cells;
    },
    row(lineNumber, cells, issues) {
      if (!out) {
        out = fs.createWriteStream(file);
        out.write('\uFEFF' + line(['line', ...headerCells, 'rejected_column', 'rejected_reason']));
      }
      out.write(line([String(lineNumber), ...cells, issues.map((i) => i.column).join('; '), issues.map((i) => `${i.code}: ${i.reason}`).join('; ')]));
    },
    close() {
      return (closed ??= out ? new Promise<boolean>((resolve, reject) => out!.end((e?: Error | null) => (e ? reject(e) : resolve(true)))) : Promise.resolve(false));
    },
  };
}
