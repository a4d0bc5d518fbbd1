import {
  columnLetter, customerCount, CUTOFF_FUNCTION, segmentColumnHeader, segmentkitCall, getModel, inputsNotes, isBlankRow, metricCell, summarize, tierLabel, tierName, todaySerial,
  DECIDED_BY_COLUMN, decidedByText, recommend, RECOMMENDATION_RULES, recommendationPriority, recommendedAction, ruleCondition, type Recommendations,
  type CustomerTable, type CutSpec, type Language, type Localized, type ModelDefinition, type ModelResult, type ModelSettings, type ResultTable, type RoleId, type RowMetric, type Segmentation,
} from '../engine';
import { cellName, rolesUsed, rowsReadDifferently, valueRowsNote, type DefinedName, type RowFormula } from './live-formulas';
import { MARKER_VERSION, type MarkerState, type SheetPurpose } from './marker';
import { buildClvSheet } from './clv-sheet';
import { buildClustersSheet } from './clusters-sheet';
import { buildFactorsSheet, buildTermsSheet, scoreLists } from './model-sheets';
import type { TableSnapshot } from './port';

/** What a plan puts in a cell: text, a number, or nothing. */
export type PlanCell = string | number | null;

/** A conditional-format rule: cells equal to `value` get this fill and font color. */
export interface TierColor {
  value: string;
  fill: string;
  font: string;
}

/** The colour rules of a model's tiers, one per tier name as the run writes it in that language (Gold / Guld). */
export function tierColors(model: ModelDefinition, language: Language): TierColor[] {
  return model.tiers.map((tier) => ({ value: tierName(tier, language), fill: tier.fill, font: tier.font }));
}

/** A segment column written to the right of the customer table. */
export interface PlannedColumn {
  header: string;
  /** The computed value of every data row: what values mode writes and what a formula yields. */
  values: PlanCell[];
  /** Values mode leaves both out. The formula of every data row, as one template: see rowFormulaAt. */
  rowFormula?: RowFormulaTemplate;
  /** One formula in the first data cell that spills down the column, without the leading '='. */
  spillFormula?: string;
  numberFormat?: string;
  tierColors?: TierColor[];
  /**
   * Written once and then the user's data, not SegmentKit's own: left out of the marker, so a later
   * run reads it as part of the table (the per-customer summary of a CSV log, whose lines are not in
   * the workbook to be summarised again).
   */
  userData?: boolean;
}

/**
 * The per-row formulas of a column as data a million rows cannot inflate: the formula split where
 * its sheet row number goes, so row r's formula is `parts.join(String(r))`. Storing one string per
 * row cost about 1 KB a row (V8 keeps each built-up formula as a tree of pieces): gigabytes at
 * Excel's row limit. Plain data, so a plan still crosses from a web worker to the page.
 */
export interface RowFormulaTemplate {
  /** The formula without its leading '=', split at each place the sheet row number goes. */
  parts: string[];
  /** 1-based sheet row of data row 0. */
  firstSheetRow: number;
  /** 0-based data rows, ascending, that keep their value instead (a number a formula would read differently). */
  valueRows: number[];
}

/** The formula of data row `index` (0-based), without '='; undefined where the row keeps its value or the column has none. */
export function rowFormulaAt(column: PlannedColumn, index: number): string | undefined {
  const template = column.rowFormula;
  if (!template || index < 0 || index >= column.values.length || includesSorted(template.valueRows, index)) return undefined;
  return template.parts.length === 1 ? template.parts[0] : template.parts.join(String(template.firstSheetRow + index));
}

/** Every data row's formula ('' where the row keeps its value), or undefined when the column has none: for tests and small tables. */
export function rowFormulaList(column: PlannedColumn): string[] | undefined {
  if (!column.rowFormula) return undefined;
  return Array.from(column.values, (_, index) => rowFormulaAt(column, index) ?? '');
}

function includesSorted(sorted: readonly number[], value: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] === value) return true;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** A formula placed in a sheet cell (0-based row and column), replacing the value there. */
export interface PlannedFormula {
  row: number;
  column: number;
  formula: string;
}

export interface ChartSpec {
  title: string;
  /** 'column' (the default): clustered columns of one series; 'line': a line with markers per series. */
  kind?: 'column' | 'line';
  /** A line chart's further series, after valueColumn / seriesName, on the same rows. */
  moreSeries?: { valueColumn: number; seriesName: string }[];
  /** 0-based rows (inclusive) of the categories and series on the same sheet. */
  fromRow: number;
  toRow: number;
  categoryColumn: number;
  valueColumn: number;
  seriesName: string;
  /** 0-based cell where the chart's top left corner goes. */
  anchorRow: number;
  anchorColumn: number;
}

export interface PlannedSheet {
  purpose: SheetPurpose;
  name: string;
  /** Every row from the sheet's first row, headers included. */
  rows: PlanCell[][];
  formulas: PlannedFormula[];
  boldRows: number[];
  columnWidths: number[];
  numberFormats: { column: number; fromRow: number; toRow: number; format: string }[];
  tierColorRanges: { column: number; fromRow: number; toRow: number; colors: TierColor[] }[];
  charts: ChartSpec[];
  /** Rows frozen at the top (the header of a long list). */
  frozenRows: number;
  /**
   * Columns of a long list whose data rows are live formulas (the Customers sheet's P(alive)):
   * `planned.rowFormula` gives each row's formula (its firstSheetRow places data row 0), and the
   * values in `rows` are the results cached beside them. Kept as one template per column, not one
   * PlannedFormula per cell, so a million customers cost no more than the table's own columns.
   */
  liveColumns?: { column: number; planned: PlannedColumn }[];
}

/** Everything SegmentKit will write, as plain data: the adapters only execute it. */
export interface WritePlan {
  sheetName: string;
  /** 1-based sheet row of the table's header and 0-based sheet column of its first column. */
  headerRow: number;
  firstColumn: number;
  rowCount: number;
  /** Columns of the user's own table; segment columns start right after them. */
  tableColumnCount: number;
  excelTableName?: string;
  mode: 'formulas' | 'values';
  /** Which formulas a 'formulas' plan holds: ordinary ones (the default) or SegmentKit's =SEGMENT.* functions. */
  formulas: FormulaKind;
  language: Language;
  columns: PlannedColumn[];
  sheets: PlannedSheet[];
  /**
   * Workbook-level names for the cut and parameter cells the live formulas read
   * (SK_ABCD_RevenueCut → 'Summary'!$D$14). The adapters create them, replacing names of the same
   * spelling and those an earlier run created (marker.names).
   */
  definedNames: DefinedName[];
  marker: MarkerState;
}

