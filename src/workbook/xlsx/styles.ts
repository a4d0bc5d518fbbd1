import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';
import { escapeXml } from './cell-xml';
import { SPREADSHEETML_NAMESPACES, XML_DECLARATION } from './xml';

/** SpreadsheetML's main namespace, transitional and strict (ECMA-376 Part 1 and its strict schema). */

/** The children of CT_Stylesheet in schema order: a container SegmentKit adds goes in its place. */
const CONTAINER_ORDER = ['numFmts', 'fonts', 'fills', 'borders', 'cellStyleXfs', 'cellXfs', 'cellStyles', 'dxfs', 'tableStyles', 'colors', 'extLst'] as const;
type ContainerName = (typeof CONTAINER_ORDER)[number];
/** The containers SegmentKit appends to. */
type Appendable = 'numFmts' | 'fonts' | 'fills' | 'borders' | 'cellXfs' | 'dxfs';

/**
 * Built-in number formats every reader knows by id (ECMA-376 Part 1, 18.8.30); a format among
 * them needs no <numFmt> entry. Only the locale-independent ones are listed.
 */
const BUILT_IN_FORMATS = new Map<string, number>([
  ['General', 0], ['0', 1], ['0.00', 2], ['#,##0', 3], ['#,##0.00', 4], ['0%', 9], ['0.00%', 10], ['0.00E+00', 11], ['@', 49],
]);
/** Ids below this are reserved for built-in formats; custom ones start here (18.8.31). */
const FIRST_CUSTOM_FORMAT_ID = 164;

/** The stylesheet SegmentKit writes when a package has none: the parts Excel requires and no more. */
const MINIMAL_STYLESHEET = XML_DECLARATION
  + '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
  + '<fonts count="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font></fonts>'
  + '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
  + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
  + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
  + '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
  + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
  + '<dxfs count="0"/>'
  + '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
  + '</styleSheet>';

/** Where an element sits in the stylesheet text: [start, end) of the whole element. */
interface Span {
  local: string;
  start: number;
  end: number;
}

/** A direct child of <styleSheet>, with its own children (xf, font, …) and, for fonts, theirs. */
interface Container extends Span {
  qualifiedName: string;
  /** End of the start tag (just after its '>'). */
  openEnd: number;
  selfClosing: boolean;
  children: (Span & { children: Span[] })[];
}

interface ParsedStylesheet {
  text: string;
  /** 'x:' when the producer wrote <x:styleSheet xmlns:x="…main">, else ''. */
  prefix: string;
  rootCloseStart: number;
  containers: Map<string, Container>;
  /** Every numFmtId in use anywhere (dxfs carry their own). */
  numFmtIds: Set<number>;
  /** formatCode → numFmtId of the <numFmts> entries. */
  customFormats: Map<string, number>;
}

export interface CellStyleRequest {
  /** An Excel number format code such as '#,##0', '0.0%' or '0.0'. */
  numberFormat?: string;
  bold?: boolean;
}

export interface DifferentialStyleRequest {
  /** Solid fill color, '#RRGGBB'. */
  fill: string;
  /** Font color, '#RRGGBB'. */
  font: string;
}

/**
 * A package's stylesheet (xl/styles.xml) with SegmentKit's cell formats and conditional-format
 * styles added. Everything the stylesheet had stays where it was: entries are only appended (a
 * custom number format from id 164 up, a bold copy of the default font, xfs in <cellXfs>, dxfs in
 * <dxfs>), the containers' `count` attributes follow, and a missing container is inserted in
 * CT_Stylesheet's order (ECMA-376 Part 1, 18.8.39). Re-running on its own output finds the entries
 * it appended before (byte-identical XML) instead of adding them again. A stylesheet written with a
 * namespace prefix (`<x:styleSheet xmlns:x=…>`) gets its new elements in the same prefix.
 *
 * @param stylesXml the package's xl/styles.xml text; undefined or null when the package has none,
 *   which gives a minimal valid stylesheet
 * @throws Error when the text is not well-formed XML or its root is not a SpreadsheetML styleSheet
 */
export class StyleBook {
  private readonly parsed: ParsedStylesheet;
  private readonly appended = new Map<Appendable, string[]>();
  /** XML of an entry → its index, per container, for the entries already there or appended. */
  private readonly known = new Map<Appendable, Map<string, number>>();
  private readonly cellStyles = new Map<string, number>();
  private boldFontId: number | undefined;
  private nextFormatId: number;

