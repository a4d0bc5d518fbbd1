import { defaultSettings, getModel } from './catalog';
import { cutOrderProblems, InvalidSettingsError, NoSegmentError, requireSomeSegment, requireValidSettings } from './checks';
import { modelAvailability, type ModelAvailability, type ModelDefinition, type ModelResult, type ModelSettings, type RunContext } from './model';
import { roleDefinition, type RoleId } from './roles';
import { sum } from './stats';
import { isBlankRow, MissingRoleError, type CustomerTable } from './table';
import { localizedErrorText, type Localized } from './types';

export interface ModelChoice {
  id: string;
  settings: ModelSettings;
}

export interface Segmentation {
  table: CustomerTable;
  results: ModelResult[];
  /** The settings each result was computed with, in the same order. */
  settings: ModelSettings[];
  /** Chosen models the table cannot support, with why: the Summary sheet names each. */
  leftOut?: LeftOutModel[];
}

/** A chosen model that did not run, and why ("the table has no column for Potential"). */
export interface LeftOutModel {
  modelId: string;
  why: Localized;
}

/**
 * Runs each chosen model the table supports (modelAvailability over its mapped columns and what
 * the other chosen models provide), in the order chosen; the others are left out with why, so one
 * model lacking a column never blocks the rest. A model that gives none of the customers a segment
 * (NoSegmentError: every row lacks a number it needs) is left out the same way, with why. Throws
 * NoModelCanRunError, with a `text` in both languages, when no chosen model gives anyone a segment:
 * never a silent empty result. Refuses settings no surface may write (InvalidSettingsError: a cut
 * out of range, cuts in the wrong order, also on the values they resolve to), since those are the
 * user's to fix.
 *
 * A model may read another's result through its RunContext (twins reads its reference model,
 * ABCD the potential twins estimate): each model runs once, when first asked for, so a model runs
 * after those it reads whatever the order chosen; one not chosen runs with its default settings
 * and is not among the results.
 */
export function segment(table: CustomerTable, choices: readonly ModelChoice[]): Segmentation {
  const mapped = (role: RoleId) => table.mapping[role] !== undefined;
  const segmentation: Required<Segmentation> = { table, results: [], settings: [], leftOut: [] };
  const chosenModels = choices.map((choice) => getModel(choice.id));
  const runs = new Map<string, RunOutcome>();
  const running = new Set<string>();
  const context: RunContext = {
    chosen: choices.map((choice) => choice.id),
    resultOf: (modelId) => {
      const outcome = runOnce(modelId);
      if (outcome === 'running') return undefined;
      // A bug or a setting the user must fix is not a model "that cannot run": it surfaces.
      if ('error' in outcome) throw outcome.error;
      return 'result' in outcome ? outcome.result : undefined;
    },
  };
  function runOnce(modelId: string): RunOutcome | 'running' {
    const done = runs.get(modelId);
    if (done) return done;
    if (running.has(modelId)) return 'running';
    running.add(modelId);
    const model = getModel(modelId);
    const settings = choices.find((choice) => choice.id === modelId)?.settings ?? defaultSettings(model);
    const outcome = runOrSayWhy(model, table, settings, modelAvailability(model, mapped, chosenModels), context);
    running.delete(modelId);
    runs.set(modelId, outcome);
    return outcome;
  }
  for (const choice of choices) {
    const outcome = runOnce(choice.id) as RunOutcome;
    if ('result' in outcome) {
      segmentation.results.push(outcome.result);
      segmentation.settings.push(choice.settings);
    } else if ('why' in outcome) segmentation.leftOut.push({ modelId: choice.id, why: outcome.why });
    else throw outcome.error;
  }
  if (segmentation.results.length === 0 && segmentation.leftOut.length > 0) throw new NoModelCanRunError(segmentation.leftOut);
  return segmentation;
}

/** A model's run: its result, why the table cannot support it, or an error that is the user's to fix (kept to throw in choice order). */
type RunOutcome = { result: ModelResult } | { why: Localized } | { error: unknown };

function runOrSayWhy(model: ModelDefinition, table: CustomerTable, settings: ModelSettings, availability: ModelAvailability, context: RunContext): RunOutcome {
  if (!availability.supported) return { why: availability.why };
  try {
    return { result: runChecked(model, table, settings, context) };
  } catch (error) {
    // A setting can ask for a column the model otherwise does without (Pareto on revenue, where only a margin is mapped).
    if (error instanceof MissingRoleError) return { why: missingRoleText(error.role) };
    if (error instanceof NoSegmentError) return { why: error.why };
    // A model the data cannot support (a lifetime fit with too few repeat buyers) says why in both languages.
    if (!(error instanceof InvalidSettingsError) && localizedErrorText(error, 'en')) return { why: asClause(error as Error & { text: Localized }) };
    return { error };
  }
}

