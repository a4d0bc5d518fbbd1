import type { CutSpec, CutTie, UsedCut } from './cuts';
import { textLiteral } from './excel-formulas';
import { roleDefinition, type RoleId } from './roles';
import type { CustomerTable } from './table';
import { lazyLocalized, type Language, type Localized } from './types';

/** One segment a model can give: its label, color and what to do about it. */
export interface TierDefinition {
  id: string;
  label: Localized;
  /** Fill color, #RRGGBB, from a palette colour-blind readers can tell apart. */
  fill: string;
  /** Text color that reads on the fill. */
  font: string;
  action: Localized;
  /** 1 = call first. The Priority sheet sorts by it within each owner. */
  priority: number;
}

/** A setting the task pane shows and the CLI and functions accept. */
export type SettingDefinition =
  /**
   * A cut on a role's column; without a role the cut is on a value the model computes, on the
   * scale `computed` says: a score 0–100 (the default: the rating, twins' similarity), an amount
   * (CLV) or a probability 0–1 (churn risk).
   */
  | { key: string; kind: 'cut'; label: Localized; role?: RoleId; computed?: 'score' | 'amount' | 'probability' }
  /**
   * One of `options`; or, where `prefixed` allows, a prefix and text the user writes
   * ('column:' and a header: twins' reference group read from a flag column).
   */
  | { key: string; kind: 'choice'; label: Localized; options: { value: string; label: Localized }[]; prefixed?: { prefix: string; label: Localized }[] }
  /** `percent`: a fraction (0.1) that the pane shows and takes as a percentage (10 %). */
  | { key: string; kind: 'number'; label: Localized; min?: number; max?: number; unit?: Localized; percent?: boolean }
  /** A day as an Excel serial; 0 means "today when the model runs", unless `empty` says what it means instead. */
  | { key: string; kind: 'date'; label: Localized; empty?: Localized }
  /** Structured settings (a terms table, a factor tree) that a model edits with its own editor. */
  | { key: string; kind: 'data'; label: Localized; editor: 'terms' | 'factors' | 'rfmGrid' | 'features' | 'clusterNames' };

/** A plain-data setting: JSON-serialisable, so it can be stored in the workbook. */
export type DataSetting = { [key: string]: DataValue } | DataValue[];
export type DataValue = string | number | boolean | null | DataSetting;

export type SettingValue = CutSpec | string | number | DataSetting;
export type ModelSettings = Record<string, SettingValue>;

/** Where a row metric is written besides the task pane: next to the table, on the Priority sheet. */
export interface MetricPlacement {
  /** A column of its own to the right of the table, after the model's segment column. */
  table?: boolean;
  /** A column on the Priority sheet. */
  priority?: boolean;
}

/** A number per row a model computes besides its segment (utilization, true margin, score, …). */
export interface NumberMetric extends MetricPlacement {
  key: string;
  label: Localized;
  format: 'percent' | 'number' | 'amount';
  /** Decimals to show for 'number' (a score to one decimal); whole numbers otherwise. */
  decimals?: number;
  values: Float64Array;
  /** The live per-row formula with SegmentKit's functions, where a custom function can (the true margin). */
  formula?(references: FormulaReferences): string | null;
  /** The same per row as an ordinary spreadsheet formula (see ModelDefinition.excelFormula); null where none. */
  excelFormula?(references: FormulaReferences): string | null;
}

/** A text per row (the terms' meeting frequency, …), in both languages; empty where none. */
export interface TextMetric extends MetricPlacement {
  key: string;
  label: Localized;
  format: 'text';
  text(row: number): Localized;
}

export type RowMetric = NumberMetric | TextMetric;

/**
 * A setting the run used besides the cuts that a live formula reads from a cell of its own (the
 * new-customer months, the day customer age is counted to), so it is shown and can be edited.
 */
export interface UsedParameter {
  key: string;
  label: Localized;
  /** The value the run used; a date as an Excel serial day. */
  value: number;
  format: 'number' | 'date';
  /** A few words beside the value where it needs them: where it came from, what it means. */
  note?: Localized;
  /**
   * A parameter worked out from the others: the cell holds this ordinary formula over their cells
   * (by key), and `value` is what it gives for the values the run used.
   */
  formula?(cells: Record<string, string>): string;
}