  constructor(stylesXml?: string | null) {
    this.parsed = parseStylesheet(stylesXml ?? MINIMAL_STYLESHEET);
    let highest = FIRST_CUSTOM_FORMAT_ID - 1;
    for (const id of this.parsed.numFmtIds) highest = Math.max(highest, id);
    this.nextFormatId = highest + 1;
  }

  /**
   * The index into <cellXfs> of a cell format with this number format and weight: 0 (the default
   * format) when neither is asked for, else an xf on the default font (or its bold copy), fill and
   * border. The same request gives the same index.
   */
  cellStyle(request: CellStyleRequest): number {
    const numberFormat = request.numberFormat && request.numberFormat !== 'General' ? request.numberFormat : undefined;
    const bold = request.bold === true;
    if (!numberFormat && !bold) return 0;
    const key = `${bold ? 'b' : ''}|${numberFormat ?? ''}`;
    const cached = this.cellStyles.get(key);
    if (cached !== undefined) return cached;
    this.ensureDefaults();
    const numFmtId = numberFormat ? this.numberFormatId(numberFormat) : 0;
    const fontId = bold ? this.boldFont() : 0;
    // An xf points at a cell style through xfId; a stylesheet without any has nothing to point at.
    const xfId = (this.parsed.containers.get('cellStyleXfs')?.children.length ?? 0) > 0 ? ' xfId="0"' : '';
    const applied = `${numFmtId ? ' applyNumberFormat="1"' : ''}${bold ? ' applyFont="1"' : ''}`;
    const index = this.entry('cellXfs', `<${this.q('xf')} numFmtId="${numFmtId}" fontId="${fontId}" fillId="0" borderId="0"${xfId}${applied}/>`);
    this.cellStyles.set(key, index);
    return index;
  }

  /**
   * The index into <dxfs> of a differential format with this font color and solid fill, for a
   * conditional-formatting rule's dxfId. The fill color is given as both pattern colors, because
   * Excel paints a dxf's solid fill with bgColor and other readers with fgColor.
   *
   * @throws Error when a color is not '#RRGGBB'
   */
  differentialStyle(request: DifferentialStyleRequest): number {
    const fill = argb(request.fill);
    const font = argb(request.font);
    const q = (local: string) => this.q(local);
    const xml = `<${q('dxf')}><${q('font')}><${q('color')} rgb="${font}"/></${q('font')}>`
      + `<${q('fill')}><${q('patternFill')} patternType="solid"><${q('fgColor')} rgb="${fill}"/><${q('bgColor')} rgb="${fill}"/></${q('patternFill')}></${q('fill')}></${q('dxf')}>`;
    return this.entry('dxfs', xml);
  }

  /** Whether anything was added: when not, toXml() gives back the input text unchanged. */
  get changed(): boolean {
    return this.appended.size > 0;
  }

  /** The stylesheet text: the input's bytes with SegmentKit's entries spliced in. */
  toXml(): string {
    const { text } = this.parsed;
    if (!this.changed) return text;
    const splices: { at: number; to: number; text: string; order: number }[] = [];
    for (const [local, entries] of this.appended) {
      const order = CONTAINER_ORDER.indexOf(local);
      const container = this.parsed.containers.get(local);
      const count = this.count(local);
      if (!container) {
        const name = this.q(local);
        splices.push({ at: this.insertionPoint(local), to: this.insertionPoint(local), text: `<${name} count="${count}">${entries.join('')}</${name}>`, order });
      } else if (container.selfClosing) {
        const start = startTagWithCount(text.slice(container.start, container.openEnd), count, true);
        splices.push({ at: container.start, to: container.end, text: `${start}${entries.join('')}</${container.qualifiedName}>`, order });
      } else {
        splices.push({ at: container.start, to: container.openEnd, text: startTagWithCount(text.slice(container.start, container.openEnd), count, false), order });
        const closeStart = text.lastIndexOf('</', container.end - 1);
        splices.push({ at: closeStart, to: closeStart, text: entries.join(''), order });
      }
    }
    splices.sort((a, b) => a.at - b.at || a.order - b.order);
    const parts: string[] = [];
    let position = 0;
    for (const splice of splices) {
      parts.push(text.slice(position, splice.at), splice.text);
      position = splice.to;
    }
    parts.push(text.slice(position));
    return parts.join('');
  }

  /** An element name in the stylesheet's own prefix. */
  private q(local: string): string {
    return `${this.parsed.prefix}${local}`;
  }

  /** Entries in a container: the input's and those SegmentKit appended. */
  private count(local: Appendable): number {
    return (this.parsed.containers.get(local)?.children.length ?? 0) + (this.appended.get(local)?.length ?? 0);
  }

