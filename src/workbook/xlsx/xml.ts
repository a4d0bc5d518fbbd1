import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { UnreadableWorkbookError } from './errors';

/** The declaration every part SegmentKit writes starts with, as Excel writes it. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** SpreadsheetML's main namespace, which SegmentKit writes (ECMA-376 Part 1, transitional). */
export const SPREADSHEETML_NAMESPACE = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** SpreadsheetML's main namespace as producers write it: transitional and strict. */
export const SPREADSHEETML_NAMESPACES: ReadonlySet<string> = new Set([SPREADSHEETML_NAMESPACE, 'http://purl.oclc.org/ooxml/spreadsheetml/main']);

/** The namespace of a rels part itself (OPC, ECMA-376 Part 2). */
export const PACKAGE_RELATIONSHIPS_NAMESPACE = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** The relationships namespace, transitional and strict (ISO/IEC 29500 Strict), for `r:id` attributes. */
export const RELATIONSHIPS_NAMESPACE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
export const RELATIONSHIPS_NAMESPACES = new Set([
  RELATIONSHIPS_NAMESPACE,
  'http://purl.oclc.org/ooxml/officeDocument/relationships',
]);

/** An element's name without its namespace prefix: producers write `x:row` as readily as `row`. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The longest run of text between two tags that any part SegmentKit reads may have. */
const MAX_TEXT_RUN = 1 << 20;

export interface XmlHandlers {
  open?(tag: SaxesTagPlain, local: string): void;
  close?(local: string): void;
  text?(text: string): void;
}

/**
 * A streaming XML parser (saxes) that refuses any DOCTYPE before it is processed: OOXML parts never
 * have one, and refusing it is what keeps entity expansion ("billion laughs") and external
 * entities out, whatever the parser would do with them.
 * @throws UnreadableWorkbookError 'unsafeXml' on a DOCTYPE, 'truncated' on malformed XML
 */
export class XmlStream {
  private readonly parser = new SaxesParser({ position: false });
  /** Characters since the last '<': how long the current text run is. */
  private textRun = 0;

  constructor(private readonly partName: string, handlers: XmlHandlers) {
    this.parser.on('doctype', () => { throw new UnreadableWorkbookError('unsafeXml', partName); });
    if (handlers.open) {
      const open = handlers.open;
      this.parser.on('opentag', (tag) => open(tag as SaxesTagPlain, localName(tag.name)));
    }
    if (handlers.close) {
      const close = handlers.close;
      this.parser.on('closetag', (tag) => close(localName(tag.name)));
    }
    if (handlers.text) this.parser.on('text', handlers.text);
    if (handlers.text) this.parser.on('cdata', handlers.text);
  }

  write(chunk: string): void {
    this.checkTextRuns(chunk);
    this.guard(() => this.parser.write(chunk));
  }

  /**
   * Refuses a text run longer than any part SegmentKit reads can hold (a cell holds at most
   * 32,767 characters, 196,602 when every one is escaped), before the parser buffers it: one
   * 1.5 GB "cell" would otherwise be gathered whole in memory.
   */
  private checkTextRuns(chunk: string): void {
    const first = chunk.indexOf('<');
    if (first < 0) this.textRun += chunk.length;
    else {
      if (this.textRun + first > MAX_TEXT_RUN) this.refuseRun();
      this.textRun = chunk.length - chunk.lastIndexOf('<') - 1;
      // Inside a chunk longer than the limit a run may hide between two tags.
      for (let at = first; chunk.length > MAX_TEXT_RUN && at >= 0;) {
        const next = chunk.indexOf('<', at + 1);
        if ((next < 0 ? chunk.length : next) - at > MAX_TEXT_RUN) this.refuseRun();
        at = next;
      }
    }
    if (this.textRun > MAX_TEXT_RUN) this.refuseRun();
  }

