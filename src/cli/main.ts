import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  hasLogColumns,
  CATALOG, buildCustomerTable, formatNumber, findModel, cellText, customerCount, releaseCells, localizedErrorText, detectRoles, formatProblem, defaultSettings, getModel, inputsNotes,
  InvalidSettingsError, modelAvailability, MissingRoleError, normalizeHeader, parseDate, roleDefinition, ROLES, segment, summarize, tierName, validateCut,
  customersFromLog, holdoutSplit, isTransactionLog, type CustomerTable, type LogCustomers, type RowProblem, type CutSpec, type Localized, type DataSetting, type Language, type ModelChoice, type ModelDefinition, type RoleId, type RoleMapping,
} from '../engine';
import { decodeDelimited, delimitedToWorkbook, gridOfDelimited, tooManyRows, workbookRowsFromGrid, type DecodedDelimited } from '../workbook/csv';
import { readDelimitedLog } from '../workbook/csv-log';
import { SHEET_ROWS, type SheetGrid } from '../workbook/grid';
import { buildNewTablePlan, buildPlan, SHEET_NAMES, type PlannedColumn, type PlanOptions, type WritePlan } from '../workbook/plan';
import { locateTable } from '../workbook/region';
import { createWorkbookPackage } from '../workbook/xlsx/new-package';
import type { TableSnapshot } from '../workbook/port';
import { PackageWorkbook } from '../workbook/xlsx/package-workbook';
import { ZipWriter } from '../workbook/xlsx/zip-write';
import { DELIMITED, fileAndSheet } from './file-spec';
import { CliError, say } from './messages';
import { NODE_CODEC } from './node-codec';
import { applyFeatureChoice, chosenFeatures, joinedColumnsOf } from './features';
import { attachLogNotes, joinTransactions, logColumnFormat, newTableOf, summariseTransactionsFile } from './transactions';


/** The help text in the user's language, with the models, roles and --set settings the catalog has. */
function usage(language: Language): string {
  const chosenOnly = CATALOG.filter((model) => model.onlyWhenChosen).map((model) => model.id).join(', ');
  return say(language, 'usage', { models: CATALOG.map((model) => model.id).join(', '), chosenOnly, roles: ROLES.map((role) => role.id).join(', '), settings: setSettingsHelp(language) });
}

/** Where the help's option descriptions start. */
const HELP_INDENT = ' '.repeat(25);

/**
 * One indented help line per model with settings --set takes: `rfm: asOf (date), groups (5|4|3),
 * monetary (total|perOrder)`; numbers bare, a date marked, a choice with its option values.
 */
function setSettingsHelp(language: Language): string {
  return CATALOG.flatMap((model) => {
    const settable = model.settings.flatMap((setting) => {
      if (setting.kind === 'number') return [setting.key];
      if (setting.kind === 'date') return [`${setting.key} (${say(language, 'dateSetting')})`];
      if (setting.kind === 'choice') return [`${setting.key} (${[...setting.options.map((option) => option.value), ...(setting.prefixed ?? []).map((free) => `${free.prefix}…`)].join('|')})`];
      return [];
    });
    return settable.length > 0 ? [`${HELP_INDENT}${model.id}: ${settable.join(', ')}`] : [];
  }).join('\n');
}

export interface CliOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleOutput: CliOutput = { out: (line) => console.log(line), err: (line) => console.error(line) };

/** Files read as delimited text rather than as a workbook package. */

