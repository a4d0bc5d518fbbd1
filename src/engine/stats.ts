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

/** The positive values sorted from smallest to largest; walk it from the end for largest first. */
export function positiveAscending(values: ArrayLike<number>): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > 0) count++;
  const result = new Float64Array(count);
  let at = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > 0) result[at++] = values[i];
  return result.sort();
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

/** Quantile q of the present values, interpolated as Excel's PERCENTILE.INC; NaN when empty. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = present(values).sort();
  return quantileOfSorted(sorted, q);
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
 * NaN.
 */
export function ranksDescending(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).filter((i) => !Number.isNaN(values[i]));
  order.sort((a, b) => values[b] - values[a]);
  const ranks = new Float64Array(values.length).fill(NaN);
  for (let position = 0; position < order.length; position++) {
    const index = order[position];
    const previous = order[position - 1];
    ranks[index] = position > 0 && values[previous] === values[index] ? ranks[previous] : position + 1;
  }
  return ranks;
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
