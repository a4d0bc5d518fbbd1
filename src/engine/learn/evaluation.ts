/**
 * How well a binary classifier ranks and calibrates, and the seeded, stratified splits it is
 * judged on. Labels are 1 (the event: churned) or 0; every function here refuses other values,
 * so unlabelled rows (NaN) must be left out before a split or a score.
 */
import { mulberry32 } from '../random';

function checkLabels(labels: ArrayLike<number>): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`label ${i} is ${labels[i]}: labels must be 1 or 0`);
  }
}

function checkLengths(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length) throw new Error(`${scores.length} scores for ${labels.length} labels`);
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counted ½. Computed as the Mann–Whitney U statistic from average ranks
 * (Hanley & McNeil 1982), which equals scikit-learn's roc_auc_score.
 * scores: any real numbers (probabilities or log-odds), one per row; labels: 1 or 0, same length.
 * Throws when lengths differ, a label is not 1/0, or either class is absent (AUC undefined).
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkLengths(scores, labels);
  checkLabels(labels);
  const n = scores.length;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    // Tied scores share the mean of ranks start+1 … end, which is how a tie counts ½.
    const meanRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      if (labels[order[k]] === 1) { positives++; positiveRankSum += meanRank; }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) throw new Error(`AUC needs both classes: ${positives} positive and ${negatives} negative labels`);
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Brier score (Brier 1950): the mean squared difference between predicted probability and the
 * 0/1 outcome; 0 is perfect, 0.25 is a constant ½. probabilities in [0, 1], labels 1/0.
 * Throws on differing lengths, no rows, or a label that is not 1/0.
 */
export function brierScore(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkLengths(probabilities, labels);
  checkLabels(labels);
  if (labels.length === 0) throw new Error('Brier score of no rows');
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum += (probabilities[i] - labels[i]) ** 2;
  return sum / labels.length;
}

/** One bin of a calibration table: rows whose predicted probabilities fall together. */
export interface CalibrationBin {
  rows: number;
  /** Mean predicted probability in the bin. */
  predicted: number;
  /** Share of the bin's rows labelled 1. */
  observed: number;
}

/**
 * Calibration table (reliability diagram as numbers): rows sorted by predicted probability and cut
 * into `bins` groups of as equal size as possible (deciles by default), each with its mean
 * prediction and observed rate. Fewer bins when there are fewer rows than bins.
 */
export function calibrationTable(probabilities: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): CalibrationBin[] {
  checkLengths(probabilities, labels);
  checkLabels(labels);
  const n = labels.length;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => probabilities[a] - probabilities[b]);
  const count = Math.min(bins, n);
  const table: CalibrationBin[] = [];
  for (let b = 0; b < count; b++) {
    const start = Math.floor((b * n) / count);
    const end = Math.floor(((b + 1) * n) / count);
    let predicted = 0;
    let observed = 0;
    for (let k = start; k < end; k++) { predicted += probabilities[order[k]]; observed += labels[order[k]]; }
    table.push({ rows: end - start, predicted: predicted / (end - start), observed: observed / (end - start) });
  }
  return table;
}

/** Row indices of each class, each class shuffled by the seeded generator (Fisher–Yates). */
function shuffledByClass(labels: ArrayLike<number>, seed: number): [Uint32Array, Uint32Array] {
  checkLabels(labels);
  const random = mulberry32(seed);
  const byClass = [0, 1].map((value) => {
    const rows: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === value) rows.push(i);
    const shuffled = Uint32Array.from(rows);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    return shuffled;
  });
  return [byClass[0], byClass[1]];
}

const ascending = (rows: number[]) => Uint32Array.from(rows).sort();

/** A split of row indices (each part in ascending order). */
export interface Split {
  train: Uint32Array;
  test: Uint32Array;
}

/**
 * Stratified k-fold cross-validation: each class is shuffled (seeded, mulberry32) and dealt in
 * turn to the k folds, so every fold holds each class in nearly the training share (fold sizes
 * differ by at most one per class). Returns k splits; split f tests on fold f and trains on the
 * rest. labels: 1/0 per row. Throws when k < 2 or k exceeds the smaller class's count (a fold
 * without a positive has no AUC).
 */
export function stratifiedFolds(labels: ArrayLike<number>, k: number, seed: number): Split[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`folds must be a whole number ≥ 2, not ${k}`);
  const classes = shuffledByClass(labels, seed);
  const smaller = Math.min(classes[0].length, classes[1].length);
  if (k > smaller) throw new Error(`${k} folds need at least ${k} rows of each class; the smaller class has ${smaller}`);
  const foldOf = new Uint8Array(labels.length);
  let dealt = 0;
  // Dealing continues across classes so the folds with an extra negative are not also the ones with an extra positive.
  for (const rows of classes) for (const row of rows) foldOf[row] = dealt++ % k;
  return Array.from({ length: k }, (_, fold) => {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < labels.length; i++) (foldOf[i] === fold ? test : train).push(i);
    return { train: ascending(train), test: ascending(test) };
  });
}

/**
 * Stratified holdout: round(share × class count) rows of each class, drawn at random (seeded,
 * mulberry32), go to `test`; the rest to `train`. share in (0, 1). Throws when either part would
 * lack a class.
 */
export function stratifiedHoldout(labels: ArrayLike<number>, share: number, seed: number): Split {
  if (!(share > 0 && share < 1)) throw new Error(`holdout share must be between 0 and 1, not ${share}`);
  const train: number[] = [];
  const test: number[] = [];
  for (const rows of shuffledByClass(labels, seed)) {
    const held = Math.round(share * rows.length);
    if (held === 0 || held === rows.length) throw new Error(`a ${share} holdout of a class of ${rows.length} rows leaves one side without it`);
    rows.forEach((row, k) => (k < held ? test : train).push(row));
  }
  return { train: ascending(train), test: ascending(test) };
}
