import { cutAt, isHigh, usedCut } from '../cuts';
import { cutSetting, formatAmount, formatNumber, numberSetting, tieAside, type ModelDefinition, type ModelSettings } from '../model';
import { PALETTE } from '../palette';
import { normalizeHeader, roleDefinition, type RoleId } from '../roles';
import { ranksDescending } from '../stats';
import { numbersOfColumn, type CustomerTable } from '../table';
import { lazyLocalized, type Language, type Localized } from '../types';
import { DEFAULT_HOURLY_RATE, HOURLY_RATE_SETTING, MARGIN_METRIC_LABELS, trueMargin } from './margin';
import { shareOfWallet } from './quadrant';

/**
 * The deep-dive rating: a tree of factors (up to three levels) with weights. Each leaf is a column
 * of the table, higher-is-better or lower-is-better, normalized to 0–1 on a given scale or the
 * data's min–max; weights are normalized among siblings and multiplied down the tree; the total
 * is 0–100. Top 10 %, the next 30 % and the rest become tiers.
 */

/**
 * Where a leaf's numbers come from: "role:revenue" (the column mapped to a role), "column:Header"
 * (any column by its header) or "computed:trueMargin" (the true margin after cost to serve).
 */
export type FactorSource = string;

/** A factor: a group of factors (children) or a leaf (source). Plain data, stored in the workbook. */
export type FactorNode = {
  id: string;
  name: string;
  weight: number;
  children?: FactorNode[];
  source?: FactorSource;
  direction?: 'higher' | 'lower';
  /** The scale's ends; null for the data's own min–max. */
  min?: number | null;
  max?: number | null;
};

export const MAX_FACTOR_DEPTH = 3;
export const TRUE_MARGIN_SOURCE = 'computed:trueMargin';

export function isLeaf(node: FactorNode): boolean {
  return node.source !== undefined;
}

/** The starting tree: economy, relationship and behaviour, over the roles a customer list has. */
export const DEFAULT_FACTORS: FactorNode = {
  id: 'root', name: 'Score', weight: 1, children: [
    { id: 'economy', name: 'Economy', weight: 50, children: [
      { id: 'revenue', name: 'Revenue', weight: 50, source: 'role:revenue', direction: 'higher' },
      { id: 'margin', name: 'Margin', weight: 50, source: TRUE_MARGIN_SOURCE, direction: 'higher' },
    ] },
    { id: 'relationship', name: 'Relationship', weight: 30, children: [
      { id: 'satisfaction', name: 'Satisfaction', weight: 60, source: 'role:satisfaction', direction: 'higher' },
      { id: 'share', name: 'Share of wallet', weight: 40, source: 'role:shareOfWallet', direction: 'higher' },
    ] },
    { id: 'behaviour', name: 'Behaviour', weight: 20, children: [
      { id: 'orders', name: 'Orders', weight: 50, source: 'role:orders', direction: 'higher' },
      { id: 'daysLate', name: 'Days late', weight: 50, source: 'role:daysLate', direction: 'lower' },
    ] },
  ],
};

/** A leaf that takes part in the score, with its weight in the total (all such weights sum to 1). */
export interface ScoredLeaf {
  node: FactorNode;
  /** Names from the top group down to the leaf: "Economy › Revenue". */
  path: string[];
  weight: number;
  values: Float64Array;
  low: number;
  high: number;
}

export interface ScoreTree {
  leaves: ScoredLeaf[];
  /** Leaves and groups left out, with why ("no column", "empty group", "weight 0"). */
  leftOut: Localized[];
}

/** What can be wrong with one factor of a tree. */
export type FactorIssueKind = 'noName' | 'badWeight' | 'tooDeep' | 'rootLeaf' | 'badDirection' | 'badScale' | 'scaleOrder';

/** A problem of one factor, as data: the pane says it in the user's language, the engine in English. */
export interface FactorIssue {
  kind: FactorIssueKind;
  /** The factor's id and name ('' where the node is not a factor at all). */
  id: string;
  name: string;
  /** Names from the top group down to the factor: "Economy › Revenue". */
  path: string;
}

