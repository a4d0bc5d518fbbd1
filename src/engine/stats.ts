/** Shared statistics over Float64Array columns where NaN means missing. */

/** The non-missing values, as a new array. */
export function present(values: ArrayLike<number>): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) count++;
  const result = new Float64Array(count);
  let at = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) result[at++] = values[i];
  return result;
}

/**
 * Sorted copies of the engine's columns, kept per column: two cuts on one column (the A and B
 * cuts, Gold and Silver) sort it once. Only typed arrays are kept, the engine's own columns,
 * which are read once and never changed afterwards.
 */
const sortedPositives = new WeakMap<object, Float64Array>();
const sortedPresent = new WeakMap<object, Float64Array>();

function remembered(cache: WeakMap<object, Float64Array>, values: ArrayLike<number>, make: () => Float64Array): Float64Array {
  if (!(values instanceof Float64Array)) return make();
  let sorted = cache.get(values);
  if (!sorted) cache.set(values, (sorted = make()));
  return sorted;
}

/** The positive values sorted from smallest to largest; walk it from the end for largest first. */
export function positiveAscending(values: ArrayLike<number>): Float64Array {
  return remembered(sortedPositives, values, () => {
    let count = 0;
    for (let i = 0; i < values.length; i++) if (values[i] > 0) count++;
    const result = new Float64Array(count);
    let at = 0;
    for (let i = 0; i < values.length; i++) if (values[i] > 0) result[at++] = values[i];
    return result.sort();
  });
}

/** The present values sorted from smallest to largest. */
export function presentAscending(values: ArrayLike<number>): Float64Array {
  return remembered(sortedPresent, values, () => present(values).sort());
}

/**
 * The Pareto cut at share p (DESIGN.md): with the positive values sorted x1 ≥ x2 ≥ …, k is the
 * first index where x1 + … + xk ≥ p × (sum of positive values) and the cut is xk. Infinity when
 * nothing is positive, so nothing is high.
 */
export function paretoCut(values: ArrayLike<number>, share: number): number {
  const sorted = positiveAscending(values);
  if (sorted.length === 0) return Infinity;
  let total = 0;
  for (let i = 0; i < sorted.length; i++) total += sorted[i];
  const target = share * total;
  let running = 0;
  for (let i = sorted.length - 1; i >= 0; i--) {
    running += sorted[i];
    // A relative tolerance keeps 0.1 + 0.2 style rounding from moving the cut past a boundary.
    if (running >= target - total * 1e-12) return sorted[i];
  }
  return sorted[0];
}

/**
 * Where a quantile cut splits a column: the present values fall into a low side (below the cut)
 * and a high side (at or above it), and a run of tied values is never split.
 */
export interface QuantileSplit {
  /** The cut: the smallest value of the high side, so `value >= cut` is the row test; NaN without values. */
  value: number;
  /** Present values (n). */
  count: number;
  /** Present values below the cut (the low side). */
  below: number;
  /**
   * The run of tied values the requested split fell inside, when keeping it whole moved the split
   * (or, with a single distinct value, made any split impossible); undefined otherwise.
   */
  tie?: { value: number; count: number };
}

/**
 * The quantile cut at q (0–1) of the present values, ties kept together (DESIGN.md, "Models").
 * With the values sorted x1 ≤ … ≤ xn, a split k puts x1…xk low and the rest high; only splits
 * between two distinct values (xk < xk+1) are allowed, so a run of ties stays on one side, and
 * only 1 ≤ k ≤ n − 1, so neither side is empty while two distinct values exist. The split chosen
 * is the allowed one whose low-side count k is nearest q × n; of two equally near, the smaller k
 * (the lower cut: the middle value of an odd count counts as high, as PERCENTILE.INC's median and
 * "ties count as high" have it). With one distinct value there is no split: all are high. The cut
 * returned is x(k+1). O(log n) on the column's cached sorted copy.
 */
export function quantileSplit(values: ArrayLike<number>, q: number): QuantileSplit {
  const sorted = presentAscending(values);
  const n = sorted.length;
  if (n === 0) return { value: NaN, count: 0, below: 0 };
  // Rounded to nine decimals so that 0.1 × 30 (3.0000000000000004) is 3, not a hair past it.
  const target = Math.round(Math.min(Math.max(q, 0), 1) * n * 1e9) / 1e9;
  const down = splitAtOrBelow(sorted, Math.min(Math.floor(target), n - 1));
  const up = splitAtOrAbove(sorted, Math.max(Math.ceil(target), 1));
  let below: number;
  if (down === 0) below = up === n ? 0 : up;
  else if (up === n) below = down;
  else below = target - down <= up - target ? down : up;
  const split: QuantileSplit = { value: sorted[below === 0 ? 0 : below], count: n, below };
  // The split the same rule gives when no two values are equal; a tie moved it when it differs.
  const untied = Math.min(Math.max(Math.ceil(target - 0.5), 1), n - 1);
  if (n >= 2 && below !== untied) {
    const tied = sorted[untied];
    split.tie = { value: tied, count: firstAbove(sorted, tied) - firstAtOrAbove(sorted, tied) };
  }
  return split;
}

