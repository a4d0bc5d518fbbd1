import {
  columnLetter, getModel, summarize, tierLabel,
  type CutSpec, type Language, type Localized, type ModelDefinition, type ModelSettings, type ModelResult, type RoleId, type Segmentation,
} from '../engine';
import { MARKER_VERSION, type MarkerState } from './marker';
import type { TableSnapshot } from './port';

/** What a plan puts in a cell: text, a number, or nothing. */
export type PlanCell = string | number | null;

/** A conditional-format rule: cells equal to `value` get this fill and font color. */
export interface TierColor {
  value: string;
  fill: string;
  font: string;
}

/** A segment column written to the right of the customer table. */
export interface PlannedColumn {
  header: string;
  /** The computed value of every data row: what values mode writes and what a formula yields. */
  values: PlanCell[];
  /** Values mode leaves both out. Per-row formulas, one per data row, without the leading '='. */
  rowFormulas?: string[];
  /** One formula in the first data cell that spills down the column, without the leading '='. */
  spillFormula?: string;
  numberFormat?: string;
  tierColors?: TierColor[];
}

/** A formula placed in a sheet cell (0-based row and column), replacing the value there. */
export interface PlannedFormula {
  row: number;
  column: number;
  formula: string;
}

export interface ChartSpec {
  title: string;
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
  purpose: 'priority' | 'summary';
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
  language: Language;
  columns: PlannedColumn[];
  sheets: PlannedSheet[];
  marker: MarkerState;
}

export interface PlanOptions {
  mode: 'formulas' | 'values';
  language: Language;
  /** Whether a plain range may get one spilled formula per column; .xlsx files cannot hold them. */
  spill?: boolean;
  /** Adds a "Reason" column per model next to its segment column: why each row got its segment. */
  reasons?: boolean;
}

const SHEET_NAMES: Record<'priority' | 'summary', Localized> = {
  priority: { en: 'Priority', da: 'Prioritet' },
  summary: { en: 'Summary', da: 'Oversigt' },
};

const TEXT = {
  owner: { en: 'Account manager', da: 'Kundeansvarlig' },
  id: { en: 'Customer ID', da: 'Kundenr.' },
  name: { en: 'Customer', da: 'Kunde' },
  priority: { en: 'Priority', da: 'Prioritet' },
  revenue: { en: 'Revenue', da: 'Omsætning' },
  potential: { en: 'Potential', da: 'Potentiale' },
  gap: { en: 'Potential gap', da: 'Potentialegab' },
  utilization: { en: 'Utilization', da: 'Udnyttelse' },
  action: { en: 'Recommended action', da: 'Anbefalet handling' },
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
} satisfies Record<string, Localized>;

const METHOD_NAMES: Record<CutSpec['method'], Localized> = {
  pareto: { en: 'Pareto share', da: 'Pareto-andel' },
  quantile: { en: 'Quantile', da: 'Kvantil' },
  value: { en: 'Value', da: 'Værdi' },
};

const NUMBER_FORMAT = '#,##0';
const PERCENT_FORMAT = '0.0%';

/** Turns a segmentation into the plan both adapters execute. */
export function buildPlan(snapshot: TableSnapshot, segmentation: Segmentation, options: PlanOptions): WritePlan {
  const { language } = options;
  const sheetNames = chooseSheetNames(snapshot, language);
  const summary = buildSummarySheet(snapshot, segmentation, options, sheetNames.summary);
  const columns = segmentation.results.map((result) => segmentColumn(snapshot, segmentation, result, options, summary.cutCells));
  const priority = buildPrioritySheet(segmentation, language, sheetNames.priority);
  return {
    sheetName: snapshot.sheetName,
    headerRow: snapshot.origin.headerRow,
    firstColumn: snapshot.origin.firstColumn,
    rowCount: segmentation.table.rowCount,
    tableColumnCount: snapshot.headers.length,
    excelTableName: snapshot.excelTableName,
    mode: options.mode,
    language,
    columns,
    sheets: [priority, summary.sheet],
    marker: {
      version: MARKER_VERSION,
      tableSheet: snapshot.sheetName,
      columns: columns.map((column) => column.header),
      sheets: { priority: sheetNames.priority, summary: sheetNames.summary },
    },
  };
}

