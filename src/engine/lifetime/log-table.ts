/**
 * From a transaction log read as a table (one row per order or order line) to a customer table
 * (one row per customer) that RFM and CLV run on, as every other model runs on a customer table.
 */
import { formatNumber } from '../model';
import { columnLetter } from '../parse';
import type { RoleId, RoleMapping } from '../roles';
import { buildCustomerTable, isBlankRow, type CustomerTable, type OrderLogLink } from '../table';
import type { CellValue, Language, Localized } from '../types';
import { summarizeTransactions, type CustomerSummaries, type SummaryOptions, type TransactionLog } from './transactions';
import { counted, NOUNS, nounFor } from './wording';

export type { SummaryOptions } from './transactions';

/** Whether a mapping has a log's columns: customer id, order date, and an amount or quantity × unit price (repeated ids or not). */
export function hasLogColumns(mapping: RoleMapping): boolean {
  return mapping.id !== undefined && mapping.orderDate !== undefined
    && (mapping.amount !== undefined || (mapping.quantity !== undefined && mapping.unitPrice !== undefined));
}

/**
 * Whether a table is a transaction log: it has a customer id, an order date and an amount (or a
 * quantity and a unit price), and some customer id occurs on more than one row. A customer table
 * with a date column has one row per customer, so a repeated id is what tells a log.
 */
export function isTransactionLog(table: CustomerTable): boolean {
  if (!hasLogColumns(table.mapping)) return false;
  const ids = table.texts.id ?? [];
  const seen = new Set<string>();
  for (const id of ids) {
    if (!id) continue;
    if (seen.has(id)) return true;
    seen.add(id);
  }
  return false;
}

/** Amount per line: the amount column, else quantity × unit price; NaN where it cannot be read. */
export function lineAmounts(table: CustomerTable): Float64Array {
  if (table.numbers.amount) return table.numbers.amount;
  const quantity = table.numbers.quantity;
  const price = table.numbers.unitPrice;
  if (!quantity || !price) throw new Error('A transaction log needs an amount column, or a quantity and a unit price.');
  const amounts = new Float64Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) amounts[i] = quantity[i] * price[i];
  return amounts;
}

/** One column of the customer table a log becomes: its header in both languages, its role and how it is shown. */
export interface LogCustomerColumn {
  key: 'id' | 'first' | 'last' | 'orders' | 'revenue' | 'x' | 'tx' | 'T' | 'zbar' | 'holdout' | 'holdoutWeeks';
  header: Localized;
  role?: RoleId;
  format: 'text' | 'date' | 'number' | 'amount' | 'decimal';
}

/** The columns, in order. The headers are ones detectRoles maps to the roles given, in both languages. */
export const LOG_CUSTOMER_COLUMNS: readonly LogCustomerColumn[] = [
  { key: 'id', header: { en: 'Customer ID', da: 'Kundenr' }, role: 'id', format: 'text' },
  { key: 'first', header: { en: 'First purchase', da: 'Første køb' }, role: 'since', format: 'date' },
  { key: 'last', header: { en: 'Last order', da: 'Seneste køb' }, role: 'lastOrder', format: 'date' },
  { key: 'orders', header: { en: 'Orders', da: 'Antal ordrer' }, role: 'orders', format: 'number' },
  { key: 'revenue', header: { en: 'Revenue', da: 'Omsætning' }, role: 'revenue', format: 'amount' },
  { key: 'x', header: { en: 'Repeat purchases', da: 'Genkøb' }, role: 'repeatPurchases', format: 'number' },
  { key: 'tx', header: { en: 'Recency (weeks)', da: 'Seneste køb (uger)' }, role: 'recencyWeeks', format: 'decimal' },
  { key: 'T', header: { en: 'Age (weeks)', da: 'Alder (uger)' }, role: 'ageWeeks', format: 'decimal' },
  { key: 'zbar', header: { en: 'Mean repeat spend', da: 'Gns. genkøbsbeløb' }, role: 'meanRepeatSpend', format: 'amount' },
  { key: 'holdout', header: { en: 'Holdout purchases', da: 'Køb i holdout' }, role: 'holdoutPurchases', format: 'number' },
  { key: 'holdoutWeeks', header: { en: 'Holdout (weeks)', da: 'Holdout (uger)' }, role: 'holdoutWeeks', format: 'decimal' },
];