/** The largest allowed split at or below k (1 ≤ k ≤ n − 1), or 0 when there is none. */
function splitAtOrBelow(sorted: Float64Array, k: number): number {
  if (k < 1) return 0;
  return sorted[k - 1] < sorted[k] ? k : firstAtOrAbove(sorted, sorted[k - 1]);
}

/** The smallest allowed split at or above k (k ≥ 1), or n when there is none. */
function splitAtOrAbove(sorted: Float64Array, k: number): number {
  if (k > sorted.length - 1) return sorted.length;
  return sorted[k - 1] < sorted[k] ? k : firstAbove(sorted, sorted[k]);
}

/** Quantile q of the present values, interpolated as Excel's PERCENTILE.INC; NaN when empty. Not a cut: cuts use quantileSplit. */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileOfSorted(presentAscending(values), q);
}

export function quantileOfSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const position = Math.min(Math.max(q, 0), 1) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) total += values[i];
  return total;
}

/**
 * Rank 1 for the largest value, ties sharing the best rank (Excel's RANK.EQ); missing values get
 * NaN. A row's rank is one more than the number of larger values, found by binary search in the
 * sorted column: a million rows in a typed sort instead of a sort of a million indices.
 */
export function ranksDescending(values: ArrayLike<number>): Float64Array {
  const sorted = presentAscending(values);
  const ranks = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    ranks[i] = Number.isNaN(value) ? NaN : sorted.length - firstAbove(sorted, value) + 1;
  }
  return ranks;
}

const rankCache = new WeakMap<object, Float64Array>();

/**
 * Each row's percentile rank among the present values of its column, from 0 to 1: the share of
 * values below it plus half the share equal to it, PR = (below + ½ × equal) / n, the textbook
 * percentile rank (Crocker & Algina, Introduction to Classical and Modern Test Theory, 1986; the
 * formula of Wikipedia's "Percentile rank"). Tied values share one mid-rank, so row order never
 * matters; every value lies strictly inside 0–1 (a column of one value ranks 0.5 throughout), and
 * the ranks of a column average ½. Missing values (NaN) get NaN and do not count in n.
 * O(n log n): the column's cached sort, the rank of each distinct value worked out once, and one
 * binary search per row among the distinct values (few, and so quick, for counts and ratings).
 * Kept per column like the sorted copies, so the pane's live rating does not rank a column again
 * on every edit: the result is shared, and must not be changed.
 */
export function percentileRanks(values: ArrayLike<number>): Float64Array {
  return remembered(rankCache, values, () => {
    const sorted = presentAscending(values);
    const count = sorted.length;
    // Each distinct value and its rank, (start + ½ × length of its run of ties) / n.
    const distinct = new Float64Array(count);
    const rankOf = new Float64Array(count);
    let kinds = 0;
    for (let start = 0; start < count;) {
      let end = start + 1;
      while (end < count && sorted[end] === sorted[start]) end++;
      distinct[kinds] = sorted[start];
      rankOf[kinds++] = (start + 0.5 * (end - start)) / count;
      start = end;
    }
    const lookup = distinct.subarray(0, kinds);
    const ranks = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      ranks[i] = Number.isNaN(value) ? NaN : rankOf[firstAtOrAbove(lookup, value)];
    }
    return ranks;
  });
}

/** The first index in an ascending array whose value is `value` or above. */
export function firstAtOrAbove(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first index in an ascending array whose value is above `value`. */
export function firstAbove(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Each row's cumulative share of the positive total when rows are taken from the largest value
 * down; tied values share the share of the whole tie, so row order never matters.
 */
export function cumulativeShares(values: ArrayLike<number>): Float64Array {
  const sorted = positiveAscending(values);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) total += sorted[i];
  const shareAtValue = new Map<number, number>();
  let running = 0;
  for (let i = sorted.length - 1; i >= 0; i--) {
    running += sorted[i];
    shareAtValue.set(sorted[i], running / total);
  }
  const shares = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) shares[i] = values[i] > 0 ? shareAtValue.get(values[i])! : NaN;
  return shares;
}
