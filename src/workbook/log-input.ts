/**
 * The table the models run on when a transaction log is involved, and the plan that writes it:
 * shared by the CLI, the task pane and its compute worker, so all three turn a log into customers
 * and write them the same way.
 */
import {
  hasLogColumns,
  buildCustomerTable, cellText, customersFromLog, holdoutSplit, isTransactionLog, joinLogCustomers, numberSetting,
  type CustomerTable, type ModelChoice, type Language, type Localized, type LogCustomerColumn, type LogCustomers, type RoleMapping, type Segmentation,
} from '../engine';
import { buildNewTablePlan, buildPlan, type NewTable, type PlanCell, type PlannedColumn, type PlanOptions, type WritePlan } from './plan';
import type { TableSnapshot } from './port';

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
 * result, so the Summary sheet and the reports say them once.
 */
export function attachLogNotes(segmentation: Segmentation, notes: readonly Localized[]): void {
  const first = segmentation.results[0];
  if (first) first.notes = [...notes, ...first.notes];
}

/** A transaction log read from a sheet beside the customer table, with the roles its columns have. */
export interface LogSheet {
  snapshot: TableSnapshot;
  mapping: RoleMapping;
}

/**
 * What the models run on, and how it is written:
 * - 'customers': the table as read; the models' columns go right of it.
 * - 'log': the table read is a transaction log (isTransactionLog); the models run on its
 *   per-customer summary, written as a Customers sheet (`newTable`).
 * - 'joined': a log sheet beside the customer table, summarised and joined on customer id
 *   (joinLogCustomers); the joined columns go right of the table before the models' (`leadingColumns`).
 */
export interface PreparedInput {
  kind: 'customers' | 'log' | 'joined';
  /** The table the models run on. */
  table: CustomerTable;
  /** The log as read ('log': the table read; 'joined': the log sheet); null for 'customers'. */
  log: CustomerTable | null;
  /** The log's per-customer summary; null for 'customers'. */
  logCustomers: LogCustomers | null;
  /** What the log held and how it was joined, for the first model's notes (attachLogNotes). */
  notes: Localized[];
  /** The sheet of a log beside the table ('joined'). */
  logSheetName?: string;
  newTable?: NewTable;
  leadingColumns?: PlannedColumn[];
}

/** Thrown when a log sheet cannot be used beside the table: the sentence says why, in both languages. */
export class LogInputError extends Error {
  constructor(readonly text: Localized) {
    super(text.en);
    this.name = 'LogInputError';
  }
}

function notALog(sheet: string): LogInputError {
  return new LogInputError({
    en: `The sheet "${sheet}" is not a transaction log: it needs a customer id, an order date and an amount (or a quantity and a unit price) column.`,
    da: `Arket "${sheet}" er ikke en transaktionslog: det skal have en kolonne med kundenummer, ordredato og beløb (eller antal og stykpris).`,
  });
}

const NO_ID_TO_JOIN: Localized = {
  en: 'The order log is joined on customer id: give a column of the customer table the role Customer ID.',
  da: 'Ordreloggen kobles på kundenummer: giv en kolonne i kundetabellen rollen Kundenr.',
};

/** The clv model's holdout start among the chosen models (Excel serial day), 0 when clv is not chosen or has none. */
export function holdoutStartOf(choices: readonly ModelChoice[]): number {
  const clv = choices.find((choice) => choice.id === 'clv');
  const start = clv ? numberSetting(clv.settings, 'holdoutStart') : 0;
  return start > 0 ? start : 0;
}

/**
 * The table the models run on, from the table read with the user's mapping and, optionally, a log
 * sheet beside it. A table that is itself a log ignores `beside`.
 * @param holdoutStart the clv holdout start (Excel serial day; holdoutStartOf): a log is summarised
 *   up to the day before and its later purchases counted for the holdout check; 0 for none
 * @throws LogInputError when `beside` lacks a log's columns, or the table has no customer id to join on
 */
/**
 * The log's summary columns a join added right of the table's own `tableWidth` columns, as the plan
 * writes them (values, each in its number format) before the models' columns.
 */
export function joinedColumns(joined: ReturnType<typeof joinLogCustomers>, tableWidth: number): PlannedColumn[] {
  return joined.columns.map((column, k): PlannedColumn => ({
    header: joined.headers[tableWidth + k],
    values: joined.rows.map((row) => row[tableWidth + k] as PlanCell),
    numberFormat: logColumnFormat(column),
  }));
}

export function prepareInput(snapshot: TableSnapshot, mapping: RoleMapping, language: Language, beside?: LogSheet | null, holdoutStart = 0): PreparedInput {
  const read = buildCustomerTable(snapshot.headers, snapshot.rows, { mapping, origin: snapshot.origin });
  const split = holdoutSplit(holdoutStart);
  if (isTransactionLog(read)) {
    const logCustomers = customersFromLog(read, language, split);
    return { kind: 'log', table: logCustomers.table, log: read, logCustomers, notes: logCustomers.notes, newTable: newTableOf(logCustomers) };
  }
  if (!beside) return { kind: 'customers', table: read, log: null, logCustomers: null, notes: [] };
  if (!hasLogColumns(beside.mapping)) throw notALog(beside.snapshot.sheetName);
  if (mapping.id === undefined) throw new LogInputError(NO_ID_TO_JOIN);
  const log = buildCustomerTable(beside.snapshot.headers, beside.snapshot.rows, { mapping: beside.mapping, origin: beside.snapshot.origin });
  const logCustomers = customersFromLog(log, language, split);
  const headers = snapshot.headers.map((header) => cellText(header).trim());
  const joined = joinLogCustomers(headers, snapshot.rows, mapping, logCustomers, language);
  const table = buildCustomerTable(joined.headers, joined.rows, { origin: snapshot.origin, mapping: joined.mapping, observedUntil: logCustomers.table.observedUntil, orderLog: joined.orderLog });
  const leadingColumns = joinedColumns(joined, headers.length);
  return { kind: 'joined', table, log, logCustomers, notes: joined.notes, logSheetName: beside.snapshot.sheetName, leadingColumns };
}

/**
 * The plan for a prepared input: a log's customers on a Customers sheet, a joined log's columns
 * before the models' own, else the ordinary plan. The log's notes go with the first model's.
 */
export function planPrepared(snapshot: TableSnapshot, prepared: PreparedInput, segmentation: Segmentation, options: PlanOptions): WritePlan {
  attachLogNotes(segmentation, prepared.notes);
  if (prepared.newTable) return buildNewTablePlan(snapshot, prepared.newTable, segmentation, options);
  return buildPlan(snapshot, segmentation, prepared.leadingColumns ? { ...options, leadingColumns: prepared.leadingColumns } : options);
}
