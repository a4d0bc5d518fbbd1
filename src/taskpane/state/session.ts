import {
  CATALOG, clusterNameProblems, columnLetter, CUT_METHODS, LOG_CUSTOMER_COLUMNS, defaultSettings, factorIssues, getModel, isCutSpec, modelAvailability,
  NoModelCanRunError, segment, settingsProblems, summarize, termsProblems, validateCut, type LeftOutModel,
  type CustomerTable, type CutSpec, type FactorNode, type Language, type Localized, type ModelAvailability, type ModelChoice, type ModelDefinition,
  type ModelResult, type ModelSettings, type RoleId, type RoleMapping, type SegmentSummary, type SettingDefinition, type SettingValue,
} from '../../engine';
import type { TableSnapshot } from '../../workbook/port';
import { formatLevel, formatNumber, methodName, translate } from '../i18n';
import { defaultFactors, withUniqueIds } from './factorTree';
import { gridProblemCount } from './log';

/** The pure logic behind the task pane: no React, no Office, so it is tested on its own. */

export function roleOfColumn(mapping: RoleMapping, column: number): RoleId | undefined {
  return (Object.keys(mapping) as RoleId[]).find((role) => mapping[role] === column);
}

/** Gives a column a role (or none). A role belongs to one column, so it leaves any column that had it. */
export function assignRole(mapping: RoleMapping, column: number, role: RoleId | null): RoleMapping {
  const next: RoleMapping = {};
  for (const [existing, existingColumn] of Object.entries(mapping) as [RoleId, number][]) {
    if (existingColumn !== column && existing !== role) next[existing] = existingColumn;
  }
  if (role) next[role] = column;
  return next;
}

/** The table's cells as Excel names them, header row included: "A1:L2001". */
export function tableAddress(snapshot: TableSnapshot): string {
  const { headerRow, firstColumn } = snapshot.origin;
  const lastColumn = firstColumn + Math.max(snapshot.headers.length, 1) - 1;
  return `${columnLetter(firstColumn)}${headerRow}:${columnLetter(lastColumn)}${headerRow + snapshot.rows.length}`;
}

export interface ModelSelection {
  enabled: boolean;
  settings: ModelSettings;
}

export type Selection = Record<string, ModelSelection>;

/** A model's defaults as the pane starts from them: a factor tree gets names in the UI language. */
export function paneDefaults(model: ModelDefinition, language: Language = 'en'): ModelSettings {
  const settings = defaultSettings(model);
  for (const setting of model.settings) {
    if (setting.kind === 'data' && setting.editor === 'factors') settings[setting.key] = defaultFactors(language);
  }
  return settings;
}

/** Every model in the catalog with its defaults; the first one is on, so a first run needs no clicks. */
export function initialSelection(language: Language = 'en'): Selection {
  return Object.fromEntries(CATALOG.map((model, index) => [model.id, { enabled: index === 0, settings: paneDefaults(model, language) }]));
}

export function chosenModels(selection: Selection): ModelChoice[] {
  return CATALOG.filter((model) => selection[model.id]?.enabled).map((model) => ({ id: model.id, settings: selection[model.id].settings }));
}

/** What is wrong with a cut in words the user reads; null when the cut is fine. */
export function cutProblem(spec: CutSpec, language: Language): string | null {
  if (validateCut(spec) === null) return null;
  if (!CUT_METHODS.includes(spec.method)) return translate(language, 'cutBadMethod');
  if (!Number.isFinite(spec.level)) return translate(language, 'cutNotNumber');
  return translate(language, 'cutOutOfRange', { method: methodName(spec.method, language).toLowerCase(), level: formatLevel(spec.level, language) });
}