const OPTIONS = {
  model: { type: 'string', short: 'm' },
  map: { type: 'string', multiple: true, default: [] as string[] },
  output: { type: 'string', short: 'o' },
  sheet: { type: 'string', short: 's' },
  'values-only': { type: 'boolean', default: false },
  formulas: { type: 'string', default: 'excel' },
  lang: { type: 'string', default: 'en' },
  cut: { type: 'string', multiple: true, default: [] as string[] },
  set: { type: 'string', multiple: true, default: [] as string[] },
  settings: { type: 'string' },
  reasons: { type: 'boolean', default: false },
  transactions: { type: 'string' },
  features: { type: 'string' },
  join: { type: 'string' },
  on: { type: 'string' },
  verbose: { type: 'boolean', short: 'v', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

/**
 * Runs the command line and returns the exit code: 0 when the file was written (even when some
 * rows had problems, which are reported), 2 for a usage error (settings the engine refuses, such
 * as cuts in the wrong order, included), 1 for anything that stopped the run (a model that gives
 * no customer a segment, too). Every failure is one sentence on stderr, in the language of
 * --lang; never a stack trace.
 */
export async function main(argv: string[], output: CliOutput = consoleOutput): Promise<number> {
  const language: Language = argv.some((arg, index) => arg === '--lang=da' || (arg === '--lang' && argv[index + 1] === 'da')) ? 'da' : 'en';
  try {
    return await run(argv, output);
  } catch (error) {
    output.err(`segmentkit: ${describeError(error, language)}`);
    return error instanceof CliError ? error.exitCode : parseArgsCode(error) || error instanceof InvalidSettingsError ? 2 : 1;
  }
}

/** Node's parseArgs error code (ERR_PARSE_ARGS_…), or undefined for any other error. */
function parseArgsCode(error: unknown): string | undefined {
  const code = error instanceof Error && 'code' in error ? String((error as { code: unknown }).code) : '';
  return code.startsWith('ERR_PARSE_ARGS') ? code : undefined;
}

/** The one sentence a failure is reported with, in the user's language where the error carries both. */
function describeError(error: unknown, language: Language): string {
  const text = localizedErrorText(error, language);
  if (text) return text;
  if (error instanceof MissingRoleError) {
    const role = roleDefinition(error.role);
    return say(language, 'roleMissing', { roles: role.label[language], role: role.id });
  }
  if (error instanceof CliError) return error.message;
  if (parseArgsCode(error)) return describeParseArgsError(error as Error, language);
  if (error instanceof Error) return say(language, 'unexpected', { reason: error.message });
  return say(language, 'unexpected', { reason: String(error) });
}

/** Node's English parseArgs messages ("Unknown option '-x'. To specify…") as SegmentKit's own sentence. */
function describeParseArgsError(error: Error, language: Language): string {
  const option = /'(-[^' ]*(?:, --[^' ]*)?)/.exec(error.message)?.[1];
  const code = parseArgsCode(error);
  if (option && code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return say(language, 'unknownOption', { option });
  if (option && code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // "argument missing" and "argument is ambiguous" (the next word starts with a dash) both lack the value.
    return say(language, /does not take an argument/.test(error.message) ? 'optionTakesNoValue' : 'optionNeedsValue', { option });
  }
  return say(language, 'commandLine', { reason: error.message });
}

async function run(argv: string[], output: CliOutput): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const [command, input] = positionals;
  if (values.lang !== 'en' && values.lang !== 'da') throw new CliError(say('en', 'unknownLanguage', { value: values.lang }), 2);
  const language: Language = values.lang;
  if (values.help) {
    output.out(usage(language));
    return 0;
  }
  const formulas = values.formulas;
  if (formulas !== 'excel' && formulas !== 'segmentkit') throw new CliError(say(language, 'formulasChoice', { value: formulas }), 2);
  if (command !== 'segment' || !input) {
    output.err(usage(language));
    throw new CliError(say(language, 'noInput'), 2);
  }
  if (positionals.length > 2) throw new CliError(say(language, 'extraArguments', { extra: positionals.slice(2).map((extra) => `"${extra}"`).join(', ') }), 2);
  const started = performance.now();
  let phaseStart = started;
  const phase = (name: string) => {
    const now = performance.now();
    if (values.verbose) output.err(say(language, 'phaseTime', { name, seconds: secondsText(now - phaseStart, language), memory: Math.round(process.memoryUsage().rss / 2 ** 20) }));
    phaseStart = now;
  };

  const source = openSource(input, values, language, output);
  const target = path.resolve(values.output ?? defaultTarget(input));
  if (target === path.resolve(input)) throw new CliError(say(language, 'sameFile', { file: input }), 2);
  const logFile = values.transactions === undefined ? undefined : fileAndSheet(values.transactions, language, 'transactionsCsvSheet').file;
  if (logFile !== undefined && target === path.resolve(logFile)) throw new CliError(say(language, 'sameFile', { file: logFile }), 2);
  // Said before the work, not after a minute of segmenting a million rows.
  if (!existsSync(path.dirname(target))) throw new CliError(say(language, 'outputFolderMissing', { folder: path.dirname(target) }), 2);
  const planned = await segmentAndPlan(source, input, values, language, output, phase);
  writeAtomically(target, (writer) => planned.workbook.writeTo(writer));
  phase(say(language, 'phaseWrite', { file: path.basename(target) }));

  output.out(say(language, 'summary', { file: path.basename(input), customers: planned.customers, sheet: planned.sheetName, problems: planned.problems }));
  for (const line of planned.modelLines) output.out(line);
  output.out(say(language, 'wrote', { file: target, seconds: secondsText(performance.now() - started, language) }));
  return 0;
}

type CliValues = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof OPTIONS }>>['values'];

/**
 * Reads the table, runs the models and applies the plan to the workbook; returns only what the
 * report needs. The read rows, the table and the segmentation live in this function alone, so
 * they are garbage by the time the workbook is written (a gigabyte at a million rows).
 */
async function segmentAndPlan(
  source: InputSource, input: string, values: CliValues, language: Language, output: CliOutput, phase: (name: string) => void,
): Promise<{ customers: number; sheetName: string; problems: number; modelLines: string[]; workbook: PackageWorkbook }> {
  let workbook = source.kind === 'workbook' ? source.workbook : null;
  let snapshot = source.kind === 'workbook' ? await source.workbook.readTable() : source.snapshot;
  phase(say(language, 'phaseRead', { file: path.basename(input) }));
  for (const note of snapshot.notes ?? []) output.err(note.text[language]);
  const headers = snapshot.headers.map((header) => cellText(header).trim());
  const mapping = applyMaps(detectRoles(headers), headers, values.map, language);
  let table = source.kind === 'csv' ? source.table : buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin, mapping });
  // A CSV read as a possible log that has one row per customer after all is segmented as the table it is, in a workbook made of it.
  if (source.kind === 'csv' && !isTransactionLog(table)) {
    workbook = csvWorkbook(source.grid ?? gridOfDelimited(source.decoded!).grid, language);
    snapshot = await workbook.readTable();
    table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin, mapping });
  }
  reportProblems(table.problems, language, output);
  if (customerCount(table) === 0) throw noCustomers(input, snapshot, workbook, language);
  // The split at a holdout start decides each customer's calibration history, so it is read before the log is summarised.
  const split = holdoutSplit(holdoutStartOf(values, language));
  // A transaction log (or one beside the table) becomes one row per customer before any model runs.
  let logNotes: Localized[] = [];
  let leadingColumns: PlannedColumn[] | undefined;
  let newTable: ReturnType<typeof newTableOf> | undefined;
  let logLines = 0;
  if (values.transactions) {
    const log = fileAndSheet(values.transactions, language, 'transactionsCsvSheet');
    const logWorkbook = openInput(log.file, log.sheet, language, output);
    const logCustomers = summariseTransactionsFile(await logWorkbook.readTable(), values.transactions, language, split);
    const joined = joinTransactions(snapshot, headers, table.mapping, logCustomers, language);
    ({ table, leadingColumns } = joined);
    logNotes = joined.notes;
  } else if (isTransactionLog(table)) {
    const logCustomers = customersFromLog(table, language, split);
    logLines = table.rowCount;
    table = logCustomers.table;
    logNotes = logCustomers.notes;
    // A log read from a CSV is not copied into the workbook (541,909 or two million lines cannot, or should not, be a
    // sheet): a new workbook holds the customers as its table; a log sheet of a workbook stays, the customers beside it.
    if (workbook) newTable = newTableOf(logCustomers);
    else ({ workbook, snapshot, leadingColumns } = customersWorkbook(logCustomers, language));
  }
  // The log's lines are summarised: a million of them need not stay in memory while the models run.
  if (source.kind === 'csv') {
    source.grid = undefined;
    source.decoded = undefined;
  }
  if (!workbook) throw new Error('No workbook to write.');

  if (!values.transactions && !newTable && source.kind === 'workbook' && asksForLogModels(values.model)) {
    const logSheet = logSheetBeside(source.workbook, snapshot.sheetName);
    if (logSheet !== undefined) output.err(say(language, 'logSheetHint', { sheet: logSheet, spec: shellWord(`${input}:${logSheet}`) }));
  }
  // Joined columns ride on the table (CustomerTable.joined); the chosen features on each model that reads them.
  const joined = await joinedColumnsOf(values.join, values.on, table, language, (file, sheet) => openInput(file, sheet, language, output));
  if (joined) {
    table.joined = joined;
    for (const note of joined.notes) output.err(note[language]);
  }
  const features = chosenFeatures(values.features, table, language);
  const choices = chooseModels(values.model, table, language, output);
  for (const cut of values.cut) applyCut(choices, cut, language);
  if (values.settings) applySettingsFile(choices, values.settings, language);
  for (const setting of values.set) applySet(choices, setting, language);
  applyFeatureChoice(choices, features, joined !== undefined, language);
  const segmentation = segment(table, choices);
  attachLogNotes(segmentation, logNotes);
  // A setting can ask for a column the model otherwise does without (Pareto on revenue where only a margin is mapped).
  for (const { modelId, why } of segmentation.leftOut ?? []) output.err(say(language, 'modelLeftOut', { model: getModel(modelId).name[language], why: why[language] }));
  // The read rows are done with: planning and writing a million rows need the memory more.
  releaseCells(table);
  snapshot.rows = [];
  const formulas = values.formulas === 'segmentkit' ? 'segmentkit' : 'excel';
  const options: PlanOptions = { mode: values['values-only'] ? 'values' : 'formulas', formulas, language, spill: false, reasons: values.reasons, leadingColumns };
  const plan: WritePlan = newTable ? buildNewTablePlan(snapshot, newTable, segmentation, options) : buildPlan(snapshot, segmentation, options);
  if (newTable) output.err(say(language, 'readLog', { file: path.basename(input), customers: table.rowCount, sheet: plan.marker.sheets.customers ?? '' }));
  if (source.kind === 'csv' && logLines > 0) {
    output.err(say(language, 'readCsvLog', { lines: formatCount(logLines, language), customers: formatCount(table.rowCount, language), sheet: snapshot.sheetName }));
  }
  await workbook.apply(plan);
  phase(say(language, 'phaseSegment', { rows: table.rowCount }));
  // Each model's counts, then, indented, the columns it read and those it took as absent, and its
  // notes: what it left out, assumed or could not score.
  const modelLines = segmentation.results.flatMap((result) => {
    const model = getModel(result.modelId);
    const lines = summarize(table, model, result)
      .map((line) => `${line.tierIndex < 0 ? '-' : tierName(model.tiers[line.tierIndex], language)} ${line.customers}`);
    return [`${model.name[language]}: ${lines.join(', ')}`, ...[...inputsNotes(result.inputs), ...result.notes].map((note) => `  ${note[language]}`)];
  });
  return {
    customers: customerCount(table), sheetName: newTable ? plan.marker.sheets.customers ?? snapshot.sheetName : snapshot.sheetName, problems: table.problems.length, modelLines, workbook,
  };
}

