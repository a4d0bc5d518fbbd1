import { describe, expect, it } from 'vitest';
import { buildCustomerTable, defaultSettings, getModel, isBlankRow, segment, type CellValue } from '../src/engine';
import type { CellBox, DefinedTable, SheetGrid } from '../src/workbook/grid';
import { buildPlan } from '../src/workbook/plan';
import { locateTable, TableNotFoundError } from '../src/workbook/region';

/** A sheet from rows as a person would type them; `undefined` rows are missing rows. */
function sheet(rows: (CellValue[] | undefined)[], extras: Partial<SheetGrid> = {}): SheetGrid {
  return { name: 'Kunder', rows, merges: [], tables: [], aggregateFormulas: new Map(), ...extras };
}

const box = (top: number, left: number, bottom: number, right: number): CellBox => ({ top, left, bottom, right });

const HEADER = ['Kunde', 'Kundeansvarlig', 'Omsætning', 'Potentiale'];
const ALFA = ['Alfa', 'Mette', 1000, 2000];
const BETA = ['Beta', 'Jonas', 400, 3000];
const GAMMA = ['Gamma', 'Mette', 100, 500];

function noteKinds(located: ReturnType<typeof locateTable>) {
  return located.notes.map((note) => note.kind);
}

function failure(action: () => unknown): TableNotFoundError {
  try {
    action();
  } catch (error) {
    if (error instanceof TableNotFoundError) return error;
    throw error;
  }
  throw new Error('no error thrown');
}

describe('a plain list from A1', () => {
  it('reads the header and every row, handing over the grid\'s own row arrays', () => {
    const grid = sheet([HEADER, ALFA, BETA, GAMMA]);
    const located = locateTable(grid);
    expect(located.origin).toEqual({ headerRow: 1, firstColumn: 0 });
    expect(located.headers).toEqual(HEADER);
    expect(located.rows).toEqual([ALFA, BETA, GAMMA]);
    expect(located.rows[0]).toBe(grid.rows[1]);
    expect(located.lastColumn).toBe(3);
    expect(located.notes).toEqual([]);
    expect(located.excelTableName).toBeUndefined();
  });

  it('starts at the header\'s first cell when the table does not start in column A', () => {
    const located = locateTable(sheet([undefined, [null, ...HEADER], [null, ...ALFA], ['', ...BETA]]));
    expect(located.origin).toEqual({ headerRow: 2, firstColumn: 1 });
    expect(located.headers).toEqual(HEADER);
    expect(located.rows).toEqual([ALFA, BETA]);
    expect(located.lastColumn).toBe(4);
  });
});

describe('title rows above the header', () => {
  it('skips a title, a date line and a blank row, and says so', () => {
    const located = locateTable(sheet([['Kundeliste 2026'], [new Date(Date.UTC(2026, 2, 1))], [], HEADER, ALFA, BETA]));
    expect(located.origin).toEqual({ headerRow: 4, firstColumn: 0 });
    expect(located.headers).toEqual(HEADER);
    expect(located.rows).toEqual([ALFA, BETA]);
    expect(located.notes).toEqual([{
      kind: 'titleRows',
      rows: [1, 2],
      text: {
        en: 'Rows 1 and 2 above the header (row 4) are titles and were skipped.',
        da: 'Rækkerne 1 og 2 over overskriftsrækken (række 4) er titler og er sprunget over.',
      },
    }]);
  });

  it('takes a title line with two cells as a title, since the header below is wider', () => {
    const located = locateTable(sheet([['Kundeliste', null, null, 'Side 1'], ['Udskrevet 1. marts 2026'], HEADER, ALFA, BETA]));
    expect(located.origin.headerRow).toBe(3);
    expect(located.headers).toEqual(HEADER);
    expect(located.notes.map((note) => note.rows)).toEqual([[1, 2]]);
  });

  it('does not take a line with a date, or a line of repeated words, for the header', () => {
    const located = locateTable(sheet([['Udskrevet', new Date(Date.UTC(2026, 2, 1)), 'af', 'Mette'], ['x', 'x', 'x', 'x'], HEADER, ALFA]));
    expect(located.origin.headerRow).toBe(3);
    expect(located.rows).toEqual([ALFA]);
  });

  it('reads a one-column list, whose header is its one cell', () => {
    const located = locateTable(sheet([['Kunde'], ['Alfa'], ['Beta']]));
    expect(located.headers).toEqual(['Kunde']);
    expect(located.rows).toEqual([['Alfa'], ['Beta']]);
  });
});