/**
 * The summary options that split a log at a holdout start (Excel serial day, the first day of the
 * holdout): calibration up to the day before, holdout from it to the last date in the log.
 * 0 (no holdout) gives the default options: calibration to the last date in the log.
 */
export function holdoutSplit(holdoutStart: number): SummaryOptions {
  return holdoutStart > 0 ? { calibrationEnd: Math.floor(holdoutStart) - 1 } : {};
}

export interface LogCustomers {
  /** One row per customer, in the order customers first appear in the log. */
  table: CustomerTable;
  /** The columns of `table`, in order (Holdout purchases and Holdout (weeks) only when a holdout period is set). */
  columns: LogCustomerColumn[];
  summaries: CustomerSummaries;
  /** What the log held besides purchases: lines without a customer id, unusable lines, credit notes. */
  notes: Localized[];
  /** The same as counts, for a UI that words them itself: log lines (blank ones included), lines left out, credit notes netted. */
  counts: LogCounts;
}

/** What a log held, counted: every line read, those without a customer id or a readable date/amount, and credit notes (their total, ≤ 0 as a rule). */
export interface LogCounts {
  lines: number;
  withoutId: number;
  unusable: number;
  creditNotes: number;
  creditTotal: number;
}

/** At most this many sheet rows are named in a note; the rest are counted. */
const LISTED_ROWS = 10;

/**
 * Summarises a log table per customer (summarizeTransactions: same-day purchases merged, credit
 * notes netted, times in weeks) into a customer table whose headers are in `language`.
 * Blank lines inside the log are skipped silently, as in any table; lines without a customer id
 * and lines whose date or amount cannot be read are counted and named by sheet row and column.
 * @param options calibration and holdout end (Excel serial days), as summarizeTransactions takes them.
 */
export function customersFromLog(log: CustomerTable, language: Language, options: SummaryOptions = {}): LogCustomers {
  const ids = log.texts.id;
  const days = log.numbers.orderDate;
  if (!ids || !days) throw new Error('A transaction log needs a customer id and an order date column.');
  const lines: TransactionLog = { customer: ids, day: days, amount: lineAmounts(log), invoice: log.texts.invoice, skip: blankRowsOf(log) };
  const summaries = summarizeTransactions(lines, options);
  if (summaries.ids.length === 0) throw new EmptyLogError(log, summaries);
  const withHoldout = summaries.holdoutEnd > summaries.calibrationEnd;
  const columns = LOG_CUSTOMER_COLUMNS.filter((column) => (column.key !== 'holdout' && column.key !== 'holdoutWeeks') || withHoldout);
  const rows = customerRows(summaries, columns);
  const mapping: RoleMapping = {};
  columns.forEach((column, index) => { if (column.role) mapping[column.role] = index; });
  const orderLog = { summaries, lines, joined: false };
  const table = buildCustomerTable(columns.map((column) => column.header[language]), rows, { mapping, observedUntil: summaries.calibrationEnd, orderLog });
  const notes = logNotes(log, summaries);
  const counted = summaries.lines;
  const counts: LogCounts = { lines: log.rowCount, withoutId: counted.withoutCustomer, unusable: counted.unusable, creditNotes: counted.credits, creditTotal: counted.creditTotal };
  return { table, columns, summaries, notes, counts };
}

/**
 * A log without one line to summarise: no line has a customer id with a readable date and amount.
 * Its sentence names the columns and what the lines held, so the user can see what to correct.
 */
export class EmptyLogError extends Error {
  readonly text: Localized;

