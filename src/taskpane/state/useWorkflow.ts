import { useCallback, useMemo, useRef, useState } from 'react';
import { buildCustomerTable, cellText, detectRoles, type Language, type RoleId, type RoleMapping } from '../../engine';
import type { WritePlan } from '../../workbook/plan';
import { CancelledError, planInWorker } from '../compute/planInWorker';
import type { Progress, TableSnapshot, WorkbookPort } from '../../workbook/port';
import { XlsxWorkbook } from '../../workbook/xlsx';
import type { Environment } from '../environment';
import { translate, type MessageKey } from '../i18n';
import {
  assignRole, chosenModels, initialSelection, resultFileName, selectionFromSaved, yieldToBrowser, type ModelSelection, type Selection,
} from './session';

/** An .xlsx file opened in the browser version; the bytes are kept so another sheet can be read. */
export interface OpenedFile {
  name: string;
  bytes: Uint8Array;
  workbook: XlsxWorkbook;
  sheets: string[];
  sheet: string;
}

/** What the pane is busy with: a message key (and its numbers) and a 0–1 value, or none when unknown. */
export interface Busy {
  key: MessageKey;
  params?: Record<string, string | number>;
  value?: number;
  /** Work the user may stop (computing and planning; never writing half way). */
  cancellable?: boolean;
}

/** A failure to show, as a message key and the underlying error text. */
export interface Failure {
  key: MessageKey;
  params: Record<string, string>;
}

/** How the segments are written: ordinary live formulas, SegmentKit's =SEGMENT.* functions, or values. */
export type WriteMode = 'formulas' | 'segmentkit' | 'values';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function initialMapping(snapshot: TableSnapshot): RoleMapping {
  return detectRoles(snapshot.headers.map((header) => cellText(header).trim()));
}