/** An error's sentence as a clause inside "X left out: …." (no full stop of its own). */
function asClause(error: { text: Localized }): Localized {
  const clause = (text: string) => text.replace(/\.\s*$/, '');
  return { en: clause(error.text.en), da: clause(error.text.da) };
}

function missingRoleText(role: RoleId): Localized {
  const label = roleDefinition(role).label;
  return { en: `the table has no column for ${label.en}`, da: `tabellen har ingen kolonne til ${label.da}` };
}

/** No chosen model can run on the table: each is named with the column it lacks. */
export class NoModelCanRunError extends Error {
  readonly text: Localized;

  constructor(readonly leftOut: LeftOutModel[]) {
    const say = (language: 'en' | 'da') => leftOut.map(({ modelId, why }) => `${getModel(modelId).name[language]}: ${why[language]}`).join('; ');
    const only = leftOut.length === 1 ? getModel(leftOut[0].modelId).name : null;
    const text = only
      ? { en: `${only.en} cannot run on this table: ${leftOut[0].why.en}.`, da: `${only.da} kan ikke køre på denne tabel: ${leftOut[0].why.da}.` }
      : { en: `None of the chosen models can run on this table. ${say('en')}.`, da: `Ingen af de valgte modeller kan køre på denne tabel. ${say('da')}.` };
    super(text.en);
    this.name = 'NoModelCanRunError';
    this.text = text;
  }
}

function runChecked(model: ModelDefinition, table: CustomerTable, settings: ModelSettings, context: RunContext): ModelResult {
  requireValidSettings(model, settings);
  const result = model.run(table, settings, context);
  const order = cutOrderProblems(model, result.cuts);
  if (order.length > 0) throw new InvalidSettingsError(model.id, order);
  requireSomeSegment(model, table, result);
  return result;
}

/** The true margin a model computed per row (the margin model, the value tiers), if it did. */
function marginOf(result: ModelResult): Float64Array | undefined {
  const metric = result.metrics.find((candidate) => candidate.key === 'trueMargin');
  return metric && metric.format !== 'text' ? metric.values : undefined;
}

/** One line of a model's summary: a segment and what its customers add up to. */
export interface SegmentSummary {
  tierIndex: number;
  customers: number;
  revenue: number;
  revenueShare: number;
  /** The margin column's sum; NaN without a margin column (none was computed, so none is shown). */
  margin: number;
}

/**
 * Customers, revenue, share of revenue and margin per segment, in tier order, with a last line
 * (tierIndex -1) for rows that got no segment when there are any.
 */
export function summarize(table: CustomerTable, model: ModelDefinition, result: ModelResult): SegmentSummary[] {
  const revenue = table.numbers.revenue;
  // The margin the segments were cut on where the model computed one (after cost to serve, hours),
  // so a Loss line never shows the positive margin column; else the table's margin column.
  const margin = marginOf(result) ?? table.numbers.margin;
  // Without a revenue (or margin) column there is nothing to add up: NaN, written as a blank, not 0.
  const tierCount = Math.min(result.tierCount ?? model.tiers.length, model.tiers.length);
  const lines = [...model.tiers.slice(0, tierCount).map((_, tierIndex) => tierIndex), -1].map((tierIndex) => ({
    tierIndex, customers: 0, revenue: revenue ? 0 : NaN, revenueShare: revenue ? 0 : NaN, margin: margin ? 0 : NaN,
  }));
  const line = (tier: number) => lines[tier < 0 ? lines.length - 1 : tier];
  for (let i = 0; i < table.rowCount; i++) {
    if (isBlankRow(table, i)) continue;
    const target = line(result.tiers[i]);
    target.customers++;
    if (revenue && !Number.isNaN(revenue[i])) target.revenue += revenue[i];
    if (margin && !Number.isNaN(margin[i])) target.margin += margin[i];
  }
  const totalRevenue = revenue ? sum(revenue) : 0;
  if (revenue) for (const entry of lines) entry.revenueShare = totalRevenue ? entry.revenue / totalRevenue : 0;
  return lines.filter((entry) => entry.tierIndex >= 0 || entry.customers > 0);
}

export function rolesUsed(results: readonly ModelResult[]): RoleId[] {
  return [...new Set(results.flatMap((result) => getModel(result.modelId).inputs))];
}
