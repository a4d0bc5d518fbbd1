/**
 * The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005, "'Counting your customers' the
 * easy way: an alternative to the Pareto/NBD model", Marketing Science 24(2), 275–284).
 *
 * While alive a customer buys at rate λ (Poisson); after each purchase the customer drops out with
 * probability p. λ ~ Gamma(r, α) across customers, p ~ Beta(a, b). Per customer the data are
 * x = repeat purchases, t_x = time of the last purchase and T = time observed, both measured
 * from the first purchase, in one time unit (weeks in the published tables; α is in that unit).
 *
 * A customer with no repeat purchase (x = 0) has P(alive) = 1 in BG/NBD by construction: dropout
 * happens only right after a purchase, and a one-time buyer has made no repeat purchase yet. This
 * module implements BG/NBD, not the MBG/NBD variant (Batislam et al. 2007) that removes this.
 */
import { LifetimeEstimationError } from './errors';
import { isEstimatedParameter, minimizeRobustly, type FitTrace } from './optimize';
import { digamma, hyp2f1, logAddExp, logGamma } from './special';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Per-customer data in one time unit: x = repeat purchases, tx = recency, T = age. */
export interface RepeatData {
  x: ArrayLike<number>;
  tx: ArrayLike<number>;
  T: ArrayLike<number>;
}

export interface BgNbdFit {
  /** The fitted parameters; at the dropout limit a = p·K and b = (1 − p)·K with K = LIMIT_CONCENTRATION (a = 0 for p = 0). */
  params: BgNbdParams;
  /** Total log-likelihood (eq. 6 summed over customers), as published (−9582.4 on CDNOW). */
  logLikelihood: number;
  customers: number;
  repeatBuyers: number;
  trace: FitTrace;
  /** Where the fit lies against the edge of the model where everyone shares one dropout probability (see DropoutEdge). */
  edge: DropoutEdge;
}

/**
 * The edge of BG/NBD where Beta(a, b) narrows to a single dropout probability p: a, b → ∞ with
 * a/(a+b) → p, or a → 0 (p = 0: nobody drops out, the NBD). Its likelihood is eq. 3 of Fader,
 * Hardie & Lee (2005) with p fixed, integrated over λ only:
 *   L(r, α, p | x, t_x, T) = Γ(r+x) α^r / Γ(r) · [(1−p)^x / (α+T)^(r+x) + δ_{x>0} p (1−p)^(x−1) / (α+t_x)^(r+x)],
 * the limit of eq. 6, since B(a, b+x)/B(a, b) → (1−p)^x and a/(b+x−1) → p/(1−p) there.
 */
export interface DropoutEdge {
  /**
   * 'limit': the likelihood is highest at the edge (the four-parameter search ran a, b off to
   *   it), and `params` are the limiting model's;
   * 'ridge': the maximum is inside, but the edge is not rejected by a likelihood-ratio test at
   *   5 % (EDGE_CRITICAL_GAP): the likelihood is nearly flat towards it, a and b are poorly determined;
   * 'inside': the edge fits clearly worse, or the search stayed far from it (NEAR_EDGE; not fitted then).
   */
  kind: 'limit' | 'ridge' | 'inside';
  /** The best fit on the edge: p = 0 when nobody dropping out fits as well as any common p; null when not fitted (far from it). */
  limit: { r: number; alpha: number; p: number; logLikelihood: number } | null;
  /** Where the four-parameter search stopped, and its log-likelihood (at 'limit': where a, b ran off to). */
  searched: { params: BgNbdParams; logLikelihood: number };
}

/**
 * a + b at which Beta(a, b) counts as the single value p = a/(a+b): the limit's closed forms are
 * used from here on (their relative error is about (1−p)/(p·(a+b)), below 1e-6 here for p ≥ 0.01),
 * and a fit at the limit writes a = p·K, b = (1−p)·K with K = 10^12, so P(alive)'s formula over
 * the a and b cells, ln a − ln(b+x−1), gives ln(p/(1−p)) to 12 digits.
 */
export const LIMIT_CONCENTRATION = 1e8;
const WRITTEN_CONCENTRATION = 1e12;

