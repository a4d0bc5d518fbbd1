import { cutAt, isHigh, usedCut } from '../cuts';
import { cutSetting, settingLabel, formatAmount, formatNumber, numberSetting, tieAside, type InputsUsed, type ModelDefinition, type ModelSettings } from '../model';
import { PALETTE } from '../palette';
import { normalizeHeader, roleDefinition, type RoleId } from '../roles';
import { percentileRanks, ranksDescending } from '../stats';
import { isBlankRow, numbersOfColumn, type CustomerTable } from '../table';
import { lazyLocalized, type Language, type Localized } from '../types';
import {
  afterCostToServe, DEFAULT_HOURLY_RATE, HOURLY_RATE_SETTING, MARGIN_COST_ROLES, marginBasis, marginInputs, servingCostsMissing, trueMargin,
} from './margin';
import { shareOfWallet } from './quadrant';

/**
 * The deep-dive rating: a tree of factors (up to three levels) with weights. Each leaf is a column
 * of the table, higher-is-better or lower-is-better, put on 0–1 by its scale (percentile rank by
 * default, or the data's min–max, or a fixed range); weights are normalized among siblings and
 * multiplied down the tree; the total is 0–100. Top 10 %, the next 30 % and the rest become tiers.
 */

/**
 * Where a leaf's numbers come from: "role:revenue" (the column mapped to a role), "column:Header"
 * (any column by its header) or "computed:trueMargin" (the true margin after cost to serve).
 */
export type FactorSource = string;

/**
 * How a leaf's numbers become a position from 0 (worst) to 1 (best):
 * - 'rank': the percentile rank among the customers (stats.ts percentileRanks): robust to skew,
 *   one huge customer does not squeeze everyone else towards 0;
 * - 'minmax': the place between the lowest and highest value in the data;
 * - 'fixed': the place between the leaf's min and max (an end left empty is the data's own),
 *   clamped to the range.
 */
export type LeafScale = 'rank' | 'minmax' | 'fixed';
export const LEAF_SCALES: readonly LeafScale[] = ['rank', 'minmax', 'fixed'];
export const DEFAULT_LEAF_SCALE: LeafScale = 'rank';

/** A factor: a group of factors (children) or a leaf (source). Plain data, stored in the workbook. */
export type FactorNode = {
  id: string;
  name: string;
  weight: number;
  children?: FactorNode[];
  source?: FactorSource;
  direction?: 'higher' | 'lower';
  /** A leaf's scale; see leafScale for a tree stored before scales had a name. */
  scale?: LeafScale;
  /** The ends of a 'fixed' scale; null for the data's own lowest or highest value. */
  min?: number | null;
  max?: number | null;
};

/**
 * A leaf's scale. Trees stored before the scale was a field of its own (SegmentKit 0.1) had only
 * min and max: a leaf with a number in either meant that fixed scale, and one without meant the
 * data's min–max, which the percentile rank has replaced as the default. So a leaf without `scale`
 * reads as 'fixed' when it has a min or max number and as the default ('rank') when it has neither.
 */
export function leafScale(node: FactorNode): LeafScale {
  if (node.scale !== undefined) return node.scale;
  return typeof node.min === 'number' || typeof node.max === 'number' ? 'fixed' : DEFAULT_LEAF_SCALE;
}

export const MAX_FACTOR_DEPTH = 3;
export const TRUE_MARGIN_SOURCE = 'computed:trueMargin';

export function isLeaf(node: FactorNode): boolean {
  return node.source !== undefined;
}

/** The names of the starting tree's nodes, by id, in each language. */
export const DEFAULT_FACTOR_NAMES: Readonly<Record<string, Localized>> = {
  root: { en: 'Score', da: 'Score' },
  economy: { en: 'Economy', da: 'Økonomi' },
  revenue: { en: 'Revenue', da: 'Omsætning' },
  margin: { en: 'Margin', da: 'Dækningsbidrag' },
  relationship: { en: 'Relationship', da: 'Relation' },
  satisfaction: { en: 'Satisfaction', da: 'Tilfredshed' },
  share: { en: 'Share of wallet', da: 'Andel af køb' },
  behaviour: { en: 'Behaviour', da: 'Adfærd' },
  orders: { en: 'Orders', da: 'Antal ordrer' },
  daysLate: { en: 'Days late', da: 'Dage for sent' },
};

