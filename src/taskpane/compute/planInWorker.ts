import type { WritePlan } from '../../workbook/plan';
import type { PlanRequest, WorkerMessage } from './protocol';

export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

/** A plan being built in a worker: its result, and a way to stop it. */
export interface PlanJob {
  result: Promise<WritePlan>;
  cancel(): void;
}

/** Builds the write plan in a Web Worker; `cancel` terminates it and rejects with CancelledError. */
export function planInWorker(request: PlanRequest, onPhase: (phase: 'compute' | 'plan') => void): PlanJob {
  const worker = new Worker(new URL('./plan.worker.ts', import.meta.url));
  let reject: (error: Error) => void = () => undefined;
  const result = new Promise<WritePlan>((resolve, fail) => {
    reject = fail;
    worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      if (message.type === 'phase') return onPhase(message.phase);
      worker.terminate();
      if (message.type === 'done') resolve(message.plan);
      else fail(new Error(message.message));
    };
    worker.onerror = (event) => {
      worker.terminate();
      fail(new Error(event.message || 'The computation stopped unexpectedly.'));
    };
  });
  worker.postMessage(request);
  return {
    result,
    cancel: () => {
      worker.terminate();
      reject(new CancelledError());
    },
  };
}