  /** The index of an entry with exactly this XML, appending it when the container has none. */
  private entry(local: Appendable, xml: string): number {
    const known = this.knownEntries(local);
    const found = known.get(xml);
    if (found !== undefined) return found;
    const index = this.count(local);
    const list = this.appended.get(local) ?? [];
    list.push(xml);
    this.appended.set(local, list);
    known.set(xml, index);
    return index;
  }

  private knownEntries(local: Appendable): Map<string, number> {
    let known = this.known.get(local);
    if (!known) {
      known = new Map();
      const children = this.parsed.containers.get(local)?.children ?? [];
      // The first of two identical entries is the one to reuse.
      for (let i = children.length - 1; i >= 0; i--) known.set(this.parsed.text.slice(children[i].start, children[i].end), i);
      this.known.set(local, known);
    }
    return known;
  }

  /** Entry 0 of fonts, fills and borders, which every xf SegmentKit writes points at. */
  private ensureDefaults(): void {
    const q = (local: string) => this.q(local);
    if (this.count('fonts') === 0) this.entry('fonts', `<${q('font')}><${q('sz')} val="11"/><${q('name')} val="Calibri"/></${q('font')}>`);
    if (this.count('fills') === 0) {
      this.entry('fills', `<${q('fill')}><${q('patternFill')} patternType="none"/></${q('fill')}>`);
      this.entry('fills', `<${q('fill')}><${q('patternFill')} patternType="gray125"/></${q('fill')}>`);
    }
    if (this.count('borders') === 0) {
      this.entry('borders', `<${q('border')}><${q('left')}/><${q('right')}/><${q('top')}/><${q('bottom')}/><${q('diagonal')}/></${q('border')}>`);
    }
    // Cells without a style use xf 0, so SegmentKit's own xf must never be the first.
    if (this.count('cellXfs') === 0) this.entry('cellXfs', `<${q('xf')} numFmtId="0" fontId="0" fillId="0" borderId="0"/>`);
  }

  /** The default font (fonts[0]) made bold: same face, size and color as the workbook's text. */
  private boldFont(): number {
    if (this.boldFontId === undefined) {
      const { text } = this.parsed;
      const fonts = this.parsed.containers.get('fonts')?.children ?? [];
      const defaultFont = fonts[0];
      const inner = defaultFont ? defaultFont.children.filter((child) => child.local !== 'b').map((child) => text.slice(child.start, child.end)).join('') : '';
      const font = this.q('font');
      this.boldFontId = this.entry('fonts', `<${font}><${this.q('b')}/>${inner}</${font}>`);
    }
    return this.boldFontId;
  }

  private numberFormatId(code: string): number {
    const custom = this.parsed.customFormats.get(code);
    if (custom !== undefined) return custom;
    const builtIn = BUILT_IN_FORMATS.get(code);
    // A producer may redefine a built-in id; then that id is not the built-in format any more.
    if (builtIn !== undefined && !this.parsed.numFmtIds.has(builtIn)) return builtIn;
    const id = this.nextFormatId++;
    this.entry('numFmts', `<${this.q('numFmt')} numFmtId="${id}" formatCode="${escapeXml(code)}"/>`);
    this.parsed.customFormats.set(code, id);
    this.parsed.numFmtIds.add(id);
    return id;
  }

  /** Where a missing container goes: before the first container that follows it in schema order. */
  private insertionPoint(local: ContainerName): number {
    const order = CONTAINER_ORDER.indexOf(local);
    let at = this.parsed.rootCloseStart;
    for (const [name, container] of this.parsed.containers) {
      if (CONTAINER_ORDER.indexOf(name as ContainerName) > order) at = Math.min(at, container.start);
    }
    return at;
  }
}

