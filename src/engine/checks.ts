import { validateCut, type CutSpec, type UsedCut } from './cuts';
import { formatAmount, formatNumber, isCutSpec, type ModelDefinition, type ModelResult, type ModelSettings } from './model';
import { isBlankRow, type CustomerTable } from './table';
import type { Language, Localized } from './types';

/**
 * The checks every surface (the CLI, the task pane, the custom functions) runs through before and
 * after a model runs, so a setting is refused in the same words wherever it is given.
 */

/** What is wrong with one setting: a cut out of range ('cut') or two cuts in the wrong order ('order'). */
export interface SettingProblem {
  /** The setting the problem belongs to (for an order problem, the stricter cut). */
  key: string;
  kind: 'cut' | 'order';
  text: Localized;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function cutLabel(model: ModelDefinition, key: string): Localized {
  const setting = model.settings.find((candidate) => candidate.key === key);
  return setting?.label ?? { en: key, da: key };
}

const LEVEL_WORDS: Record<CutSpec['method'], Localized> = {
  pareto: { en: 'Pareto share', da: 'Pareto-andel' },
  quantile: { en: 'quantile', da: 'kvantil' },
  value: { en: 'value', da: 'værdi' },
};

function levelText(spec: CutSpec, language: Language): string {
  return spec.method === 'value' ? formatAmount(spec.level, language) : formatNumber(spec.level, language, 6);
}

/**
 * Whether `stricter` is not stricter than `looser` as set: a stricter Pareto cut takes a smaller
 * share of the total, a stricter quantile or value cut a higher level. Equal Pareto or quantile
 * levels are refused too: they leave the tier between empty, which no one asks for on purpose.
 * Equal values are let through: a formula hands the functions the cuts a run resolved, and on
 * data with few distinct values two cuts can resolve to one value. Cuts of different methods can
 * only be compared on data (cutOrderProblems).
 */
function inWrongOrder(stricter: CutSpec, looser: CutSpec): boolean {
  if (stricter.method !== looser.method) return false;
  if (stricter.method === 'pareto') return stricter.level >= looser.level;
  return stricter.method === 'quantile' ? stricter.level <= looser.level : stricter.level < looser.level;
}

function orderProblem(model: ModelDefinition, stricterKey: string, looserKey: string, stricter: CutSpec, looser: CutSpec): SettingProblem {
  const strict = cutLabel(model, stricterKey);
  const loose = cutLabel(model, looserKey);
  const text = (language: Language): string => {
    const da = language === 'da';
    const word = LEVEL_WORDS[stricter.method][language];
    const bound = levelText(looser, language);
    const advice = stricter.method === 'pareto'
      ? (da ? `giv ${lowerFirst(strict.da)} en andel under ${bound}` : `give the ${strict.en} a share below ${bound}`)
      : stricter.method === 'quantile'
        ? (da ? `giv ${lowerFirst(strict.da)} en ${word} over ${bound}` : `give the ${strict.en} a ${word} above ${bound}`)
        : (da ? `giv ${lowerFirst(strict.da)} en ${word} på mindst ${bound}` : `give the ${strict.en} a ${word} of at least ${bound}`);
    return da
      ? `${model.name.da}: ${lowerFirst(strict.da)} (${word} ${levelText(stricter, language)}) skal være strammere end ${lowerFirst(loose.da)} (${word} ${bound}), ellers bliver segmentet imellem tomt: ${advice}.`
      : `${model.name.en}: the ${strict.en} (${word} ${levelText(stricter, language)}) must be stricter than the ${loose.en} (${word} ${bound}), else the segment between them stays empty: ${advice}.`;
  };
  return { key: stricterKey, kind: 'order', text: { en: text('en'), da: text('da') } };
}

/**
 * Every problem of a model's settings that can be told without data: each cut setting must be a
 * cut with a valid method and level (validateCut), and the cuts the model orders (cutOrder) must
 * be in that order when they use the same method. Empty when the settings are fine.
 */
export function settingsProblems(model: ModelDefinition, settings: ModelSettings): SettingProblem[] {
  const problems: SettingProblem[] = [];
  for (const setting of model.settings) {
    if (setting.kind !== 'cut') continue;
    const value = settings[setting.key];
    const problem = isCutSpec(value) ? validateCut(value) : { en: 'The cut must have a method and a level.', da: 'Skæringen skal have en metode og et niveau.' };
    if (problem) {
      problems.push({
        key: setting.key, kind: 'cut',
        text: { en: `${setting.label.en}: ${lowerFirst(problem.en)}`, da: `${setting.label.da}: ${lowerFirst(problem.da)}` },
      });
    }
  }
  if (problems.length > 0) return problems;
  for (const { stricter, looser } of model.cutOrder ?? []) {
    const strict = settings[stricter];
    const loose = settings[looser];
    if (isCutSpec(strict) && isCutSpec(loose) && inWrongOrder(strict, loose)) problems.push(orderProblem(model, stricter, looser, strict, loose));
  }
  return problems;
}

/**
 * The cut order checked on the values a run resolved (UsedCut.value): a stricter cut below the
 * looser one leaves the tier between them empty. This catches cuts of different methods (an A cut
 * at the value 1,000 with a B cut at the Pareto share 0.95) that settingsProblems cannot compare.
 */
export function cutOrderProblems(model: ModelDefinition, cuts: readonly (Pick<UsedCut, 'key' | 'value'> & { spec?: CutSpec })[]): SettingProblem[] {
  const problems: SettingProblem[] = [];
  for (const { stricter, looser } of model.cutOrder ?? []) {
    const strict = cuts.find((cut) => cut.key === stricter);
    const loose = cuts.find((cut) => cut.key === looser);
    // Equal resolved cuts of one method are the data's doing (few distinct values), and empty a tier
    // by chance; cuts of two methods the user mixed are refused when they meet too.
    if (!strict || !loose) continue;
    const sameMethod = strict.spec === undefined || loose.spec === undefined || strict.spec.method === loose.spec.method;
    if (!(strict.value < loose.value || (!sameMethod && strict.value === loose.value))) continue;
    const strictLabel = cutLabel(model, stricter);
    const looseLabel = cutLabel(model, looser);
    const text = (language: Language): string => {
      const [a, b] = [formatAmount(strict.value, language), formatAmount(loose.value, language)];
      return language === 'da'
        ? `${model.name.da}: på disse data ligger ${lowerFirst(strictLabel.da)} (${a}) ${strict.value === loose.value ? 'på' : 'under'} ${lowerFirst(looseLabel.da)} (${b}), så segmentet imellem bliver tomt: sæt ${lowerFirst(strictLabel.da)} over ${lowerFirst(looseLabel.da)}.`
        : `${model.name.en}: on this data the ${strictLabel.en} (${a}) is ${strict.value === loose.value ? 'at' : 'below'} the ${looseLabel.en} (${b}), so the segment between them stays empty: set the ${strictLabel.en} above the ${looseLabel.en}.`;
    };
    problems.push({ key: stricter, kind: 'order', text: { en: text('en'), da: text('da') } });
  }
  return problems;
}

/** Settings a model cannot run with: `text` is the sentence the CLI and the pane show (localizedErrorText). */
export class InvalidSettingsError extends Error {
  readonly text: Localized;