/** Cells that could not be read are named one by one up to this many; the rest are counted per column. */
const LISTED_PROBLEMS = 20;

/**
 * The cells that could not be read, each with its row and column, the first LISTED_PROBLEMS of them:
 * a column of 60,000 dates in a format SegmentKit does not read would otherwise print 60,000 lines.
 */
function reportProblems(problems: readonly RowProblem[], language: Language, output: CliOutput): void {
  for (const problem of problems.slice(0, LISTED_PROBLEMS)) output.err(formatProblem(problem, language));
  if (problems.length <= LISTED_PROBLEMS) return;
  const perColumn = new Map<string, number>();
  for (const problem of problems.slice(LISTED_PROBLEMS)) {
    const column = `"${problem.column}" (${problem.columnLetter})`;
    perColumn.set(column, (perColumn.get(column) ?? 0) + 1);
  }
  const columns = [...perColumn].map(([column, count]) => `${column} ${formatCount(count, language)}`).join(', ');
  output.err(say(language, 'moreProblems', { count: formatCount(problems.length - LISTED_PROBLEMS, language), columns }));
}

/** 541909 → "541,909" / "541.909" (formatNumber: the first Intl call of a run costs 20 ms of locale data). */
function formatCount(count: number, language: Language): string {
  return formatNumber(count, language, 0);
}

