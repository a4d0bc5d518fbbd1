import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { UnreadableWorkbookError } from './errors';

/** The relationships namespace, transitional and strict (ISO/IEC 29500 Strict), for `r:id` attributes. */
export const RELATIONSHIPS_NAMESPACES = new Set([
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  'http://purl.oclc.org/ooxml/officeDocument/relationships',
]);

/** An element's name without its namespace prefix: producers write `x:row` as readily as `row`. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

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
    this.guard(() => this.parser.write(chunk));
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
