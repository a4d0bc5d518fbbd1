import { getModel } from './catalog';
import { cutOrderProblems, InvalidSettingsError, requireSomeSegment, requireValidSettings } from './checks';
import type { ModelDefinition, ModelResult, ModelSettings } from './model';
import type { RoleId } from './roles';
import { sum } from './stats';
import { isBlankRow, type CustomerTable } from './table';

export interface ModelChoice {
  id: string;
  settings: ModelSettings;
}

export interface Segmentation {
  table: CustomerTable;
  results: ModelResult[];
  /** The settings each result was computed with, in the same order. */
  settings: ModelSettings[];
}

/**
 * Runs each chosen model on the table, in the order chosen. Refuses what no surface may write:
 * settings with a problem (InvalidSettingsError: a cut out of range, cuts in the wrong order, also
 * on the values they resolve to) and a model that gives none of the customers a segment
 * (NoSegmentError). Both carry `text: Localized`, the sentence to show.
 */
export function segment(table: CustomerTable, choices: readonly ModelChoice[]): Segmentation {
  return {
    table,
    results: choices.map(({ id, settings }) => runChecked(getModel(id), table, settings)),
    settings: choices.map((choice) => choice.settings),
  };
}

function runChecked(model: ModelDefinition, table: CustomerTable, settings: ModelSettings): ModelResult {
  requireValidSettings(model, settings);
  const result = model.run(table, settings);
  const order = cutOrderProblems(model, result.cuts);
  if (order.length > 0) throw new InvalidSettingsError(model.id, order);
  requireSomeSegment(model, table, result);
  return result;
}

/** One line of a model's summary: a segment and what its customers add up to. */
export interface SegmentSummary {
  tierIndex: number;
  customers: number;
  revenue: number;
  revenueShare: number;
  margin: number;
}

/**
 * Customers, revenue, share of revenue and margin per segment, in tier order, with a last line
 * (tierIndex -1) for rows that got no segment when there are any.
 */
export function summarize(table: CustomerTable, model: ModelDefinition, result: ModelResult): SegmentSummary[] {
  const revenue = table.numbers.revenue;
  const margin = table.numbers.margin;
  const lines = [...model.tiers.map((_, tierIndex) => tierIndex), -1].map((tierIndex) => ({
    tierIndex, customers: 0, revenue: 0, revenueShare: 0, margin: 0,
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
  for (const entry of lines) entry.revenueShare = totalRevenue ? entry.revenue / totalRevenue : 0;
  return lines.filter((entry) => entry.tierIndex >= 0 || entry.customers > 0);
}

export function rolesUsed(results: readonly ModelResult[]): RoleId[] {
  return [...new Set(results.flatMap((result) => getModel(result.modelId).inputs))];
}
