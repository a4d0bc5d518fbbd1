/**
 * L2-regularised logistic regression for a binary label, the objective of scikit-learn's
 * LogisticRegression(C) with penalty 'l2':
 *   minimise ½‖w‖² + C · Σᵢ [log(1 + e^{zᵢ}) − yᵢ zᵢ],  zᵢ = xᵢ·w + b,
 * the intercept b unpenalised. Fitted by a quasi-Newton method started from Newton's: the first
 * step solves with the Hessian C·XᵀDX + I (estimated from a sample of the rows), each later step
 * with that Hessian's inverse refined by BFGS updates from the exact gradients (Nocedal & Wright
 * 2006 §6.1; Byrd, Chin, Neveitt & Nocedal 2011 for the sampled Hessian), with a backtracking
 * Armijo line search. The objective is strictly convex, so this converges superlinearly to the
 * same optimum as Newton's method, at one Hessian per fit instead of one per step: on the churn
 * tables forming a Hessian costs as much as five or ten gradient evaluations.
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
  /** Steps taken (each one gradient and, unless the first trial step is refused, one objective evaluation), and whether the gradient test passed. */
  iterations: number;
  converged: boolean;
}

export interface LogisticOptions {
  /** Inverse regularisation strength (default 1, as scikit-learn). Must be > 0. */
  C?: number;
  /**
   * Stop when the largest gradient component of the objective, divided by C · rows (the gradient
   * of the mean log-loss + ‖w‖² / (2 · C · rows)), is below this (default 1e-4). scikit-learn
   * 1.2's lbfgs does not stop on this scale: its `tol` applies to the gradient of the summed
   * loss + ‖w‖² / (2C), and in practice its relative-decrease test (ftol 2.2e-9) ends the fit, at
   * about 5e-6 to 8e-6 on this scale on the Telco and MLC churn tables (bench/churn.ts measures it).
   */
  tolerance?: number;
  /** Default 50 steps. */
  maxIterations?: number;
  /** Starting weights then intercept (length columns + 1), e.g. the fit at a neighbouring C. */
  start?: Float64Array;
}

/** The logistic function 1 / (1 + e^−z), without overflow: a probability from log-odds. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * X prepared for the fit: its columns stored one after another (column-major), so every pass runs
 * down contiguous columns (the Hessian's entries become dot products of two columns, which the CPU
 * pipelines with independent accumulators), and the rows behind the Hessian picked once. Built
 * once per matrix and shared by every C that cross-validation fits on it.
 */
interface Design {
  rows: number;
  /** Column j of X, rows long: views into one buffer. */
  columnsOfX: Float64Array[];
  /** Training means of the columns. */
  means: Float64Array;
  /** Every `stride`-th row of each column (the Hessian's sample); the columns themselves when stride is 1. */
  sampled: Float64Array[];
  stride: number;
}

/**
 * Rows behind the Hessian: all of them up to this many, else an even stride through them. The
 * gradient is always exact, so the fit converges to the same optimum; a Hessian from a sample
 * only makes the steps a little less than Newton's (Byrd, Chin, Neveitt & Nocedal 2011) at a
 * fraction of the n·d²/2 products, which dominate the fit.
 */
const HESSIAN_ROWS = 2048;

/** Rows copied per block of the transpose: a block's slice of every column stays in the L1 cache while it fills. */
const TRANSPOSE_BLOCK = 512;

function prepareDesign(X: FeatureMatrix): Design {
  const { rows, columns, data } = X;
  const buffer = new Float64Array(rows * columns);
  const columnsOfX = Array.from({ length: columns }, (_, j) => buffer.subarray(j * rows, (j + 1) * rows));
  for (let first = 0; first < rows; first += TRANSPOSE_BLOCK) {
    const last = Math.min(rows, first + TRANSPOSE_BLOCK);
    for (let j = 0; j < columns; j++) {
      const column = columnsOfX[j];
      for (let i = first, at = first * columns + j; i < last; i++, at += columns) column[i] = data[at];
    }
  }
  const means = Float64Array.from(columnsOfX, (column) => sum(column) / rows);
  const stride = Math.max(1, Math.ceil(rows / HESSIAN_ROWS));
  const sampled = stride === 1 ? columnsOfX : columnsOfX.map((column) => everyNth(column, stride));
  return { rows, columnsOfX, means, sampled, stride };
}