/**
 * Where the search ended near enough to the edge for the edge to be fitted (two more optimisations,
 * which would triple the time of a fit on a million customers): a + b above 100 (Beta(a, b) with a
 * spread of p below a tenth of its mean for p ≤ 0.5) or a below 0.1 (most of Beta's mass piled at
 * p ≈ 0), or a search that did not converge. Every fit seen to reach the edge or a ridge passed
 * this (the sample's order log a 12.3, b 910; UCI Online Retail a 0.0034); CDNOW's a 0.79, b 2.43 does not.
 */
function nearEdge(params: BgNbdParams, converged: boolean): boolean {
  return !converged || params.a + params.b > 100 || params.a < 0.1;
}

/** Log-likelihood within which the edge counts as fitting as well as the inside (a likelihood ratio of 1.01: nothing). */
const SAME_FIT = 0.01;

/**
 * Half the 5 % critical value of the likelihood-ratio statistic for a parameter on the boundary of
 * its space, which is ½χ²₀ + ½χ²₁ distributed (Self & Liang 1987): 2.706 / 2. An edge whose
 * log-likelihood is less than this below the fit's cannot be told from it by the data.
 */
export const EDGE_CRITICAL_GAP = 2.706 / 2;

/**
 * Fewer repeat buyers than this and the fit refuses. The dropout parameters a, b are identified
 * only by how repeat buyers' recency falls short of their age; with a handful of them the
 * likelihood is flat in (a, b) and the optimum runs off to a boundary (a → 0 or b → ∞) instead of
 * estimating anything. Twenty leaves about five observations per parameter, the common rule of
 * thumb for maximum likelihood with four parameters.
 */
export const MIN_REPEAT_BUYERS = 20;

/**
 * The customers grouped by their number of repeat purchases, so the gamma-function terms of the
 * likelihood, which depend on x only, are computed once per distinct x, not once per customer.
 */
interface Prepared {
  n: number;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Index of each customer's x in `distinct`. */
  slot: Int32Array;
  distinct: Float64Array;
  /** Customers per distinct x. */
  counts: Float64Array;
}

function prepare(data: RepeatData): Prepared {
  const n = data.x.length;
  if (data.tx.length !== n || data.T.length !== n) throw new RangeError('x, t_x and T must have the same length');
  const x = Float64Array.from(data.x);
  const tx = Float64Array.from(data.tx);
  const T = Float64Array.from(data.T);
  const slots = new Map<number, number>();
  const slot = new Int32Array(n);
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!(x[i] >= 0 && tx[i] >= 0 && T[i] >= tx[i] && Number.isFinite(T[i]))) {
      throw new RangeError(`customer ${i}: need x ≥ 0 and 0 ≤ t_x ≤ T, got x=${x[i]}, t_x=${tx[i]}, T=${T[i]}`);
    }
    let index = slots.get(x[i]);
    if (index === undefined) {
      index = distinct.length;
      slots.set(x[i], index);
      distinct.push(x[i]);
      counts.push(0);
    }
    counts[index]++;
    slot[i] = index;
  }
  return { n, x, tx, T, slot, distinct: Float64Array.from(distinct), counts: Float64Array.from(counts) };
}

/**
 * −(log-likelihood)/n over log-parameters θ = (ln r, ln α, ln a, ln b), with the analytic
 * gradient. Eq. 6 in logs: ln L = A1 + A2 + ln(e^A3 + δ_{x>0} e^A4), where
 *   A1 = ln Γ(r+x) − ln Γ(r) + r ln α,   A2 = ln B(a, b+x) − ln B(a, b),
 *   A3 = −(r+x) ln(α+T),   A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x).
 */
