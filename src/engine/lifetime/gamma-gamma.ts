/**
 * The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV: using
 * iso-value curves for customer base analysis", JMR 42(4), 415–430; Hardie, "The Gamma-Gamma
 * model of monetary value", 2013 note).
 *
 * A customer's spend per transaction is Gamma(p, ν); ν ~ Gamma(q, γ) across customers. Given x
 * repeat transactions with mean spend z̄, the density of z̄ is
 *   f(z̄ | p, q, γ, x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q x^(px) z̄^(px−1) / (γ + x z̄)^(px+q).
 * The model assumes spend is independent of the number of transactions; `frequencySpendCorrelation`
 * checks that on the data.
 */
import { LifetimeEstimationError } from './errors';
import { minimizeRobustly, type FitTrace } from './optimize';
import { digamma, logGamma } from './special';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  /** Customers the fit used: x ≥ 1 and z̄ > 0. */
  repeatBuyers: number;
  trace: FitTrace;
}

/** As for BG/NBD: three parameters, and fewer than twenty customers leave them unidentified. */
export const MIN_SPEND_BUYERS = 20;

interface Prepared {
  x: Float64Array;
  logX: Float64Array;
  zbar: Float64Array;
  logZbar: Float64Array;
  slot: Int32Array;
  distinct: Float64Array;
  counts: Float64Array;
}

function prepare(x: ArrayLike<number>, zbar: ArrayLike<number>): Prepared {
  if (x.length !== zbar.length) throw new RangeError('x and zbar must have the same length');
  const keep: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] >= 1 && zbar[i] > 0 && Number.isFinite(zbar[i])) keep.push(i);
  const n = keep.length;
  const prepared: Prepared = {
    x: new Float64Array(n), logX: new Float64Array(n), zbar: new Float64Array(n), logZbar: new Float64Array(n),
    slot: new Int32Array(n), distinct: new Float64Array(0), counts: new Float64Array(0),
  };
  const slots = new Map<number, number>();
  const distinct: number[] = [];
  const counts: number[] = [];
  keep.forEach((row, i) => {
    prepared.x[i] = x[row];
    prepared.logX[i] = Math.log(x[row]);
    prepared.zbar[i] = zbar[row];
    prepared.logZbar[i] = Math.log(zbar[row]);
    let index = slots.get(x[row]);
    if (index === undefined) {
      index = distinct.length;
      slots.set(x[row], index);
      distinct.push(x[row]);
      counts.push(0);
    }
    counts[index]++;
    prepared.slot[i] = index;
  });
  prepared.distinct = Float64Array.from(distinct);
  prepared.counts = Float64Array.from(counts);
  return prepared;
}

/** −(log-likelihood)/n over (ln p, ln q, ln γ), with the analytic gradient. */
function negativeMeanLogLikelihood(data: Prepared, theta: Float64Array, gradient?: Float64Array): number {
  const [p, q, gamma] = [Math.exp(theta[0]), Math.exp(theta[1]), Math.exp(theta[2])];
  const k = data.distinct.length;
  const n = data.x.length;
  const constant = new Float64Array(k);
  const dConstP = new Float64Array(k);
  const dConstQ = new Float64Array(k);
  const [lgQ, dgQ, logGammaParam] = [logGamma(q), digamma(q), Math.log(gamma)];
  for (let j = 0; j < k; j++) {
    const px = p * data.distinct[j];
    constant[j] = logGamma(px + q) - logGamma(px) - lgQ + q * logGammaParam;
    if (gradient) {
      const dgSum = digamma(px + q);
      dConstP[j] = data.distinct[j] * (dgSum - digamma(px));
      dConstQ[j] = dgSum - dgQ + logGammaParam;
    }
  }
  let total = 0;
  let gP = 0, gQ = 0, gGamma = 0;
  for (let i = 0; i < n; i++) {
    const j = data.slot[i];
    const x = data.x[i];
    const px = p * x;
    const logDenominator = Math.log(gamma + x * data.zbar[i]);
    total += constant[j] + (px - 1) * data.logZbar[i] + px * data.logX[i] - (px + q) * logDenominator;
    if (gradient) {
      gP += dConstP[j] + x * (data.logZbar[i] + data.logX[i] - logDenominator);
      gQ += dConstQ[j] - logDenominator;
      gGamma += q / gamma - (px + q) / (gamma + x * data.zbar[i]);
    }
  }
  if (gradient) {
    gradient[0] = (-p * gP) / n;
    gradient[1] = (-q * gQ) / n;
    gradient[2] = (-gamma * gGamma) / n;
  }
  return -total / n;
}

