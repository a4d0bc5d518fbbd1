import { Inflate } from 'fflate';
import { UnreadableWorkbookError } from './errors';

/**
 * The zip container of an .xlsx package (ECMA-376 Part 2, Open Packaging Conventions, over
 * PKWARE's APPNOTE 6.3). fflate inflates and deflates; this module reads and writes only the
 * container's records, for three reasons the product depends on: parts are found by the central
 * directory in any zip order; every part's inflation is bounded by the size the directory
 * declares (a part that inflates past it is refused, so a 3 MB bomb never reaches 1.5 GB); and a
 * part SegmentKit does not change is copied as its original compressed bytes with its original
 * CRC, byte for byte (zip-write.ts).
 */

/** One entry of the central directory. Sizes in bytes. */
export interface ZipEntry {
  /** The name as stored, e.g. "xl/worksheets/sheet1.xml" (OPC part names have no leading '/'). */
  name: string;
  /** 0 stored, 8 deflated; anything else is refused when read. */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  /** The uncompressed size the directory declares; inflation never goes past it. */
  size: number;
  /** Offset of the local file header. */
  localOffset: number;
  /** Modification time and date as stored (MS-DOS format), carried over when copied. */
  dosTime: number;
  dosDate: number;
}

/** Hard ceilings, whatever a file declares: a sheet part of Excel's largest sheet stays well under them. */
export const LIMITS = {
  /** One part, inflated. A 1,048,576-row, 30-column sheet part is about 1 GB of XML. */
  partBytes: 2 ** 31 - 1,
  /** Parts that are read whole into memory as text (workbook, rels, styles, shared strings). */
  textPartBytes: 512 * 2 ** 20,
  /** A part whose inflated size is more than this many times its compressed size is a bomb (XML sheets compress 10–60×; a run of one repeated cell about 300×). */
  ratio: 1_000,
  /** Ratios are only judged on parts bigger than this: small parts of repeated text compress extremely. */
  ratioFloor: 16 * 2 ** 20,
  entries: 65_535,
} as const;

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;

function u16(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8);
}

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

function u64(bytes: Uint8Array, at: number): number {
  return u32(bytes, at) + u32(bytes, at + 4) * 2 ** 32;
}

const utf8 = new TextDecoder('utf-8');
/** Names without the UTF-8 flag are CP437 by the spec; producers of .xlsx only ever write ASCII part names there. */
const latin1 = new TextDecoder('latin1');

function truncated(): UnreadableWorkbookError {
  return new UnreadableWorkbookError('truncated');
}

/** The end-of-central-directory record, searched from the end (it may be followed by a comment). */
function findEndOfDirectory(bytes: Uint8Array): number {
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= earliest; at--) {
    if (u32(bytes, at) === END_OF_DIRECTORY) return at;
  }
  throw truncated();
}

/** A part name SegmentKit will look up, never a path on disk: refuse names that try to be one. */
function checkName(name: string): void {
  if (name.includes('\\') || name.startsWith('/') || /(^|\/)\.\.(\/|$)/.test(name) || /^[a-z]:/i.test(name) || name.includes('\0')) {
    throw new UnreadableWorkbookError('unsafeName', name);
  }
}

/** Sizes and offset that did not fit 32 bits live in the ZIP64 extra field (APPNOTE 4.5.3). */
function applyZip64(entry: ZipEntry, bytes: Uint8Array, extraStart: number, extraLength: number): void {
  for (let at = extraStart; at + 4 <= extraStart + extraLength;) {
    const id = u16(bytes, at);
    const length = u16(bytes, at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      if (entry.size === 0xffffffff) { entry.size = u64(bytes, field); field += 8; }
      if (entry.compressedSize === 0xffffffff) { entry.compressedSize = u64(bytes, field); field += 8; }
      if (entry.localOffset === 0xffffffff) entry.localOffset = u64(bytes, field);
      return;
    }
    at += 4 + length;
  }
}

/**
 * A zip archive held in memory, read through its central directory.
 * @throws UnreadableWorkbookError kind 'truncated' when the directory is missing or cut off,
 *   'unsafeName' for entry names that reach outside the package, 'tooLarge' past LIMITS.entries.
 */
export class ZipArchive {
  readonly entries: ZipEntry[] = [];
  private readonly byName = new Map<string, ZipEntry>();

  constructor(readonly bytes: Uint8Array) {
    const end = findEndOfDirectory(bytes);
    let count = u16(bytes, end + 10);
    let directoryOffset = u32(bytes, end + 16);
    const locator = end - 20;
    if (locator >= 0 && u32(bytes, locator) === ZIP64_LOCATOR) {
      const zip64End = u64(bytes, locator + 8);
      if (zip64End + 56 > bytes.length || u32(bytes, zip64End) !== ZIP64_END) throw truncated();
      count = u64(bytes, zip64End + 32);
      directoryOffset = u64(bytes, zip64End + 48);
    }
    if (count > LIMITS.entries) throw new UnreadableWorkbookError('tooLarge', `${count} zip entries`);
    let at = directoryOffset;
    for (let index = 0; index < count; index++) {
      if (at + 46 > bytes.length || u32(bytes, at) !== CENTRAL_HEADER) throw truncated();
      const nameLength = u16(bytes, at + 28);
      const extraLength = u16(bytes, at + 30);
      const commentLength = u16(bytes, at + 32);
      const flags = u16(bytes, at + 8);
      const rawName = bytes.subarray(at + 46, at + 46 + nameLength);
      const entry: ZipEntry = {
        name: (flags & 0x800 ? utf8 : latin1).decode(rawName),
        method: u16(bytes, at + 10),
        flags,
        dosTime: u16(bytes, at + 12),
        dosDate: u16(bytes, at + 14),
        crc32: u32(bytes, at + 16),
        compressedSize: u32(bytes, at + 20),
        size: u32(bytes, at + 24),
        localOffset: u32(bytes, at + 42),
      };
      applyZip64(entry, bytes, at + 46 + nameLength, extraLength);
      checkName(entry.name);
      if (entry.flags & 0x1) throw new UnreadableWorkbookError('encrypted');
      this.entries.push(entry);
      // OPC part names compare case-insensitively (Part 2, 6.2.2.3).
      this.byName.set(entry.name.toLowerCase(), entry);
      at += 46 + nameLength + extraLength + commentLength;
    }
  }