/** Our own sheets keep their names; a new sheet never takes a name the user already has. */
function chooseSheetNames(snapshot: TableSnapshot, language: Language): Record<'priority' | 'summary', string> {
  const taken = new Set(snapshot.sheetNames.map((name) => name.toLowerCase()));
  const own = snapshot.marker?.sheets ?? {};
  for (const name of Object.values(own)) if (name) taken.delete(name.toLowerCase());
  const pick = (purpose: 'priority' | 'summary') => {
    const wanted = SHEET_NAMES[purpose][language];
    const previous = own[purpose];
    if (previous && previous.toLowerCase() === wanted.toLowerCase()) return previous;
    let name = wanted;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${wanted} (${n})`;
    taken.add(name.toLowerCase());
    return name;
  };
  return { priority: pick('priority'), summary: pick('summary') };
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

/** A whole data column: a structured reference inside an Excel table, else an absolute range. */
function dataRange(segmentation: Segmentation, snapshot: TableSnapshot, role: RoleId): string {
  const column = segmentation.table.mapping[role]!;
  if (snapshot.excelTableName) {
    const header = segmentation.table.headers[column].replace(/(['#[\]])/g, "'$1");
    return `${snapshot.excelTableName}[${header}]`;
  }
  const letter = columnLetter(roleColumn(segmentation, snapshot, role));
  const first = snapshot.origin.headerRow + 1;
  const last = snapshot.origin.headerRow + segmentation.table.rowCount;
  return `${quoteSheet(snapshot.sheetName)}!$${letter}$${first}:$${letter}$${last}`;
}

function segmentColumn(
  snapshot: TableSnapshot,
  segmentation: Segmentation,
  result: ModelResult,
  options: PlanOptions,
  cutCells: Map<string, Record<string, string>>,
): PlannedColumn {
  const model = getModel(result.modelId);
  const values = Array.from(result.tiers, (tier) => (tier < 0 ? null : model.tiers[tier].id));
  const column: PlannedColumn = {
    header: model.columnHeader,
    values,
    tierColors: model.tiers.map((tier) => ({ value: tier.id, fill: tier.fill, font: tier.font })),
  };
  if (options.mode === 'values') return column;
  const settings = segmentationSettings(result, model);
  const cuts = cutCells.get(result.modelId) ?? {};
  const roleRefs = (ref: (role: RoleId) => string) =>
    Object.fromEntries(Object.keys(segmentation.table.mapping).map((role) => [role, ref(role as RoleId)]));
  // One row takes the per-row form: the functions read a single cell's extra arguments as cut values.
  if (options.spill !== false && !snapshot.excelTableName && segmentation.table.rowCount > 1) {
    const spill = model.formula({ form: 'spill', roles: roleRefs((role) => dataRange(segmentation, snapshot, role)), cuts, settings });
    if (spill) return { ...column, spillFormula: spill };
  }
  const rowFormulas: string[] = new Array(segmentation.table.rowCount);
  for (let i = 0; i < segmentation.table.rowCount; i++) {
    const sheetRow = snapshot.origin.headerRow + 1 + i;
    const roles = roleRefs((role) => `${columnLetter(roleColumn(segmentation, snapshot, role))}${sheetRow}`);
    rowFormulas[i] = model.formula({ form: 'row', roles, cuts, settings }) ?? '';
  }
  return { ...column, rowFormulas };
}

/** The settings a result was computed with, rebuilt from its cuts (the rest are the defaults). */
function segmentationSettings(result: ModelResult, model: ModelDefinition): ModelSettings {
  const settings: ModelSettings = { ...model.defaults, measure: result.measure };
  for (const cut of result.cuts) settings[cut.key] = cut.spec;
  return settings;
}

function formatLevel(spec: CutSpec): number {
  return spec.level;
}

/** The Summary sheet, and where each model's cuts sit on it so formulas can point at them. */
function buildSummarySheet(snapshot: TableSnapshot, segmentation: Segmentation, options: PlanOptions, name: string) {
  const { language } = options;
  const { table } = segmentation;
  const t = (text: Localized) => text[language];
  const sheet: PlannedSheet = {
    purpose: 'summary', name, rows: [], formulas: [], boldRows: [], columnWidths: [22, 44, 12, 16, 18, 16, 60],
    numberFormats: [], tierColorRanges: [], charts: [], frozenRows: 0,
  };
  const cutCells = new Map<string, Record<string, string>>();
  const add = (row: PlanCell[], bold = false) => {
    if (bold) sheet.boldRows.push(sheet.rows.length);
    sheet.rows.push(row);
    return sheet.rows.length - 1;
  };
  add([t(TEXT.title)], true);
  add([t(TEXT.customers), table.rowCount]);
  add([t(TEXT.problems), new Set(table.problems.map((problem) => problem.row)).size]);
  for (const result of segmentation.results) {
    const model = getModel(result.modelId);
    add([]);
    add([t(model.name)], true);
    const header = add([t(TEXT.segment), t(TEXT.meaning), t(TEXT.customers), t(TEXT.revenue), t(TEXT.share), t(TEXT.margin), t(TEXT.action)], true);
    const lines = summarize(table, model, result);
    for (const line of lines) {
      const tier = line.tierIndex >= 0 ? model.tiers[line.tierIndex] : null;
      add([
        tier ? tier.id : '', tier ? t(tier.label) : t(TEXT.noSegment), line.customers, line.revenue, line.revenueShare,
        line.margin, tier ? t(tier.action) : '',
      ]);
    }
    const first = header + 1;
    const last = header + lines.length;
    sheet.tierColorRanges.push({ column: 0, fromRow: first, toRow: last, colors: model.tiers.map((tier) => ({ value: tier.id, fill: tier.fill, font: tier.font })) });
    sheet.numberFormats.push({ column: 3, fromRow: first, toRow: last, format: NUMBER_FORMAT });
    sheet.numberFormats.push({ column: 4, fromRow: first, toRow: last, format: PERCENT_FORMAT });
    sheet.numberFormats.push({ column: 5, fromRow: first, toRow: last, format: NUMBER_FORMAT });
    const tierLines = lines.filter((line) => line.tierIndex >= 0).length;
    sheet.charts.push({
      title: `${t(model.name)}: ${t(TEXT.chart)}`, fromRow: first, toRow: first + tierLines - 1,
      categoryColumn: 0, valueColumn: 4, seriesName: t(TEXT.share), anchorRow: header, anchorColumn: 8,
    });
    add([]);
    add([t(TEXT.cut), t(TEXT.method), t(TEXT.level), t(TEXT.value)], true);
    const cells: Record<string, string> = {};
    for (const cut of result.cuts) {
      const row = add([t(cut.label), t(METHOD_NAMES[cut.spec.method]), formatLevel(cut.spec), Number.isFinite(cut.value) ? cut.value : null]);
      cells[cut.key] = absoluteCell(name, row, 3);
      sheet.numberFormats.push({ column: 3, fromRow: row, toRow: row, format: NUMBER_FORMAT });
      if (options.mode === 'formulas') {
        const role = cutRole(model, cut.key, result);
        sheet.formulas.push({ row, column: 3, formula: `SEGMENT.CUT(${dataRange(segmentation, snapshot, role)},"${cut.spec.method}",${cut.spec.level})` });
      }
    }
    cutCells.set(result.modelId, cells);
    // Keep the next block below the chart, which is about fifteen rows tall.
    while (sheet.rows.length < header + 16) add([]);
  }
  return { sheet, cutCells };
}

function cutRole(model: ModelDefinition, key: string, result: ModelResult): RoleId {
  const setting = model.settings.find((candidate) => candidate.key === key);
  if (setting?.kind !== 'cut') throw new Error(`${model.id} has no cut ${key}.`);
  // A cut on the model's measure follows the measure the user chose (revenue or margin).
  return setting.role === 'revenue' && model.inputs.length === 1 ? result.measure : setting.role;
}

/** One row per customer, sorted per account manager by the first model's priority, then potential gap. */
function buildPrioritySheet(segmentation: Segmentation, language: Language, name: string): PlannedSheet {
  const { table, results } = segmentation;
  const t = (text: Localized) => text[language];
  const models = results.map((result) => getModel(result.modelId));
  const primary = results[0];
  const primaryModel = models[0];
  const owner = table.texts.owner;
  const revenue = table.numbers.revenue;
  const potential = table.numbers.potential;
  const gap = (i: number) => (revenue && potential && !Number.isNaN(potential[i]) && !Number.isNaN(revenue[i]) ? potential[i] - revenue[i] : NaN);
  const tierPriority = (i: number) => (primary.tiers[i] < 0 ? Number.MAX_SAFE_INTEGER : primaryModel.tiers[primary.tiers[i]].priority);
  const noOwner = t(TEXT.noOwner);
  const ownerOf = (i: number) => owner?.[i] || noOwner;
  const order = Array.from({ length: table.rowCount }, (_, i) => i);
  const collator = new Intl.Collator(language === 'da' ? 'da' : 'en');
  // Within a tier the primary model decides (potential gap for ABCD, revenue for Pareto, …).
  const withinTier = (a: number, b: number) => nanLast(primary.priorityWithinTier(b)) - nanLast(primary.priorityWithinTier(a)) || a - b;
  order.sort((a, b) => collator.compare(ownerOf(a), ownerOf(b)) || tierPriority(a) - tierPriority(b) || withinTier(a, b));

  const utilization = results.flatMap((result) => result.metrics).find((metric) => metric.key === 'utilization');
  const header: PlanCell[] = [t(TEXT.owner), t(TEXT.id), t(TEXT.name), ...models.map((model) => model.columnHeader), t(TEXT.priority),
    t(TEXT.revenue), t(TEXT.potential), t(TEXT.gap), t(TEXT.utilization), t(TEXT.action)];
  const rows: PlanCell[][] = [header];
  let rank = 0;
  let previousOwner: string | null = null;
  for (const i of order) {
    const rowOwner = ownerOf(i);
    rank = rowOwner === previousOwner ? rank + 1 : 1;
    previousOwner = rowOwner;
    const tier = primary.tiers[i];
    rows.push([
      rowOwner, table.texts.id?.[i] ?? '', table.texts.name?.[i] ?? '',
      ...results.map((result, m) => tierLabel(models[m], result.tiers[i]) || null),
      rank, numberOrNull(revenue?.[i]), numberOrNull(potential?.[i]), numberOrNull(gap(i)), numberOrNull(utilization?.values[i]),
      tier < 0 ? '' : t(primaryModel.tiers[tier].action),
    ]);
  }
  const segmentStart = 3;
  const after = segmentStart + models.length;
  const last = rows.length - 1;
  return {
    purpose: 'priority', name, rows, formulas: [], boldRows: [0],
    columnWidths: [22, 14, 30, ...models.map(() => 16), 10, 14, 14, 14, 12, 60],
    numberFormats: [
      { column: after + 1, fromRow: 1, toRow: last, format: NUMBER_FORMAT },
      { column: after + 2, fromRow: 1, toRow: last, format: NUMBER_FORMAT },
      { column: after + 3, fromRow: 1, toRow: last, format: NUMBER_FORMAT },
      { column: after + 4, fromRow: 1, toRow: last, format: PERCENT_FORMAT },
    ],
    tierColorRanges: models.map((model, m) => ({
      column: segmentStart + m, fromRow: 1, toRow: last, colors: model.tiers.map((tier) => ({ value: tier.id, fill: tier.fill, font: tier.font })),
    })),
    charts: [],
    frozenRows: 1,
  };
}

function nanLast(value: number): number {
  return Number.isNaN(value) ? -Infinity : value;
}

function numberOrNull(value: number | undefined): number | null {
  return value === undefined || Number.isNaN(value) ? null : value;
}
