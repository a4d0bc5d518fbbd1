/**
 * L2-regularised logistic regression for a binary label, the objective of scikit-learn's
 * LogisticRegression(C) with penalty 'l2':
 *   minimise ½‖w‖² + C · Σᵢ [log(1 + e^{zᵢ}) − yᵢ zᵢ],  zᵢ = xᵢ·w + b,
 * the intercept b unpenalised. Fitted by a quasi-Newton method started from Newton's: the first
 * step solves with the Hessian C·XᵀDX + I (estimated from a sample of the rows), each later step
 * with that Hessian refined by BFGS updates from the exact gradients (Nocedal & Wright 2006 §6.1
 * and Algorithm 7.4; Byrd, Chin, Neveitt & Nocedal 2011 for the sampled Hessian), with a
 * backtracking Armijo line search; a fit from the base rate forms its Hessian once more after two
 * steps. The objective is strictly convex, so this converges superlinearly to the same optimum as
 * Newton's method, at one or two Hessians per fit instead of one per step. Each trial point is one
 * pass over the rows of X as the caller holds it (row-major), giving the objective and the
 * gradient together.
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
 * X prepared for the fit: X itself, row-major as the learners hold it (not copied: a pass over the
 * rows reads each row's columns contiguously, which is all the fit needs), its column means, and a
 * contiguous copy of the rows behind the Hessian. Built once per matrix and shared by every C that
 * cross-validation fits on it.
 */
interface Design {
  rows: number;
  columns: number;
  /** X, rows × columns row-major: the caller's array, only read. */
  data: Float64Array;
  /** Training means of the columns. */
  means: Float64Array;
  /** The Hessian's rows (every stride-th row of X), sampleRows × columns row-major. */
  sample: Float64Array;
  sampleRows: number;
}

/**
 * Rows behind the Hessian: all of them up to this many, else an even stride through them. The
 * gradient is always exact, so the fit converges to the same optimum; a Hessian from a sample
 * only makes the steps a little less than Newton's (Byrd, Chin, Neveitt & Nocedal 2011) at a
 * fraction of the n·d²/2 products. On the churn tables 512 rows take as many steps as 2,048 or
 * all of them, give or take one.
 */
const HESSIAN_ROWS = 512;

/**
 * Rows per chunk of a pass: the chunk's linear predictors and residuals live in two short arrays,
 * and its rows (64 × 45 columns = 23 KB on Telco) are still in the L1 cache when the gradient
 * reads them a second time.
 */
const CHUNK_ROWS = 64;

function prepareDesign(X: FeatureMatrix): Design {
  const { rows, columns, data } = X;
  const stride = Math.max(1, Math.ceil(rows / HESSIAN_ROWS));
  const sampleRows = Math.ceil(rows / stride);
  const sample = new Float64Array(sampleRows * columns);
  for (let s = 0; s < sampleRows; s++) sample.set(data.subarray(s * stride * columns, (s * stride + 1) * columns), s * columns);
  return { rows, columns, data, means: columnMeans(data, rows, columns), sample, sampleRows };
}

/** Xᵀ1 / rows, a chunk at a time like the gradient. */
function columnMeans(data: Float64Array, rows: number, columns: number): Float64Array {
  const means = new Float64Array(columns);
  const share = new Float64Array(CHUNK_ROWS).fill(1 / rows);
  for (let first = 0; first < rows; first += CHUNK_ROWS) addTransposeTimes(data, columns, first, Math.min(rows, first + CHUNK_ROWS), share, means);
  return means;
}

/**
 * z_m = b + Σ_j x_{first+m, j} w_j for the rows first … last − 1 of the row-major data (d columns),
 * into z[0 …]; theta is [w…, b]. Four rows per pass over w: each w_j loaded serves four products,
 * and the four sums are independent chains the CPU overlaps.
 */
function linearPredictorRows(data: Float64Array, d: number, first: number, last: number, theta: Float64Array, z: Float64Array): void {
  const b = theta[d];
  let i = first;
  for (; i + 4 <= last; i += 4) {
    const a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
    let z0 = b, z1 = b, z2 = b, z3 = b;
    for (let j = 0; j < d; j++) {
      const wj = theta[j];
      z0 += data[a0 + j] * wj;
      z1 += data[a1 + j] * wj;
      z2 += data[a2 + j] * wj;
      z3 += data[a3 + j] * wj;
    }
    const m = i - first;
    z[m] = z0;
    z[m + 1] = z1;
    z[m + 2] = z2;
    z[m + 3] = z3;
  }
  for (; i < last; i++) {
    const a = i * d;
    let zi = b;
    for (let j = 0; j < d; j++) zi += data[a + j] * theta[j];
    z[i - first] = zi;
  }
}

