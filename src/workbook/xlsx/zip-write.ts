import { Deflate } from 'fflate';
import type { ZipArchive, ZipEntry } from './zip';

/** CRC-32 (ISO 3309, the polynomial zip uses), table-driven. */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of `bytes` continued from `crc` (0 to start). */
export function updateCrc(crc: number, bytes: Uint8Array): number {
  let c = crc ^ 0xffffffff;
  for (let index = 0; index < bytes.length; index++) c = CRC_TABLE[(c ^ bytes[index]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS time and date, as zip stores them. */
function dosDateTime(date: Date): { time: number; date: number } {
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((Math.max(1980, date.getFullYear()) - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

interface WrittenEntry {
  nameBytes: Uint8Array;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  offset: number;
  time: number;
  date: number;
}

const encoder = new TextEncoder();
/** Bit 11: the name is UTF-8. */
const UTF8_FLAG = 0x800;
/** Bit 3: CRC and sizes follow the data in a data descriptor (APPNOTE 4.3.9), so a part streams out as it is deflated. */
const DATA_DESCRIPTOR_FLAG = 0x8;

/** A raw-deflate stream (RFC 1951): bytes in with `push`, compressed chunks out through its callback; `final` ends the stream. */
export interface DeflateStream {
  push(bytes: Uint8Array, final: boolean): void;
}

/**
 * How the writer deflates and checksums. The portable codec (fflate and a table CRC) runs in the
 * browser and in Node alike; the CLI injects Node's native zlib, which does the same work several
 * times faster (src/cli/node-codec.ts). Any codec must produce standard raw deflate.
 */
export interface ZipCodec {
  /** A new raw-deflate stream at about zlib level 6, writing its output to `onChunk`. */
  deflater(onChunk: (chunk: Uint8Array) => void): DeflateStream;
  /** CRC-32 of `bytes` continued from `crc` (0 to start). */
  crc32(crc: number, bytes: Uint8Array): number;
}

/**
 * fflate's deflate level. Measured on 64 MB of sheet XML (300,000 rows): level 3 took half the
 * time of level 6 for a file 4 % larger.
 */
const PORTABLE_DEFLATE_LEVEL = 3;

/** fflate's deflate and the table CRC: no platform dependency. */
export const PORTABLE_CODEC: ZipCodec = {
  deflater(onChunk) {
    const deflate = new Deflate({ level: PORTABLE_DEFLATE_LEVEL }, (chunk) => onChunk(chunk));
    return { push: (bytes, final) => deflate.push(bytes, final) };
  },
  crc32: updateCrc,
};

/** Text pieces are encoded and deflated in batches of about this many characters: fewer, larger calls into the codec. */
const BATCH_CHARACTERS = 1 << 20;

/**
 * Writes a zip archive as a stream of chunks. A part SegmentKit did not change is copied as its
 * stored bytes (`copy`); a part it writes is deflated (`add`). Output goes to `sink` in order, so
 * the CLI streams it to a file and the browser collects it into a Blob. A part given as a
 * sequence of chunks (a million-row sheet) is deflated and handed to `sink` as it comes, its CRC
 * and sizes in a data descriptor after the data, so its compressed bytes are never held whole.
 * @throws Error when the archive would need ZIP64 (4 GiB or 65,535 entries), which Excel files never reach
 */
export class ZipWriter {
  private offset = 0;
  private readonly written: WrittenEntry[] = [];
  private readonly now = dosDateTime(new Date());

  /** @param codec deflate and CRC-32; the portable one unless the platform offers a faster one */
  constructor(private readonly sink: (chunk: Uint8Array) => void, private readonly codec: ZipCodec = PORTABLE_CODEC) {}

  /** Copies an entry of another archive unchanged: its compressed bytes, CRC, sizes and time. */
  copy(archive: ZipArchive, entry: ZipEntry): void {
    this.emitEntry({
      nameBytes: encoder.encode(entry.name),
      method: entry.method,
      flags: UTF8_FLAG,
      crc32: entry.crc32,
      compressedSize: entry.compressedSize,
      size: entry.size,
      offset: 0,
      time: entry.dosTime,
      date: entry.dosDate,
    }, [archive.compressed(entry)]);
  }

  /** Deflates and adds a part from text or bytes, given whole or as a sequence of chunks (streamed). */
  add(name: string, content: string | Uint8Array | Iterable<string | Uint8Array>): void {
    if (typeof content === 'string' || content instanceof Uint8Array) this.addWhole(name, typeof content === 'string' ? encoder.encode(content) : content);
    else this.addStreamed(name, content);
  }

  private newEntry(name: string, flags: number): WrittenEntry {
    return { nameBytes: encoder.encode(name), method: 8, flags, crc32: 0, compressedSize: 0, size: 0, offset: 0, time: this.now.time, date: this.now.date };
  }

  private addWhole(name: string, bytes: Uint8Array): void {
    const entry = this.newEntry(name, UTF8_FLAG);
    const compressed: Uint8Array[] = [];
    const deflate = this.codec.deflater((chunk) => { compressed.push(chunk); entry.compressedSize += chunk.length; });
    deflate.push(bytes, true);
    entry.crc32 = this.codec.crc32(0, bytes);
    entry.size = bytes.length;
    this.emitEntry(entry, compressed);
  }

  private addStreamed(name: string, content: Iterable<string | Uint8Array>): void {
    const entry = this.newEntry(name, UTF8_FLAG | DATA_DESCRIPTOR_FLAG);
    this.emitLocalHeader(entry);
    const deflate = this.codec.deflater((chunk) => { entry.compressedSize += chunk.length; this.emit(chunk); });
    const pushBytes = (bytes: Uint8Array) => {
      if (bytes.length === 0) return;
      entry.crc32 = this.codec.crc32(entry.crc32, bytes);
      entry.size += bytes.length;
      deflate.push(bytes, false);
    };
    let batch: string[] = [];
    let batchCharacters = 0;
    const flushText = () => {
      if (batch.length === 0) return;
      pushBytes(encoder.encode(batch.length === 1 ? batch[0] : batch.join('')));
      batch = [];
      batchCharacters = 0;
    };
    for (const piece of content) {
      if (typeof piece === 'string') {
        batch.push(piece);
        batchCharacters += piece.length;
        if (batchCharacters >= BATCH_CHARACTERS) flushText();
      } else {
        flushText();
        pushBytes(piece);
      }
    }
    flushText();
    deflate.push(new Uint8Array(0), true);
    if (entry.size >= 0xffffffff || this.offset >= 0xffffffff) throw tooLarge();
    const descriptor = new Uint8Array(16);
    const view = new DataView(descriptor.buffer);
    view.setUint32(0, 0x08074b50, true);
    view.setUint32(4, entry.crc32, true);
    view.setUint32(8, entry.compressedSize, true);
    view.setUint32(12, entry.size, true);
    this.emit(descriptor);
    this.written.push(entry);
  }

  /** Writes the central directory and its end record; the archive is complete after this. */
  finish(): void {
    const start = this.offset;
    for (const entry of this.written) {
      const header = new Uint8Array(46 + entry.nameBytes.length);
      const view = new DataView(header.buffer);
      view.setUint32(0, 0x02014b50, true);
      view.setUint16(4, 20, true);
      view.setUint16(6, 20, true);
      view.setUint16(8, entry.flags, true);
      view.setUint16(10, entry.method, true);
      view.setUint16(12, entry.time, true);
      view.setUint16(14, entry.date, true);
      view.setUint32(16, entry.crc32, true);
      view.setUint32(20, entry.compressedSize, true);
      view.setUint32(24, entry.size, true);
      view.setUint16(28, entry.nameBytes.length, true);
      view.setUint32(42, entry.offset, true);
      header.set(entry.nameBytes, 46);
      this.emit(header);
    }
    const end = new Uint8Array(22);
    const view = new DataView(end.buffer);
    view.setUint32(0, 0x06054b50, true);
    view.setUint16(8, this.written.length, true);
    view.setUint16(10, this.written.length, true);
    view.setUint32(12, this.offset - start, true);
    view.setUint32(16, start, true);
    this.emit(end);
  }

  private emitEntry(entry: WrittenEntry, data: Uint8Array[]): void {
    if (this.offset + entry.compressedSize + 30 + entry.nameBytes.length >= 0xffffffff || entry.size >= 0xffffffff) throw tooLarge();
    this.emitLocalHeader(entry);
    for (const chunk of data) this.emit(chunk);
    this.written.push(entry);
  }

  /** The local file header; with a data descriptor its CRC and sizes are zero (APPNOTE 4.4.4). */
  private emitLocalHeader(entry: WrittenEntry): void {
    if (this.written.length >= 0xffff || this.offset >= 0xffffffff) throw tooLarge();
    entry.offset = this.offset;
    const header = new Uint8Array(30 + entry.nameBytes.length);
    const view = new DataView(header.buffer);
    view.setUint32(0, 0x04034b50, true);
    view.setUint16(4, 20, true);
    view.setUint16(6, entry.flags, true);
    view.setUint16(8, entry.method, true);
    view.setUint16(10, entry.time, true);
    view.setUint16(12, entry.date, true);
    if (!(entry.flags & DATA_DESCRIPTOR_FLAG)) {
      view.setUint32(14, entry.crc32, true);
      view.setUint32(18, entry.compressedSize, true);
      view.setUint32(22, entry.size, true);
    }
    view.setUint16(26, entry.nameBytes.length, true);
    header.set(entry.nameBytes, 30);
    this.emit(header);
  }

  private emit(chunk: Uint8Array): void {
    this.offset += chunk.length;
    this.sink(chunk);
  }
}

function tooLarge(): Error {
  return new Error('The result would be larger than a zip file without ZIP64 holds (4 GB); Excel cannot open such a workbook either.');
}

/** A whole archive written into memory, for the browser's download and for tests; `codec` as ZipWriter takes it. */
export function zipToBytes(write: (writer: ZipWriter) => void, codec?: ZipCodec): Uint8Array {
  const chunks: Uint8Array[] = [];
  const writer = new ZipWriter((chunk) => chunks.push(chunk), codec);
  write(writer);
  writer.finish();
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) { bytes.set(chunk, at); at += chunk.length; }
  return bytes;
}
