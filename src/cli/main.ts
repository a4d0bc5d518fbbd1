import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  CATALOG, buildCustomerTable, cellText, detectRoles, formatProblem, defaultSettings, getModel, missingInputs, MissingRoleError, normalizeHeader,
  parseDate, roleDefinition, ROLES, segment, summarize, validateCut,
  type CustomerTable, type CutSpec, type DataSetting, type Language, type ModelChoice, type ModelDefinition, type RoleId, type RoleMapping,
} from '../engine';
import { DelimitedTextError, delimitedToWorkbook } from '../workbook/csv';
import { buildPlan } from '../workbook/plan';
import { TableNotFoundError } from '../workbook/region';
import { UnreadableWorkbookError } from '../workbook/xlsx/errors';
import { PackageWorkbook } from '../workbook/xlsx/package-workbook';
import { ZipWriter } from '../workbook/xlsx/zip-write';
import { CliError, say } from './messages';
import { NODE_CODEC } from './node-codec';


const USAGE = `Usage: segmentkit segment <customers.xlsx|.xlsm|.csv|.tsv> [options]

Segments the customer table in a workbook (or CSV/TSV file) and writes a new workbook: the input
with segment columns next to the table, colored tiers, a Priority sheet and a Summary sheet, and
nothing else changed.

Options:
  -m, --model <ids>      models to run, comma separated (default: every model the table has the
                         columns for). Known: ${CATALOG.map((model) => model.id).join(', ')}
      --map <role=Header>  use the column headed Header for a role, e.g. --map revenue="Oms. 2025"
                         (repeatable). Roles: ${ROLES.map((role) => role.id).join(', ')}
  -o, --output <file>    where to write the result (default: <input>-segmented.xlsx, .xlsm for .xlsm)
  -s, --sheet <name>     the sheet holding the table (default: the first visible sheet)
      --formulas <excel|segmentkit>  live segment columns as ordinary formulas that every
                         spreadsheet program recalculates (excel, the default), or as
                         =SEGMENT.* functions: everyone who opens the file needs SegmentKit
      --values-only      write plain values instead of live formulas
      --lang <en|da>     language of the written sheets and of every message (default: en)
      --cut <m.key=method:level>  set a cut, e.g. --cut abcd.revenueCut=quantile:0.5 (repeatable)
      --set <m.key=value>  set a number or date setting, e.g. --set value.newMonths=6,
                         --set value.asOf=2026-10-31, --set margin.hourlyRate=700 (repeatable)
      --settings <file>  a JSON file of settings per model, e.g. {"value": {"terms": …},
                         "score": {"factors": …}} (the terms table and the factor tree)
      --reasons          add a Reason column per model: why each row got its segment
  -v, --verbose          report the time each step took (on stderr)
  -h, --help             show this help

Exit codes: 0 the file was written (rows with problems are reported on stderr), 1 the run
stopped (the file could not be read, a model lacks its columns, …; nothing is written),
2 the command line is wrong.
`;

export interface CliOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleOutput: CliOutput = { out: (line) => console.log(line), err: (line) => console.error(line) };

/** Files read as delimited text rather than as a workbook package. */
const DELIMITED = /\.(csv|tsv|tab|txt)$/i;

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
  verbose: { type: 'boolean', short: 'v', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

/**
 * Runs the command line and returns the exit code: 0 when the file was written (even when some
 * rows had problems, which are reported), 2 for a usage error, 1 for anything that stopped the
 * run. Every failure is one sentence on stderr, in the language of --lang; never a stack trace.
 */
export async function main(argv: string[], output: CliOutput = consoleOutput): Promise<number> {
  const language: Language = argv.some((arg, index) => arg === '--lang=da' || (arg === '--lang' && argv[index + 1] === 'da')) ? 'da' : 'en';
  try {
    return await run(argv, output);
  } catch (error) {
    output.err(`segmentkit: ${describeError(error, language)}`);
    return error instanceof CliError ? error.exitCode : isUsageError(error) ? 2 : 1;
  }
}

function isUsageError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String((error as { code: unknown }).code).startsWith('ERR_PARSE_ARGS');
}

/** The one sentence a failure is reported with, in the user's language where the error carries both. */
function describeError(error: unknown, language: Language): string {
  if (error instanceof UnreadableWorkbookError || error instanceof DelimitedTextError || error instanceof TableNotFoundError) return error.text[language];
  if (error instanceof MissingRoleError) {
    const role = roleDefinition(error.role);
    return say(language, 'modelNeedsColumns', { model: 'The model', roles: role.label[language], role: role.id });
  }
  if (error instanceof Error) return isUsageError(error) || error instanceof CliError ? error.message : say(language, 'unexpected', { reason: error.message });
  return say(language, 'unexpected', { reason: String(error) });
}