/**
 * What a run actually read, so no surface claims more than was computed: the roles whose columns
 * it read, the optional roles (or roles it could have read) the table lacks, and any quantity it
 * worked out from other columns instead of reading it.
 */
export interface InputsUsed {
  /** Roles whose columns the run read, in the order the model names them. */
  used: RoleId[];
  /** Roles the model would have read but the table has no column for: taken as absent, never as zero. */
  absent: RoleId[];
  /** Quantities worked out from other columns ("Share of wallet computed as revenue ÷ potential"). */
  computed?: Localized[];
}

export interface ModelResult {
  modelId: string;
  /** The columns the run read and those it took as absent: every surface shows them. */
  inputs: InputsUsed;
  /** Index into the model's tiers per row; -1 where the row gets no segment. */
  tiers: Int8Array;
  cuts: UsedCut[];
  /** What the live formula reads besides the cuts, in the order the Summary shows them. */
  parameters?: UsedParameter[];
  metrics: RowMetric[];
  /**
   * What else the run decided, for the pane and the Summary sheet: rules applied and how often
   * ("New customers raised to at least Silver: 37"), leaves left out of a factor tree, …
   */
  notes: Localized[];
  /** The role whose values the Summary sheet adds up per segment. */
  measure: RoleId;
  /**
   * Why row i got its segment, in both languages ("Revenue 1.2 mio. ≥ cut 0.8 mio.; …"); an
   * empty text for a row without a segment says which input was missing.
   */
  explain(row: number): Localized;
  /**
   * Order within a tier on the Priority sheet: larger first (potential gap, revenue at risk, …).
   * NaN sorts last.
   */
  priorityWithinTier(row: number): number;
  /** Small tables the run adds below its parameters on the Summary sheet (the CLV holdout check). */
  tables?: ResultTable[];
  /**
   * Why this run's segments are written as values even when live formulas are asked for, where the
   * run read something no formula can (ABCD on potential estimated from twins); the model's own
   * `valuesOnly` otherwise.
   */
  valuesOnly?: Localized;
  /**
   * The run's tiers are the model's first this many (clusters 1 … k of the twelve a clusters run
   * may have): summaries leave the rest out rather than list them empty. All tiers when absent.
   */
  tierCount?: number;
}

/**
 * What a model's run may ask of the run it is part of (segment() supplies it): another model's
 * result, so a model can build on one (twins' reference group is a segment of another model; ABCD
 * reads the potential twins estimate). Models are found by id, so no model imports the catalog.
 */
export interface RunContext {
  /** The ids of the models chosen in this run, in the order chosen. */
  chosen: readonly string[];
  /**
   * Another model's result in this run: the chosen one with its chosen settings, or, when not
   * chosen, a run with its default settings that is not written. Each model runs once per run.
   * undefined when it cannot run on the table, or when it is waiting on the model that asks (a cycle).
   */
  resultOf(modelId: string): ModelResult | undefined;
}

/**
 * A small table of a run's results, as data in both languages: a header row, then rows whose first
 * cell names the row; numbers are shown with their column's decimals, NaN as an empty cell.
 */
export interface ResultTable {
  key: string;
  title: Localized;
  /** Every column, the naming one first; decimals apply to numbers. */
  columns: { label: Localized; decimals: number }[];
  rows: (number | Localized)[][];
  /** A line chart: one line per listed column (by index) over the first `rows` rows' names (a Total row below them stays out). */
  lineChart?: { title: Localized; columns: number[]; rows: number };
}

/** References a formula may use: a cell or range per role, and a cell (or name) holding each cut. */
export interface FormulaReferences {
  form: 'row' | 'spill';
  roles: Partial<Record<RoleId, string>>;
  cuts: Record<string, string>;
  /** A cell (or name) per parameter of the result (ModelResult.parameters), by key. */
  parameters?: Record<string, string>;
  settings: ModelSettings;
  /** The table the run read, for what a single row cannot tell (how its column is written). */
  table?: CustomerTable;
  /**
   * The language the run writes: an ordinary formula returns the tier names of that language
   * (Guld, Sølv, …), as the values and colour rules beside it do. English when left out.
   */
  language?: Language;
}