/**
 * The starting tree, economy, relationship and behaviour over the roles a customer list has,
 * with its names in a language. Every leaf is on the default scale (percentile rank), written out
 * so the Factors sheet and a saved tree say which scale was used.
 */
export function defaultFactorTree(language: Language): FactorNode {
  const node = (id: string, weight: number, rest: Partial<FactorNode>): FactorNode => ({ id, name: DEFAULT_FACTOR_NAMES[id][language], weight, ...rest });
  const leaf = (id: string, weight: number, source: FactorSource, direction: 'higher' | 'lower') => node(id, weight, { source, direction, scale: DEFAULT_LEAF_SCALE });
  return node('root', 1, { children: [
    node('economy', 50, { children: [leaf('revenue', 50, 'role:revenue', 'higher'), leaf('margin', 50, TRUE_MARGIN_SOURCE, 'higher')] }),
    node('relationship', 30, { children: [leaf('satisfaction', 60, 'role:satisfaction', 'higher'), leaf('share', 40, 'role:shareOfWallet', 'higher')] }),
    node('behaviour', 20, { children: [leaf('orders', 50, 'role:orders', 'higher'), leaf('daysLate', 50, 'role:daysLate', 'lower')] }),
  ] });
}

/** The starting tree in English: the engine's default, which the CLI and the functions start from. */
export const DEFAULT_FACTORS: FactorNode = defaultFactorTree('en');

/**
 * A node's name in a language. A name is the user's, and stays as typed; but a name that is still
 * a default (the starting tree's name for that id, or the label of the leaf's source, which is how
 * the pane names a new factor) is a name in either language, so a Danish run says "Tilfredshed"
 * for a tree saved in English and the other way round.
 */
export function factorName(node: FactorNode, language: Language): string {
  const defaults = [DEFAULT_FACTOR_NAMES[node.id], node.source !== undefined ? sourceNames(node.source) : undefined];
  for (const names of defaults) {
    if (names && (node.name === names.en || node.name === names.da)) return names[language];
  }
  return node.name;
}

function sourceNames(source: FactorSource): Localized {
  return { en: sourceLabel(source, 'en'), da: sourceLabel(source, 'da') };
}

/** "Economy › Revenue" / "Økonomi › Omsætning": a path of nodes named in a language. */
export function factorPath(path: readonly FactorNode[], language: Language): string {
  return path.map((node) => factorName(node, language)).join(' › ');
}

/** A leaf that takes part in the score, with its weight in the total (all such weights sum to 1). */
export interface ScoredLeaf {
  node: FactorNode;
  /** The nodes from the top group down to the leaf (the root left out): Economy, Revenue. */
  path: FactorNode[];
  /** Its share of the score, 0–1, after normalizing among siblings and leaving out absent leaves. */
  weight: number;
  values: Float64Array;
  scale: LeafScale;
  /** The range a 'minmax' or 'fixed' scale places values on (for 'rank' the data's own, for words). */
  low: number;
  high: number;
}

export interface ScoreTree {
  leaves: ScoredLeaf[];
  /** Leaves and groups left out, with why ("no column", "empty group", "weight 0"). */
  leftOut: Localized[];
}

/** What can be wrong with one factor of a tree. */
export type FactorIssueKind = 'noName' | 'badWeight' | 'tooDeep' | 'rootLeaf' | 'badDirection' | 'unknownScale' | 'badScale' | 'scaleOrder';

/** A problem of one factor, as data: the pane says it in the user's language, the engine in English. */
export interface FactorIssue {
  kind: FactorIssueKind;
  /** The factor's id and name ('' where the node is not a factor at all). */
  id: string;
  name: string;
  /** Names from the top group down to the factor: "Economy › Revenue". */
  path: string;
}

/**
 * Checks a tree from the pane or the workbook: shape, names, depth, weights, directions and scales.
 * A leaf without `scale` is a tree stored before scales had a name and is read as leafScale says
 * (fixed when it has a min or max number, percentile rank otherwise), not reported; min and max
 * are checked only where the scale is 'fixed', so a range kept while another scale is tried is no
 * problem.
 */