/**
 * g_j += Σ_m r_m x_{first+m, j} (Xᵀr over the rows first … last − 1, r indexed from 0), four rows
 * per pass over g: a load and a store of g_j, dearer than the loads of X, serve four products.
 */
function addTransposeTimes(data: Float64Array, d: number, first: number, last: number, r: Float64Array, g: Float64Array): void {
  let i = first;
  for (; i + 4 <= last; i += 4) {
    const a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
    const m = i - first;
    const r0 = r[m], r1 = r[m + 1], r2 = r[m + 2], r3 = r[m + 3];
    for (let j = 0; j < d; j++) g[j] += r0 * data[a0 + j] + r1 * data[a1 + j] + (r2 * data[a2 + j] + r3 * data[a3 + j]);
  }
  for (; i < last; i++) {
    const a = i * d;
    const ri = r[i - first];
    for (let j = 0; j < d; j++) g[j] += ri * data[a + j];
  }
}

/**
 * For `count` linear predictors z (of the rows from `first` on, whose labels are y[first …]): the
 * residuals r_m = C (σ(z_m) − y_m) into r, and the returned Σ_m log(1 + e^{z_m}) − y_m z_m.
 * Both from one e^{−|z|} per row, without overflow: with q = 1/(1 + e^{−|z|}) ∈ [½, 1],
 * σ(z) = q for z ≥ 0 and e^{−|z|} q below, and log(1 + e^{z}) = max(z, 0) − log q. The log q
 * are taken as the log of their product (one logarithm costs a dozen multiplications): at most
 * 64 factors ≥ ½ stay above 2^−64, and the product's rounding, ~64 ulp of a term of size ≤ 44,
 * is far below the objective's own.
 */
function logLossAndResiduals(z: Float64Array, y: Float64Array, first: number, count: number, C: number, r: Float64Array): number {
  let loss = 0;
  let product = 1;
  for (let m = 0; m < count; m++) {
    const zm = z[m];
    const magnitude = Math.abs(zm);
    const t = Math.exp(-magnitude);
    const q = 1 / (1 + t);
    const label = y[first + m];
    r[m] = C * ((zm >= 0 ? q : t * q) - label);
    product *= q;
    // max(z, 0) without a branch: (|z| + z) / 2 is exact.
    loss += 0.5 * (magnitude + zm) - label * zm;
  }
  return loss - Math.log(product);
}

/** Scratch of one pass: a chunk's linear predictors and residuals. */
interface Chunk { z: Float64Array; residual: Float64Array }

/**
 * The objective ½‖w‖² + C Σ [log(1 + e^{zᵢ}) − yᵢ zᵢ] at theta = [w…, b], and its gradient
 * w + C Xᵀ(σ(z) − y) (for b: C Σ (σ(zᵢ) − yᵢ), unpenalised) into `gradient`, in one pass over the
 * rows: each chunk's rows are read for z and again, from the cache, for the gradient. A trial
 * point of the line search that is refused wastes its gradient, which is rare; one that is taken,
 * the usual case, needs no second pass.
 */
function evaluate(design: Design, y: Float64Array, theta: Float64Array, C: number, chunk: Chunk, gradient: Float64Array): number {
  const { rows, columns: d, data } = design;
  const { z, residual } = chunk;
  gradient.fill(0);
  let loss = 0;
  let interceptGradient = 0;
  for (let first = 0; first < rows; first += CHUNK_ROWS) {
    const last = Math.min(rows, first + CHUNK_ROWS);
    linearPredictorRows(data, d, first, last, theta, z);
    loss += logLossAndResiduals(z, y, first, last - first, C, residual);
    addTransposeTimes(data, d, first, last, residual, gradient);
    for (let m = 0; m < last - first; m++) interceptGradient += residual[m];
  }
  let penalty = 0;
  for (let j = 0; j < d; j++) {
    penalty += theta[j] * theta[j];
    gradient[j] += theta[j];
  }
  gradient[d] = interceptGradient;
  return 0.5 * penalty + C * loss;
}

/**
 * Upper triangle of the Hessian C·XᵀDX + diag(1, …, 1, 0) at theta (D = σ(z)(1 − σ(z)); the
 * intercept, the last row and column, unpenalised), size (d + 1)², row-major, with XᵀDX estimated
 * from the design's sample rows and scaled up to all rows. `weights` (sampleRows long) receives
 * C·D of the sample, so scaled.
 */
function hessianAt(design: Design, theta: Float64Array, C: number, weights: Float64Array, hessian: Float64Array): void {
  const { sample, sampleRows, columns: d, rows } = design;
  linearPredictorRows(sample, d, 0, sampleRows, theta, weights);
  const scale = (C * rows) / sampleRows;
  for (let s = 0; s < sampleRows; s++) {
    const p = sigmoid(weights[s]);
    weights[s] = scale * p * (1 - p);
  }
  hessian.fill(0);
  addWeightedGram(sample, d, sampleRows, weights, hessian);
  for (let j = 0; j < d; j++) hessian[j * (d + 1) + j] += 1;
}