/** The namespace of SegmentKit's custom functions, the same in every Excel language (manifest.xml's Functions.Namespace). */
export const FUNCTION_NAMESPACE = 'SEGMENT';

/**
 * SEGMENT.CUTOFF, the cut a model uses over a column: not a model, so its name lives here. The
 * name is not CUT, which is an Excel 4.0 macro function, and no custom function may share a
 * built-in's name in any language (see the metadata test).
 */
export const CUTOFF_FUNCTION = 'CUTOFF';

/**
 * A call of one of SegmentKit's custom functions as a formula writes it, e.g.
 * segmentkitCall('ABCD', ['C2', 'D2']) is "SEGMENT.ABCD(C2,D2)". Arguments are formula text.
 */
export function segmentkitCall(functionName: string, args: readonly (string | number)[]): string {
  return `${FUNCTION_NAMESPACE}.${functionName}(${args.join(',')})`;
}

export interface ModelDefinition {
  id: string;
  name: Localized;
  description: Localized;
  /**
   * Header of the segment column written next to the table, in English: also the stable key the
   * workbook's defined names are made from (SK_Value_…), so it never changes with the language.
   */
  columnHeader: string;
  /** The header a Danish run writes, where it differs ("Segment Værdi"). */
  columnHeaderDa?: string;
  /**
   * The custom function, without the SEGMENT. namespace: its id and its name in functions.json and
   * functions-da.json alike, and what the model's formulas call.
   */
  functionName: string;
  /** Roles the model needs. */
  inputs: RoleId[];
  /**
   * Sets of roles that can stand in for a missing input, any one set whole: share of wallet is
   * computed from revenue and potential; a margin from revenue and at least one cost.
   */
  alternatives?: Partial<Record<RoleId, RoleId[][]>>;
  /** Roles the model uses when the table has them (costs, customer since, days late, …). */
  optionalInputs?: RoleId[];
  /**
   * Roles the model estimates for the other models of the same run when the table lacks them
   * (twins: potential). modelAvailability counts such a role as there when the model is chosen.
   */
  provides?: RoleId[];
  /**
   * Roles this model reads from another chosen model where the table has no column (ABCD reads the
   * potential twins estimates): only these count as present through `provides`, so a model that
   * cannot read an estimate (the quadrant's share of wallet) is never offered on one.
   */
  readsProvided?: RoleId[];
  settings: SettingDefinition[];
  defaults: ModelSettings;
  tiers: TierDefinition[];
  /** `context`, given by segment(), lets the run read other models' results; a model must also run without it. */
  run(table: CustomerTable, settings: ModelSettings, context?: RunContext): ModelResult;
  /**
   * The live formula with SegmentKit's own functions (=SEGMENT.*), which only Excel with the
   * add-in can calculate; null when only values can be written.
   */
  formula(references: FormulaReferences): string | null;
  /**
   * The segment of one row ('row' form only) as an ordinary spreadsheet formula that Excel 2016,
   * Excel on the web, LibreOffice and Google Sheets all calculate, comparing the row's cells with
   * the cut (and parameter) cells exactly as `run` decides: "" where an input is blank or not a
   * number. Absent or null when the rule cannot be written so; `valuesOnly` then says why.
   */
  excelFormula?(references: FormulaReferences): string | null;
  /** Why the segments are written as values even when live formulas are asked for. */
  valuesOnly?: Localized;
  /**
   * Run only when chosen by name, not when every model the table supports runs (the CLI without
   * --model): a model that reads any column (clusters) would otherwise run on every table.
   */
  onlyWhenChosen?: boolean;
  /**
   * Headers a feature-reading model never takes as features whatever the user chose (the churn
   * label, a reference flag column): the model and the pane's feature list leave them out alike.
   */
  featureExclusions?(table: CustomerTable, settings: ModelSettings): string[];
  /**
   * The headers a feature-reading model uses when its feature list is empty, where that is not
   * every usable column (clusters: the number and date columns); the pane's list ticks these.
   */
  defaultFeatures?(table: CustomerTable, settings: ModelSettings): string[];
  /**
   * Pairs of cuts (setting keys) where one must be at least as strict as the other, or the tier
   * between them is empty: A before B, Gold before Silver, Top before Middle. Checked once for
   * every surface by settingsProblems and cutOrderProblems (checks.ts).
   */
  cutOrder?: { stricter: string; looser: string }[];
}