function everyNth(values: Float64Array, stride: number): Float64Array {
  const out = new Float64Array(Math.ceil(values.length / stride));
  for (let s = 0; s < out.length; s++) out[s] = values[s * stride];
  return out;
}

/** Σ u_i with four accumulators, so consecutive additions do not wait on each other. */
function sum(u: Float64Array): number {
  const n = u.length;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += u[i];
    s1 += u[i + 1];
    s2 += u[i + 2];
    s3 += u[i + 3];
  }
  for (; i < n; i++) s0 += u[i];
  return s0 + s1 + s2 + s3;
}

/** Σ u_i v_i with four accumulators. */
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

/**
 * z = Xw + b for every row, into `z`, four columns per pass: on the machines measured a store costs
 * several loads, so z is written a quarter as often as one column per pass would. theta is [w…, b].
 */
function linearPredictor(columnsOfX: Float64Array[], theta: Float64Array, z: Float64Array): void {
  const d = columnsOfX.length;
  const n = z.length;
  z.fill(theta[d]);
  let j = 0;
  for (; j + 3 < d; j += 4) {
    const a = columnsOfX[j], b = columnsOfX[j + 1], c = columnsOfX[j + 2], e = columnsOfX[j + 3];
    const wa = theta[j], wb = theta[j + 1], wc = theta[j + 2], we = theta[j + 3];
    for (let i = 0; i < n; i++) z[i] += wa * a[i] + wb * b[i] + wc * c[i] + we * e[i];
  }
  for (; j < d; j++) {
    const a = columnsOfX[j], wa = theta[j];
    for (let i = 0; i < n; i++) z[i] += wa * a[i];
  }
}

/** Rows whose factors 1/(1 + e^{−|z|}) ∈ [½, 1] are multiplied before one logarithm: the product stays above 2^−64. */
const LOG_BLOCK = 64;

/**
 * The objective ½‖w‖² + C Σ [log(1 + e^{zᵢ}) − yᵢ zᵢ] at theta, filling z = Xw + b and the
 * probabilities p = σ(z) on the way: both come from one e^{−|z|} per row, and p is what the
 * gradient and the Hessian at an accepted point need, so neither calls exp again.
 * log(1 + e^{z}) = max(z, 0) − log q with q = 1/(1 + e^{−|z|}); the log q of 64 rows are taken as
 * the log of their product (a logarithm costs a dozen multiplications); the rounding of the
 * product, ~64 ulp of a term of size ≤ 44, is far below the objective's own.
 */
function evaluate(design: Design, y: Float64Array, theta: Float64Array, C: number, z: Float64Array, p: Float64Array): number {
  const { columnsOfX } = design;
  linearPredictor(columnsOfX, theta, z);
  const n = z.length;
  let loss = 0;
  for (let first = 0; first < n; first += LOG_BLOCK) {
    const last = Math.min(n, first + LOG_BLOCK);
    let product = 1;
    for (let i = first; i < last; i++) {
      const zi = z[i];
      const t = Math.exp(-Math.abs(zi));
      const q = 1 / (1 + t);
      p[i] = zi >= 0 ? q : t * q;
      product *= q;
      loss += (zi > 0 ? zi : 0) - y[i] * zi;
    }
    loss -= Math.log(product);
  }
  let penalty = 0;
  for (let j = 0; j < columnsOfX.length; j++) penalty += theta[j] * theta[j];
  return 0.5 * penalty + C * loss;
}

/** Gradient of the objective from the probabilities p at theta; the intercept (last coordinate) unpenalised. */
function gradientAt(design: Design, y: Float64Array, theta: Float64Array, C: number, p: Float64Array, residual: Float64Array, gradient: Float64Array): void {
  const { columnsOfX } = design;
  const d = columnsOfX.length;
  for (let i = 0; i < p.length; i++) residual[i] = C * (p[i] - y[i]);
  let j = 0;
  for (; j + 1 < d; j += 2) {
    const [a, b] = pairedDot(columnsOfX[j], columnsOfX[j + 1], residual);
    gradient[j] = a + theta[j];
    gradient[j + 1] = b + theta[j + 1];
  }
  if (j < d) gradient[j] = dot(columnsOfX[j], residual) + theta[j];
  gradient[d] = sum(residual);
}