/**
 * The input: a workbook package; or, for a CSV whose headers name a customer id, an order date and
 * an amount (or a quantity and a unit price), its table as read, beyond Excel's row limit if need
 * be, since a transaction log is summarised per customer and never written as a sheet. The CSV is
 * kept decoded (or as its grid) in case it turns out to have one row per customer after all.
 */
type InputSource =
  | { kind: 'workbook'; workbook: PackageWorkbook }
  | { kind: 'csv'; table: CustomerTable; snapshot: TableSnapshot; decoded?: DecodedDelimited; grid?: SheetGrid };

function openSource(input: string, values: CliValues, language: Language, output: CliOutput): InputSource {
  if (!DELIMITED.test(input) || values.transactions) return { kind: 'workbook', workbook: openInput(input, values.sheet, language, output) };
  const decoded = decodeDelimited(readInput(input, language), path.basename(input));
  // An empty file would otherwise be "a sheet that is empty", and a CSV has no sheets.
  if (isBlankText(decoded.bodyBytes)) throw new CliError(say(language, 'emptyFile', { file: decoded.displayName }));
  output.err(say(language, 'readCsv', { file: decoded.displayName, encoding: decoded.encoding, delimiter: decoded.delimiter === '\t' ? say(language, 'tab') : decoded.delimiter }));
  const logMapping = (headers: string[]) => {
    const mapping = applyMaps(detectRoles(headers), headers, values.map, language);
    return hasLogColumns(mapping) ? mapping : undefined;
  };
  // A log goes straight into its mapped columns; the shapes that need every cell take the general path below.
  const log = readDelimitedLog(decoded, logMapping);
  if (log) {
    const snapshot: TableSnapshot = {
      sheetName: log.sheetName, origin: log.table.origin, headers: log.headers, rows: [], marker: null, sheetNames: [log.sheetName], notes: log.notes,
    };
    return { kind: 'csv', table: log.table, snapshot, decoded };
  }
  const { grid } = gridOfDelimited(decoded, { sheetRowLimit: false });
  const located = locateTable({ ...grid, rows: workbookRowsFromGrid(grid) });
  const mapping = logMapping(located.headers.map((header) => cellText(header).trim()));
  if (!mapping) return { kind: 'workbook', workbook: csvWorkbook(grid, language) };
  const snapshot: TableSnapshot = {
    sheetName: grid.name, origin: located.origin, headers: located.headers, rows: located.rows, marker: null, sheetNames: [grid.name], notes: located.notes,
  };
  const table = buildCustomerTable(located.headers, located.rows, { origin: located.origin, mapping });
  return { kind: 'csv', table, snapshot, decoded, grid };
}

