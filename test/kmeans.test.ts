import { describe, expect, it } from 'vitest';
import { profileClusters } from '../src/engine/learn/cluster-profile';
import { kmeans, kmeansPlusPlus, lloyd } from '../src/engine/learn/kmeans';
import type { FeatureMatrix } from '../src/engine/learn/matrix';
import { chooseK, silhouette } from '../src/engine/learn/silhouette';
import { mulberry32 } from '../src/engine/random';
import { nameWithData, ONLINE_RETAIL } from './support/public-data';
import { retailRfm, type RetailRfm } from './support/retail-rfm';

const matrix = (rows: number[][]): FeatureMatrix => ({ rows: rows.length, columns: rows[0].length, data: Float64Array.from(rows.flat()) });

/** Gaussian blobs around the centres given (Box–Muller on mulberry32), each row's blob drawn at random. */
function blobs(rows: number, centres: number[][], spread: number, seed: number): FeatureMatrix {
  const random = mulberry32(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const d = centres[0].length;
  const data = new Float64Array(rows * d);
  for (let i = 0; i < rows; i++) {
    const centre = centres[Math.floor(random() * centres.length)];
    for (let f = 0; f < d; f++) data[i * d + f] = centre[f] + spread * gaussian();
  }
  return { rows, columns: d, data };
}

/** Plain Lloyd, every distance every iteration, stopping as scikit-learn stops: what Hamerly's bounds must reproduce. */
function plainLloyd(X: FeatureMatrix, initial: FeatureMatrix, tolerance: number) {
  const { rows: n, columns: d, data } = X;
  const k = initial.rows;
  let centroids = Float64Array.from(initial.data);
  let labels = new Int32Array(n).fill(-1);
  const nearest = (c: Float64Array, i: number) => {
    let best = 0;
    let bestDistance = Infinity;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let f = 0; f < d; f++) s += (data[i * d + f] - c[j * d + f]) ** 2;
      if (s < bestDistance) [best, bestDistance] = [j, s];
    }
    return best;
  };
  for (let iteration = 1; ; iteration++) {
    const next = Int32Array.from({ length: n }, (_, i) => nearest(centroids, i));
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    next.forEach((label, i) => { counts[label]++; for (let f = 0; f < d; f++) sums[label * d + f] += data[i * d + f]; });
    const moved = sums.map((sum, at) => sum / counts[Math.floor(at / d)]);
    const shift = moved.reduce((total, value, at) => total + (value - centroids[at]) ** 2, 0);
    const strict = next.every((label, i) => label === labels[i]);
    [labels, centroids] = [next, moved];
    if (strict || shift <= tolerance) {
      const final = strict ? labels : Int32Array.from({ length: n }, (_, i) => nearest(centroids, i));
      let inertia = 0;
      final.forEach((label, i) => { for (let f = 0; f < d; f++) inertia += (data[i * d + f] - centroids[label * d + f]) ** 2; });
      return { labels: final, centroids, inertia, iterations: iteration };
    }
  }
}