/** What is wrong with one setting's value, in the UI language; null when it is fine. */
export function settingProblem(setting: SettingDefinition, value: SettingValue | undefined, language: Language): string | null {
  switch (setting.kind) {
    case 'cut':
      return isCutSpec(value) ? cutProblem(value, language) : translate(language, 'cutNotNumber');
    case 'choice':
      return choiceProblem(setting, value, language);
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return translate(language, 'numberNeeded');
      // A fraction typed as a percentage is bounded as one: "at most 100 %", not "at most 1".
      const bound = (limit: number) => (setting.percent ? `${formatNumber(limit * 100, language, 2)} %` : limit);
      if (setting.min !== undefined && value < setting.min) return translate(language, 'numberAtLeast', { min: bound(setting.min) });
      if (setting.max !== undefined && value > setting.max) return translate(language, 'numberAtMost', { max: bound(setting.max) });
      return null;
    }
    case 'date':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? null : translate(language, 'dateNeeded');
    case 'data': {
      if (setting.editor === 'terms') {
        const count = termsProblems(value).length;
        return count === 0 ? null : translate(language, 'termsInvalid', { count });
      }
      if (setting.editor === 'rfmGrid') {
        const count = gridProblemCount(value);
        return count === 0 ? null : translate(language, 'rfmGridInvalid', { count });
      }
      if (setting.editor === 'features') {
        const count = featureListProblemCount(value);
        return count === 0 ? null : translate(language, 'featuresInvalid', { count });
      }
      if (setting.editor === 'clusterNames') {
        const count = clusterNameProblemCount(value);
        return count === 0 ? null : translate(language, 'clusterNamesInvalid', { count });
      }
      const count = factorIssues(value).length;
      return count === 0 ? null : translate(language, 'factorsInvalid', { count });
    }
  }
}

/**
 * A choice is one of its options, or, where the setting allows (`prefixed`), a prefix and the
 * text after it: twins' 'column:Nøglekunde'. A prefix with nothing after it asks for the rest.
 */
function choiceProblem(setting: Extract<SettingDefinition, { kind: 'choice' }>, value: SettingValue | undefined, language: Language): string | null {
  if (setting.options.some((option) => option.value === value)) return null;
  const prefixed = typeof value === 'string' ? setting.prefixed?.find(({ prefix }) => value.toLowerCase().startsWith(prefix.toLowerCase())) : undefined;
  if (!prefixed) return translate(language, 'choiceNeeded');
  return (value as string).slice(prefixed.prefix.length).trim() === '' ? translate(language, 'choiceColumnNeeded') : null;
}

/** Entries of a clusters `names` setting that clusters.ts cannot read (clusterNameProblems); a value that is no list counts as one. */
function clusterNameProblemCount(value: SettingValue | undefined): number {
  if (!Array.isArray(value)) return clusterNameProblems(value).length === 0 ? 0 : 1;
  return value.filter((entry) => clusterNameProblems([entry]).length > 0).length;
}

/**
 * Entries of a feature list that are not a column's header (not a text, or blank); a value that
 * is no list at all counts as one. The empty list (every usable column) and no value are fine.
 */
export function featureListProblemCount(value: SettingValue | undefined): number {
  if (value === undefined) return 0;
  if (!Array.isArray(value)) return 1;
  return value.filter((header) => typeof header !== 'string' || header.trim() === '').length;
}

/**
 * The problem of every setting of a model that has one, by setting key: each setting on its own,
 * then the engine's check of the settings together (settingsProblems: cuts in the wrong order),
 * under the stricter cut's key.
 */
export function settingProblems(model: ModelDefinition, settings: ModelSettings, language: Language): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const setting of model.settings) {
    const problem = settingProblem(setting, settings[setting.key], language);
    if (problem) problems[setting.key] = problem;
  }
  for (const problem of settingsProblems(model, settings)) problems[problem.key] ??= problem.text[language];
  return problems;
}

/** What the engine says about a model's settings taken together (cuts in the wrong order), for the model's card. */
export function cutOrderMessages(model: ModelDefinition, settings: ModelSettings, language: Language): string[] {
  return settingsProblems(model, settings).filter((problem) => problem.kind === 'order').map((problem) => problem.text[language]);
}

/**
 * Whether the pane may move on to the preview: every chosen model has valid settings. Given the
 * mapping, a chosen model the table cannot support neither counts nor blocks (it is left out at
 * Apply, with a note), and at least one chosen model must be supported.
 */
