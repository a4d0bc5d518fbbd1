/**
 * The churn model's fit: both learners judged on the same folds, the better one's honest score on
 * rows it never saw, then that learner refitted on every labelled row to score every row.
 *
 *  1. A stratified holdout (default 25 %) of the labelled rows is set aside; no fit sees it.
 *  2. On the rest (the development rows), k-fold stratified cross-validation (default 5) of
 *     logistic regression (C chosen on the same folds, so its CV AUC is the best of the grid) and
 *     of boosted trees. The learner with the higher mean fold AUC is chosen (logistic on a tie:
 *     simpler, and its drivers are exact).
 *  3. The chosen learner is fitted on all development rows and scored on the holdout: AUC, Brier
 *     score and a calibration table by deciles of predicted risk.
 *  4. The chosen learner is refitted on every labelled row (holdout included, more data for the
 *     model that is used); that model gives every row, labelled or not, its probability and its
 *     per-feature contributions in log-odds.
 */
import { boostedTreesContributions, fitBoostedTrees, predictBoostedTrees, type BoostingOptions } from './boosted-trees';
import { auc, brierScore, calibrationTable, stratifiedFolds, stratifiedHoldout, type CalibrationBin, type Split } from './evaluation';
import { fitLogistic, logisticContributions, predictLogistic, selectLogisticC } from './logistic';
import { selectRows, type FeatureMatrix } from './matrix';

export type ChurnLearner = 'logistic' | 'boosted trees';

export interface ChurnOptions {
  seed: number;
  /** Share of the labelled rows held out, stratified (default 0.25). */
  holdoutShare?: number;
  /** Cross-validation folds on the development rows (default 5). */
  folds?: number;
  /** Settings of the boosted trees (defaults of boosted-trees.ts; the seed is the fit's). */
  boosting?: BoostingOptions;
}

export interface ChurnFit {
  chosen: ChurnLearner;
  /** Mean fold AUC of each learner on the development rows. */
  cvAuc: { logistic: number; boostedTrees: number };
  /** The logistic regression's C, chosen by cross-validated AUC. */
  logisticC: number;
  /** The chosen learner, fitted on the development rows, judged on the holdout it never saw. */
  holdout: { rows: number; churned: number; auc: number; brier: number; calibration: CalibrationBin[] };
  /** How the probabilities were made: always the chosen learner refitted on every labelled row. */
  scoredBy: 'chosen learner refitted on all labelled rows';
  labelledRows: number;
  /** Probability of churn for every row of X (labelled and unlabelled). */
  probabilities: Float64Array;
  /**
   * Per row, the indices of the (up to) three features with the largest positive contributions,
   * largest first: rows × 3, row-major; -1 where fewer than three features raise the risk.
   */
  drivers: Int32Array;
  /** Per feature, mean |contribution| in log-odds over all rows: the global drivers. */
  importance: Float64Array;
}

export const DRIVERS_PER_ROW = 3;

function labelledRowsOf(labels: Float64Array): Uint32Array {
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (Number.isNaN(labels[i])) continue;
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`label ${i} is ${labels[i]}: churn labels are 1, 0 or NaN (unlabelled)`);
    rows.push(i);
  }
  return Uint32Array.from(rows);
}

/** A learner behind one interface: fit on rows, then probabilities and contributions. */
interface Fitted {
  predict(X: FeatureMatrix): Float64Array;
  contributions(X: FeatureMatrix): Float64Array;
}

function fitLearner(learner: ChurnLearner, X: FeatureMatrix, labels: Float64Array, C: number, boosting: BoostingOptions): Fitted {
  if (learner === 'logistic') {
    const model = fitLogistic(X, labels, { C });
    return { predict: (Y) => predictLogistic(model, Y), contributions: (Y) => logisticContributions(model, Y) };
  }
  const model = fitBoostedTrees(X, labels, boosting);
  return { predict: (Y) => predictBoostedTrees(model, Y), contributions: (Y) => boostedTreesContributions(model, Y) };
}

