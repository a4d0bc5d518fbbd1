import type { ModelDefinition, ModelSettings } from './model';
import { abcd } from './models/abcd';
import { margin } from './models/margin';
import { clusters } from './models/clusters';
import { clv } from './models/clv';
import { pareto } from './models/pareto';
import { quadrant } from './models/quadrant';
import { rfm } from './models/rfm';
import { churn } from './models/churn';
import { score } from './models/score';
import { twins } from './models/twins';
import { value } from './models/value';

/** Every model SegmentKit offers. The pane, the functions, the plan and the CLI read this list. */
export const CATALOG: readonly ModelDefinition[] = [abcd, pareto, quadrant, value, score, margin, rfm, clv, churn, clusters, twins];

export function findModel(id: string): ModelDefinition | undefined {
  return CATALOG.find((model) => model.id === id);
}

export function getModel(id: string): ModelDefinition {
  const model = findModel(id);
  if (!model) throw new Error(`Unknown model "${id}". Known models: ${CATALOG.map((m) => m.id).join(', ')}.`);
  return model;
}

export function defaultSettings(model: ModelDefinition): ModelSettings {
  return structuredClone(model.defaults);
}
