import type { Localized } from '../../engine';

/** Why a file could not be read as a workbook. */
export type UnreadableKind =
  | 'empty' | 'notZip' | 'csv' | 'truncated' | 'encrypted' | 'legacyXls'
  | 'tooLarge' | 'unsafeXml' | 'unsafeName' | 'notWorkbook';

/** One sentence per kind: what the file is, and what to do. */
const TEXTS: Record<UnreadableKind, Localized> = {
  empty: {
    en: 'The file is empty (0 bytes): save the workbook again from Excel and use the new file.',
    da: 'Filen er tom (0 byte): gem projektmappen igen fra Excel, og brug den nye fil.',
  },
  notZip: {
    en: 'This file is not an Excel workbook (.xlsx or .xlsm): open it in Excel and save it as an Excel workbook, then run again.',
    da: 'Filen er ikke en Excel-projektmappe (.xlsx eller .xlsm): åbn den i Excel, gem den som Excel-projektmappe, og kør igen.',
  },
  csv: {
    en: 'This file is CSV text with an Excel name: rename it to .csv (SegmentKit reads CSV directly) or save it from Excel as .xlsx.',
    da: 'Filen er CSV-tekst med et Excel-navn: omdøb den til .csv (SegmentKit læser CSV direkte), eller gem den fra Excel som .xlsx.',
  },
  truncated: {
    en: 'This workbook is damaged or incomplete (perhaps cut off while copying or downloading): get the file again, or open it in Excel, let Excel repair it, and save it.',
    da: 'Projektmappen er beskadiget eller ufuldstændig (måske afbrudt under kopiering eller download): hent filen igen, eller åbn den i Excel, lad Excel reparere den, og gem den.',
  },
  encrypted: {
    en: 'This workbook is password-protected: open it in Excel, remove the password (File ▸ Info ▸ Protect Workbook), save, and run again.',
    da: 'Projektmappen er beskyttet med adgangskode: åbn den i Excel, fjern adgangskoden (Filer ▸ Oplysninger ▸ Beskyt projektmappe), gem, og kør igen.',
  },
  legacyXls: {
    en: 'This is an old-format Excel 97–2003 workbook (.xls): open it in Excel and save it as an Excel workbook (.xlsx), then run again.',
    da: 'Dette er en projektmappe i det gamle Excel 97–2003-format (.xls): åbn den i Excel, gem den som Excel-projektmappe (.xlsx), og kør igen.',
  },
  tooLarge: {
    en: 'This workbook unpacks to far more data than it declares or than any Excel sheet holds, so SegmentKit will not open it: if you trust it, open it in Excel, save a copy, and run on the copy.',
    da: 'Projektmappen pakkes ud til langt mere data, end den angiver, eller end et Excel-ark kan rumme, så SegmentKit åbner den ikke: stoler du på den, så åbn den i Excel, gem en kopi, og kør på kopien.',
  },
  unsafeXml: {
    en: 'This workbook contains XML declarations (a DOCTYPE with entities) that Excel never writes and that can be used to attack the reader, so SegmentKit will not open it: open it in Excel, save it again, and run on the new file.',
    da: 'Projektmappen indeholder XML-erklæringer (en DOCTYPE med entiteter), som Excel aldrig skriver, og som kan bruges til angreb, så SegmentKit åbner den ikke: åbn den i Excel, gem den igen, og kør på den nye fil.',
  },
  unsafeName: {
    en: 'This workbook contains a part whose name points outside the file (such as "../"), which Excel never writes, so SegmentKit will not open it: open it in Excel, save it again, and run on the new file.',
    da: 'Projektmappen indeholder en del, hvis navn peger uden for filen (som "../"), hvilket Excel aldrig skriver, så SegmentKit åbner den ikke: åbn den i Excel, gem den igen, og kør på den nye fil.',
  },
  notWorkbook: {
    en: 'This file is a zip package but not an Excel workbook (no workbook part inside): check that you picked the right file, or save it from Excel as .xlsx.',
    da: 'Filen er en zip-pakke, men ikke en Excel-projektmappe (ingen projektmappedel indeni): tjek, at du har valgt den rigtige fil, eller gem den fra Excel som .xlsx.',
  },
};

/**
 * A file that is not a readable workbook, said in one sentence in both languages. `detail` is
 * for logs and tests (which part, which size), never shown in place of the sentence.
 */
export class UnreadableWorkbookError extends Error {
  readonly text: Localized;

  constructor(readonly kind: UnreadableKind, readonly detail?: string) {
    super(TEXTS[kind].en);
    this.name = 'UnreadableWorkbookError';
    this.text = TEXTS[kind];
  }
}
