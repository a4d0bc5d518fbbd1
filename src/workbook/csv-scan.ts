/**
 * A delimited text's records as field boundaries, for the reader of a large log (csv-log.ts).
 *
 * papaparse hands over every record as an array of field strings: on UCI Online Retail, 541,909
 * arrays and 4.3 million strings, half a second, for a reader that keeps four fields of each line
 * and needs of the others only whether they are blank. This scanner finds the same records and
 * fields as papaparse (a field opening with `"` is quoted, `""` inside is a quote, records end at
 * the line break papaparse would choose), and hands each record over as offsets into the text:
 * a field becomes a string only when the reader asks for it.
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

/** How far papaparse looks for the line break (its guessLineEndings reads the first megabyte). */
const LINE_BREAK_SAMPLE = 1024 * 1024;

/**
 * One record: its fields as [start, end) offsets of their content in the text (quotes left out).
 * The object is reused from record to record: read it inside the visit, never keep it.
 */
export class RecordSpans {
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  /** 1 where the content holds doubled quotes, which its text turns into single ones. */
  private escaped = new Uint8Array(64);
  /** Where the record starts in the text. */
  start = 0;
  /** Fields in the record, trailing empty ones included. */
  count = 0;
  /** Fields without the trailing empty ones (as eachRecord's width): 0 for a record without a field. */
  width = 0;

  constructor(readonly source: string) {}

  /** Field `column`'s text as papaparse gives it ('' past the last field). */
  text(column: number): string {
    if (column >= this.count) return '';
    const text = this.source.slice(this.starts[column], this.ends[column]);
    return this.escaped[column] ? text.replace(/""/g, '"') : text;
  }

  /** Whether field `column` is `text`, told without building the field's string where it can be. */
  is(column: number, text: string): boolean {
    if (column >= this.count) return text === '';
    if (this.escaped[column]) return this.text(column) === text;
    const start = this.starts[column];
    return this.ends[column] - start === text.length && sameCharacters(this.source, start, text);
  }

  /** The code of field `column` among `codes`' texts (-1 for an empty field), told without building its string but the first time. */
  codeIn(column: number, codes: TextCodes): number {
    if (column >= this.count || this.ends[column] === this.starts[column]) return -1;
    return this.escaped[column] ? codes.codeOf(this.text(column)) : codes.codeOfSpan(this.source, this.starts[column], this.ends[column]);
  }

