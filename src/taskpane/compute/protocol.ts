import type { ModelChoice, RoleMapping } from '../../engine';
import type { PlanOptions, WritePlan } from '../../workbook/plan';
import type { TableSnapshot } from '../../workbook/port';

/** What the task pane asks the compute worker for: everything needed to build the plan. */
export interface PlanRequest {
  snapshot: TableSnapshot;
  mapping: RoleMapping;
  choices: ModelChoice[];
  options: PlanOptions;
}

export type WorkerMessage =
  | { type: 'phase'; phase: 'compute' | 'plan' }
  | { type: 'done'; plan: WritePlan }
  | { type: 'failed'; message: string };
