/**
 * Customers drawn from a BG/NBD world with known parameters, for checking that the fit recovers
 * them (tests, benchmark). Seeded, so every run draws the same customers.
 */
import type { BgNbdParams } from './bgnbd';
import { mulberry32 } from '../random';

function normal(uniform: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), with the u^(1/shape) boost for shape < 1. */
function gammaDraw(shape: number, uniform: () => number): number {
  if (shape < 1) return gammaDraw(shape + 1, uniform) * Math.pow(1 - uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let z: number, v: number;
    do {
      z = normal(uniform);
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - uniform();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * n customers: λ ~ Gamma(r, rate α), p ~ Beta(a, b), age T uniform in [minAge, maxAge]; purchases
 * at Poisson(λ) times after the first at 0, and after each repeat purchase the customer drops
 * out with probability p (the BG/NBD story). Returns x, t_x, T in the time unit of α.
 */
export function simulateBgNbd(params: BgNbdParams, n: number, seed = 1, minAge = 1, maxAge = 52): { x: Float64Array; tx: Float64Array; T: Float64Array } {
  const uniform = mulberry32(seed);
  const out = { x: new Float64Array(n), tx: new Float64Array(n), T: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const lambda = gammaDraw(params.r, uniform) / params.alpha;
    const left = gammaDraw(params.a, uniform);
    const p = left / (left + gammaDraw(params.b, uniform));
    const age = minAge + (maxAge - minAge) * uniform();
    let time = 0;
    let x = 0;
    for (;;) {
      time += -Math.log(1 - uniform()) / lambda;
      if (time > age) break;
      x++;
      out.tx[i] = time;
      if (uniform() < p) break;
    }
    out.x[i] = x;
    out.T[i] = age;
  }
  return out;
}
