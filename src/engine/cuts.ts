import { paretoCut, quantile } from './stats';
import type { Localized } from './types';

/**
 * How a cut is set: at a Pareto share of the positive total, at a quantile of the values, or at
 * an absolute value. Cuts are values, so the order of tied rows never matters.
 */
export type CutMethod = 'pareto' | 'quantile' | 'value';

export interface CutSpec {
  method: CutMethod;
  level: number;
}

/** A cut as a model used it, to show in the pane and on the Summary sheet. */
export interface UsedCut {
  key: string;
  label: Localized;
  spec: CutSpec;
  value: number;
}

export const CUT_METHODS: readonly CutMethod[] = ['pareto', 'quantile', 'value'];

export function resolveCut(values: ArrayLike<number>, spec: CutSpec): number {
  switch (spec.method) {
    case 'pareto': return paretoCut(values, spec.level);
    case 'quantile': return quantile(values, spec.level);
    case 'value': return spec.level;
  }
}

/**
 * Ties at a cut count as high. Under a Pareto cut zero, negative and missing values are never
 * high; missing is never high under any cut.
 */
export function isHigh(value: number, cut: number, spec: CutSpec): boolean {
  if (Number.isNaN(value) || Number.isNaN(cut)) return false;
  if (spec.method === 'pareto' && value <= 0) return false;
  return value >= cut;
}

/** Checks a cut's level, naming what is wrong in a sentence a user can act on. */
export function validateCut(spec: CutSpec): string | null {
  if (!CUT_METHODS.includes(spec.method)) return `Unknown cut method "${String(spec.method)}": use pareto, quantile or value.`;
  if (!Number.isFinite(spec.level)) return 'The cut level must be a number.';
  if (spec.method !== 'value' && (spec.level <= 0 || spec.level > 1)) return `A ${spec.method} cut takes a level above 0 and at most 1 (for example 0.8), not ${spec.level}.`;
  return null;
}