/** Whether bytes hold nothing but white space (ASCII's; asked of a file's bytes, it stops at the first other byte). */
function isBlankText(bytes: Uint8Array): boolean {
  for (let at = 0; at < bytes.length; at++) {
    const byte = bytes[at];
    if (byte !== 0x20 && (byte < 0x09 || byte > 0x0d)) return false;
  }
  return true;
}

/** A CSV as a one-sheet workbook, as the file adapter reads it; refused past Excel's row limit, since it would be written whole. */
function csvWorkbook(grid: SheetGrid, language: Language): PackageWorkbook {
  if (grid.rows.length > SHEET_ROWS) throw new CliError(tooManyRows(grid.name)[language]);
  return PackageWorkbook.open(createWorkbookPackage(grid.name, workbookRowsFromGrid(grid), NODE_CODEC), { sheet: grid.name });
}

/**
 * A new workbook for a log read from a CSV: one sheet, Customers (Kunder), holding the customer
 * ids as the table; the plan adds the summary columns (first purchase, …, the BG/NBD inputs) as
 * leading columns and the models' columns after them, and the Priority and Summary sheets. The
 * summary columns are handed over as the user's data (userData), not marked as SegmentKit's own:
 * the log is not in the workbook, so a later run on it (`-s Customers -m rfm`) reads them as table.
 */
function customersWorkbook(logCustomers: LogCustomers, language: Language): { workbook: PackageWorkbook; snapshot: TableSnapshot; leadingColumns: PlannedColumn[] } {
  const { table, columns } = logCustomers;
  const name = SHEET_NAMES.customers[language];
  const rows: (string | number | null)[][] = [[table.headers[0]]];
  for (let c = 0; c < table.rowCount; c++) rows.push([table.texts.id?.[c] ?? null]);
  const workbook = PackageWorkbook.created(name, rows, NODE_CODEC);
  const leadingColumns = columns.slice(1).map((column, k): PlannedColumn => ({
    header: table.headers[k + 1],
    values: Array.from({ length: table.rowCount }, (_, c) => table.cells[c][k + 1] as string | number | null),
    numberFormat: logColumnFormat(column),
    userData: true,
  }));
  const snapshot: TableSnapshot = { sheetName: name, origin: { headerRow: 1, firstColumn: 0 }, headers: [table.headers[0]], rows: [], marker: null, sheetNames: [name] };
  return { workbook, snapshot, leadingColumns };
}

/** Whether the run asks for a model that reads an order log: rfm or clv named, or every model the table allows. */
function asksForLogModels(list: string | undefined): boolean {
  return list === undefined || list.split(',').some((id) => id.trim() === 'rfm' || id.trim() === 'clv');
}

/**
 * The first other visible sheet of the workbook that holds an order log (isTransactionLog: a
 * customer id, an order date and an amount, some id on more than one row), or undefined. Read
 * only to say how to point --transactions at it, so a sheet that cannot be read is no log here.
 */