/** [Σ a_i r_i, Σ b_i r_i] in one pass: r is loaded once for both. */
function pairedDot(a: Float64Array, b: Float64Array, r: Float64Array): [number, number] {
  let sa0 = 0, sa1 = 0, sb0 = 0, sb1 = 0;
  const n = r.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = r[i], r1 = r[i + 1];
    sa0 += a[i] * r0; sa1 += a[i + 1] * r1;
    sb0 += b[i] * r0; sb1 += b[i + 1] * r1;
  }
  if (i < n) { sa0 += a[i] * r[i]; sb0 += b[i] * r[i]; }
  return [sa0 + sa1, sb0 + sb1];
}

/**
 * Four entries of XᵀDX at once, (j, k), (j, k+1), (j+1, k), (j+1, k+1), from the columns j, j+1,
 * k, k+1 and the weights D: five loads per four products and no stores, which is what limits
 * these loops (a weighted copy of the columns costs a store per entry, dearer than the loads).
 */
function hessianBlock(weights: Float64Array, xj: Float64Array, xj1: Float64Array, xk: Float64Array, xk1: Float64Array, hessian: Float64Array, at: number, size: number): void {
  let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
  for (let i = 0; i < weights.length; i++) {
    const h = weights[i];
    const a = h * xj[i], b = h * xj1[i], c = xk[i], e = xk1[i];
    s00 += a * c; s01 += a * e; s10 += b * c; s11 += b * e;
  }
  hessian[at] = s00;
  hessian[at + 1] = s01;
  hessian[at + size] = s10;
  hessian[at + size + 1] = s11;
}

/** Σ h_i u_i v_i with two accumulators. */
function weightedDot(h: Float64Array, u: Float64Array, v: Float64Array): number {
  let s0 = 0, s1 = 0;
  const n = h.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += h[i] * u[i] * v[i];
    s1 += h[i + 1] * u[i + 1] * v[i + 1];
  }
  if (i < n) s0 += h[i] * u[i] * v[i];
  return s0 + s1;
}

/**
 * Upper triangle of the Hessian C·XᵀDX + diag(1, …, 1, 0) from the probabilities p (D = p(1 − p);
 * the intercept, the last row and column, unpenalised), with XᵀDX estimated from the design's
 * sampled rows and scaled up to all rows. `weights` receives C·D per sampled row, so scaled.
 */
function hessianAt(design: Design, C: number, p: Float64Array, weights: Float64Array, hessian: Float64Array): void {
  const { sampled, stride, rows } = design;
  const d = sampled.length;
  const size = d + 1;
  const scale = (C * rows) / weights.length;
  for (let s = 0; s < weights.length; s++) {
    const ps = p[s * stride];
    weights[s] = scale * ps * (1 - ps);
  }
  const paired = d - (d % 2);
  for (let j = 0; j < paired; j += 2) {
    for (let k = j; k < paired; k += 2) hessianBlock(weights, sampled[j], sampled[j + 1], sampled[k], sampled[k + 1], hessian, j * size + k, size);
  }
  if (paired < d) for (let j = 0; j < d; j++) hessian[j * size + d - 1] = weightedDot(weights, sampled[j], sampled[d - 1]);
  for (let j = 0; j < d; j++) hessian[j * size + d] = dot(weights, sampled[j]);
  hessian[d * size + d] = sum(weights);
  for (let j = 0; j < d; j++) hessian[j * size + j] += 1;
}

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
      let total = matrix[j * size + i];
      for (let k = 0; k < j; k++) total -= L[i * size + k] * L[j * size + k];
      L[i * size + j] = total / root;
    }
  }
  return L;
}

/** Solves L Lᵀ s = rhs in place. */
function choleskySolve(L: Float64Array, size: number, rhs: Float64Array): void {
  for (let i = 0; i < size; i++) {
    let total = rhs[i];
    for (let k = 0; k < i; k++) total -= L[i * size + k] * rhs[k];
    rhs[i] = total / L[i * size + i];
  }
  for (let i = size - 1; i >= 0; i--) {
    let total = rhs[i];
    for (let k = i + 1; k < size; k++) total -= L[k * size + i] * rhs[k];
    rhs[i] = total / L[i * size + i];
  }
}