  constructor(log: CustomerTable, summaries: CustomerSummaries) {
    const amount = log.mapping.amount !== undefined ? columnName(log, 'amount') : `${columnName(log, 'quantity')} × ${columnName(log, 'unitPrice')}`;
    const { withoutCustomer, unusable } = summaries.lines;
    const text = {
      en: `No line of the transaction log has a customer id in ${columnName(log, 'id')} with a readable date in ${columnName(log, 'orderDate')} and amount in ${amount} (${counted(unusable, NOUNS.line, 'en')} without a readable date or amount, ${counted(withoutCustomer, NOUNS.line, 'en')} without a customer id): there is nothing to summarise. Check that the columns are the right ones, and the dates are written as 2024-03-01 or 01-03-2024.`,
      da: `Ingen linje i transaktionsloggen har et kundenummer i ${columnName(log, 'id')} med en læselig dato i ${columnName(log, 'orderDate')} og et beløb i ${amount} (${counted(unusable, NOUNS.line, 'da')} uden læselig dato eller beløb, ${counted(withoutCustomer, NOUNS.line, 'da')} uden kundenummer): der er intet at opsummere. Tjek at kolonnerne er de rigtige, og at datoerne er skrevet som 2024-03-01 eller 01-03-2024.`,
    };
    super(text.en);
    this.name = 'EmptyLogError';
    this.text = text;
  }
}

/** 1 per blank row of the log table (as isBlankRow tells them). */
function blankRowsOf(log: CustomerTable): Uint8Array {
  return log.blankRows ?? Uint8Array.from({ length: log.rowCount }, (_, i) => Number(isBlankRow(log, i)));
}

function customerRows(summaries: CustomerSummaries, columns: readonly LogCustomerColumn[]): CellValue[][] {
  const value = (key: LogCustomerColumn['key'], c: number): CellValue => {
    const bought = summaries.inCalibration[c] === 1;
    switch (key) {
      case 'id': return summaries.ids[c];
      case 'first': return bought ? summaries.firstDay[c] : null;
      case 'last': return bought ? summaries.lastDay[c] : null;
      case 'orders': return summaries.orders[c];
      case 'revenue': return summaries.revenue[c];
      case 'x': return bought ? summaries.x[c] : null;
      case 'tx': return bought ? summaries.tx[c] : null;
      case 'T': return bought ? summaries.T[c] : null;
      case 'zbar': return bought ? summaries.zbar[c] : null;
      // Only the calibration cohort is compared in the holdout: a customer who first bought after the split has no history to predict from.
      case 'holdout': return bought ? summaries.holdoutPurchases[c] : null;
      case 'holdoutWeeks': return bought ? (summaries.holdoutEnd - summaries.calibrationEnd) / summaries.unitDays : null;
    }
  };
  return summaries.ids.map((_, c) => columns.map((column) => value(column.key, c)));
}

/** "rows 3, 17 and 40" / "rows 3, 17, … (and 1,204 more)": sheet rows, the first few named. */
function rowList(log: CustomerTable, rows: readonly number[], language: Language): string {
  const named = rows.slice(0, LISTED_ROWS).map((i) => String(log.origin.headerRow + 1 + i));
  const more = rows.length - named.length;
  const word = nounFor(rows.length, NOUNS.row, language);
  if (more > 0) return `${word} ${named.join(', ')}, … (${language === 'da' ? 'og' : 'and'} ${formatNumber(more, language, 0)} ${language === 'da' ? 'flere' : 'more'})`;
  return `${word} ${named.join(', ')}`;
}

function columnName(log: CustomerTable, role: RoleId): string {
  const column = log.mapping[role];
  return column === undefined ? '' : `"${log.headers[column]}" (${columnLetter(log.origin.firstColumn + column)})`;
}