function logSheetBeside(workbook: PackageWorkbook, tableSheet: string): string | undefined {
  for (const name of workbook.sheetNames()) {
    if (name === tableSheet) continue;
    try {
      const located = locateTable(workbook.file.readSheet(name));
      const headers = located.headers.map((header) => cellText(header).trim());
      // The headers decide first, so a sheet without a log's columns is never read into a table.
      if (!hasLogColumns(detectRoles(headers))) continue;
      if (isTransactionLog(buildCustomerTable(located.headers, located.rows, { origin: located.origin }))) return name;
    } catch {
      // An empty or unreadable sheet: the run itself says nothing about sheets it was not asked to read.
    }
  }
  return undefined;
}

/** A file argument as a user types it: in double quotes when it holds a space or another character a shell reads. */
function shellWord(text: string): string {
  return /^[\w./:-]+$/.test(text) ? text : `"${text.replace(/"/g, '\\"')}"`;
}

/** --set clv.holdoutStart=…, read before the log is summarised (the split decides the history the model sees); 0 when not set. */
function holdoutStartOf(values: CliValues, language: Language): number {
  let start = 0;
  for (const text of values.set) {
    const match = /^clv\.holdoutStart=(.+)$/.exec(text);
    if (!match) continue;
    const value = match[1].trim() === '0' ? 0 : parseDate(match[1]);
    if (value === undefined || !Number.isFinite(value)) throw new CliError(say(language, 'setNotDate', { text }));
    start = value;
  }
  return start;
}

/** Milliseconds as seconds with one decimal, with the language's decimal separator ("1.5" / "1,5"). */
function secondsText(milliseconds: number, language: Language): string {
  const text = (milliseconds / 1000).toFixed(1);
  return language === 'da' ? text.replace('.', ',') : text;
}

/** `customers.xlsx` → `customers-segmented.xlsx`; a macro workbook stays .xlsm, a CSV becomes .xlsx. */
function defaultTarget(input: string): string {
  const extension = path.extname(input);
  const stem = input.slice(0, input.length - extension.length);
  return `${stem}-segmented${extension.toLowerCase() === '.xlsm' ? '.xlsm' : '.xlsx'}`;
}

/** The input as a workbook: an .xlsx/.xlsm as it is, a CSV/TSV turned into one. */
function openInput(input: string, sheet: string | undefined, language: Language, output: CliOutput): PackageWorkbook {
  const bytes = readInput(input, language);
  if (DELIMITED.test(input)) {
    const converted = delimitedToWorkbook(bytes, path.basename(input));
    output.err(say(language, 'readCsv', { file: path.basename(input), encoding: converted.encoding, delimiter: converted.delimiter === '\t' ? say(language, 'tab') : converted.delimiter }));
    return PackageWorkbook.open(converted.workbook, { sheet: converted.sheetName });
  }
  const workbook = PackageWorkbook.open(bytes, { sheet });
  checkSheet(workbook, sheet, language);
  return workbook;
}

function readInput(input: string, language: Language): Uint8Array {
  if (!existsSync(input)) throw new CliError(say(language, 'inputMissing', { file: input }));
  try {
    return readFileSync(input);
  } catch (error) {
    throw new CliError(say(language, 'inputUnreadable', { file: input, reason: (error as NodeJS.ErrnoException).code ?? String(error) }));
  }
}

/** A header with nothing below it is most often the wrong sheet (a notes sheet first): say which sheets there are. */
function noCustomers(input: string, snapshot: TableSnapshot, workbook: PackageWorkbook | null, language: Language): CliError {
  const row = snapshot.origin.headerRow;
  if (DELIMITED.test(input) || !workbook) return new CliError(say(language, 'noCustomersInText', { file: path.basename(input), row }));
  const known = workbook.sheetNames().map((name) => `"${name}"`).join(', ');
  return new CliError(say(language, 'noCustomers', { sheet: snapshot.sheetName, row, known }));
}

/** The sheet asked for with -s, or a visible one, must be there: said in the user's language before anything is read. */
function checkSheet(workbook: PackageWorkbook, sheet: string | undefined, language: Language): void {
  const names = workbook.sheetNames();
  // A sheet named explicitly may be hidden; only the default must be one a user sees.
  if (sheet === undefined ? names.length > 0 : workbook.file.sheets.some((candidate) => candidate.name === sheet && candidate.kind === 'worksheet')) return;
  if (sheet === undefined) throw new CliError(say(language, 'noSheet'));
  throw new CliError(say(language, 'sheetMissing', { sheet, known: names.map((name) => `"${name}"`).join(', ') || '–' }));
}

/**
 * Writes the result to a temporary file beside the target and renames it into place, so a
 * failure part-way never leaves a half-written file (nor touches an existing one).
 */