/**
 * 'excel': ordinary formulas every spreadsheet program calculates, reading cut cells by name;
 * 'segmentkit': =SEGMENT.* functions, which show #NAME? to anyone without SegmentKit.
 */
export type FormulaKind = 'excel' | 'segmentkit';

export interface PlanOptions {
  mode: 'formulas' | 'values';
  /** Which formulas mode 'formulas' writes; 'excel' when left out. */
  formulas?: FormulaKind;
  /** The run's day as an Excel serial, shown beside the cuts; today when left out. */
  runDate?: number;
  language: Language;
  /** Whether a plain range may get one spilled formula per column; .xlsx files cannot hold them. */
  spill?: boolean;
  /** Adds a "Reason" column per model next to its segment column: why each row got its segment. */
  reasons?: boolean;
  /**
   * Columns SegmentKit adds to the table before the models' own (a transaction log's summary
   * joined on customer id): written right of the table, and the table's mapping points at them.
   */
  leadingColumns?: PlannedColumn[];
}

/** What SegmentKit calls its own sheets (a name already taken gets " (2)"). */
export const SHEET_NAMES: Record<SheetPurpose, Localized> = {
  priority: { en: 'Priority', da: 'Prioritet' },
  summary: { en: 'Summary', da: 'Oversigt' },
  terms: { en: 'Terms', da: 'Vilkår' },
  factors: { en: 'Factors', da: 'Faktorer' },
  customers: { en: 'Customers', da: 'Kunder' },
  clv: { en: 'CLV', da: 'CLV' },
  clusters: { en: 'Clusters', da: 'Klynger' },
};

/** Models whose fit (parameters and small tables) goes on a sheet of their own instead of the Summary. */
const OWN_SHEET: Partial<Record<string, SheetPurpose>> = { clv: 'clv', clusters: 'clusters' };

/** Words the sheets share; model-sheets.ts uses them too. */
export const TEXT = {
  owner: { en: 'Account manager', da: 'Kundeansvarlig' },
  id: { en: 'Customer ID', da: 'Kundenr.' },
  name: { en: 'Customer', da: 'Kunde' },
  priority: { en: 'Priority', da: 'Prioritet' },
  revenue: { en: 'Revenue', da: 'Omsætning' },
  potential: { en: 'Potential', da: 'Potentiale' },
  gap: { en: 'Potential gap', da: 'Potentialegab' },
  utilization: { en: 'Utilization', da: 'Udnyttelse' },
  action: { en: 'Recommended action', da: 'Anbefalet handling' },
  decidedBy: { en: 'Decided by', da: 'Afgjort af' },
  ruleTitle: { en: 'Recommended action: the rule', da: 'Anbefalet handling: reglen' },
  ruleHow: {
    en: 'Each customer gets the action of the first rule below that holds for it; only rules on the models run apply. The Priority sheet sorts each account manager\'s customers by the rule\'s priority, then by rule.',
    da: 'Hver kunde får handlingen fra den første regel nedenfor, der gælder for den; kun regler for de modeller, der er kørt, gælder. Prioritet-arket sorterer hver kundeansvarligs kunder efter reglens prioritet og derefter efter regel.',
  },
  order: { en: 'Order', da: 'Rækkefølge' },
  condition: { en: 'Condition', da: 'Betingelse' },
  otherwise: { en: 'Otherwise: the first model run that gave the customer a segment', da: 'Ellers: den første kørte model, der gav kunden et segment' },
  ownAction: { en: 'That segment\'s own action', da: 'Segmentets egen handling' },
  noAction: { en: 'No model gave a segment: no action', da: 'Ingen model gav et segment: ingen handling' },
  noOwner: { en: '(no account manager)', da: '(ingen kundeansvarlig)' },
  title: { en: 'SegmentKit summary', da: 'SegmentKit-oversigt' },
  customers: { en: 'Customers', da: 'Kunder' },
  segment: { en: 'Segment', da: 'Segment' },
  meaning: { en: 'Meaning', da: 'Betydning' },
  share: { en: 'Share of revenue', da: 'Andel af omsætning' },
  margin: { en: 'Margin', da: 'Dækningsbidrag' },
  noSegment: { en: '(no segment: missing or unreadable input)', da: '(intet segment: manglende eller ulæseligt input)' },
  cut: { en: 'Cut', da: 'Skæring' },
  method: { en: 'Method', da: 'Metode' },
  level: { en: 'Level', da: 'Niveau' },
  value: { en: 'Value', da: 'Værdi' },
  problems: { en: 'Rows with problems', da: 'Rækker med problemer' },
  chart: { en: 'Share of revenue per segment', da: 'Andel af omsætning pr. segment' },
  notes: { en: 'Rules and notes', da: 'Regler og bemærkninger' },
  reason: { en: 'Reason', da: 'Begrundelse' },
  why: { en: 'Why', da: 'Hvorfor' },
  computed: { en: 'Computed on', da: 'Beregnet den' },
  notRun: { en: 'Not run', da: 'Ikke kørt' },
  mapToRun: { en: 'map a column to it and run SegmentKit again', da: 'tildel en kolonne og kør SegmentKit igen' },
  tie: { en: 'Ties', da: 'Ens værdier' },
} satisfies Record<string, Localized>;

const METHOD_NAMES: Record<CutSpec['method'], Localized> = {
  pareto: { en: 'Pareto share', da: 'Pareto-andel' },
  quantile: { en: 'Quantile', da: 'Kvantil' },
  value: { en: 'Value', da: 'Værdi' },
};

export const NUMBER_FORMAT = '#,##0';
export const PERCENT_FORMAT = '0.0%';

/** The Excel number format a metric is shown in. */
export function metricFormat(metric: RowMetric): string | undefined {
  if (metric.format === 'percent') return PERCENT_FORMAT;
  if (metric.format === 'amount') return NUMBER_FORMAT;
  if (metric.format === 'number' && metric.decimals) return `0.${'0'.repeat(metric.decimals)}`;
  return undefined;
}