function negativeMeanLogLikelihood(data: Prepared, theta: Float64Array, gradient?: Float64Array): number {
  const [r, alpha, a, b] = [Math.exp(theta[0]), Math.exp(theta[1]), Math.exp(theta[2]), Math.exp(theta[3])];
  const { distinct, counts } = data;
  const k = distinct.length;
  const constant = new Float64Array(k);
  const dConstR = new Float64Array(k);
  const dConstA = new Float64Array(k);
  const dConstB = new Float64Array(k);
  const [lgR, lgB, lgAB] = [logGamma(r), logGamma(b), logGamma(a + b)];
  const [dgR, dgB, dgAB] = gradient ? [digamma(r), digamma(b), digamma(a + b)] : [0, 0, 0];
  let total = 0;
  for (let j = 0; j < k; j++) {
    const x = distinct[j];
    constant[j] = logGamma(r + x) - lgR + r * Math.log(alpha) + lgAB + logGamma(b + x) - lgB - logGamma(a + b + x);
    total += counts[j] * constant[j];
    if (gradient) {
      const dgABx = digamma(a + b + x);
      dConstR[j] = digamma(r + x) - dgR + Math.log(alpha);
      dConstA[j] = dgAB - dgABx;
      dConstB[j] = dgAB + digamma(b + x) - dgB - dgABx;
    }
  }
  let gR = 0, gAlpha = 0, gA = 0, gB = 0;
  const logA = Math.log(a);
  for (let i = 0; i < data.n; i++) {
    const x = data.x[i];
    const rx = r + x;
    const logAlphaT = Math.log(alpha + data.T[i]);
    const a3 = -rx * logAlphaT;
    if (x > 0) {
      const logAlphaTx = Math.log(alpha + data.tx[i]);
      const a4 = logA - Math.log(b + x - 1) - rx * logAlphaTx;
      const both = logAddExp(a3, a4);
      total += both;
      if (gradient) {
        const w3 = Math.exp(a3 - both);
        const w4 = 1 - w3;
        gR -= w3 * logAlphaT + w4 * logAlphaTx;
        gAlpha -= rx * (w3 / (alpha + data.T[i]) + w4 / (alpha + data.tx[i]));
        gA += w4 / a;
        gB -= w4 / (b + x - 1);
      }
    } else {
      total += a3;
      if (gradient) {
        gR -= logAlphaT;
        gAlpha -= rx / (alpha + data.T[i]);
      }
    }
  }
  if (gradient) {
    for (let j = 0; j < k; j++) {
      gR += counts[j] * dConstR[j];
      gAlpha += counts[j] * r / alpha;
      gA += counts[j] * dConstA[j];
      gB += counts[j] * dConstB[j];
    }
    // Chain rule to log-parameters, and the sign and scale of the objective.
    gradient[0] = (-r * gR) / data.n;
    gradient[1] = (-alpha * gAlpha) / data.n;
    gradient[2] = (-a * gA) / data.n;
    gradient[3] = (-b * gB) / data.n;
  }
  return -total / data.n;
}

/** Total BG/NBD log-likelihood (eq. 6) of the data at the given parameters. */
export function bgnbdLogLikelihood(data: RepeatData, params: BgNbdParams): number {
  const prepared = prepare(data);
  if (isAtDropoutLimit(params)) {
    const p = limitDropout(params);
    return -negativeMeanEdgeLogLikelihood(prepared, edgeTheta(params.r, params.alpha, p)) * prepared.n;
  }
  const theta = Float64Array.from([params.r, params.alpha, params.a, params.b].map(Math.log));
  return -negativeMeanLogLikelihood(prepared, theta) * prepared.n;
}

/**
 * Start values from the data's moments: the mean purchase rate of repeat buyers, x/T, sets α
 * for r = 1 (so that r/α matches it); a = 1, b = 3 put the mean dropout probability at 0.25,
 * inside the range published fits report (0.2–0.35 for CDNOW and grocery panels).
 */
function startValues(data: Prepared): number[] {
  let purchases = 0;
  let time = 0;
  for (let i = 0; i < data.n; i++) {
    purchases += data.x[i];
    time += data.T[i];
  }
  const rate = purchases > 0 && time > 0 ? purchases / time : 1;
  return [Math.log(1), Math.log(1 / rate), Math.log(1), Math.log(3)];
}

/**
 * Fits BG/NBD by maximum likelihood: BFGS with the analytic gradient over log-parameters, then
 * Nelder–Mead and BFGS again if that stalls (see minimizeRobustly). The edge where everyone shares
 * one dropout probability (DropoutEdge) is fitted too: when it fits as well as the four-parameter
 * search (within SAME_FIT), the maximum lies there, a and b ran off towards it, and the result is
 * the limiting model, stated in `edge`; never a runaway a, b whose predictions are not numbers.
 * @param data x, t_x, T per customer (T ≥ t_x ≥ 0, x ≥ 0), all in one time unit.
 * @throws LifetimeEstimationError with fewer than MIN_REPEAT_BUYERS repeat buyers (x > 0).
 * @throws RangeError on inconsistent data (t_x > T, negative values).
 */