describe('k-means on hand-worked cases', () => {
  it('runs Lloyd from given starts as worked by hand (and as scikit-learn 1.2.1 does: same labels, centroids, inertia and n_iter_)', () => {
    // 0 | 1 5 6 7 from starts 0 and 1: 1 joins 0 in the second iteration, the third changes nothing.
    const result = lloyd(matrix([[0], [1], [5], [6], [7]]), matrix([[0], [1]]));
    expect(Array.from(result.labels)).toEqual([0, 0, 1, 1, 1]);
    expect(Array.from(result.centroids.data)).toEqual([0.5, 6]);
    expect(result.inertia).toBe(0.25 + 0.25 + 1 + 0 + 1);
    expect([result.iterations, result.converged]).toEqual([3, true]);
  });

  it('refills an empty cluster with the row farthest from its centroid, as scikit-learn does', () => {
    // The start at 100 wins no row; 10, the farthest from its centroid (2), becomes that cluster.
    const result = lloyd(matrix([[0], [1], [2], [10]]), matrix([[0.4], [100], [2]]));
    expect(Array.from(result.labels)).toEqual([0, 0, 2, 1]);
    expect(Array.from(result.centroids.data)).toEqual([0.5, 10, 2]);
    expect(result.inertia).toBe(0.5);
    expect(result.iterations).toBe(2);
  });

  it('finds the two groups of a tiny 2-D set, numbers the larger one first, and gives their exact inertia', () => {
    // Two points around (0, 1), three around (10.33, 10.33): the three are cluster 0 (the larger).
    const X = matrix([[0, 0], [0, 2], [10, 10], [10, 11], [11, 10]]);
    const result = kmeans(X, 2, { seed: 7 });
    expect(Array.from(result.labels)).toEqual([1, 1, 0, 0, 0]);
    expect(Array.from(result.sizes)).toEqual([3, 2]);
    expect(Array.from(result.centroids.data).map((value) => Math.round(value * 1e12) / 1e12)).toEqual([31 / 3, 31 / 3, 0, 1].map((value) => Math.round(value * 1e12) / 1e12));
    expect(result.inertia).toBeCloseTo(2 + 4 / 3, 12);
    expect(result.restartsRun).toBe(10);
  });

  it('numbers equal-sized clusters by their first row', () => {
    const X = matrix([[9, 9], [0, 0], [9, 8], [0, 1]]);
    expect(Array.from(kmeans(X, 2, { seed: 3 }).labels)).toEqual([0, 1, 0, 1]);
  });

  it('reproduces plain Lloyd exactly with Hamerly\'s bounds: same labels and iterations from the same start', () => {
    const X = blobs(3000, [[0, 0, 0], [2, 1, 0], [0, 2, 2], [3, 3, 3], [1, -2, 1]], 1.1, 5);
    for (const seed of [1, 2, 3]) {
      const start = kmeansPlusPlus(X, 5, mulberry32(seed));
      const fast = lloyd(X, start);
      const plain = plainLloyd(X, start, 1e-4 * columnVarianceMean(X));
      expect(fast.iterations).toBe(plain.iterations);
      expect(fast.labels).toEqual(plain.labels);
      expect(fast.inertia / plain.inertia - 1).toBeLessThan(1e-12);
      expect(fast.iterations).toBeGreaterThan(3); // enough iterations for the bounds to have been used
    }
  });

  it('gives the same clusters for the same seed, and the same partition and inertia whatever the row order', () => {
    const X = blobs(2000, [[0, 0, 0], [6, 0, 0], [0, 6, 0], [0, 0, 6]], 1, 11);
    const first = kmeans(X, 4, { seed: 42 });
    const again = kmeans(X, 4, { seed: 42 });
    expect(again.labels).toEqual(first.labels);
    expect(again.centroids.data).toEqual(first.centroids.data);
    expect(again.inertia).toBe(first.inertia);
    // The rows reversed: the draws meet other rows, yet the partition is the same and so its inertia, up to rounding.
    const order = Array.from({ length: X.rows }, (_, i) => X.rows - 1 - i);
    const reversed = kmeans({ rows: X.rows, columns: 3, data: Float64Array.from(order.flatMap((i) => Array.from(X.data.subarray(i * 3, i * 3 + 3)))) }, 4, { seed: 42 });
    expect(Math.abs(reversed.inertia / first.inertia - 1)).toBeLessThan(1e-12);
    const pairs = new Set(order.map((original, at) => `${first.labels[original]}-${reversed.labels[at]}`));
    expect(pairs.size).toBe(4); // each cluster of one run is exactly one cluster of the other
    expect(Array.from(reversed.sizes)).toEqual(Array.from(first.sizes));
  });

  it('refuses what it cannot cluster, saying why', () => {
    const X = matrix([[0, 0], [1, 1], [2, 2]]);
    expect(() => kmeans(X, 0)).toThrow(/k must be an integer from 1 to the number of rows \(3\); it is 0/);
    expect(() => kmeans(X, 4)).toThrow(RangeError);
    expect(() => kmeans(X, 1.5)).toThrow(RangeError);
    expect(() => kmeans(matrix([[0, 0], [1, NaN]]), 1)).toThrow(/Row 2, column 2 is NaN/);
    expect(() => kmeans(X, 2, { restarts: 0 })).toThrow(/at least one start/);
    expect(() => lloyd(X, matrix([[0], [1]]))).toThrow(/1 columns, the matrix 2/);
  });
});

