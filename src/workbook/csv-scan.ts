/**
 * A delimited file's records as field boundaries in its bytes, for the reader of a large log (csv-log.ts).
 *
 * papaparse hands over every record as an array of field strings, and needs the whole file decoded
 * first: on UCI Online Retail, a 48 MB file becomes a 96 MB string, then 541,909 arrays and 4.3
 * million strings, for a reader that keeps five fields of each line and needs of the others only
 * whether they are blank. This scanner reads the bytes themselves, which works in every encoding
 * whose delimiter, quote and line-break bytes stand only for those characters (UTF-8, Windows-1252:
 * ASCII bytes never occur inside another character). It finds the same records and fields as
 * papaparse (a field opening with `"` is quoted, `""` inside is a quote, records end at the line
 * break papaparse would choose), hands each record over as offsets into the bytes, and a field
 * becomes a string only when the reader asks for it: once per distinct text of a column.
 *
 * It takes only the shape papaparse reads without complaint and without guessing: every quoted
 * field closed and followed at once by the delimiter, the line break or the end. Anything else
 * (a quote never closed, text or spaces after a closing quote, a byte-order mark, more fields than
 * a sheet has columns) returns undefined, and the caller reads the text with papaparse, whose
 * errors and repairs then apply as before.
 */
import Papa from 'papaparse';
import { SHEET_COLUMNS } from './grid';
import type { Delimiter } from './csv';

const QUOTE = 0x22;

/** How far papaparse looks for the line break (its guessLineEndings reads the first 1,048,576 characters). */
const LINE_BREAK_SAMPLE = 1024 * 1024;

/** Decodes bytes of the file (one field) in its encoding. */
export type SpanDecoder = (bytes: Uint8Array) => string;

/**
 * One record: its fields as [start, end) byte offsets of their content (quotes left out).
 * The object is reused from record to record: read it inside the visit, never keep it.
 */
export class RecordSpans {
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  /** 1 where the content holds doubled quotes, which its text turns into single ones. */
  private escaped = new Uint8Array(64);
  /** Where the record starts in the bytes. */
  start = 0;
  /** Fields in the record, trailing empty ones included. */
  count = 0;
  /** Fields without the trailing empty ones (as eachRecord's width): 0 for a record without a field. */
  width = 0;

  constructor(readonly source: Uint8Array, private readonly decode: SpanDecoder) {}

  /** Field `column`'s text as papaparse gives it ('' past the last field). */
  text(column: number): string {
    if (column >= this.count) return '';
    const text = decodeSpan(this.source, this.starts[column], this.ends[column], this.decode);
    return this.escaped[column] ? text.replace(/""/g, '"') : text;
  }

  /** Whether field `column` holds the text of `code` among `codes` (-1: is empty), told without building the field's string. */
  holds(column: number, codes: TextCodes, code: number): boolean {
    const empty = column >= this.count || this.ends[column] === this.starts[column];
    if (code < 0 || empty) return code < 0 && empty;
    if (this.escaped[column]) return this.text(column) === codes.texts[code];
    return codes.spanIs(code, this.source, this.starts[column], this.ends[column]);
  }

  /** The code of field `column` among `codes`' texts (-1 for an empty field), told without building its string but the first time. */
  codeIn(column: number, codes: TextCodes): number {
    if (column >= this.count || this.ends[column] === this.starts[column]) return -1;
    if (this.escaped[column]) return codes.codeOfBytes(unescapedBytes(this.source, this.starts[column], this.ends[column]), this.decode);
    return codes.codeOfSpan(this.source, this.starts[column], this.ends[column], this.decode);
  }

  /** Whether field `column` is empty or white space only (String.prototype.trim's white space). */
  isBlank(column: number): boolean {
    if (column >= this.count) return true;
    for (let at = this.starts[column]; at < this.ends[column]; at++) {
      const byte = this.source[at];
      if (byte === 0x20 || (byte >= 0x09 && byte <= 0x0d)) continue;
      // Outside ASCII, trim decides (no-break space, the Unicode spaces, the byte-order mark).
      return byte < 0x80 ? false : this.text(column).trim() === '';
    }
    return true;
  }

  /** Every field's text, as papaparse's array for the record. */
  fields(): string[] {
    return Array.from({ length: this.count }, (_, column) => this.text(column));
  }

  /** Starts a record at `start`. */
  clear(start: number): void {
    this.start = start;
    this.count = 0;
    this.width = 0;
  }

