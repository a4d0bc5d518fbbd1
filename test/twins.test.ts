import { describe, expect, it } from 'vitest';
import { estimateFromTwins, findTwins, matchingFeatures } from '../src/engine/learn/twins';
import type { FeatureMatrix } from '../src/engine/learn/matrix';

/** Rows of numbers as a FeatureMatrix. */
function matrix(rows: number[][]): FeatureMatrix {
  return { rows: rows.length, columns: rows[0].length, data: Float64Array.from(rows.flat()) };
}

const flags = (length: number, on: number[]) => {
  const mask = new Uint8Array(length);
  for (const i of on) mask[i] = 1;
  return mask;
};

describe('twins: similarity to the reference group by nearest neighbours', () => {
  // Reference customers at 0, 1, 2, 3 on one feature; candidates at 1.5, 5 and −0.5.
  // With two neighbours the members' own mean distances are 1.5, 1, 1, 1.5 (sorted 1, 1, 1.5, 1.5).
  const X = matrix([[0], [1], [2], [3], [1.5], [5], [-0.5]]);
  const reference = flags(7, [0, 1, 2, 3]);
  const candidates = flags(7, [4, 5, 6]);
  const twins = findTwins(X, reference, candidates, { neighbours: 2 });

  it('scores by the share of the group farther from its own members, ties counting half', () => {
    // 1.5: twins at 0.5 and 0.5, closer than every member → 100. 5: twins at 2 and 3 (mean 2.5) → 0.
    // −0.5: twins at 0.5 and 1.5 (mean 1.0), tied with two members → (2 + ½·2)/4 = 75.
    expect(Array.from(twins.similarity)).toEqual([NaN, NaN, NaN, NaN, 100, 0, 75]);
    expect(twins.distance[6]).toBeCloseTo(1, 12);
    expect(Array.from(twins.referenceDistances)).toEqual([1, 1, 1.5, 1.5]);
  });

  it('names the nearest reference rows, nearest first, ties in row order', () => {
    expect(Array.from(twins.nearest.subarray(12, 14))).toEqual([0, 1]);
    expect(Array.from(twins.nearest.subarray(8, 10))).toEqual([1, 2]);
    expect(Array.from(twins.nearest.subarray(0, 2))).toEqual([-1, -1]);
  });

  it('estimates a value as the median over the twins that have one', () => {
    const potential = Float64Array.from([100, 200, NaN, 400, NaN, NaN, NaN]);
    const estimate = estimateFromTwins(twins, potential);
    expect(estimate[6]).toBe(150);
    expect(estimate[4]).toBe(200);
    expect(estimate[5]).toBe(400);
    expect(estimate[0]).toBeNaN();
  });

  it('refuses a group of fewer than two', () => {
    expect(() => findTwins(X, flags(7, [0]), candidates)).toThrow(/at least two reference customers; the group has 1/);
  });
});

describe('twins: matching features and sampled groups', () => {
  it('lists the features within half a standard deviation of the twins\' mean, closest first', () => {
    // Feature 0 matches exactly, feature 1 is 0.4 off, feature 2 is 3 off.
    const X = matrix([[1, 0, 0], [1, 0.2, 0], [1, 0.6, 3], [9, 9, 9]]);
    const twins = findTwins(X, flags(4, [0, 1, 3]), flags(4, [2]), { neighbours: 2 });
    expect(Array.from(twins.nearest.subarray(4, 6))).toEqual([1, 0]);
    expect(matchingFeatures(X, twins, 2)).toEqual([0, 1]);
  });

  it('searches a seeded sample of a large group and says so', () => {
    const rows = Array.from({ length: 50 }, (_, i) => [i % 7, Math.floor(i / 7)]);
    const X = matrix(rows);
    const reference = flags(50, Array.from({ length: 40 }, (_, i) => i));
    const candidates = flags(50, [45, 46]);
    const first = findTwins(X, reference, candidates, { maxReference: 10, seed: 7 });
    const again = findTwins(X, reference, candidates, { maxReference: 10, seed: 7 });
    expect(first.referenceSampled).toBe(true);
    expect(first.referenceSearched).toBe(10);
    expect(Array.from(first.similarity)).toEqual(Array.from(again.similarity));
    expect(findTwins(X, reference, candidates).referenceSampled).toBe(false);
  });
});