async function run(argv: string[], output: CliOutput): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const [command, input] = positionals;
  if (values.help) {
    output.out(USAGE);
    return 0;
  }
  if (values.lang !== 'en' && values.lang !== 'da') throw new CliError(say('en', 'unknownLanguage', { value: values.lang }), 2);
  const language: Language = values.lang;
  const formulas = values.formulas;
  if (formulas !== 'excel' && formulas !== 'segmentkit') throw new CliError(say(language, 'formulasChoice', { value: formulas }), 2);
  if (command !== 'segment' || !input) {
    output.err(USAGE);
    throw new CliError(say(language, 'noInput'), 2);
  }
  const started = performance.now();
  let phaseStart = started;
  const phase = (name: string) => {
    const now = performance.now();
    if (values.verbose) output.err(`${name}: ${((now - phaseStart) / 1000).toFixed(1)} s`);
    phaseStart = now;
  };

  const workbook = openInput(input, values.sheet, language, output);
  const target = path.resolve(values.output ?? defaultTarget(input));
  if (target === path.resolve(input)) throw new CliError(say(language, 'sameFile', { file: input }), 2);
  const planned = await segmentAndPlan(workbook, input, values, language, output, phase);
  phase(`segment ${planned.customers} rows and plan`);
  writeAtomically(target, (writer) => workbook.writeTo(writer));
  phase(`write ${path.basename(target)}`);

  output.out(say(language, 'summary', { file: path.basename(input), customers: planned.customers, sheet: planned.sheetName, problems: planned.problems }));
  for (const line of planned.modelLines) output.out(line);
  output.out(say(language, 'wrote', { file: target, seconds: ((performance.now() - started) / 1000).toFixed(1) }));
  return 0;
}

type CliValues = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof OPTIONS }>>['values'];

/**
 * Reads the table, runs the models and applies the plan to the workbook; returns only what the
 * report needs. The read rows, the table and the segmentation live in this function alone, so
 * they are garbage by the time the workbook is written (a gigabyte at a million rows).
 */
async function segmentAndPlan(
  workbook: PackageWorkbook, input: string, values: CliValues, language: Language, output: CliOutput, phase: (name: string) => void,
): Promise<{ customers: number; sheetName: string; problems: number; modelLines: string[] }> {
  const snapshot = await workbook.readTable();
  phase(`read ${path.basename(input)}`);
  for (const note of snapshot.notes ?? []) output.err(note.text[language]);
  const headers = snapshot.headers.map((header) => cellText(header).trim());
  const mapping = applyMaps(detectRoles(headers), headers, values.map, language);
  const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin, mapping });
  for (const problem of table.problems) output.err(formatProblem(problem, language));

  const choices = chooseModels(values.model, table, language, output);
  applyCuts(choices, values.cut);
  if (values.settings) applySettingsFile(choices, values.settings);
  for (const setting of values.set) applySet(choices, setting);
  const segmentation = segment(table, choices);
  const formulas = values.formulas === 'segmentkit' ? 'segmentkit' : 'excel';
  const plan = buildPlan(snapshot, segmentation, { mode: values['values-only'] ? 'values' : 'formulas', formulas, language, spill: false, reasons: values.reasons });
  await workbook.apply(plan);
  const modelLines = segmentation.results.map((result) => {
    const model = getModel(result.modelId);
    const lines = summarize(table, model, result)
      .map((line) => `${line.tierIndex < 0 ? '-' : model.tiers[line.tierIndex].id} ${line.customers}`);
    return `${model.name[language]}: ${lines.join(', ')}`;
  });
  return { customers: table.rowCount, sheetName: snapshot.sheetName, problems: table.problems.length, modelLines };
}

/** `customers.xlsx` → `customers-segmented.xlsx`; a macro workbook stays .xlsm, a CSV becomes .xlsx. */
function defaultTarget(input: string): string {
  const extension = path.extname(input);
  const stem = input.slice(0, input.length - extension.length);
  return `${stem}-segmented${extension.toLowerCase() === '.xlsm' ? '.xlsm' : '.xlsx'}`;
}

/** The input as a workbook: an .xlsx/.xlsm as it is, a CSV/TSV turned into one. */
function openInput(input: string, sheet: string | undefined, language: Language, output: CliOutput): PackageWorkbook {
  if (!existsSync(input)) throw new CliError(say(language, 'inputMissing', { file: input }));
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(input);
  } catch (error) {
    throw new CliError(say(language, 'inputUnreadable', { file: input, reason: (error as NodeJS.ErrnoException).code ?? String(error) }));
  }
  if (DELIMITED.test(input)) {
    const converted = delimitedToWorkbook(bytes, path.basename(input));
    output.err(say(language, 'readCsv', { file: path.basename(input), encoding: converted.encoding, delimiter: converted.delimiter === '\t' ? 'tab' : converted.delimiter }));
    return PackageWorkbook.open(converted.workbook, { sheet: converted.sheetName });
  }
  return PackageWorkbook.open(bytes, { sheet });
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
    if (!role) throw new CliError(say(language, 'mapUnknownRole', { text, role: text.slice(0, equals), known: ROLES.map((candidate) => candidate.id).join(', ') }), 2);
    let column = headers.findIndex((candidate) => candidate === header);
    if (column < 0) column = headers.findIndex((candidate) => normalizeHeader(candidate) === normalizeHeader(header));
    if (column < 0) throw new CliError(say(language, 'mapUnknownHeader', { text, header, known: headers.filter(Boolean).join(', ') }), 2);
    for (const [other, mapped] of Object.entries(result)) if (mapped === column) delete result[other as RoleId];
    result[role.id] = column;
  }
  return result;
}

