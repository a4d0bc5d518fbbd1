import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  CATALOG, buildCustomerTable, formatProblem, defaultSettings, getModel, parseDate, segment, summarize, validateCut,
  type CutSpec, type DataSetting, type Language, type ModelChoice,
} from '../engine';
import { buildPlan } from '../workbook/plan';
import { XlsxFile } from '../workbook/xlsx-file';


const USAGE = `Usage: segmentkit segment <customers.xlsx> [options]

Segments the customer table in an .xlsx file and writes the result to a new file: segment
columns next to the table, colored tiers, a Priority sheet and a Summary sheet.

Options:
  -m, --model <ids>      models to run, comma separated (default: abcd,pareto). Known: ${CATALOG.map((model) => model.id).join(', ')}
  -o, --output <file>    where to write the result (default: <input>-segmented.xlsx)
  -s, --sheet <name>     the sheet holding the table (default: the first sheet)
      --formulas <excel|segmentkit>  live segment columns as ordinary formulas that every
                         spreadsheet program recalculates (excel, the default), or as
                         =SEGMENT.* functions: everyone who opens the file needs SegmentKit
      --values-only      write plain values instead of live formulas
      --lang <en|da>     language of the written sheets and messages (default: en)
      --cut <m.key=method:level>  set a cut, e.g. --cut abcd.revenueCut=quantile:0.5 (repeatable)
      --set <m.key=value>  set a number or date setting, e.g. --set value.newMonths=6,
                         --set value.asOf=2026-10-31, --set margin.hourlyRate=700 (repeatable)
      --settings <file>  a JSON file of settings per model, e.g. {"value": {"terms": …},
                         "score": {"factors": …}} (the terms table and the factor tree)
      --reasons          add a Reason column per model: why each row got its segment
  -v, --verbose          report the time each step took (on stderr)
  -h, --help             show this help
`;

export interface CliOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleOutput: CliOutput = { out: (line) => console.log(line), err: (line) => console.error(line) };

