import { columnLetter } from '../../engine';

/** Excel's limit on the characters in one cell (ECMA-376 leaves it open; Excel refuses more). */
export const MAX_CELL_CHARACTERS = 32_767;

/**
 * Characters XML 1.0 cannot carry (C0 controls other than tab, LF and CR, lone surrogates,
 * U+FFFE/FFFF). Excel escapes them as _xHHHH_; SegmentKit only writes its own text, so it drops them.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A character XML cannot carry, for a quick test before the replacing pass. */
// eslint-disable-next-line no-control-regex
const HAS_NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/;

/**
 * Text made safe for an XML text node or attribute value. Millions of cells pass through here
 * (every live formula has quotes), so each replacing pass runs only for a character the text
 * holds, and with a plain replacement string: much faster than one pass calling back per match.
 */
export function escapeXml(text: string): string {
  // Any surrogate sends the text through the exact pass, which keeps well-formed pairs.
  let clean = HAS_NOT_XML.test(text) ? text.replace(NOT_XML, '') : text;
  if (clean.includes('&')) clean = clean.replace(/&/g, '&amp;');
  if (clean.includes('<')) clean = clean.replace(/</g, '&lt;');
  if (clean.includes('>')) clean = clean.replace(/>/g, '&gt;');
  if (clean.includes('"')) clean = clean.replace(/"/g, '&quot;');
  return clean;
}

/** Column letters worked out once per column: a million rows ask for the same few. */
const LETTERS: string[] = [];

/** An A1 reference from 0-based row and column. */
export function cellRef(row: number, column: number): string {
  return `${(LETTERS[column] ??= columnLetter(column))}${row + 1}`;
}

/**
 * Cell text as an XML text node that reads back as the same text: escaped for XML, a carriage
 * return written as _x000D_ (an XML parser turns a raw one into a line feed) and a literal
 * "_xHHHH_" protected as _x005F_xHHHH_, as Excel writes them (ECMA-376 Part 1, 22.9.2.19).
 */
export function escapeCellText(text: string): string {
  let escaped = escapeXml(text);
  if (escaped.includes('_x')) escaped = escaped.replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_');
  if (escaped.includes('\r')) escaped = escaped.replace(/\r/g, '_x000D_');
  return escaped;
}

/** Escaped texts by text: a plan repeats its tier ids, actions and owners a million times. */
const escapedTexts = new Map<string, string>();
const ESCAPED_TEXTS_LIMIT = 50_000;

function escapedText(value: string): string {
  let escaped = escapedTexts.get(value);
  if (escaped === undefined) {
    escaped = escapeCellText(value.slice(0, MAX_CELL_CHARACTERS));
    if (escapedTexts.size >= ESCAPED_TEXTS_LIMIT) escapedTexts.clear();
    escapedTexts.set(value, escaped);
  }
  return escaped;
}

/**
 * One `<c>` element for SegmentKit's own cells. Text is always an inline string, so it can never
 * be read as a formula, a number or a date ("+45 Tele", "00123", "2024-01", "TRUE" stay text);
 * a formula carries its computed result as the cached value (`t="str"` for text results), so a
 * reader that does not recalculate still shows the right value. Formulas are written without '='.
 *
 * @param row 0-based sheet row; @param column 0-based sheet column
 * @param style index into styles.xml's cellXfs, or undefined for the default style
 */
export function cellXml(row: number, column: number, value: string | number | boolean | null | undefined, formula?: string, style?: number): string {
  if (formula) return formulaCellXml(row, column, value, `<f>${escapeXml(formula)}</f>`, style);
  const ref = cellRef(row, column);
  const s = style ? ` s="${style}"` : '';
  if (value === null || value === undefined || value === '') return s ? `<c r="${ref}"${s}/>` : '';
  if (typeof value === 'number') return Number.isFinite(value) ? `<c r="${ref}"${s}><v>${value}</v></c>` : '';
  if (typeof value === 'boolean') return `<c r="${ref}"${s} t="b"><v>${value ? 1 : 0}</v></c>`;
  const text = escapedText(value);
  // Only XML's own whitespace (space, tab, line feed) needs preserving; all of it is below 33.
  const space = text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32 ? ' xml:space="preserve"' : '';
  return `<c r="${ref}"${s} t="inlineStr"><is><t${space}>${text}</t></is></c>`;
}

/**
 * A formula cell from its `<f>` element, which may be a shared formula's (`<f t="shared" ref="M2:M9"
 * si="0">…</f>` on the first cell, `<f t="shared" si="0"/>` on the cells that reuse it), with the
 * computed value cached as `cellXml` caches it.
 */
export function formulaCellXml(row: number, column: number, value: string | number | boolean | null | undefined, f: string, style?: number): string {
  const ref = cellRef(row, column);
  const s = style ? ` s="${style}"` : '';
  if (typeof value === 'number' && Number.isFinite(value)) return `<c r="${ref}"${s}>${f}<v>${value}</v></c>`;
  if (typeof value === 'boolean') return `<c r="${ref}"${s} t="b">${f}<v>${value ? 1 : 0}</v></c>`;
  if (value === null || value === undefined || typeof value === 'number') return `<c r="${ref}"${s} t="str">${f}<v></v></c>`;
  return `<c r="${ref}"${s} t="str">${f}<v>${escapedText(value)}</v></c>`;
}