/**
 * The upper triangle of Σ_s h_s [x_s, 1][x_s, 1]ᵀ over the rows of the row-major sample (d
 * columns; the appended 1 is the intercept's), added into `gram` ((d + 1)², row-major). Four rows
 * at a time: each load and store of an entry serves four products.
 */
function addWeightedGram(sample: Float64Array, d: number, sampleRows: number, h: Float64Array, gram: Float64Array): void {
  const size = d + 1;
  let s = 0;
  for (; s + 4 <= sampleRows; s += 4) {
    const a0 = s * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
    const h0 = h[s], h1 = h[s + 1], h2 = h[s + 2], h3 = h[s + 3];
    for (let j = 0; j < d; j++) {
      const u0 = h0 * sample[a0 + j], u1 = h1 * sample[a1 + j], u2 = h2 * sample[a2 + j], u3 = h3 * sample[a3 + j];
      const row = j * size;
      for (let k = j; k < d; k++) gram[row + k] += u0 * sample[a0 + k] + u1 * sample[a1 + k] + (u2 * sample[a2 + k] + u3 * sample[a3 + k]);
      gram[row + d] += u0 + u1 + (u2 + u3);
    }
    gram[d * size + d] += h0 + h1 + (h2 + h3);
  }
  for (; s < sampleRows; s++) {
    const a = s * d;
    for (let j = 0; j < d; j++) {
      const u = h[s] * sample[a + j];
      const row = j * size;
      for (let k = j; k < d; k++) gram[row + k] += u * sample[a + k];
      gram[row + d] += u;
    }
    gram[d * size + d] += h[s];
  }
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

/**
 * The BFGS approximation of the inverse Hessian, kept as where it started, the Cholesky factor of
 * a Hessian H₀, and the pairs (s, q) of the steps since (s = θ_new − θ_old, q = the change of the
 * gradient it made). H⁻¹g is then the two-loop recursion (Nocedal & Wright 2006, Algorithm 7.4)
 * with H₀⁻¹ applied by two triangular solves: O(d² + k·d) a step for k pairs, where forming
 * H₀⁻¹ would cost d³ and updating it d² a step. With every pair kept this is exactly BFGS from
 * H₀ (eq. 6.17), not its limited-memory variant: a fit takes a few dozen steps at most.
 */
interface InverseHessian {
  size: number;
  /** Cholesky factor of H₀, lower triangle, row-major (size²). */
  factor: Float64Array;
  steps: Float64Array[];
  changes: Float64Array[];
  /** ρ = 1 / qᵀs per pair. */
  curvatures: number[];
  /** The two-loop recursion's α per pair. */
  alphas: Float64Array;
}

function startInverseHessian(model: InverseHessian, factor: Float64Array): void {
  model.factor = factor;
  model.steps.length = 0;
  model.changes.length = 0;
  model.curvatures.length = 0;
}

/** Adds the pair (s, q), copied; skipped when qᵀs ≤ 0, where the update would not stay positive definite (never for a convex objective, barring rounding). */
function addStep(model: InverseHessian, s: Float64Array, q: Float64Array): void {
  const qs = dotProduct(q, s);
  if (!(qs > 0)) return;
  model.steps.push(s.slice());
  model.changes.push(q.slice());
  model.curvatures.push(1 / qs);
}

/** out = H⁻¹g by the two-loop recursion; g is left as it was. */
function applyInverseHessian(model: InverseHessian, g: Float64Array, out: Float64Array): void {
  const { steps, changes, curvatures, alphas, size } = model;
  out.set(g);
  for (let k = steps.length - 1; k >= 0; k--) {
    alphas[k] = curvatures[k] * dotProduct(steps[k], out);
    addMultiple(out, -alphas[k], changes[k]);
  }
  choleskySolve(model.factor, size, out);
  for (let k = 0; k < steps.length; k++) {
    const beta = curvatures[k] * dotProduct(changes[k], out);
    addMultiple(out, alphas[k] - beta, steps[k]);
  }
}

function dotProduct(u: Float64Array, v: Float64Array): number {
  let total = 0;
  for (let i = 0; i < u.length; i++) total += u[i] * v[i];
  return total;
}

/** u += a v. */
function addMultiple(u: Float64Array, a: number, v: Float64Array): void {
  for (let i = 0; i < u.length; i++) u[i] += a * v[i];
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
 * A fit started at the base rate forms its Hessian a second time after this many steps. The first
 * Hessian, at the start, weighs every row alike (every probability is the base rate there), a
 * poor model of the curvature near the optimum, where confidently predicted rows weigh almost
 * nothing; two steps take the fit most of the way, and a Hessian formed there cuts the steps that
 * follow, for the price of about one: on the churn tables at C = 10 and scikit-learn's stopping
 * point (bench/churn.ts) 14 → 9 steps on Telco and 9 → 7 on MLC, and on every fold and C of the
 * cross-validation no step more than with one Hessian (Telco at C = 10, 10–11 → 6–7). A fit from
 * a given start (the next C of a grid) begins near its optimum and keeps its first Hessian.
 */
const SECOND_HESSIAN_AFTER = 2;

/**
 * fitLogistic on a prepared design, labels checked. Quasi-Newton from a (sampled) Newton start:
 * the first step solves with the Hessian at the start, each later one with that Hessian refined by
 * BFGS updates from the exact gradients, so one or two Hessians (n·d²/2 products each) serve the
 * whole fit and the steps stay close to Newton's; a Hessian is also formed afresh when a step
 * fails to descend. Each trial point costs one pass over the rows, which gives its objective and
 * its gradient together.
 */
function fitDesign(design: Design, y: Float64Array, options: LogisticOptions): LogisticModel {
  const C = options.C ?? 1;
  if (!(C > 0)) throw new Error(`C must be positive, not ${C}`);
  const { rows, columns: d, sampleRows } = design;
  const size = d + 1;
  const tolerance = (options.tolerance ?? 1e-4) * C * rows;
  const maxIterations = options.maxIterations ?? 50;
  const secondHessianAt = options.start ? -1 : SECOND_HESSIAN_AFTER;
  const chunk: Chunk = { z: new Float64Array(CHUNK_ROWS), residual: new Float64Array(CHUNK_ROWS) };
  const weights = new Float64Array(sampleRows);
  let theta: Float64Array = options.start ? Float64Array.from(options.start) : baseRateStart(y, size);
  let trial: Float64Array = new Float64Array(size);
  // The gradients at theta, at the trial point, and at the point before theta (for the update).
  let gradient = new Float64Array(size), trialGradient = new Float64Array(size), previousGradient = new Float64Array(size);
  const hessian = new Float64Array(size * size);
  const inverse: InverseHessian = { size, factor: hessian, steps: [], changes: [], curvatures: [], alphas: new Float64Array(maxIterations + 1) };
  const step = new Float64Array(size);
  const change = new Float64Array(size);
  let value = evaluate(design, y, theta, C, chunk, gradient);
  let fresh = false;
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    if (maxAbs(gradient) < tolerance) { converged = true; break; }
    if ((iterations === 0 || iterations === secondHessianAt) && freshHessian()) {
      fresh = true;
    } else if (iterations === 0) {
      break;
    } else {
      for (let j = 0; j < size; j++) change[j] = gradient[j] - previousGradient[j];
      addStep(inverse, step, change);
      fresh = false;
    }
    let accepted = tryStep();
    if (!accepted && !fresh) {
      // An updated inverse that no longer gives a descent step is replaced by a fresh Hessian's once.
      accepted = freshHessian() && tryStep();
    }
    if (!accepted) break;
  }
  return { weights: theta.slice(0, d), intercept: theta[d], C, means: design.means.slice(), iterations, converged };

  /** Restarts the quasi-Newton model from the Hessian at theta; false when it is not positive definite. */
  function freshHessian(): boolean {
    hessianAt(design, theta, C, weights, hessian);
    const factor = cholesky(hessian, size);
    if (!factor) return false;
    startInverseHessian(inverse, factor);
    return true;
  }

  /**
   * The step −H⁻¹g, backtracked to an Armijo decrease; true when taken, leaving in `step` the
   * step taken (θ_new − θ_old, for the next update) and in `previousGradient` the gradient before it.
   */
  function tryStep(): boolean {
    applyInverseHessian(inverse, gradient, step);
    let slope = 0;
    for (let j = 0; j < size; j++) {
      step[j] = -step[j];
      slope += step[j] * gradient[j];
    }
    if (!(slope < 0)) return false;
    let length = 1;
    for (let halving = 0; halving < 40; halving++, length /= 2) {
      for (let j = 0; j < size; j++) trial[j] = theta[j] + length * step[j];
      const trialValue = evaluate(design, y, trial, C, chunk, trialGradient);
      // Near the optimum the decrease is below the objective's rounding (~1e-16 of its size), so
      // a step is also accepted when it changes the objective by no more than that.
      if (trialValue <= value + 1e-4 * length * slope || (length === 1 && trialValue <= value + 1e-14 * Math.abs(value))) {
        if (length !== 1) for (let j = 0; j < size; j++) step[j] *= length;
        [theta, trial] = [trial, theta];
        [previousGradient, gradient, trialGradient] = [gradient, trialGradient, previousGradient];
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