/** Turns a segmentation into the plan both adapters execute. */
export function buildPlan(snapshot: TableSnapshot, segmentation: Segmentation, options: PlanOptions): WritePlan {
  const { language } = options;
  const sheetNames = chooseSheetNames(snapshot, language, sheetPurposes(segmentation));
  const live = segmentation.results.map((_, index) => livePlan(snapshot, segmentation, index, options));
  const summary = buildSummarySheet(snapshot, segmentation, options, live, sheetNames);
  const clvIndex = segmentation.results.findIndex((result) => result.modelId === 'clv');
  const clvSheet = clvIndex >= 0 ? buildClvSheet(segmentation, clvIndex, language, sheetNames.clv!) : null;
  if (clvSheet) {
    // P(alive)'s formulas read the fit on the CLV sheet; the cuts stay on the Summary.
    summary.references.set('clv', { cuts: summary.references.get('clv')?.cuts ?? {}, parameters: clvSheet.parameters });
    summary.definedNames.push(...clvSheet.definedNames);
  }
  const columns = [...(options.leadingColumns ?? []), ...planColumns(snapshot, segmentation, options, live, summary.references)];
  const recommendations = recommend(segmentation, RECOMMENDATION_RULES, (row) => !isBlankRow(segmentation.table, row));
  addRuleTable(summary.sheet, recommendations, language);
  const sheets = [buildPrioritySheet(segmentation, recommendations, language, sheetNames.priority!), summary.sheet];
  const valueIndex = segmentation.results.findIndex((result) => result.modelId === 'value');
  if (valueIndex >= 0) sheets.push(buildTermsSheet(segmentation, valueIndex, language, sheetNames.terms!));
  const scoreIndex = segmentation.results.findIndex((result) => result.modelId === 'score');
  if (scoreIndex >= 0) sheets.push(buildFactorsSheet(segmentation, scoreIndex, language, sheetNames.factors!));
  if (clvSheet) sheets.push(clvSheet.sheet);
  const clustersIndex = segmentation.results.findIndex((result) => result.modelId === 'clusters');
  if (clustersIndex >= 0) sheets.push(buildClustersSheet(segmentation, clustersIndex, language, sheetNames.clusters!));
  return {
    sheetName: snapshot.sheetName,
    headerRow: snapshot.origin.headerRow,
    firstColumn: snapshot.origin.firstColumn,
    rowCount: segmentation.table.rowCount,
    tableColumnCount: snapshot.headers.length,
    excelTableName: snapshot.excelTableName,
    mode: options.mode,
    formulas: formulaKind(options),
    language,
    columns,
    sheets,
    definedNames: summary.definedNames,
    marker: {
      version: MARKER_VERSION,
      tableSheet: snapshot.sheetName,
      columns: columns.filter((column) => !column.userData).map((column) => column.header),
      sheets: sheetNames,
      names: summary.definedNames.map((defined) => defined.name),
      settings: Object.fromEntries(segmentation.results.map((result, index) => [result.modelId, segmentation.settings[index]])),
    },
  };
}

function formulaKind(options: PlanOptions): FormulaKind {
  return options.formulas ?? 'excel';
}

/** The sheets a segmentation needs: Priority and Summary always, Terms and Factors with their models. */
function sheetPurposes(segmentation: Segmentation): SheetPurpose[] {
  const ids = new Set(segmentation.results.map((result) => result.modelId));
  return ['priority', 'summary', ...(ids.has('value') ? ['terms' as const] : []), ...(ids.has('score') ? ['factors' as const] : []), ...(ids.has('clv') ? ['clv' as const] : []), ...(ids.has('clusters') ? ['clusters' as const] : [])];
}