describe('the end of the list', () => {
  it('keeps blank rows inside as all-null rows, reports them, and drops trailing blank rows', () => {
    const located = locateTable(sheet([HEADER, ALFA, [], BETA, undefined, ['  ', null], GAMMA, [], undefined, [null, null]]));
    expect(located.rows).toEqual([ALFA, [null, null, null, null], BETA, [null, null, null, null], [null, null, null, null], GAMMA]);
    expect(located.notes).toEqual([{
      kind: 'blankRows',
      rows: [3, 5, 6],
      text: {
        en: 'Rows 3, 5 and 6 inside the table are blank: kept as empty rows without a segment, and the customers below them are read.',
        da: 'Rækkerne 3, 5 og 6 i tabellen er tomme: de beholdes som tomme rækker uden segment, og kunderne under dem læses.',
      },
    }]);
  });

  it('says one blank row in the singular, in both languages', () => {
    const located = locateTable(sheet([HEADER, ALFA, [], BETA]));
    expect(located.notes[0].text).toEqual({
      en: 'Row 3 inside the table is blank: kept as an empty row without a segment, and the customers below it are read.',
      da: 'Række 3 i tabellen er tom: den beholdes som en tom række uden segment, og kunderne under den læses.',
    });
  });

  it('leaves out a totals row labelled in English or Danish, in any case', () => {
    for (const label of ['Total', 'Totalt', 'I alt', 'I ALT', 'Sum', 'Subtotal', 'Grand total', 'samlet', 'Total:']) {
      const located = locateTable(sheet([HEADER, ALFA, BETA, [label, null, 1400, 5000]]));
      expect(located.rows, label).toEqual([ALFA, BETA]);
      expect(located.notes, label).toEqual([{
        kind: 'totalsRow',
        rows: [4],
        text: {
          en: 'Row 4 is a totals row, not a customer, and was left out.',
          da: 'Række 4 er en totalrække, ikke en kunde, og er udeladt.',
        },
      }]);
    }
  });

  it('does not take a customer whose name merely contains a totals word for a totals row', () => {
    const totalEnergies = ['Total Energies', 'Jonas', 50, 60];
    expect(locateTable(sheet([HEADER, ALFA, BETA, totalEnergies])).rows).toEqual([ALFA, BETA, totalEnergies]);
  });

  it('leaves out a row of aggregate formulas over the column above, whatever its stored results', () => {
    // Stored results that are not the sums (Excel not yet recalculated): the formulas decide.
    const formulas = new Map([['3:2', 'SUM(C2:C3)'], ['3:3', 'SUBTOTAL(9,D$2:D$3)']]);
    const located = locateTable(sheet([HEADER, ALFA, BETA, [null, null, 7, 8]], { aggregateFormulas: formulas }));
    expect(located.rows).toEqual([ALFA, BETA]);
    expect(noteKinds(located)).toEqual(['totalsRow']);
    expect(located.notes[0].rows).toEqual([4]);
  });

  it('keeps a row whose aggregate formula sums something other than the column above', () => {
    const last = ['Delta', 'Jonas', 7, 8];
    const located = locateTable(sheet([HEADER, ALFA, BETA, last], { aggregateFormulas: new Map([['3:2', 'SUM(Z1:Z9)']]) }));
    expect(located.rows).toEqual([ALFA, BETA, last]);
    expect(located.notes).toEqual([]);
  });

  it('leaves out an unlabelled bottom row whose numbers are the column sums of the rows above', () => {
    const located = locateTable(sheet([HEADER, ALFA, BETA, GAMMA, [null, null, 1500, 5500]]));
    expect(located.rows).toEqual([ALFA, BETA, GAMMA]);
    expect(located.notes.map((note) => [note.kind, note.rows])).toEqual([['totalsRow', [5]]]);
  });

  it('keeps a bottom row equal to the single row above it, and one whose numbers are not all sums', () => {
    const twin = ['Alfa 2', 'Mette', 1000, 2000];
    expect(locateTable(sheet([HEADER, ALFA, twin])).rows).toEqual([ALFA, twin]);
    const partial = ['Delta', 'Jonas', 1500, 1];
    expect(locateTable(sheet([HEADER, ALFA, BETA, GAMMA, partial])).rows).toEqual([ALFA, BETA, GAMMA, partial]);
  });

  it('leaves out a subtotal and a grand total at the bottom, and the blank rows around them', () => {
    const located = locateTable(sheet([HEADER, ALFA, BETA, [], ['Subtotal', null, 1400, 5000], ['Grand total', null, 1400, 5000], []]));
    expect(located.rows).toEqual([ALFA, BETA]);
    expect(located.notes.map((note) => [note.kind, note.rows])).toEqual([['totalsRow', [5, 6]]]);
    expect(located.notes[0].text.en).toBe('Rows 5 and 6 are totals rows, not customers, and were left out.');
  });

  it('leaves out a footnote line right under the data, and footnote lines set off by a blank row, and says so', () => {
    const direct = locateTable(sheet([HEADER, ALFA, BETA, ['Kilde: CRM-udtræk']]));
    expect(direct.rows).toEqual([ALFA, BETA]);
    expect(direct.notes).toEqual([{
      kind: 'footnoteRows',
      rows: [4],
      text: {
        en: 'Row 4 below the data is a footnote, not a customer, and was left out.',
        da: 'Række 4 under data er en fodnote, ikke en kunde, og er udeladt.',
      },
    }]);
    const setOff = locateTable(sheet([HEADER, ALFA, BETA, [], ['Opdateret marts 2026'], [null, 'Tal i kr.']]));
    expect(setOff.rows).toEqual([ALFA, BETA]);
    expect(setOff.notes.map((note) => [note.kind, note.rows])).toEqual([['footnoteRows', [5, 6]]]);
  });

  it('leaves out a totals row with a footnote under it', () => {
    const located = locateTable(sheet([HEADER, ALFA, BETA, ['I alt', null, 1400, 5000], [], ['* Potentiale skønnet af sælger']]));
    expect(located.rows).toEqual([ALFA, BETA]);
    expect(located.notes.map((note) => [note.kind, note.rows])).toEqual([['totalsRow', [4]], ['footnoteRows', [6]]]);
  });

  it('keeps a customer row that has only a name, right under the data', () => {
    const nameOnly = ['Delta', null, null, null];
    expect(locateTable(sheet([HEADER, ALFA, BETA, nameOnly])).rows).toEqual([ALFA, BETA, nameOnly]);
  });
});

