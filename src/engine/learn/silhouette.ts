/**
 * How well rows sit in their clusters, and the number of clusters that fits the data best.
 *
 * The silhouette of a row (Rousseeuw 1987, "Silhouettes: a graphical aid to the interpretation and
 * validation of cluster analysis") is s = (b − a) / max(a, b), where a is its mean Euclidean
 * distance to the other rows of its cluster and b the smallest mean distance to the rows of another
 * cluster; s is 0 for a row alone in its cluster. The score is the mean s, from −1 to 1, higher is
 * better, as scikit-learn's silhouette_score computes it. It needs every pair of rows, so a large
 * table is scored on a seeded sample of rows, as silhouette_score(sample_size=…) does, and the
 * result says so.
 */
import { seededSample } from '../random';
import { kmeans, type KMeansResult } from './kmeans';
import type { FeatureMatrix } from './matrix';

/** Tables with more rows than this are scored on a sample of this many rows (10,000² / 2 pairs take well under a second). */
export const DEFAULT_SILHOUETTE_SAMPLE = 10_000;

export interface SilhouetteOptions {
  /** Rows to score at most; a table with more rows is scored on a seeded sample of this many. Default DEFAULT_SILHOUETTE_SAMPLE. */
  sampleSize?: number;
  /** Seed of the mulberry32 generator that draws the sample. Default 1. */
  seed?: number;
}

export interface Silhouette {
  /** Mean silhouette of the rows scored, −1 … 1. */
  score: number;
  /** Whether the rows scored are a sample rather than every clustered row. */
  sampled: boolean;
  /** Rows scored. */
  rowsScored: number;
  /** Rows with a cluster (label ≥ 0), from which the sample is drawn. */
  rowsClustered: number;
}

/**
 * The mean silhouette of a clustering (see the module comment).
 * @param X rows × columns, finite (the matrix that was clustered)
 * @param labels cluster per row (length rows); a negative label leaves the row out
 * @returns the score and whether it was computed on a sample
 * @throws RangeError when labels and X differ in length, the sample size is not a positive
 *   integer, or the rows scored do not fall in 2 … (rows scored − 1) clusters (scikit-learn's ValueError)
 */
export function silhouette(X: FeatureMatrix, labels: Int32Array, options: SilhouetteOptions = {}): Silhouette {
  if (labels.length !== X.rows) throw new RangeError(`${labels.length} labels for ${X.rows} rows.`);
  const sampleSize = options.sampleSize ?? DEFAULT_SILHOUETTE_SAMPLE;
  if (!Number.isInteger(sampleSize) || sampleSize < 2) throw new RangeError(`The silhouette sample needs at least 2 rows; sampleSize = ${sampleSize}.`);
  const clustered = clusteredRows(labels);
  const rows = clustered.length > sampleSize ? seededSample(clustered, sampleSize, options.seed ?? 1) : clustered;
  return { score: meanSilhouette(X, labels, rows), sampled: rows.length < clustered.length, rowsScored: rows.length, rowsClustered: clustered.length };
}

function clusteredRows(labels: Int32Array): Int32Array {
  let count = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) count++;
  const rows = new Int32Array(count);
  let at = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) rows[at++] = i;
  return rows;
}