export function factorIssues(root: unknown): FactorIssue[] {
  const issues: FactorIssue[] = [];
  const visit = (node: FactorNode, depth: number, parentPath: string) => {
    if (typeof node !== 'object' || node === null) {
      issues.push({ kind: 'noName', id: '', name: '', path: parentPath });
      return;
    }
    const name = typeof node.name === 'string' ? node.name : '';
    const path = parentPath ? `${parentPath} › ${name}` : name;
    const add = (kind: FactorIssueKind) => issues.push({ kind, id: String(node.id ?? ''), name, path });
    if (name.trim() === '') add('noName');
    if (depth > 0 && !(typeof node.weight === 'number' && Number.isFinite(node.weight) && node.weight >= 0)) add('badWeight');
    if (depth > MAX_FACTOR_DEPTH) add('tooDeep');
    if (isLeaf(node)) {
      if (depth === 0) add('rootLeaf');
      if (node.direction !== 'higher' && node.direction !== 'lower') add('badDirection');
      if (node.scale !== undefined && !LEAF_SCALES.includes(node.scale)) add('unknownScale');
      if (leafScale(node) !== 'fixed') return;
      const end = (value: number | null | undefined) => (value === undefined || value === null ? null : value);
      const [low, high] = [end(node.min), end(node.max)];
      if ((low !== null && !Number.isFinite(low)) || (high !== null && !Number.isFinite(high))) add('badScale');
      else if (low !== null && high !== null && !(high > low)) add('scaleOrder');
      return;
    }
    for (const child of node.children ?? []) visit(child, depth + 1, depth === 0 ? '' : path);
  };
  visit(root as FactorNode, 0, '');
  return issues;
}

const ISSUE_TEXT: Record<FactorIssueKind, (path: string) => string> = {
  noName: (path) => `${path || 'The tree'}: a factor without a name.`,
  badWeight: (path) => `${path}: the weight must be a number, 0 or more.`,
  tooDeep: (path) => `${path}: the tree has at most ${MAX_FACTOR_DEPTH} levels.`,
  rootLeaf: () => 'The top of the tree must be a group.',
  badDirection: (path) => `${path}: the direction must be higher or lower is better.`,
  unknownScale: (path) => `${path}: the scale must be ${LEAF_SCALES.map((scale) => `"${scale}"`).join(', ')}.`,
  badScale: (path) => `${path}: the scale's ends must be numbers (or empty for the data's own range).`,
  scaleOrder: (path) => `${path}: the scale's max must be above its min.`,
};

/** The tree's problems in English, as the CLI and thrown errors say them. */
export function factorTreeProblems(root: unknown): string[] {
  return factorIssues(root).map((issue) => ISSUE_TEXT[issue.kind](issue.path));
}

export function factorsSetting(settings: ModelSettings): FactorNode {
  const problems = factorTreeProblems(settings.factors);
  if (problems.length > 0) throw new Error(`The factor tree is not valid: ${problems.join(' ')}`);
  return settings.factors as unknown as FactorNode;
}

/** The numbers of a leaf's source, or null when the table has no such column. */
export function sourceValues(table: CustomerTable, source: FactorSource, hourlyRate: number): Float64Array | null {
  const [kind, ...rest] = source.split(':');
  const name = rest.join(':');
  if (kind === 'role') {
    const role = name as RoleId;
    // A share of wallet reads 35 and 0.35 alike, as the quadrant model reads it.
    if (role === 'shareOfWallet' && table.numbers.shareOfWallet) return shareOfWallet(table).values;
    return table.numbers[role] ?? null;
  }
  // Revenue alone is no margin: without a margin column or a cost the leaf has no column.
  if (kind === 'computed' && name === 'trueMargin') return marginBasis(table) ? trueMargin(table, hourlyRate)?.values ?? null : null;
  if (kind === 'column') {
    const column = table.headers.findIndex((header) => normalizeHeader(header) === normalizeHeader(name));
    return column < 0 ? null : numbersOfColumn(table, column);
  }
  return null;
}

/** "Revenue", "Omsætning", "True margin": how the pane names a source. */
export function sourceLabel(source: FactorSource, language: Language): string {
  const [kind, ...rest] = source.split(':');
  const name = rest.join(':');
  if (kind === 'role') return roleDefinition(name as RoleId).label[language];
  // The margin after the costs the table has: "true margin" only where cost to serve is among them,
  // which a label made without the table cannot know, so it claims no more than "margin".
  if (kind === 'computed') return COMPUTED_MARGIN_LABEL[language];
  return name;
}