/** Runs the command line; returns the exit code (0 even when some rows had problems). */
export async function main(argv: string[], output: CliOutput = consoleOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string', short: 'm', default: 'abcd,pareto' },
      output: { type: 'string', short: 'o' },
      sheet: { type: 'string', short: 's' },
      'values-only': { type: 'boolean', default: false },
      formulas: { type: 'string', default: 'excel' },
      lang: { type: 'string', default: 'en' },
      cut: { type: 'string', multiple: true, default: [] },
      set: { type: 'string', multiple: true, default: [] },
      settings: { type: 'string' },
      reasons: { type: 'boolean', default: false },
      verbose: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, input] = positionals;
  if (values.help || command !== 'segment' || !input) {
    (values.help ? output.out : output.err)(USAGE);
    return values.help ? 0 : 2;
  }
  const language: Language = values.lang === 'da' ? 'da' : 'en';
  if (values.formulas !== 'excel' && values.formulas !== 'segmentkit') {
    output.err(`--formulas ${values.formulas}: write excel (ordinary formulas, the default) or segmentkit (=SEGMENT.* functions).`);
    return 2;
  }
  const formulas = values.formulas;
  const choices = modelChoices(values.model, values.cut);
  if (values.settings) applySettingsFile(choices, values.settings);
  for (const setting of values.set) applySet(choices, setting);
  const target = values.output ?? input.replace(/\.xlsx$/i, '') + '-segmented.xlsx';

  const started = performance.now();
  let phaseStart = started;
  const phase = (name: string) => {
    const now = performance.now();
    if (values.verbose) output.err(`${name}: ${((now - phaseStart) / 1000).toFixed(1)} s`);
    phaseStart = now;
  };
  const workbook = await XlsxFile.open(input, { sheet: values.sheet });
  const snapshot = await workbook.readTable();
  phase(`read ${path.basename(input)}`);
  const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
  for (const problem of table.problems) output.err(formatProblem(problem, language));
  const segmentation = segment(table, choices);
  const plan = buildPlan(snapshot, segmentation, { mode: values['values-only'] ? 'values' : 'formulas', formulas, language, spill: false, reasons: values.reasons });
  await workbook.apply(plan);
  phase(`segment ${table.rowCount} rows and plan`);
  await workbook.save(target);
  phase(`write ${path.basename(target)}`);

  output.out(`${path.basename(input)}: ${table.rowCount} customers on sheet "${snapshot.sheetName}", ${table.problems.length} problem(s).`);
  for (const result of segmentation.results) {
    const model = getModel(result.modelId);
    const lines = summarize(table, model, result)
      .map((line) => `${line.tierIndex < 0 ? '-' : model.tiers[line.tierIndex].id} ${line.customers}`);
    output.out(`${model.name[language]}: ${lines.join(', ')}`);
  }
  output.out(`Wrote ${target} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  return 0;
}

function modelChoices(modelList: string, cuts: string[]): ModelChoice[] {
  const choices = modelList.split(',').map((id) => id.trim()).filter(Boolean)
    .map((id) => ({ id, settings: defaultSettings(getModel(id)) }));
  for (const cut of cuts) {
    const match = /^(\w+)\.(\w+)=(pareto|quantile|value):(-?[\d.]+)$/.exec(cut);
    if (!match) throw new Error(`Cannot read --cut ${cut}: write it as model.key=method:level, e.g. abcd.revenueCut=quantile:0.5.`);
    const [, modelId, key, method, level] = match;
    const choice = choices.find((candidate) => candidate.id === modelId);
    if (!choice) throw new Error(`--cut ${cut}: the model ${modelId} is not among --model ${modelList}.`);
    if (!getModel(modelId).settings.some((setting) => setting.key === key && setting.kind === 'cut')) {
      throw new Error(`--cut ${cut}: ${modelId} has no cut called ${key}.`);
    }
    const spec: CutSpec = { method: method as CutSpec['method'], level: Number(level) };
    const problem = validateCut(spec);
    if (problem) throw new Error(`--cut ${cut}: ${problem}`);
    choice.settings[key] = spec;
  }
  return choices;
}

/** --set model.key=value for number and date settings; dates as 2026-10-31 or 31-10-2026. */
function applySet(choices: ModelChoice[], text: string): void {
  const match = /^(\w+)\.(\w+)=(.+)$/.exec(text);
  if (!match) throw new Error(`Cannot read --set ${text}: write it as model.key=value, e.g. value.newMonths=6.`);
  const [, modelId, key, raw] = match;
  const choice = choices.find((candidate) => candidate.id === modelId);
  if (!choice) throw new Error(`--set ${text}: the model ${modelId} is not among the models chosen.`);
  const setting = getModel(modelId).settings.find((candidate) => candidate.key === key);
  if (!setting || (setting.kind !== 'number' && setting.kind !== 'date')) {
    const known = getModel(modelId).settings.filter((candidate) => candidate.kind === 'number' || candidate.kind === 'date').map((candidate) => candidate.key);
    throw new Error(`--set ${text}: ${modelId} has no number or date setting called ${key}. Known: ${known.join(', ') || 'none'}.`);
  }
  const value = setting.kind === 'date' ? parseDate(raw) : Number(raw.replace(',', '.'));
  if (value === undefined || !Number.isFinite(value) || (setting.kind === 'number' && setting.min !== undefined && value < setting.min)) {
    throw new Error(`--set ${text}: ${setting.kind === 'date' ? 'not a date (write 2026-10-31)' : 'not a number in range'}.`);
  }
  choice.settings[key] = value;
}

/** --settings file.json: settings per model id, merged over the defaults (the terms table, the factor tree, …). */
function applySettingsFile(choices: ModelChoice[], file: string): void {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, DataSetting>>;
  for (const [modelId, settings] of Object.entries(parsed)) {
    const choice = choices.find((candidate) => candidate.id === modelId);
    if (!choice) throw new Error(`--settings ${file}: the model ${modelId} is not among the models chosen.`);
    const known = new Set(getModel(modelId).settings.map((setting) => setting.key));
    for (const [key, value] of Object.entries(settings)) {
      if (!known.has(key)) throw new Error(`--settings ${file}: ${modelId} has no setting called ${key}.`);
      choice.settings[key] = value;
    }
  }
}
