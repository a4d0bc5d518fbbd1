import type { Localized } from './types';

export type RoleId =
  | 'id' | 'name' | 'owner' | 'revenue' | 'potential' | 'margin' | 'costOfGoods' | 'costToServe' | 'hours'
  | 'shareOfWallet' | 'satisfaction' | 'since' | 'lastOrder' | 'orders' | 'daysLate' | 'churned'
  // Whether a row is a customer or a prospect (lead): twins look for prospects like the best customers.
  | 'customerType'
  // A transaction log's columns (one row per order or order line).
  | 'orderDate' | 'amount' | 'invoice' | 'quantity' | 'unitPrice' | 'product'
  // A customer's purchase history summarised for BG/NBD and Gamma-Gamma (lifetimes' frequency, recency, T, monetary_value).
  | 'repeatPurchases' | 'recencyWeeks' | 'ageWeeks' | 'meanRepeatSpend'
  // The holdout check: purchase days after the calibration end, and the holdout period's length.
  | 'holdoutPurchases' | 'holdoutWeeks';

export type RoleKind = 'text' | 'number' | 'date' | 'boolean';

export interface RoleDefinition {
  id: RoleId;
  kind: RoleKind;
  label: Localized;
  /** Headers that name this role, English and Danish, as users write them. */
  headers: string[];
  /**
   * Headers that name this role only when they are the whole header: a word so common that a
   * header merely containing it means something else ("Antal" is a quantity, "Antal ansatte" is not).
   */
  wholeHeaders?: string[];
}

/** The one list of roles and the headers that find them (DESIGN.md, Input). */
export const ROLES: readonly RoleDefinition[] = [
  { id: 'id', kind: 'text', label: { en: 'Customer ID', da: 'Kundenr.' },
    headers: ['Customer ID', 'CustomerID', 'Customer Id', 'Customer number', 'Account number', 'Account ID', 'ID', 'Kundenr', 'Kundenummer', 'Kunde nr', 'CVR'] },
  { id: 'name', kind: 'text', label: { en: 'Customer', da: 'Kunde' },
    headers: ['Customer', 'Customer name', 'Account', 'Account name', 'Company', 'Kunde', 'Kundenavn', 'Firma', 'Navn'] },
  { id: 'owner', kind: 'text', label: { en: 'Account manager', da: 'Kundeansvarlig' },
    headers: ['Account manager', 'Sales rep', 'Salesperson', 'Owner', 'Kundeansvarlig', 'Sælger', 'Ansvarlig'] },
  { id: 'revenue', kind: 'number', label: { en: 'Revenue', da: 'Omsætning' },
    headers: ['Revenue', 'Sales', 'Turnover', 'Omsætning', 'Salg'] },
  { id: 'potential', kind: 'number', label: { en: 'Potential', da: 'Potentiale' },
    headers: ['Potential', 'Wallet', 'Budget', 'Potentiale', 'Salgspotentiale'] },
  { id: 'margin', kind: 'number', label: { en: 'Contribution margin', da: 'Dækningsbidrag' },
    headers: ['Contribution margin', 'Gross profit', 'Margin', 'Dækningsbidrag', 'DB', 'Bruttoavance'] },
  { id: 'costOfGoods', kind: 'number', label: { en: 'Cost of goods', da: 'Vareforbrug' },
    headers: ['Cost of goods', 'Cost of goods sold', 'COGS', 'Cost of sales', 'Vareforbrug', 'Varekøb', 'Kostpris'] },
  { id: 'costToServe', kind: 'number', label: { en: 'Cost to serve', da: 'Serviceomkostninger' },
    headers: ['Cost to serve', 'Service cost', 'Serviceomkostninger', 'Omkostninger'] },
  { id: 'hours', kind: 'number', label: { en: 'Hours', da: 'Tidsforbrug' },
    headers: ['Hours', 'Time spent', 'Tidsforbrug', 'Timer'] },
  { id: 'shareOfWallet', kind: 'number', label: { en: 'Share of wallet', da: 'Andel af køb' },
    headers: ['Share of wallet', 'SoW', 'Andel af køb'] },
  { id: 'satisfaction', kind: 'number', label: { en: 'Satisfaction', da: 'Tilfredshed' },
    headers: ['CSI', 'Satisfaction', 'NPS', 'Tilfredshed', 'Kundetilfredshed'] },
  { id: 'since', kind: 'date', label: { en: 'Customer since', da: 'Kunde siden' },
    headers: ['Customer since', 'First order', 'First purchase', 'Kunde siden', 'Første ordre', 'Første køb'] },
  { id: 'lastOrder', kind: 'date', label: { en: 'Last order', da: 'Seneste køb' },
    headers: ['Last order', 'Last purchase', 'Seneste køb', 'Sidste ordre', 'Seneste ordre'] },
  { id: 'orders', kind: 'number', label: { en: 'Orders', da: 'Antal ordrer' },
    headers: ['Orders', 'Frequency', 'Number of orders', 'Antal ordrer', 'Antal køb'] },
  { id: 'daysLate', kind: 'number', label: { en: 'Days late', da: 'Dage for sent' },
    headers: ['Days late', 'Avg days overdue', 'Average days late', 'Dage for sent', 'Gns. dage over forfald'] },
  { id: 'churned', kind: 'boolean', label: { en: 'Churned', da: 'Opsagt' },
    headers: ['Churned', 'Churn', 'Left', 'Opsagt', 'Stoppet'] },
  { id: 'customerType', kind: 'text', label: { en: 'Customer type', da: 'Kundetype' },
    headers: ['Customer type', 'Account type', 'Lead status', 'Kundetype', 'Emnestatus'], wholeHeaders: ['Type', 'Status'] },
  { id: 'orderDate', kind: 'date', label: { en: 'Order date', da: 'Ordredato' },
    headers: ['Invoice date', 'InvoiceDate', 'Order date', 'OrderDate', 'Fakturadato', 'Ordredato', 'Dato'] },
  { id: 'amount', kind: 'number', label: { en: 'Amount', da: 'Beløb' },
    headers: ['Amount', 'Net amount', 'Line total', 'Beløb', 'Nettobeløb'] },
  { id: 'invoice', kind: 'text', label: { en: 'Invoice', da: 'Fakturanr.' },
    headers: ['Invoice', 'InvoiceNo', 'Invoice number', 'Order number', 'Fakturanr', 'Fakturanummer', 'Ordrenr'] },
  { id: 'quantity', kind: 'number', label: { en: 'Quantity', da: 'Antal' },
    headers: ['Quantity', 'Qty'], wholeHeaders: ['Antal'] },
  { id: 'unitPrice', kind: 'number', label: { en: 'Unit price', da: 'Stykpris' },
    headers: ['Unit price', 'UnitPrice', 'Stykpris', 'Enhedspris'] },
  { id: 'product', kind: 'text', label: { en: 'Product', da: 'Vare' },
    headers: ['StockCode', 'Product', 'Varenr', 'Vare'] },
  { id: 'repeatPurchases', kind: 'number', label: { en: 'Repeat purchases', da: 'Genkøb' },
    headers: ['Repeat purchases', 'Genkøb'] },
  { id: 'recencyWeeks', kind: 'number', label: { en: 'Recency (weeks)', da: 'Seneste køb (uger)' },
    headers: ['Recency (weeks)', 'recency', 't_x', 'Seneste køb (uger)'] },
  { id: 'ageWeeks', kind: 'number', label: { en: 'Age (weeks)', da: 'Alder (uger)' },
    headers: ['Age (weeks)', 'T', 'Alder (uger)'] },
  { id: 'meanRepeatSpend', kind: 'number', label: { en: 'Mean repeat spend', da: 'Gns. genkøbsbeløb' },
    headers: ['Mean repeat spend', 'monetary_value', 'Gns. genkøbsbeløb'] },
  { id: 'holdoutPurchases', kind: 'number', label: { en: 'Holdout purchases', da: 'Køb i holdout' },
    headers: ['Holdout purchases', 'frequency_holdout', 'Køb i holdout'] },
  { id: 'holdoutWeeks', kind: 'number', label: { en: 'Holdout (weeks)', da: 'Holdout (uger)' },
    headers: ['Holdout (weeks)', 'duration_holdout', 'Holdout (uger)'] },
];