function columnVarianceMean(X: FeatureMatrix): number {
  let total = 0;
  for (let f = 0; f < X.columns; f++) {
    const column = Array.from({ length: X.rows }, (_, i) => X.data[i * X.columns + f]);
    const mean = column.reduce((sum, value) => sum + value, 0) / X.rows;
    total += column.reduce((sum, value) => sum + (value - mean) ** 2, 0) / X.rows;
  }
  return total / X.columns;
}

describe('silhouette and the choice of k', () => {
  it('scores a hand-worked 1-D clustering, with 0 for a row alone in its cluster (as scikit-learn\'s silhouette_score)', () => {
    // 0 1 | 4 5: rows at the ends have a = 1, b = 4.5; the middle ones a = 1, b = 3.5.
    expect(silhouette(matrix([[0], [1], [4], [5]]), Int32Array.from([0, 0, 1, 1])).score).toBeCloseTo(47 / 63, 14);
    expect(silhouette(matrix([[0], [1], [5]]), Int32Array.from([0, 0, 1])).score).toBeCloseTo((4 / 5 + 3 / 4 + 0) / 3, 14);
    // A negative label leaves the row out.
    expect(silhouette(matrix([[0], [1], [4], [5], [99]]), Int32Array.from([0, 0, 1, 1, -1]))).toEqual({ score: expect.closeTo(47 / 63, 14), sampled: false, rowsScored: 4, rowsClustered: 4 });
    expect(() => silhouette(matrix([[0], [1]]), Int32Array.from([0, 0]))).toThrow(/2 to 1 clusters/);
  });

  it('scores a large table on a seeded sample, says so, and lands near the full score', () => {
    const X = blobs(6000, [[0, 0], [4, 0], [0, 4]], 1, 3);
    const { labels } = kmeans(X, 3, { seed: 1, restarts: 2 });
    const full = silhouette(X, labels, { sampleSize: 6000 });
    const sampled = silhouette(X, labels, { sampleSize: 1500, seed: 9 });
    expect([full.sampled, full.rowsScored]).toEqual([false, 6000]);
    expect([sampled.sampled, sampled.rowsScored, sampled.rowsClustered]).toEqual([true, 1500, 6000]);
    expect(silhouette(X, labels, { sampleSize: 1500, seed: 9 }).score).toBe(sampled.score);
    expect(Math.abs(sampled.score - full.score)).toBeLessThan(0.02);
  });

  it('chooses the number of blobs, and reports every k\'s inertia and silhouette', () => {
    const X = blobs(900, [[0, 0], [8, 0], [0, 8]], 1, 21);
    const chosen = chooseK(X, { seed: 1, restarts: 3 });
    expect(chosen.k).toBe(3);
    expect(chosen.clustering.centroids.rows).toBe(3);
    expect(chosen.scores.map((score) => score.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(chosen.scores.every((score, i) => i === 0 || score.inertia < chosen.scores[i - 1].inertia)).toBe(true);
    expect(Math.max(...chosen.scores.map((score) => score.silhouette))).toBe(chosen.scores[1].silhouette);
    expect(() => chooseK(X, { from: 1 })).toThrow(RangeError);
  });
});

describe('cluster profiles', () => {
  const revenue = { name: { en: 'Revenue', da: 'Omsætning' }, values: Float64Array.from([100, 200, 10, 20, 30]) };
  const satisfaction = { name: { en: 'Satisfaction', da: 'Tilfredshed' }, values: Float64Array.from([1, 2, 5, 4, 3]) };

  it('gives sizes, shares, means and standardised differences as worked by hand, and names from the two features', () => {
    const { clusters, tableMeans, rowsClustered } = profileClusters(Int32Array.from([0, 0, 1, 1, 1]), [revenue, satisfaction], { revenue: revenue.values });
    const revenueSd = Math.sqrt((28 ** 2 + 128 ** 2 + 62 ** 2 + 52 ** 2 + 42 ** 2) / 5);
    expect(Array.from(tableMeans)).toEqual([72, 3]);
    expect(rowsClustered).toBe(5);
    expect(clusters.map((cluster) => [cluster.size, cluster.shareOfCustomers, cluster.shareOfRevenue])).toEqual([[2, 0.4, 300 / 360], [3, 0.6, 60 / 360]]);
    expect(Array.from(clusters[0].means)).toEqual([150, 1.5]);
    expect(Array.from(clusters[1].means)).toEqual([20, 4]);
    expect(clusters[0].differences[0]).toBeCloseTo(78 / revenueSd, 12);
    expect(clusters[0].differences[1]).toBeCloseTo(-1.5 / Math.SQRT2, 12);
    expect(clusters[1].differences[0]).toBeCloseTo(-52 / revenueSd, 12);
    expect(clusters[1].distinctive.map((entry) => entry.feature)).toEqual([0, 1]);
    expect(clusters.map((cluster) => cluster.name)).toEqual([
      { en: 'High revenue, low satisfaction', da: 'Høj omsætning, lav tilfredshed' },
      { en: 'Low revenue, high satisfaction', da: 'Lav omsætning, høj tilfredshed' },
    ]);
  });

  it('makes names distinct: first with the next feature, then with the cluster number', () => {
    // Clusters 0 and 1 are both high on a and b; only c (a small effect) tells them apart.
    const a = { name: 'A', values: Float64Array.from([10, 10, 10, 10, 0, 0, 0, 0, 0, 0]) };
    const b = { name: 'B', values: Float64Array.from([10, 10, 10, 10, 0, 0, 0, 0, 0, 0]) };
    const c = { name: 'C', values: Float64Array.from([4, 4, 6, 6, 0, 10, 0, 10, 0, 10]) };
    const labels = Int32Array.from([0, 0, 1, 1, 2, 2, 2, 2, 2, 2]);
    expect(profileClusters(labels, [a, b, c]).clusters.map((cluster) => cluster.name.en)).toEqual(['High a, high b, low c', 'High a, high b, high c', 'Low a, low b']);
    // Two clusters alike in everything: only their numbers tell them apart.
    const twins = profileClusters(Int32Array.from([0, 0, 1, 1, 2, 2]), [{ name: { en: 'Orders', da: 'Antal ordrer' }, values: Float64Array.from([1, 2, 1, 2, 10, 11]) }]);
    expect(twins.clusters.map((cluster) => cluster.name)).toEqual([
      { en: 'Low orders (cluster 1)', da: 'Lavt antal ordrer (klynge 1)' },
      { en: 'Low orders (cluster 2)', da: 'Lavt antal ordrer (klynge 2)' },
      { en: 'High orders', da: 'Højt antal ordrer' },
    ]);
  });

  it('keeps acronyms, names a cluster close to the table as such, and measures on the standardised matrix when given', () => {
    const csi = { name: 'CSI', values: Float64Array.from([1, 1, 5, 5, 3, 3]) };
    const { clusters } = profileClusters(Int32Array.from([0, 0, 1, 1, 2, 2]), [csi]);
    expect(clusters.map((cluster) => cluster.name.en)).toEqual(['Low CSI', 'High CSI', 'Close to average']);
    expect(clusters[2].name.da).toBe('Tæt på gennemsnittet');
    // On the raw scale one huge value hides the difference; on the standardised (log) scale it shows.
    const spend = { name: 'Spend', values: Float64Array.from([1, 1, 10, 10, 10000]) };
    const logged = Array.from(spend.values, Math.log);
    const mean = logged.reduce((s, v) => s + v, 0) / 5;
    const sd = Math.sqrt(logged.reduce((s, v) => s + (v - mean) ** 2, 0) / 5);
    const standardised = { rows: 5, columns: 1, data: Float64Array.from(logged, (v) => (v - mean) / sd) };
    const labels = Int32Array.from([0, 0, 1, 1, 1]);
    expect(profileClusters(labels, [spend]).clusters[0].differences[0]).toBeCloseTo((1 - 2004.4) / Math.sqrt((2003.4 ** 2 * 2 + 1994.4 ** 2 * 2 + 7995.6 ** 2) / 5), 12);
    expect(profileClusters(labels, [spend], { standardised }).clusters[0].differences[0]).toBeCloseTo((0 - mean) / sd, 12);
    expect(() => profileClusters(labels, [{ name: 'x', values: new Float64Array(4) }])).toThrow(/"x" has 4 values for 5 rows/);
  });
});

describe('UCI Online Retail customers, standardised log RFM', () => {
  let cached: RetailRfm | undefined;
  const rfm = () => (cached ??= retailRfm());

  /**
   * scikit-learn 1.2.1 (Debian's python3-sklearn, /usr/bin/python3), measured once:
   * KMeans(n_clusters=k, n_init=10, init='k-means++', algorithm='lloyd', random_state=0).inertia_ and
   * silhouette_score(X, labels_) on every row, on the matrix of test/support/retail-rfm.ts written to
   * CSV by bench/retail-rfm-matrix.ts and clustered by bench/peer_retail_kmeans.py. Best silhouette: k = 2.
   */
  const SKLEARN = [
    { k: 2, inertia: 6338.362470777715, silhouette: 0.4312309234252267 },
    { k: 3, inertia: 4797.653997183714, silhouette: 0.33893012353299856 },
    { k: 4, inertia: 3888.7161905590256, silhouette: 0.33622396945434907 },
    { k: 5, inertia: 3311.3411688226224, silhouette: 0.3075635142690013 },
    { k: 6, inertia: 2849.5703500632712, silhouette: 0.310840131625567 },
    { k: 7, inertia: 2554.59506509899, silhouette: 0.30954817422468944 },
    { k: 8, inertia: 2348.3452446387228, silhouette: 0.30117661782667954 },
  ];

  it.skipIf(!ONLINE_RETAIL.present)(nameWithData('leaves out the customers without positive net revenue, and standardises the rest', ONLINE_RETAIL), () => {
    const { matrix: X, customers, leftOut, raw } = rfm();
    expect([customers, leftOut, X.rows, X.columns]).toEqual([4372, 55, 4317, 3]);
    expect(raw.monetary.every((value) => value > 0)).toBe(true);
    expect(Math.min(...raw.recency)).toBe(1);
    for (let f = 0; f < 3; f++) {
      const column = Array.from({ length: X.rows }, (_, i) => X.data[i * 3 + f]);
      expect(column.reduce((s, v) => s + v, 0) / X.rows).toBeCloseTo(0, 12);
      expect(column.reduce((s, v) => s + v * v, 0) / X.rows).toBeCloseTo(1, 12);
    }
  });

  it.skipIf(!ONLINE_RETAIL.present)(nameWithData('is within 1 % of scikit-learn\'s inertia at every k from 2 to 8, and picks the k scikit-learn\'s silhouette picks', ONLINE_RETAIL), () => {
    const chosen = chooseK(rfm().matrix, { seed: 1 });
    expect(chosen.sampled).toBe(false);
    for (const [i, reference] of SKLEARN.entries()) {
      expect(chosen.scores[i].k).toBe(reference.k);
      expect(Math.abs(chosen.scores[i].inertia / reference.inertia - 1)).toBeLessThan(0.01);
    }
    const best = SKLEARN.reduce((top, score) => (score.silhouette > top.silhouette ? score : top));
    expect(chosen.k).toBe(best.k);
    expect(chosen.scores[chosen.k - 2].silhouette).toBeCloseTo(best.silhouette, 3);
  }, 60_000);

  it.skipIf(!ONLINE_RETAIL.present)(nameWithData('profiles the four RFM clusters in words, with the whole revenue shared out', ONLINE_RETAIL), () => {
    const { matrix: X, raw } = rfm();
    const { labels, sizes } = kmeans(X, 4, { seed: 1 });
    const features = [
      { name: { en: 'Days since purchase', da: 'Dage siden køb' }, values: raw.recency, danishGender: 'plural' as const },
      { name: { en: 'Orders', da: 'Antal ordrer' }, values: raw.frequency },
      { name: { en: 'Revenue', da: 'Omsætning' }, values: raw.monetary },
    ];
    const { clusters } = profileClusters(labels, features, { revenue: raw.monetary, standardised: X });
    expect(clusters.map((cluster) => cluster.size)).toEqual(Array.from(sizes));
    expect(clusters.reduce((total, cluster) => total + cluster.shareOfRevenue!, 0)).toBeCloseTo(1, 12);
    expect(new Set(clusters.map((cluster) => cluster.name.en)).size).toBe(4);
    expect(new Set(clusters.map((cluster) => cluster.name.da)).size).toBe(4);
    // The recent, frequent, high-spending cluster holds most of the revenue.
    const best = clusters.find((cluster) => cluster.differences[1] > 0 && cluster.differences[2] > 0 && cluster.differences[0] < 0)!;
    expect(best.shareOfRevenue).toBeGreaterThan(0.5);
    expect(best.name).toEqual({ en: 'High orders, high revenue, low days since purchase', da: 'Højt antal ordrer, høj omsætning, lave dage siden køb' });
  });
});
