/**
 * Special functions for the lifetime models: log-gamma, digamma and Gauss's hypergeometric 2F1.
 * Plain numbers in and out, no allocation, so the likelihoods can call them per customer.
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln|Γ(x)| for any real x that is not a pole (Lanczos, g = 7, n = 9: about 15 significant
 * digits; the reflection formula below 0.5). +Infinity at 0, −1, −2, ….
 */
export function logGamma(x: number): number {
  if (x < 0.5) {
    const sine = Math.sin(Math.PI * x);
    if (sine === 0) return Infinity;
    return Math.log(Math.PI / Math.abs(sine)) - logGamma(1 - x);
  }
  const shifted = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (shifted + i);
  const t = shifted + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The sign of Γ(x): +1 for x > 0, alternating between the poles below 0; 0 at a pole. */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (Number.isInteger(x)) return 0;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** ψ(x) = d ln Γ(x)/dx for x > 0: recurrence up to 6, then the asymptotic series (error < 1e-15). */
export function digamma(x: number): number {
  let result = 0;
  let value = x;
  while (value < 6) {
    result -= 1 / value;
    value += 1;
  }
  const inverse = 1 / value;
  const inverse2 = inverse * inverse;
  return result + Math.log(value) - 0.5 * inverse
    - inverse2 * (1 / 12 - inverse2 * (1 / 120 - inverse2 * (1 / 252 - inverse2 * (1 / 240 - inverse2 * (5 / 660)))));
}

/** ln(e^u + e^v) without overflow. */
export function logAddExp(u: number, v: number): number {
  return u > v ? u + Math.log1p(Math.exp(v - u)) : v + Math.log1p(Math.exp(u - v));
}

const SERIES_MAX_TERMS = 1_000_000;
/** Above this z the series is replaced by the 1 − z transformation, which converges fast there. */
const TRANSFORM_ABOVE = 0.9;
/** How close c − a − b may come to an integer before the 1 − z transformation loses digits. */
const INTEGER_GAP = 1e-4;

/**
 * The hypergeometric series Σ (a)_k (b)_k / ((c)_k k!) z^k, summed until two terms in a row no
 * longer change the sum in the 16th digit. Throws when it has not converged after a million terms.
 */
function hypergeometricSeries(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < SERIES_MAX_TERMS; k++) {
    term *= ((a + k) * (b + k)) / ((c + k) * (k + 1)) * z;
    sum += term;
    if (term === 0 || (Math.abs(term) <= 1e-16 * Math.abs(sum) && k > 2)) return sum;
    if (!Number.isFinite(sum)) break;
  }
  throw new RangeError(`2F1(${a}, ${b}; ${c}; ${z}) did not converge`);
}

/** Γ(c)Γ(d)/(Γ(e)Γ(f)) with signs, zero when a denominator argument is a pole. */
function gammaRatio(c: number, d: number, e: number, f: number): number {
  const signs = gammaSign(c) * gammaSign(d);
  const denominatorSigns = gammaSign(e) * gammaSign(f);
  if (denominatorSigns === 0) return 0;
  return signs * denominatorSigns * Math.exp(logGamma(c) + logGamma(d) - logGamma(e) - logGamma(f));
}

/**
 * The 1 − z transformation (A&S 15.3.6) for c − a − b not an integer:
 * 2F1 = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) · 2F1(a, b; a+b−c+1; 1−z)
 *     + (1−z)^(c−a−b) Γ(c)Γ(a+b−c)/(Γ(a)Γ(b)) · 2F1(c−a, c−b; c−a−b+1; 1−z).
 */
function oneMinusZTransform(a: number, b: number, c: number, z: number): number {
  const excess = c - a - b;
  const w = 1 - z;
  const first = gammaRatio(c, excess, c - a, c - b) * hypergeometricSeries(a, b, 1 - excess, w);
  const second = gammaRatio(c, -excess, a, b) * Math.pow(w, excess) * hypergeometricSeries(c - a, c - b, 1 + excess, w);
  return first + second;
}

/** The step in c for the integer case: the formula's cancellation costs about 1e-13 at this distance. */
const RICHARDSON_STEP = 1e-3;

/**
 * Gauss's hypergeometric function 2F1(a, b; c; z) for real z < 1 (Abramowitz & Stegun 15.1.1).
 * z < 0: Pfaff's transformation (15.3.4) to z/(z − 1) in (0, 1). 0 ≤ z ≤ 0.9: the series.
 * z > 0.9: the 1 − z transformation (15.3.6), whose two series converge in a few dozen terms.
 * When c − a − b is within 1e-4 of an integer that formula divides nearly equal infinities;
 * 2F1 is analytic in c, so it is evaluated at c ± h and c ± 2h (h = 1e-3), where the formula is
 * well conditioned, and combined by Richardson extrapolation, (4·m(h) − m(2h))/3 with m the
 * mean of the two sides: the error is O(h⁴) ≈ 1e-12 relative.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (z === 0) return 1;
  if (!(z < 1)) throw new RangeError(`2F1 needs z < 1, got ${z}`);
  if (z < 0) return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1));
  if (z <= TRANSFORM_ABOVE) return hypergeometricSeries(a, b, c, z);
  const excess = c - a - b;
  if (Math.abs(excess - Math.round(excess)) >= INTEGER_GAP) return oneMinusZTransform(a, b, c, z);
  const h = RICHARDSON_STEP;
  const near = (oneMinusZTransform(a, b, c + h, z) + oneMinusZTransform(a, b, c - h, z)) / 2;
  const far = (oneMinusZTransform(a, b, c + 2 * h, z) + oneMinusZTransform(a, b, c - 2 * h, z)) / 2;
  return (4 * near - far) / 3;
}