/** Our own sheets keep their names; a new sheet never takes a name the user already has. */
function chooseSheetNames(snapshot: TableSnapshot, language: Language, purposes: SheetPurpose[]): Partial<Record<SheetPurpose, string>> {
  const taken = new Set(snapshot.sheetNames.map((name) => name.toLowerCase()));
  const own = snapshot.marker?.sheets ?? {};
  for (const name of Object.values(own)) if (name) taken.delete(name.toLowerCase());
  const pick = (purpose: SheetPurpose) => {
    const wanted = SHEET_NAMES[purpose][language];
    const previous = own[purpose];
    if (previous && previous.toLowerCase() === wanted.toLowerCase()) return previous;
    let name = wanted;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${wanted} (${n})`;
    taken.add(name.toLowerCase());
    return name;
  };
  return Object.fromEntries(purposes.map((purpose) => [purpose, pick(purpose)]));
}

export function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

function absoluteCell(sheet: string, row: number, column: number): string {
  return `${quoteSheet(sheet)}!$${columnLetter(column)}$${row + 1}`;
}

/** The sheet column (0-based) a role's data sits in. */
function roleColumn(segmentation: Segmentation, snapshot: TableSnapshot, role: RoleId): number {
  const column = segmentation.table.mapping[role];
  if (column === undefined) throw new Error(`No column is mapped to ${role}.`);
  return snapshot.origin.firstColumn + column;
}

/**
 * A table column as a structured reference, always in the double-bracket form: Excel requires it
 * when a header holds a space, period, comma, colon, bracket, # ' " { } $ ^ & * + = - > < or /
 * ("Oms. (kr.)"), and the characters ' # [ ] are escaped with an apostrophe ("Using structured
 * references with Excel tables", support.microsoft.com).
 */
export function structuredColumn(tableName: string, header: string): string {
  return `${tableName}[[${header.replace(/(['#[\]])/g, "'$1")}]]`;
}

/** A whole data column: a structured reference inside an Excel table, else an absolute range. */
function dataRange(segmentation: Segmentation, snapshot: TableSnapshot, role: RoleId): string {
  const column = segmentation.table.mapping[role]!;
  if (snapshot.excelTableName) return structuredColumn(snapshot.excelTableName, segmentation.table.headers[column]);
  const letter = columnLetter(roleColumn(segmentation, snapshot, role));
  const first = snapshot.origin.headerRow + 1;
  const last = snapshot.origin.headerRow + segmentation.table.rowCount;
  return `${quoteSheet(snapshot.sheetName)}!$${letter}$${first}:$${letter}$${last}`;
}

/**
 * How a model's columns are written when formulas are asked for; null when they get values (the
 * model has no formula of that kind, or values were asked for).
 */
interface LivePlan {
  kind: FormulaKind;
  /** Data rows (0-based) that get their values instead of formulas: inputs a formula would read differently. */
  valueRows: Set<number>;
}

/** Where the formulas of one model find its cuts and parameters: names, or absolute cells. */
interface LiveReferences {
  cuts: Record<string, string>;
  parameters: Record<string, string>;
}

/** The per-row builder of a model's segment formula of one kind. */
function segmentFormula(
  kind: FormulaKind, model: ModelDefinition, settings: ModelSettings, references: LiveReferences, table: CustomerTable, language: Language,
): RowFormula {
  // Ordinary formulas return the run's tier names (Guld, Tab, …), the text the values and colour rules use.
  if (kind === 'excel') return (roles) => model.excelFormula?.({ form: 'row', roles, ...references, settings, table, language }) ?? null;
  return (roles) => model.formula({ form: 'row', roles, cuts: references.cuts, parameters: references.parameters, settings, table });
}

/** The per-row builder of a metric's formula of one kind, or null when the metric has none; it may read the model's parameter cells. */
function metricFormula(kind: FormulaKind, metric: RowMetric, settings: ModelSettings, references?: LiveReferences): RowFormula | null {
  if (metric.format === 'text') return null;
  const build = kind === 'excel' ? metric.excelFormula : metric.formula;
  return build ? (roles) => build({ form: 'row', roles, cuts: {}, parameters: references?.parameters, settings }) : null;
}

/**
 * Whether a model whose segments are values still has a live metric column that reads its
 * parameter cells (P(alive) over the fitted r, alpha, a, b), so those cells are written.
 */
function metricsReadParameters(result: ModelResult, options: PlanOptions): boolean {
  if (options.mode !== 'formulas' || !result.parameters?.length) return false;
  const kind = formulaKind(options);
  return result.metrics.some((metric) => metric.table && metric.format !== 'text' && (kind === 'excel' ? metric.excelFormula : metric.formula));
}

/** Placeholder references for every cut and parameter of a result: enough to ask a model whether it has a formula. */
function placeholderReferences(result: ModelResult): LiveReferences {
  return {
    cuts: Object.fromEntries(result.cuts.map((cut) => [cut.key, 'A1'])),
    parameters: Object.fromEntries((result.parameters ?? []).map((parameter) => [parameter.key, 'A1'])),
  };
}

/** Whether (and how) a model's segment column is live; see LivePlan. */
function livePlan(snapshot: TableSnapshot, segmentation: Segmentation, index: number, options: PlanOptions): LivePlan | null {
  const result = segmentation.results[index];
  // A run that read what no formula can (ABCD on potential estimated from twins) is written as values.
  if (options.mode !== 'formulas' || segmentation.table.rowCount === 0 || result.valuesOnly) return null;
  const kind = formulaKind(options);
  const settings = segmentation.settings[index];
  const build = segmentFormula(kind, getModel(result.modelId), settings, placeholderReferences(result), segmentation.table, options.language);
  if (build(rowReferences(snapshot, segmentation)(snapshot.origin.headerRow + 1)) === null) return null;
  // SegmentKit's functions read numbers typed as text as the engine does; ordinary formulas do not.
  if (kind === 'segmentkit') return { kind, valueRows: new Set() };
  const mapped = Object.keys(segmentation.table.mapping) as RoleId[];
  const builders = [build, ...result.metrics.filter((metric) => metric.table).map((metric) => metricFormula(kind, metric, settings))];
  const used = new Set(builders.flatMap((builder) => (builder ? rolesUsed(builder, mapped) : [])));
  return { kind, valueRows: new Set(rowsReadDifferently(segmentation.table, [...used])) };
}

/**
 * The columns written right of the table, model by model: the segment, the metrics the model puts
 * on the table (true margin, score, …) and, when asked, the reason for each row.
 */
function planColumns(
  snapshot: TableSnapshot, segmentation: Segmentation, options: PlanOptions, live: (LivePlan | null)[], references: Map<string, LiveReferences>,
): PlannedColumn[] {
  const taken = new Set([...snapshot.headers, ...(options.leadingColumns ?? []).map((column) => column.header)].map((header) => String(header ?? '').trim().toLowerCase()));
  // A header the user's table already has gets our name in brackets, so both stay findable.
  const free = (header: string) => {
    const name = taken.has(header.toLowerCase()) ? `${header} (SegmentKit)` : header;
    taken.add(name.toLowerCase());
    return name;
  };
  return segmentation.results.flatMap((result, index) => {
    const model = getModel(result.modelId);
    const settings = segmentation.settings[index];
    const segmentCells = segmentColumn(snapshot, segmentation, index, options, live[index], references.get(result.modelId));
    const columns = [{ ...segmentCells, header: free(segmentCells.header) }];
    for (const metric of result.metrics.filter((candidate) => candidate.table)) {
      const build = options.mode === 'formulas' ? metricFormula(formulaKind(options), metric, settings, references.get(result.modelId)) : null;
      columns.push({
        header: free(metric.label[options.language]),
        values: Array.from({ length: segmentation.table.rowCount }, (_, row) => metricCell(metric, row, options.language)),
        numberFormat: metricFormat(metric),
        rowFormula: build ? rowFormulaTemplate(snapshot, segmentation, build, live[index]?.valueRows) : undefined,
      });
    }
    if (options.reasons) {
      columns.push({
        header: free(segmentColumnHeader(model, options.language).replace(/^Segment/, TEXT.reason[options.language])),
        values: Array.from({ length: segmentation.table.rowCount }, (_, row) => result.explain(row)[options.language] || null),
      });
    }
    return columns;
  });
}

/** Stands for the sheet row number while a row formula template is built: a character no formula holds. */
const ROW_SLOT = '\u0000';

/**
 * The formula of every row as a template, with the rows in `valueRows` keeping their value;
 * undefined, which writes values, when the formula cannot be written (a role it needs is not
 * mapped). The references differ from row to row only in the row number, so one build with a
 * placeholder row number is every row's formula.
 */
function rowFormulaTemplate(snapshot: TableSnapshot, segmentation: Segmentation, build: RowFormula, valueRows?: Set<number>): RowFormulaTemplate | undefined {
  const formula = build(rowReferences(snapshot, segmentation)(ROW_SLOT));
  if (formula === null) return undefined;
  return {
    parts: formula.split(ROW_SLOT),
    firstSheetRow: snapshot.origin.headerRow + 1,
    valueRows: [...(valueRows ?? [])].sort((a, b) => a - b),
  };
}

/**
 * The cell references of one sheet row, one per mapped role ("D5", "E5", …). The column letters
 * are worked out once; each row only adds its number.
 */
function rowReferences(snapshot: TableSnapshot, segmentation: Segmentation): (sheetRow: number | string) => Partial<Record<RoleId, string>> {
  const letters = Object.keys(segmentation.table.mapping).map((role) => [role, columnLetter(roleColumn(segmentation, snapshot, role as RoleId))]);
  return (sheetRow) => Object.fromEntries(letters.map(([role, letter]) => [role, `${letter}${sheetRow}`]));
}

/** The role references a formula may use, one per mapped role. */
function roleReferences(segmentation: Segmentation, reference: (role: RoleId) => string): Partial<Record<RoleId, string>> {
  return Object.fromEntries(Object.keys(segmentation.table.mapping).map((role) => [role, reference(role as RoleId)]));
}

function segmentColumn(
  snapshot: TableSnapshot,
  segmentation: Segmentation,
  index: number,
  options: PlanOptions,
  live: LivePlan | null,
  references: LiveReferences | undefined,
): PlannedColumn {
  const result = segmentation.results[index];
  const settings = segmentation.settings[index];
  const model = getModel(result.modelId);
  // The tier names of a language: the text the cells hold, the formulas return and the colour rules match.
  const column = (language: Language): PlannedColumn => {
    const names = model.tiers.map((tier) => tierName(tier, language));
    return {
      header: segmentColumnHeader(model, options.language),
      values: Array.from(result.tiers, (tier) => (tier < 0 ? null : names[tier])),
      tierColors: tierColors(model, language),
    };
  };
  if (!live || !references) return column(options.language);
  // SegmentKit's functions return the stable English tier ids in every language (a colleague's
  // Excel would recalculate Danish names into English), so their cells and colour rules are English.
  const functionsWritten = live.kind === 'segmentkit' ? column('en') : column(options.language);
  // SegmentKit's functions can fill a plain range from one cell; a single row takes the per-row
  // form, since the functions read a single cell's extra arguments as cut values.
  if (live.kind === 'segmentkit' && options.spill !== false && !snapshot.excelTableName && segmentation.table.rowCount > 1) {
    const spill = model.formula({ form: 'spill', roles: roleReferences(segmentation, (role) => dataRange(segmentation, snapshot, role)), cuts: references.cuts, settings });
    if (spill) return { ...functionsWritten, spillFormula: spill };
  }
  const formulas = rowFormulaTemplate(snapshot, segmentation, segmentFormula(live.kind, model, settings, references, segmentation.table, options.language), live.valueRows);
  return formulas ? { ...functionsWritten, rowFormula: formulas } : column(options.language);
}

function formatLevel(spec: CutSpec): number {
  return spec.level;
}

const DATE_FORMAT = 'yyyy-mm-dd';

/**
 * The Summary sheet; where each model's cuts and parameters sit on it (by name for ordinary
 * formulas, by cell for SegmentKit's), so formulas can point at them; and the names to define.
 */
function buildSummarySheet(
  snapshot: TableSnapshot, segmentation: Segmentation, options: PlanOptions, live: (LivePlan | null)[], sheetNames: Partial<Record<SheetPurpose, string>>,
) {
  const name = sheetNames.summary!;
  const { language } = options;
  const { table } = segmentation;
  const t = (text: Localized) => text[language];
  const runDate = options.runDate ?? todaySerial();
  const sheet: PlannedSheet = {
    purpose: 'summary', name, rows: [], formulas: [], boldRows: [], columnWidths: [22, 44, 12, 16, 18, 16, 60],
    numberFormats: [], tierColorRanges: [], charts: [], frozenRows: 0,
  };
  const references = new Map<string, LiveReferences>();
  const definedNames: DefinedName[] = [];
  const add = (row: PlanCell[], bold = false) => {
    if (bold) sheet.boldRows.push(sheet.rows.length);
    sheet.rows.push(row);
    return sheet.rows.length - 1;
  };
  add([t(TEXT.title)], true);
  add([t(TEXT.customers), customerCount(table)]);
  add([t(TEXT.problems), new Set(table.problems.map((problem) => problem.row)).size]);
  segmentation.results.forEach((result, index) => {
    const model = getModel(result.modelId);
    const modelLive = live[index];
    const named = modelLive?.kind === 'excel';
    add([]);
    add([t(model.name)], true);
    const header = add([t(TEXT.segment), t(TEXT.meaning), t(TEXT.customers), t(TEXT.revenue), t(TEXT.share), t(TEXT.margin), t(TEXT.action)], true);
    const lines = summarize(table, model, result);
    for (const line of lines) {
      const tier = line.tierIndex >= 0 ? model.tiers[line.tierIndex] : null;
      add([
        tier ? tierName(tier, language) : '', tier ? t(tier.label) : t(TEXT.noSegment), line.customers, numberOrNull(line.revenue), numberOrNull(line.revenueShare),
        numberOrNull(line.margin), tier ? t(tier.action) : '',
      ]);
    }
    const first = header + 1;
    const last = header + lines.length;
    sheet.tierColorRanges.push({ column: 0, fromRow: first, toRow: last, colors: tierColors(model, language) });
    sheet.numberFormats.push({ column: 3, fromRow: first, toRow: last, format: NUMBER_FORMAT });
    sheet.numberFormats.push({ column: 4, fromRow: first, toRow: last, format: PERCENT_FORMAT });
    sheet.numberFormats.push({ column: 5, fromRow: first, toRow: last, format: NUMBER_FORMAT });
    const tierLines = lines.filter((line) => line.tierIndex >= 0).length;
    sheet.charts.push({
      title: `${t(model.name)}: ${t(TEXT.chart)}`, fromRow: first, toRow: first + tierLines - 1,
      categoryColumn: 0, valueColumn: 4, seriesName: t(TEXT.share), anchorRow: header, anchorColumn: 8,
    });
    // Parameter cells (the day ages count to, …) for either kind of formula: they read them instead of TODAY().
    const ownSheet = OWN_SHEET[result.modelId] ? sheetNames[OWN_SHEET[result.modelId]!] : undefined;
    const parameters = !ownSheet && (modelLive || metricsReadParameters(result, options)) ? result.parameters ?? [] : [];
    if (result.cuts.length + parameters.length > 0) {
      add([]);
      // A column for the cuts a run of tied values moved, only when one did.
      const tieColumn = result.cuts.some((cut) => cut.tie) ? [t(TEXT.tie)] : [];
      add([t(TEXT.cut), t(TEXT.method), t(TEXT.level), t(TEXT.value), t(TEXT.computed), ...tieColumn], true);
    }
    const cells: LiveReferences = { cuts: {}, parameters: {} };
    // A cell the formulas read: by a workbook name for ordinary formulas, by its address for SegmentKit's.
    const reference = (key: string, row: number) => {
      const ref = absoluteCell(name, row, 3);
      if (!named) return ref;
      const defined = cellName(model.columnHeader, key);
      definedNames.push({ name: defined, ref });
      return defined;
    };
    for (const cut of result.cuts) {
      const row = add([t(cut.label), t(METHOD_NAMES[cut.spec.method]), formatLevel(cut.spec), Number.isFinite(cut.value) ? cut.value : null, runDate, ...(cut.tie ? [t(cut.tie)] : [])]);
      cells.cuts[cut.key] = reference(cut.key, row);
      sheet.numberFormats.push({ column: 3, fromRow: row, toRow: row, format: Math.abs(cut.value) >= 100 ? NUMBER_FORMAT : '0.00' });
      sheet.numberFormats.push({ column: 4, fromRow: row, toRow: row, format: DATE_FORMAT });
      // SegmentKit's cuts follow the data through SEGMENT.CUTOFF, where the cut is on a column as it stands.
      const role = cutRole(model, cut.key, result);
      if (modelLive?.kind === 'segmentkit' && cut.spec.method !== 'value' && role && segmentation.table.mapping[role] !== undefined) {
        sheet.formulas.push({ row, column: 3, formula: segmentkitCall(CUTOFF_FUNCTION, [dataRange(segmentation, snapshot, role), `"${cut.spec.method}"`, cut.spec.level]) });
      }
    }
    const addresses: Record<string, string> = {};
    const parameterRows = parameters.map((parameter) => {
      const row = add([t(parameter.label), '', '', parameter.value]);
      cells.parameters[parameter.key] = reference(parameter.key, row);
      addresses[parameter.key] = `$D$${row + 1}`;
      sheet.numberFormats.push({ column: 3, fromRow: row, toRow: row, format: parameter.format === 'date' ? DATE_FORMAT : 'General' });
      return row;
    });
    // A worked-out parameter reads the others' cells by address, as the names may be defined after the sheet is written.
    parameters.forEach((parameter, k) => {
      if (parameter.formula) sheet.formulas.push({ row: parameterRows[k], column: 3, formula: parameter.formula(addresses) });
    });
    let chartsEnd = header + 16;
    if (ownSheet) {
      add([]);
      add([t(ownSheetPointer(ownSheet, result.modelId))]);
    } else for (const table of result.tables ?? []) chartsEnd = Math.max(chartsEnd, addResultTable(sheet, table, language));
    references.set(result.modelId, cells);
    // What the model read and took as absent first: the rest of the notes rest on it.
    const notes = [...inputsNotes(result.inputs), ...result.notes, ...liveNotes(result.valuesOnly ?? model.valuesOnly, modelLive, options, Object.values({ ...cells.cuts, ...cells.parameters }), snapshot.origin.headerRow)];
    if (notes.length > 0) {
      add([]);
      add([t(TEXT.notes)], true);
      for (const note of notes) add([t(note)]);
    }
    // Keep the next block below the charts, which are about fifteen rows tall.
    while (sheet.rows.length < chartsEnd) add([]);
  });
  // A chosen model the table cannot support is named with the column it lacks, never dropped silently.
  for (const { modelId, why } of segmentation.leftOut ?? []) {
    add([]);
    add([t(getModel(modelId).name)], true);
    add([`${t(TEXT.notRun)}: ${t(why)}; ${t(TEXT.mapToRun)}.`]);
  }
  return { sheet, references, definedNames };
}

/** The line on the Summary that sends the reader to a model's own sheet for its fit. */
function ownSheetPointer(sheet: string, modelId: string): Localized {
  if (modelId === 'clusters') {
    return {
      en: `Each cluster's name, size, shares, feature means against the whole table and what sets it apart, and the choice of k, are on the sheet "${sheet}".`,
      da: `Hver klynges navn, størrelse, andele, gennemsnit af kendetegnene mod hele tabellen og det, der adskiller den, samt valget af k, står på arket "${sheet}".`,
    };
  }
  return {
    en: `The fit (every parameter, labelled), the holdout check and its chart are on the sheet "${sheet}".`,
    da: `Estimationen (alle parametre med navn), holdout-tjekket og dets diagram står på arket "${sheet}".`,
  };
}

/**
 * A model's small table (ResultTable) on the Summary or its own sheet: a blank row, its title, the header and the
 * rows, numbers with their column's decimals; its line chart, if any, beside it from the title row.
 * @returns the row below the chart (or the table), which the next model's block must start at or after
 */
export function addResultTable(sheet: PlannedSheet, table: ResultTable, language: Language): number {
  const t = (text: Localized) => text[language];
  sheet.rows.push([]);
  const title = sheet.rows.length;
  sheet.rows.push([t(table.title)]);
  sheet.boldRows.push(title, title + 1);
  sheet.rows.push(table.columns.map((column) => t(column.label)));
  for (const row of table.rows) sheet.rows.push(row.map((cell) => (typeof cell === 'number' ? (Number.isNaN(cell) ? null : cell) : t(cell))));
  const first = title + 2;
  const last = first + table.rows.length - 1;
  table.columns.forEach((column, index) => {
    if (index > 0) sheet.numberFormats.push({ column: index, fromRow: first, toRow: last, format: column.decimals > 0 ? `#,##0.${'0'.repeat(column.decimals)}` : NUMBER_FORMAT });
  });
  const chart = table.lineChart;
  if (!chart || chart.columns.length === 0) return last + 1;
  const [firstColumn, ...others] = chart.columns;
  sheet.charts.push({
    title: t(chart.title), kind: 'line', fromRow: first, toRow: first + chart.rows - 1, categoryColumn: 0,
    valueColumn: firstColumn, seriesName: t(table.columns[firstColumn].label),
    moreSeries: others.map((column) => ({ valueColumn: column, seriesName: t(table.columns[column].label) })),
    anchorRow: title, anchorColumn: 8,
  });
  return Math.max(last + 1, title + 16);
}

/**
 * The recommendation rule written out at the end of the Summary: one line per rule that applies
 * (its order, condition, customers decided, priority, action), then the fallback, in the run's language.
 */
function addRuleTable(sheet: PlannedSheet, recommendations: Recommendations, language: Language): void {
  const t = (text: Localized) => text[language];
  const add = (row: PlanCell[], bold = false) => {
    if (bold) sheet.boldRows.push(sheet.rows.length);
    sheet.rows.push(row);
  };
  add([]);
  add([t(TEXT.ruleTitle)], true);
  add([t(TEXT.ruleHow)]);
  add([t(TEXT.order), t(TEXT.condition), t(TEXT.customers), t(TEXT.priority), t(TEXT.action)], true);
  let order = 0;
  recommendations.rules.forEach((rule, r) => {
    // -1: the rule's model was not run (or the table lacks its column); a column rule that applies is DECIDED_BY_COLUMN.
    if (recommendations.ruleResult[r] === -1) return;
    add([++order, ruleCondition(rule, language), recommendations.counts[r], rule.priority, t(rule.action)]);
  });
  add([++order, t(TEXT.otherwise), recommendations.fallbackCount, null, t(TEXT.ownAction)]);
  if (recommendations.noActionCount > 0) add([null, t(TEXT.noAction), recommendations.noActionCount, null, null]);
}

/** What the Summary says about how a model's columns were written when formulas were asked for. */
function liveNotes(valuesOnly: Localized | undefined, live: LivePlan | null, options: PlanOptions, names: string[], headerRow: number): Localized[] {
  if (options.mode !== 'formulas') return [];
  if (!live) {
    return [valuesOnly ?? {
      en: 'This model\'s segments are written as values: it has no formula of the kind chosen.',
      da: 'Modellens segmenter er skrevet som værdier: den har ingen formel af den valgte slags.',
    }];
  }
  if (live.kind === 'segmentkit') return [];
  const notes: Localized[] = [{
    en: `Live: each segment is an ordinary formula comparing its row with the cells above${names.length ? ` (named ${names.join(', ')})` : ''}. Type another value in a cut and the segments and colours follow; the counts on this sheet and the Priority sheet stay as the run computed them.`,
    da: `Levende: hvert segment er en almindelig formel, der sammenligner rækken med cellerne ovenfor${names.length ? ` (navngivet ${names.join(', ')})` : ''}. Skriv en anden værdi i en skæring, så følger segmenterne og farverne med; tallene på dette ark og på Prioritet-arket forbliver som kørslen beregnede dem.`,
  }];
  if (live.valueRows.size > 0) notes.push(valueRowsNote([...live.valueRows].map((row) => headerRow + 1 + row)));
  return notes;
}

function cutRole(model: ModelDefinition, key: string, result: ModelResult): RoleId | undefined {
  const setting = model.settings.find((candidate) => candidate.key === key);
  if (setting?.kind !== 'cut') throw new Error(`${model.id} has no cut ${key}.`);
  // A cut on the model's measure follows the measure the user chose (revenue or margin).
  return setting.role === 'revenue' && model.inputs.length === 1 ? result.measure : setting.role;
}

/**
 * One row per customer with one recommended action, decided by the rule over every chosen model
 * (engine/recommend.ts), and the model and tier that decided it. Sorted per account manager by the
 * rule's priority (a loss to stop before a Fix to repair before growth …), then by rule, so rows
 * with the same action stand together, then by the deciding model's own order within its tier
 * (the biggest loss, the largest potential gap, …), larger first. The rule comes before the
 * within-tier order because the orders of different models are in different units (a loss in
 * kroner, a score in points) and cannot be compared with each other.
 */
function buildPrioritySheet(segmentation: Segmentation, recommendations: Recommendations, language: Language, name: string): PlannedSheet {
  const { table, results } = segmentation;
  const t = (text: Localized) => text[language];
  const models = results.map((result) => getModel(result.modelId));
  const owner = table.texts.owner;
  const revenue = table.numbers.revenue;
  const potential = table.numbers.potential;
  const gap = (i: number) => (revenue && potential && !Number.isNaN(potential[i]) && !Number.isNaN(revenue[i]) ? potential[i] - revenue[i] : NaN);
  const noOwner = t(TEXT.noOwner);
  const ownerOf = (i: number) => owner?.[i] || noOwner;
  // The sort keys are worked out once per row, so a million rows compare numbers, not closures.
  const ownerRank = ownerRanks(table.rowCount, ownerOf, language);
  const rulePriority = new Int32Array(table.rowCount);
  const withinTier = new Float64Array(table.rowCount);
  const ruleOrder = recommendations.rule;
  for (let i = 0; i < table.rowCount; i++) {
    rulePriority[i] = recommendationPriority(recommendations, i);
    const decider = recommendations.decidedBy[i];
    // A loss the margin column decided: the biggest loss first.
    withinTier[i] = decider === DECIDED_BY_COLUMN ? -table.numbers.margin![i] : decider < 0 ? -Infinity : nanLast(results[decider].priorityWithinTier(i));
  }
  // The fallback (-1) sorts after every rule of its priority.
  const ruleRank = (i: number) => (ruleOrder[i] < 0 ? RECOMMENDATION_RULES.length : ruleOrder[i]);
  // A blank line inside the table is not a customer: it has no place on the list.
  const order: number[] = [];
  for (let i = 0; i < table.rowCount; i++) if (!isBlankRow(table, i)) order.push(i);
  order.sort((a, b) => ownerRank[a] - ownerRank[b] || rulePriority[a] - rulePriority[b] || ruleRank(a) - ruleRank(b) || withinTier[b] - withinTier[a] || a - b);

  const allMetrics = results.flatMap((result) => result.metrics);
  const utilization = allMetrics.find((metric) => metric.key === 'utilization');
  // Metrics for the Priority sheet (terms, score, true margin), each once even when two models give it.
  const extra = allMetrics.filter((metric, index) => metric.priority && allMetrics.findIndex((other) => other.key === metric.key) === index);
  const header: PlanCell[] = [t(TEXT.owner), t(TEXT.id), t(TEXT.name), ...models.map((model) => segmentColumnHeader(model, language)), t(TEXT.priority),
    t(TEXT.revenue), t(TEXT.potential), t(TEXT.gap), t(TEXT.utilization), t(TEXT.action), t(TEXT.decidedBy), ...extra.map((metric) => t(metric.label)), t(TEXT.why)];
  const rows: PlanCell[][] = [header];
  let rank = 0;
  let previousOwner: string | null = null;
  for (const i of order) {
    const rowOwner = ownerOf(i);
    rank = rowOwner === previousOwner ? rank + 1 : 1;
    previousOwner = rowOwner;
    const decider = recommendations.decidedBy[i];
    const action = recommendedAction(recommendations, segmentation, i);
    // Filled cell by cell: a million rows built with spreads make a million throwaway arrays.
    const row: PlanCell[] = new Array(header.length);
    let c = 0;
    row[c++] = rowOwner;
    row[c++] = table.texts.id?.[i] ?? '';
    row[c++] = table.texts.name?.[i] ?? '';
    for (let m = 0; m < results.length; m++) row[c++] = tierLabel(models[m], results[m].tiers[i], language) || null;
    row[c++] = rank;
    row[c++] = numberOrNull(revenue?.[i]);
    row[c++] = numberOrNull(potential?.[i]);
    row[c++] = numberOrNull(gap(i));
    row[c++] = utilization ? metricCell(utilization, i, language) : null;
    row[c++] = action ? t(action) : '';
    row[c++] = decidedByText(recommendations, segmentation, i, language) || null;
    for (const metric of extra) row[c++] = metricCell(metric, i, language);
    // Why the deciding model put the row where it did, the reason for the action beside it; without
    // one, the first model's text says which input was missing.
    row[c] = results[Math.max(decider, 0)].explain(i)[language] || null;
    rows.push(row);
  }
  const segmentStart = 3;
  const after = segmentStart + models.length;
  const last = rows.length - 1;
  // The terms, score and other extras stand between the recommended action (and what decided it) and Why, the last column.
  const extraStart = header.length - 1 - extra.length;
  const sheet: PlannedSheet = {
    purpose: 'priority', name, rows, formulas: [], boldRows: [0],
    columnWidths: [22, 14, 30, ...models.map(() => 16), 10, 14, 14, 14, 12, 60, 30, ...extra.map((metric) => (metric.format === 'text' ? 22 : 14)), 70],
    numberFormats: [
      { column: after + 1, fromRow: 1, toRow: last, format: NUMBER_FORMAT },
      { column: after + 2, fromRow: 1, toRow: last, format: NUMBER_FORMAT },
      { column: after + 3, fromRow: 1, toRow: last, format: NUMBER_FORMAT },
      { column: after + 4, fromRow: 1, toRow: last, format: PERCENT_FORMAT },
      ...extra.flatMap((metric, k) => {
        const format = metricFormat(metric);
        return format ? [{ column: extraStart + k, fromRow: 1, toRow: last, format }] : [];
      }),
    ],
    tierColorRanges: models.map((model, m) => ({
      column: segmentStart + m, fromRow: 1, toRow: last, colors: tierColors(model, language),
    })),
    charts: [],
    frozenRows: 1,
  };
  const scoreIndex = results.findIndex((result) => result.modelId === 'score');
  if (scoreIndex >= 0) scoreLists(sheet, segmentation, scoreIndex, language, header.length + 1);
  return sheet;
}

/** Each row's owner as its place in the owners' alphabetical order (Danish or English). */
function ownerRanks(rowCount: number, ownerOf: (row: number) => string, language: Language): Int32Array {
  const owners = new Set<string>();
  for (let i = 0; i < rowCount; i++) owners.add(ownerOf(i));
  const ranks = new Int32Array(rowCount);
  // One owner (often none at all) has nothing to sort, and a collator's first use loads ICU's data (8 ms).
  if (owners.size <= 1) return ranks;
  const collator = new Intl.Collator(language === 'da' ? 'da' : 'en');
  const rank = new Map([...owners].sort(collator.compare).map((name, index) => [name, index]));
  for (let i = 0; i < rowCount; i++) ranks[i] = rank.get(ownerOf(i))!;
  return ranks;
}

function nanLast(value: number): number {
  return Number.isNaN(value) ? -Infinity : value;
}

export function numberOrNull(value: number | undefined): number | null {
  return value === undefined || Number.isNaN(value) ? null : value;
}

/** A customer table that is on no sheet yet (made from a transaction log): its headers, rows and each column's number format. */
export interface NewTable {
  headers: string[];
  rows: PlanCell[][];
  numberFormats: (string | undefined)[];
}

/**
 * The plan for a customer table that SegmentKit made (one row per customer of a transaction log):
 * the table and the models' columns, as values, go on a sheet of their own (Customers / Kunder),
 * beside Priority and Summary; the log's sheet (`logSnapshot`) keeps every cell it has.
 */
export function buildNewTablePlan(logSnapshot: TableSnapshot, table: NewTable, segmentation: Segmentation, options: PlanOptions): WritePlan {
  const name = chooseSheetNames(logSnapshot, options.language, ['customers']).customers!;
  const snapshot: TableSnapshot = {
    sheetName: name, origin: { headerRow: 1, firstColumn: 0 }, headers: table.headers, rows: [], marker: logSnapshot.marker,
    sheetNames: [...logSnapshot.sheetNames, name],
  };
  // Ordinary formulas are written on the Customers sheet (over its own columns and the parameter
  // cells); SegmentKit's functions are not, since a spill cannot fill cells that hold values.
  const live = options.mode === 'formulas' && formulaKind(options) === 'excel';
  const plan = buildPlan(snapshot, segmentation, live ? options : { ...options, mode: 'values' });
  const width = table.headers.length;
  const rows: PlanCell[][] = [[...table.headers, ...plan.columns.map((column) => column.header)]];
  table.rows.forEach((row, i) => {
    const cells = row.slice(0, width);
    for (const column of plan.columns) cells.push(column.values[i] ?? null);
    rows.push(cells);
  });
  const last = rows.length - 1;
  const formats = [...table.numberFormats, ...plan.columns.map((column) => column.numberFormat)];
  const sheet: PlannedSheet = {
    purpose: 'customers', name, rows, formulas: [], boldRows: [0],
    columnWidths: rows[0].map((header) => Math.max(12, String(header).length + 2)),
    numberFormats: formats.flatMap((format, column) => (format && last > 0 ? [{ column, fromRow: 1, toRow: last, format }] : [])),
    tierColorRanges: plan.columns.flatMap((column, k) => (column.tierColors && last > 0 ? [{ column: width + k, fromRow: 1, toRow: last, colors: column.tierColors }] : [])),
    charts: [], frozenRows: 1,
    liveColumns: plan.columns.flatMap((column, k) => (column.rowFormula ? [{ column: width + k, planned: column }] : [])),
  };
  return {
    ...plan,
    sheetName: logSnapshot.sheetName,
    headerRow: logSnapshot.origin.headerRow,
    firstColumn: logSnapshot.origin.firstColumn,
    tableColumnCount: logSnapshot.headers.length,
    excelTableName: logSnapshot.excelTableName,
    columns: [],
    sheets: [sheet, ...plan.sheets],
    marker: { ...plan.marker, tableSheet: logSnapshot.sheetName, columns: [], sheets: { ...plan.marker.sheets, customers: name } },
  };
}