export function roleDefinition(id: RoleId): RoleDefinition {
  const role = ROLES.find((candidate) => candidate.id === id);
  if (!role) throw new Error(`Unknown role ${id}`);
  return role;
}

/** Lower case, letters and digits only, so "Kunde-nr." and "kundenr" meet. */
export function normalizeHeader(header: string): string {
  return header.toLocaleLowerCase('da').normalize('NFC').replace(/[^\p{L}\p{N}]+/gu, '');
}

export type RoleMapping = Partial<Record<RoleId, number>>;

/**
 * Maps columns to roles by header. An exact header match beats a header that merely contains a
 * known name ("Omsætning 2024"); longer known names beat shorter ones, so "Kunde siden" is a
 * date and not the customer's name. Each column and each role is used once.
 */
export function detectRoles(headers: readonly string[]): RoleMapping {
  const candidates: { role: RoleId; column: number; score: number }[] = [];
  headers.forEach((header, column) => {
    const normalized = normalizeHeader(header ?? '');
    if (!normalized) return;
    for (const role of ROLES) {
      for (const known of role.headers.map(normalizeHeader)) {
        if (normalized === known) candidates.push({ role: role.id, column, score: 1000 + known.length });
        else if (known.length >= 3 && normalized.includes(known)) candidates.push({ role: role.id, column, score: known.length });
      }
      for (const known of (role.wholeHeaders ?? []).map(normalizeHeader)) {
        if (normalized === known) candidates.push({ role: role.id, column, score: 1000 + known.length });
      }
    }
  });
  candidates.sort((a, b) => b.score - a.score || a.column - b.column);
  const mapping: RoleMapping = {};
  const usedColumns = new Set<number>();
  for (const { role, column } of candidates) {
    if (mapping[role] !== undefined || usedColumns.has(column)) continue;
    mapping[role] = column;
    usedColumns.add(column);
  }
  return lifetimesFrequency(headers, mapping);
}

/**
 * lifetimes' customer summary (frequency, recency, T, monetary_value) names the repeat purchases
 * "frequency", which elsewhere means orders: beside its recency and T columns it is read as
 * lifetimes means it.
 */
function lifetimesFrequency(headers: readonly string[], mapping: RoleMapping): RoleMapping {
  const orders = mapping.orders;
  if (orders === undefined || mapping.repeatPurchases !== undefined || mapping.recencyWeeks === undefined || mapping.ageWeeks === undefined) return mapping;
  if (normalizeHeader(headers[orders] ?? '') !== 'frequency') return mapping;
  const result: RoleMapping = { ...mapping, repeatPurchases: orders };
  delete result.orders;
  return result;
}
