/**
 * What sets each cluster apart, in words a reader can act on: per cluster its size, its shares of
 * customers and revenue, the mean of every feature beside the table's, the two or three features
 * that differ most, and a name made from those ("High revenue, low satisfaction" / "Høj omsætning,
 * lav tilfredshed"), distinct across the clusters.
 *
 * "Differ most" is measured by the standardised mean difference (Cohen 1988, "Statistical power
 * analysis for the behavioral sciences", ch. 2): (cluster mean − table mean) / table standard
 * deviation (population), with Cohen's conventions for a small (0.2) and a medium (0.5) effect
 * deciding which features are worth naming.
 */
import type { Localized } from '../types';
import type { FeatureMatrix } from './matrix';

/** A feature as the reader knows it: its name and its raw (untransformed) values, one per row. */
export interface ProfileFeature {
  /** The column's name; a plain string is the same in both languages. */
  name: Localized | string;
  values: Float64Array;
  /**
   * Grammatical gender (or plural) of the Danish name, for the adjective before it ("høj omsætning",
   * "højt antal ordrer", "høje dage siden køb"). Default: guessed from the first word (a short list
   * of neuter nouns), else common.
   */
  danishGender?: DanishGender;
}

export interface ProfileOptions {
  /** Revenue per row, for each cluster's share of revenue. */
  revenue?: Float64Array;
  /**
   * The standardised matrix that was clustered (rows × the same features, in order). When given,
   * the differences are measured on it, the scale the clusters were found on (log amounts, say),
   * rather than on the raw values, where a few very large customers inflate the spread.
   */
  standardised?: FeatureMatrix;
  /** Number of clusters; default the largest label + 1. */
  k?: number;
}

export type DanishGender = 'common' | 'neuter' | 'plural';

/** "Høj" and "lav" as Danish inflects them before a noun of each gender (indefinite form). */
const DANISH_ADJECTIVES: Record<DanishGender, { high: string; low: string }> = {
  common: { high: 'høj', low: 'lav' },
  neuter: { high: 'højt', low: 'lavt' },
  plural: { high: 'høje', low: 'lave' },
};

/** A feature that sets a cluster apart, and by how much. */
export interface DistinctiveFeature {
  /** Index into the features. */
  feature: number;
  /** Standardised mean difference: (cluster mean − table mean) / table SD; positive = higher than the table. */
  difference: number;
}

export interface ClusterProfile {
  /** The label (0-based; "cluster 1" is label 0). */
  cluster: number;
  /** Rows in the cluster. */
  size: number;
  /** size / rows with a cluster, 0 … 1. */
  shareOfCustomers: number;
  /** The cluster's revenue / the revenue of every row with a cluster; undefined without revenue, NaN when that total is 0. */
  shareOfRevenue: number | undefined;
  /** Mean raw value of each feature over the cluster's rows (finite values only). Length features. */
  means: Float64Array;
  /** Standardised mean difference of each feature. Length features. */
  differences: Float64Array;
  /** The two or three features that differ most (|difference| ≥ 0.2), largest first; empty for a cluster close to the table on everything. */
  distinctive: DistinctiveFeature[];
  /** Generated name, distinct across the clusters. */
  name: Localized;
}

export interface ClusterProfiles {
  clusters: ClusterProfile[];
  /** Mean raw value of each feature over every row with a cluster. */
  tableMeans: Float64Array;
  /** Rows with a cluster (label ≥ 0). */
  rowsClustered: number;
}

/** Cohen's small and medium effects: a feature is named from a small one on, a third one from a medium one on. */
const SMALL_EFFECT = 0.2;
const MEDIUM_EFFECT = 0.5;

/**
 * Profiles the clusters of a clustering (see the module comment).
 * @param labels cluster per row, 0 … k − 1; a negative label leaves the row out of every figure
 * @param features the features' raw values, each as long as labels
 * @returns one profile per cluster in label order, and the table's means
 * @throws RangeError when a feature, the revenue or the standardised matrix does not have one value per row
 */
