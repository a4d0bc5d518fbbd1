import { seededSample } from '../random';
import { firstAbove, firstAtOrAbove, median } from '../stats';
import type { FeatureMatrix } from './matrix';

/**
 * Nearest-neighbour "twins": how much each candidate (a prospect, a customer outside the best
 * group) looks like the reference group (the best customers), on standardised features.
 *
 * Distance is Euclidean over the features (z-scores, so every feature weighs alike). A row's
 * closeness to the group is its mean distance to its `neighbours` nearest reference customers, the
 * k-nearest-neighbour distance used for one-class "looks like these" scoring (Ramaswamy, Rastogi &
 * Shim 2000 score outliers by the same distance; a twin is the opposite end of that scale).
 *
 * The similarity 0–100 is a percentile against the group itself: every reference customer's own
 * mean distance to its nearest *other* reference customers is worked out, and a candidate scores
 * 100 × (share of reference customers whose distance is larger + ½ × the share that ties). A
 * candidate as close to the group as its typical member scores about 50; one closer than every
 * member 100; one farther than every member 0. So the number means the same on any features and
 * any scale, and no hand-set bandwidth is needed.
 */
export interface TwinsOptions {
  /** How many nearest reference customers a row is compared with (and named). Default 3. */
  neighbours?: number;
  /**
   * At most this many reference customers are searched (a seeded sample above it, stated by
   * `referenceSampled`): the search costs candidates × references × features. Default 2,000.
   */
  maxReference?: number;
  seed?: number;
}

export interface TwinsResult {
  /** 0–100 per row for candidate rows; NaN for rows that are not candidates. Length rows. */
  similarity: Float64Array;
  /** Mean Euclidean distance (z units) to the nearest reference customers; NaN for non-candidates. */
  distance: Float64Array;
  /**
   * The nearest reference rows per row, nearest first: row i's are nearest[i·k … i·k + k − 1];
   * −1 where fewer exist or the row is not a candidate. k = `neighbours`.
   */
  nearest: Int32Array;
  neighbours: number;
  /** How many reference customers were searched, and whether they are a sample of the group. */
  referenceSearched: number;
  referenceSampled: boolean;
  /** The reference customers' own mean distances to their nearest other members, ascending. */
  referenceDistances: Float64Array;
}

/**
 * Finds each candidate's nearest reference customers and its similarity to the group.
 * X: rows × features, standardised, finite. reference, candidates: 1 per row in the group / to
 * score (a row may be neither; a row in both is scored against the others). Throws when the group
 * has fewer than two rows, since a similarity needs the group's own spread to compare with.
 */
export function findTwins(X: FeatureMatrix, reference: Uint8Array, candidates: Uint8Array, options: TwinsOptions = {}): TwinsResult {
  const k = options.neighbours ?? 3;
  const searched = referenceSample(reference, options.maxReference ?? 2000, options.seed ?? 1);
  if (searched.rows.length < 2) throw new Error(`A twin search needs at least two reference customers; the group has ${searched.rows.length}.`);
  const referenceDistances = ownDistances(X, searched.rows, k);
  const result: TwinsResult = {
    similarity: new Float64Array(X.rows).fill(NaN),
    distance: new Float64Array(X.rows).fill(NaN),
    nearest: new Int32Array(X.rows * k).fill(-1),
    neighbours: k,
    referenceSearched: searched.rows.length,
    referenceSampled: searched.sampled,
    referenceDistances,
  };
  const found = new NearestList(k);
  for (let row = 0; row < X.rows; row++) {
    if (!candidates[row]) continue;
    nearestAmong(X, row, searched.rows, found);
    found.copyTo(result.nearest, row * k);
    result.distance[row] = found.meanDistance();
    result.similarity[row] = 100 * shareFarther(referenceDistances, result.distance[row]);
  }
  return result;
}

/** The reference rows to search: all of them, or a seeded sample of `max` (sorted, so output follows row order). */
function referenceSample(reference: Uint8Array, max: number, seed: number): { rows: Int32Array; sampled: boolean } {
  const all: number[] = [];
  for (let i = 0; i < reference.length; i++) if (reference[i]) all.push(i);
  if (all.length <= max) return { rows: Int32Array.from(all), sampled: false };
  return { rows: seededSample(all, max, seed), sampled: true };
}