/** All weights 0 and the intercept at the log-odds of the base rate: one Newton step saved. */
function baseRateStart(labels: Float64Array, size: number): Float64Array {
  const positives = sum(labels);
  const start = new Float64Array(size);
  if (positives > 0 && positives < labels.length) start[size - 1] = Math.log(positives / (labels.length - positives));
  return start;
}

function maxAbs(values: Float64Array): number {
  let largest = 0;
  for (const value of values) largest = Math.max(largest, Math.abs(value));
  return largest;
}

/** The inverse of a matrix from its Cholesky factor (L Lᵀ)⁻¹, full and row-major: one solve per unit vector. */
function inverseFromFactor(L: Float64Array, size: number, inverse: Float64Array): void {
  const unit = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    unit.fill(0);
    unit[j] = 1;
    choleskySolve(L, size, unit);
    for (let i = 0; i < size; i++) inverse[i * size + j] = unit[i];
  }
}

/**
 * The BFGS update of an inverse Hessian B⁻¹ after a step s that changed the gradient by q
 * (Nocedal & Wright 2006, eq. 6.17): B⁻¹ ← (I − ρ s qᵀ) B⁻¹ (I − ρ q sᵀ) + ρ s sᵀ, ρ = 1 / qᵀs,
 * expanded as B⁻¹ + ρ(1 + ρ qᵀB⁻¹q) s sᵀ − ρ(B⁻¹q sᵀ + s qᵀB⁻¹), O(size²). Skipped when
 * qᵀs ≤ 0, where the update would not stay positive definite (never for a convex objective,
 * barring rounding). `scratch` receives B⁻¹q.
 */
function bfgsUpdate(inverse: Float64Array, size: number, s: Float64Array, q: Float64Array, scratch: Float64Array): void {
  let qs = 0;
  for (let i = 0; i < size; i++) qs += q[i] * s[i];
  if (!(qs > 0)) return;
  const rho = 1 / qs;
  let qBq = 0;
  for (let i = 0; i < size; i++) {
    let total = 0;
    for (let j = 0; j < size; j++) total += inverse[i * size + j] * q[j];
    scratch[i] = total;
    qBq += q[i] * total;
  }
  const outer = rho * (1 + rho * qBq);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) inverse[i * size + j] += outer * s[i] * s[j] - rho * (scratch[i] * s[j] + s[i] * scratch[j]);
  }
}

/**
 * Fits the model. X: rows × columns, finite (standardised features); labels: 1/0 per row.
 * Throws on a length mismatch, a label that is not 1/0, C ≤ 0, or no rows. With one class only
 * the intercept runs off towards ±∞ and the fit stops unconverged at the iteration limit.
 */
export function fitLogistic(X: FeatureMatrix, labels: ArrayLike<number>, options: LogisticOptions = {}): LogisticModel {
  if (labels.length !== X.rows) throw new Error(`${labels.length} labels for ${X.rows} rows`);
  if (X.rows === 0) throw new Error('logistic regression on no rows');
  for (let i = 0; i < labels.length; i++) if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`label ${i} is ${labels[i]}: labels must be 1 or 0`);
  return fitDesign(prepareDesign(X), Float64Array.from(labels), options);
}

/**
 * fitLogistic on a prepared design, labels checked. Quasi-Newton from a (sampled) Newton start:
 * the first step uses the inverse of the Hessian at the start, and each later one that inverse
 * refined by BFGS updates from the exact gradients (O(d²) each, against n·d²/2 for forming a
 * Hessian), so one Hessian serves the whole fit and the steps stay close to Newton's; a Hessian is
 * formed afresh only when a step fails to descend.
 */
