import { escapeXml } from './cell-xml';
import { locateElements, prefixOf, splice } from './xml';

/** Content types of the parts SegmentKit writes (ECMA-376 Part 1, 12.3 and 14.2). */
export const CONTENT_TYPES = {
  worksheet: 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
  drawing: 'application/vnd.openxmlformats-officedocument.drawing+xml',
  chart: 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml',
  styles: 'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml',
} as const;

/**
 * [Content_Types].xml with an Override for each part SegmentKit adds and none for the parts it
 * removed; every Default and every other Override stays as written.
 */
export function patchContentTypesXml(text: string, add: { partName: string; contentType: string }[], remove: ReadonlySet<string>): string {
  const spans = locateElements('[Content_Types].xml', text, new Set(['Override']));
  const root = spans[0];
  const p = prefixOf(root.name);
  const normalized = (name: string) => name.replace(/^\//, '').toLowerCase();
  const removed = new Set([...remove].map(normalized));
  const adding = new Set(add.map((part) => normalized(part.partName)));
  const edits = spans
    .filter((span) => span.local === 'Override' && (removed.has(normalized(span.attributes.PartName ?? '')) || adding.has(normalized(span.attributes.PartName ?? ''))))
    .map((span) => ({ start: span.start, end: span.end, insert: '' }));
  const added = add.map((part) => `<${p}Override PartName="/${escapeXml(part.partName.replace(/^\//, ''))}" ContentType="${escapeXml(part.contentType)}"/>`).join('');
  if (added) edits.push({ start: root.innerEnd, end: root.innerEnd, insert: added });
  return splice(text, edits);
}
