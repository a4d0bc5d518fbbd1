/**
 * Two small unconstrained minimisers for the lifetime models' maximum-likelihood fits, which run
 * over log-parameters (so every real vector is a valid point). BFGS uses the analytic gradient and
 * is fast; Nelder–Mead uses only values and takes over when BFGS stalls (a non-finite value, a
 * line search that finds no decrease, or the iteration limit), after which BFGS polishes again.
 * References: Nocedal & Wright, Numerical Optimization (2006), algorithm 6.1 (BFGS) and 3.1
 * (backtracking Armijo line search); Lagarias et al. (1998) for the Nelder–Mead coefficients.
 */

/** The objective: returns f(x) and, when `gradient` is given, writes ∇f(x) into it. */
export type Objective = (x: Float64Array, gradient?: Float64Array) => number;

export interface MinimizeResult {
  x: Float64Array;
  value: number;
  iterations: number;
  /** Calls of the objective. */
  evaluations: number;
  converged: boolean;
  /** Why it stopped, for the fit's report. */
  reason: 'gradient' | 'step' | 'simplex' | 'iterations' | 'line search' | 'not finite' | 'runaway';
}

export interface BfgsOptions {
  /** Stop when the largest gradient component is below this (default 1e-7). */
  gradientTolerance?: number;
  maxIterations?: number;
  /**
   * Stop ('runaway') once a coordinate's magnitude passes this: over log-parameters, a parameter
   * beyond e^±runaway has run off to a boundary rather than being estimated, and walking on
   * towards infinity only costs time (minutes on a large log). Default: no limit.
   */
  runaway?: number;
}

/**
 * Whether a fitted lifetime parameter was estimated: finite and inside 10^−8…10^8. Outside it has
 * run off to a boundary of the likelihood, and no result is given from it (BG/NBD's a and b at the
 * dropout edge excepted, which stand for a limiting model; see bgnbd.ts).
 */
export function isEstimatedParameter(value: number): boolean {
  return Number.isFinite(value) && value > 1e-8 && value < 1e8;
}

/**
 * Log-parameters beyond ±ln 10^12: well outside the range isEstimatedParameter accepts (and past
 * BG/NBD's dropout edge at a + b = 10^8), so stopping here changes no result a fit gives.
 */
export const RUNAWAY_LOG_PARAMETER = Math.log(1e12);

function maxAbs(values: Float64Array): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]));
  return largest;
}

function dot(u: Float64Array, v: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < u.length; i++) sum += u[i] * v[i];
  return sum;
}

/**
 * BFGS with an inverse-Hessian update and a backtracking Armijo line search. The update is
 * skipped when the curvature sᵀy is not positive, which keeps the inverse Hessian positive
 * definite without a Wolfe search. Converged means the gradient test passed.
 */