export function profileClusters(labels: Int32Array, features: readonly ProfileFeature[], options: ProfileOptions = {}): ClusterProfiles {
  checkLengths(labels, features, options);
  let k = options.k ?? 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] + 1 > k) k = labels[i] + 1;
  const sizes = new Int32Array(k);
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) sizes[labels[i]]++;
  const rowsClustered = sizes.reduce((total, size) => total + size, 0);
  const raw = features.map((feature) => clusterMeans(labels, k, feature.values));
  const scaled = features.map((feature, j) => standardisedDifferences(labels, k, options.standardised ? matrixColumn(options.standardised, j) : feature.values));
  const revenueShares = options.revenue ? shares(labels, k, options.revenue) : undefined;
  const clusters: ClusterProfile[] = [];
  for (let c = 0; c < k; c++) {
    const differences = Float64Array.from(scaled, (feature) => feature[c]);
    clusters.push({
      cluster: c, size: sizes[c], shareOfCustomers: rowsClustered > 0 ? sizes[c] / rowsClustered : 0, shareOfRevenue: revenueShares?.[c],
      means: Float64Array.from(raw, (feature) => feature.clusters[c]), differences, distinctive: distinctiveFeatures(differences), name: { en: '', da: '' },
    });
  }
  nameClusters(clusters, features);
  return { clusters, tableMeans: Float64Array.from(raw, (feature) => feature.table), rowsClustered };
}

function checkLengths(labels: Int32Array, features: readonly ProfileFeature[], options: ProfileOptions): void {
  const n = labels.length;
  features.forEach((feature) => {
    if (feature.values.length !== n) throw new RangeError(`The feature "${plainName(feature.name, 'en')}" has ${feature.values.length} values for ${n} rows.`);
  });
  if (options.revenue && options.revenue.length !== n) throw new RangeError(`The revenue has ${options.revenue.length} values for ${n} rows.`);
  const matrix = options.standardised;
  if (matrix && (matrix.rows !== n || matrix.columns !== features.length)) {
    throw new RangeError(`The standardised matrix is ${matrix.rows} × ${matrix.columns}; the profile has ${n} rows and ${features.length} features.`);
  }
}

function matrixColumn(matrix: FeatureMatrix, column: number): Float64Array {
  const values = new Float64Array(matrix.rows);
  for (let i = 0; i < matrix.rows; i++) values[i] = matrix.data[i * matrix.columns + column];
  return values;
}

/** Mean of the finite values per cluster and over every clustered row (NaN where there is none). */
function clusterMeans(labels: Int32Array, k: number, values: Float64Array): { clusters: Float64Array; table: number } {
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0 || !Number.isFinite(values[i])) continue;
    sums[labels[i]] += values[i];
    counts[labels[i]]++;
  }
  const total = sums.reduce((sum, value) => sum + value, 0);
  const count = counts.reduce((sum, value) => sum + value, 0);
  return { clusters: sums.map((sum, c) => (counts[c] > 0 ? sum / counts[c] : NaN)), table: count > 0 ? total / count : NaN };
}

/** (cluster mean − table mean) / table SD (population) per cluster; 0 for a constant feature. */
function standardisedDifferences(labels: Int32Array, k: number, values: Float64Array): Float64Array {
  const { clusters, table } = clusterMeans(labels, k, values);
  let squares = 0;
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0 || !Number.isFinite(values[i])) continue;
    squares += (values[i] - table) * (values[i] - table);
    count++;
  }
  const sd = count > 0 ? Math.sqrt(squares / count) : 0;
  return clusters.map((mean) => (sd > 0 && Number.isFinite(mean) ? (mean - table) / sd : 0));
}

function shares(labels: Int32Array, k: number, revenue: Float64Array): Float64Array {
  const sums = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0 && Number.isFinite(revenue[i])) sums[labels[i]] += revenue[i];
  const total = sums.reduce((sum, value) => sum + value, 0);
  return sums.map((sum) => (total !== 0 ? sum / total : NaN));
}

/** Every feature by |difference|, largest first (ties in feature order). */
function rankedFeatures(differences: Float64Array): DistinctiveFeature[] {
  return Array.from(differences, (difference, feature) => ({ feature, difference }))
    .sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference) || a.feature - b.feature);
}