const SEPARATORS: Record<Language, { group: string; decimal: string }> = {
  en: { group: ',', decimal: '.' },
  da: { group: '.', decimal: ',' },
};

/** "1234567" → "1,234,567". */
function groupDigits(digits: string, separator: string): string {
  let grouped = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) grouped += separator;
    grouped += digits[i];
  }
  return grouped;
}

/**
 * Numbers as explanations write them in each language ("1.234,5" / "1,234.5"), with at most
 * `maxDecimals` and at least `minDecimals` decimals: what Intl.NumberFormat writes for da-DK and
 * en-US, made by hand because explaining every row of a big table would spend most of its time in
 * Intl (about 5 µs a number against a few hundred nanoseconds).
 */
export function formatNumber(value: number, language: Language, maxDecimals: number, minDecimals = 0): string {
  const size = Math.abs(value);
  // Below 1e-6 (written with an exponent) a number rounds to zero at the six decimals shown at most.
  if (size > 0 && size < 1e-6 && maxDecimals <= 6) return formatNumber(0, language, maxDecimals, minDecimals);
  // From 1e15 a double has no decimals left to round, and from 1e21 it is written with an exponent: Intl writes those.
  if (!Number.isFinite(value) || size >= 1e15) {
    return new Intl.NumberFormat(language === 'da' ? 'da-DK' : 'en-US', { maximumFractionDigits: maxDecimals, minimumFractionDigits: minDecimals }).format(value);
  }
  const { group, decimal } = SEPARATORS[language];
  if (maxDecimals === 0) {
    // Whole numbers, the common case of amounts, without the string round trip below.
    const whole = String(Math.round(size));
    return `${value < 0 && whole !== '0' ? '-' : ''}${groupDigits(whole, group)}`;
  }
  // Rounded from the shortest decimal form, as Intl rounds (1.005 → 1.01, where toFixed gives 1.00).
  const fixed = Number(`${Math.round(Number(`${size}e${maxDecimals}`))}e-${maxDecimals}`).toFixed(maxDecimals);
  const [whole, fraction = ''] = fixed.split('.');
  let decimals = fraction.replace(/0+$/, '');
  while (decimals.length < minDecimals) decimals += '0';
  const sign = value < 0 && /[1-9]/.test(fixed) ? '-' : '';
  return `${sign}${groupDigits(whole, group)}${decimals ? decimal + decimals : ''}`;
}

/**
 * "1.234.567" / "1,234,567": how explanations write amounts, whole units from 100 up; smaller
 * numbers (a satisfaction of 3.5, 2.25 hours) keep up to two decimals so a cut is not hidden.
 */
export function formatAmount(value: number, language: Language): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '−∞' : '–';
  return Math.abs(value) >= 100 ? formatNumber(Math.round(value), language, 0) : formatNumber(value, language, 2);
}

/** The inputs no column provides, neither directly nor through one of their alternatives. */
export function missingInputs(model: ModelDefinition, mapped: (role: RoleId) => boolean): RoleId[] {
  return model.inputs.filter((role) => !mapped(role) && !(model.alternatives?.[role]?.some((set) => set.every(mapped)) ?? false));
}

/** Whether a model can run on a table's columns; if not, why and which columns would let it. */
export type ModelAvailability =
  | { supported: true }
  | {
    supported: false;
    /** The smallest sets of roles, any one of which mapped would let the model run: [['potential']]. */
    needs: RoleId[][];
    /** "the table has no column for Potential", a clause each surface completes with how to map one. */
    why: Localized;
  };

/**
 * Whether `model` can run when the roles `mapped` says have a column. Each input is either mapped
 * or stood in for by one whole set of its alternatives; without that, `needs` lists the smallest
 * sets of unmapped roles that would complete one way (a margin column, or one cost beside
 * revenue), fewest first. A role another model of `chosen` provides (ModelDefinition.provides:
 * twins estimates potential), and can itself run on the mapped columns, counts as there: ABCD runs
 * without a potential column when twins is chosen beside it. The one rule the CLI, the pane, the
 * plan and `segment` decide by.
 */
