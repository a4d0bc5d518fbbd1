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
    return this.ends[column] - start === text.length && this.source.startsWith(text, start);
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
      if (at >= text.length || !text.startsWith(delimiter, at)) break;
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
    return this.text.startsWith(this.delimiter, at) || this.text.startsWith(this.lineBreak, at);
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