function treesCvAuc(X: FeatureMatrix, labels: Float64Array, splits: Split[], boosting: BoostingOptions): number {
  let total = 0;
  for (const split of splits) {
    const model = fitBoostedTrees(selectRows(X, split.train), Float64Array.from(split.train, (row) => labels[row]), boosting);
    total += auc(predictBoostedTrees(model, selectRows(X, split.test)), Float64Array.from(split.test, (row) => labels[row]));
  }
  return total / splits.length;
}

/**
 * Fits the churn model. X: rows × columns of finite features (standardised); labels: one per row,
 * 1 (churned), 0 (stayed) or NaN (unlabelled: scored, never trained on). Deterministic for a given
 * seed. Throws when a label is anything else, or when the labelled rows are too few for the
 * holdout and folds (each class needs at least `folds` development rows).
 */
export function fitChurn(X: FeatureMatrix, labels: Float64Array, options: ChurnOptions): ChurnFit {
  if (labels.length !== X.rows) throw new Error(`${labels.length} labels for ${X.rows} rows`);
  const { seed, holdoutShare = 0.25, folds = 5 } = options;
  const boosting: BoostingOptions = { seed, ...options.boosting };
  const labelled = labelledRowsOf(labels);
  const labelledX = selectRows(X, labelled);
  const y = Float64Array.from(labelled, (row) => labels[row]);
  const holdout = stratifiedHoldout(y, holdoutShare, seed);
  const developmentX = selectRows(labelledX, holdout.train);
  const developmentY = Float64Array.from(holdout.train, (row) => y[row]);
  const splits = stratifiedFolds(developmentY, folds, seed + 1);
  const logistic = selectLogisticC(developmentX, developmentY, splits);
  const cvAuc = { logistic: logistic.cvAuc, boostedTrees: treesCvAuc(developmentX, developmentY, splits, boosting) };
  const chosen: ChurnLearner = cvAuc.boostedTrees > cvAuc.logistic ? 'boosted trees' : 'logistic';

  const judged = fitLearner(chosen, developmentX, developmentY, logistic.C, boosting);
  const heldY = Float64Array.from(holdout.test, (row) => y[row]);
  const heldP = judged.predict(selectRows(labelledX, holdout.test));
  const final = fitLearner(chosen, labelledX, y, logistic.C, boosting);
  const contributions = final.contributions(X);
  return {
    chosen,
    cvAuc,
    logisticC: logistic.C,
    holdout: {
      rows: holdout.test.length, churned: heldY.reduce((sum, label) => sum + label, 0),
      auc: auc(heldP, heldY), brier: brierScore(heldP, heldY), calibration: calibrationTable(heldP, heldY),
    },
    scoredBy: 'chosen learner refitted on all labelled rows',
    labelledRows: labelled.length,
    probabilities: final.predict(X),
    drivers: topDrivers(contributions, X.rows, X.columns),
    importance: meanAbsolute(contributions, X.rows, X.columns),
  };
}

/** Per row, the indices of the largest positive contributions, largest first; -1 pads. */
export function topDrivers(contributions: Float64Array, rows: number, columns: number): Int32Array {
  const out = new Int32Array(rows * DRIVERS_PER_ROW).fill(-1);
  for (let i = 0; i < rows; i++) {
    const offset = i * columns;
    const slot = i * DRIVERS_PER_ROW;
    for (let j = 0; j < columns; j++) {
      const value = contributions[offset + j];
      if (!(value > 0)) continue;
      // Insertion into the row's short sorted list of three.
      let k = DRIVERS_PER_ROW;
      while (k > 0 && (out[slot + k - 1] < 0 || contributions[offset + out[slot + k - 1]] < value)) k--;
      if (k >= DRIVERS_PER_ROW) continue;
      for (let m = DRIVERS_PER_ROW - 1; m > k; m--) out[slot + m] = out[slot + m - 1];
      out[slot + k] = j;
    }
  }
  return out;
}

/** Per column, the mean absolute value over rows. */
export function meanAbsolute(values: Float64Array, rows: number, columns: number): Float64Array {
  const out = new Float64Array(columns);
  for (let i = 0, at = 0; i < rows; i++) for (let j = 0; j < columns; j++, at++) out[j] += Math.abs(values[at]);
  for (let j = 0; j < columns; j++) out[j] /= Math.max(rows, 1);
  return out;
}