describe('merged cells', () => {
  it('gives a header merged across two columns both columns, the second named after it', () => {
    const grid = sheet(
      [['Kunde', 'Omsætning', null, 'Potentiale'], ['Alfa', 1000, 1100, 2000], ['Beta', 400, 500, 3000]],
      { merges: [box(0, 1, 0, 2)] },
    );
    const located = locateTable(grid);
    expect(located.headers).toEqual(['Kunde', 'Omsætning', 'Omsætning (2)', 'Potentiale']);
    expect(located.rows).toEqual([['Alfa', 1000, 1100, 2000], ['Beta', 400, 500, 3000]]);
    expect(located.notes).toEqual([{
      kind: 'mergedHeader',
      rows: [1],
      text: {
        en: 'A header cell in row 1 is merged across several columns; each column it covers is read, named C "Omsætning (2)".',
        da: 'En overskriftscelle i række 1 er flettet over flere kolonner; hver kolonne, den dækker, læses og hedder C "Omsætning (2)".',
      },
    }]);
  });

  it('reaches to the end of a merged last header cell', () => {
    const grid = sheet([['Kunde', 'Omsætning', null], ['Alfa', 1000, 1100], ['Beta', 400, 500]], { merges: [box(0, 1, 0, 2)] });
    const located = locateTable(grid);
    expect(located.headers).toEqual(['Kunde', 'Omsætning', 'Omsætning (2)']);
    expect(located.lastColumn).toBe(2);
    expect(located.rows).toEqual([['Alfa', 1000, 1100], ['Beta', 400, 500]]);
  });

  it('fills merged data cells down from their top-left value without changing the grid, and says which', () => {
    const rows = [HEADER, ['Alfa', 'Mette', 1000, 2000], ['Beta', null, 400, 3000], ['Gamma', null, 100, 500], ['Delta', 'Jonas', 50, 60]];
    const grid = sheet(rows, { merges: [box(1, 1, 3, 1)] });
    const located = locateTable(grid);
    expect(located.rows).toEqual([['Alfa', 'Mette', 1000, 2000], ['Beta', 'Mette', 400, 3000], ['Gamma', 'Mette', 100, 500], ['Delta', 'Jonas', 50, 60]]);
    expect(grid.rows[2]).toEqual(['Beta', null, 400, 3000]);
    expect(located.notes).toEqual([{
      kind: 'mergedData',
      rows: [2, 3, 4],
      text: {
        en: 'Merged cell B2:B4 was filled in every row it covers with its first cell\'s value.',
        da: 'Den flettede celle B2:B4 er udfyldt i hver række, den dækker, med værdien fra dens første celle.',
      },
    }]);
  });
});

