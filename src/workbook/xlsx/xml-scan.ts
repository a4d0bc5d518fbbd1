import { UnreadableWorkbookError } from './errors';

/**
 * The few XML scanning primitives the streaming part rewriters need. They work on a string buffer
 * that may end anywhere (a chunk of a decoded inflate stream): each returns -1 when the buffer ends
 * before the construct does, so the caller waits for more text instead of guessing.
 *
 * Why not a general XML parser here: a rewriter must copy every byte it does not change, and the
 * cheapest way to do that is to find markup boundaries and copy the text between them by index.
 */

const SLASH = 47;
const BANG = 33;
const QUESTION = 63;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const GREATER = 62;

/** The longest opening ('<![CDATA[') needed to tell comments, CDATA and DOCTYPE apart. */
const LONGEST_OPENING = 9;


/** Kinds of markup `markupKind` reports. */
export const START_TAG = 0;
export const END_TAG = 1;
/** Comment, CDATA section or processing instruction: copied, never interpreted. */
export const OTHER_MARKUP = 2;

export function markupKind(buf: string, lt: number): number {
  const next = buf.charCodeAt(lt + 1);
  if (next === SLASH) return END_TAG;
  if (next === BANG || next === QUESTION) return OTHER_MARKUP;
  return START_TAG;
}

/**
 * Index just past the markup that starts at `buf[lt] === '<'`: a start or end tag, a comment, a
 * CDATA section or a processing instruction; -1 when the buffer ends first. A '>' inside a quoted
 * attribute value does not end a tag.
 *
 * @throws UnreadableWorkbookError 'unsafeXml' for `<!DOCTYPE`: entities are never expanded or followed
 */
export function markupEnd(buf: string, lt: number, partName = 'worksheet'): number {
  if (lt + 1 >= buf.length) return -1;
  const next = buf.charCodeAt(lt + 1);
  if (next === SLASH) return endAfter(buf, '>', lt + 2);
  if (next === QUESTION) return endAfter(buf, '?>', lt + 2);
  if (next === BANG) {
    if (buf.startsWith('<!--', lt)) return endAfter(buf, '-->', lt + 4);
    if (buf.startsWith('<![CDATA[', lt)) return endAfter(buf, ']]>', lt + LONGEST_OPENING);
    if (lt + LONGEST_OPENING > buf.length) return -1;
    throw new UnreadableWorkbookError('unsafeXml', partName);
  }
  return startTagEnd(buf, lt + 1);
}

function endAfter(buf: string, terminator: string, from: number): number {
  const at = buf.indexOf(terminator, from);
  return at < 0 ? -1 : at + terminator.length;
}

function startTagEnd(buf: string, from: number): number {
  let i = from;
  for (;;) {
    const gt = buf.indexOf('>', i);
    if (gt < 0) return -1;
    let quote = -1;
    for (let j = i; j < gt; j++) {
      const ch = buf.charCodeAt(j);
      if (ch === DOUBLE_QUOTE || ch === SINGLE_QUOTE) { quote = j; break; }
    }
    if (quote < 0) return gt + 1;
    const close = buf.indexOf(buf[quote], quote + 1);
    if (close < 0) return -1;
    i = close + 1;
  }
}

function isNameEnd(ch: number): boolean {
  return ch === 32 || ch === 9 || ch === 10 || ch === 13 || ch === SLASH || ch === GREATER;
}

function isSpace(ch: number): boolean {
  return ch === 32 || ch === 9 || ch === 10 || ch === 13;
}

/** Index just past the element name of the tag at `lt` ('<name' or '</name'). */
export function tagNameEnd(buf: string, lt: number): number {
  let i = buf.charCodeAt(lt + 1) === SLASH ? lt + 2 : lt + 1;
  while (i < buf.length && !isNameEnd(buf.charCodeAt(i))) i++;
  return i;
}

/** The qualified element name of the start or end tag at `lt`, prefix included. */
export function tagName(buf: string, lt: number): string {
  return buf.slice(buf.charCodeAt(lt + 1) === SLASH ? lt + 2 : lt + 1, tagNameEnd(buf, lt));
}

/** Whether the complete start tag [lt, end) is self-closing ('.../>'). */
export function isSelfClosing(buf: string, end: number): boolean {
  return buf.charCodeAt(end - 2) === SLASH;
}

/**
 * Where the value of attribute `name` starts inside the complete start tag [lt, end), or -1.
 * The value ends at the next occurrence of the quote character at `start - 1`
 * (see `attributeValueEnd`). Attribute names are compared exactly, prefix included.
 */
export function attributeValueStart(buf: string, lt: number, end: number, name: string): number {
  let i = tagNameEnd(buf, lt);
  for (;;) {
    while (i < end && isSpace(buf.charCodeAt(i))) i++;
    const nameStart = i;
    while (i < end && buf.charCodeAt(i) !== 61 /* = */ && !isNameEnd(buf.charCodeAt(i))) i++;
    if (i === nameStart || i >= end) return -1;
    const nameLength = i - nameStart;
    while (i < end && isSpace(buf.charCodeAt(i))) i++;
    if (buf.charCodeAt(i) !== 61) return -1;
    i++;
    while (i < end && isSpace(buf.charCodeAt(i))) i++;
    const quote = buf[i];
    if (quote !== '"' && quote !== "'") return -1;
    const close = buf.indexOf(quote, i + 1);
    if (close < 0 || close >= end) return -1;
    if (nameLength === name.length && buf.startsWith(name, nameStart)) return i + 1;
    i = close + 1;
  }
}

/** End (exclusive) of the attribute value that starts at `valueStart`. */
export function attributeValueEnd(buf: string, valueStart: number): number {
  return buf.indexOf(buf[valueStart - 1], valueStart);
}

/** The value of attribute `name` in the start tag [lt, end), undecoded, or undefined. */
export function attributeValue(buf: string, lt: number, end: number, name: string): string | undefined {
  const start = attributeValueStart(buf, lt, end, name);
  return start < 0 ? undefined : buf.slice(start, attributeValueEnd(buf, start));
}

/** Every attribute of the start tag [lt, end) in document order, values undecoded. */
export function attributes(buf: string, lt: number, end: number): { name: string; quote: string; value: string }[] {
  const found: { name: string; quote: string; value: string }[] = [];
  const pattern = /([^\s=/>]+)\s*=\s*(["'])/g;
  pattern.lastIndex = tagNameEnd(buf, lt);
  for (;;) {
    const match = pattern.exec(buf);
    if (!match || match.index >= end) return found;
    const valueStart = match.index + match[0].length;
    const valueEnd = buf.indexOf(match[2], valueStart);
    found.push({ name: match[1], quote: match[2], value: buf.slice(valueStart, valueEnd) });
    pattern.lastIndex = valueEnd + 1;
  }
}

// The A1 readers live beside columnLetter in the engine; the patcher reads them from here.
export { columnOfReference, rowOfReference } from '../../engine';

/** A non-negative decimal integer at [start, end), or -1. */
export function integerAt(text: string, start: number, end: number): number {
  if (end <= start) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (ch < 48 || ch > 57) return -1;
    value = value * 10 + (ch - 48);
  }
  return value;
}