/** Checks a tree from the pane or the workbook: shape, names, depth, weights, directions and scales. */
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
  if (kind === 'computed' && name === 'trueMargin') return trueMargin(table, hourlyRate)?.values ?? null;
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
  if (kind === 'computed') return MARGIN_METRIC_LABELS.trueMargin[language];
  return name;
}

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
export function flattenTree(table: CustomerTable, root: FactorNode, hourlyRate: number): ScoreTree {
  const leftOut: Localized[] = [];
  const collect = (node: FactorNode, path: string[]): { node: FactorNode; path: string[]; share: number; values: Float64Array }[] => {
    if (isLeaf(node)) {
      const values = sourceValues(table, node.source!, hourlyRate);
      if (!values) {
        const what = sourceLabel(node.source!, 'en');
        leftOut.push({ en: `${path.join(' › ')}: no column for ${what}, left out.`, da: `${path.join(' › ')}: ingen kolonne til ${sourceLabel(node.source!, 'da')}, udeladt.` });
        return [];
      }
      return [{ node, path, share: 1, values }];
    }
    const parts = (node.children ?? []).filter((child) => child.weight > 0).map((child) => ({ child, leaves: collect(child, [...path, child.name]) }));
    for (const child of node.children ?? []) {
      if (child.weight <= 0) leftOut.push({ en: `${[...path, child.name].join(' › ')}: weight 0, left out.`, da: `${[...path, child.name].join(' › ')}: vægt 0, udeladt.` });
    }
    const counting = parts.filter((part) => part.leaves.length > 0);
    if (path.length > 0 && (node.children ?? []).length === 0) {
      leftOut.push({ en: `${path.join(' › ')}: empty group, left out.`, da: `${path.join(' › ')}: tom gruppe, udeladt.` });
    }
    const total = counting.reduce((sum, part) => sum + part.child.weight, 0);
    return counting.flatMap((part) => part.leaves.map((leaf) => ({ ...leaf, share: leaf.share * (part.child.weight / total) })));
  };
  const leaves = collect(root, []).map(({ node, path, share, values }) => {
    const [dataLow, dataHigh] = minMax(values);
    const low = typeof node.min === 'number' ? node.min : dataLow;
    const high = typeof node.max === 'number' ? node.max : dataHigh;
    return { node, path, weight: share, values, low, high };
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

/** Scores 0–100 from the flattened leaves; a row missing any counting leaf gets no score. */
export function scoreRows(rowCount: number, leaves: readonly ScoredLeaf[]): Float64Array {
  const scores = new Float64Array(rowCount);
  if (leaves.length === 0) return scores.fill(NaN);
  for (const leaf of leaves) {
    const direction = leaf.node.direction ?? 'higher';
    for (let i = 0; i < rowCount; i++) scores[i] += 100 * leaf.weight * normalizeLeaf(leaf.values[i], leaf.low, leaf.high, direction);
  }
  return scores;
}

const SCORE = { en: 'Score', da: 'Score' };

function oneDecimal(value: number, language: Language): string {
  return formatNumber(value, language, 1, 1);
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
    const scores = scoreRows(table.rowCount, tree.leaves);
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
    const explain = (row: number): Localized => {
      const text = (language: Language) => {
        const missing = tree.leaves.find((leaf) => Number.isNaN(leaf.values[row]));
        if (tree.leaves.length === 0) return language === 'da' ? 'Ingen faktorer med en kolonne' : 'No factor has a column';
        if (missing) return `${missing.path.join(' › ')} ${language === 'da' ? 'mangler' : 'is missing'}`;
        const s = scores[row];
        const cutWord = language === 'da' ? 'skæring' : 'cut';
        const against = tiers[row] === 0 ? `≥ ${cutWord} ${oneDecimal(topCut, language)}` : tiers[row] === 1 ? `≥ ${cutWord} ${oneDecimal(middleCut, language)}` : `< ${cutWord} ${oneDecimal(middleCut, language)}`;
        // A score in the run of ties that moved a cut says so.
        const tie = topResolved.tie?.value === s ? topResolved.tie : middleResolved.tie?.value === s ? middleResolved.tie : undefined;
        const tied = tie ? ` (${tieAside(tie, language)})` : '';
        // The leaf that gave the most points and the one that lost the most: what lifts and what holds back.
        const points = tree.leaves.map((leaf) => {
          const normalized = normalizeLeaf(leaf.values[row], leaf.low, leaf.high, leaf.node.direction ?? 'higher');
          return { leaf, gained: leaf.weight * normalized, lost: leaf.weight * (1 - normalized) };
        });
        const best = points.reduce((a, b) => (b.gained > a.gained ? b : a));
        const worst = points.reduce((a, b) => (b.lost > a.lost ? b : a));
        const strongest = language === 'da' ? 'stærkest' : 'strongest';
        const weakest = language === 'da' ? 'svagest' : 'weakest';
        const describe = (entry: typeof best) => `${entry.leaf.node.name} ${formatAmount(entry.leaf.values[row], language)}`;
        return `${SCORE[language]} ${oneDecimal(s, language)} ${against}${tied}; ${strongest}: ${describe(best)}; ${weakest}: ${describe(worst)}`;
      };
      return lazyLocalized(text);
    };
    return {
      modelId: 'score',
      tiers,
      measure: 'revenue',
      cuts: [
        usedCut('topCut', this.settings[0].label, topSpec, topResolved),
        usedCut('middleCut', this.settings[1].label, middleSpec, middleResolved),
      ],
      metrics: [
        { key: 'score', label: SCORE, format: 'number', decimals: 1, values: scores, table: true, priority: true },
        { key: 'rank', label: { en: 'Rank', da: 'Placering' }, format: 'number', values: ranks, table: true },
      ],
      notes: tree.leftOut,
      explain,
      priorityWithinTier: (row) => scores[row],
    };
  },
  formula: () => null,
  valuesOnly: {
    en: 'Scores, ranks and tiers are written as values: a factor is scaled by the lowest and highest value in its whole column and the rank compares every customer with all the others, which a formula per row cannot do honestly. Run SegmentKit again after changing the data.',
    da: 'Score, placering og segmenter er skrevet som værdier: en faktor skaleres efter den laveste og højeste værdi i hele kolonnen, og placeringen sammenligner hver kunde med alle andre, hvilket en formel pr. række ikke kan gøre ærligt. Kør SegmentKit igen, når data er ændret.',
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