/** Starts a browser download of bytes under a file name, without any server. */
function saveFile(bytes: Uint8Array, fileName: string): void {
  const blob = new Blob([new Uint8Array(bytes)], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The task pane's state and the work behind its buttons: open, read, map, choose, apply, download. */
export function useWorkflow(environment: Environment, language: Language) {
  const [file, setFile] = useState<OpenedFile | null>(null);
  const [snapshot, setSnapshot] = useState<TableSnapshot | null>(null);
  const [mapping, setMapping] = useState<RoleMapping>({});
  const [selection, setSelection] = useState<Selection>(() => initialSelection(language));
  const [mode, setMode] = useState<WriteMode>('formulas');
  const [reasons, setReasons] = useState(false);
  const [busy, setBusy] = useState<Busy | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [written, setWritten] = useState<string[] | null>(null);
  // Guards against a second click while work is under way (state updates arrive a render late).
  const working = useRef(false);
  const cancelJob = useRef<(() => void) | null>(null);
  // The saved settings last taken over from a workbook: reading the same table again keeps the
  // edits made since, and a workbook with other saved settings (another file) brings its own.
  const restoredFrom = useRef<string | null>(null);

  const port: WorkbookPort | null = environment.kind === 'office' ? environment.port : file?.workbook ?? null;

  const table = useMemo(
    () => (snapshot ? buildCustomerTable(snapshot.headers, snapshot.rows, { mapping, origin: snapshot.origin }) : null),
    [snapshot, mapping],
  );

  const run = useCallback(async (work: () => Promise<void>, failureKey: MessageKey, params: Record<string, string> = {}) => {
    if (working.current) return;
    working.current = true;
    setFailure(null);
    try {
      await work();
    } catch (error) {
      setFailure({ key: failureKey, params: { ...params, message: messageOf(error) } });
    } finally {
      working.current = false;
      setBusy(null);
    }
  }, []);

  const onProgress = useCallback((progress: Progress) => {
    const value = progress.total > 0 ? progress.done / progress.total : undefined;
    setBusy(progress.phase === 'read'
      ? { key: 'phaseRead', value }
      : { key: 'phaseWrite', params: { done: progress.done, total: progress.total }, value });
  }, []);

  const readFrom = useCallback(async (source: WorkbookPort) => {
    setBusy({ key: 'readingTable' });
    await yieldToBrowser();
    const read = await source.readTable(onProgress);
    setSnapshot(read);
    setMapping(initialMapping(read));
    setWritten(null);
    const saved = read.marker?.settings;
    const savedKey = saved ? JSON.stringify(saved) : null;
    if (savedKey && savedKey !== restoredFrom.current) {
      restoredFrom.current = savedKey;
      setSelection((current) => selectionFromSaved(saved, current, language) ?? current);
    }
  }, [language, onProgress]);

  const readTable = useCallback(() => run(async () => {
    if (port) await readFrom(port);
  }, 'readFailed'), [port, readFrom, run]);

  const openBytes = useCallback((name: string, loadBytes: () => Promise<Uint8Array>, sheet?: string) => run(async () => {
    setBusy({ key: 'openingFile', params: { name } });
    await yieldToBrowser();
    const bytes = await loadBytes();
    const workbook = await XlsxWorkbook.fromBuffer(bytes, sheet ? { sheet } : {});
    const sheets = workbook.sheetNames();
    setFile({ name, bytes, workbook, sheets, sheet: sheet ?? sheets[0] ?? '' });
    await readFrom(workbook);
  }, 'openFailed', { name }), [readFrom, run]);

  const openFile = useCallback((chosen: File) => openBytes(chosen.name, async () => new Uint8Array(await chosen.arrayBuffer())), [openBytes]);

  const openSample = useCallback(() => {
    if (environment.kind !== 'browser') return Promise.resolve();
    const url = environment.sampleUrl;
    const name = url.replace(/^.*\//, '');
    return openBytes(name, async () => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      return new Uint8Array(await response.arrayBuffer());
    });
  }, [environment, openBytes]);

  const chooseSheet = useCallback((sheet: string) => {
    if (file && sheet !== file.sheet) void openBytes(file.name, async () => file.bytes, sheet);
  }, [file, openBytes]);

  const closeFile = useCallback(() => {
    setFile(null);
    setSnapshot(null);
    setWritten(null);
    setFailure(null);
  }, []);

  const setRole = useCallback((column: number, role: RoleId | null) => setMapping((current) => assignRole(current, column, role)), []);

  const updateModel = useCallback((modelId: string, change: Partial<ModelSelection>) => {
    setSelection((current) => ({ ...current, [modelId]: { ...current[modelId], ...change } }));
    setWritten(null);
  }, []);

  const apply = useCallback(() => run(async () => {
    if (!port || !snapshot || !table) return;
    setWritten(null);
    setBusy({ key: 'phaseCompute', cancellable: true });
    // SegmentKit's functions only work in Excel with the add-in; a downloaded file gets ordinary formulas instead.
    const formulas = mode === 'segmentkit' && environment.kind === 'office' ? 'segmentkit' : 'excel';
    // An .xlsx file cannot hold spilled formulas; in Excel a plain range may get one per column.
    const options = { mode: mode === 'values' ? 'values' : 'formulas', formulas, language, spill: environment.kind === 'office', reasons } as const;
    const job = planInWorker({ snapshot, mapping, choices: chosenModels(selection), options }, (phase) => {
      setBusy({ key: phase === 'compute' ? 'phaseCompute' : 'phasePlan', cancellable: true });
    });
    cancelJob.current = job.cancel;
    let plan: WritePlan;
    try {
      plan = await job.result;
    } catch (error) {
      if (error instanceof CancelledError) return;
      throw error;
    } finally {
      cancelJob.current = null;
    }
    // Writing is not cancellable: stopping half way would leave half the columns written.
    const report = await port.apply(plan, onProgress);
    // Read again so a second run knows its own columns and sheets (the marker) and replaces them.
    const reread = await port.readTable();
    // What was just applied is what the pane shows already: reading it back must not reset edits.
    if (reread.marker?.settings) restoredFrom.current = JSON.stringify(reread.marker.settings);
    setSnapshot(reread);
    setWritten(report.written);
  }, 'applyFailed'), [environment.kind, language, mapping, mode, onProgress, port, reasons, run, selection, snapshot, table]);

  const cancel = useCallback(() => cancelJob.current?.(), []);

  const download = useCallback(() => run(async () => {
    if (!file) return;
    setBusy({ key: 'phaseSave' });
    await yieldToBrowser();
    saveFile(await file.workbook.toBuffer(), resultFileName(file.name));
  }, 'applyFailed'), [file, run]);

  const failureText = failure ? translate(language, failure.key, failure.params) : null;

  return {
    file, snapshot, table, mapping, selection, mode, reasons, busy, failureText, written, port,
    readTable, openFile, openSample, chooseSheet, closeFile, setRole, updateModel, setMode, setReasons, apply, cancel, download,
  };
}

export type Workflow = ReturnType<typeof useWorkflow>;
