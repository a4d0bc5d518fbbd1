/// <reference lib="webworker" />
// Segments the table and builds the write plan off the UI thread, so the pane stays responsive
// on big tables and the work can be cancelled (the pane terminates this worker).
import { segment } from '../../engine';
import { holdoutStartOf, planPrepared, prepareInput } from '../../workbook/log-input';
import type { PlanRequest, WorkerMessage } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const send = (message: WorkerMessage) => scope.postMessage(message);

scope.onmessage = (event: MessageEvent<PlanRequest>) => {
  try {
    const { snapshot, mapping, choices, options, logSheet } = event.data;
    send({ type: 'phase', phase: 'compute' });
    // A transaction log (read, or on a sheet beside the table) becomes one row per customer first, as in the CLI.
    const prepared = prepareInput(snapshot, mapping, options.language, logSheet, holdoutStartOf(choices));
    const segmentation = segment(prepared.table, choices);
    send({ type: 'phase', phase: 'plan' });
    send({ type: 'done', plan: planPrepared(snapshot, prepared, segmentation, options) });
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};