const COMPUTED_MARGIN_LABEL: Localized = { en: 'Margin (after the costs in the table)', da: 'Dækningsbidrag (efter omkostningerne i tabellen)' };

/** The lowest and highest present value (NaN is passed over): the scale a column is normalized on. */
export function minMax(values: Float64Array): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return [low, high];
}

/**
 * The leaves that count and their weights in the total. A leaf without a column, a group without
 * any counting leaf and anything of weight 0 are left out, and the weights of the rest are
 * normalized among siblings, so an empty branch neither scores zero nor breaks the sum.
 */
function hasNumber(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) return true;
  return false;
}

export function flattenTree(table: CustomerTable, root: FactorNode, hourlyRate: number): ScoreTree {
  const leftOut: Localized[] = [];
  const said = (path: readonly FactorNode[], en: string, da: string) => leftOut.push({ en: `${factorPath(path, 'en')}: ${en}`, da: `${factorPath(path, 'da')}: ${da}` });
  const collect = (node: FactorNode, path: FactorNode[]): { node: FactorNode; path: FactorNode[]; share: number; values: Float64Array }[] => {
    if (isLeaf(node)) {
      const values = sourceValues(table, node.source!, hourlyRate);
      if (!values) {
        // The true margin is computed, not a column: what is missing is any margin or cost column.
        if (node.source === TRUE_MARGIN_SOURCE) said(path, 'no margin or cost column to compute it from, left out.', 'ingen kolonne med dækningsbidrag eller omkostninger at beregne det ud fra, udeladt.');
        else said(path, `no column for ${sourceLabel(node.source!, 'en')}, left out.`, `ingen kolonne til ${sourceLabel(node.source!, 'da')}, udeladt.`);
        return [];
      }
      // A column with no number at all (a text column such as gender) cannot rate anyone: left out
      // and named as such, rather than leaving every customer without a score "for want of" it.
      if (table.rowCount > 0 && !hasNumber(values)) {
        const column = sourceLabel(node.source!, 'en');
        said(path, `the column ${column} holds no numbers (text only), left out.`, `kolonnen ${sourceLabel(node.source!, 'da')} har ingen tal (kun tekst), udeladt.`);
        return [];
      }
      return [{ node, path, share: 1, values }];
    }
    const parts = (node.children ?? []).filter((child) => child.weight > 0).map((child) => ({ child, leaves: collect(child, [...path, child]) }));
    for (const child of node.children ?? []) {
      if (child.weight <= 0) said([...path, child], 'weight 0, left out.', 'vægt 0, udeladt.');
    }
    const counting = parts.filter((part) => part.leaves.length > 0);
    if (path.length > 0 && (node.children ?? []).length === 0) said(path, 'empty group, left out.', 'tom gruppe, udeladt.');
    const total = counting.reduce((sum, part) => sum + part.child.weight, 0);
    return counting.flatMap((part) => part.leaves.map((leaf) => ({ ...leaf, share: leaf.share * (part.child.weight / total) })));
  };
  const leaves = collect(root, []).map(({ node, path, share, values }): ScoredLeaf => {
    const scale = leafScale(node);
    const [dataLow, dataHigh] = minMax(values);
    const low = scale === 'fixed' && typeof node.min === 'number' ? node.min : dataLow;
    const high = scale === 'fixed' && typeof node.max === 'number' ? node.max : dataHigh;
    return { node, path, weight: share, values, scale, low, high };
  });
  return { leaves, leftOut };
}

/** A leaf value on 0–1: its place on the scale, turned round when lower is better, clamped to the scale. */
export function normalizeLeaf(value: number, low: number, high: number, direction: 'higher' | 'lower'): number {
  if (Number.isNaN(value)) return NaN;
  // A column where every customer has the same value says nothing about who is better: the middle.
  const position = high > low ? Math.min(1, Math.max(0, (value - low) / (high - low))) : 0.5;
  return direction === 'lower' ? 1 - position : position;
}

/**
 * Each row's position on the leaf's scale, 0 (worst) to 1 (best), turned round when lower is
 * better; NaN where the row has no number. A percentile rank turned round is the rank among the
 * values negated, so "lower is better" and "higher is better" treat ties alike. The array may be
 * the column's cached ranks (stats.ts): read it, do not change it.
 */