function logNotes(log: CustomerTable, summaries: CustomerSummaries): Localized[] {
  const counts = {
    withoutId: summaries.lineLists.withoutCustomer, unusable: summaries.lineLists.unusable, positiveCancellations: summaries.lineLists.positiveCancellations,
    creditLines: summaries.lines.credits, creditTotal: summaries.lines.creditTotal,
  };
  const lines = (count: number, language: Language) => counted(count, NOUNS.line, language);
  const customers = (count: number, language: Language) => counted(count, NOUNS.customer, language);
  const notes: Localized[] = [{
    en: `Transaction log: ${customers(summaries.ids.length, 'en')} from ${lines(log.rowCount, 'en')}; purchases on the same day count as one.`,
    da: `Transaktionslog: ${customers(summaries.ids.length, 'da')} fra ${lines(log.rowCount, 'da')}; køb samme dag tæller som ét.`,
  }];
  if (counts.withoutId.length > 0) {
    const column = columnName(log, 'id');
    const count = counts.withoutId.length;
    notes.push({
      en: `${lines(count, 'en')} without a customer id in ${column} ${count === 1 ? 'was' : 'were'} left out, never guessed: ${rowList(log, counts.withoutId, 'en')}.`,
      da: `${lines(count, 'da')} uden kundenummer i ${column} blev udeladt, aldrig gættet: ${rowList(log, counts.withoutId, 'da')}.`,
    });
  }
  const amountColumn = log.mapping.amount !== undefined ? columnName(log, 'amount') : `${columnName(log, 'quantity')} × ${columnName(log, 'unitPrice')}`;
  if (counts.unusable.length > 0) {
    const count = counts.unusable.length;
    notes.push({
      en: `${lines(count, 'en')} without a readable date in ${columnName(log, 'orderDate')} or amount in ${amountColumn} ${count === 1 ? 'was' : 'were'} left out: ${rowList(log, counts.unusable, 'en')}.`,
      da: `${lines(count, 'da')} uden læselig dato i ${columnName(log, 'orderDate')} eller beløb i ${amountColumn} blev udeladt: ${rowList(log, counts.unusable, 'da')}.`,
    });
  }
  if (counts.creditLines > 0) {
    const count = counts.creditLines;
    notes.push({
      en: `${formatNumber(count, 'en', 0)} ${nounFor(count, NOUNS.creditNote, 'en')} (negative amounts, invoice numbers starting with C), ${formatNumber(counts.creditTotal, 'en', 2)} in all, ${count === 1 ? 'was' : 'were'} netted against the customers' revenue; ${count === 1 ? 'it is not a purchase' : 'they are not purchases'}.`,
      da: `${formatNumber(count, 'da', 0)} ${nounFor(count, NOUNS.creditNote, 'da')} (negative beløb, fakturanumre der begynder med C), i alt ${formatNumber(counts.creditTotal, 'da', 2)}, blev modregnet i kundernes omsætning; ${count === 1 ? 'den er ikke et køb' : 'de er ikke køb'}.`,
    });
  }
  if (counts.positiveCancellations.length > 0) {
    const count = counts.positiveCancellations.length;
    const invoiceColumn = columnName(log, 'invoice');
    notes.push({
      en: `${lines(count, 'en')} with an invoice number starting with C in ${invoiceColumn} (a cancellation) ${count === 1 ? 'has' : 'have'} a positive amount in ${amountColumn}: netted as ${count === 1 ? 'a credit' : 'credits'} (the amount taken off the revenue, not added): ${rowList(log, counts.positiveCancellations, 'en')}.`,
      da: `${lines(count, 'da')} med et fakturanummer der begynder med C i ${invoiceColumn} (en annullering) har et positivt beløb i ${amountColumn}: modregnet som ${count === 1 ? 'en kreditering' : 'krediteringer'} (beløbet trukket fra omsætningen, ikke lagt til): ${rowList(log, counts.positiveCancellations, 'da')}.`,
    });
  }
  const dateOrder = dateOrderNote(log);
  if (dateOrder) notes.push(dateOrder);
  const alike = idsAlikeButForCaseOrSpacing(summaries.ids);
  if (alike.groups > 0) {
    const example = alike.example.map((id) => `"${id}"`);
    const one = alike.groups === 1;
    notes.push({
      en: `${formatNumber(alike.groups, 'en', 0)} ${nounFor(alike.groups, NOUNS.group, 'en')} of customer ids differ only in upper and lower case or spacing, e.g. ${example.join(' and ')}: kept apart as different customers, never merged by guess; if ${one ? 'they are' : 'each group is'} one customer, correct the ids in the log.`,
      da: `${formatNumber(alike.groups, 'da', 0)} ${nounFor(alike.groups, NOUNS.group, 'da')} af kundenumre adskiller sig kun ved store og små bogstaver eller mellemrum, fx ${example.join(' og ')}: holdt adskilt som forskellige kunder, aldrig slået sammen på et gæt; er ${one ? 'de' : 'hver gruppe'} én kunde, så ret kundenumrene i loggen.`,
    });
  }
  const withoutPurchase = summaries.ids.length - summaries.inCalibration.reduce((total, flag) => total + flag, 0);
  if (withoutPurchase > 0) {
    notes.push({
      en: `${customers(withoutPurchase, 'en')} ${withoutPurchase === 1 ? 'has' : 'have'} no purchase up to the calibration end (only credit notes, or purchases after it): ${withoutPurchase === 1 ? 'it gets' : 'they get'} no segment.`,
      da: `${customers(withoutPurchase, 'da')} har intet køb til og med kalibreringsslut (kun kreditnotaer eller køb efter den): ${withoutPurchase === 1 ? 'den får' : 'de får'} intet segment.`,
    });
  }
  return notes;
}

