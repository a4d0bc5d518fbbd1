import { formatAmount, formatNumber } from './model';
import { paretoCut, quantileSplit } from './stats';
import type { Language, Localized } from './types';

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
  /** Set when a run of tied values moved a quantile cut away from the share asked for (CutTie.note). */
  tie?: Localized;
}

/**
 * A run of tied values that moved a quantile cut: the value, how many rows hold it, and the
 * sentence that says so ("The median falls inside 3 tied values of 1; …").
 */
export interface CutTie {
  value: number;
  count: number;
  note: Localized;
}

/** A cut's value, and the tie that moved it when one did. */
export interface ResolvedCut {
  value: number;
  tie?: CutTie;
}

export const CUT_METHODS: readonly CutMethod[] = ['pareto', 'quantile', 'value'];

/**
 * The cut for a column (NaN = missing): a Pareto cut (stats.paretoCut), a quantile cut with ties
 * kept together (stats.quantileSplit), or the value itself. The one function every surface
 * resolves cuts with: the models, SEGMENT.CUTOFF and the pane's previews.
 */
export function cutAt(values: ArrayLike<number>, spec: CutSpec): ResolvedCut {
  switch (spec.method) {
    case 'pareto': return { value: paretoCut(values, spec.level) };
    case 'quantile': {
      const split = quantileSplit(values, spec.level);
      if (!split.tie) return { value: split.value };
      return { value: split.value, tie: { ...split.tie, note: tieNote(spec.level, split.count, split.below, split.tie) } };
    }
    case 'value': return { value: spec.level };
  }
}

/** The cut's value alone (see cutAt). */
export function resolveCut(values: ArrayLike<number>, spec: CutSpec): number {
  return cutAt(values, spec).value;
}

/** A cut as a result lists it, with its tie note when a tie moved it. */
export function usedCut(key: string, label: Localized, spec: CutSpec, resolved: ResolvedCut): UsedCut {
  const cut: UsedCut = { key, label, spec, value: resolved.value };
  if (resolved.tie) cut.tie = resolved.tie.note;
  return cut;
}

function percent(share: number, language: Language): string {
  return `${formatNumber(share * 100, language, 1)} %`;
}

/** "The median falls inside 3 tied values of 1; they are kept together, so 3 of 5 customers (60 %) are below the cut, not 50 %." */
function tieNote(level: number, count: number, below: number, tie: { value: number; count: number }): Localized {
  const text = (language: Language): string => {
    const da = language === 'da';
    const value = formatAmount(tie.value, language);
    const asked = percent(level, language);
    const [all, tied, low] = [count, tie.count, below].map((number) => formatNumber(number, language, 0));
    if (below === 0) {
      return da
        ? `Alle ${all} værdier er ${value}, så der er intet skel: alle ${all} kunder er på eller over skæringen, ingen under (ikke ${asked}).`
        : `All ${all} values are ${value}, so there is no split: all ${all} customers are at or above the cut, none below (not ${asked}).`;
    }
    const quantileName = level === 0.5 ? (da ? 'Medianen' : 'The median') : da ? `${asked}-kvantilen` : `The ${asked} quantile`;
    const got = percent(below / count, language);
    return da
      ? `${quantileName} falder inden for ${tied} ens værdier på ${value}; de holdes samlet, så ${low} af ${all} kunder (${got}) er under skæringen, ikke ${asked}.`
      : `${quantileName} falls inside ${tied} tied values of ${value}; they are kept together, so ${low} of ${all} customers (${got}) are below the cut, not ${asked}.`;
  };
  return { en: text('en'), da: text('da') };
}

/**
 * Ties at a cut count as high. Under a Pareto cut zero, negative and missing values are never
 * high; missing is never high under any cut. A quantile cut is the smallest value of its high
 * side (cutAt), so the same test holds for it.
 */
export function isHigh(value: number, cut: number, spec: CutSpec): boolean {
  if (Number.isNaN(value) || Number.isNaN(cut)) return false;
  if (spec.method === 'pareto' && value <= 0) return false;
  return value >= cut;
}

const METHOD_WORDS: Record<CutMethod, Localized> = {
  pareto: { en: 'Pareto cut', da: 'Pareto-skæring' },
  quantile: { en: 'quantile cut', da: 'kvantil-skæring' },
  value: { en: 'value cut', da: 'værdi-skæring' },
};

/**
 * Checks a cut's method and level, in a sentence that says what to change (a Pareto level of 80
 * suggests 0.8); null when the cut is fine. Pareto and quantile levels lie in (0, 1]; a value
 * cut takes any finite number.
 */
export function validateCut(spec: CutSpec): Localized | null {
  if (!CUT_METHODS.includes(spec.method)) {
    const method = String(spec.method);
    return {
      en: `Unknown cut method "${method}": use pareto, quantile or value.`,
      da: `Ukendt skæringsmetode "${method}": brug pareto, quantile eller value.`,
    };
  }
  if (!Number.isFinite(spec.level)) return { en: 'The cut level must be a number.', da: 'Skæringens niveau skal være et tal.' };
  if (spec.method === 'value' || (spec.level > 0 && spec.level <= 1)) return null;
  const level = (language: Language) => formatNumber(spec.level, language, 6);
  const hint = (language: Language): string => {
    const da = language === 'da';
    // A whole number up to 100 is a percentage typed as one (80 for 80 %).
    if (Number.isInteger(spec.level) && spec.level > 1 && spec.level <= 100) {
      const fraction = formatNumber(spec.level / 100, language, 6);
      return da ? `skriv ${fraction} for ${level(language)} %` : `write ${fraction} for ${level(language)} %`;
    }
    if (spec.method === 'quantile') return da ? 'for eksempel 0,5 for medianen' : 'for example 0.5 for the median';
    return da ? 'for eksempel 0,8 for 80 %' : 'for example 0.8 for 80 %';
  };
  return {
    en: `A ${METHOD_WORDS[spec.method].en} takes a level above 0 and at most 1, not ${level('en')}: ${hint('en')}.`,
    da: `En ${METHOD_WORDS[spec.method].da} tager et niveau over 0 og højst 1, ikke ${level('da')}: ${hint('da')}.`,
  };
}