/**
 * The models to run. Named with --model, each must have its inputs (else an error naming the
 * missing columns). Without --model, every model the table supports runs, and each one it does
 * not is named with the columns it would need.
 */
function chooseModels(list: string | undefined, table: CustomerTable, language: Language, output: CliOutput): ModelChoice[] {
  const mapped = (role: RoleId) => table.mapping[role] !== undefined;
  const missingText = (model: ModelDefinition) => {
    const missing = missingInputs(model, mapped);
    return { model: model.name[language], roles: missing.map((role) => roleDefinition(role).label[language]).join(', '), role: missing[0], count: missing.length };
  };
  if (list !== undefined) {
    const known = CATALOG.map((model) => model.id);
    return list.split(',').map((id) => id.trim()).filter(Boolean).map((id) => {
      if (!known.includes(id)) throw new CliError(say(language, 'unknownModel', { model: id, known: known.join(', ') }), 2);
      const model = getModel(id);
      const missing = missingText(model);
      if (missing.count) throw new CliError(say(language, 'modelNeedsColumns', missing));
      return { id, settings: defaultSettings(model) };
    });
  }
  const choices: ModelChoice[] = [];
  for (const model of CATALOG) {
    const missing = missingText(model);
    if (missing.count) output.err(say(language, 'modelSkipped', missing));
    else choices.push({ id: model.id, settings: defaultSettings(model) });
  }
  if (choices.length === 0) throw new CliError(say(language, 'noModel'));
  return choices;
}

function applyCuts(choices: ModelChoice[], cuts: string[]): void {
  for (const cut of cuts) {
    const match = /^(\w+)\.(\w+)=(pareto|quantile|value):(-?[\d.]+)$/.exec(cut);
    if (!match) throw new CliError(`Cannot read --cut ${cut}: write it as model.key=method:level, e.g. abcd.revenueCut=quantile:0.5.`, 2);
    const [, modelId, key, method, level] = match;
    const choice = choices.find((candidate) => candidate.id === modelId);
    if (!choice) throw new CliError(`--cut ${cut}: the model ${modelId} is not among the models run.`, 2);
    if (!getModel(modelId).settings.some((setting) => setting.key === key && setting.kind === 'cut')) {
      throw new CliError(`--cut ${cut}: ${modelId} has no cut called ${key}.`, 2);
    }
    const spec: CutSpec = { method: method as CutSpec['method'], level: Number(level) };
    const problem = validateCut(spec);
    if (problem) throw new CliError(`--cut ${cut}: ${problem}`, 2);
    choice.settings[key] = spec;
  }
}

/** --set model.key=value for number and date settings; dates as 2026-10-31 or 31-10-2026. */
function applySet(choices: ModelChoice[], text: string): void {
  const match = /^(\w+)\.(\w+)=(.+)$/.exec(text);
  if (!match) throw new CliError(`Cannot read --set ${text}: write it as model.key=value, e.g. value.newMonths=6.`);
  const [, modelId, key, raw] = match;
  const choice = choices.find((candidate) => candidate.id === modelId);
  if (!choice) throw new CliError(`--set ${text}: the model ${modelId} is not among the models chosen.`);
  const setting = getModel(modelId).settings.find((candidate) => candidate.key === key);
  if (!setting || (setting.kind !== 'number' && setting.kind !== 'date')) {
    const known = getModel(modelId).settings.filter((candidate) => candidate.kind === 'number' || candidate.kind === 'date').map((candidate) => candidate.key);
    throw new CliError(`--set ${text}: ${modelId} has no number or date setting called ${key}. Known: ${known.join(', ') || 'none'}.`);
  }
  const value = setting.kind === 'date' ? parseDate(raw) : Number(raw.replace(',', '.'));
  if (value === undefined || !Number.isFinite(value) || (setting.kind === 'number' && setting.min !== undefined && value < setting.min)) {
    throw new CliError(`--set ${text}: ${setting.kind === 'date' ? 'not a date (write 2026-10-31)' : 'not a number in range'}.`);
  }
  choice.settings[key] = value;
}

/** --settings file.json: settings per model id, merged over the defaults (the terms table, the factor tree, …). */
function applySettingsFile(choices: ModelChoice[], file: string): void {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, DataSetting>>;
  for (const [modelId, settings] of Object.entries(parsed)) {
    const choice = choices.find((candidate) => candidate.id === modelId);
    if (!choice) throw new CliError(`--settings ${file}: the model ${modelId} is not among the models chosen.`);
    const known = new Set(getModel(modelId).settings.map((setting) => setting.key));
    for (const [key, value] of Object.entries(settings)) {
      if (!known.has(key)) throw new CliError(`--settings ${file}: ${modelId} has no setting called ${key}.`);
      choice.settings[key] = value;
    }
  }
}
