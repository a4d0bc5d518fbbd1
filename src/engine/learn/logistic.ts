/**
 * L2-regularised logistic regression for a binary label, the objective of scikit-learn's
 * LogisticRegression(C) with penalty 'l2':
 *   minimise ½‖w‖² + C · Σᵢ [log(1 + e^{zᵢ}) − yᵢ zᵢ],  zᵢ = xᵢ·w + b,
 * the intercept b unpenalised. Fitted by Newton's method (iteratively reweighted least squares,
 * Nocedal & Wright 2006 §3.3 and §10; Hastie, Tibshirani & Friedman 2009 §4.4.1) with a
 * backtracking Armijo line search: the objective is strictly convex, so Newton converges in a
 * handful of steps, each one pass over the rows for the Hessian XᵀDX and a Cholesky solve.
 */
import { auc, type Split } from './evaluation';
import { selectRows, type FeatureMatrix } from './matrix';

export interface LogisticModel {
  /** One weight per feature column, in log-odds per unit of the feature (a z-score unit here). */
  weights: Float64Array;
  intercept: number;
  /** The inverse regularisation strength the model was fitted with. */
  C: number;
  /** Training means of the columns: the reference point of the per-row contributions. */
  means: Float64Array;
  /** Newton steps taken, and whether the gradient test passed. */
  iterations: number;
  converged: boolean;
}

export interface LogisticOptions {
  /** Inverse regularisation strength (default 1, as scikit-learn). Must be > 0. */
  C?: number;
  /**
   * Stop when the largest gradient component of the objective, divided by C · rows, is below this
   * (default 1e-4). That is scikit-learn's `tol` on its own scale: its lbfgs solver minimises the
   * mean log-loss + ‖w‖² / (2 · C · rows), the objective above divided by C · rows.
   */
  tolerance?: number;
  /** Default 50 Newton steps. */
  maxIterations?: number;
  /** Starting weights then intercept (length columns + 1), e.g. the fit at a neighbouring C. */
  start?: Float64Array;
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * The columns of X stored one after another (column-major), so the passes below run down
 * contiguous columns: the Hessian's entries become dot products of two columns, which the CPU
 * pipelines with independent accumulators (row-major, each entry is a read-modify-write per row).
 */
function transpose(X: FeatureMatrix): Float64Array[] {
  const { rows, columns, data } = X;
  const out = Array.from({ length: columns }, () => new Float64Array(rows));
  for (let i = 0, at = 0; i < rows; i++) for (let j = 0; j < columns; j++, at++) out[j][i] = data[at];
  return out;
}

/** z = Xw + b for every row, into `z`, from the columns of X. theta is [w…, b]. */
function linearPredictor(columnsOfX: Float64Array[], theta: Float64Array, z: Float64Array): void {
  z.fill(theta[columnsOfX.length]);
  columnsOfX.forEach((column, j) => {
    const weight = theta[j];
    if (weight === 0) return;
    for (let i = 0; i < z.length; i++) z[i] += weight * column[i];
  });
}

/** Σ u_i v_i with four accumulators, so consecutive additions do not wait on each other. */
function dot(u: Float64Array, v: Float64Array): number {
  const n = u.length;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += u[i] * v[i];
    s1 += u[i + 1] * v[i + 1];
    s2 += u[i + 2] * v[i + 2];
    s3 += u[i + 3] * v[i + 3];
  }
  for (; i < n; i++) s0 += u[i] * v[i];
  return s0 + s1 + s2 + s3;
}

function objectiveAt(columnsOfX: Float64Array[], y: ArrayLike<number>, theta: Float64Array, C: number, z: Float64Array): number {
  linearPredictor(columnsOfX, theta, z);
  let loss = 0;
  for (let i = 0; i < z.length; i++) loss += softplus(z[i]) - y[i] * z[i];
  let penalty = 0;
  for (let j = 0; j < columnsOfX.length; j++) penalty += theta[j] * theta[j];
  return 0.5 * penalty + C * loss;
}

/** Scratch space of one fit, reused by every step. */
interface Workspace {
  residual: Float64Array;
  /** The columns of X then a column of ones (the intercept), each times the row's Hessian weight p(1 − p)·C. */
  weighted: Float64Array[];
}

/**
 * Four entries of XᵀDX at once, (j, k), (j, k+1), (j+1, k), (j+1, k+1), from the weighted
 * columns j, j+1 and the plain columns k, k+1: four products per four loads instead of two loads
 * per product, which is what limits these loops.
 */
