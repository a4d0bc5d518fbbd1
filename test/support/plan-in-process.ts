import { segment } from '../../src/engine';
import type { PlanRequest } from '../../src/taskpane/compute/protocol';
import { holdoutStartOf, planPrepared, prepareInput } from '../../src/workbook/log-input';

/**
 * The module planInWorker.ts as the pane tests use it: jsdom has no Web Worker, so the plan is
 * built in-process, by the same steps plan.worker.ts takes (a log summarised, the models run, the
 * plan made). Use as `vi.mock('../src/taskpane/compute/planInWorker', () => import('./support/plan-in-process'))`.
 */
export class CancelledError extends Error {}

export function planInWorker(request: PlanRequest) {
  const { snapshot, mapping, choices, options, logSheet } = request;
  const prepared = prepareInput(snapshot, mapping, options.language, logSheet, holdoutStartOf(choices));
  return { result: Promise.resolve(planPrepared(snapshot, prepared, segment(prepared.table, choices), options)), cancel: () => {} };
}