  constructor(readonly modelId: string, readonly problems: SettingProblem[]) {
    const text: Localized = { en: problems.map((problem) => problem.text.en).join(' '), da: problems.map((problem) => problem.text.da).join(' ') };
    super(text.en);
    this.name = 'InvalidSettingsError';
    this.text = text;
  }
}

/** A run in which a model gave no customer a segment: an error, never a silent success. */
export class NoSegmentError extends Error {
  readonly text: Localized;

  /** @param why why, as a clause ("it gives none of the 7 customers a segment (…)") */
  constructor(readonly modelId: string, readonly modelName: Localized, readonly why: Localized) {
    const text = { en: `${modelName.en}: ${why.en}.`, da: `${modelName.da}: ${why.da}.` };
    super(text.en);
    this.name = 'NoSegmentError';
    this.text = text;
  }
}

/** Throws InvalidSettingsError when the settings have a problem (settingsProblems). */
export function requireValidSettings(model: ModelDefinition, settings: ModelSettings): void {
  const problems = settingsProblems(model, settings);
  if (problems.length > 0) throw new InvalidSettingsError(model.id, problems);
}

/**
 * Throws NoSegmentError when the table has customers and the result gives none of them a
 * segment, naming the model and, as a hint, why its first customer got none (its explain text).
 * Stops at the first row with a segment, so a normal run costs next to nothing.
 */
export function requireSomeSegment(model: ModelDefinition, table: CustomerTable, result: ModelResult): void {
  for (let i = 0; i < result.tiers.length; i++) if (result.tiers[i] >= 0) return;
  let customers = 0;
  let first = -1;
  for (let i = 0; i < table.rowCount; i++) {
    if (isBlankRow(table, i)) continue;
    customers++;
    if (first < 0) first = i;
  }
  if (customers === 0) return;
  const reason = result.explain(first);
  const row = table.origin.headerRow + 1 + first;
  throw new NoSegmentError(model.id, model.name, {
    en: `it gives none of the ${customers} customers a segment (the first one, row ${row}: ${reason.en || 'no reason given'})`,
    da: `den giver ingen af de ${customers} kunder et segment (den første, række ${row}: ${reason.da || 'ingen begrundelse'})`,
  });
}