export function leafPositions(leaf: ScoredLeaf): Float64Array {
  const direction = leaf.node.direction ?? 'higher';
  if (leaf.scale === 'rank') {
    // The ranks are shared with every other user of the column: turned round in a copy.
    const ranks = percentileRanks(leaf.values);
    return direction === 'lower' ? ranks.map((rank) => 1 - rank) : ranks;
  }
  const positions = new Float64Array(leaf.values.length);
  for (let i = 0; i < positions.length; i++) positions[i] = normalizeLeaf(leaf.values[i], leaf.low, leaf.high, direction);
  return positions;
}

/**
 * Scores 0–100 from the flattened leaves (the sum of weight × position × 100); a row missing any
 * counting leaf gets no score (NaN). `positions` are the leaves' leafPositions, when worked out already.
 */
export function scoreRows(rowCount: number, leaves: readonly ScoredLeaf[], positions: readonly Float64Array[] = leaves.map(leafPositions)): Float64Array {
  const scores = new Float64Array(rowCount);
  if (leaves.length === 0) return scores.fill(NaN);
  leaves.forEach((leaf, k) => {
    const position = positions[k];
    for (let i = 0; i < rowCount; i++) scores[i] += 100 * leaf.weight * position[i];
  });
  return scores;
}

const SCORE = { en: 'Score', da: 'Score' };

/** The scales' names as the Summary's weights note and the Factors sheet say them. */
export const LEAF_SCALE_NAMES: Readonly<Record<LeafScale, Localized>> = {
  rank: { en: 'percentile rank', da: 'percentilrang' },
  minmax: { en: 'min–max of the data', da: 'dataenes min–maks' },
  fixed: { en: 'fixed scale', da: 'fast skala' },
};

function oneDecimal(value: number, language: Language): string {
  return formatNumber(value, language, 1, 1);
}

/** "12 to 279,489" / "12 til 279.489": a min–max or fixed scale's range. */
function rangeText(leaf: ScoredLeaf, language: Language): string {
  return `${formatAmount(leaf.low, language)} ${language === 'da' ? 'til' : 'to'} ${formatAmount(leaf.high, language)}`;
}

/**
 * Where a row stands on a leaf, in the words of its scale. A percentile rank says the smallest
 * whole share of customers the row is among, from the good end: "top 4 %" for a position of 0.96
 * (it is among the best 4 %, 4 % rounded up so it is never claimed closer to the top than it is),
 * "bottom 20 %" below the middle. A min–max or fixed scale shows the value against its range.
 */
export function leafStanding(leaf: ScoredLeaf, position: number, row: number, language: Language): string {
  if (leaf.scale === 'rank') {
    const top = position >= 0.5;
    // The small epsilon keeps 1 − 0.96 = 0.0400000000000000036 from rounding up to 5 %.
    const percent = Math.max(1, Math.ceil(100 * (top ? 1 - position : position) - 1e-9));
    if (language === 'da') return `blandt de ${top ? 'bedste' : 'dårligste'} ${percent} %`;
    return `${top ? 'top' : 'bottom'} ${percent} %`;
  }
  const lower = leaf.node.direction === 'lower';
  const scaleWord = language === 'da' ? 'skala' : 'scale';
  const better = lower ? (language === 'da' ? ', lavere er bedre' : ', lower is better') : '';
  return `${formatAmount(leaf.values[row], language)} (${scaleWord} ${rangeText(leaf, language)}${better})`;
}

/** "Economy › Revenue 25 % (percentile rank)": each counting leaf's share of the score and its scale. */
export function weightsNote(leaves: readonly ScoredLeaf[]): Localized {
  const text = (language: Language) => leaves.map((leaf) => {
    const share = formatNumber(100 * leaf.weight, language, 1);
    const scale = LEAF_SCALE_NAMES[leaf.scale][language] + (leaf.scale === 'fixed' ? ` ${rangeText(leaf, language)}` : '');
    return `${factorPath(leaf.path, language)} ${share} % (${scale})`;
  }).join('; ');
  return {
    en: `Weights in the score, after leaving out factors without a column: ${text('en')}.`,
    da: `Vægte i scoren, efter at faktorer uden kolonne er udeladt: ${text('da')}.`,
  };
}

/** Above this share of customers without a number, a leaf is named in the notes: it decides who gets a score. */
const MOSTLY_MISSING = 0.5;

/**
 * Notes on who gets no score: each leaf that leaves most customers (over half) without a number,
 * with the count, and a plain statement when no customer at all gets a score. Blank lines inside
 * the table are not customers and are not counted.
 */
