import { useCallback, useMemo, useRef, useState } from 'react';
import {
  buildCustomerTable, cellText, detectRoles, localizedErrorText, type Language, type RoleId, type RoleMapping, type SettingDefinition, type SettingValue,
} from '../../engine';
import type { WritePlan } from '../../workbook/plan';
import { CancelledError, planInWorker } from '../compute/planInWorker';
import type { Progress, SheetSummary, TableSnapshot, WorkbookPort } from '../../workbook/port';
import { delimitedToWorkbook } from '../../workbook/csv';
import { holdoutStartOf, prepareInput, type LogSheet, type PreparedInput } from '../../workbook/log-input';
import { PackageWorkbook } from '../../workbook/xlsx/package-workbook';
import type { Environment } from '../environment';
import { translate, type MessageKey } from '../i18n';
import {
  assignRole, chosenModels, initialSelection, resultFileName, selectionForTable, selectionFromSaved, withSharedSetting, yieldToBrowser,
  type ModelSelection, type Selection,
} from './session';

/**
 * A workbook opened in the browser version; the bytes are kept so another sheet can be read. After
 * Apply they are the result: the download is exactly what was read back.
 */
export interface OpenedFile {
  name: string;
  bytes: Uint8Array;
  workbook: PackageWorkbook;
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

/** A failure in the user's language where the error carries both (unreadable files, tables not found). */
function messageOf(error: unknown, language: Language): string {
  return localizedErrorText(error, language) ?? (error instanceof Error ? error.message : String(error));
}

/** Files read as delimited text and turned into a workbook, as the CLI does. */
const DELIMITED = /\.(csv|tsv|tab|txt)$/i;

/** A picked file as a workbook package: .xlsx/.xlsm as they are, CSV/TSV turned into one. */
function asWorkbook(name: string, bytes: Uint8Array): { bytes: Uint8Array; sheet?: string } {
  if (!DELIMITED.test(name)) return { bytes };
  const converted = delimitedToWorkbook(bytes, name);
  return { bytes: converted.workbook, sheet: converted.sheetName };
}

function initialMapping(snapshot: TableSnapshot): RoleMapping {
  return detectRoles(snapshot.headers.map((header) => cellText(header).trim()));
}

/** The table the models run on (a log's customers, or the table with a log joined on) or why there is none beside the read one. */
export type Prepared = { input: PreparedInput; error: null } | { input: null; error: string };

/**
 * Prepares the models' table as Apply's worker will (prepareInput); an error that carries a
 * sentence (a log sheet that is no log) is shown instead, any other is a bug and thrown.
 */
export function prepareForPane(snapshot: TableSnapshot, mapping: RoleMapping, language: Language, logSheet: LogSheet | null, holdoutStart = 0): Prepared {
  try {
    return { input: prepareInput(snapshot, mapping, language, logSheet, holdoutStart), error: null };
  } catch (error) {
    const text = localizedErrorText(error, language);
    if (text === undefined) throw error;
    return { input: null, error: text };
  }
}

/** Starts a browser download of bytes under a file name, without any server. */
function saveFile(bytes: Uint8Array, fileName: string): void {
  const type = /\.xlsm$/i.test(fileName) ? 'application/vnd.ms-excel.sheet.macroEnabled.12' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const blob = new Blob([new Uint8Array(bytes)], { type });
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
  // The workbook's other sheets, and the order log on one of them joined on customer id.
  const [sheets, setSheets] = useState<SheetSummary[]>([]);
  const [logSheet, setLogSheet] = useState<LogSheet | null>(null);
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
  // The clv holdout start decides where a log is split, so the preview summarises it as Apply will.
  const holdoutStart = holdoutStartOf(chosenModels(selection));
  const prepared = useMemo(
    () => (snapshot ? prepareForPane(snapshot, mapping, language, logSheet, holdoutStart) : null), [snapshot, mapping, language, logSheet, holdoutStart],
  );
  // What the models run on and the roles it has: the table read, or the customers a log gives.
  const modelTable = prepared?.input?.table ?? table;
  const modelMapping = modelTable?.mapping ?? mapping;

  const run = useCallback(async (work: () => Promise<void>, failureKey: MessageKey, params: Record<string, string> = {}) => {
    if (working.current) return;
    working.current = true;
    setFailure(null);
    try {
      await work();
    } catch (error) {
      setFailure({ key: failureKey, params: { ...params, message: messageOf(error, language) } });
    } finally {
      working.current = false;
      setBusy(null);
    }
  }, [language]);

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
    // The sheets an order log may be chosen from (Data step); a newly read table starts without one.
    const listed = await source.listSheets();
    const mapping = initialMapping(read);
    setSheets(listed);
    setLogSheet(null);
    setSnapshot(read);
    setMapping(mapping);
    setWritten(null);
    const saved = read.marker?.settings;
    const savedKey = saved ? JSON.stringify(saved) : null;
    const restore = savedKey !== null && savedKey !== restoredFrom.current;
    if (restore) restoredFrom.current = savedKey;
    // A model this table cannot support starts unticked; the first one it can is ticked if none is.
    // A transaction log is judged by the customers it gives.
    const modelRoles = prepareForPane(read, mapping, language, null).input?.table.mapping ?? mapping;
    setSelection((current) => selectionForTable((restore ? selectionFromSaved(saved, current, language) : null) ?? current, modelRoles));
  }, [language, onProgress]);

  const readTable = useCallback(() => run(async () => {
    if (port) await readFrom(port);
  }, 'readFailed'), [port, readFrom, run]);

  const openBytes = useCallback((name: string, loadBytes: () => Promise<Uint8Array>, sheet?: string) => run(async () => {
    setBusy({ key: 'openingFile', params: { name } });
    await yieldToBrowser();
    const opened = asWorkbook(name, await loadBytes());
    const choice = sheet ?? opened.sheet;
    const workbook = PackageWorkbook.open(opened.bytes, choice ? { sheet: choice } : {});
    const sheets = workbook.sheetNames();
    setFile({ name, bytes: opened.bytes, workbook, sheets, sheet: choice ?? sheets[0] ?? '' });
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

  /**
   * Reads another sheet of the workbook (the file, or the workbook open in Excel) as the order log
   * beside the customer table (null: none). Its columns get roles by their headers; the models that
   * can now run are offered. A sheet that is no log is shown as such (prepareForPane).
   */
  const chooseLogSheet = useCallback((sheet: string | null) => run(async () => {
    if (!port || !snapshot) return;
    if (sheet === null) {
      setLogSheet(null);
      return;
    }
    setBusy({ key: 'readingTable' });
    await yieldToBrowser();
    const read = await port.readSheetTable(sheet, onProgress);
    const chosen: LogSheet = { snapshot: read, mapping: initialMapping(read) };
    setLogSheet(chosen);
    setWritten(null);
    const modelRoles = prepareForPane(snapshot, mapping, language, chosen).input?.table.mapping;
    if (modelRoles) setSelection((current) => selectionForTable(current, modelRoles));
  }, 'readFailed'), [language, mapping, onProgress, port, run, snapshot]);

  const closeFile = useCallback(() => {
    setFile(null);
    setSheets([]);
    setLogSheet(null);
    setSnapshot(null);
    setWritten(null);
    setFailure(null);
  }, []);

  const setRole = useCallback((column: number, role: RoleId | null) => setMapping((current) => assignRole(current, column, role)), []);

  const updateModel = useCallback((modelId: string, change: Partial<ModelSelection>) => {
    setSelection((current) => ({ ...current, [modelId]: { ...current[modelId], ...change } }));
    setWritten(null);
  }, []);

  /** A setting several models share (the hourly rate): one value, set on each of them. */
  const updateShared = useCallback((setting: SettingDefinition, value: SettingValue) => {
    setSelection((current) => withSharedSetting(current, setting, value));
    setWritten(null);
  }, []);

  const apply = useCallback(() => run(async () => {
    if (!port || !snapshot || !table || !prepared) return;
    if (prepared.error !== null) throw new Error(prepared.error);
    setWritten(null);
    setBusy({ key: 'phaseCompute', cancellable: true });
    // SegmentKit's functions only work in Excel with the add-in; a downloaded file gets ordinary formulas instead.
    const formulas = mode === 'segmentkit' && environment.kind === 'office' ? 'segmentkit' : 'excel';
    // An .xlsx file cannot hold spilled formulas; in Excel a plain range may get one per column.
    const options = { mode: mode === 'values' ? 'values' : 'formulas', formulas, language, spill: environment.kind === 'office', reasons } as const;
    // The worker prepares the log as the pane did (prepareInput), so what is written is what was previewed.
    const job = planInWorker({ snapshot, mapping, choices: chosenModels(selection), options, logSheet: prepared.input.kind === 'joined' ? logSheet : null }, (phase) => {
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
    // In the browser the result is a new package: it is what the download will hold.
    let source: WorkbookPort = port;
    if (file && port === file.workbook) {
      setBusy({ key: 'phaseSave' });
      await yieldToBrowser();
      const bytes = file.workbook.toBytes();
      const workbook = PackageWorkbook.open(bytes, { sheet: file.sheet });
      setFile({ ...file, bytes, workbook, sheets: workbook.sheetNames() });
      source = workbook;
    }
    const reread = await source.readTable();
    // What was just applied is what the pane shows already: reading it back must not reset edits.
    if (reread.marker?.settings) restoredFrom.current = JSON.stringify(reread.marker.settings);
    setSnapshot(reread);
    setWritten(report.written);
  }, 'applyFailed'), [environment.kind, file, language, logSheet, mapping, mode, onProgress, port, prepared, reasons, run, selection, snapshot, table]);

  const cancel = useCallback(() => cancelJob.current?.(), []);

  const download = useCallback(() => run(async () => {
    if (!file) return;
    setBusy({ key: 'phaseSave' });
    await yieldToBrowser();
    saveFile(file.bytes, resultFileName(file.name));
  }, 'applyFailed'), [file, run]);

  const failureText = failure ? translate(language, failure.key, failure.params) : null;

  return {
    file, snapshot, table, mapping, selection, mode, reasons, busy, failureText, written, port, sheets, logSheet, prepared, modelTable, modelMapping,
    readTable, openFile, openSample, chooseSheet, chooseLogSheet, closeFile, setRole, updateModel, updateShared, setMode, setReasons, apply, cancel, download,
  };
}

export type Workflow = ReturnType<typeof useWorkflow>;
