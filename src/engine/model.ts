import type { CutSpec, UsedCut } from './cuts';
import type { RoleId } from './roles';
import type { CustomerTable } from './table';
import type { Localized } from './types';

/** One segment a model can give: its label, color and what to do about it. */
export interface TierDefinition {
  id: string;
  label: Localized;
  /** Fill color, #RRGGBB, from a palette colour-blind readers can tell apart. */
  fill: string;
  /** Text color that reads on the fill. */
  font: string;
  action: Localized;
  /** 1 = call first. The Priority sheet sorts by it within each owner. */
  priority: number;
}

/** A setting the task pane shows and the CLI and functions accept. */
export type SettingDefinition =
  | { key: string; kind: 'cut'; label: Localized; role: RoleId }
  | { key: string; kind: 'choice'; label: Localized; options: { value: string; label: Localized }[] }
  | { key: string; kind: 'number'; label: Localized; min?: number; max?: number };

export type SettingValue = CutSpec | string | number;
export type ModelSettings = Record<string, SettingValue>;

/** A number per row a model computes besides its segment (utilization, share, …). */
export interface RowMetric {
  key: string;
  label: Localized;
  format: 'percent' | 'number';
  values: Float64Array;
}

export interface ModelResult {
  modelId: string;
  /** Index into the model's tiers per row; -1 where the row gets no segment. */
  tiers: Int8Array;
  cuts: UsedCut[];
  metrics: RowMetric[];
  /** The role whose values the Summary sheet adds up per segment. */
  measure: RoleId;
}

/** References a formula may use: a cell or range per role, and a cell holding each cut. */
export interface FormulaReferences {
  form: 'row' | 'spill';
  roles: Partial<Record<RoleId, string>>;
  cuts: Record<string, string>;
  settings: ModelSettings;
}

export interface ModelDefinition {
  id: string;
  name: Localized;
  description: Localized;
  /** Header of the segment column written next to the table. */
  columnHeader: string;
  /** The custom function, without the SEGMENT. namespace. */
  functionName: string;
  inputs: RoleId[];
  settings: SettingDefinition[];
  defaults: ModelSettings;
  tiers: TierDefinition[];
  run(table: CustomerTable, settings: ModelSettings): ModelResult;
  /** The live formula that computes this model's segment; null when only values can be written. */
  formula(references: FormulaReferences): string | null;
}

export function tierLabel(model: ModelDefinition, tierIndex: number): string {
  return tierIndex < 0 ? '' : model.tiers[tierIndex].id;
}

export function cutSetting(settings: ModelSettings, key: string): CutSpec {
  const value = settings[key];
  if (typeof value !== 'object' || value === null) throw new Error(`Setting ${key} is not a cut.`);
  return value;
}