/** The top two features from a small effect on, and the third from a medium effect on. */
function distinctiveFeatures(differences: Float64Array): DistinctiveFeature[] {
  return rankedFeatures(differences)
    .filter((entry, rank) => Math.abs(entry.difference) >= (rank < 2 ? SMALL_EFFECT : MEDIUM_EFFECT))
    .slice(0, 3);
}

/**
 * Names every cluster from its distinctive features. Clusters that would share a name take in
 * their next-ranked features, one at a time, until the names differ; if they run out of features,
 * the cluster number is added.
 */
function nameClusters(clusters: ClusterProfile[], features: readonly ProfileFeature[]): void {
  const rankings = clusters.map((cluster) => rankedFeatures(cluster.differences));
  const used = clusters.map((cluster) => cluster.distinctive.length);
  const nameOf = (c: number) => clusterName(rankings[c].slice(0, used[c]), features);
  for (;;) {
    const duplicates = duplicateGroups(clusters.map((_, c) => nameOf(c).en));
    const extendable = duplicates.flat().filter((c) => used[c] < rankings[c].length);
    if (extendable.length === 0) break;
    for (const c of extendable) used[c]++;
  }
  const names = clusters.map((_, c) => nameOf(c));
  for (const group of duplicateGroups(names.map((name) => name.en))) {
    for (const c of group) names[c] = { en: `${names[c].en} (cluster ${c + 1})`, da: `${names[c].da} (klynge ${c + 1})` };
  }
  clusters.forEach((cluster, c) => { cluster.name = names[c]; });
}

/** Indices of the entries that share a text with another, grouped by text. */
function duplicateGroups(texts: string[]): number[][] {
  const groups = new Map<string, number[]>();
  texts.forEach((text, index) => groups.set(text, [...(groups.get(text) ?? []), index]));
  return [...groups.values()].filter((group) => group.length > 1);
}

/** "High revenue, low satisfaction" / "Høj omsætning, lav tilfredshed"; "Close to average" without a feature. */
function clusterName(entries: readonly DistinctiveFeature[], features: readonly ProfileFeature[]): Localized {
  if (entries.length === 0) return { en: 'Close to average', da: 'Tæt på gennemsnittet' };
  const en = entries.map(({ feature, difference }) => `${difference > 0 ? 'high' : 'low'} ${inPhrase(plainName(features[feature].name, 'en'))}`);
  const da = entries.map(({ feature, difference }) => {
    const adjectives = DANISH_ADJECTIVES[features[feature].danishGender ?? guessDanishGender(plainName(features[feature].name, 'da'))];
    return `${difference > 0 ? adjectives.high : adjectives.low} ${inPhrase(plainName(features[feature].name, 'da'))}`;
  });
  return { en: capitalise(en.join(', ')), da: capitalise(da.join(', ')) };
}

function plainName(name: Localized | string, language: 'en' | 'da'): string {
  return typeof name === 'string' ? name : name[language];
}

/** A column name inside a phrase: "Revenue" → "revenue", but "CSI" and "NPS score" keep their capitals. */
function inPhrase(name: string): string {
  const first = name.trim().split(/\s+/)[0] ?? '';
  const acronym = first.length > 1 && first === first.toUpperCase() && first !== first.toLowerCase();
  return acronym ? name.trim() : name.trim().charAt(0).toLowerCase() + name.trim().slice(1);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Neuter Danish nouns that head customer-table column names ("Antal ordrer", "Forbrug", "Dækningsbidrag"). */
const DANISH_NEUTER = new Set([
  'antal', 'forbrug', 'tidsforbrug', 'salg', 'køb', 'indkøb', 'beløb', 'bidrag', 'dækningsbidrag', 'potentiale', 'salgspotentiale',
  'resultat', 'overskud', 'underskud', 'budget', 'besøg', 'niveau', 'omfang', 'timetal', 'ordreantal', 'medlemskab', 'abonnement',
]);

function guessDanishGender(name: string): DanishGender {
  const first = name.trim().split(/\s+/)[0]?.toLowerCase().replace(/[^a-zæøå]/g, '') ?? '';
  return DANISH_NEUTER.has(first) ? 'neuter' : 'common';
}
