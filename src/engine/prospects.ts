import type { CustomerTable } from './table';
import { isBlankRow } from './table';

/*
 * Which rows of a customer table are prospects (leads) rather than customers, by the customer
 * type column (role customerType: Type, Kundetype, Status, Lead status). The twins model looks for
 * prospects like the best customers; ABCD counts a prospect's blank revenue as 0.
 */

/** Whole values (lower case, spaces collapsed) that mark a prospect, English and Danish. */
const PROSPECT_PHRASES = new Set([
  'potential customer', 'potential client', 'possible customer', 'new lead', 'sales lead',
  'potentiel kunde', 'potentielle kunder', 'mulig kunde', 'mulige kunder',
]);

/**
 * First words that mark a prospect whatever follows ("Lead - varm", "Prospect (hot)", "Emne,
 * kvalificeret"): lead, prospect and suspect in English; emne, kundeemne and salgsemne in Danish.
 */
const PROSPECT_WORDS = new Set([
  'lead', 'leads', 'prospect', 'prospects', 'suspect', 'suspects',
  'emne', 'emner', 'kundeemne', 'kundeemner', 'salgsemne', 'salgsemner',
]);

/**
 * Whether a customer type value says prospect: "Lead", "Prospect", "Potential customer", "Emne",
 * "Kundeemne", "Potentiel kunde", "Lead (kvalificeret)"; case and spacing do not count. Customer
 * words (Kunde, Customer, Aktiv, Account) and blanks are not prospects.
 */
export function isProspectText(text: string): boolean {
  const normalized = text.toLocaleLowerCase('da').replace(/\s+/g, ' ').trim();
  if (normalized === '') return false;
  if (PROSPECT_PHRASES.has(normalized)) return true;
  const first = /^[\p{L}]+/u.exec(normalized)?.[0];
  return first !== undefined && PROSPECT_WORDS.has(first);
}

/**
 * 1 for each row (blank lines inside the table excepted) whose customer type says prospect
 * (isProspectText); undefined when the table has no customer type column. Length rowCount.
 */
export function prospectRows(table: CustomerTable): Uint8Array | undefined {
  const types = table.texts.customerType;
  if (!types) return undefined;
  const rows = new Uint8Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) rows[i] = !isBlankRow(table, i) && isProspectText(types[i] ?? '') ? 1 : 0;
  return rows;
}

/** How many 1s a row mask holds. */
export function countRows(mask: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i];
  return count;
}