/** '#RRGGBB' → 'FFRRGGBB', the ARGB form SpreadsheetML colors take. */
function argb(color: string): string {
  if (!/^#[0-9A-Fa-f]{6}$/.test(color)) throw new Error(`A color must be written '#RRGGBB'; got '${color}'.`);
  return `FF${color.slice(1).toUpperCase()}`;
}

/**
 * A container's start tag with its `count` attribute set (added when missing), made an open tag
 * when it was self-closing. Attributes are walked one by one, so a `count` inside another
 * attribute's value is never mistaken for it.
 */
function startTagWithCount(tag: string, count: number, selfClosing: boolean): string {
  let i = 1;
  while (i < tag.length && !isTagNameEnd(tag[i])) i++;
  const nameEnd = i;
  let valueStart = -1;
  let valueEnd = -1;
  while (i < tag.length) {
    while (i < tag.length && isSpace(tag[i])) i++;
    if (tag[i] === '>' || tag[i] === '/') break;
    const attributeStart = i;
    while (i < tag.length && tag[i] !== '=' && !isSpace(tag[i])) i++;
    const attribute = tag.slice(attributeStart, i);
    while (i < tag.length && (isSpace(tag[i]) || tag[i] === '=')) i++;
    const quote = tag[i];
    const close = tag.indexOf(quote, i + 1);
    if (attribute === 'count') {
      valueStart = i + 1;
      valueEnd = close;
    }
    i = close + 1;
  }
  let result = valueStart >= 0
    ? `${tag.slice(0, valueStart)}${count}${tag.slice(valueEnd)}`
    : `${tag.slice(0, nameEnd)} count="${count}"${tag.slice(nameEnd)}`;
  if (selfClosing) result = `${result.slice(0, result.lastIndexOf('/'))}>`;
  return result;
}

function isSpace(character: string): boolean {
  return character === ' ' || character === '\t' || character === '\n' || character === '\r';
}

function isTagNameEnd(character: string): boolean {
  return isSpace(character) || character === '>' || character === '/';
}

/** Reads where every container, entry and (for fonts) entry child sits in the text. */
function parseStylesheet(text: string): ParsedStylesheet {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const containers = new Map<string, Container>();
  const numFmtIds = new Set<number>();
  const customFormats = new Map<string, number>();
  const starts: number[] = [];
  const open: { tag: SaxesTagNS; start: number; openEnd: number; children: (Span & { children: Span[] })[] }[] = [];
  let prefix = '';
  let rootCloseStart = -1;
  let rootSelfClosing = false;
  let error: Error | undefined;
  parser.on('error', (cause) => { error ??= cause; });
  parser.on('opentagstart', () => { starts.push(text.lastIndexOf('<', parser.position - 1)); });
  parser.on('opentag', (tag) => {
    const start = starts.pop() ?? 0;
    const depth = open.length;
    if (depth === 0) {
      if (tag.local !== 'styleSheet' || !SPREADSHEETML_NAMESPACES.has(tag.uri)) throw new Error(`xl/styles.xml has <${tag.name}> where a SpreadsheetML <styleSheet> belongs.`);
      prefix = tag.prefix ? `${tag.prefix}:` : '';
    }
    if (tag.local === 'numFmt' && SPREADSHEETML_NAMESPACES.has(tag.uri)) {
      const id = Number(attributeValue(tag, 'numFmtId'));
      if (Number.isInteger(id)) numFmtIds.add(id);
      const code = attributeValue(tag, 'formatCode');
      if (depth === 2 && open[1].tag.local === 'numFmts' && code !== undefined && !customFormats.has(code)) customFormats.set(code, id);
    }
    open.push({ tag, start, openEnd: parser.position, children: [] });
  });
  parser.on('closetag', () => {
    const element = open.pop();
    if (!element) return;
    const end = parser.position;
    const depth = open.length;
    const { tag } = element;
    if (depth === 0) {
      rootSelfClosing = tag.isSelfClosing;
      rootCloseStart = tag.isSelfClosing ? element.start : text.lastIndexOf('</', end - 1);
    }
    else if (depth === 1 && SPREADSHEETML_NAMESPACES.has(tag.uri) && !containers.has(tag.local)) {
      containers.set(tag.local, {
        local: tag.local, qualifiedName: tag.name, start: element.start, end, openEnd: element.openEnd, selfClosing: tag.isSelfClosing, children: element.children,
      });
    } else if (depth === 2 || depth === 3) {
      // Entries (depth 2) and their children (depth 3) are kept; deeper ones are not needed.
      open[depth - 1].children.push({ local: tag.local, start: element.start, end, children: depth === 2 ? element.children : [] });
    }
  });
  parser.write(text).close();
  if (error) throw new Error(`xl/styles.xml is not well-formed XML: ${error.message}`);
  if (rootCloseStart < 0) throw new Error('xl/styles.xml has no <styleSheet> element.');
  if (rootSelfClosing) {
    throw new Error('xl/styles.xml has an empty <styleSheet/>; SegmentKit cannot add to it in place.');
  }
  return { text, prefix, rootCloseStart, containers, numFmtIds, customFormats };
}

function attributeValue(tag: SaxesTagNS, local: string): string | undefined {
  for (const attribute of Object.values(tag.attributes) as SaxesAttributeNS[]) {
    if (attribute.local === local && attribute.prefix === '') return attribute.value;
  }
  return undefined;
}