  /** The entry for a part name (with or without a leading '/'), case-insensitively. */
  get(name: string): ZipEntry | undefined {
    return this.byName.get(name.replace(/^\//, '').toLowerCase());
  }

  /** Where an entry's compressed data starts, past its local header (whose lengths may differ from the directory's). */
  dataOffset(entry: ZipEntry): number {
    const at = entry.localOffset;
    if (at + 30 > this.bytes.length || u32(this.bytes, at) !== LOCAL_HEADER) throw truncated();
    const start = at + 30 + u16(this.bytes, at + 26) + u16(this.bytes, at + 28);
    if (start + entry.compressedSize > this.bytes.length) throw truncated();
    return start;
  }

  /** The entry's data exactly as stored (compressed), for copying it unchanged. */
  compressed(entry: ZipEntry): Uint8Array {
    const start = this.dataOffset(entry);
    return this.bytes.subarray(start, start + entry.compressedSize);
  }

  /**
   * Inflates an entry chunk by chunk, never past the size the directory declares nor past
   * `limit`: a part that inflates further is refused before the excess is produced.
   * @throws UnreadableWorkbookError 'tooLarge' for a bomb, 'truncated' for a damaged stream
   */
  inflate(entry: ZipEntry, onChunk: (chunk: Uint8Array) => void, limit: number = LIMITS.partBytes): void {
    for (const chunk of this.chunks(entry, limit)) onChunk(chunk);
  }

  /** The same as `inflate`, pulled: the next chunk is inflated only when asked for, so a caller can stream a part through. */
  *chunks(entry: ZipEntry, limit: number = LIMITS.partBytes): Generator<Uint8Array> {
    checkDeclaredSize(entry, limit);
    const data = this.compressed(entry);
    if (entry.method === 0) {
      yield data;
      return;
    }
    if (entry.method !== 8) throw new UnreadableWorkbookError('notWorkbook', `compression method ${entry.method} in ${entry.name}`);
    let produced = 0;
    let ready: Uint8Array[] = [];
    const inflater = new Inflate((chunk) => {
      produced += chunk.length;
      if (produced > entry.size) throw new UnreadableWorkbookError('tooLarge', `${entry.name} inflates past the ${entry.size} bytes its zip entry declares`);
      ready.push(chunk);
    });
    const step = 1 << 16;
    for (let at = 0; at < data.length; at += step) {
      try {
        inflater.push(data.subarray(at, Math.min(data.length, at + step)), at + step >= data.length);
      } catch (error) {
        if (error instanceof UnreadableWorkbookError) throw error;
        throw truncated();
      }
      const out = ready;
      ready = [];
      yield* out;
    }
    if (produced !== entry.size) throw truncated();
  }

  /** An entry's text, decoded chunk by chunk (UTF-8), for streaming a big part through a parser or patcher. */
  *textChunks(entry: ZipEntry, limit: number = LIMITS.partBytes): Generator<string> {
    const decoder = new TextDecoder('utf-8');
    for (const chunk of this.chunks(entry, limit)) {
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield text;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }

  /** The whole inflated entry. */
  read(entry: ZipEntry, limit: number = LIMITS.textPartBytes): Uint8Array {
    const chunks: Uint8Array[] = [];
    this.inflate(entry, (chunk) => chunks.push(chunk), limit);
    if (chunks.length === 1) return chunks[0];
    const whole = new Uint8Array(entry.size);
    let at = 0;
    for (const chunk of chunks) { whole.set(chunk, at); at += chunk.length; }
    return whole;
  }

  /** The inflated entry as text (UTF-8, or UTF-16 with its byte-order mark, as XML allows). */
  text(entry: ZipEntry, limit: number = LIMITS.textPartBytes): string {
    return decodeXmlBytes(this.read(entry, limit));
  }
}

function checkDeclaredSize(entry: ZipEntry, limit: number): void {
  if (entry.size > limit) throw new UnreadableWorkbookError('tooLarge', `${entry.name} declares ${entry.size} bytes`);
  if (entry.size > LIMITS.ratioFloor && entry.size > entry.compressedSize * LIMITS.ratio) {
    throw new UnreadableWorkbookError('tooLarge', `${entry.name} would inflate ${Math.round(entry.size / Math.max(1, entry.compressedSize))} times`);
  }
}

/** XML bytes to text: a UTF-16 byte-order mark means UTF-16, otherwise UTF-8 (with its BOM dropped). */
export function decodeXmlBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return utf8.decode(bytes);
}