describe('the columns of the table', () => {
  it('names a blank header with data below inside the span "Column F"', () => {
    const located = locateTable(sheet([['Kunde', null, 'Omsætning'], ['Alfa', 'x', 1000], ['Beta', 'y', 400]]));
    expect(located.headers).toEqual(['Kunde', 'Column B', 'Omsætning']);
    expect(located.notes).toEqual([{
      kind: 'unnamedColumns',
      rows: [1],
      text: {
        en: 'Column B has no header in row 1 and is named "Column B".',
        da: 'Kolonne B har ingen overskrift i række 1 og hedder "Column B".',
      },
    }]);
  });

  it('stops before SegmentKit\'s own columns, handing over the rows as they are, and names user columns beyond them', () => {
    const grid = sheet([
      [...HEADER, 'Segment ABCD', 'Segment Pareto', 'Note'],
      [...ALFA, 'A', 'A', 'call'],
      [null, null, null, null, 'D', null],
      [...BETA, 'B', 'C', null],
    ]);
    const located = locateTable(grid, { ownColumns: new Set([4, 5]) });
    expect(located.headers).toEqual(HEADER);
    expect(located.lastColumn).toBe(3);
    expect(located.rows.map((row) => row.slice(0, 4))).toEqual([ALFA, [null, null, null, null], BETA]);
    expect(located.rows[0]).toBe(grid.rows[1]);
    // The row left blank by the user is blank to the engine too, whatever SegmentKit wrote beside it.
    const table = buildCustomerTable(located.headers, located.rows, { origin: located.origin });
    expect([0, 1, 2].map((i) => isBlankRow(table, i))).toEqual([false, true, false]);
    expect(located.notes.map((note) => [note.kind, note.rows])).toEqual([['blankRows', [3]], ['columnsBeyond', []]]);
    expect(located.notes[1]).toEqual({
      kind: 'columnsBeyond',
      rows: [],
      text: {
        en: 'Column G lies beyond SegmentKit\'s own columns, so it is not read as part of the customer table and is left as it is.',
        da: 'Kolonne G ligger efter SegmentKits egne kolonner, så den læses ikke som en del af kundetabellen og bliver stående, som den er.',
      },
    });
  });
});

