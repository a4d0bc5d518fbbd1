import path from 'node:path';
import {
  cellText, findHeader, getModel, joinColumns, JoinKeyError, type CustomerTable, type JoinedColumns, type Language, type ModelChoice,
} from '../engine';
import type { PackageWorkbook } from '../workbook/xlsx/package-workbook';
import { DELIMITED, fileAndSheet } from './file-spec';
import { CliError, say } from './messages';

/** The file and sheet of `--join FILE` or `--join FILE:Sheet` (see fileAndSheet). */
export function joinSource(spec: string, language: Language): { file: string; sheet?: string } {
  return fileAndSheet(spec, language, 'joinCsvSheet');
}

/**
 * `--on Kundenr` (the same header in both tables) or `--on Kundenr=CVR` (the table's header, then
 * the other file's) as the two key headers.
 */
export function joinKeys(on: string): { key: string; otherKey: string } {
  const equals = on.indexOf('=');
  if (equals <= 0) return { key: on.trim(), otherKey: on.trim() };
  return { key: on.slice(0, equals).trim(), otherKey: on.slice(equals + 1).trim() };
}

/**
 * The columns of `--join FILE[:Sheet]` joined to the table on `--on`, read through `open` (the
 * CLI's own reader of its input: .xlsx/.xlsm, or CSV/TSV): a key column missing on either side is
 * a CliError naming the file, the sheet, the key and the columns there are.
 */
export async function joinedColumnsOf(
  spec: string | undefined, on: string | undefined, table: CustomerTable, language: Language, open: (file: string, sheet: string | undefined) => PackageWorkbook,
): Promise<JoinedColumns | undefined> {
  if (spec === undefined && on === undefined) return undefined;
  if (spec === undefined) throw new CliError(say(language, 'onNeedsJoin', { key: on! }), 2);
  if (on === undefined || on.trim() === '') throw new CliError(say(language, 'joinNeedsOn', { spec }), 2);
  const { file, sheet } = joinSource(spec, language);
  const snapshot = await open(file, sheet).readTable();
  const where = snapshot.sheetName && !DELIMITED.test(file)
    ? say(language, 'joinWhereSheet', { file: path.basename(file), sheet: snapshot.sheetName })
    : path.basename(file);
  const { key, otherKey } = joinKeys(on);
  try {
    return joinColumns(table, { headers: snapshot.headers, rows: snapshot.rows, name: where, headerRow: snapshot.origin.headerRow }, key, otherKey);
  } catch (error) {
    if (!(error instanceof JoinKeyError)) throw error;
    const known = error.known.filter(Boolean).map((header) => `"${header}"`).join(', ') || '–';
    throw new CliError(say(language, error.side === 'table' ? 'joinKeyNotInTable' : 'joinKeyNotInFile', { key: error.key, where, known, on }), 2);
  }
}

/**
 * `--features "Col A,Col B"` as the headers it names, each found as findHeader finds it among
 * the table's headers and the joined ones (and written as the table writes it); a name that is
 * neither is a usage error listing the columns.
 */
export function chosenFeatures(text: string | undefined, table: CustomerTable, language: Language): string[] | undefined {
  if (text === undefined) return undefined;
  const headers = [...table.headers, ...(table.joined?.headers ?? [])];
  const names = text.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) throw new CliError(say(language, 'featuresEmpty'), 2);
  return [...new Set(names.map((name) => {
    const index = findHeader(headers, name);
    if (index < 0) throw new CliError(say(language, 'featuresUnknown', { header: name, known: headers.filter(Boolean).map((header) => `"${cellText(header)}"`).join(', ') }), 2);
    return headers[index];
  }))];
}

/** Whether a model reads features: it declares a setting `features` (churn, clusters, twins). */
export function takesFeatures(modelId: string): boolean {
  return getModel(modelId).settings.some((setting) => setting.key === 'features');
}

/**
 * Gives the chosen feature headers to every chosen model that reads features, as its `features`
 * setting (a list of headers; see featureSetting). --features or --join with no such model
 * chosen is a usage error: neither would change anything.
 */
export function applyFeatureChoice(
  choices: ModelChoice[], features: string[] | undefined, joined: boolean, language: Language, reads: (modelId: string) => boolean = takesFeatures,
): void {
  if (features === undefined && !joined) return;
  const readers = choices.filter((choice) => reads(choice.id));
  if (readers.length === 0) {
    throw new CliError(say(language, 'featuresUnused', { option: features === undefined ? '--join' : '--features', models: choices.map((choice) => choice.id).join(', ') }), 2);
  }
  if (features !== undefined) for (const choice of readers) choice.settings.features = [...features];
}