export function modelAvailability(model: ModelDefinition, bare: (role: RoleId) => boolean, chosen: readonly ModelDefinition[] = []): ModelAvailability {
  const providers = chosen.filter((other) => other !== model && (other.provides?.length ?? 0) > 0 && modelAvailability(other, bare).supported);
  // Only a model that reads a provided role (ABCD reads twins' estimated potential) counts it as present.
  const mapped = (role: RoleId) => bare(role) || ((model.readsProvided?.includes(role) ?? false) && providers.some((other) => other.provides!.includes(role)));
  // Every way to supply all inputs: each input by itself or by one of its alternative sets.
  let ways: RoleId[][] = [[]];
  for (const input of model.inputs) {
    const options = [[input], ...(model.alternatives?.[input] ?? [])];
    ways = ways.flatMap((way) => options.map((option) => [...new Set([...way, ...option])]));
  }
  const gaps = ways.map((way) => way.filter((role) => !mapped(role)));
  if (gaps.some((gap) => gap.length === 0)) return { supported: true };
  const needs = smallestSets(gaps);
  return { supported: false, needs, why: { en: missingColumnsText(needs, 'en'), da: missingColumnsText(needs, 'da') } };
}

/** The sets no other set is contained in, fewest roles first (stable otherwise). */
function smallestSets(sets: RoleId[][]): RoleId[][] {
  const sorted = [...sets].sort((a, b) => a.length - b.length);
  const kept: RoleId[][] = [];
  for (const set of sorted) {
    if (!kept.some((smaller) => smaller.every((role) => set.includes(role)))) kept.push(set);
  }
  return kept;
}

const NO_COLUMN = {
  en: { start: 'the table has no column for', and: 'and', or: 'or', none: ', and none for' },
  da: { start: 'tabellen har ingen kolonne til', and: 'og', or: 'eller', none: ', og ingen til' },
} as const;