export function bfgs(objective: Objective, start: ArrayLike<number>, options: BfgsOptions = {}): MinimizeResult {
  const tolerance = options.gradientTolerance ?? 1e-7;
  const maxIterations = options.maxIterations ?? 200;
  const n = start.length;
  let x = Float64Array.from(start);
  let gradient = new Float64Array(n);
  let value = objective(x, gradient);
  let evaluations = 1;
  if (!Number.isFinite(value) || !gradient.every(Number.isFinite)) return { x, value, iterations: 0, evaluations, converged: false, reason: 'not finite' };
  const inverse = identity(n);
  const direction = new Float64Array(n);
  let trial = new Float64Array(n);
  let trialGradient = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (maxAbs(gradient) < tolerance) return { x, value, iterations: iteration, evaluations, converged: true, reason: 'gradient' };
    multiply(inverse, gradient, direction, -1);
    let slope = dot(direction, gradient);
    if (!(slope < 0)) {
      // The inverse Hessian has lost its way: restart from steepest descent.
      resetIdentity(inverse);
      for (let i = 0; i < n; i++) direction[i] = -gradient[i];
      slope = dot(direction, gradient);
    }
    let step = 1;
    let trialValue = NaN;
    for (let halving = 0; halving < 60; halving++) {
      for (let i = 0; i < n; i++) trial[i] = x[i] + step * direction[i];
      trialValue = objective(trial, trialGradient);
      evaluations++;
      if (Number.isFinite(trialValue) && trialValue <= value + 1e-4 * step * slope && trialGradient.every(Number.isFinite)) break;
      step *= 0.5;
      trialValue = NaN;
    }
    if (Number.isNaN(trialValue)) return { x, value, iterations: iteration, evaluations, converged: false, reason: 'line search' };
    for (let i = 0; i < n; i++) {
      s[i] = trial[i] - x[i];
      y[i] = trialGradient[i] - gradient[i];
    }
    const previous = value;
    [x, trial] = [trial, x];
    [gradient, trialGradient] = [trialGradient, gradient];
    value = trialValue;
    if (options.runaway !== undefined && maxAbs(x) > options.runaway) {
      return { x, value, iterations: iteration + 1, evaluations, converged: false, reason: 'runaway' };
    }
    if (maxAbs(s) < 1e-14 && Math.abs(previous - value) <= 1e-15 * Math.abs(value)) {
      return { x, value, iterations: iteration + 1, evaluations, converged: maxAbs(gradient) < tolerance * 100, reason: 'step' };
    }
    updateInverseHessian(inverse, s, y);
  }
  return { x, value, iterations: maxIterations, evaluations, converged: maxAbs(gradient) < tolerance, reason: 'iterations' };
}

function identity(n: number): Float64Array[] {
  return Array.from({ length: n }, (_, i) => {
    const row = new Float64Array(n);
    row[i] = 1;
    return row;
  });
}

function resetIdentity(matrix: Float64Array[]): void {
  matrix.forEach((row, i) => {
    row.fill(0);
    row[i] = 1;
  });
}

function multiply(matrix: Float64Array[], vector: Float64Array, out: Float64Array, factor: number): void {
  for (let i = 0; i < matrix.length; i++) out[i] = factor * dot(matrix[i], vector);
}

/** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(yᵀs); skipped when yᵀs ≤ 0. */
function updateInverseHessian(inverse: Float64Array[], s: Float64Array, y: Float64Array): void {
  const n = s.length;
  const curvature = dot(s, y);
  if (!(curvature > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y)))) return;
  const rho = 1 / curvature;
  const hy = new Float64Array(n);
  multiply(inverse, y, hy, 1);
  const yHy = dot(y, hy);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      inverse[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
    }
  }
}

export interface NelderMeadOptions {
  /** Size of the first simplex along each axis (default 0.5: on log-parameters, a factor of 1.65). */
  step?: number;
  /** Stop when the simplex's values and its extent both fall below this (default 1e-10). */
  tolerance?: number;
  maxIterations?: number;
}

/**
 * Nelder–Mead with the standard coefficients (reflection 1, expansion 2, contraction ½,
 * shrink ½). Non-finite values count as +∞, so the simplex walks away from them.
 */
