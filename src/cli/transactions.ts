import {
  buildCustomerTable, customersFromLog, joinLogCustomers, type CustomerTable, type Language, type LogCustomerColumn, type LogCustomers, type Localized,
  type RoleMapping, type Segmentation, type SummaryOptions,
} from '../engine';
import type { NewTable, PlanCell, PlannedColumn } from '../workbook/plan';
import type { TableSnapshot } from '../workbook/port';
import { CliError, say } from './messages';

/** How the summary columns of a log are shown on a sheet. */
export function logColumnFormat(column: LogCustomerColumn): string | undefined {
  switch (column.format) {
    case 'date': return 'yyyy-mm-dd';
    case 'amount': return '#,##0.00';
    case 'decimal': return '0.00';
    case 'number': return '0';
    default: return undefined;
  }
}

/** A log's customer table as the Customers sheet writes it. */
export function newTableOf(logCustomers: LogCustomers): NewTable {
  const { table, columns } = logCustomers;
  return { headers: table.headers, rows: table.cells as PlanCell[][], numberFormats: columns.map(logColumnFormat) };
}

/**
 * The notes about the log (lines without a customer id, credit notes, …) shown with the first
 * result, so the Summary sheet and the CLI report say them once.
 */
export function attachLogNotes(segmentation: Segmentation, notes: readonly Localized[]): void {
  const first = segmentation.results[0];
  if (first) first.notes = [...notes, ...first.notes];
}

/**
 * Reads the --transactions log (a table with a customer id, an order date and an amount or a
 * quantity and a unit price) and summarises it per customer.
 */
export function summariseTransactionsFile(snapshot: TableSnapshot, file: string, language: Language, options: SummaryOptions = {}): LogCustomers {
  const log = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
  const { mapping } = log;
  if (mapping.id === undefined || mapping.orderDate === undefined || (mapping.amount === undefined && (mapping.quantity === undefined || mapping.unitPrice === undefined))) {
    throw new CliError(say(language, 'notALog', { file, headers: log.headers.filter(Boolean).map((header) => `"${header}"`).join(', ') }));
  }
  return customersFromLog(log, language, options);
}

/**
 * The customer table with the log's summary joined on by customer id, and the joined columns as
 * the plan writes them right of the table (values) before the models' columns.
 */
export function joinTransactions(
  snapshot: TableSnapshot, headers: string[], mapping: RoleMapping, logCustomers: LogCustomers, language: Language,
): { table: CustomerTable; leadingColumns: PlannedColumn[]; notes: Localized[] } {
  if (mapping.id === undefined) throw new CliError(say(language, 'transactionsNeedId'));
  const joined = joinLogCustomers(headers, snapshot.rows, mapping, logCustomers, language);
  const table = buildCustomerTable(joined.headers, joined.rows, { origin: snapshot.origin, mapping: joined.mapping });
  const leadingColumns = joined.columns.map((column, k): PlannedColumn => ({
    header: joined.headers[headers.length + k],
    values: joined.rows.map((row) => row[headers.length + k] as PlanCell),
    numberFormat: logColumnFormat(column),
  }));
  return { table, leadingColumns, notes: joined.notes };
}