/** "A, B and C" / "A, B or C" in a language. */
function listText(items: string[], word: string): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`;
}

/**
 * "the table has no column for Satisfaction, and none for Share of wallet or Revenue + Potential":
 * the roles every way needs first, then the choice between the rest.
 */
function missingColumnsText(needs: RoleId[][], language: Language): string {
  const words = NO_COLUMN[language];
  const label = (role: RoleId) => roleDefinition(role).label[language];
  const common = needs[0].filter((role) => needs.every((set) => set.includes(role)));
  const choices = needs.map((set) => set.filter((role) => !common.includes(role))).filter((set) => set.length > 0);
  const choiceText = listText(choices.map((set) => set.map(label).join(' + ')), words.or);
  if (common.length === 0) return `${words.start} ${choiceText}`;
  const commonText = listText(common.map(label), words.and);
  return choices.length > 0 ? `${words.start} ${commonText}${words.none} ${choiceText}` : `${words.start} ${commonText}`;
}

/** The roles of a list the table has a column for, and those it lacks: a run's InputsUsed. */
export function inputsOf(table: CustomerTable, used: readonly RoleId[], optional: readonly RoleId[] = []): InputsUsed {
  const has = (role: RoleId) => table.numbers[role] !== undefined || table.texts[role] !== undefined;
  return { used: [...new Set(used.filter(has))], absent: [...new Set(optional.filter((role) => !has(role)))] };
}

/**
 * A run's inputs as the lines every surface shows: "Columns used: Revenue, Potential.", each
 * computed quantity, and "Not in the table, so not used: Cost to serve, Hours." where any.
 */
export function inputsNotes(inputs: InputsUsed): Localized[] {
  const labels = (roles: RoleId[], language: Language) => roles.map((role) => roleDefinition(role).label[language]).join(', ');
  const notes: Localized[] = [];
  if (inputs.used.length > 0) {
    notes.push({ en: `Columns used: ${labels(inputs.used, 'en')}.`, da: `Kolonner brugt: ${labels(inputs.used, 'da')}.` });
  }
  notes.push(...(inputs.computed ?? []));
  if (inputs.absent.length > 0) {
    notes.push({ en: `Not in the table, so not used: ${labels(inputs.absent, 'en')}.`, da: `Ikke i tabellen og derfor ikke brugt: ${labels(inputs.absent, 'da')}.` });
  }
  return notes;
}

/** The segment column's header in the run's language: "Segment Value" / "Segment Værdi". */
export function segmentColumnHeader(model: ModelDefinition, language: Language): string {
  return language === 'da' && model.columnHeaderDa ? model.columnHeaderDa : model.columnHeader;
}

/** A tier's label is "Name: meaning" ("Guld: de første 50 % …"); this is the name in that language. */
export function tierName(tier: TierDefinition, language: Language): string {
  return tier.label[language].replace(/:.*$/, '').trim();
}

/** The meaning part of a tier's label, after its name: what the pane shows beside the badge. */
export function tierMeaning(tier: TierDefinition, language: Language): string {
  return tier.label[language].replace(/^[^:]+:\s*/, '');
}

/**
 * What a segment cell holds in a run of that language: the tier's name (Gold / Guld, Loss / Tab),
 * '' for no segment. In English the name is the tier's id.
 */
export function tierLabel(model: ModelDefinition, tierIndex: number, language: Language): string {
  return tierIndex < 0 ? '' : tierName(model.tiers[tierIndex], language);
}

/** Each tier's name in a language, as a formula's text literals: what an ordinary formula returns. */
export function tierLiterals(model: ModelDefinition, language: Language = 'en'): string[] {
  return model.tiers.map((tier) => textLiteral(tierName(tier, language)));
}

export function isCutSpec(value: unknown): value is CutSpec {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && typeof (value as CutSpec).method === 'string' && typeof (value as CutSpec).level === 'number';
}

/** A setting's label by its key, so a cut's label never depends on the order the settings are listed in. */
export function settingLabel(model: Pick<ModelDefinition, 'id' | 'settings'>, key: string): Localized {
  const setting = model.settings.find((candidate) => candidate.key === key);
  if (!setting) throw new Error(`Model ${model.id} has no setting ${key}.`);
  return setting.label;
}

export function cutSetting(settings: ModelSettings, key: string): CutSpec {
  const value = settings[key];
  if (!isCutSpec(value)) throw new Error(`Setting ${key} is not a cut.`);
  return value;
}

/** A metric's value for one row as a plan cell: NaN becomes null, text in the given language. */
export function metricCell(metric: RowMetric, row: number, language: Language): string | number | null {
  if (metric.format === 'text') return metric.text(row)[language] || null;
  const value = metric.values[row];
  return Number.isNaN(value) ? null : value;
}

export function numberSetting(settings: ModelSettings, key: string): number {
  const value = settings[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`Setting ${key} is not a number.`);
  return value;
}

/**
 * "Revenue 500 ≥ cut 300" in both languages: one input against its cut, as explanations say it.
 * A row whose value is the run of ties that moved a quantile cut (`tie`, from cutAt) says so:
 * "Satisfaction 1 < cut 4 (the median falls inside 3 tied values of 1; …)".
 */
export function explainAgainstCut(label: Localized, value: number, cut: number, high: boolean, tie?: CutTie): Localized {
  const text = (language: Language) => {
    if (Number.isNaN(value)) return language === 'da' ? `${label.da} mangler` : `${label.en} is missing`;
    const sign = high ? '≥' : '<';
    const cutWord = language === 'da' ? 'skæring' : 'cut';
    const reason = `${label[language]} ${formatAmount(value, language)} ${sign} ${cutWord} ${formatAmount(cut, language)}`;
    return tie && tie.value === value ? `${reason} (${tieAside(tie, language)})` : reason;
  };
  return lazyLocalized(text);
}

/** A tie's note as an aside inside a reason: lower-case first letter, no full stop. */
export function tieAside(tie: CutTie, language: Language): string {
  const note = tie.note[language].replace(/\.$/, '');
  return note.charAt(0).toLowerCase() + note.slice(1);
}

/** Joins explanation parts with "; ". */
export function joinExplanations(...parts: Localized[]): Localized {
  return lazyLocalized((language) => parts.map((part) => part[language]).join('; '));
}
