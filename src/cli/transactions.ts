import {
  hasLogColumns,
  buildCustomerTable, customersFromLog, joinLogCustomers, type CustomerTable, type Language, type LogCustomers, type Localized,
  type RoleMapping, type SummaryOptions,
} from '../engine';
import { joinedColumns } from '../workbook/log-input';
import type { PlannedColumn } from '../workbook/plan';
import type { TableSnapshot } from '../workbook/port';
import { CliError, say } from './messages';

// Shared with the task pane: how a log's customers are written.
export { attachLogNotes, logColumnFormat, newTableOf } from '../workbook/log-input';

/**
 * Reads the --transactions log (a table with a customer id, an order date and an amount or a
 * quantity and a unit price) and summarises it per customer.
 */
export function summariseTransactionsFile(snapshot: TableSnapshot, file: string, language: Language, options: SummaryOptions = {}): LogCustomers {
  const log = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
  const { mapping } = log;
  if (!hasLogColumns(mapping)) {
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
  const table = buildCustomerTable(joined.headers, joined.rows, { origin: snapshot.origin, mapping: joined.mapping, observedUntil: logCustomers.table.observedUntil, orderLog: joined.orderLog });
  return { table, leadingColumns: joinedColumns(joined, headers.length), notes: joined.notes };
}