/**
 * How the order dates written with day and month as numbers were read, when it is worth saying:
 * month first (an American export), or either way with no date to tell (every day 12 or lower),
 * read day first as Danish sheets write them.
 */
function dateOrderNote(log: CustomerTable): Localized | null {
  const evidence = log.dateOrders?.orderDate;
  if (!evidence || evidence.numeric === 0) return null;
  const column = columnName(log, 'orderDate');
  if (evidence.order === 'monthFirst') {
    const against = evidence.dayFirst;
    return {
      en: `The dates in ${column} are read month first, as an American export writes them (12/13/2010 is 13 December 2010): ${formatNumber(evidence.monthFirst, 'en', 0)} can only be read that way${against > 0 ? `; ${formatNumber(against, 'en', 0)} can only be read day first and were left out as not dates` : ''}.`,
      da: `Datoerne i ${column} læses med måneden først, som en amerikansk eksport skriver dem (12/13/2010 er 13. december 2010): ${formatNumber(evidence.monthFirst, 'da', 0)} kan kun læses sådan${against > 0 ? `; ${formatNumber(against, 'da', 0)} kan kun læses med dagen først og blev udeladt som ikke-datoer` : ''}.`,
    };
  }
  if (evidence.dayFirst > 0) return null;
  return {
    en: `Every date in ${column} reads both day first and month first (no day is above 12): they are read day first, as Danish sheets write them (12/1/2010 is 12 January 2010). If the file writes the month first, as an American export does, save the dates as 2010-12-01 and run again.`,
    da: `Alle datoer i ${column} kan læses både med dagen og med måneden først (ingen dag er over 12): de læses med dagen først, som danske ark skriver dem (12/1/2010 er 12. januar 2010). Skriver filen måneden først, som en amerikansk eksport gør, så gem datoerne som 2010-12-01, og kør igen.`,
  };
}

/**
 * Customer ids that are equal once upper/lower case and every space are set aside ("K-100",
 * "k-100", "K -100"): how many such groups, and the first group's ids as an example. They stay
 * separate customers: the ids may be genuinely different, and only the user can tell.
 */
export function idsAlikeButForCaseOrSpacing(ids: readonly string[]): { groups: number; example: string[] } {
  const byKey = new Map<string, string[]>();
  for (const id of ids) {
    // Danish lower case is plain lower case in ASCII, which is far cheaper to ask for (4,372 UCI ids took 19 ms).
    const lower = ASCII.test(id) ? id.toLowerCase() : id.toLocaleLowerCase('da');
    const key = lower.replace(/\s+/gu, '');
    const group = byKey.get(key);
    if (group) group.push(id);
    else byKey.set(key, [id]);
  }
  let groups = 0;
  let example: string[] = [];
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    if (groups === 0) example = group;
    groups++;
  }
  return { groups, example };
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\u0000-\u007f]*$/;

/** The same customer id however a program wrote it: trimmed, and "17850.0" (a number exported as text) as "17850". */
export function customerKey(id: string): string {
  const trimmed = id.trim();
  return /^\d+\.0+$/.test(trimmed) ? trimmed.replace(/\.0+$/, '') : trimmed;
}

/** A customer table with a transaction log's summary joined on: see joinLogCustomers. */
export interface JoinedCustomers {
  /** The table's headers followed by the joined columns' headers. */
  headers: string[];
  /** Each table row followed by its customer's summary (blank where the log has no purchase of theirs). */
  rows: CellValue[][];
  /** The table's mapping, with the log's roles pointing at the joined columns (see joinLogCustomers). */
  mapping: RoleMapping;
  /** The joined columns, in order, after the table's own. */
  columns: LogCustomerColumn[];
  notes: Localized[];
  /** The log behind the joined columns, for the joined table (buildCustomerTable's orderLog): RFM reads R, F and M from it. */
  orderLog?: OrderLogLink;
}