describe('an Excel table', () => {
  const table = (name: string, area: CellBox, headerRowCount = 1, totalsRowCount = 0, columnNames?: string[]): DefinedTable => ({
    name, box: area, headerRowCount, totalsRowCount, columnNames,
  });

  it('is used as defined: its header, its data rows, its totals row left out', () => {
    const grid = sheet(
      [['Kundeliste'], [], [null, ...HEADER], [null, ...ALFA], [null, ...BETA], [null, 'Total', null, 1400, 5000], [null, 'Kilde: CRM']],
      { tables: [table('Kunder', box(2, 1, 5, 4), 1, 1)] },
    );
    const located = locateTable(grid);
    expect(located.excelTableName).toBe('Kunder');
    expect(located.origin).toEqual({ headerRow: 3, firstColumn: 1 });
    expect(located.headers).toEqual(HEADER);
    expect(located.rows).toEqual([ALFA, BETA]);
    expect(located.lastColumn).toBe(4);
    expect(located.notes).toEqual([{
      kind: 'totalsRow',
      rows: [6],
      text: { en: 'Row 6 is a totals row, not a customer, and was left out.', da: 'Række 6 er en totalrække, ikke en kunde, og er udeladt.' },
    }]);
  });

  it('takes the named table when the sheet has several, else the first', () => {
    const grid = sheet([HEADER, ALFA, BETA, [], ['Kundenr', 'Salg'], ['K9', 5]], {
      tables: [table('Kunder', box(0, 0, 2, 3)), table('Andre', box(4, 0, 5, 1))],
    });
    expect(locateTable(grid, { tableName: 'Andre' })).toMatchObject({ excelTableName: 'Andre', headers: ['Kundenr', 'Salg'], rows: [['K9', 5]] });
    expect(locateTable(grid)).toMatchObject({ excelTableName: 'Kunder', headers: HEADER, rows: [ALFA, BETA] });
  });

  it('reads every row of a table with a hidden header row as a customer, named by the table\'s columns', () => {
    const grid = sheet([['Kundeliste'], ALFA, BETA], { tables: [table('Skjult', box(1, 0, 2, 3), 0, 0, HEADER)] });
    const located = locateTable(grid);
    expect(located.origin).toEqual({ headerRow: 1, firstColumn: 0 });
    expect(located.headers).toEqual(HEADER);
    expect(located.rows).toEqual([ALFA, BETA]);
    expect(located.notes).toEqual([{
      kind: 'hiddenHeader',
      rows: [2],
      text: {
        en: 'The table "Skjult" hides its header row: its first row (row 2) is read as a customer, and its columns are named "Kunde", "Kundeansvarlig", "Omsætning", "Potentiale".',
        da: 'Tabellen "Skjult" skjuler sin overskriftsrække: dens første række (række 2) læses som en kunde, og dens kolonner hedder "Kunde", "Kundeansvarlig", "Omsætning", "Potentiale".',
      },
    }]);
    const unnamed = locateTable(sheet([['Kundeliste'], ALFA], { tables: [table('Skjult', box(1, 0, 1, 1), 0, 0)] }));
    expect(unnamed.headers).toEqual(['Column A', 'Column B']);
    // The row runs on past the table's last column: only its first two cells are the table's.
    expect(unnamed.lastColumn).toBe(1);
    expect(unnamed.rows.map((row) => row.slice(0, 2))).toEqual([['Alfa', 'Mette']]);
  });
});

describe('a sheet without a table', () => {
  it('throws a clear sentence for an empty sheet, in English and Danish', () => {
    for (const grid of [sheet([]), sheet([undefined, [null, '  '], []])]) {
      const error = failure(() => locateTable(grid));
      expect(error.message).toBe('The sheet "Kunder" is empty: there is no customer table to read. Put the table on it (a header row, then one row per customer) or choose another sheet.');
      expect(error.text.da).toBe('Arket "Kunder" er tomt: der er ingen kundetabel at læse. Sæt tabellen ind (en overskriftsrække og derefter én række pr. kunde), eller vælg et andet ark.');
    }
  });

  it('throws when no row looks like a header', () => {
    const error = failure(() => locateTable(sheet([['Kundeliste 2026'], [new Date(Date.UTC(2026, 2, 1))], [1, 2, 3], [4, 5, 6]])));
    expect(error.message).toBe('No row on the sheet "Kunder" looks like a header: SegmentKit looks for a row of column names (such as Customer and Revenue) above one row per customer. Add a header row and run again.');
    expect(error.text.da).toBe('Ingen række på arket "Kunder" ligner en overskriftsrække: SegmentKit leder efter en række med kolonnenavne (som Kunde og Omsætning) over én række pr. kunde. Tilføj en overskriftsrække, og kør igen.');
  });

  it('counts a sheet holding only SegmentKit\'s own columns as empty', () => {
    expect(failure(() => locateTable(sheet([[null, 'Segment ABCD'], [null, 'A']]), { ownColumns: new Set([1]) })).message).toContain('is empty');
  });
});