function hessianBlock(wj: Float64Array, wj1: Float64Array, xk: Float64Array, xk1: Float64Array, hessian: Float64Array, at: number, size: number): void {
  let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
  for (let i = 0; i < wj.length; i++) {
    const a = wj[i], b = wj1[i], c = xk[i], d = xk1[i];
    s00 += a * c; s01 += a * d; s10 += b * c; s11 += b * d;
  }
  hessian[at] = s00;
  hessian[at + 1] = s01;
  hessian[at + size] = s10;
  hessian[at + size + 1] = s11;
}

/** out_i = a_i b_i. */
function scaleInto(out: Float64Array, a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] * b[i];
}

/**
 * Gradient of the objective at theta, with z = Xw + b already computed. `augmented` is the columns
 * of X then a column of ones for the intercept (the last coordinate).
 */
function gradientAt(augmented: Float64Array[], y: ArrayLike<number>, theta: Float64Array, C: number, z: Float64Array, gradient: Float64Array, work: Workspace): void {
  const size = augmented.length;
  const { residual } = work;
  for (let i = 0; i < z.length; i++) residual[i] = C * (sigmoid(z[i]) - y[i]);
  for (let j = 0; j < size; j++) gradient[j] = dot(augmented[j], residual) + (j < size - 1 ? theta[j] : 0);
}

/**
 * Upper triangle of the Hessian C·XᵀDX + diag(1, …, 1, 0) at z (D = p(1 − p); the intercept
 * unpenalised), with XᵀDX estimated from every `stride`-th row (`sampled` holds those rows of the
 * augmented columns) and scaled up to all rows. stride 1 is the exact Hessian.
 */
function hessianAt(sampled: Float64Array[], stride: number, rows: number, C: number, z: Float64Array, hessian: Float64Array, work: Workspace): void {
  const size = sampled.length;
  const { weighted } = work;
  const ones = weighted[size - 1];
  const scale = (C * rows) / ones.length;
  for (let s = 0; s < ones.length; s++) {
    const p = sigmoid(z[s * stride]);
    ones[s] = scale * p * (1 - p);
  }
  for (let j = 0; j < size - 1; j++) scaleInto(weighted[j], ones, sampled[j]);
  const paired = size - (size % 2);
  for (let j = 0; j < paired; j += 2) {
    for (let k = j; k < paired; k += 2) hessianBlock(weighted[j], weighted[j + 1], sampled[k], sampled[k + 1], hessian, j * size + k, size);
  }
  if (paired < size) for (let j = 0; j < size; j++) hessian[j * size + size - 1] = dot(weighted[j], sampled[size - 1]);
  for (let j = 0; j < size - 1; j++) hessian[j * size + j] += 1;
}

function everyNth(values: Float64Array, stride: number): Float64Array {
  const out = new Float64Array(Math.ceil(values.length / stride));
  for (let s = 0; s < out.length; s++) out[s] = values[s * stride];
  return out;
}

/**
 * Rows behind the Hessian: all of them up to this many, else an even stride through them. The
 * gradient is always exact, so the fit converges to the same optimum; a Hessian from a sample
 * only makes the steps a little less than Newton's (Byrd, Chin, Neveitt & Nocedal 2011) at a
 * fraction of the n·d²/2 products, which dominate the fit.
 */
const HESSIAN_ROWS = 2048;

/**
 * Cholesky factor L (lower triangle, row-major) of a symmetric matrix given by its upper triangle;
 * null when the matrix is not numerically positive definite.
 */
function cholesky(matrix: Float64Array, size: number): Float64Array | null {
  const L = new Float64Array(size * size);
  for (let j = 0; j < size; j++) {
    let diagonal = matrix[j * size + j];
    for (let k = 0; k < j; k++) diagonal -= L[j * size + k] ** 2;
    if (!(diagonal > 0)) return null;
    const root = Math.sqrt(diagonal);
    L[j * size + j] = root;
    for (let i = j + 1; i < size; i++) {
      let sum = matrix[j * size + i];
      for (let k = 0; k < j; k++) sum -= L[i * size + k] * L[j * size + k];
      L[i * size + j] = sum / root;
    }
  }
  return L;
}

