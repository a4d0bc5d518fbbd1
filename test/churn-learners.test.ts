import { describe, expect, it } from 'vitest';
import { binEdges, boostedTreesBias, boostedTreesContributions, fitBoostedTrees, predictBoostedTrees, rawBoostedTrees } from '../src/engine/learn/boosted-trees';
import { fitChurn, meanAbsolute, topDrivers } from '../src/engine/learn/churn-fit';
import { auc, brierScore, calibrationTable, stratifiedFolds, stratifiedHoldout } from '../src/engine/learn/evaluation';
import { fitLogistic, logisticContributions, predictLogistic } from '../src/engine/learn/logistic';
import type { FeatureMatrix } from '../src/engine/learn/matrix';
import { mulberry32 } from '../src/engine/random';
import { MLC, mlcChurn, TELCO, telcoChurn } from './support/churn-data';
import { nameWithData } from './support/public-data';

const matrix = (rows: number[][]): FeatureMatrix => ({ rows: rows.length, columns: rows[0].length, data: Float64Array.from(rows.flat()) });

describe('AUC', () => {
  it('counts the positive–negative pairs ranked right: 3 of 4', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it('counts a tied positive–negative pair as ½ (3.5 of 4 pairs)', () => {
    expect(auc([0.5, 0.5, 0.2, 0.9], [1, 0, 0, 1])).toBe(0.875);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, ½ for a constant', () => {
    expect(auc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(auc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    expect(auc([7, 7, 7, 7], [0, 1, 0, 1])).toBe(0.5);
  });

  it('refuses one class only and labels that are not 1/0', () => {
    expect(() => auc([0.1, 0.2], [1, 1])).toThrow(/both classes/);
    expect(() => auc([0.1, 0.2], [1, 2])).toThrow(/1 or 0/);
  });
});

describe('Brier score and calibration', () => {
  it('is the mean squared error of the probabilities: (0.01 + 0.04 + 0.36) / 3', () => {
    expect(brierScore([0.9, 0.2, 0.6], [1, 0, 0])).toBeCloseTo(0.41 / 3, 15);
  });

  it('cuts rows by predicted probability into equal groups with mean prediction and observed rate', () => {
    const table = calibrationTable([0.9, 0.1, 0.4, 0.2, 0.8, 0.3], [1, 0, 1, 0, 0, 0], 3);
    expect(table).toEqual([
      { rows: 2, predicted: 0.15000000000000002, observed: 0 },
      { rows: 2, predicted: 0.35, observed: 0.5 },
      { rows: 2, predicted: 0.8500000000000001, observed: 0.5 },
    ]);
  });
});

describe('Stratified splits', () => {
  const labels = Float64Array.from({ length: 103 }, (_, i) => (i % 4 === 0 ? 1 : 0)); // 26 positives, 77 negatives

  it('deals each class evenly over the folds, every row tested exactly once', () => {
    const folds = stratifiedFolds(labels, 5, 7);
    const tested = new Uint8Array(labels.length);
    for (const { train, test } of folds) {
      expect(train.length + test.length).toBe(103);
      test.forEach((row) => { tested[row]++; });
      const positives = test.reduce((sum, row) => sum + labels[row], 0);
      expect(positives === 5 || positives === 6).toBe(true);
      expect(test.length === 20 || test.length === 21).toBe(true);
      expect(train.some((row) => test.includes(row))).toBe(false);
    }
    expect(tested.every((count) => count === 1)).toBe(true);
  });

  it('is the same for the same seed and differs for another', () => {
    expect(stratifiedFolds(labels, 5, 7)).toEqual(stratifiedFolds(labels, 5, 7));
    expect(stratifiedFolds(labels, 5, 8)[0].test).not.toEqual(stratifiedFolds(labels, 5, 7)[0].test);
  });

  it('holds out round(share × count) of each class', () => {
    const { train, test } = stratifiedHoldout(labels, 0.25, 3);
    expect(test.length).toBe(7 + 19);
    expect(test.reduce((sum, row) => sum + labels[row], 0)).toBe(7);
    expect(train.length).toBe(103 - 26);
  });

  it('refuses more folds than the smaller class has rows', () => {
    expect(() => stratifiedFolds([1, 1, 0, 0, 0], 3, 1)).toThrow(/at least 3 rows of each class/);
  });
});

describe('Logistic regression', () => {
  // Measured once with scikit-learn 1.2.1 (Debian python3-sklearn): LogisticRegression(C, solver='newton-cg',
  // tol=1e-14, max_iter=10000); its largest gradient component there is 8e-13 (C = 1) and 5e-10 (C = 0.1).
  const X = matrix([[-1.5, 0.3], [-0.5, -1.2], [0, 0.8], [0.5, -0.4], [1, 1.1], [1.5, -0.6], [-1, 0.9], [0.2, -0.9]]);
  const y = [0, 0, 1, 0, 1, 1, 0, 1];
  const sklearn = [
    { C: 1, coef: [1.043052470847793, 0.2721502663010017], intercept: -0.02287515620301936 },
    { C: 0.1, coef: [0.22210998966101422, 0.039670556349006916], intercept: -0.005552557392463763 },
  ];

  it.each(sklearn)('matches scikit-learn LogisticRegression(C = $C) to 8 digits', ({ C, coef, intercept }) => {
    const model = fitLogistic(X, y, { C, tolerance: 1e-15 });
    expect(model.converged).toBe(true);
    expect(model.weights[0]).toBeCloseTo(coef[0], 8);
    expect(model.weights[1]).toBeCloseTo(coef[1], 8);
    expect(model.intercept).toBeCloseTo(intercept, 8);
  });

  // 1,003 rows × 7 correlated columns, labels drawn from a known model: more rows than the Hessian's
  // sample (512), and neither the rows nor the columns a multiple of the four rows per pass or the
  // 64 rows per chunk, so every partial block of the fit's passes is used.
  const random = mulberry32(11);
  const wide = Array.from({ length: 1003 }, () => {
    const shared = random() - 0.5;
    return Array.from({ length: 7 }, (_, j) => shared + (j + 1) * (random() - 0.5));
  });
  const wideLabels = wide.map((row) => (random() < 1 / (1 + Math.exp(0.3 - row[0] + 2 * row[3] - 0.5 * row[6])) ? 1 : 0));

  /** max |∇(½‖w‖² + C Σ log-loss)| at the model, computed row by row and apart from the fit's own passes. */
  function largestGradient(model: ReturnType<typeof fitLogistic>, rows: number[][], labels: number[]): number {
    const gradient = [...model.weights, 0];
    rows.forEach((row, i) => {
      const residual = model.C * (1 / (1 + Math.exp(-row.reduce((z, x, j) => z + x * model.weights[j], model.intercept))) - labels[i]);
      row.forEach((x, j) => { gradient[j] += residual * x; });
      gradient[row.length] += residual;
    });
    return Math.max(...gradient.map(Math.abs));
  }

  it('stops where the gradient, computed row by row, vanishes: 1,003 rows, a sampled Hessian, partial blocks', () => {
    for (const C of [0.01, 1, 100]) {
      const model = fitLogistic(matrix(wide), wideLabels, { C, tolerance: 1e-12 });
      expect(model.converged).toBe(true);
      expect(largestGradient(model, wide, wideLabels)).toBeLessThan(1e-12 * C * wide.length);
    }
  });

  it('reaches the same optimum from a neighbouring C’s fit as from the base rate', () => {
    const X = matrix(wide);
    const neighbour = fitLogistic(X, wideLabels, { C: 0.1 });
    const cold = fitLogistic(X, wideLabels, { C: 1, tolerance: 1e-12 });
    const warm = fitLogistic(X, wideLabels, { C: 1, tolerance: 1e-12, start: Float64Array.of(...neighbour.weights, neighbour.intercept) });
    expect(warm.converged).toBe(true);
    warm.weights.forEach((weight, j) => expect(weight).toBeCloseTo(cold.weights[j], 9));
    expect(warm.intercept).toBeCloseTo(cold.intercept, 9);
  });

  it('has contributions w_j (x_ij − mean_j) that add up to the log-odds less the mean row’s', () => {
    const model = fitLogistic(X, y, { C: 1 });
    const contributions = logisticContributions(model, X);
    expect(contributions[0]).toBeCloseTo(model.weights[0] * (-1.5 - 0.025), 14);
    expect(contributions[1]).toBeCloseTo(model.weights[1] * (0.3 - 0), 14);
    const p = predictLogistic(model, X);
    const meanLogOdds = model.intercept + model.weights[0] * 0.025;
    for (let i = 0; i < X.rows; i++) {
      expect(Math.log(p[i] / (1 - p[i]))).toBeCloseTo(meanLogOdds + contributions[2 * i] + contributions[2 * i + 1], 10);
    }
  });
});

describe('Boosted trees', () => {
  // 200 rows: the label is 1 exactly when feature 0 > 0.5; feature 1 is noise.
  const rows = Array.from({ length: 200 }, (_, i) => [(i % 100) / 100, ((i * 37) % 200) / 200]);
  const X = matrix(rows);
  const y = rows.map(([x]) => (x > 0.5 ? 1 : 0));

  it('finds the one split that separates the classes, and ranks perfectly', () => {
    const model = fitBoostedTrees(X, y, { validationShare: 0, maxIterations: 20, maxLeaves: 2, minSamplesLeaf: 5 });
    for (const tree of model.trees) {
      expect(tree.feature[0]).toBe(0);
      expect(tree.threshold[0]).toBeCloseTo(0.505, 12);
    }
    expect(auc(predictBoostedTrees(model, X), y)).toBe(1);
  });

  it('has Saabas contributions that add up to each row’s log-odds less the bias', () => {
    const model = fitBoostedTrees(X, y, { seed: 3, maxIterations: 30, minSamplesLeaf: 5 });
    const raw = rawBoostedTrees(model, X);
    const contributions = boostedTreesContributions(model, X);
    const bias = boostedTreesBias(model);
    for (let i = 0; i < X.rows; i++) expect(contributions[2 * i] + contributions[2 * i + 1]).toBeCloseTo(raw[i] - bias, 10);
  });

  it('is deterministic for a seed', () => {
    const first = fitBoostedTrees(X, y, { seed: 5, minSamplesLeaf: 5 });
    const second = fitBoostedTrees(X, y, { seed: 5, minSamplesLeaf: 5 });
    expect(rawBoostedTrees(second, X)).toEqual(rawBoostedTrees(first, X));
  });

  it('places bin edges midway between distinct values, or at quantiles past maxBins', () => {
    // Column 0: 4 distinct values (−0 and 0 are one), unsorted; column 1: 0…19 in reverse.
    const values = [3, 1, 2, 1, 3, -0, 0];
    const X2 = matrix(Array.from({ length: 20 }, (_, i) => [values[i % 7], 19 - i]));
    const all = Uint32Array.from({ length: 20 }, (_, i) => i);
    const [few, many] = binEdges(X2, all, 255);
    expect(Array.from(few)).toEqual([0.5, 1.5, 2.5]);
    expect(Array.from(many)).toEqual(Array.from({ length: 19 }, (_, k) => k + 0.5));
    // 4 bins for 0…19: sorted positions 19·b/4 = 4.75, 9.5, 14.25, each edge midway between that value and the next.
    expect(Array.from(binEdges(X2, all, 4)[1])).toEqual([4.5, 9.5, 14.5]);
    // 3 bins for the 7 values of column 0 (rows 0–6): positions 2 and 4 of [−0, 0, 1, 1, 2, 3, 3].
    expect(Array.from(binEdges(X2, all.subarray(0, 7), 3)[0])).toEqual([1, 2.5]);
  });

  it('fits the same trees when the features have more than 65,536 bins in all', () => {
    // 300 rows of 300 identical columns with 300 distinct values: 300 × 255 bins. Ties go to the first feature.
    const n = 300;
    const narrow = matrix(Array.from({ length: n }, (_, i) => [((i * 7) % n) / n]));
    const wide = matrix(Array.from({ length: n }, (_, i) => Array.from({ length: n }, () => narrow.data[i])));
    const labels = Array.from(narrow.data, (x, i) => (x > 0.3 && i % 5 !== 0 ? 1 : 0));
    const options = { validationShare: 0, maxIterations: 5, minSamplesLeaf: 5 };
    const one = fitBoostedTrees(narrow, labels, options);
    const many = fitBoostedTrees(wide, labels, options);
    expect(many.trees.length).toBe(5);
    expect(many.trees.map((tree) => [Array.from(tree.feature), Array.from(tree.threshold), Array.from(tree.value)]))
      .toEqual(one.trees.map((tree) => [Array.from(tree.feature), Array.from(tree.threshold), Array.from(tree.value)]));
  });
});

describe('Drivers', () => {
  it('lists each row’s three largest positive contributions, largest first, -1 when fewer', () => {
    const contributions = Float64Array.from([0.1, -0.5, 0.3, 0.2, 0.05, /* row 2 */ -0.1, 0.4, -0.2, 0, -0.3]);
    expect(Array.from(topDrivers(contributions, 2, 5))).toEqual([2, 3, 0, 1, -1, -1]);
    meanAbsolute(contributions, 2, 5).forEach((value, j) => expect(value).toBeCloseTo([0.1, 0.45, 0.25, 0.1, 0.175][j], 15));
  });
});

describe('Churn fit on the public data (25 % stratified holdout never seen in training)', () => {
  it.skipIf(!TELCO.present)(nameWithData('IBM Telco: holdout AUC ≥ 0.84 (scikit-learn logistic 0.847)', TELCO), () => {
    const { matrix: X, labels } = telcoChurn();
    const fit = fitChurn(X, labels, { seed: 1 });
    expect(fit.holdout.auc).toBeGreaterThanOrEqual(0.84);
    expect(fit.holdout.rows).toBe(Math.round(0.25 * 1869) + Math.round(0.25 * 5174));
    expect(fit.holdout.brier).toBeLessThan(0.15);
    expect(fit.probabilities.length).toBe(X.rows);
    expect(fit.holdout.calibration.map((bin) => bin.rows).reduce((a, b) => a + b)).toBe(fit.holdout.rows);
  });

  it.skipIf(!MLC.present)(nameWithData('MLC: boosted trees chosen, holdout AUC ≥ 0.92 (scikit-learn trees 0.93, logistic 0.81)', MLC), () => {
    const { matrix: X, labels } = mlcChurn();
    const fit = fitChurn(X, labels, { seed: 1 });
    expect(fit.chosen).toBe('boosted trees');
    expect(fit.cvAuc.boostedTrees).toBeGreaterThan(fit.cvAuc.logistic + 0.05);
    expect(fit.holdout.auc).toBeGreaterThanOrEqual(0.92);
  });

  it.skipIf(!MLC.present)(nameWithData('scores unlabelled rows too, deterministically, with drivers that raise the risk', MLC), () => {
    const { matrix: X, labels } = mlcChurn();
    const partly = labels.map((label, i) => (i % 10 === 0 ? NaN : label));
    const fit = fitChurn(X, partly, { seed: 2 });
    expect(fit.labelledRows).toBe(4500);
    expect(fit.probabilities.every((p) => p > 0 && p < 1)).toBe(true);
    expect(fitChurn(X, partly, { seed: 2 }).probabilities).toEqual(fit.probabilities);
    let riskiest = 0;
    for (let i = 0; i < X.rows; i += 10) if (fit.probabilities[i] > fit.probabilities[riskiest]) riskiest = i;
    expect(fit.drivers[riskiest * 3]).toBeGreaterThanOrEqual(0);
  });
});