export function missingNotes(table: CustomerTable, leaves: readonly ScoredLeaf[], scores: Float64Array): Localized[] {
  const customers = countCustomers(table, () => true);
  const notes: Localized[] = [];
  for (const leaf of leaves) {
    const missing = countCustomers(table, (i) => Number.isNaN(leaf.values[i]));
    if (customers === 0 || missing / customers <= MOSTLY_MISSING) continue;
    const [en, enAll, da, daAll] = [formatNumber(missing, 'en', 0), formatNumber(customers, 'en', 0), formatNumber(missing, 'da', 0), formatNumber(customers, 'da', 0)];
    notes.push({
      en: `${factorPath(leaf.path, 'en')}: ${en} of ${enAll} customers have no number; they get no score.`,
      da: `${factorPath(leaf.path, 'da')}: ${da} af ${daAll} kunder har intet tal; de får ingen score.`,
    });
  }
  if (customers > 0 && countCustomers(table, (i) => !Number.isNaN(scores[i])) === 0) {
    notes.push(leaves.length === 0
      ? {
        en: 'No customer gets a score: no factor of the tree has a column in this table. Map a column to a role the tree reads, or add factors on numeric columns.',
        da: 'Ingen kunde får en score: ingen faktor i træet har en kolonne i denne tabel. Knyt en kolonne til en rolle, træet læser, eller tilføj faktorer på talkolonner.',
      }
      : {
        en: 'No customer gets a score: every customer lacks the number of at least one factor. Leave that factor out or give it a weight of 0.',
        da: 'Ingen kunde får en score: hver kunde mangler tallet for mindst én faktor. Udelad den faktor, eller giv den vægten 0.',
      });
  }
  return notes;
}

/** The customers (rows that are not blank lines) for which `test` holds. */
function countCustomers(table: CustomerTable, test: (row: number) => boolean): number {
  let count = 0;
  for (let i = 0; i < table.rowCount; i++) if (!isBlankRow(table, i) && test(i)) count++;
  return count;
}

/**
 * The leaves where a row stands best and worst (by position on their scales, the larger weight
 * first among equals): what the reason names as lifting and holding back. By position rather than
 * points won or lost, so a heavy factor where the customer is in the top 30 % is not called its
 * weakest beside a light one where it is in the bottom 10 %.
 */
function strongestAndWeakest(leaves: readonly ScoredLeaf[], positions: readonly Float64Array[], row: number): [number, number] {
  let best = 0;
  let worst = 0;
  for (let k = 1; k < leaves.length; k++) {
    const position = positions[k][row];
    const heavier = (other: number) => leaves[k].weight > leaves[other].weight;
    if (position > positions[best][row] || (position === positions[best][row] && heavier(best))) best = k;
    if (position < positions[worst][row] || (position === positions[worst][row] && heavier(worst))) worst = k;
  }
  return [best, worst];
}

