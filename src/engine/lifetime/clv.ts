/**
 * Customer lifetime value from BG/NBD and Gamma-Gamma, discounted month by month.
 *
 *   CLV = Σ_{m=1..H} [E[Y(m·u) | x, t_x, T] − E[Y((m−1)·u) | x, t_x, T]] × E[M | x, z̄] × margin / (1 + d_m)^m
 *
 * u = model time units per month, H = horizon in months, d_m = (1 + d)^(1/12) − 1 the monthly rate
 * equivalent to the yearly discount rate d. This mirrors lifetimes' `customer_lifetime_value`
 * (lifetimes/utils.py): a discounted sum of the incremental expected purchases of each period,
 * each period's value discounted at its end; lifetimes takes a monthly rate directly, here the
 * yearly rate is converted. Expected spend is per transaction, so margin × spend × purchases is
 * the contribution of the period.
 */
import { bgnbdConditionalExpected, type BgNbdParams } from './bgnbd';
import { gammaGammaExpectedSpend, type GammaGammaParams } from './gamma-gamma';

/** Weeks per month on average (365.25 / 12 / 7), for models fitted in weeks. */
export const WEEKS_PER_MONTH = 365.25 / 12 / 7;

export interface ClvSettings {
  /** Months ahead (default 12). */
  horizonMonths?: number;
  /** Yearly discount rate as a fraction (default 0.10). */
  yearlyDiscountRate?: number;
  /** Share of spend that is margin, 0..1 (default 1: CLV in revenue). */
  marginShare?: number;
  /** Model time units per month (default WEEKS_PER_MONTH: the model in weeks). */
  unitsPerMonth?: number;
}

/** The monthly rate equivalent to a yearly one: (1 + d)^(1/12) − 1. */
export function monthlyRate(yearlyRate: number): number {
  return Math.pow(1 + yearlyRate, 1 / 12) - 1;
}

export interface CustomerClv {
  /** Expected purchases in the whole horizon, E[Y(H·u) | …]. */
  expectedPurchases: number;
  /** Gamma-Gamma expected spend per transaction. */
  expectedSpend: number;
  clv: number;
}

/**
 * CLV of one customer (formula in the module comment).
 * @param x repeat purchases, @param tx recency, @param T age (the model's time unit),
 * @param zbar mean repeat spend (0 when x = 0: expected spend is then the population mean).
 */
export function customerClv(bgnbd: BgNbdParams, spend: GammaGammaParams, x: number, tx: number, T: number, zbar: number, settings: ClvSettings = {}): CustomerClv {
  const horizon = settings.horizonMonths ?? 12;
  const rate = monthlyRate(settings.yearlyDiscountRate ?? 0.1);
  const margin = settings.marginShare ?? 1;
  const unitsPerMonth = settings.unitsPerMonth ?? WEEKS_PER_MONTH;
  const expectedSpend = gammaGammaExpectedSpend(spend, x, zbar);
  let previous = 0;
  let discounted = 0;
  for (let month = 1; month <= horizon; month++) {
    const cumulative = bgnbdConditionalExpected(bgnbd, month * unitsPerMonth, x, tx, T);
    discounted += (cumulative - previous) / Math.pow(1 + rate, month);
    previous = cumulative;
  }
  return { expectedPurchases: previous, expectedSpend, clv: discounted * expectedSpend * margin };
}

/** CLV for every customer: typed arrays in input order. */
export function customerClvs(
  bgnbd: BgNbdParams, spend: GammaGammaParams,
  data: { x: ArrayLike<number>; tx: ArrayLike<number>; T: ArrayLike<number>; zbar: ArrayLike<number> },
  settings: ClvSettings = {},
): { expectedPurchases: Float64Array; expectedSpend: Float64Array; clv: Float64Array } {
  const n = data.x.length;
  const out = { expectedPurchases: new Float64Array(n), expectedSpend: new Float64Array(n), clv: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const one = customerClv(bgnbd, spend, data.x[i], data.tx[i], data.T[i], data.zbar[i], settings);
    out.expectedPurchases[i] = one.expectedPurchases;
    out.expectedSpend[i] = one.expectedSpend;
    out.clv[i] = one.clv;
  }
  return out;
}
