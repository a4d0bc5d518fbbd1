import { profileClusters, type ClusterProfiles, type DanishGender, type ProfileFeature } from '../learn/cluster-profile';
import { FEATURE_DEFAULTS, featureListSetting, skewChoiceSetting, skewSetting } from '../learn/feature-settings';
import {
  analyseFeatures, candidateFeatures, describeFeatureValue, featureSetting, filledSources, fitFeatures,
  type CandidateColumn, type Feature, type FeatureAnalysis, type FeatureSet, type SourceColumn,
} from '../learn/features';
import { kmeans, type KMeansResult } from '../learn/kmeans';
import type { FeatureMatrix } from '../learn/matrix';
import { chooseK, silhouette, type KScore } from '../learn/silhouette';
import { joinedWithResults } from '../learn/result-features';
import {
  formatAmount, formatNumber, inputsOf, type DataSetting, type ModelDefinition, type ModelSettings, type RunContext, type ResultTable, type TierDefinition,
} from '../model';
import { PALETTE } from '../palette';
import { ROLES, roleDefinition, type RoleId } from '../roles';
import { customerCount, isBlankRow, type CustomerTable } from '../table';
import { lazyLocalized, type Language, type Localized } from '../types';

/**
 * Needs-based clusters: k-means (k-means++ starts, 10 seeded restarts: learn/kmeans.ts) on the
 * standardised features of the customer table (learn/features.ts), k set or chosen by silhouette
 * over 2–8 (learn/silhouette.ts), each cluster profiled and named in both languages
 * (learn/cluster-profile.ts), the names renamable.
 *
 * Decisions, and why:
 * - Features by default: the number and date columns. Categories (one-hot) and yes/no columns
 *   are left out unless chosen: a 0/1 level standardised over its rows stands up to 1/√(p(1 − p))
 *   standard deviations from its mean (3.3 for a level held by one customer in twelve), so k-means
 *   would split the customers by industry code or region before any need shows. From an order log
 *   (the BG/NBD columns present) the default is R, F and M: last order (days since), orders and
 *   revenue; first purchase and the BG/NBD inputs restate them (repeat purchases = orders − 1) and
 *   would weigh them twice.
 * - Rows: a customer with fewer than half of the chosen columns filled (a prospect with only
 *   firmographics, in the sample) gets no cluster, and says so: imputing most of a row would place
 *   it at the median customer, a cluster it was never measured to be in. The medians, skewness,
 *   means and standard deviations are taken over the clustered rows alone.
 * - Missing values on the clustered rows are imputed (the feature layer's median or mode) and
 *   stated, but the feature layer's 0/1 "missing" flags are not distances here: a flag set on a
 *   handful of rows stands tens of standard deviations out and would take a cluster of its own.
 * - Same data, same clusters: the seed is fixed (SEED), and clusters are numbered by size, 1 the
 *   largest (kmeans renumbers so).
 * - Renames (setting `names`) are kept with the model's settings in the workbook. A rename that
 *   names the generated English name it replaced follows that cluster whatever its number, and is
 *   dropped, with a note, when no cluster comes out with that profile any more.
 */

/** Most clusters a run may ask for: one tier each. */
export const MAX_CLUSTERS = 12;
/** The range `auto` chooses k from by silhouette. */
export const AUTO_K_FROM = 2;
export const AUTO_K_TO = 8;
/** The mulberry32 seed of every run's k-means++ starts and silhouette sample. */
export const CLUSTERS_SEED = 1;
/** k-means++ starts per k (scikit-learn's n_init = 10). */
export const CLUSTERS_RESTARTS = 10;
/** A customer row is clustered when at least this share of the chosen columns has a value. */
export const ENOUGH_FEATURES_SHARE = 0.5;

/** Roles of the columns an order log's summary adds that restate R, F and M (see the decisions above). */
const LOG_RESTATING_ROLES: readonly RoleId[] = ['since', 'repeatPurchases', 'recencyWeeks', 'ageWeeks', 'meanRepeatSpend', 'holdoutPurchases', 'holdoutWeeks'];
const LOG_ROLES: readonly RoleId[] = ['repeatPurchases', 'recencyWeeks', 'ageWeeks'];

/*
 * Okabe–Ito's eight colours and grey for clusters 1–9, the set readers with the common forms of
 * colour blindness tell apart; 10–12 from Paul Tol's muted scheme (indigo, dark green, wine). Past
 * nine no palette keeps every pair apart for every reader: the cell says the number anyway.
 */
const CLUSTER_COLORS: { fill: string; font: string }[] = [
  PALETTE.blue, PALETTE.orange, PALETTE.green, PALETTE.purple, PALETTE.sky, PALETTE.vermillion, PALETTE.yellow, PALETTE.black, PALETTE.grey,
  { fill: '#332288', font: '#FFFFFF' }, { fill: '#117733', font: '#FFFFFF' }, { fill: '#882255', font: '#FFFFFF' },
];

const ORDINALS_EN = ['largest', '2nd largest', '3rd largest'];

function clusterTier(index: number): TierDefinition {
  const n = index + 1;
  const rank = { en: ORDINALS_EN[index] ?? `${n}th largest`, da: index === 0 ? 'største' : index === 1 ? 'næststørste' : `${n}. største` };
  return {
    id: `Cluster ${n}`,
    label: { en: `Cluster ${n}: the ${rank.en} group of like customers`, da: `Klynge ${n}: den ${rank.da} gruppe af ens kunder` },
    ...CLUSTER_COLORS[index],
    action: {
      en: 'Read the cluster\'s profile (Clusters sheet) and give the group an offer that fits what sets it apart',
      da: 'Læs klyngens profil (arket Klynger), og giv gruppen et tilbud, der passer til det, der adskiller den',
    },
    priority: 5,
  };
}