/**
 * Joins a log's per-customer summary onto a customer table by customer id (customerKey). The
 * purchase history comes from the log: Last order, Orders and the BG/NBD inputs map to the joined
 * columns even where the table has columns of its own for them; Customer since and Revenue stay
 * the table's where it has them (other models read them), else come from the log. A joined header
 * that the table already has gets " (log)". Customers without a purchase in the log get blank
 * cells, so no RFM or CLV result, and a note counts them; log customers not in the table are counted too.
 * RFM takes R, F and M all from the log (`orderLog`), the table's Revenue included.
 */
export function joinLogCustomers(
  headers: readonly string[], rows: readonly (readonly CellValue[])[], mapping: RoleMapping, logCustomers: LogCustomers, language: Language,
): JoinedCustomers {
  const idColumn = mapping.id;
  if (idColumn === undefined) throw new Error('Joining a transaction log needs a customer id column in the customer table.');
  const summary = logCustomers.table;
  const byId = new Map<string, number>();
  for (let c = 0; c < summary.rowCount; c++) byId.set(customerKey(summary.texts.id![c]), c);
  const columns = logCustomers.columns.filter((column) => column.key !== 'id');
  const taken = new Set(headers.map((header) => normalizeText(header)));
  const joinedHeaders = columns.map((column) => {
    const header = column.header[language];
    return taken.has(normalizeText(header)) ? `${header} (log)` : header;
  });
  const joinedMapping: RoleMapping = { ...mapping };
  const keepTables: RoleId[] = ['since', 'revenue'];
  columns.forEach((column, k) => {
    if (!column.role || (keepTables.includes(column.role) && mapping[column.role] !== undefined)) return;
    joinedMapping[column.role] = headers.length + k;
  });
  const summaryColumn = columns.map((column) => logCustomers.columns.indexOf(column));
  const matched = new Set<number>();
  let withoutPurchase = 0;
  const joinedRows = rows.map((row) => {
    const cells: CellValue[] = Array.from({ length: headers.length }, (_, c) => row[c] ?? null);
    const raw = row[idColumn];
    const key = raw === null || raw === undefined ? '' : customerKey(String(raw));
    const c = key ? byId.get(key) : undefined;
    if (c !== undefined) matched.add(c);
    const bought = c !== undefined && logCustomers.summaries.inCalibration[c] === 1;
    if (key && !bought) withoutPurchase++;
    for (const index of summaryColumn) cells.push(bought ? summary.cells[c!][index] : null);
    return cells;
  });
  const customers = (count: number, lang: Language) => counted(count, NOUNS.customer, lang);
  const notes: Localized[] = [...logCustomers.notes];
  if (withoutPurchase > 0) {
    const one = withoutPurchase === 1;
    notes.push({
      en: `${customers(withoutPurchase, 'en')} of the table ${one ? 'has' : 'have'} no purchase in the transaction log: ${one ? 'its' : 'their'} RFM and CLV cells stay empty.`,
      da: `${customers(withoutPurchase, 'da')} i tabellen har intet køb i transaktionsloggen: ${one ? 'dens' : 'deres'} RFM- og CLV-celler forbliver tomme.`,
    });
  }
  const unmatched = summary.rowCount - matched.size;
  if (unmatched > 0) {
    const one = unmatched === 1;
    notes.push({
      en: `${customers(unmatched, 'en')} in the transaction log ${one ? 'is' : 'are'} not in the customer table and ${one ? 'is' : 'are'} left out.`,
      da: `${customers(unmatched, 'da')} i transaktionsloggen findes ikke i kundetabellen og er udeladt.`,
    });
  }
  const orderLog = summary.orderLog && { ...summary.orderLog, joined: true };
  return { headers: [...headers, ...joinedHeaders], rows: joinedRows, mapping: joinedMapping, columns, notes, ...(orderLog ? { orderLog } : {}) };
}

function normalizeText(text: string): string {
  return text.trim().toLowerCase();
}
