import { describe, expect, it } from 'vitest';
import { quantileScores, rfmScores } from '../src/engine/lifetime/rfm-scores';
import { summarizeTransactions } from '../src/engine/lifetime/transactions';
import { onlineRetailLog } from './support/cdnow';
import { nameWithData, ONLINE_RETAIL } from './support/public-data';

describe('quantileScores: mid-rank shares', () => {
  it('scores ten distinct values into five groups of two', () => {
    const { scores, cuts } = quantileScores([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 5);
    expect(Array.from(scores)).toEqual([5, 1, 5, 1, 4, 2, 4, 2, 3, 3]);
    expect(cuts.map((cut) => [cut.score, cut.min, cut.max, cut.count])).toEqual([[1, 1, 2, 2], [2, 3, 4, 2], [3, 5, 6, 2], [4, 7, 8, 2], [5, 9, 10, 2]]);
  });

  it('gives equal values equal scores, leaving a group empty rather than splitting a tie', () => {
    // Six 1s out of ten: mid-rank share 0.3 → score 2 for all of them; nobody gets score 1.
    const { scores, cuts } = quantileScores([1, 1, 1, 1, 1, 1, 2, 3, 4, 5], 5);
    expect(Array.from(scores)).toEqual([2, 2, 2, 2, 2, 2, 4, 4, 5, 5]);
    expect(cuts[0]).toEqual({ score: 1, min: NaN, max: NaN, count: 0 });
    expect(cuts[1]).toEqual({ score: 2, min: 1, max: 1, count: 6 });
  });

  it('scores low values high when asked (recency: recent = high), and NaN as 0', () => {
    const { scores } = quantileScores([1, 100, NaN, 30], 3, false);
    expect(Array.from(scores)).toEqual([3, 1, 0, 2]);
  });

  it('refuses a number of groups other than 3, 4 or 5', () => {
    expect(() => quantileScores([1, 2], 6 as 5)).toThrow(RangeError);
  });
});

function shuffled(length: number, seed: number): Int32Array {
  const order = Int32Array.from({ length }, (_, i) => i);
  let state = seed;
  for (let i = length - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

describe('RFM on UCI Online Retail', () => {
  it.skipIf(!ONLINE_RETAIL.present)(nameWithData('gives every customer the same R, F and M scores when the log lines are shuffled', ONLINE_RETAIL), () => {
    const log = onlineRetailLog();
    const scoreById = (source: typeof log) => {
      const summary = summarizeTransactions(source);
      const analysisDay = summary.calibrationEnd + 1;
      const recency = summary.lastDay.map((day) => analysisDay - day);
      const scores = rfmScores(recency, summary.orders, summary.revenue, 5);
      return new Map(summary.ids.map((id, i) => [id, `${scores.recency.scores[i]}${scores.frequency.scores[i]}${scores.monetary.scores[i]}`]));
    };
    const original = scoreById(log);
    const order = shuffled(log.day.length, 20111209);
    const permuted = {
      customer: Array.from(order, (i) => log.customer[i]),
      invoice: Array.from(order, (i) => log.invoice[i]),
      day: Float64Array.from(order, (i) => log.day[i]),
      amount: Float64Array.from(order, (i) => log.amount[i]),
    };
    const again = scoreById(permuted);
    expect(again.size).toBe(original.size);
    let differing = 0;
    for (const [id, score] of original) if (again.get(id) !== score) differing++;
    expect(differing).toBe(0);
    // F has heavy ties (one order is the most common count): all of them share one score.
    const summary = summarizeTransactions(log);
    const frequency = rfmScores(new Float64Array(summary.ids.length), summary.orders, summary.revenue).frequency;
    const scoresOfOneOrder = new Set<number>();
    for (let i = 0; i < summary.ids.length; i++) if (summary.orders[i] === 1) scoresOfOneOrder.add(frequency.scores[i]);
    expect(scoresOfOneOrder.size).toBe(1);
  });
});