/** Each reference row's mean distance to its k nearest other reference rows, ascending. */
function ownDistances(X: FeatureMatrix, rows: Int32Array, k: number): Float64Array {
  const found = new NearestList(Math.min(k, rows.length - 1));
  const distances = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    nearestAmong(X, rows[i], rows, found);
    distances[i] = found.meanDistance();
  }
  return distances.sort();
}

/** Fills `found` with the rows of `among` nearest to `row`, the row itself excluded. */
function nearestAmong(X: FeatureMatrix, row: number, among: Int32Array, found: NearestList): void {
  const { columns, data } = X;
  const start = row * columns;
  found.clear();
  for (let i = 0; i < among.length; i++) {
    const other = among[i];
    if (other === row) continue;
    const otherStart = other * columns;
    let squared = 0;
    for (let j = 0; j < columns; j++) {
      const difference = data[start + j] - data[otherStart + j];
      squared += difference * difference;
    }
    found.offer(other, squared);
  }
}

/** Share of `sorted` (ascending) above `value`, ties counting half: two binary searches. */
function shareFarther(sorted: Float64Array, value: number): number {
  const below = firstAtOrAbove(sorted, value);
  const equal = firstAbove(sorted, value) - below;
  return (sorted.length - below - equal + 0.5 * equal) / sorted.length;
}

/** The k smallest squared distances offered, kept sorted by insertion (k is small). */
class NearestList {
  readonly rows: Int32Array;
  readonly squared: Float64Array;
  size = 0;

  constructor(readonly capacity: number) {
    this.rows = new Int32Array(capacity);
    this.squared = new Float64Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  offer(row: number, squared: number): void {
    if (this.size === this.capacity && squared >= this.squared[this.size - 1]) return;
    let place = this.size < this.capacity ? this.size++ : this.size - 1;
    while (place > 0 && this.squared[place - 1] > squared) {
      this.squared[place] = this.squared[place - 1];
      this.rows[place] = this.rows[place - 1];
      place--;
    }
    this.squared[place] = squared;
    this.rows[place] = row;
  }

  meanDistance(): number {
    if (this.size === 0) return NaN;
    let total = 0;
    for (let i = 0; i < this.size; i++) total += Math.sqrt(this.squared[i]);
    return total / this.size;
  }

  copyTo(target: Int32Array, offset: number): void {
    for (let i = 0; i < this.size; i++) target[offset + i] = this.rows[i];
  }
}

/**
 * The features on which a candidate matches its twins: those where its value lies within
 * `tolerance` standard deviations (z units, default ½) of its twins' mean, closest first.
 * Returns feature (column) indices of X.
 */
export function matchingFeatures(X: FeatureMatrix, twins: TwinsResult, row: number, tolerance = 0.5): number[] {
  const { columns, data } = X;
  const k = twins.neighbours;
  const members: number[] = [];
  for (let i = 0; i < k; i++) {
    const twin = twins.nearest[row * k + i];
    if (twin >= 0) members.push(twin);
  }
  if (members.length === 0) return [];
  const gaps: { feature: number; gap: number }[] = [];
  for (let j = 0; j < columns; j++) {
    let mean = 0;
    for (const member of members) mean += data[member * columns + j];
    mean /= members.length;
    const gap = Math.abs(data[row * columns + j] - mean);
    if (gap <= tolerance) gaps.push({ feature: j, gap });
  }
  return gaps.sort((a, b) => a.gap - b.gap || a.feature - b.feature).map((entry) => entry.feature);
}

/**
 * An estimate per candidate from its twins: the median of `values` over its nearest reference
 * customers that have a value (the potential, or the revenue, of well-served look-alikes); NaN
 * where none of them has one or the row is not a candidate. Length rows.
 */
export function estimateFromTwins(twins: TwinsResult, values: Float64Array): Float64Array {
  const k = twins.neighbours;
  const rows = twins.nearest.length / k;
  const estimate = new Float64Array(rows).fill(NaN);
  const known: number[] = [];
  for (let row = 0; row < rows; row++) {
    known.length = 0;
    for (let i = 0; i < k; i++) {
      const twin = twins.nearest[row * k + i];
      if (twin >= 0 && !Number.isNaN(values[twin])) known.push(values[twin]);
    }
    if (known.length > 0) estimate[row] = median(known);
  }
  return estimate;
}