/**
 * Start values by the method of moments on z̄ (Hardie's note, section 3): with
 * m = mean z̄ and v = var z̄, p = 1 and q, γ solving E[z̄] = pγ/(q−1), with q = 2 + m²/v
 * keeping q > 2 so the moments exist.
 */
function startValues(data: Prepared): number[] {
  let mean = 0;
  for (let i = 0; i < data.zbar.length; i++) mean += data.zbar[i] / data.zbar.length;
  let variance = 0;
  for (let i = 0; i < data.zbar.length; i++) variance += (data.zbar[i] - mean) ** 2 / data.zbar.length;
  const q = 2 + (variance > 0 ? (mean * mean) / variance : 1);
  const p = 1;
  return [Math.log(p), Math.log(q), Math.log((mean * (q - 1)) / p)];
}

/**
 * Fits p, q, γ by maximum likelihood on the repeat buyers (x ≥ 1, z̄ > 0); other rows are ignored.
 * @param x repeat purchases per customer; @param zbar mean spend of the repeat purchases.
 * @throws LifetimeEstimationError with fewer than MIN_SPEND_BUYERS such customers.
 */
export function fitGammaGamma(x: ArrayLike<number>, zbar: ArrayLike<number>): GammaGammaFit {
  const prepared = prepare(x, zbar);
  const repeatBuyers = prepared.x.length;
  if (repeatBuyers < MIN_SPEND_BUYERS) throw new LifetimeEstimationError('Gamma-Gamma', repeatBuyers, MIN_SPEND_BUYERS);
  const objective = (theta: Float64Array, gradient?: Float64Array) => negativeMeanLogLikelihood(prepared, theta, gradient);
  const { result, trace } = minimizeRobustly(objective, startValues(prepared));
  const [p, q, gamma] = Array.from(result.x, Math.exp);
  return { params: { p, q, gamma }, logLikelihood: -result.value * repeatBuyers, repeatBuyers, trace };
}

/**
 * E[M | x, z̄] = p(γ + x z̄) / (px + q − 1): the customer's expected spend per transaction, a
 * weighted mean of the population mean pγ/(q−1) and the customer's own z̄ (Hardie's note, eq. 5).
 * For x = 0 it is the population mean (NaN when q ≤ 1, where that mean does not exist).
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, x: number, zbar: number): number {
  const { p, q, gamma } = params;
  if (!(x > 0) || !(zbar > 0)) return q > 1 ? (p * gamma) / (q - 1) : NaN;
  return (p * (gamma + x * zbar)) / (p * x + q - 1);
}

/**
 * |Pearson r| from this value on counts as "noticeable": Cohen's (1988) convention calls 0.1
 * small and 0.3 medium; below 0.3 the Gamma-Gamma independence assumption is usually accepted
 * (the lifetimes documentation checks this correlation and accepts 0.11 on CDNOW as weak).
 */
export const NOTICEABLE_CORRELATION = 0.3;

export interface SpendCorrelation {
  /** Pearson correlation between x and z̄ over repeat buyers; NaN with fewer than 3 of them or no spread. */
  pearson: number;
  customers: number;
  /** |pearson| ≥ NOTICEABLE_CORRELATION: Gamma-Gamma's independence assumption looks broken. */
  noticeable: boolean;
}

/** Pearson correlation of frequency and mean spend over repeat buyers (x ≥ 1, z̄ > 0). */
export function frequencySpendCorrelation(x: ArrayLike<number>, zbar: ArrayLike<number>): SpendCorrelation {
  let n = 0, sumX = 0, sumZ = 0;
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] >= 1 && zbar[i] > 0)) continue;
    n++;
    sumX += x[i];
    sumZ += zbar[i];
  }
  const [meanX, meanZ] = [sumX / n, sumZ / n];
  let sxx = 0, szz = 0, sxz = 0;
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] >= 1 && zbar[i] > 0)) continue;
    sxx += (x[i] - meanX) ** 2;
    szz += (zbar[i] - meanZ) ** 2;
    sxz += (x[i] - meanX) * (zbar[i] - meanZ);
  }
  const pearson = n >= 3 && sxx > 0 && szz > 0 ? sxz / Math.sqrt(sxx * szz) : NaN;
  return { pearson, customers: n, noticeable: Math.abs(pearson) >= NOTICEABLE_CORRELATION };
}
