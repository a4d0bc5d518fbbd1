// TEMPORARY, for the fixtures branch only: the API of read.ts, which another engineer is
// writing, so that test/xlsx-read-*.test.ts typecheck before it lands. Delete this file when
// read.ts is merged (TypeScript prefers read.ts over read.d.ts, so the two do not clash).
import type { SheetGrid } from '../grid';

export function openWorkbook(bytes: Uint8Array): WorkbookFile;

export interface WorkbookFile {
  sheets: { name: string; state: 'visible' | 'hidden' | 'veryHidden' }[];
  date1904: boolean;
  readSheet(name: string): SheetGrid;
  partNames: string[];
}

export class UnreadableWorkbookError extends Error {
  kind: 'empty' | 'notZip' | 'csv' | 'truncated' | 'encrypted' | 'legacyXls' | 'tooLarge' | 'unsafeXml' | 'notWorkbook';
  text: { en: string; da: string };
}