export function nelderMead(objective: Objective, start: ArrayLike<number>, options: NelderMeadOptions = {}): MinimizeResult {
  const n = start.length;
  const step = options.step ?? 0.5;
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 2000;
  let evaluations = 0;
  const evaluate = (point: Float64Array): number => {
    evaluations++;
    const value = objective(point);
    return Number.isFinite(value) ? value : Infinity;
  };
  const simplex: Float64Array[] = Array.from({ length: n + 1 }, (_, i) => {
    const point = Float64Array.from(start);
    if (i > 0) point[i - 1] += step;
    return point;
  });
  const values = simplex.map(evaluate);
  const centroid = new Float64Array(n);
  const along = (factor: number, worst: Float64Array): Float64Array => {
    const point = new Float64Array(n);
    for (let i = 0; i < n; i++) point[i] = centroid[i] + factor * (worst[i] - centroid[i]);
    return point;
  };
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j]);
    const sorted = order.map((i) => simplex[i]);
    const sortedValues = order.map((i) => values[i]);
    sorted.forEach((point, i) => { simplex[i] = point; values[i] = sortedValues[i]; });
    if (simplexConverged(simplex, values, tolerance)) {
      return { x: simplex[0], value: values[0], iterations: iteration, evaluations, converged: true, reason: 'simplex' };
    }
    centroid.fill(0);
    for (let p = 0; p < n; p++) for (let i = 0; i < n; i++) centroid[i] += simplex[p][i] / n;
    const worst = simplex[n];
    const reflected = along(-1, worst);
    const reflectedValue = evaluate(reflected);
    if (reflectedValue < values[0]) {
      const expanded = along(-2, worst);
      const expandedValue = evaluate(expanded);
      [simplex[n], values[n]] = expandedValue < reflectedValue ? [expanded, expandedValue] : [reflected, reflectedValue];
    } else if (reflectedValue < values[n - 1]) {
      [simplex[n], values[n]] = [reflected, reflectedValue];
    } else {
      const contracted = reflectedValue < values[n] ? along(-0.5, worst) : along(0.5, worst);
      const contractedValue = evaluate(contracted);
      if (contractedValue < Math.min(reflectedValue, values[n])) {
        [simplex[n], values[n]] = [contracted, contractedValue];
      } else {
        for (let p = 1; p <= n; p++) {
          for (let i = 0; i < n; i++) simplex[p][i] = simplex[0][i] + 0.5 * (simplex[p][i] - simplex[0][i]);
          values[p] = evaluate(simplex[p]);
        }
      }
    }
  }
  const best = values.indexOf(Math.min(...values));
  return { x: simplex[best], value: values[best], iterations: maxIterations, evaluations, converged: false, reason: 'iterations' };
}

function simplexConverged(simplex: Float64Array[], values: number[], tolerance: number): boolean {
  const spread = values[values.length - 1] - values[0];
  if (!(spread <= tolerance * (1 + Math.abs(values[0])))) return false;
  let extent = 0;
  for (let p = 1; p < simplex.length; p++) for (let i = 0; i < simplex[0].length; i++) extent = Math.max(extent, Math.abs(simplex[p][i] - simplex[0][i]));
  return extent <= Math.sqrt(tolerance);
}

/** How a model was fitted: which minimisers ran, in order, and how the last one ended. */
export interface FitTrace {
  optimisers: ('BFGS' | 'Nelder-Mead')[];
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: MinimizeResult['reason'];
}

/**
 * BFGS from the start; if it does not converge, Nelder–Mead from BFGS's best point, then BFGS
 * once more from Nelder–Mead's. Returns the best point found and how it was found. A BFGS whose
 * point runs past RUNAWAY_LOG_PARAMETER stops there ('runaway'), without Nelder–Mead.
 */
export function minimizeRobustly(objective: Objective, start: ArrayLike<number>): { result: MinimizeResult; trace: FitTrace } {
  const trace: FitTrace = { optimisers: ['BFGS'], iterations: 0, evaluations: 0, converged: false, reason: 'iterations' };
  const record = (result: MinimizeResult) => {
    trace.iterations += result.iterations;
    trace.evaluations += result.evaluations;
    trace.converged = result.converged;
    trace.reason = result.reason;
    return result;
  };
  let result = record(bfgs(objective, start, { runaway: RUNAWAY_LOG_PARAMETER }));
  // Run off: Nelder–Mead would only walk further out; the caller judges the boundary.
  if (result.converged || result.reason === 'runaway') return { result, trace };
  const from = Number.isFinite(result.value) ? result.x : start;
  trace.optimisers.push('Nelder-Mead');
  const simplex = record(nelderMead(objective, from));
  trace.optimisers.push('BFGS');
  const polished = record(bfgs(objective, simplex.x, { runaway: RUNAWAY_LOG_PARAMETER }));
  result = polished.value <= simplex.value ? polished : { ...simplex, converged: polished.converged || simplex.converged };
  trace.converged = result.converged;
  return { result, trace };
}