function writeAtomically(target: string, write: (writer: ZipWriter) => void): void {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  const descriptor = openSync(temporary, 'w');
  try {
    const writer = new ZipWriter((chunk) => { writeSync(descriptor, chunk); }, NODE_CODEC);
    write(writer);
    writer.finish();
    closeSync(descriptor);
    renameSync(temporary, target);
  } catch (error) {
    try { closeSync(descriptor); } catch { /* already closed */ }
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** --map role=Header over the mapping the headers suggest; a role may be named by id or by its label in either language. */
function applyMaps(mapping: RoleMapping, headers: string[], maps: string[], language: Language): RoleMapping {
  const result: RoleMapping = { ...mapping };
  for (const text of maps) {
    const equals = text.indexOf('=');
    if (equals <= 0) throw new CliError(say(language, 'mapForm', { text }), 2);
    const roleName = normalizeHeader(text.slice(0, equals));
    const header = text.slice(equals + 1).trim();
    const role = ROLES.find((candidate) => normalizeHeader(candidate.id) === roleName
      || normalizeHeader(candidate.label.en) === roleName || normalizeHeader(candidate.label.da) === roleName);
    if (!role) {
      const known = ROLES.map((candidate) => `${candidate.id} (${candidate.label[language]})`).join(', ');
      throw new CliError(say(language, 'mapUnknownRole', { text, role: text.slice(0, equals), known }), 2);
    }
    let column = headers.findIndex((candidate) => candidate === header);
    if (column < 0) column = headers.findIndex((candidate) => normalizeHeader(candidate) === normalizeHeader(header));
    if (column < 0) throw new CliError(say(language, 'mapUnknownHeader', { text, header, known: headers.filter(Boolean).map((name) => `"${name}"`).join(', ') }), 2);
    for (const [other, mapped] of Object.entries(result)) if (mapped === column) delete result[other as RoleId];
    result[role.id] = column;
  }
  return result;
}

/**
 * The models to run, decided by modelAvailability as the pane and the plan decide. Named with
 * --model, each must be supported (else an error naming the missing columns). Without --model,
 * every model the table supports runs, and each one it does not is named with the columns it would need.
 */
function chooseModels(list: string | undefined, table: CustomerTable, language: Language, output: CliOutput): ModelChoice[] {
  const mapped = (role: RoleId) => table.mapping[role] !== undefined;
  // What the models named together provide counts (twins' estimated potential lets ABCD run).
  // A default run leaves out the models that run only when named (clusters, twins), so they provide nothing.
  const named = list === undefined
    ? CATALOG.filter((model) => !model.onlyWhenChosen)
    : list.split(',').map((id) => findModel(id.trim())).filter((model): model is ModelDefinition => model !== undefined);
  /** Why a model cannot run and the first role to map, or null when it can. */
  const unsupported = (model: ModelDefinition) => {
    const availability = modelAvailability(model, mapped, named);
    if (availability.supported) return null;
    // The role to name in the --map hint: one every way needs (satisfaction for the quadrant), else the first.
    const { needs } = availability;
    const role = needs[0].find((candidate) => needs.every((set) => set.includes(candidate))) ?? needs[0][0];
    return { model: model.name[language], why: availability.why[language], role };
  };
  if (list !== undefined) {
    const known = CATALOG.map((model) => model.id);
    // Each model once, in the order first named: "-m abcd,abcd" is one ABCD run, not two columns.
    return [...new Set(list.split(',').map((id) => id.trim()).filter(Boolean))].map((id) => {
      if (!known.includes(id)) throw new CliError(say(language, 'unknownModel', { model: id, known: known.join(', ') }), 2);
      const model = getModel(id);
      const missing = unsupported(model);
      if (missing) throw new CliError(say(language, 'modelNeedsColumns', missing));
      return { id, settings: defaultSettings(model) };
    });
  }
  const choices: ModelChoice[] = [];
  for (const model of CATALOG) {
    if (model.onlyWhenChosen) continue;
    const missing = unsupported(model);
    if (missing) output.err(say(language, 'modelSkipped', missing));
    else choices.push({ id: model.id, settings: defaultSettings(model) });
  }
  if (choices.length === 0) throw new CliError(say(language, 'noModel'));
  return choices;
}

/** --cut model.key=method:level: a cut of a model that runs, as a Pareto share, a quantile or a value. */
function applyCut(choices: ModelChoice[], text: string, language: Language): void {
  const match = /^(\w+)\.(\w+)=(pareto|quantile|value):(-?(?:\d+(?:\.\d*)?|\.\d+))$/.exec(text);
  if (!match) throw new CliError(say(language, 'cutForm', { text }), 2);
  const [, modelId, key, method, level] = match;
  const choice = choices.find((candidate) => candidate.id === modelId);
  if (!choice) throw new CliError(say(language, 'cutModelNotRun', { text, model: modelId }), 2);
  const cuts = getModel(modelId).settings.filter((setting) => setting.kind === 'cut').map((setting) => setting.key);
  if (!cuts.includes(key)) throw new CliError(say(language, 'cutUnknown', { text, model: modelId, key, known: cuts.join(', ') }), 2);
  const spec: CutSpec = { method: method as CutSpec['method'], level: Number(level) };
  // The form above admits only the three methods and a finite number, so what is left is the range;
  // the order of a model's cuts is checked by segment() once all are set.
  const problem = validateCut(spec);
  if (problem) throw new CliError(say(language, 'cutRange', { text, reason: problem[language] }), 2);
  choice.settings[key] = spec;
}

/**
 * --set model.key=value for number, date and choice settings: dates as 2026-10-31 or 31-10-2026,
 * choices by their option value (rfm.groups=4, rfm.monetary=perOrder; the case need not match).
 * A choice outside the model's options is a usage error (exit 2) that lists the known values.
 */
function applySet(choices: ModelChoice[], text: string, language: Language): void {
  const match = /^(\w+)\.(\w+)=(.+)$/.exec(text);
  if (!match) throw new CliError(say(language, 'setForm', { text }));
  const [, modelId, key, raw] = match;
  const choice = choices.find((candidate) => candidate.id === modelId);
  if (!choice) throw new CliError(say(language, 'setModelNotChosen', { text, model: modelId }));
  const settable = getModel(modelId).settings.filter((candidate) => candidate.kind === 'number' || candidate.kind === 'date' || candidate.kind === 'choice');
  const setting = settable.find((candidate) => candidate.key === key);
  if (!setting) {
    throw new CliError(say(language, 'setUnknown', { text, model: modelId, key, known: settable.map((candidate) => candidate.key).join(', ') || '–' }));
  }
  if (setting.kind === 'choice') {
    // A value after one of the setting's prefixes is the user's own ("twins.reference=column:Nøglekunde").
    const free = setting.prefixed?.find(({ prefix }) => raw.trim().toLowerCase().startsWith(prefix.toLowerCase()));
    choice.settings[key] = free ? raw.trim() : choiceValue([...setting.options.map((option) => option.value), ...(setting.prefixed ?? []).map(({ prefix }) => `${prefix}…`)], raw.trim(), text, language);
    return;
  }
  // 0 is a date setting's "none" (no holdout) or "the default day".
  const value = setting.kind === 'date' ? (raw.trim() === '0' ? 0 : parseDate(raw)) : Number(raw.replace(',', '.'));
  if (value === undefined || !Number.isFinite(value) || (setting.kind === 'number' && setting.min !== undefined && value < setting.min)) {
    throw new CliError(say(language, setting.kind === 'date' ? 'setNotDate' : 'setNotNumber', { text }));
  }
  choice.settings[key] = value;
}

/** The option a --set value names, exactly or but for case; else a usage error listing the options. */
function choiceValue(options: string[], raw: string, text: string, language: Language): string {
  const found = options.find((option) => option === raw) ?? options.find((option) => option.toLowerCase() === raw.toLowerCase());
  if (found === undefined) throw new CliError(say(language, 'setNotChoice', { text, known: options.join(', ') }), 2);
  return found;
}

/** --settings file.json: settings per model id, merged over the defaults (the terms table, the factor tree, …). */
function applySettingsFile(choices: ModelChoice[], file: string, language: Language): void {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(say(language, 'settingsUnreadable', { file, reason: (error as NodeJS.ErrnoException).code ?? String(error) }));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw new CliError(say(language, 'settingsNotJson', { file, reason: (error as Error).message }));
  }
  if (!isRecord(parsed) || !Object.values(parsed).every(isRecord)) throw new CliError(say(language, 'settingsNotJson', { file, reason: say(language, 'notObjectOfObjects') }));
  for (const [modelId, settings] of Object.entries(parsed as Record<string, Record<string, DataSetting>>)) {
    const choice = choices.find((candidate) => candidate.id === modelId);
    if (!choice) throw new CliError(say(language, 'settingsModelNotChosen', { file, model: modelId }));
    const known = new Set(getModel(modelId).settings.map((setting) => setting.key));
    for (const [key, value] of Object.entries(settings)) {
      if (!known.has(key)) throw new CliError(say(language, 'settingsUnknown', { file, model: modelId, key }));
      choice.settings[key] = value;
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