  private refuseRun(): never {
    throw new UnreadableWorkbookError('tooLarge', `${this.partName} has a text run of more than ${MAX_TEXT_RUN} characters`);
  }

  close(): void {
    this.guard(() => this.parser.close());
  }

  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (error instanceof UnreadableWorkbookError) throw error;
      throw new UnreadableWorkbookError('truncated', `${this.partName}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Parses a whole part held as text. */
export function parseXml(partName: string, text: string, handlers: XmlHandlers): void {
  const stream = new XmlStream(partName, handlers);
  stream.write(text);
  stream.close();
}

/** An attribute by its local name, whatever its prefix (for `r:id` written as `ns1:id` or `x:id`). */
export function attributeByLocalName(tag: SaxesTagPlain, local: string): string | undefined {
  for (const [name, value] of Object.entries(tag.attributes)) if (localName(name) === local && name !== local) return value;
  return undefined;
}

/** Where an element sits in a part's text, in UTF-16 offsets, for splicing without reserializing. */
export interface ElementSpan {
  local: string;
  /** The qualified name as written, prefix included ("x:sheets"). */
  name: string;
  attributes: Record<string, string>;
  /** Offset of its '<'. */
  start: number;
  /** Offset just past its start tag's '>'. */
  startTagEnd: number;
  /** Offset of its end tag's '<' (equal to startTagEnd when self-closing). */
  innerEnd: number;
  /** Offset just past its end. */
  end: number;
  /** Nesting depth: 0 for the root element. */
  depth: number;
}

/**
 * The spans of every element whose local name is in `locals` (and of the root), found by the XML
 * parser so comments, CDATA and attribute values can never be mistaken for markup. The writer
 * splices a part at these offsets and leaves every other character as the producer wrote it.
 */
export function locateElements(partName: string, text: string, locals: ReadonlySet<string>): ElementSpan[] {
  const spans: ElementSpan[] = [];
  const open: (ElementSpan | null)[] = [];
  const parser = new SaxesParser();
  let start = 0;
  parser.on('doctype', () => { throw new UnreadableWorkbookError('unsafeXml', partName); });
  parser.on('opentagstart', () => { start = text.lastIndexOf('<', parser.position - 1); });
  parser.on('opentag', (tag) => {
    const local = localName(tag.name);
    const depth = open.length;
    if (!locals.has(local) && depth > 0) { open.push(null); if (tag.isSelfClosing) open.pop(); return; }
    const span: ElementSpan = {
      local, name: tag.name, attributes: tag.attributes as Record<string, string>, start, startTagEnd: parser.position,
      innerEnd: parser.position, end: parser.position, depth,
    };
    spans.push(span);
    if (!tag.isSelfClosing) open.push(span);
  });
  parser.on('closetag', (tag) => {
    if (tag.isSelfClosing) return;
    const span = open.pop();
    if (!span) return;
    span.end = parser.position;
    span.innerEnd = text.lastIndexOf('<', parser.position - 1);
  });
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof UnreadableWorkbookError) throw error;
    throw new UnreadableWorkbookError('truncated', `${partName}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return spans;
}

/** The namespace prefix (with its colon) of a qualified name: "x:sheets" → "x:", "sheets" → "". */
export function prefixOf(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? '' : name.slice(0, colon + 1);
}

/** Text edits applied from the end backwards, so earlier offsets stay valid. */
export function splice(text: string, edits: { start: number; end: number; insert: string }[]): string {
  const ordered = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of ordered) result = result.slice(0, edit.start) + edit.insert + result.slice(edit.end);
  return result;
}

/**
 * A copy of a string that owns its characters. V8 hands out substrings of 13 characters or more as
 * slices of the text they came from, and a slice keeps that whole text alive: a million customer
 * names kept from the parser's chunks held half a gigabyte of chunk text at Excel's row limit.
 * Shorter strings are copied by V8 anyway. The JSON round trip is the portable way to get a flat
 * copy (about 0.3 µs a string).
 */
export function ownString(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}