export function selectionReady(selection: Selection, mapping?: RoleMapping): boolean {
  const choices = chosenModels(selection).filter((choice) => !mapping || availabilityFor(getModel(choice.id), mapping, selection).supported);
  return choices.length > 0 && choices.every((choice) => Object.keys(settingProblems(getModel(choice.id), choice.settings, 'en')).length === 0);
}

/**
 * Whether a model can run on the columns mapped in the pane: the engine's one rule
 * (modelAvailability), counting what the other chosen models provide (twins' estimated potential
 * lets ABCD run on a table without a potential column).
 */
export function availabilityFor(model: ModelDefinition, mapping: RoleMapping, selection?: Selection): ModelAvailability {
  const chosen = selection ? chosenModels(selection).map((choice) => getModel(choice.id)) : [];
  return modelAvailability(model, (role) => mapping[role] !== undefined, chosen);
}

/**
 * Why a model cannot run on the mapped columns and which column would let it, in the UI language
 * ("Cannot run: the table has no column for Potential. Map one on the Data step."); null when it can.
 */
export function unavailableText(model: ModelDefinition, mapping: RoleMapping, language: Language, selection?: Selection): string | null {
  const availability = availabilityFor(model, mapping, selection);
  if (availability.supported) return null;
  // RFM and CLV read columns a transaction log's summary has: say where they come from, not only "map one".
  const fromLog = availability.needs.some((set) => set.some((role) => HISTORY_ROLES.has(role)));
  return translate(language, fromLog ? 'modelNeedsLog' : 'modelUnavailable', { why: availability.why[language] });
}

/** The purchase history a transaction log's per-customer summary supplies (LOG_CUSTOMER_COLUMNS), beyond the id, revenue and customer since. */
const HISTORY_ROLES: ReadonlySet<RoleId> = new Set(LOG_CUSTOMER_COLUMNS.flatMap((column) => (column.role && !['id', 'since', 'revenue'].includes(column.role) ? [column.role] : [])));

/**
 * The selection for a table just read: a model the table cannot support is not ticked, and when
 * no supported model is ticked the first supported one is, so a first run needs no clicks.
 */
export function selectionForTable(selection: Selection, mapping: RoleMapping): Selection {
  const next: Selection = {};
  for (const model of CATALOG) {
    const current = selection[model.id];
    next[model.id] = { ...current, enabled: current.enabled && availabilityFor(model, mapping).supported };
  }
  if (!CATALOG.some((model) => next[model.id].enabled)) {
    const first = CATALOG.find((model) => availabilityFor(model, mapping).supported);
    if (first) next[first.id] = { ...next[first.id], enabled: true };
  }
  return next;
}

/** Whether several models have this very setting (the hourly rate): the pane shows it once, with one value. */
export function isSharedSetting(setting: SettingDefinition): boolean {
  return CATALOG.filter((model) => model.settings.includes(setting)).length > 1;
}

/** The chosen models a shared setting applies to, in catalog order; the first one's card shows it. */
export function sharedSettingModels(selection: Selection, setting: SettingDefinition): ModelDefinition[] {
  return CATALOG.filter((model) => selection[model.id]?.enabled && model.settings.includes(setting));
}

/**
 * The selection with a shared setting set to one value on every model that has it, chosen or
 * not, so each model's settings hold it as before and a model ticked later starts from it.
 */
export function withSharedSetting(selection: Selection, setting: SettingDefinition, value: SettingValue): Selection {
  const next: Selection = { ...selection };
  for (const model of CATALOG) {
    if (model.settings.includes(setting) && next[model.id]) next[model.id] = { ...next[model.id], settings: { ...next[model.id].settings, [setting.key]: value } };
  }
  return next;
}

/** Roles whose values are amounts of money: a value cut on them is an amount. */
const AMOUNT_ROLES: readonly RoleId[] = ['revenue', 'potential', 'margin', 'costOfGoods', 'costToServe'];

/**
 * The hint under a cut's level, for the method and what the cut is on: a Pareto share shows the
 * level set ("0.95 = 95 %"); a value is an amount, a share of wallet, a score or a value on the
 * column's own scale.
 */