function fitDesign(design: Design, y: Float64Array, options: LogisticOptions): LogisticModel {
  const C = options.C ?? 1;
  if (!(C > 0)) throw new Error(`C must be positive, not ${C}`);
  const { rows, columnsOfX, sampled } = design;
  const d = columnsOfX.length;
  const size = d + 1;
  const tolerance = (options.tolerance ?? 1e-4) * C * rows;
  const maxIterations = options.maxIterations ?? 50;
  const residual = new Float64Array(rows);
  const weights = new Float64Array(sampled.length ? sampled[0].length : Math.ceil(rows / design.stride));
  let theta: Float64Array = options.start ? Float64Array.from(options.start) : baseRateStart(y, size);
  let trial: Float64Array = new Float64Array(size);
  // z is scratch of every evaluation; p, the probabilities, belongs to theta (trialP to trial).
  const z = new Float64Array(rows);
  let p = new Float64Array(rows), trialP = new Float64Array(rows);
  let gradient = new Float64Array(size), previousGradient = new Float64Array(size);
  const hessian = new Float64Array(size * size);
  const inverse = new Float64Array(size * size);
  const step = new Float64Array(size);
  const change = new Float64Array(size);
  const scratch = new Float64Array(size);
  let value = evaluate(design, y, theta, C, z, p);
  let fresh = false;
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    gradientAt(design, y, theta, C, p, residual, gradient);
    if (maxAbs(gradient) < tolerance) { converged = true; break; }
    if (iterations === 0) {
      if (!freshInverse()) break;
      fresh = true;
    } else {
      for (let j = 0; j < size; j++) change[j] = gradient[j] - previousGradient[j];
      bfgsUpdate(inverse, size, step, change, scratch);
      fresh = false;
    }
    let accepted = tryStep();
    if (!accepted && !fresh) {
      // An updated inverse that no longer gives a descent step is replaced by a fresh Hessian's once.
      accepted = freshInverse() && tryStep();
    }
    if (!accepted) break;
    [gradient, previousGradient] = [previousGradient, gradient];
  }
  return { weights: theta.slice(0, d), intercept: theta[d], C, means: design.means.slice(), iterations, converged };

  function freshInverse(): boolean {
    hessianAt(design, C, p, weights, hessian);
    const factor = cholesky(hessian, size);
    if (!factor) return false;
    inverseFromFactor(factor, size, inverse);
    return true;
  }

  /**
   * The step −B⁻¹g, backtracked to an Armijo decrease; true when taken, leaving in `step` the
   * step taken (θ_new − θ_old, for the next update).
   */
  function tryStep(): boolean {
    let slope = 0;
    for (let i = 0; i < size; i++) {
      let total = 0;
      for (let j = 0; j < size; j++) total += inverse[i * size + j] * gradient[j];
      step[i] = -total;
      slope += step[i] * gradient[i];
    }
    if (!(slope < 0)) return false;
    let length = 1;
    for (let halving = 0; halving < 40; halving++, length /= 2) {
      for (let j = 0; j < size; j++) trial[j] = theta[j] + length * step[j];
      const trialValue = evaluate(design, y, trial, C, z, trialP);
      // Near the optimum the decrease is below the objective's rounding (~1e-16 of its size), so
      // a step is also accepted when it changes the objective by no more than that.
      if (trialValue <= value + 1e-4 * length * slope || (length === 1 && trialValue <= value + 1e-14 * Math.abs(value))) {
        if (length !== 1) for (let j = 0; j < size; j++) step[j] *= length;
        [theta, trial] = [trial, theta];
        [p, trialP] = [trialP, p];
        value = trialValue;
        return true;
      }
    }
    return false;
  }
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
  for (let i = 0; i < labels.length; i++) if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`label ${i} is ${labels[i]}: labels must be 1 or 0`);
  for (const split of splits) {
    // One design per fold, shared by every C: the transpose and the Hessian's sample do not depend on C.
    const train = prepareDesign(selectRows(X, split.train));
    const test = selectRows(X, split.test);
    const trainLabels = Float64Array.from(split.train, (row) => labels[row]);
    const testLabels = Float64Array.from(split.test, (row) => labels[row]);
    let start: Float64Array | undefined;
    sorted.forEach((C, g) => {
      const model = fitDesign(train, trainLabels, { C, start });
      start = Float64Array.of(...model.weights, model.intercept);
      totals[g] += auc(predictLogistic(model, test), testLabels);
    });
  }
  const byC = sorted.map((C, g) => ({ C, auc: totals[g] / splits.length }));
  const best = byC.reduce((winner, candidate) => (candidate.auc > winner.auc ? candidate : winner));
  return { C: best.C, cvAuc: best.auc, byC };
}
