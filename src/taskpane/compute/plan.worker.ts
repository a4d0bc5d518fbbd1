/// <reference lib="webworker" />
// Segments the table and builds the write plan off the UI thread, so the pane stays responsive
// on big tables and the work can be cancelled (the pane terminates this worker).
import { buildCustomerTable, segment } from '../../engine';
import { buildPlan } from '../../workbook/plan';
import type { PlanRequest, WorkerMessage } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const send = (message: WorkerMessage) => scope.postMessage(message);

scope.onmessage = (event: MessageEvent<PlanRequest>) => {
  try {
    const { snapshot, mapping, choices, options } = event.data;
    send({ type: 'phase', phase: 'compute' });
    const table = buildCustomerTable(snapshot.headers, snapshot.rows, { mapping, origin: snapshot.origin });
    const segmentation = segment(table, choices);
    send({ type: 'phase', phase: 'plan' });
    send({ type: 'done', plan: buildPlan(snapshot, segmentation, options) });
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};