export function fitBgNbd(data: RepeatData): BgNbdFit {
  const prepared = prepare(data);
  let repeatBuyers = 0;
  for (let i = 0; i < prepared.n; i++) if (prepared.x[i] > 0) repeatBuyers++;
  if (repeatBuyers < MIN_REPEAT_BUYERS) throw new LifetimeEstimationError('BG/NBD', repeatBuyers, MIN_REPEAT_BUYERS);
  const objective = (theta: Float64Array, gradient?: Float64Array) => negativeMeanLogLikelihood(prepared, theta, gradient);
  const { result, trace } = minimizeRobustly(objective, startValues(prepared));
  const [r, alpha, a, b] = Array.from(result.x, Math.exp);
  const searched = { params: { r, alpha, a, b }, logLikelihood: -result.value * prepared.n };
  const common = { customers: prepared.n, repeatBuyers, trace };
  // r or α run off (no maximum in the purchase rates): the edge of the dropout parameters cannot mend
  // that, and fitting it walks on as far (40 s of Nelder–Mead on an 80,000-customer log); the model judges the result.
  const rateRanOff = !isEstimatedParameter(r) || !isEstimatedParameter(alpha);
  if (rateRanOff || !nearEdge(searched.params, trace.converged)) return { ...common, ...searched, edge: { kind: 'inside', limit: null, searched } };
  const limit = fitDropoutEdge(prepared, searched.params);
  // A search that stopped at a + b ≥ LIMIT_CONCENTRATION is at the edge already (and its eq. 6 value,
  // a difference of log-gamma values near 10^10, has lost the digits that would tell it from the edge's).
  if (isAtDropoutLimit(searched.params) || limit.logLikelihood >= searched.logLikelihood - SAME_FIT) {
    return { ...common, params: limitParams(limit), logLikelihood: limit.logLikelihood, edge: { kind: 'limit', limit, searched } };
  }
  const kind = searched.logLikelihood - limit.logLikelihood < EDGE_CRITICAL_GAP ? 'ridge' : 'inside';
  return { ...common, params: searched.params, logLikelihood: searched.logLikelihood, edge: { kind, limit, searched } };
}

/** The BG/NBD parameters that stand for the edge with dropout probability p (see LIMIT_CONCENTRATION). */
export function limitParams(limit: { r: number; alpha: number; p: number }): BgNbdParams {
  const { r, alpha, p } = limit;
  return { r, alpha, a: p * WRITTEN_CONCENTRATION, b: (1 - p) * WRITTEN_CONCENTRATION };
}

/** Whether parameters stand for the edge: a = 0 (nobody drops out) or a + b ≥ LIMIT_CONCENTRATION. */
export function isAtDropoutLimit(params: BgNbdParams): boolean {
  return params.a === 0 || params.a + params.b >= LIMIT_CONCENTRATION;
}

/** p = a/(a+b) of parameters at the edge; 0 for a = 0. */
export function limitDropout(params: BgNbdParams): number {
  return params.a === 0 ? 0 : params.a / (params.a + params.b);
}

/** θ of the edge's likelihood: (ln r, ln α) for p = 0, (ln r, ln α, logit p) otherwise. */
function edgeTheta(r: number, alpha: number, p: number): Float64Array {
  return Float64Array.from(p > 0 ? [Math.log(r), Math.log(alpha), Math.log(p / (1 - p))] : [Math.log(r), Math.log(alpha)]);
}

/**
 * −(log-likelihood)/n of the edge (DropoutEdge) over θ = (ln r, ln α[, logit p]), with the
 * analytic gradient; two components mean p = 0 (the NBD: Γ(r+x)/Γ(r) · α^r/(α+T)^(r+x)). In logs,
 * ln L = ln Γ(r+x) − ln Γ(r) + r ln α + x ln(1−p) + A3 + ln(1 + δ_{x>0} e^(D)),
 * A3 = −(r+x) ln(α+T), D = logit p − (r+x) ln((α+t_x)/(α+T)).
 */