/** Cluster 1 … Cluster 12: the tier definitions every run picks its first k from. */
const CLUSTER_TIERS: readonly TierDefinition[] = Array.from({ length: MAX_CLUSTERS }, (_, index) => clusterTier(index));

/** The tiers' ids (Cluster 1 …), for the recommendation rule that covers them all. */
export const CLUSTER_TIER_IDS: readonly string[] = CLUSTER_TIERS.map((tier) => tier.id);

/** A cluster's name as the user set it: `generated` is the English name it replaced (the cluster it belongs to). */
export interface ClusterRename {
  /** 1-based cluster number, used when `generated` is absent. */
  cluster: number;
  name: string;
  generated?: string;
}

/** Why the k setting cannot be used, the features give nothing to cluster on, or too few rows are left. */
export class ClusteringError extends Error {
  constructor(readonly text: Localized) {
    super(text.en);
    this.name = 'ClusteringError';
  }
}

/** The k setting: 'auto', or a whole number from 2 to MAX_CLUSTERS (a number or its text, as --set and the pane store it). */
export function clusterCount(settings: ModelSettings): number | 'auto' {
  const value = settings.k;
  if (value === undefined || value === 'auto' || value === '') return 'auto';
  const k = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  if (Number.isInteger(k) && k >= 2 && k <= MAX_CLUSTERS) return k;
  const shown = typeof value === 'object' ? JSON.stringify(value) : String(value);
  throw new ClusteringError({
    en: `the number of clusters must be auto or a whole number from 2 to ${MAX_CLUSTERS}, not ${shown}`,
    da: `antallet af klynger skal være auto eller et helt tal fra 2 til ${MAX_CLUSTERS}, ikke ${shown}`,
  });
}

