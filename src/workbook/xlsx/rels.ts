import type { ZipArchive } from './zip';
import { escapeXml } from './cell-xml';
import { attributeByLocalName, locateElements, PACKAGE_RELATIONSHIPS_NAMESPACE, parseXml, prefixOf, RELATIONSHIPS_NAMESPACE, splice, XML_DECLARATION } from './xml';

/** One relationship of a part (OPC, ECMA-376 Part 2, 9.3). */
export interface Relationship {
  id: string;
  /** The relationship type URI; compare with `isType`, which accepts transitional and strict. */
  type: string;
  /** The target as written (relative to the source part's folder, or absolute from the package root). */
  target: string;
  external: boolean;
}

/** Whether a relationship type is `…/<name>`, in the transitional or strict namespace. */
export function isType(relationship: Relationship, name: string): boolean {
  return relationship.type.endsWith(`/${name}`);
}

/** The rels part that belongs to a part: "xl/workbook.xml" → "xl/_rels/workbook.xml.rels"; "" (the package) → "_rels/.rels". */
export function relsPartName(partName: string): string {
  const slash = partName.lastIndexOf('/');
  return `${partName.slice(0, slash + 1)}_rels/${partName.slice(slash + 1)}.rels`;
}

/**
 * A target as a part name: absolute targets ("/xl/worksheets/sheet1.xml", as openpyxl writes)
 * from the root, relative ones ("worksheets/sheet1.xml", "../drawings/d1.xml") from the source
 * part's folder, as Excel resolves them (Part 2, 9.3.2 and RFC 3986).
 */
export function resolveTarget(sourcePart: string, target: string): string {
  const decoded = safeDecode(target.split('#')[0]);
  const base = decoded.startsWith('/') ? [] : sourcePart.split('/').slice(0, -1);
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') base.pop();
    else base.push(segment);
  }
  return base.join('/');
}

function safeDecode(text: string): string {
  try {
    return decodeURI(text);
  } catch {
    return text;
  }
}

/** The relationships of a part; none when it has no rels part. */
export function readRelationships(archive: ZipArchive, partName: string): Relationship[] {
  const name = relsPartName(partName);
  const entry = archive.get(name);
  if (!entry) return [];
  const relationships: Relationship[] = [];
  parseXml(name, archive.text(entry), {
    open(tag, local) {
      if (local !== 'Relationship') return;
      const attributes = tag.attributes;
      relationships.push({
        id: attributes.Id ?? attributeByLocalName(tag, 'Id') ?? '',
        type: attributes.Type ?? '',
        target: attributes.Target ?? '',
        external: attributes.TargetMode === 'External',
      });
    },
  });
  return relationships;
}

export const RELATIONSHIP_TYPES = {
  worksheet: `${RELATIONSHIPS_NAMESPACE}/worksheet`,
  drawing: `${RELATIONSHIPS_NAMESPACE}/drawing`,
  chart: `${RELATIONSHIPS_NAMESPACE}/chart`,
  styles: `${RELATIONSHIPS_NAMESPACE}/styles`,
} as const;

const EMPTY_RELATIONSHIPS = `${XML_DECLARATION}<Relationships xmlns="${PACKAGE_RELATIONSHIPS_NAMESPACE}"></Relationships>`;

/**
 * A rels part with SegmentKit's relationships added and its old ones removed; every other
 * relationship stays as written. `text` undefined creates the part.
 */
export function patchRelationshipsXml(text: string | undefined, add: { id: string; type: string; target: string }[], removeIds: ReadonlySet<string> = new Set()): string {
  const source = text ?? EMPTY_RELATIONSHIPS;
  const spans = locateElements('rels', source, new Set(['Relationship']));
  const root = spans[0];
  const p = prefixOf(root.name);
  const edits = spans
    .filter((span) => span.local === 'Relationship' && removeIds.has(span.attributes.Id))
    .map((span) => ({ start: span.start, end: span.end, insert: '' }));
  const added = add.map((rel) => `<${p}Relationship Id="${escapeXml(rel.id)}" Type="${escapeXml(rel.type)}" Target="${escapeXml(rel.target)}"/>`).join('');
  if (added) {
    if (root.startTagEnd === root.end) edits.push({ start: root.start, end: root.end, insert: `${source.slice(root.start, root.end - 2)}>${added}</${root.name}>` });
    else edits.push({ start: root.innerEnd, end: root.innerEnd, insert: added });
  }
  return splice(source, edits);
}

/** A relationship id no existing one has: "rIdSK1", "rIdSK2", … */
export function freeRelationshipId(taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const id = `rIdSK${n}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

/** A target written relative to the source part's folder, as Excel writes them. */
export function relativeTarget(sourcePart: string, partName: string): string {
  const from = sourcePart.replace(/^\//, '').split('/').slice(0, -1);
  const to = partName.replace(/^\//, '').split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}