/** Solves L Lᵀ s = rhs in place. */
function choleskySolve(L: Float64Array, size: number, rhs: Float64Array): void {
  for (let i = 0; i < size; i++) {
    let sum = rhs[i];
    for (let k = 0; k < i; k++) sum -= L[i * size + k] * rhs[k];
    rhs[i] = sum / L[i * size + i];
  }
  for (let i = size - 1; i >= 0; i--) {
    let sum = rhs[i];
    for (let k = i + 1; k < size; k++) sum -= L[k * size + i] * rhs[k];
    rhs[i] = sum / L[i * size + i];
  }
}

/** All weights 0 and the intercept at the log-odds of the base rate: one Newton step saved. */
function baseRateStart(labels: ArrayLike<number>, size: number): Float64Array {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  const start = new Float64Array(size);
  if (positives > 0 && positives < labels.length) start[size - 1] = Math.log(positives / (labels.length - positives));
  return start;
}

function maxAbs(values: Float64Array): number {
  let largest = 0;
  for (const value of values) largest = Math.max(largest, Math.abs(value));
  return largest;
}

/**
 * A Hessian is kept while each step shrinks the gradient at least this much: forming it is
 * n·d²/2 products against n·d for a gradient, and near the optimum the Hessian hardly changes,
 * so a kept factor still contracts the error fast (the chord or Shamanskii variant of Newton,
 * Kelley 1995 §5.4); when progress slows, it is formed afresh.
 */
const KEEP_HESSIAN_BELOW = 0.1;

/**
 * Fits the model. X: rows × columns, finite (standardised features); labels: 1/0 per row.
 * Throws on a length mismatch, a label that is not 1/0, C ≤ 0, or no rows. With one class only
 * the intercept runs off towards ±∞ and the fit stops unconverged at the iteration limit.
 */
export function fitLogistic(X: FeatureMatrix, labels: ArrayLike<number>, options: LogisticOptions = {}): LogisticModel {
  const C = options.C ?? 1;
  const tolerance = (options.tolerance ?? 1e-4) * C * X.rows;
  const maxIterations = options.maxIterations ?? 50;
  if (labels.length !== X.rows) throw new Error(`${labels.length} labels for ${X.rows} rows`);
  if (X.rows === 0) throw new Error('logistic regression on no rows');
  if (!(C > 0)) throw new Error(`C must be positive, not ${C}`);
  for (let i = 0; i < labels.length; i++) if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`label ${i} is ${labels[i]}: labels must be 1 or 0`);
  const size = X.columns + 1;
  const columnsOfX = transpose(X);
  const augmented = [...columnsOfX, new Float64Array(X.rows).fill(1)];
  const stride = Math.max(1, Math.ceil(X.rows / HESSIAN_ROWS));
  const sampled = stride === 1 ? augmented : augmented.map((column) => everyNth(column, stride));
  const work: Workspace = { residual: new Float64Array(X.rows), weighted: sampled.map((column) => new Float64Array(column.length)) };
  let theta: Float64Array = options.start ? Float64Array.from(options.start) : baseRateStart(labels, size);
  let trial: Float64Array = new Float64Array(size);
  let z = new Float64Array(X.rows);
  let trialZ = new Float64Array(X.rows);
  const gradient = new Float64Array(size);
  const hessian = new Float64Array(size * size);
  const step = new Float64Array(size);
  let value = objectiveAt(columnsOfX, labels, theta, C, z);
  let factor: Float64Array | null = null;
  let previousGradient = Infinity;
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    gradientAt(augmented, labels, theta, C, z, gradient, work);
    const gradientSize = maxAbs(gradient);
    if (gradientSize < tolerance) { converged = true; break; }
    if (!factor || gradientSize > KEEP_HESSIAN_BELOW * previousGradient) factor = freshFactor();
    previousGradient = gradientSize;
    if (!factor) break;
    let accepted = tryStep(factor);
    if (!accepted) {
      // A kept Hessian that no longer gives a descent step is formed afresh once.
      factor = freshFactor();
      accepted = factor !== null && tryStep(factor);
    }
    if (!accepted) break;
  }
  return { weights: theta.slice(0, X.columns), intercept: theta[X.columns], C, means: columnMeans(X), iterations, converged };

  function freshFactor(): Float64Array | null {
    hessianAt(sampled, stride, X.rows, C, z, hessian, work);
    return cholesky(hessian, size);
  }

  /** Newton step with the factor, backtracked to an Armijo decrease; true when taken. */
  function tryStep(L: Float64Array): boolean {
    step.set(gradient);
    choleskySolve(L, size, step);
    let slope = 0;
    for (let j = 0; j < size; j++) slope -= step[j] * gradient[j];
    if (!(slope < 0)) return false;
    let length = 1;
    for (let halving = 0; halving < 40; halving++, length /= 2) {
      for (let j = 0; j < size; j++) trial[j] = theta[j] - length * step[j];
      const trialValue = objectiveAt(columnsOfX, labels, trial, C, trialZ);
      // Near the optimum the decrease is below the objective's rounding (~1e-16 of its size), so
      // a step is also accepted when it changes the objective by no more than that.
      if (trialValue <= value + 1e-4 * length * slope || (length === 1 && trialValue <= value + 1e-14 * Math.abs(value))) {
        [theta, trial] = [trial, theta];
        [z, trialZ] = [trialZ, z];
        value = trialValue;
        return true;
      }
    }
    return false;
  }
}