describe('a blank row inside the table, through the models and the plan', () => {
  const located = locateTable(sheet([
    ['Kundeliste 2026'], [],
    ['Kunde', 'Kundeansvarlig', 'Omsætning', 'Potentiale', 'Share of wallet', 'Tilfredshed'],
    ['Alfa', 'Mette', 1000, 2000, 80, 5],
    [],
    ['Beta', 'Jonas', 400, 3000, 1, 2],
    ['Gamma', 'Mette', 100, 500, 30, 4],
    ['I alt', null, 1500, 5500, null, null],
  ]));
  const table = buildCustomerTable(located.headers, located.rows, { origin: located.origin });
  const ids = ['abcd', 'pareto', 'quadrant', 'value', 'margin'];
  const segmentation = segment(table, ids.map((id) => ({ id, settings: defaultSettings(getModel(id)) })));
  const labels = (index: number) => Array.from(segmentation.results[index].tiers, (tier) => (tier < 0 ? '' : getModel(ids[index]).tiers[tier].id));

  it('gives the blank row no segment and no problem in any model', () => {
    expect(located.rows.length).toBe(4);
    expect(table.problems).toEqual([]);
    for (const result of segmentation.results) expect(result.tiers[1], result.modelId).toBe(-1);
    // ABCD: revenue cut 400 (Pareto 80 % of 1,500), potential cut 2,000 (of 5,500).
    expect(labels(0)).toEqual(['A', '', 'A', 'D']);
    // Quadrant: shares 80 %, 1 %, 30 % (percent points for the whole column); satisfaction median 4.
    expect(labels(2)).toEqual(['Model', '', 'Move', 'Grow']);
  });

  it('writes the blank row as empty segment cells, and neither lists nor counts it as a customer', () => {
    const snapshot = { sheetName: 'Kunder', origin: located.origin, headers: located.headers, rows: located.rows, marker: null, sheetNames: ['Kunder'] };
    for (const mode of ['values', 'formulas'] as const) {
      const plan = buildPlan(snapshot, segmentation, { mode, language: 'en' });
      expect(plan.headerRow).toBe(3);
      const segmentColumns = plan.columns.filter((column) => column.header.startsWith('Segment'));
      // Value tiers and the margin need a margin or cost column, which this table lacks: left out, with a note.
      expect(segmentColumns.map((column) => column.header)).toEqual(['Segment ABCD', 'Segment Pareto', 'Segment Quadrant']);
      expect(segmentation.leftOut?.map((model) => model.modelId)).toEqual(['value', 'margin']);
      // Pareto: 1,000 + 400 reach 80 % of 1,500 (A cut 400); 100 reaches 95 % (B cut 100).
      expect(segmentColumns.slice(0, 3).map((column) => column.values)).toEqual([['A', null, 'A', 'D'], ['A', null, 'A', 'B'], ['Model', null, 'Move', 'Grow']]);
      expect(segmentColumns.map((column) => column.values[1])).toEqual([null, null, null]);
      const priority = plan.sheets.find((planned) => planned.purpose === 'priority')!;
      // Mette: Gamma is a Grow customer, and the quadrant's Grow rule comes before ABCD A (Alfa) in the recommendation rule.
      expect(priority.rows.slice(1).map((row) => [row[0], row[2]])).toEqual([['Jonas', 'Beta'], ['Mette', 'Gamma'], ['Mette', 'Alfa']]);
      const summary = plan.sheets.find((planned) => planned.purpose === 'summary')!;
      expect(summary.rows[1]).toEqual(['Customers', 3]);
      const abcdLines = summary.rows.slice(6, 10).map((row) => [row[0], row[2]]);
      expect(abcdLines).toEqual([['A', 2], ['B', 0], ['C', 0], ['D', 1]]);
      expect(summary.rows[10]).toEqual([]);
    }
  });
});
