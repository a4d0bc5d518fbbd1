import type { ZipArchive } from './zip';
import { attributeByLocalName, parseXml } from './xml';

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