export const score: ModelDefinition = {
  id: 'score',
  name: { en: 'Deep-dive rating', da: 'Dybdegående kundevurdering' },
  description: {
    en: 'A 0–100 score from a weighted tree of factors (economy, relationship, behaviour, …), a rank, and the best and worst 10, 30 and 50.',
    da: 'En score fra 0 til 100 ud fra et vægtet træ af faktorer (økonomi, relation, adfærd, …), en rangering og de bedste og værste 10, 30 og 50.',
  },
  columnHeader: 'Segment Score',
  functionName: 'SCORE',
  inputs: [],
  optionalInputs: ['revenue', 'margin', 'satisfaction', 'shareOfWallet', 'orders', 'daysLate', 'costToServe', 'hours'],
  settings: [
    { key: 'topCut', kind: 'cut', label: { en: 'Top cut (score)', da: 'Skæring for top (score)' } },
    { key: 'middleCut', kind: 'cut', label: { en: 'Middle cut (score)', da: 'Skæring for midte (score)' } },
    HOURLY_RATE_SETTING,
    { key: 'factors', kind: 'data', editor: 'factors', label: { en: 'Factors and weights', da: 'Faktorer og vægte' } },
  ],
  defaults: {
    topCut: { method: 'quantile', level: 0.9 }, middleCut: { method: 'quantile', level: 0.6 }, hourlyRate: DEFAULT_HOURLY_RATE,
    factors: DEFAULT_FACTORS,
  },
  cutOrder: [{ stricter: 'topCut', looser: 'middleCut' }],
  tiers: [
    { id: 'Top', label: { en: 'Top: the best 10 %', da: 'Top: de bedste 10 %' }, ...PALETTE.blue, priority: 1,
      action: { en: 'Invest: these customers set the standard', da: 'Investér: disse kunder sætter standarden' } },
    { id: 'Middle', label: { en: 'Middle: the next 30 %', da: 'Midte: de næste 30 %' }, ...PALETTE.sky, priority: 2,
      action: { en: 'Lift: work on the weakest factor', da: 'Løft: arbejd med den svageste faktor' } },
    { id: 'Low', label: { en: 'Low: the rest', da: 'Lav: resten' }, ...PALETTE.grey, priority: 3,
      action: { en: 'Review: serve lean or change the terms', da: 'Gennemgå: betjen enkelt eller ændr vilkårene' } },
  ],
  run(table, settings) {
    const tree = flattenTree(table, factorsSetting(settings), numberSetting(settings, 'hourlyRate'));
    const positions = tree.leaves.map(leafPositions);
    const scores = scoreRows(table.rowCount, tree.leaves, positions);
    const topSpec = cutSetting(settings, 'topCut');
    const middleSpec = cutSetting(settings, 'middleCut');
    const topResolved = cutAt(scores, topSpec);
    const middleResolved = cutAt(scores, middleSpec);
    const topCut = topResolved.value;
    const middleCut = middleResolved.value;
    const tiers = new Int8Array(table.rowCount);
    for (let i = 0; i < table.rowCount; i++) {
      const s = scores[i];
      tiers[i] = Number.isNaN(s) ? -1 : isHigh(s, topCut, topSpec) ? 0 : isHigh(s, middleCut, middleSpec) ? 1 : 2;
    }
    const ranks = ranksDescending(scores);
    // Names looked up once per language, not once per row and leaf.
    const names = { en: tree.leaves.map((leaf) => factorName(leaf.node, 'en')), da: tree.leaves.map((leaf) => factorName(leaf.node, 'da')) };
    const explain = (row: number): Localized => lazyLocalized((language) => {
      if (tree.leaves.length === 0) {
        return language === 'da'
          ? 'ingen faktor i træet har en kolonne i denne tabel; knyt en kolonne til en rolle, træet læser, eller tilføj faktorer på talkolonner'
          : 'no factor of the tree has a column in this table; map a column to a role the tree reads, or add factors on numeric columns';
      }
      const missing = tree.leaves.find((leaf) => Number.isNaN(leaf.values[row]));
      if (missing) return `${factorPath(missing.path, language)} ${language === 'da' ? 'mangler' : 'is missing'}`;
      const cutWord = language === 'da' ? 'skæring' : 'cut';
      const against = tiers[row] === 0 ? `≥ ${cutWord} ${oneDecimal(topCut, language)}` : tiers[row] === 1 ? `≥ ${cutWord} ${oneDecimal(middleCut, language)}` : `< ${cutWord} ${oneDecimal(middleCut, language)}`;
      // A score in the run of ties that moved a cut says so.
      const tie = topResolved.tie?.value === scores[row] ? topResolved.tie : middleResolved.tie?.value === scores[row] ? middleResolved.tie : undefined;
      const head = `${SCORE[language]} ${oneDecimal(scores[row], language)} ${against}${tie ? ` (${tieAside(tie, language)})` : ''}`;
      const describe = (k: number) => `${names[language][k]}: ${leafStanding(tree.leaves[k], positions[k][row], row, language)}`;
      if (tree.leaves.length === 1) return `${head}; ${describe(0)}`;
      const [best, worst] = strongestAndWeakest(tree.leaves, positions, row);
      return `${head}; ${language === 'da' ? 'stærkest' : 'strongest'}: ${describe(best)}; ${language === 'da' ? 'svagest' : 'weakest'}: ${describe(worst)}`;
    });
    return {
      modelId: 'score',
      inputs: scoreInputs(table, settings.factors as unknown as FactorNode, tree),
      tiers,
      measure: 'revenue',
      cuts: [
        usedCut('topCut', settingLabel(this, 'topCut'), topSpec, topResolved),
        usedCut('middleCut', settingLabel(this, 'middleCut'), middleSpec, middleResolved),
      ],
      metrics: [
        { key: 'score', label: SCORE, format: 'number', decimals: 1, values: scores, table: true, priority: true },
        { key: 'rank', label: { en: 'Rank', da: 'Placering' }, format: 'number', values: ranks, table: true },
      ],
      notes: [...tree.leftOut, ...marginLeafNotes(table, tree), ...(tree.leaves.length > 0 ? [weightsNote(tree.leaves)] : []), ...missingNotes(table, tree.leaves, scores)],
      explain,
      priorityWithinTier: (row) => scores[row],
    };
  },
  formula: () => null,
  valuesOnly: {
    en: 'Scores, ranks and tiers are written as values: a factor is scaled by its place among all customers (or the lowest and highest value in its whole column) and the rank compares every customer with all the others, which a formula per row cannot do honestly. Run SegmentKit again after changing the data.',
    da: 'Score, placering og segmenter er skrevet som værdier: en faktor skaleres efter kundens plads blandt alle kunder (eller den laveste og højeste værdi i hele kolonnen), og placeringen sammenligner hver kunde med alle andre, hvilket en formel pr. række ikke kan gøre ærligt. Kør SegmentKit igen, når data er ændret.',
  },
};

