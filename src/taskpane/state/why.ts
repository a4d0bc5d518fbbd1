import { metricCell, normalizeHeader, type CustomerTable, type Language, type RowMetric } from '../../engine';
import { formatNumber, formatShare, translate } from '../i18n';

/** The "Why this segment?" panel's logic: finding a customer in a big table and showing its numbers. */

/** How many customers the picker lists at once: enough to choose from, few enough to render at once. */
export const ROW_OPTIONS_SHOWN = 50;

/** "K10001 · Herning Fødevare A/S", or the sheet row when the table has neither id nor name. */
export function rowLabel(table: CustomerTable, row: number, language: Language): string {
  const id = table.texts.id?.[row] ?? '';
  const name = table.texts.name?.[row] ?? '';
  const label = [id, name].filter(Boolean).join(' · ');
  return label || translate(language, 'sheetRow', { row: String(table.origin.headerRow + 1 + row) });
}

/**
 * The rows whose id or name matches what the user typed, best first: an exact id, then ids and
 * names that start with it, then those that contain it; at most `limit`. Empty text lists the
 * first rows. Case, accents' spacing and punctuation are ignored ("aalborg agro" finds
 * "Aalborg Agro & Søn A/S"); a table without ids or names is searched by sheet row.
 */
export function searchRows(table: CustomerTable, query: string, limit = ROW_OPTIONS_SHOWN): number[] {
  const wanted = normalizeHeader(query);
  const count = table.rowCount;
  if (!wanted) return Array.from({ length: Math.min(limit, count) }, (_, row) => row);
  const keys = searchKeys(table);
  const exact: number[] = [];
  const starts: number[] = [];
  const contains: number[] = [];
  for (let row = 0; row < count; row++) {
    const [id, name] = keys[row];
    if (id === wanted) exact.push(row);
    else if (starts.length < limit && (id.startsWith(wanted) || name.startsWith(wanted))) starts.push(row);
    // Id and name together, so a label as the picker shows it ("K10001 · Herning …") finds its row.
    else if (contains.length < limit && (id.includes(wanted) || name.includes(wanted) || (id + name).startsWith(wanted))) contains.push(row);
  }
  return [...exact, ...starts, ...contains].slice(0, limit);
}

const keyCache = new WeakMap<CustomerTable, [string, string][]>();

/** Each row's id and name as searched (the sheet row without either), worked out once per table. */
function searchKeys(table: CustomerTable): [string, string][] {
  let keys = keyCache.get(table);
  if (!keys) {
    const { id: ids, name: names } = table.texts;
    keys = Array.from({ length: table.rowCount }, (_, row): [string, string] => (ids || names
      ? [ids ? normalizeHeader(ids[row]) : '', names ? normalizeHeader(names[row]) : '']
      : [String(table.origin.headerRow + 1 + row), '']));
    keyCache.set(table, keys);
  }
  return keys;
}

/** A metric's value for one row as the pane shows it: percent as percent, amounts whole, other numbers to one decimal; null when empty. */
export function metricText(metric: RowMetric, row: number, language: Language): string | null {
  const cell = metricCell(metric, row, language);
  if (cell === null || cell === '') return null;
  if (typeof cell === 'string') return cell;
  switch (metric.format) {
    case 'percent': return formatShare(cell, language);
    case 'amount': return formatNumber(cell, language);
    default: return formatNumber(cell, language, 1);
  }
}