/** What is wrong with a `names` setting from the workbook, the pane or a settings file; empty when fine. */
export function clusterNameProblems(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return ['The cluster names must be a list of { cluster, name } entries.'];
  return value.flatMap((entry, index) => {
    const where = `Cluster name ${index + 1}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return [`${where}: not a { cluster, name } entry.`];
    const { cluster, name, generated } = entry as Record<string, unknown>;
    const problems: string[] = [];
    if (!(typeof cluster === 'number' && Number.isInteger(cluster) && cluster >= 1 && cluster <= MAX_CLUSTERS)) problems.push(`${where}: cluster must be a whole number from 1 to ${MAX_CLUSTERS}.`);
    if (typeof name !== 'string' || name.trim() === '') problems.push(`${where}: the name must be a text.`);
    if (generated !== undefined && typeof generated !== 'string') problems.push(`${where}: generated must be the generated English name, as text.`);
    return problems;
  });
}

function renamesOf(settings: ModelSettings): ClusterRename[] {
  const value = settings.names;
  const problems = clusterNameProblems(value);
  if (problems.length > 0) throw new ClusteringError({ en: `the cluster names cannot be read: ${problems.join(' ')}`, da: `klyngenavnene kan ikke læses: ${problems.join(' ')}` });
  return (Array.isArray(value) ? value : []) as unknown as ClusterRename[];
}

/** The renames as a setting value (what the pane stores after a rename). */
export function renamesSetting(renames: readonly ClusterRename[]): DataSetting {
  return renames.map((rename) => ({ cluster: rename.cluster, name: rename.name, ...(rename.generated === undefined ? {} : { generated: rename.generated }) }));
}

/**
 * The final name of each cluster: a rename matched by the generated name it replaced, else by
 * number (a rename without `generated`); the generated name otherwise. Renames whose cluster no
 * longer comes out are returned as `dropped`.
 */
export function applyRenames(generated: readonly Localized[], renames: readonly ClusterRename[]): { names: Localized[]; renamed: boolean[]; dropped: ClusterRename[] } {
  const names = [...generated];
  const renamed = generated.map(() => false);
  const dropped: ClusterRename[] = [];
  for (const rename of renames) {
    const target = rename.generated !== undefined
      ? generated.findIndex((name) => name.en === rename.generated)
      : rename.cluster - 1 < generated.length ? rename.cluster - 1 : -1;
    if (target < 0 || renamed[target]) { dropped.push(rename); continue; }
    names[target] = { en: rename.name.trim(), da: rename.name.trim() };
    renamed[target] = true;
  }
  return { names, renamed, dropped };
}

/** A used feature: its index in the feature set, and how the profile and the sheet name it. */
interface UsedFeature {
  index: number;
  feature: Feature;
  source: SourceColumn;
  /** The name the generated cluster names use ("Revenue" / "Omsætning"; "Tenure"). */
  profileName: Localized;
  danishGender?: DanishGender;
  /** Row label on the Clusters sheet ("Omsætning", "Kunde siden (days ago)", "Region: Nord (share)"). */
  sheetLabel: Localized;
  unit: keyof typeof MEAN_UNITS;
}

/** The unit of a feature's means on the Clusters sheet: the sheet formats each row by it. */
export const MEAN_UNITS = {
  number: { en: 'number', da: 'tal' },
  days: { en: 'days ago', da: 'dage siden' },
  share: { en: 'share', da: 'andel' },
} satisfies Record<string, Localized>;

/** Everything a run decided, for the model's result, the Clusters sheet and SEGMENT.CLUSTER. */
export interface ClusterFit {
  k: number;
  chosenBy: 'silhouette' | 'setting';
  /** Each k tried (one entry when k was set), with its inertia and silhouette. */
  scores: KScore[];
  /** Whether the silhouettes were on a sample, and how many rows were scored. */
  sampled: boolean;
  rowsScored: number;
  clustering: KMeansResult;
  /** Cluster per table row (0-based), -1 for a row without one. */
  labels: Int32Array;
  /** Rows clustered, and customer rows left out for too few values. */
  clustered: number;
  leftOutRows: number;
  features: UsedFeature[];
  set: FeatureSet;
  profiles: ClusterProfiles;
  generatedNames: Localized[];
  names: Localized[];
  renamed: boolean[];
  droppedRenames: ClusterRename[];
  /** Columns the default choice left out (categories, yes/no, an order log's restating columns). */
  notChosenByDefault: string[];
  /** Features dropped from the distances: missing flags, and features constant on the clustered rows. */
  flagsDropped: number;
  constantDropped: string[];
}

/** The role a table column is mapped to, if any. */
function roleOf(table: CustomerTable, source: SourceColumn): RoleId | undefined {
  if (source.origin !== 'table') return undefined;
  return ROLES.find((role) => table.mapping[role.id] === source.column)?.id;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLocaleLowerCase('da') + text.slice(1);
}

/** How the generated names and the sheet call a feature (see UsedFeature). */
function describeFeature(table: CustomerTable, index: number, feature: Feature, source: SourceColumn): UsedFeature {
  const role = roleOf(table, source);
  const label: Localized = role ? roleDefinition(role).label : { en: source.header, da: source.header };
  const base = { index, feature, source };
  if (feature.kind === 'category') {
    return {
      ...base, profileName: { en: `share ${feature.label.en}`, da: `andel ${feature.label.da}` }, danishGender: 'common',
      sheetLabel: feature.label, unit: 'share',
    };
  }
  if (feature.kind === 'boolean') {
    return {
      ...base, profileName: { en: `share ${lowerFirst(label.en)}`, da: `andel ${lowerFirst(label.da)}` }, danishGender: 'common',
      sheetLabel: { en: `${source.header} (share yes)`, da: `${source.header} (andel ja)` }, unit: 'share',
    };
  }
  if (feature.kind === 'date') {
    const profileName = role === 'since' ? { en: 'Tenure', da: 'Anciennitet' }
      : role === 'lastOrder' ? { en: 'Days since last order', da: 'Antal dage siden seneste køb' }
        : { en: `Days since ${source.header}`, da: `Antal dage siden ${source.header}` };
    return {
      ...base, profileName, danishGender: role === 'since' ? 'common' : 'neuter',
      sheetLabel: { en: `${source.header} (days ago)`, da: `${source.header} (dage siden)` }, unit: 'days',
    };
  }
  return { ...base, profileName: label, sheetLabel: { en: source.header, da: source.header }, unit: 'number' };
}

/**
 * The headers clustered when the user chose none: the usable number and date columns, without an
 * order log's restating columns; every usable column when there is no such column.
 */
function defaultFeatureHeaders(table: CustomerTable, candidates: readonly CandidateColumn[] = candidateFeatures(table)): { chosen: string[]; notChosen: string[] } {
  const fromLog = LOG_ROLES.every((role) => table.mapping[role] !== undefined);
  const restating = new Set(fromLog ? LOG_RESTATING_ROLES.map((role) => table.mapping[role]).filter((column) => column !== undefined) : []);
  const usable = candidates.filter((candidate) => candidate.usable);
  const measured = usable.filter((candidate) => (candidate.kind === 'number' || candidate.kind === 'date') && !(candidate.origin === 'table' && restating.has(candidate.column)));
  const chosen = measured.length > 0 ? measured : usable;
  return { chosen: chosen.map((candidate) => candidate.header), notChosen: usable.filter((candidate) => !chosen.includes(candidate)).map((candidate) => candidate.header) };
}

/** The candidates of the table's own columns and of table.joined: those defaultFeatureHeaders chooses from, without RFM's and CLV's result columns. */
function tableCandidates(table: CustomerTable, analysis: FeatureAnalysis): CandidateColumn[] {
  const joinedCount = table.joined?.headers.length ?? 0;
  return analysis.candidates.filter((candidate) => candidate.origin === 'table' || candidate.column < joinedCount);
}

/** 1 for each customer row with at least ENOUGH_FEATURES_SHARE of the sources filled (`filled`: per row, as filledSources counts them). */
function rowsWithEnough(table: CustomerTable, sources: number, filled: Int32Array): Uint8Array {
  const rows = new Uint8Array(table.rowCount);
  const needed = Math.ceil(ENOUGH_FEATURES_SHARE * sources);
  for (let i = 0; i < table.rowCount; i++) rows[i] = filled[i] >= needed && filled[i] > 0 && !isBlankRow(table, i) ? 1 : 0;
  return rows;
}

/** The clustered rows × used features, from the feature set's standardised matrix. */
function clusterMatrix(set: FeatureSet, used: readonly UsedFeature[], rows: Int32Array): FeatureMatrix {
  const width = set.matrix.columns;
  const d = used.length;
  const data = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r] * width;
    for (let j = 0; j < d; j++) data[r * d + j] = set.matrix.data[base + used[j].index];
  }
  return { rows: rows.length, columns: d, data };
}

/** Every table row × used features, standardised: the scale the profile measures differences on. */
function fullMatrix(set: FeatureSet, used: readonly UsedFeature[]): FeatureMatrix {
  const all = Int32Array.from({ length: set.matrix.rows }, (_, i) => i);
  return clusterMatrix(set, used, all);
}

/** A feature's raw value per row for the profile: the source's value, or 1/0 for a one-hot level (NaN where missing). */
function rawValues(used: UsedFeature, rows: number): Float64Array {
  const { source, feature } = used;
  if (feature.kind !== 'category') return source.values!;
  const level = source.levels!.indexOf(feature.level!);
  return Float64Array.from({ length: rows }, (_, i) => (source.codes![i] < 0 ? NaN : source.codes![i] === level ? 1 : 0));
}

/**
 * Fits the clusters of a customer table as the clusters model does (see the decisions at the top).
 * @param settings k ('auto' or 2–12), features (headers; empty = the default choice), skew, names
 * @throws ClusteringError (with `text` in both languages) when k is not valid, nothing can be clustered on, or too few rows are left
 * @throws UnknownFeatureError when a chosen header names no column
 */
export function fitClusters(table: CustomerTable, settings: ModelSettings, context?: RunContext): ClusterFit {
  // RFM's and CLV's numbers, where they ran in this run, can be chosen as features by name.
  const joined = joinedWithResults(table, context);
  const k = clusterCount(settings);
  const renames = renamesOf(settings);
  const skew = skewSetting(settings);
  const chosenSetting = featureSetting(settings);
  // Every column is analysed once; the rows with enough filled are found on it, then the one fit is made on those rows.
  const analysis = analyseFeatures(table, { joined });
  const defaults = chosenSetting ? undefined : defaultFeatureHeaders(table, tableCandidates(table, analysis));
  const columns = chosenSetting ?? defaults!.chosen;
  if (columns.length === 0) throw new ClusteringError({ en: 'no column describes the customers (every column is an identifier, a name, free text, constant or mostly blank)', da: 'ingen kolonne beskriver kunderne (alle kolonner er identifikatorer, navne, fritekst, konstante eller mest tomme)' });
  const { sources, filled } = filledSources(analysis, columns);
  if (sources === 0) throw new ClusteringError({ en: `none of the chosen columns can describe a customer (${columns.join(', ')})`, da: `ingen af de valgte kolonner kan beskrive en kunde (${columns.join(', ')})` });
  const enough = rowsWithEnough(table, sources, filled);
  const clusteredRows = Int32Array.from({ length: table.rowCount }, (_, i) => i).filter((i) => enough[i] === 1);
  const n = clusteredRows.length;
  const smallest = k === 'auto' ? 3 : k;
  if (n < smallest) {
    throw new ClusteringError({
      en: `${k === 'auto' ? 'choosing k needs' : `${k} clusters need`} at least ${smallest} customers with at least half of the ${sources} chosen columns filled; there ${n === 1 ? 'is' : 'are'} ${n}`,
      da: `${k === 'auto' ? 'at vælge k kræver' : `${k} klynger kræver`} mindst ${smallest} kunder med mindst halvdelen af de ${sources} valgte kolonner udfyldt; der er ${n}`,
    });
  }
  const set = fitFeatures(analysis, { columns, skew, fitRows: enough });
  const all = set.features.map((feature, index) => describeFeature(table, index, feature, set.sources[feature.sourceIndex]));
  const flagsDropped = all.filter((used) => used.feature.kind === 'missing').length;
  const constant = all.filter((used) => used.feature.kind !== 'missing' && !(used.feature.sd > 0));
  const used = all.filter((used) => used.feature.kind !== 'missing' && used.feature.sd > 0);
  if (used.length === 0) throw new ClusteringError({ en: 'every chosen column has one value on the customers to cluster: there is nothing to tell them apart', da: 'alle valgte kolonner har én værdi for de kunder, der skal grupperes: intet skiller dem ad' });
  const X = clusterMatrix(set, used, clusteredRows);
  const clustering = cluster(X, k);
  const labels = new Int32Array(table.rowCount).fill(-1);
  clusteredRows.forEach((row, r) => { labels[row] = clustering.clustering.labels[r]; });
  const profileFeatures: ProfileFeature[] = used.map((feature) => ({ name: feature.profileName, values: rawValues(feature, table.rowCount), ...(feature.danishGender ? { danishGender: feature.danishGender } : {}) }));
  const revenue = table.numbers.revenue;
  const profiles = profileClusters(labels, profileFeatures, { standardised: fullMatrix(set, used), k: clustering.k, ...(revenue ? { revenue } : {}) });
  const generatedNames = profiles.clusters.map((profile) => profile.name);
  const { names, renamed, dropped } = applyRenames(generatedNames, renames);
  return {
    ...clustering, labels, clustered: n, leftOutRows: customerCount(table) - n, features: used, set, profiles, generatedNames, names, renamed, droppedRenames: dropped,
    notChosenByDefault: defaults?.notChosen ?? [], flagsDropped, constantDropped: constant.map((feature) => feature.feature.name),
  };
}

/** k-means at the set k, or at each k of 2–8 with the silhouette's choice. */
function cluster(X: FeatureMatrix, k: number | 'auto'): Pick<ClusterFit, 'k' | 'chosenBy' | 'scores' | 'sampled' | 'rowsScored' | 'clustering'> {
  const options = { seed: CLUSTERS_SEED, restarts: CLUSTERS_RESTARTS };
  if (k === 'auto') {
    const chosen = chooseK(X, { ...options, from: AUTO_K_FROM, to: Math.min(AUTO_K_TO, X.rows - 1) });
    return { k: chosen.k, chosenBy: 'silhouette', scores: chosen.scores, sampled: chosen.sampled, rowsScored: chosen.rowsScored, clustering: chosen.clustering };
  }
  const clustering = kmeans(X, k, options);
  // The silhouette needs 2 … rows − 1 clusters among the rows it scores; k = rows has none to give.
  let score = NaN;
  let sampled = false;
  let rowsScored = 0;
  if (k < X.rows) {
    const result = silhouette(X, clustering.labels, { seed: CLUSTERS_SEED });
    ({ score, sampled, rowsScored } = { score: result.score, sampled: result.sampled, rowsScored: result.rowsScored });
  }
  return { k, chosenBy: 'setting', scores: [{ k, inertia: clustering.inertia, silhouette: score }], sampled, rowsScored, clustering };
}

/** A mean in a feature's unit: amounts as formatAmount, shares as percentages, ages in whole days. */
function meanText(used: UsedFeature, value: number, language: Language): string {
  if (!Number.isFinite(value)) return '–';
  if (used.unit === 'share') return `${formatNumber(value * 100, language, 0)} %`;
  if (used.unit === 'days') return formatNumber(value, language, 0);
  return formatAmount(value, language);
}

/** "Omsætning 1,234,567 (cluster 1,100,000, all 450,000)": one distinctive feature of a row's cluster, as the row has it. */
function featureReason(fit: ClusterFit, used: UsedFeature, c: number, row: number, language: Language): string {
  const j = fit.features.indexOf(used);
  const own = describeFeatureValue(fit.set, used.index, row, language);
  const words = language === 'da' ? { cluster: 'klynge', all: 'alle' } : { cluster: 'cluster', all: 'all' };
  const unit = used.unit === 'share' ? '' : used.unit === 'days' ? (language === 'da' ? ' dage' : ' days') : '';
  return `${own} (${words.cluster} ${meanText(used, fit.profiles.clusters[c].means[j], language)}${unit}, ${words.all} ${meanText(used, fit.profiles.tableMeans[j], language)}${unit})`;
}

/** "Omsætning 1,234,567 vs 450,000 overall; …": what sets cluster c apart, for the Clusters sheet. */
export function apartText(fit: ClusterFit, c: number, language: Language): string {
  const profile = fit.profiles.clusters[c];
  if (profile.distinctive.length === 0) return language === 'da' ? 'tæt på gennemsnittet på alle kendetegn' : 'close to the average on every feature';
  return profile.distinctive.map(({ feature }) => {
    const used = fit.features[feature];
    const label = used.sheetLabel[language];
    const vs = language === 'da' ? 'mod' : 'vs';
    const overall = language === 'da' ? 'for alle' : 'overall';
    return `${label} ${meanText(used, profile.means[feature], language)} ${vs} ${meanText(used, fit.profiles.tableMeans[feature], language)} ${overall}`;
  }).join('; ');
}

/** Why row i got its cluster, or none (see ModelResult.explain). */
function explainRow(fit: ClusterFit, table: CustomerTable, present: Int32Array, row: number, language: Language): string {
  const da = language === 'da';
  const c = fit.labels[row];
  if (c < 0) {
    if (isBlankRow(table, row)) return '';
    const total = fit.set.sources.length;
    const needed = Math.ceil(ENOUGH_FEATURES_SHARE * total);
    return da
      ? `ingen klynge: ${present[row]} af de ${total} valgte kolonner udfyldt, færre end de ${needed} nødvendige (for lidt kendt til at placere kunden)`
      : `no cluster: ${present[row]} of the ${total} chosen columns filled, fewer than the ${needed} needed (too little known to place the customer)`;
  }
  const head = `${da ? 'Klynge' : 'Cluster'} ${c + 1} · ${fit.names[c][language]}`;
  const distinctive = fit.profiles.clusters[c].distinctive;
  if (distinctive.length === 0) return `${head}: ${da ? 'tæt på gennemsnittet på alle kendetegn' : 'close to the average on every feature'}`;
  return `${head}: ${distinctive.map(({ feature }) => featureReason(fit, fit.features[feature], c, row, language)).join('; ')}`;
}

function count(value: number, language: Language): string {
  return formatNumber(value, language, 0);
}

/** The notes: k and how it was chosen, the features used and left out, imputed and transformed, the rows left out. */
function clusterNotes(fit: ClusterFit): Localized[] {
  const notes: Localized[] = [];
  const silhouetteRows = (language: Language) => (fit.sampled
    ? (language === 'da' ? `på en fast stikprøve af ${count(fit.rowsScored, language)} af de ${count(fit.clustered, language)} kunder` : `on a seeded sample of ${count(fit.rowsScored, language)} of the ${count(fit.clustered, language)} customers`)
    : (language === 'da' ? `på alle ${count(fit.clustered, language)} kunder` : `on all ${count(fit.clustered, language)} customers`));
  const best = fit.scores.find((score) => score.k === fit.k)!;
  if (fit.chosenBy === 'silhouette') {
    notes.push(lazyLocalized((language) => (language === 'da'
      ? `k = ${fit.k}: valgt efter silhouet blandt k = ${fit.scores[0].k}–${fit.scores[fit.scores.length - 1].k} (højeste gennemsnitlige silhouet ${formatNumber(best.silhouette, language, 3)}, beregnet ${silhouetteRows(language)}).`
      : `k = ${fit.k}: chosen by silhouette over k = ${fit.scores[0].k}–${fit.scores[fit.scores.length - 1].k} (highest mean silhouette ${formatNumber(best.silhouette, language, 3)}, computed ${silhouetteRows(language)}).`)));
  } else {
    notes.push(lazyLocalized((language) => (language === 'da'
      ? `k = ${fit.k} som sat (silhouet ${Number.isFinite(best.silhouette) ? formatNumber(best.silhouette, language, 3) : '–'}, beregnet ${silhouetteRows(language)}).`
      : `k = ${fit.k} as set (silhouette ${Number.isFinite(best.silhouette) ? formatNumber(best.silhouette, language, 3) : '–'}, computed ${silhouetteRows(language)}).`)));
  }
  notes.push(lazyLocalized((language) => {
    const each = fit.scores.map((score) => `k ${score.k}: ${language === 'da' ? 'silhouet' : 'silhouette'} ${Number.isFinite(score.silhouette) ? formatNumber(score.silhouette, language, 3) : '–'}, inerti${language === 'da' ? '' : 'a'} ${formatNumber(score.inertia, language, 1)}`);
    return `${language === 'da' ? 'Hvert k' : 'Each k'}: ${each.join('; ')}.`;
  }));
  notes.push(lazyLocalized((language) => (language === 'da'
    ? `k-means med k-means++-starter (${CLUSTERS_RESTARTS} starter, frø ${CLUSTERS_SEED}: samme data giver samme klynger) på standardiserede kendetegn; ${fit.clustering.converged ? 'konvergerede' : 'stoppede uden at konvergere'} efter ${fit.clustering.iterations} iterationer. Klyngerne er nummereret efter størrelse, 1 den største.`
    : `k-means with k-means++ starts (${CLUSTERS_RESTARTS} starts, seed ${CLUSTERS_SEED}: the same data gives the same clusters) on standardised features; ${fit.clustering.converged ? 'converged' : 'stopped without converging'} after ${fit.clustering.iterations} iterations. Clusters are numbered by size, 1 the largest.`)));
  const usedSources = [...new Set(fit.features.map((used) => used.source))];
  const sourceText = (source: SourceColumn, language: Language) => {
    const kind = source.kind === 'category' ? (language === 'da' ? `kategori, ${source.levels!.length} niveauer` : `category, ${source.levels!.length} levels`)
      : source.kind === 'date' ? (language === 'da' ? 'dage siden' : 'days ago')
        : source.kind === 'boolean' ? (language === 'da' ? 'ja/nej' : 'yes/no') : source.transform === 'log' ? 'log(1 + x)' : '';
    return kind ? `${source.header} (${kind})` : source.header;
  };
  notes.push(lazyLocalized((language) => `${language === 'da' ? 'Kendetegn' : 'Features'} (${usedSources.length}): ${usedSources.map((source) => sourceText(source, language)).join(', ')}.`));
  if (fit.notChosenByDefault.length > 0) {
    notes.push({
      en: `Not clustered on unless chosen (Features): ${fit.notChosenByDefault.join(', ')}. By default the clusters use the number and date columns (from an order log: last order, orders and revenue): a one-hot category or a yes/no stands several standard deviations out for the few who have it and would split the customers by code before any need shows.`,
      da: `Ikke brugt til klynger, medmindre de vælges (Kendetegn): ${fit.notChosenByDefault.join(', ')}. Som standard bruger klyngerne tal- og datokolonnerne (fra en ordrelog: seneste køb, antal ordrer og omsætning): en one-hot-kategori eller et ja/nej ligger flere standardafvigelser ude for de få, der har den, og ville dele kunderne efter kode, før noget behov viser sig.`,
    });
  }
  const leftOut = fit.set.leftOut.filter((column) => column.reason !== 'notChosen');
  if (leftOut.length > 0) {
    notes.push(lazyLocalized((language) => `${language === 'da' ? 'Udeladt' : 'Left out'}: ${leftOut.map((column) => `${column.header} (${column.why[language]})`).join('; ')}.`));
  }
  notes.push(...imputationNotes(fit));
  if (fit.flagsDropped > 0 || fit.constantDropped.length > 0) {
    notes.push({
      en: `Not distances: ${fit.flagsDropped > 0 ? 'the 0/1 flags of missing values (a flag set on a few rows stands far out and would take a cluster of its own)' : ''}${fit.flagsDropped > 0 && fit.constantDropped.length > 0 ? '; ' : ''}${fit.constantDropped.length > 0 ? `features with one value on the clustered customers (${fit.constantDropped.join(', ')})` : ''}.`,
      da: `Ikke afstande: ${fit.flagsDropped > 0 ? '0/1-markeringerne af manglende værdier (en markering på få rækker ligger langt ude og ville få sin egen klynge)' : ''}${fit.flagsDropped > 0 && fit.constantDropped.length > 0 ? '; ' : ''}${fit.constantDropped.length > 0 ? `kendetegn med én værdi for de grupperede kunder (${fit.constantDropped.join(', ')})` : ''}.`,
    });
  }
  if (fit.leftOutRows > 0) {
    const needed = Math.ceil(ENOUGH_FEATURES_SHARE * fit.set.sources.length);
    notes.push(lazyLocalized((language) => (language === 'da'
      ? `${count(fit.leftOutRows, language)} kunder med færre end ${needed} af de ${fit.set.sources.length} valgte kolonner udfyldt (emner med kun firmadata, fx) får ingen klynge: at udfylde det meste af en række ville placere den ved mediankunden.`
      : `${count(fit.leftOutRows, language)} customers with fewer than ${needed} of the ${fit.set.sources.length} chosen columns filled (prospects with only firmographics, say) get no cluster: imputing most of a row would place it at the median customer.`)));
  }
  if (fit.droppedRenames.length > 0) {
    notes.push({
      en: `Names not applied, as no cluster comes out with the profile they were given to: ${fit.droppedRenames.map((rename) => `"${rename.name}"${rename.generated ? ` (was "${rename.generated}")` : ` (cluster ${rename.cluster})`}`).join(', ')}.`,
      da: `Navne ikke brugt, da ingen klynge kommer ud med den profil, de blev givet til: ${fit.droppedRenames.map((rename) => `"${rename.name}"${rename.generated ? ` (var "${rename.generated}")` : ` (klynge ${rename.cluster})`}`).join(', ')}.`,
    });
  }
  return notes;
}

/** Imputed values among the clustered customers (the feature layer counts every customer row), and the logs taken. */
function imputationNotes(fit: ClusterFit): Localized[] {
  const notes: Localized[] = [];
  const logged = fit.set.sources.filter((source) => source.transform === 'log' && fit.features.some((used) => used.source === source)).map((source) => source.header);
  if (logged.length > 0) {
    notes.push({ en: `Log-transformed (log(1 + x)) as heavily skewed, before standardising: ${logged.join(', ')}.`, da: `Log-transformeret (log(1 + x)) som stærkt skæve, før standardisering: ${logged.join(', ')}.` });
  }
  for (const used of fit.features) {
    const { source, feature } = used;
    if (feature.kind === 'category' && feature.level !== source.levels![0]) continue;
    let missing = 0;
    for (let i = 0; i < fit.labels.length; i++) {
      if (fit.labels[i] < 0) continue;
      if (source.codes ? source.codes[i] < 0 : Number.isNaN(source.values![i])) missing++;
    }
    if (missing === 0) continue;
    const how = feature.kind === 'category' ? { en: 'given no level', da: 'givet intet niveau' }
      : feature.kind === 'boolean' ? { en: `imputed with the most common value ${formatAmount(feature.imputedValue ?? NaN, 'en')}`, da: `udfyldt med den hyppigste værdi ${formatAmount(feature.imputedValue ?? NaN, 'da')}` }
        : { en: `imputed with the median ${formatAmount(feature.imputedValue ?? NaN, 'en')}`, da: `udfyldt med medianen ${formatAmount(feature.imputedValue ?? NaN, 'da')}` };
    notes.push({
      en: `${source.header}: ${count(missing, 'en')} of the clustered customers missing, ${how.en}.`,
      da: `${source.header}: ${count(missing, 'da')} af de grupperede kunder mangler, ${how.da}.`,
    });
  }
  return notes;
}

const TABLE_WORDS = {
  cluster: { en: 'Cluster', da: 'Klynge' },
  name: { en: 'Name', da: 'Navn' },
  customers: { en: 'Customers', da: 'Kunder' },
  shareCustomers: { en: 'Share of customers', da: 'Andel af kunder' },
  shareRevenue: { en: 'Share of revenue', da: 'Andel af omsætning' },
  apart: { en: 'Sets it apart', da: 'Adskiller den' },
  generated: { en: 'Generated name', da: 'Genereret navn' },
  feature: { en: 'Feature', da: 'Kendetegn' },
  unit: { en: 'Unit', da: 'Enhed' },
  all: { en: 'All customers', da: 'Alle kunder' },
  k: { en: 'k', da: 'k' },
  inertia: { en: 'Inertia', da: 'Inerti' },
  silhouette: { en: 'Silhouette', da: 'Silhouet' },
  chosen: { en: 'Chosen', da: 'Valgt' },
} satisfies Record<string, Localized>;

/** The tables the Clusters sheet shows: the clusters, the feature means against the table, the k choice. */
function clusterTables(fit: ClusterFit): ResultTable[] {
  const clusterLabel = (c: number): Localized => ({ en: `Cluster ${c + 1}`, da: `Klynge ${c + 1}` });
  const profile: ResultTable = {
    key: 'clusters.profile',
    title: { en: 'The clusters, numbered by size', da: 'Klyngerne, nummereret efter størrelse' },
    columns: [
      { label: TABLE_WORDS.cluster, decimals: 0 }, { label: TABLE_WORDS.name, decimals: 0 }, { label: TABLE_WORDS.customers, decimals: 0 },
      { label: TABLE_WORDS.shareCustomers, decimals: 3 }, { label: TABLE_WORDS.shareRevenue, decimals: 3 }, { label: TABLE_WORDS.apart, decimals: 0 },
      { label: TABLE_WORDS.generated, decimals: 0 },
    ],
    rows: fit.profiles.clusters.map((cluster, c) => [
      clusterLabel(c), fit.names[c], cluster.size, cluster.shareOfCustomers, cluster.shareOfRevenue ?? NaN,
      lazyLocalized((language) => apartText(fit, c, language)), fit.renamed[c] ? fit.generatedNames[c] : { en: '', da: '' },
    ]),
  };
  const means: ResultTable = {
    key: 'clusters.means',
    title: { en: 'Mean of each feature per cluster, against all clustered customers (raw units, before any log)', da: 'Gennemsnit af hvert kendetegn pr. klynge mod alle grupperede kunder (rå enheder, før evt. logaritme)' },
    columns: [
      { label: TABLE_WORDS.feature, decimals: 0 }, { label: TABLE_WORDS.unit, decimals: 0 }, { label: TABLE_WORDS.all, decimals: 2 },
      ...fit.profiles.clusters.map((_, c) => ({ label: clusterLabel(c), decimals: 2 })),
    ],
    rows: fit.features.map((used, j) => [used.sheetLabel, MEAN_UNITS[used.unit], fit.profiles.tableMeans[j], ...fit.profiles.clusters.map((cluster) => cluster.means[j])]),
  };
  const kChoice: ResultTable = {
    key: 'clusters.k',
    title: fit.chosenBy === 'silhouette'
      ? { en: 'Choosing k: k-means at each k, the highest mean silhouette chosen', da: 'Valg af k: k-means ved hvert k, den højeste gennemsnitlige silhouet valgt' }
      : { en: 'k as set', da: 'k som sat' },
    columns: [{ label: TABLE_WORDS.k, decimals: 0 }, { label: TABLE_WORDS.inertia, decimals: 1 }, { label: TABLE_WORDS.silhouette, decimals: 3 }, { label: TABLE_WORDS.chosen, decimals: 0 }],
    rows: fit.scores.map((score) => [score.k, score.inertia, score.silhouette, score.k === fit.k ? { en: 'chosen', da: 'valgt' } : { en: '', da: '' }]),
  };
  return [profile, means, kChoice];
}

/** The roles of the columns the features came from, in the catalog's role order. */
function rolesRead(table: CustomerTable, fit: ClusterFit): RoleId[] {
  const roles = new Set(fit.features.map((used) => roleOf(table, used.source)).filter((role): role is RoleId => role !== undefined));
  return ROLES.map((role) => role.id).filter((role) => roles.has(role));
}

/** The fit behind each result the clusters model returned: the Clusters sheet reads it. */
const FITS = new WeakMap<object, ClusterFit>();

/** The fit of a clusters result, for the Clusters sheet; undefined for any other result. */
export function clusterFitOf(result: object): ClusterFit | undefined {
  return FITS.get(result);
}

export const clusters: ModelDefinition = {
  id: 'clusters',
  name: { en: 'Needs-based clusters', da: 'Behovsbaserede klynger' },
  description: {
    en: 'Groups of like customers found by k-means on the columns that describe them, k chosen by silhouette (or set); each cluster profiled against the whole table and named by what sets it apart.',
    da: 'Grupper af ens kunder fundet med k-means på de kolonner, der beskriver dem, k valgt efter silhouet (eller sat); hver klynge profileret mod hele tabellen og navngivet efter det, der adskiller den.',
  },
  columnHeader: 'Segment Clusters',
  columnHeaderDa: 'Segment Klynger',
  functionName: 'CLUSTER',
  inputs: [],
  onlyWhenChosen: true,
  settings: [
    {
      key: 'k', kind: 'choice', label: { en: 'Number of clusters', da: 'Antal klynger' },
      options: [
        { value: 'auto', label: { en: `Auto: best silhouette, ${AUTO_K_FROM}–${AUTO_K_TO}`, da: `Auto: bedste silhouet, ${AUTO_K_FROM}–${AUTO_K_TO}` } },
        ...Array.from({ length: MAX_CLUSTERS - 1 }, (_, index) => ({ value: String(index + 2), label: { en: String(index + 2), da: String(index + 2) } })),
      ],
    },
    featureListSetting(),
    skewChoiceSetting(),
    { key: 'names', kind: 'data', editor: 'clusterNames', label: { en: 'Cluster names (rename a generated name)', da: 'Klyngenavne (omdøb et genereret navn)' } },
  ],
  defaults: { k: 'auto', ...structuredClone(FEATURE_DEFAULTS), names: [] },
  tiers: [...CLUSTER_TIERS],
  defaultFeatures: (table: CustomerTable) => defaultFeatureHeaders(table).chosen,
  run(table: CustomerTable, settings, context) {
    const fit = fitClusters(table, settings, context);
    const first = filledColumnsPerRow(table, fit);
    const tiers = Int8Array.from(fit.labels, (label) => label);
    const revenue = table.numbers.revenue;
    const result = {
      modelId: 'clusters',
      inputs: inputsOf(table, rolesRead(table, fit)),
      tiers,
      cuts: [],
      metrics: [{
        key: 'clusters.profile', label: { en: 'Cluster profile', da: 'Klyngeprofil' }, format: 'text' as const, table: true, priority: true,
        text: (row: number): Localized => (fit.labels[row] < 0 ? { en: '', da: '' } : fit.names[fit.labels[row]]),
      }],
      notes: clusterNotes(fit),
      measure: 'revenue' as const,
      explain: (row: number) => lazyLocalized((language) => explainRow(fit, table, first, row, language)),
      priorityWithinTier: (row: number) => (revenue ? revenue[row] : NaN),
      tables: clusterTables(fit),
      tierCount: fit.k,
    };
    FITS.set(result, fit);
    return result;
  },
  formula: () => null,
  valuesOnly: {
    en: 'Clusters are written as values: a customer\'s cluster depends on every other row (the standardisation, the centroids and k are fitted on the whole table from seeded k-means++ starts), which no per-row spreadsheet formula can recompute; SEGMENT.CLUSTER does it over a whole range.',
    da: 'Klynger skrives som værdier: en kundes klynge afhænger af alle andre rækker (standardiseringen, centroiderne og k estimeres på hele tabellen fra fastsatte k-means++-starter), hvilket ingen formel pr. række kan genberegne; SEGMENT.CLUSTER gør det over et helt område.',
  },
};

/** How many of the chosen columns each row has filled (for the explanation of a row left out). */
function filledColumnsPerRow(table: CustomerTable, fit: ClusterFit): Int32Array {
  const filled = new Int32Array(table.rowCount);
  for (const { codes, values } of fit.set.sources) {
    for (let i = 0; i < table.rowCount; i++) if (codes ? codes[i] >= 0 : !Number.isNaN(values![i])) filled[i]++;
  }
  return filled;
}