export function cutHint(setting: Extract<SettingDefinition, { kind: 'cut' }>, spec: CutSpec, language: Language): string {
  if (spec.method === 'pareto') {
    const level = Number.isFinite(spec.level) ? spec.level : 0.8;
    return translate(language, 'levelHint_pareto', { level: formatLevel(level, language), percent: `${formatNumber(level * 100, language, 2)} %` });
  }
  if (spec.method === 'quantile') return translate(language, 'levelHint_quantile');
  if (!setting.role) {
    if (setting.computed === 'probability') return translate(language, 'levelHint_valueProbability');
    return translate(language, setting.computed === 'amount' ? 'levelHint_value' : 'levelHint_valueScore');
  }
  if (setting.role === 'shareOfWallet') return translate(language, 'levelHint_valueShare');
  return translate(language, AMOUNT_ROLES.includes(setting.role) ? 'levelHint_value' : 'levelHint_valueScale');
}

/**
 * The selection to start from when a workbook remembers the settings last applied: each model
 * found there is on, its saved settings over its defaults; a saved value that is not valid for
 * its setting (a cut out of range, a broken terms table, an unknown key) is left at the default.
 * Null when the workbook remembers nothing this catalog knows.
 */
export function selectionFromSaved(
  saved: Record<string, ModelSettings> | undefined | null, current: Selection = initialSelection(), language: Language = 'en',
): Selection | null {
  if (!saved || typeof saved !== 'object') return null;
  const known = CATALOG.filter((model) => saved[model.id] && typeof saved[model.id] === 'object');
  if (known.length === 0) return null;
  const selection: Selection = {};
  for (const model of CATALOG) {
    const stored = saved[model.id];
    if (!stored || typeof stored !== 'object') {
      selection[model.id] = { enabled: false, settings: current[model.id]?.settings ?? paneDefaults(model, language) };
      continue;
    }
    const settings = paneDefaults(model, language);
    for (const setting of model.settings) {
      if (!(setting.key in stored)) continue;
      let value = structuredClone(stored[setting.key]);
      if (setting.kind === 'data' && setting.editor === 'factors' && factorIssues(value).length === 0) value = withUniqueIds(value as FactorNode);
      if (settingProblem(setting, value, 'en') === null) settings[setting.key] = value;
    }
    selection[model.id] = { enabled: true, settings };
  }
  // A setting the pane shows once (the hourly rate) holds one value: the first saved model's.
  for (const setting of new Set(CATALOG.flatMap((model) => model.settings).filter(isSharedSetting))) {
    const first = CATALOG.find((model) => model.settings.includes(setting) && selection[model.id].enabled);
    if (first) Object.assign(selection, withSharedSetting(selection, setting, selection[first.id].settings[setting.key]));
  }
  return selection;
}

export interface ModelPreview {
  model: ModelDefinition;
  result?: ModelResult;
  lines: SegmentSummary[];
  /**
   * Set when the model could not run: a column it needs is not mapped, its cuts are in the wrong
   * order on this data, or it gives no customer a segment (the engine's sentence).
   */
  error?: string;
}

/**
 * Runs each chosen model on its own, so one model that cannot run does not hide the others; a
 * model the table cannot support says why and which column would let it run, as Apply leaves it
 * out, and any other error that carries a sentence for the user is shown in its place. Errors
 * that carry no sentence are bugs, and thrown.
 */
/**
 * Why segment() left a model out, in the sentence a run of that model alone says ("Grow / Fix /
 * Model / Move cannot run on this table: …"); where it reads a role another chosen model was to
 * provide (ABCD's potential from twins) and that model was left out too, its reason as well, and
 * the advice to map the column.
 */
function leftOutText(leftOut: readonly LeftOutModel[], model: ModelDefinition, language: Language): string {
  const own = leftOut.filter((entry) => entry.modelId === model.id);
  const providers = leftOut.filter((entry) => entry.modelId !== model.id && (getModel(entry.modelId).provides ?? []).some((role) => model.readsProvided?.includes(role)));
  if (providers.length === 0) return new NoModelCanRunError(own).text[language];
  const why = own[0]?.why[language] ?? '';
  const also = providers.map((entry) => `${getModel(entry.modelId).name[language]}: ${entry.why[language]}`).join('; ');
  return translate(language, 'modelUnavailable', { why: `${why} (${also})` });
}