function negativeMeanEdgeLogLikelihood(data: Prepared, theta: Float64Array, gradient?: Float64Array): number {
  const [r, alpha] = [Math.exp(theta[0]), Math.exp(theta[1])];
  const withDropout = theta.length > 2;
  const logit = withDropout ? theta[2] : -Infinity;
  const p = withDropout ? 1 / (1 + Math.exp(-logit)) : 0;
  // ln(1 − p) = −ln(1 + e^logit), written so a large logit does not overflow.
  const logSurvive = withDropout ? -(Math.max(logit, 0) + Math.log1p(Math.exp(-Math.abs(logit)))) : 0;
  const { distinct, counts } = data;
  const [lgR, dgR, logAlpha] = [logGamma(r), gradient ? digamma(r) : 0, Math.log(alpha)];
  let total = 0;
  let gR = 0, gAlpha = 0, gLogit = 0;
  for (let j = 0; j < distinct.length; j++) {
    const x = distinct[j];
    total += counts[j] * (logGamma(r + x) - lgR + r * logAlpha + x * logSurvive);
    if (gradient) {
      gR += counts[j] * (digamma(r + x) - dgR + logAlpha);
      gAlpha += counts[j] * (r / alpha);
      gLogit -= counts[j] * x * p;
    }
  }
  for (let i = 0; i < data.n; i++) {
    const x = data.x[i];
    const rx = r + x;
    const logAlphaT = Math.log(alpha + data.T[i]);
    total -= rx * logAlphaT;
    if (gradient) {
      gR -= logAlphaT;
      gAlpha -= rx / (alpha + data.T[i]);
    }
    if (x > 0 && withDropout) {
      const logAlphaTx = Math.log(alpha + data.tx[i]);
      const d = logit - rx * (logAlphaTx - logAlphaT);
      total += logAddExp(0, d);
      if (gradient) {
        const w = d > 0 ? 1 / (1 + Math.exp(-d)) : Math.exp(d) / (1 + Math.exp(d));
        gR -= w * (logAlphaTx - logAlphaT);
        gAlpha -= w * rx * (1 / (alpha + data.tx[i]) - 1 / (alpha + data.T[i]));
        gLogit += w;
      }
    }
  }
  if (gradient) {
    gradient[0] = (-r * gR) / data.n;
    gradient[1] = (-alpha * gAlpha) / data.n;
    if (withDropout) gradient[2] = -gLogit / data.n;
  }
  return -total / data.n;
}

/**
 * The best fit on the edge: the NBD (p = 0) and the common-p model, each by maximum likelihood;
 * p = 0 when a common p adds less than SAME_FIT to the log-likelihood (the simpler model fits as well).
 * The search's a/(a+b) starts p when it is a usable probability.
 */
function fitDropoutEdge(data: Prepared, searched: BgNbdParams): NonNullable<DropoutEdge['limit']> {
  const objective = (theta: Float64Array, gradient?: Float64Array) => negativeMeanEdgeLogLikelihood(data, theta, gradient);
  const start = startValues(data);
  const nbd = minimizeRobustly(objective, [start[0], start[1]]).result;
  const ratio = searched.a / (searched.a + searched.b);
  const startP = ratio > 1e-4 && ratio < 0.5 ? ratio : 0.05;
  const common = minimizeRobustly(objective, [nbd.x[0], nbd.x[1], Math.log(startP / (1 - startP))]).result;
  const [nbdLikelihood, commonLikelihood] = [-nbd.value * data.n, -common.value * data.n];
  if (!(commonLikelihood > nbdLikelihood + SAME_FIT)) return { r: Math.exp(nbd.x[0]), alpha: Math.exp(nbd.x[1]), p: 0, logLikelihood: nbdLikelihood };
  return { r: Math.exp(common.x[0]), alpha: Math.exp(common.x[1]), p: 1 / (1 + Math.exp(-common.x[2])), logLikelihood: commonLikelihood };
}

/**
 * ln of the odds of having dropped out against being alive:
 * ln[a/(b+x−1)] + (r+x) ln[(α+T)/(α+t_x)]; −∞ for x = 0. At the edge a/(b+x−1) is its limit p/(1−p).
 */
function logDeadOdds(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x <= 0) return -Infinity;
  const { r, alpha, a, b } = params;
  const dropoutOdds = isAtDropoutLimit(params) ? Math.log(limitDropout(params)) - Math.log1p(-limitDropout(params)) : Math.log(a) - Math.log(b + x - 1);
  return dropoutOdds + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + δ_{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))
 * (Fader, Hardie & Lee 2005, eq. 13 of the technical note "Computing P(alive) using the BG/NBD
 * model", 2008). Computed from the log-odds, so x = 200 or T = 1e9 give a number in [0, 1],
 * never NaN. 1 for x = 0, by construction of the model.
 */
export function bgnbdPAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  const odds = logDeadOdds(params, x, tx, T);
  return odds > 0 ? Math.exp(-odds) / (1 + Math.exp(-odds)) : 1 / (1 + Math.exp(odds));
}

