import type { ModelChoice, RoleMapping } from '../../engine';
import type { LogSheet } from '../../workbook/log-input';
import type { PlanOptions, WritePlan } from '../../workbook/plan';
import type { TableSnapshot } from '../../workbook/port';

/** What the task pane asks the compute worker for: everything needed to build the plan. */
export interface PlanRequest {
  snapshot: TableSnapshot;
  mapping: RoleMapping;
  choices: ModelChoice[];
  options: PlanOptions;
  /** An order log on a sheet beside the customer table, joined on customer id; null or absent when none. */
  logSheet?: LogSheet | null;
}

export type WorkerMessage =
  | { type: 'phase'; phase: 'compute' | 'plan' }
  | { type: 'done'; plan: WritePlan }
  | { type: 'failed'; message: string };
