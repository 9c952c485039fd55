/**
 * A minimal streaming zip writer (PKWARE APPNOTE 6.3: deflate, data descriptors, UTF-8 names),
 * enough for an xlsx file: entries are written one after the other straight onto the output,
 * each compressed by a zlib stream as it is written, and nothing of an entry is kept but its
 * name, CRC and sizes for the central directory. Every write waits for backpressure, both the
 * compressor's and the output's, so memory stays flat however large an entry gets.
 *
 * Sizes and offsets are 32-bit (no ZIP64): an entry may hold up to ZIP_ENTRY_LIMIT bytes and the
 * whole file up to 4 GiB; the xlsx writer starts a new sheet well before an entry reaches that.
 */
import type { Writable } from 'node:stream';
import zlib from 'node:zlib';

/** CRC-32 (zlib.crc32 from Node 20.15 on; a table otherwise). */
const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32: (data: Buffer, value: number) => number =
  typeof zlib.crc32 === 'function'
    ? zlib.crc32
    : (data, value) => {
        let c = ~value;
        for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
        return ~c >>> 0;
      };

/** Largest entry (uncompressed) and largest offset of a zip without ZIP64. */
export const ZIP_ENTRY_LIMIT = 0xffffffff;

/** Raised by writes once the output is closed (e.g. the client went away). */
export class OutputClosedError extends Error {
  constructor() {
    super('The output was closed before the file was complete.');
  }
}

/** Resolves once `stream` emits 'drain'; rejects once `out` is closed or fails (so that no one waits forever). */
export function drained(stream: NodeJS.EventEmitter, out: Writable): Promise<void> {
  if (out.destroyed) return Promise.reject(new OutputClosedError());
  return new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', onClose);
      if (stream !== out) stream.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new OutputClosedError());
    const onError = (error: Error) => done(error);
    stream.once('drain', onDrain);
    out.once('close', onClose);
    out.once('error', onClose);
    if (stream !== out) stream.once('error', onError);
  });
}

/** Writes to the output, waiting for it to drain when its buffer is full. */
export async function writeOut(out: Writable, chunk: Buffer | string): Promise<void> {
  if (out.destroyed || out.writableEnded) throw new OutputClosedError();
  if (!out.write(chunk)) await drained(out, out);
}

/** MS-DOS date and time of a zip header. */
function dosDateTime(date: Date): { time: number; date: number } {
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((Math.max(date.getFullYear(), 1980) - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

const FLAGS = 0x0808; // bit 3: sizes and CRC in a data descriptor after the data; bit 11: UTF-8 names
const DEFLATE = 8;
const VERSION = 20;

interface EntryRecord {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** One entry being written: `write` text or bytes, then `close`. */
export interface ZipEntry {
  /** Uncompressed bytes written so far. */
  readonly size: number;
  write(chunk: string | Buffer): Promise<void>;
  close(): Promise<void>;
}

export class ZipWriter {
  private readonly entries: EntryRecord[] = [];
  private offset = 0;
  private open: ZipEntry | null = null;
  private readonly stamp = dosDateTime(new Date());

  constructor(
    private readonly out: Writable,
    private readonly level = zlib.constants.Z_DEFAULT_COMPRESSION,
  ) {}

  private async emit(chunk: Buffer): Promise<void> {
    this.offset += chunk.length;
    if (this.offset > ZIP_ENTRY_LIMIT) throw new Error('The file is too large for a zip without ZIP64.');
    await writeOut(this.out, chunk);
  }

  /** Starts an entry; the previous one must be closed. */
  async entry(fileName: string): Promise<ZipEntry> {
    if (this.open) throw new Error('Close the previous zip entry first.');
    const name = Buffer.from(fileName, 'utf8');
    const record: EntryRecord = { name, crc: 0, compressed: 0, size: 0, offset: this.offset };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(VERSION, 4);
    header.writeUInt16LE(FLAGS, 6);
    header.writeUInt16LE(DEFLATE, 8);
    header.writeUInt16LE(this.stamp.time, 10);
    header.writeUInt16LE(this.stamp.date, 12);
    // CRC and sizes (14..25) stay 0: they follow the data in the data descriptor.
    header.writeUInt16LE(name.length, 26);
    header.writeUInt16LE(0, 28);
    await this.emit(Buffer.concat([header, name]));

    const out = this.out;
    const deflate = zlib.createDeflateRaw({ level: this.level });
    let failure: Error | null = null;
    // Compressed output goes straight to the response; the compressor pauses while the response is full.
    deflate.on('data', (chunk: Buffer) => {
      record.compressed += chunk.length;
      this.offset += chunk.length;
      if (out.destroyed || out.writableEnded) {
        failure ??= new OutputClosedError();
        deflate.destroy();
        return;
      }
      if (!out.write(chunk)) {
        deflate.pause();
        drained(out, out).then(
          () => deflate.resume(),
          (error: Error) => {
            failure ??= error;
            deflate.destroy();
          },
        );
      }
    });
    deflate.on('error', (error) => (failure ??= error));
    const ended = new Promise<void>((resolve, reject) => {
      deflate.once('end', resolve);
      deflate.once('close', () => (failure ? reject(failure) : resolve()));
    });
    ended.catch(() => {}); // observed in close()

    const entry: ZipEntry = {
      get size() {
        return record.size;
      },
      write: async (chunk) => {
        if (failure) throw failure;
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        record.size += bytes.length;
        if (record.size > ZIP_ENTRY_LIMIT) throw new Error(`The zip entry ${fileName} is too large for a zip without ZIP64.`);
        record.crc = crc32(bytes, record.crc);
        if (!deflate.write(bytes)) await drained(deflate, out);
        if (failure) throw failure;
      },
      close: async () => {
        if (failure) throw failure;
        deflate.end();
        await ended;
        if (failure) throw failure;
        const descriptor = Buffer.alloc(16);
        descriptor.writeUInt32LE(0x08074b50, 0);
        descriptor.writeUInt32LE(record.crc >>> 0, 4);
        descriptor.writeUInt32LE(record.compressed, 8);
        descriptor.writeUInt32LE(record.size, 12);
        await this.emit(descriptor);
        this.entries.push(record);
        this.open = null;
      },
    };
    this.open = entry;
    return entry;
  }

  /** A whole (small) entry at once. */
  async file(fileName: string, content: string): Promise<void> {
    const entry = await this.entry(fileName);
    await entry.write(content);
    await entry.close();
  }

  /** Writes the central directory and ends the output. */
  async finish(): Promise<void> {
    if (this.open) throw new Error('Close the last zip entry first.');
    const start = this.offset;
    const parts: Buffer[] = [];
    for (const e of this.entries) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(VERSION, 4); // made by: MS-DOS, 2.0
      h.writeUInt16LE(VERSION, 6);
      h.writeUInt16LE(FLAGS, 8);
      h.writeUInt16LE(DEFLATE, 10);
      h.writeUInt16LE(this.stamp.time, 12);
      h.writeUInt16LE(this.stamp.date, 14);
      h.writeUInt32LE(e.crc >>> 0, 16);
      h.writeUInt32LE(e.compressed, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      // extra field, comment, disk number, internal and external attributes: 0
      h.writeUInt32LE(e.offset, 42);
      parts.push(h, e.name);
    }
    const directory = Buffer.concat(parts);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(start, 16);
    await this.emit(Buffer.concat([directory, end]));
    this.out.end();
  }
}