/**
 * Each chosen model's preview from one run of them all, as Apply runs them: a model reading
 * another's result (twins' reference group, ABCD's estimated potential, churn's RFM features) sees
 * the same one, and each model runs once. A model the mapped columns cannot support says which
 * column would let it; one left out at run says why in its own sentence. Settings that no surface
 * may write (InvalidSettingsError) and errors without a sentence for the user are thrown.
 */
export function previewModels(table: CustomerTable, choices: readonly ModelChoice[], language: Language): ModelPreview[] {
  const selection: Selection = Object.fromEntries(choices.map((choice) => [choice.id, { enabled: true, settings: choice.settings }]));
  const runnable = choices.filter((choice) => unavailableText(getModel(choice.id), table.mapping, language, selection) === null);
  const run = runnable.length === 0 ? { results: [], leftOut: [] } : segmentOrLeftOut(table, runnable);
  return choices.map((choice) => {
    const model = getModel(choice.id);
    const unavailable = unavailableText(model, table.mapping, language, selection);
    if (unavailable) return { model, lines: [], error: unavailable };
    const result = run.results.find((candidate) => candidate.modelId === choice.id);
    if (result) return { model, result, lines: summarize(table, model, result) };
    return { model, lines: [], error: leftOutText(run.leftOut, model, language) };
  });
}

/** segment(), with "no chosen model can run" as every model left out rather than an error. */
function segmentOrLeftOut(table: CustomerTable, choices: readonly ModelChoice[]): { results: ModelResult[]; leftOut: LeftOutModel[] } {
  try {
    const run = segment(table, choices);
    return { results: run.results, leftOut: run.leftOut ?? [] };
  } catch (error) {
    if (error instanceof NoModelCanRunError) return { results: [], leftOut: error.leftOut };
    throw error;
  }
}

/** The deep-dive rating as the factor tree editor previews it while the tree changes. */
export interface ScorePreview {
  /** Customers per tier in tier order, and last those without a score. */
  tiers: { tierIndex: number; customers: number }[];
  /** The best customers, best first, with their score. */
  top: { row: number; score: number }[];
  notes: Localized[];
}

/**
 * Runs the score model with the settings being edited; null when they cannot run yet (a tree
 * with problems). One pass over the scores finds the best few, so it stays fast on 100,000 rows.
 */
export function scorePreview(table: CustomerTable, settings: ModelSettings, topCount = 3): ScorePreview | null {
  const model = getModel('score');
  if (Object.keys(settingProblems(model, settings, 'en')).length > 0) return null;
  const result = model.run(table, settings);
  const counts = new Array<number>(model.tiers.length + 1).fill(0);
  for (let row = 0; row < table.rowCount; row++) {
    const tier = result.tiers[row];
    counts[tier < 0 ? model.tiers.length : tier]++;
  }
  const tiers = counts.map((customers, index) => ({ tierIndex: index < model.tiers.length ? index : -1, customers }))
    .filter((line) => line.tierIndex >= 0 || line.customers > 0);
  const scores = result.metrics.find((metric) => metric.key === 'score');
  const top: { row: number; score: number }[] = [];
  if (scores && scores.format !== 'text') {
    for (let row = 0; row < table.rowCount; row++) {
      const score = scores.values[row];
      if (Number.isNaN(score) || (top.length === topCount && score <= top[top.length - 1].score)) continue;
      const at = top.findIndex((entry) => score > entry.score);
      top.splice(at < 0 ? top.length : at, 0, { row, score });
      if (top.length > topCount) top.pop();
    }
  }
  return { tiers, top, notes: result.notes };
}

/** "kunder.xlsx" → "kunder-segmented.xlsx". */
export function resultFileName(original: string): string {
  const name = original.replace(/^.*[\\/]/, '');
  const macros = /\.xlsm$/i.test(name);
  const base = name.replace(/\.(xlsx|xlsm|csv|tsv|tab|txt)$/i, '') || 'workbook';
  return `${base}-segmented.${macros ? 'xlsm' : 'xlsx'}`;
}

/** Lets the browser paint (progress, spinners) between heavy phases of work. */
export function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
