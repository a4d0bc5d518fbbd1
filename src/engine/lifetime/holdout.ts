import { bgnbdConditionalExpected, type BgNbdParams, type RepeatData } from './bgnbd';

/**
 * The holdout check of a BG/NBD fit: the model fitted on a calibration period predicts each
 * customer's repeat purchases in the holdout period that follows, E[Y(t) | x, t_x, T] with t the
 * holdout length (bgnbdConditionalExpected), and the predictions are set against the purchases
 * the customers actually made there. Fader, Hardie & Lee (2005) show it in total and by the
 * number of repeat purchases in the calibration period, 0, 1, …, 6 and 7+ (their figure of
 * conditional expectations); a model that fits follows the actual means across the groups.
 */

/** Groups 0 … 6 and a last group of 7 or more calibration repeat purchases, as published. */
export const HOLDOUT_GROUP_CAP = 7;

export interface HoldoutGroup {
  /** Calibration repeat purchases of the group: exactly this many, or at least this many for the last group. */
  repeatPurchases: number;
  /** True for the last group (7+). */
  orMore: boolean;
  customers: number;
  /** Sums over the group's customers of the predicted and the actual holdout purchases. */
  predicted: number;
  actual: number;
  /** Means per customer; NaN for a group without customers. */
  meanPredicted: number;
  meanActual: number;
}

export interface HoldoutComparison {
  /** Customers compared: those with calibration data and a holdout count. */
  customers: number;
  predicted: number;
  actual: number;
  /** predicted ÷ actual; NaN when nobody bought in the holdout. */
  ratio: number;
  /** HOLDOUT_GROUP_CAP + 1 groups, in order, empty groups included. */
  groups: HoldoutGroup[];
}

/** Per-customer data of the check: the calibration history in weeks, and the holdout's purchases and length in weeks. */
export interface HoldoutData extends RepeatData {
  holdoutPurchases: ArrayLike<number>;
  holdoutWeeks: ArrayLike<number>;
}

/**
 * Predicted against actual repeat purchases in the holdout, in total and per group of calibration
 * repeat purchases. A customer whose x, t_x, T, holdout purchases or holdout length is not a
 * number (or whose holdout length is not positive) is left out and not counted.
 * @param params BG/NBD parameters fitted on the calibration period, in the unit of the data (weeks).
 */
export function compareHoldout(params: BgNbdParams, data: HoldoutData): HoldoutComparison {
  const groups: HoldoutGroup[] = Array.from({ length: HOLDOUT_GROUP_CAP + 1 }, (_, k) => ({
    repeatPurchases: k, orMore: k === HOLDOUT_GROUP_CAP, customers: 0, predicted: 0, actual: 0, meanPredicted: NaN, meanActual: NaN,
  }));
  let customers = 0;
  let predicted = 0;
  let actual = 0;
  for (let i = 0; i < data.x.length; i++) {
    const [x, tx, T, bought, weeks] = [data.x[i], data.tx[i], data.T[i], data.holdoutPurchases[i], data.holdoutWeeks[i]];
    if (!(Number.isFinite(x) && Number.isFinite(tx) && Number.isFinite(T) && Number.isFinite(bought) && weeks > 0)) continue;
    const expected = bgnbdConditionalExpected(params, weeks, x, tx, T);
    const group = groups[Math.min(HOLDOUT_GROUP_CAP, Math.max(0, Math.floor(x)))];
    group.customers++;
    group.predicted += expected;
    group.actual += bought;
    customers++;
    predicted += expected;
    actual += bought;
  }
  for (const group of groups) {
    if (group.customers === 0) continue;
    group.meanPredicted = group.predicted / group.customers;
    group.meanActual = group.actual / group.customers;
  }
  return { customers, predicted, actual, ratio: actual > 0 ? predicted / actual : NaN, groups };
}