function columnMeans(X: FeatureMatrix): Float64Array {
  const means = new Float64Array(X.columns);
  for (let i = 0, at = 0; i < X.rows; i++) for (let j = 0; j < X.columns; j++, at++) means[j] += X.data[at];
  for (let j = 0; j < X.columns; j++) means[j] /= X.rows;
  return means;
}

/** Probability of the label 1 for every row of X (same columns as the fit). */
export function predictLogistic(model: LogisticModel, X: FeatureMatrix): Float64Array {
  checkColumns(model, X);
  const z = new Float64Array(X.rows);
  const { columns, data } = X;
  for (let i = 0, at = 0; i < X.rows; i++) {
    let sum = model.intercept;
    for (let j = 0; j < columns; j++, at++) sum += data[at] * model.weights[j];
    z[i] = sigmoid(sum);
  }
  return z;
}

function checkColumns(model: LogisticModel, X: FeatureMatrix): void {
  if (X.columns !== model.weights.length) throw new Error(`the model has ${model.weights.length} features, the matrix ${X.columns} columns`);
}

/**
 * Per-row contributions in log-odds, rows × columns row-major: w_j · (x_ij − mean_j), so a row's
 * contributions sum to its log-odds minus the log-odds of the mean training row,
 * intercept + Σ w_j mean_j (the same reference as SHAP values of a linear model with independent
 * features: Lundberg & Lee 2017).
 */
export function logisticContributions(model: LogisticModel, X: FeatureMatrix): Float64Array {
  checkColumns(model, X);
  const { rows, columns, data } = X;
  const out = new Float64Array(rows * columns);
  for (let i = 0, at = 0; i < rows; i++) for (let j = 0; j < columns; j++, at++) out[at] = model.weights[j] * (data[at] - model.means[j]);
  return out;
}

/** The grid of C tried by cross-validation: a decade apart around scikit-learn's default 1. */
export const C_GRID: readonly number[] = [0.001, 0.01, 0.1, 1, 10];

export interface LogisticSelection {
  /** The C with the best mean AUC over the folds (the smaller C on a tie). */
  C: number;
  /** Mean of the per-fold AUCs at that C. */
  cvAuc: number;
  /** Mean fold AUC at every C of the grid, in grid order. */
  byC: { C: number; auc: number }[];
}

/**
 * Chooses C by cross-validated AUC: for each split, the model is fitted on `train` at every C of
 * the grid (ascending, each fit starting from the last) and scored on `test`. labels 1/0 per row
 * of X; every test fold needs both classes (stratifiedFolds guarantees it).
 */
export function selectLogisticC(X: FeatureMatrix, labels: ArrayLike<number>, splits: Split[], grid: readonly number[] = C_GRID): LogisticSelection {
  const sorted = [...grid].sort((a, b) => a - b);
  const totals = new Float64Array(sorted.length);
  for (const split of splits) {
    const train = selectRows(X, split.train);
    const test = selectRows(X, split.test);
    const trainLabels = Float64Array.from(split.train, (row) => labels[row]);
    const testLabels = Float64Array.from(split.test, (row) => labels[row]);
    let start: Float64Array | undefined;
    sorted.forEach((C, g) => {
      const model = fitLogistic(train, trainLabels, { C, start });
      start = Float64Array.of(...model.weights, model.intercept);
      totals[g] += auc(predictLogistic(model, test), testLabels);
    });
  }
  const byC = sorted.map((C, g) => ({ C, auc: totals[g] / splits.length }));
  const best = byC.reduce((winner, candidate) => (candidate.auc > winner.auc ? candidate : winner));
  return { C: best.C, cvAuc: best.auc, byC };
}