  /** Adds a field; false past the columns a sheet has (the caller then leaves the text to papaparse). */
  add(start: number, end: number, escaped: boolean): boolean {
    if (this.count === SHEET_COLUMNS) return false;
    if (this.count === this.starts.length) this.grow();
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.escaped[this.count] = escaped ? 1 : 0;
    this.count++;
    if (end > start) this.width = this.count;
    return true;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const escaped = new Uint8Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    escaped.set(this.escaped);
    [this.starts, this.ends, this.escaped] = [starts, ends, escaped];
  }
}

/**
 * The distinct texts of a column in order of first sight, each with its code (its index). A field
 * is looked up by its bytes: hashed and compared byte by byte with the bytes the text was first
 * seen as, so a text seen before costs no string. Equal bytes are equal texts and, in a valid
 * encoding, the other way round, so each text gets one code.
 *
 * An instance is used one way only: by bytes (codeOfSpan, codeOfBytes, spanIs) or by text (codeOf,
 * for papaparse's fields).
 */
export class TextCodes {
  readonly texts: string[] = [];
  private readonly bytes: Uint8Array[] = [];
  private hashes: number[] = [];
  /** Open addressing: the code + 1 in a slot, 0 for an empty one; always at most half full. */
  private slots = new Int32Array(1024);
  private byText?: Map<string, number>;

  /** The code of `text`, a new one the first time it is seen. */
  codeOf(text: string): number {
    this.byText ??= new Map();
    let code = this.byText.get(text);
    if (code === undefined) {
      code = this.texts.length;
      this.texts.push(text);
      this.byText.set(text, code);
    }
    return code;
  }

  /** The code of source[start, end), a new one (decoded) the first time it is seen. */
  codeOfSpan(source: Uint8Array, start: number, end: number, decode: SpanDecoder): number {
    const hash = hashOf(source, start, end);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const code = this.slots[slot] - 1;
      if (code < 0) return this.add(source.subarray(start, end), hash, slot, decode);
      if (this.hashes[code] === hash && this.spanIs(code, source, start, end)) return code;
    }
  }

  /** The code of a whole byte array (an unescaped quoted field). */
  codeOfBytes(bytes: Uint8Array, decode: SpanDecoder): number {
    return this.codeOfSpan(bytes, 0, bytes.length, decode);
  }

  /** Whether source[start, end) holds the bytes of `code`'s text. */
  spanIs(code: number, source: Uint8Array, start: number, end: number): boolean {
    const bytes = this.bytes[code];
    if (bytes.length !== end - start) return false;
    for (let k = 0; k < bytes.length; k++) if (source[start + k] !== bytes[k]) return false;
    return true;
  }

  private add(bytes: Uint8Array, hash: number, slot: number, decode: SpanDecoder): number {
    const code = this.texts.length;
    this.texts.push(decodeSpan(bytes, 0, bytes.length, decode));
    this.bytes.push(bytes);
    this.hashes.push(hash);
    this.slots[slot] = code + 1;
    if (this.texts.length * 2 > this.slots.length) this.grow();
    return code;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    this.hashes.forEach((hash, code) => {
      let slot = hash & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = code + 1;
    });
    this.slots = slots;
  }
}

/** FNV-1a over the bytes source[start, end). */
function hashOf(source: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let at = start; at < end; at++) hash = Math.imul(hash ^ source[at], 0x01000193);
  return hash >>> 0;
}

/** Texts this short and all ASCII are made from their bytes directly: cheaper than a call into the decoder. */
const SHORT_ASCII = 32;

/** source[start, end) as text: ASCII of a few bytes as their character codes in one call, anything else by the file's decoder. */
function decodeSpan(source: Uint8Array, start: number, end: number, decode: SpanDecoder): string {
  const span = source.subarray(start, end);
  return span.length <= SHORT_ASCII && isAscii(span) ? String.fromCharCode.apply(null, span as unknown as number[]) : decode(span);
}

function isAscii(bytes: Uint8Array): boolean {
  for (let at = 0; at < bytes.length; at++) if (bytes[at] >= 0x80) return false;
  return true;
}

/** The content of a quoted field with each doubled quote made single. */
function unescapedBytes(source: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  let length = 0;
  for (let at = start; at < end; at++) {
    out[length++] = source[at];
    if (source[at] === QUOTE) at++;
  }
  return out.subarray(0, length);
}

/** The line break as bytes: its first, and its second or -1 ('\r\n' against '\n' or '\r'). */
interface LineBreak { first: number; second: number; length: number }

/**
 * Visits every record of `source` as papaparse splits its text (see the module comment), in order,
 * with its 0-based index; records without a field are visited too (width 0). `visit` returning
 * false stops there.
 * @param source the file's bytes after any byte-order mark, in an encoding whose ASCII bytes are ASCII
 * @param decode the file's decoder, for the fields asked for as text
 * @returns how many records were visited, or undefined when the text has a shape this scanner
 *   leaves to papaparse; the visits made until then are to be discarded
 */
