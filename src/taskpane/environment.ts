import type { WorkbookPort } from '../workbook/port';

/**
 * Where the pane runs, decided once by the entry point: inside Excel with the Office port, or in
 * a plain browser, where the pane opens .xlsx files itself and offers the result as a download.
 */
export type Environment =
  | { kind: 'office'; port: WorkbookPort }
  | { kind: 'browser'; sampleUrl: string };
