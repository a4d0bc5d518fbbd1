/**
 * Quantile scores for RFM that never depend on row order.
 *
 * Rule (mid-rank share): for a value v among n finite values, let below = #values < v and
 * equal = #values = v; its share is s = (below + equal/2) / n, in (0, 1), and its score is
 * min(g, ⌊s·g⌋ + 1) for g groups. Equal values have equal shares, so they always get equal
 * scores, and the shares depend only on the multiset of values, so shuffling the rows changes
 * nothing. Without ties this is the usual quantile score (share of values below the mid-rank);
 * with heavy ties a group can be empty rather than split a tie (pandas qcut on first-ranks
 * splits ties by row order instead, which is what makes its scores depend on the order).
 *
 * Recency is scored so that recent = high: the score of days-since-last-purchase d is computed
 * with the share of values strictly greater than d, i.e. on −d.
 */

import { percentileRanks } from '../stats';

export type GroupCount = 3 | 4 | 5;

/** The values that received one score: the range [min, max] and how many rows. Empty groups have count 0 and NaN bounds. */
export interface ScoreCut {
  score: number;
  min: number;
  max: number;
  count: number;
}

export interface QuantileScores {
  /** Score 1..g per row; 0 for a value that is not a finite number. */
  scores: Uint8Array;
  /** One entry per score 1..g, in score order. */
  cuts: ScoreCut[];
}

/**
 * Scores values 1..groups by the mid-rank share (see the module comment).
 * @param values one per row; NaN or ±∞ get score 0 and take no part in the shares.
 * @param highIsBetter false scores low values high (recency in days: recent = high).
 * Cost: one sort of the finite values, then a binary search per row (percentileRanks).
 */
export function quantileScores(values: ArrayLike<number>, groups: GroupCount = 5, highIsBetter = true): QuantileScores {
  if (groups !== 3 && groups !== 4 && groups !== 5) throw new RangeError(`groups must be 3, 4 or 5, got ${groups}`);
  // The mid-rank share is the engine's percentile rank (stats.ts); non-finite values take no part.
  const oriented = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) oriented[i] = Number.isFinite(values[i]) ? (highIsBetter ? values[i] : -values[i]) : NaN;
  const shares = percentileRanks(oriented);
  const scores = new Uint8Array(values.length);
  const cuts: ScoreCut[] = Array.from({ length: groups }, (_, k) => ({ score: k + 1, min: NaN, max: NaN, count: 0 }));
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(shares[i])) continue;
    const score = Math.min(groups, Math.floor(shares[i] * groups) + 1);
    scores[i] = score;
    const cut = cuts[score - 1];
    cut.count++;
    if (!(values[i] >= cut.min)) cut.min = values[i];
    if (!(values[i] <= cut.max)) cut.max = values[i];
  }
  return { scores, cuts };
}

export interface RfmScores {
  recency: QuantileScores;
  frequency: QuantileScores;
  monetary: QuantileScores;
}

/**
 * R, F and M scores 1..groups: R from days since the last purchase (fewer days = higher score),
 * F from the number of orders, M from revenue (total or per order, as the caller chooses).
 */
export function rfmScores(recencyDays: ArrayLike<number>, frequency: ArrayLike<number>, monetary: ArrayLike<number>, groups: GroupCount = 5): RfmScores {
  if (recencyDays.length !== frequency.length || frequency.length !== monetary.length) throw new RangeError('R, F and M must have the same length');
  return {
    recency: quantileScores(recencyDays, groups, false),
    frequency: quantileScores(frequency, groups, true),
    monetary: quantileScores(monetary, groups, true),
  };
}