export function scanRecords(
  source: Uint8Array, delimiter: Delimiter, decode: SpanDecoder, visit: (record: RecordSpans, index: number) => boolean | void,
): number | undefined {
  if (source.length === 0) return 0;
  // A byte-order mark (U+FEFF in UTF-8) the decoder would drop at the start: papaparse decides.
  if (source[0] === 0xef && source[1] === 0xbb && source[2] === 0xbf) return undefined;
  return scanFrom(source, delimiter.charCodeAt(0), lineBreakOf(source, delimiter, decode), 0, new RecordSpans(source, decode), visit);
}

/** The fields of the record that starts at `start` (a RecordSpans' start), as papaparse gives them. */
export function recordAt(source: Uint8Array, delimiter: Delimiter, decode: SpanDecoder, start: number): string[] {
  let fields: string[] = [];
  scanFrom(source, delimiter.charCodeAt(0), lineBreakOf(source, delimiter, decode), start, new RecordSpans(source, decode), (record) => {
    fields = record.fields();
    return false;
  });
  return fields;
}

/** scanRecords from the record starting at `from`, until `visit` returns false. */
function scanFrom(
  source: Uint8Array, separator: number, lineBreak: LineBreak, from: number, record: RecordSpans, visit: (record: RecordSpans, index: number) => boolean | void,
): number | undefined {
  const length = source.length;
  let at = from;
  let index = 0;
  for (;;) {
    record.clear(at);
    for (;;) {
      let start = at;
      let end: number;
      let escaped = false;
      // Every read stays inside the bytes: a read past the end makes V8 recompile the loop slower.
      if (at < length && source[at] === QUOTE) {
        end = closingQuote(source, at);
        if (end < 0) return undefined;
        start = at + 1;
        escaped = holdsQuote(source, start, end);
        at = end + 1;
        if (at < length && source[at] !== separator && !isLineBreak(source, at, lineBreak)) return undefined;
      } else {
        end = at = fieldEnd(source, at, separator, lineBreak);
      }
      if (!record.add(start, end, escaped)) return undefined;
      if (at >= length || source[at] !== separator) break;
      at++;
    }
    if (visit(record, index++) === false || at >= length) return index;
    at += lineBreak.length;
  }
}

/** The first delimiter or line break at or after `from`; the length when there is none. One loop over the bytes, the hot one. */
function fieldEnd(source: Uint8Array, from: number, separator: number, lineBreak: LineBreak): number {
  const { first, second } = lineBreak;
  const length = source.length;
  for (let at = from; at < length; at++) {
    const byte = source[at];
    if (byte === separator) return at;
    if (byte === first && (second < 0 || (at + 1 < length && source[at + 1] === second))) return at;
  }
  return length;
}

function isLineBreak(source: Uint8Array, at: number, lineBreak: LineBreak): boolean {
  return source[at] === lineBreak.first && (lineBreak.second < 0 || (at + 1 < source.length && source[at + 1] === lineBreak.second));
}

/** Whether a quote stands in source[start, end): in a quoted field's content, a doubled one. */
function holdsQuote(source: Uint8Array, start: number, end: number): boolean {
  for (let at = start; at < end; at++) if (source[at] === QUOTE) return true;
  return false;
}

/**
 * The quote closing the quoted field that opens at `open`, as papaparse finds it: the first quote
 * that is the last byte or not followed by another (a pair is a quote in the content).
 * -1 when there is none.
 */
function closingQuote(source: Uint8Array, open: number): number {
  for (let at = open + 1; at < source.length; at++) {
    if (source[at] !== QUOTE) continue;
    if (at === source.length - 1 || source[at + 1] !== QUOTE) return at;
    at++;
  }
  return -1;
}

/**
 * The line break papaparse splits the text at: '\n', '\r\n' or '\r', as its own guess from the
 * first 1,048,576 characters decides (3 bytes a UTF-16 unit at most cover them).
 */
function lineBreakOf(source: Uint8Array, delimiter: Delimiter, decode: SpanDecoder): LineBreak {
  const head = source.length > 3 * LINE_BREAK_SAMPLE ? source.subarray(0, 3 * LINE_BREAK_SAMPLE) : source;
  const text = decode(head);
  const sample = text.length > LINE_BREAK_SAMPLE ? text.slice(0, LINE_BREAK_SAMPLE) : text;
  const lineBreak = Papa.parse<string[]>(sample, { delimiter, preview: 1 }).meta.linebreak;
  return { first: lineBreak.charCodeAt(0), second: lineBreak.length > 1 ? lineBreak.charCodeAt(1) : -1, length: lineBreak.length };
}