/** Mean silhouette over `rows`, each pair's distance computed once and added to both rows' sums per cluster. */
function meanSilhouette(X: FeatureMatrix, labels: Int32Array, rows: Int32Array): number {
  const m = rows.length;
  const { columns: d, data } = X;
  // Clusters renumbered 0 … K − 1 in order of appearance among the rows scored.
  const clusterOf = new Int32Array(m);
  const index = new Map<number, number>();
  for (let a = 0; a < m; a++) {
    const label = labels[rows[a]];
    let cluster = index.get(label);
    if (cluster === undefined) index.set(label, (cluster = index.size));
    clusterOf[a] = cluster;
  }
  const K = index.size;
  if (K < 2 || K > m - 1) throw new RangeError(`The silhouette needs 2 to ${m - 1} clusters among the ${m} rows scored; there are ${K}.`);
  const sizes = new Float64Array(K);
  for (let a = 0; a < m; a++) sizes[clusterOf[a]]++;
  const sums = new Float64Array(m * K);
  for (let a = 0; a < m; a++) {
    const aBase = rows[a] * d;
    const aSums = a * K;
    const aCluster = clusterOf[a];
    for (let b = a + 1; b < m; b++) {
      const bBase = rows[b] * d;
      let squared = 0;
      for (let f = 0; f < d; f++) {
        const difference = data[aBase + f] - data[bBase + f];
        squared += difference * difference;
      }
      const distance = Math.sqrt(squared);
      sums[aSums + clusterOf[b]] += distance;
      sums[b * K + aCluster] += distance;
    }
  }
  let total = 0;
  for (let a = 0; a < m; a++) total += rowSilhouette(sums, a * K, clusterOf[a], sizes);
  return total / m;
}

/** s = (b − a) / max(a, b) from a row's distance sums per cluster; 0 alone in its cluster. */
function rowSilhouette(sums: Float64Array, base: number, own: number, sizes: Float64Array): number {
  if (sizes[own] <= 1) return 0;
  const within = sums[base + own] / (sizes[own] - 1);
  let nearest = Infinity;
  for (let c = 0; c < sizes.length; c++) {
    if (c !== own && sums[base + c] / sizes[c] < nearest) nearest = sums[base + c] / sizes[c];
  }
  const larger = Math.max(within, nearest);
  return larger > 0 ? (nearest - within) / larger : 0;
}

export interface ChooseKOptions extends SilhouetteOptions {
  /** Smallest k tried. Default 2. */
  from?: number;
  /** Largest k tried (at most rows − 1). Default 8. */
  to?: number;
  /** k-means starts per k. Default 10. */
  restarts?: number;
}

/** One k tried: its k-means inertia and silhouette. */
export interface KScore {
  k: number;
  /** k-means inertia (sum of squared distances to the centroids, matrix units squared). */
  inertia: number;
  /** Mean silhouette, on the same rows for every k. */
  silhouette: number;
}

export interface ChosenK {
  /** The k with the highest silhouette (the smallest such k on a tie). */
  k: number;
  /** Every k tried, in increasing k, for the Summary. */
  scores: KScore[];
  /** The clustering at the chosen k. */
  clustering: KMeansResult;
  /** Whether the silhouettes were computed on a sample of rows, and on how many. */
  sampled: boolean;
  rowsScored: number;
}

/**
 * k-means at every k from `from` to `to`, and the k whose clustering has the highest silhouette.
 * Every k gets the same seed, and its silhouette the same sample of rows.
 * @param X rows × columns, finite
 * @returns the chosen k, each k's inertia and silhouette, and the clustering at the chosen k
 * @throws RangeError when the range is empty or below 2, or the table has fewer than 3 rows
 */
export function chooseK(X: FeatureMatrix, options: ChooseKOptions = {}): ChosenK {
  const from = options.from ?? 2;
  const to = Math.min(options.to ?? 8, X.rows - 1);
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 2 || to < from) {
    throw new RangeError(`k is chosen from 2 up to rows − 1 (${X.rows - 1}); the range asked is ${from} … ${options.to ?? 8}.`);
  }
  const scores: KScore[] = [];
  let best: { clustering: KMeansResult; silhouette: Silhouette } | undefined;
  for (let k = from; k <= to; k++) {
    const clustering = kmeans(X, k, { seed: options.seed, restarts: options.restarts });
    const score = silhouette(X, clustering.labels, options);
    scores.push({ k, inertia: clustering.inertia, silhouette: score.score });
    if (!best || score.score > best.silhouette.score) best = { clustering, silhouette: score };
  }
  return { k: best!.clustering.centroids.rows, scores, clustering: best!.clustering, sampled: best!.silhouette.sampled, rowsScored: best!.silhouette.rowsScored };
}
