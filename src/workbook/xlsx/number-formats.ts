import type { ZipArchive } from './zip';
import { parseXml } from './xml';

/** Built-in number formats that show dates or times (ECMA-376 Part 1, 18.8.30; 27–36 and 50–58 are the East Asian dates). */
const BUILT_IN_DATE_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Days from the 1900 date system's day 0 to the 1904 system's: 1904-01-01 is serial 1462 in the 1900 system (ECMA-376 Part 1, 18.17.4.1). */
export const DAYS_1900_TO_1904 = 1462;

/**
 * A date serial of the 1900 date system (what the engine and the plan hold) as the workbook
 * stores the same day: unchanged in the 1900 system, 1,462 days less in the 1904 system
 * (workbookPr date1904, Excel for Mac's old default). Days before 1904-01-01 do not exist in
 * the 1904 system and are left as they are.
 */
export function serialInDateSystem(serial1900: number, date1904: boolean): number {
  return date1904 && serial1900 >= DAYS_1900_TO_1904 ? serial1900 - DAYS_1900_TO_1904 : serial1900;
}

/**
 * Whether a number format code shows a date or time: after removing quoted text, escaped and
 * padded characters and bracketed sections ([Red], [$-406]), its first section still has d, m, y,
 * h or s; elapsed-time brackets ([h], [mm]) count as time.
 */
export function isDateFormatCode(code: string): boolean {
  const section = code.split(';')[0];
  if (/\[(h+|m+|s+)\]/i.test(section)) return true;
  const bare = section
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '')
    .replace(/\[[^\]]*\]/g, '');
  if (/general/i.test(bare)) return false;
  return /[dmyhs]/i.test(bare) && !/[0#?]/.test(bare.replace(/[.,]0+/g, ''));
}

/**
 * For each cell format (index into cellXfs, the `s` of a cell), whether it shows a date: such
 * numbers are dates to a person, and are handed over as Date.
 */
export function readDateStyles(archive: ZipArchive, partName: string | undefined): Uint8Array {
  const entry = partName ? archive.get(partName) : undefined;
  if (!entry) return new Uint8Array(0);
  const customDates = new Map<number, boolean>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  parseXml(entry.name, archive.text(entry), {
    open(tag, local) {
      if (local === 'numFmt') customDates.set(Number(tag.attributes.numFmtId), isDateFormatCode(tag.attributes.formatCode ?? ''));
      else if (local === 'cellXfs') inCellXfs = !tag.isSelfClosing;
      else if (local === 'xf' && inCellXfs) xfFormats.push(Number(tag.attributes.numFmtId ?? 0));
    },
    close(local) {
      if (local === 'cellXfs') inCellXfs = false;
    },
  });
  return Uint8Array.from(xfFormats, (id) => Number(customDates.get(id) ?? BUILT_IN_DATE_IDS.has(id)));
}