/**
 * The share of the total score each node gets, from the tree as flattened for a table: leaves
 * that count get their weight; a group gets the sum of its leaves; a node left out (no column,
 * weight 0, an empty group) gets 0. Keyed by node, so the editor can look up any node it shows.
 */
export function factorShares(root: FactorNode, tree: ScoreTree): Map<FactorNode, number> {
  const leafWeights = new Map<FactorNode, number>();
  for (const leaf of tree.leaves) leafWeights.set(leaf.node, leaf.weight);
  const shares = new Map<FactorNode, number>();
  const visit = (node: FactorNode): number => {
    const share = isLeaf(node) ? leafWeights.get(node) ?? 0 : (node.children ?? []).reduce((sum, child) => sum + visit(child), 0);
    shares.set(node, share);
    return share;
  };
  visit(root);
  return shares;
}

/** The roles a leaf's source reads where the table has them: a role, the true margin's columns, a mapped column. */
function leafRoles(table: CustomerTable, source: FactorSource): { used: RoleId[]; absent: RoleId[] } {
  const [kind, ...rest] = source.split(':');
  const name = rest.join(':');
  if (kind === 'role') return table.numbers[name as RoleId] ? { used: [name as RoleId], absent: [] } : { used: [], absent: [name as RoleId] };
  if (kind === 'computed') {
    const basis = marginBasis(table);
    return basis ? marginInputs(table, basis) : { used: [], absent: (['margin', ...MARGIN_COST_ROLES] as RoleId[]).filter((role) => !table.numbers[role]) };
  }
  const column = table.headers.findIndex((header) => normalizeHeader(header) === normalizeHeader(name));
  const role = (Object.keys(table.mapping) as RoleId[]).find((candidate) => table.mapping[candidate] === column);
  return { used: role && column >= 0 ? [role] : [], absent: [] };
}

/** The columns the counting leaves read, and the roles any leaf of the tree wanted but the table lacks. */
function scoreInputs(table: CustomerTable, root: FactorNode, tree: ScoreTree): InputsUsed {
  const used = new Set<RoleId>(tree.leaves.flatMap((leaf) => leafRoles(table, leaf.node.source!).used));
  const absent = new Set<RoleId>();
  const visit = (node: FactorNode) => {
    if (isLeaf(node)) for (const role of leafRoles(table, node.source!).absent) absent.add(role);
    for (const child of node.children ?? []) visit(child);
  };
  visit(root);
  return { used: [...used], absent: [...absent] };
}

/** A true-margin leaf that counts without cost to serve says so: it scores the margin before it. */
function marginLeafNotes(table: CustomerTable, tree: ScoreTree): Localized[] {
  const basis = marginBasis(table);
  const missing = basis && servingCostsMissing(basis);
  if (!basis || !missing || afterCostToServe(basis)) return [];
  return tree.leaves.filter((leaf) => leaf.node.source === TRUE_MARGIN_SOURCE).map((leaf) => ({
    en: `${factorPath(leaf.path, 'en')}: margin before cost to serve (${missing.en}).`,
    da: `${factorPath(leaf.path, 'da')}: dækningsbidrag før serviceomkostninger (${missing.da}).`,
  }));
}
