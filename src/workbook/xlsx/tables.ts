import { columnOfReference, rowOfReference } from '../../engine';
import type { DefinedTable } from '../grid';
import { isType, readRelationships, resolveTarget } from './rels';
import type { ZipArchive } from './zip';
import { parseXml } from './xml';

/** "B3" → 0-based row and column. */
export function parseCellRef(ref: string): { row: number; column: number } | null {
  const text = ref.trim();
  if (!/^\$?[A-Z]{1,3}\$?\d+$/i.test(text)) return null;
  return { row: rowOfReference(text, 0) - 1, column: columnOfReference(text, 0) };
}

/** "A1:F20" (or a single cell) → a 0-based box; null when unreadable. */
export function parseBoxRef(ref: string) {
  const [from, to = from] = ref.split(':');
  const start = parseCellRef(from);
  const end = parseCellRef(to);
  if (!start || !end) return null;
  return { top: Math.min(start.row, end.row), left: Math.min(start.column, end.column), bottom: Math.max(start.row, end.row), right: Math.max(start.column, end.column) };
}

/** The Excel tables (ListObjects) of a sheet, from the table parts its relationships name. */
export function readTables(archive: ZipArchive, sheetPart: string): DefinedTable[] {
  const tables: DefinedTable[] = [];
  for (const relationship of readRelationships(archive, sheetPart)) {
    if (relationship.external || !isType(relationship, 'table')) continue;
    const partName = resolveTarget(sheetPart, relationship.target);
    const entry = archive.get(partName);
    if (!entry) continue;
    parseXml(partName, archive.text(entry), {
      open(tag, local) {
        if (local !== 'table') return;
        const box = parseBoxRef(tag.attributes.ref ?? '');
        if (!box) return;
        tables.push({
          name: tag.attributes.displayName ?? tag.attributes.name ?? '',
          box,
          headerRowCount: Number(tag.attributes.headerRowCount ?? 1),
          totalsRowCount: Number(tag.attributes.totalsRowCount ?? 0),
        });
      },
    });
  }
  return tables;
}
