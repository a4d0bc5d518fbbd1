import { UnreadableWorkbookError } from './errors';
import type { ZipArchive } from './zip';
import { attributeByLocalName, parseXml } from './xml';

export type SheetState = 'visible' | 'hidden' | 'veryHidden';

/** A sheet as the workbook part lists it, in tab order. */
export interface SheetEntry {
  name: string;
  sheetId: string;
  /** The id of the workbook relationship whose target is the sheet's part. */
  relationshipId: string;
  state: SheetState;
}

export interface WorkbookInfo {
  sheets: SheetEntry[];
  /** The 1904 date system (workbookPr date1904): serial 0 is 1904-01-01, not 1899-12-31. */
  date1904: boolean;
}

function isTrue(value: string | undefined): boolean {
  return value === '1' || value === 'true';
}

/** Reads the workbook part (xl/workbook.xml or wherever the package's officeDocument points). */
export function readWorkbookPart(archive: ZipArchive, partName: string): WorkbookInfo {
  const entry = archive.get(partName);
  const info: WorkbookInfo = { sheets: [], date1904: false };
  if (!entry) return info;
  let root: string | undefined;
  parseXml(partName, archive.text(entry), {
    open(tag, local) {
      root ??= local;
      if (local === 'workbookPr') info.date1904 = isTrue(tag.attributes.date1904);
      else if (local === 'sheet') {
        const state: string | undefined = tag.attributes.state;
        info.sheets.push({
          name: tag.attributes.name ?? '',
          sheetId: tag.attributes.sheetId ?? '',
          relationshipId: attributeByLocalName(tag, 'id') ?? '',
          state: state === 'hidden' || state === 'veryHidden' ? state : 'visible',
        });
      }
    },
  });
  // A Word or PowerPoint package has an officeDocument too; only a <workbook> is one.
  if (root !== 'workbook') throw new UnreadableWorkbookError('notWorkbook', `the main part is <${root}>`);
  return info;
}