/**
 * G = [1 − (1−z)^(a−1) · 2F1(a+b−1−r, a−1; c; z)] / (a − 1), c = a+b+x−1.
 * This is eq. 10's bracket after Euler's transformation 2F1(A,B;C;z) = (1−z)^(C−A−B) 2F1(C−A,C−B;C;z),
 * applied to 2F1(r+x, b+x; c; z): its series has small terms even at x = 200, where the original
 * series's terms grow past 1e300 before they fall (the overflow lifetimes users report).
 * For z ≤ 0.9 it is summed as −expm1((a−1)·ln(1−z))/(a−1) − (1−z)^(a−1)·S, where 2F1 = 1 + (a−1)·S,
 * which has no 0/0 as a → 1.
 */
function transformedBracket(params: BgNbdParams, x: number, z: number): number {
  const { r, a, b } = params;
  const first = a - 1;
  const second = a + b - 1 - r;
  const c = a + b + x - 1;
  const logOneMinusZ = Math.log1p(-z);
  if (z > 0.9 && Math.abs(a - 1) > 1e-3) {
    return (1 - Math.exp(first * logOneMinusZ) * hyp2f1(second, first, c, z)) / first;
  }
  const lead = Math.abs(first) < 1e-12 ? -logOneMinusZ : -Math.expm1(first * logOneMinusZ) / first;
  // S = Σ_{k≥1} (second)_k (a)_{k−1} / ((c)_k k!) z^k
  let term = (second / c) * z;
  let sum = term;
  for (let k = 1; k < 1_000_000 && term !== 0; k++) {
    term *= ((second + k) * (a + k - 1)) / ((c + k) * (k + 1)) * z;
    sum += term;
    if (Math.abs(term) <= 1e-16 * Math.abs(sum) && k > 2) break;
  }
  return lead - Math.exp(first * logOneMinusZ) * sum;
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in the next t time units of a customer with history
 * (x, t_x, T) (Fader, Hardie & Lee 2005, eq. 10):
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive).
 * Finite and ≥ 0 for every valid input (checked in the tests against SciPy's hyp2f1).
 */
export function bgnbdConditionalExpected(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0;
  if (isAtDropoutLimit(params)) return edgeConditionalExpected(params, t, x, tx, T);
  const { alpha, a, b } = params;
  const z = t / (alpha + T + t);
  const expected = ((a + b + x - 1) * transformedBracket(params, x, z)) * bgnbdPAlive(params, x, tx, T);
  return expected;
}

/**
 * E[Y(t) | x, t_x, T] at the edge, one dropout probability p for everyone (the limit of eq. 10 as
 * a, b → ∞ with a/(a+b) → p): an alive customer with rate λ buys (1 − e^(−λpt))/p times in t
 * (Fader, Hardie & Lee 2005, the expectation before eq. 7), and λ of an alive customer with history
 * (x, T) is Gamma(r+x, α+T), so
 *   E[Y(t) | …] = P(alive) · [1 − ((α+T)/(α+T+pt))^(r+x)] / p,   and (r+x)·t/(α+T) for p = 0 (the NBD).
 * Written with expm1/log1p so a small p loses no digits.
 */
function edgeConditionalExpected(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha } = params;
  const p = limitDropout(params);
  const alive = bgnbdPAlive(params, x, tx, T);
  if (p === 0) return (alive * (r + x) * t) / (alpha + T);
  return (alive * -Math.expm1(-(r + x) * Math.log1p((p * t) / (alpha + T)))) / p;
}

/**
 * E[X(t)]: expected purchases in a period of length t by a customer just acquired
 * (eq. 7: (a+b−1)/(a−1) · [1 − (α/(α+t))^r 2F1(r, b; a+b−1; t/(α+t))]) — eq. 10 at x = t_x = T = 0.
 * Counts all purchases in (0, t], the first not included.
 */
export function bgnbdExpectedNew(params: BgNbdParams, t: number): number {
  return bgnbdConditionalExpected(params, t, 0, 0, 0);
}