  /** Whether field `column` is empty or white space only (String.prototype.trim's white space). */
  isBlank(column: number): boolean {
    if (column >= this.count) return true;
    for (let at = this.starts[column]; at < this.ends[column]; at++) {
      const code = this.source.charCodeAt(at);
      if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) continue;
      // Outside ASCII, trim decides (no-break space, the Unicode spaces, the byte-order mark).
      return code < 0x80 ? false : this.text(column).trim() === '';
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
 * The distinct texts of a column in order of first sight, each with its code (its index). A
 * field is looked up by its place in the source text: hashed over its characters and compared
 * character by character, so a text seen before costs no string, where a Map needs one per field.
 */
export class TextCodes {
  readonly texts: string[] = [];
  private hashes: number[] = [];
  /** Open addressing: the code + 1 in a slot, 0 for an empty one; always at most half full. */
  private slots = new Int32Array(1024);

  /** The code of `text`, a new one the first time it is seen. */
  codeOf(text: string): number {
    return this.codeOfSpan(text, 0, text.length);
  }

  /** The code of source[start, end). */
  codeOfSpan(source: string, start: number, end: number): number {
    const hash = hashOf(source, start, end);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const code = this.slots[slot] - 1;
      if (code < 0) return this.add(source.slice(start, end), hash, slot);
      const text = this.texts[code];
      if (this.hashes[code] === hash && text.length === end - start && sameCharacters(source, start, text)) return code;
    }
  }

  private add(text: string, hash: number, slot: number): number {
    const code = this.texts.length;
    this.texts.push(text);
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

/** FNV-1a over the UTF-16 code units of source[start, end). */
function hashOf(source: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let at = start; at < end; at++) hash = Math.imul(hash ^ source.charCodeAt(at), 0x01000193);
  return hash >>> 0;
}

/** Whether `text` stands in `source` at `start` (the caller has compared the lengths). A loop: startsWith at an offset into a long string is many times slower. */
function sameCharacters(source: string, start: number, text: string): boolean {
  for (let k = 0; k < text.length; k++) if (source.charCodeAt(start + k) !== text.charCodeAt(k)) return false;
  return true;
}

/**
 * Visits every record of `text` as papaparse splits it (see the module comment), in order, with
 * its 0-based index; records without a field are visited too (width 0).
 * @returns how many records there are (as eachRecord counts them), or undefined when the text has
 *   a shape this scanner leaves to papaparse; the visits made until then are to be discarded
 */
export function scanRecords(text: string, delimiter: Delimiter, visit: (record: RecordSpans, index: number) => void): number | undefined {
  if (text.length === 0) return 0;
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  return scanFrom(text, delimiter, lineBreakOf(text, delimiter), 0, visit);
}

/** The fields of the record that starts at `start` (a RecordSpans' start), as papaparse gives them. */
export function recordAt(text: string, delimiter: Delimiter, start: number): string[] {
  let fields: string[] = [];
  scanFrom(text, delimiter, lineBreakOf(text, delimiter), start, (record) => {
    fields = record.fields();
    return false;
  });
  return fields;
}

/** scanRecords from the record starting at `from`, until `visit` returns false. */
function scanFrom(
  text: string, delimiter: Delimiter, lineBreak: string, from: number, visit: (record: RecordSpans, index: number) => boolean | void,
): number | undefined {
  const ends = new FieldEnds(text, delimiter, lineBreak);
  const separator = delimiter.charCodeAt(0);
  const record = new RecordSpans(text);
  let at = from;
  let index = 0;
  for (;;) {
    record.clear(at);
    for (;;) {
      let start = at;
      let end: number;
      let escaped = false;
      if (text.charCodeAt(at) === QUOTE) {
        end = closingQuote(text, at);
        if (end < 0) return undefined;
        start = at + 1;
        // The first quote after the opening one is a doubled one or the closing one.
        escaped = text.indexOf('"', start) < end;
        at = end + 1;
        if (at < text.length && !ends.isEnd(at)) return undefined;
      } else {
        end = at = ends.next(at);
      }
      if (!record.add(start, end, escaped)) return undefined;
      if (at >= text.length || text.charCodeAt(at) !== separator) break;
      at++;
    }
    if (visit(record, index++) === false || at >= text.length) return index;
    at += lineBreak.length;
  }
}

/**
 * Where unquoted fields end: at the next delimiter or line break. Both are found with indexOf,
 * which searches many times faster than a loop over the characters, and each is searched again
 * only once the reading has passed it.
 */
class FieldEnds {
  private separator = -1;
  private lineBreakAt = -1;

  constructor(private readonly text: string, private readonly delimiter: string, private readonly lineBreak: string) {
    this.separator = text.indexOf(delimiter);
    this.lineBreakAt = text.indexOf(lineBreak);
  }

  /** The first delimiter or line break at or after `from`; the text's length when there is none. */
  next(from: number): number {
    if (this.separator >= 0 && this.separator < from) this.separator = this.text.indexOf(this.delimiter, from);
    if (this.lineBreakAt >= 0 && this.lineBreakAt < from) this.lineBreakAt = this.text.indexOf(this.lineBreak, from);
    const separator = this.separator < 0 ? this.text.length : this.separator;
    const lineBreak = this.lineBreakAt < 0 ? this.text.length : this.lineBreakAt;
    return Math.min(separator, lineBreak);
  }

  /** Whether a field may end at `at`: a delimiter or a line break is there. */
  isEnd(at: number): boolean {
    return this.text.charCodeAt(at) === this.delimiter.charCodeAt(0) || sameCharacters(this.text, at, this.lineBreak);
  }
}

/**
 * The quote closing the quoted field that opens at `open`, as papaparse finds it: the first quote
 * that is the last character or not followed by another (a pair is a quote in the content).
 * -1 when there is none.
 */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0 || at === text.length - 1) return at;
    if (text.charCodeAt(at + 1) !== QUOTE) return at;
    at++;
  }
}

/** The line break papaparse splits `text` at: '\n', '\r\n' or '\r', as its own guess from the first megabyte decides. */
function lineBreakOf(text: string, delimiter: Delimiter): string {
  const sample = text.length > LINE_BREAK_SAMPLE ? text.slice(0, LINE_BREAK_SAMPLE) : text;
  return Papa.parse<string[]>(sample, { delimiter, preview: 1 }).meta.linebreak;
}
