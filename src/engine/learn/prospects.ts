import { isBlankRow, type CustomerTable } from '../table';

/** Words a customer-type column writes for a prospect (lead), lower case, English and Danish (Kampro's ABCD for leads says "Emne"). */
const PROSPECT_WORDS = new Set(['lead', 'leads', 'prospect', 'prospects', 'suspect', 'emne', 'emner', 'kundeemne', 'potentiel kunde', 'potentiel']);

/** Whether a customer-type cell says prospect ("Lead", "Emne", " prospect "). */
export function isProspectType(text: string | undefined): boolean {
  return text !== undefined && PROSPECT_WORDS.has(text.trim().toLocaleLowerCase('da'));
}

/**
 * 1 per row the customer-type column (role customerType) marks as a prospect; undefined when the
 * table has no such column or it marks no row. Blank lines inside the table are never prospects.
 * Length table.rowCount.
 */
export function prospectRows(table: CustomerTable): Uint8Array | undefined {
  const types = table.texts.customerType;
  if (!types) return undefined;
  const marks = new Uint8Array(table.rowCount);
  let any = false;
  for (let i = 0; i < table.rowCount; i++) {
    if (isBlankRow(table, i) || !isProspectType(types[i])) continue;
    marks[i] = 1;
    any = true;
  }
  return any ? marks : undefined;
}
