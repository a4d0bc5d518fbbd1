import { describe, expect, it } from 'vitest';
import { buildCustomerTable, localizedErrorText, type CellValue } from '../src/engine';
import { joinColumns, joinKey, JoinKeyError, JoinNoMatchError } from '../src/engine/learn/join';
import { decodeDelimited, gridOfDelimited } from '../src/workbook/csv';

/** A CSV as the CLI reads it: decoded, split into its grid; the first row the headers. */
function readCsv(text: string): { headers: string[]; rows: CellValue[][] } {
  const { grid } = gridOfDelimited(decodeDelimited(new TextEncoder().encode(text), 'firmografi.csv'));
  const [headers, ...rows] = grid.rows.map((row) => row ?? []);
  return { headers: headers.map(String), rows };
}

describe('joinColumns', () => {
  const table = buildCustomerTable(['Kundenr', 'Kunde', 'Region'], [
    [101, 'Alfa', 'Øst'], ['102', 'Beta', 'Vest'], ['103 ', 'Gamma', 'Øst'], [null, 'Delta', 'Vest'], ['105', 'Epsilon', 'Nord'],
  ]);
  const csv = readCsv([
    'Kundenr;Branche;Ansatte;Region',
    '101.0;471100;12;Hovedstaden',
    '102;620100;250;Midtjylland',
    '101;011100;3;Sjælland',
    '104;471900;40;Syddanmark',
    '103;681000;7;Nordjylland',
    '102;999999;1;Hovedstaden',
  ].join('\r\n'));

  it('aligns the other table\'s columns to the table\'s rows, null where no match, and never changes the table', () => {
    const before = JSON.stringify(table.cells);
    const joined = joinColumns(table, { ...csv, name: 'firmografi.csv' }, 'Kundenr');
    expect(joined.headers).toEqual(['Branche', 'Ansatte', 'firmografi.csv: Region']);
    expect(joined.originalHeaders).toEqual(['Branche', 'Ansatte', 'Region']);
    // 101 matches "101.0", the first of its two rows; 103 with a trailing space matches; the blank key and 105 do not.
    // The cells as the CSV reader hands them over (text), to be read by the feature layer.
    expect(joined.columns).toEqual([
      ['471100', '620100', '681000', null, null],
      ['12', '250', '7', null, null],
      ['Hovedstaden', 'Midtjylland', 'Nordjylland', null, null],
    ]);
    expect(Array.from(joined.matchedRow)).toEqual([0, 1, 4, -1, -1]);
    expect([joined.matched, joined.unmatched, joined.blankKeys]).toEqual([3, 1, 1]);
    // Sheet rows as a person sees them: the header is row 1.
    expect(joined.duplicates).toEqual([{ key: '101', rows: [2, 4] }, { key: '102', rows: [3, 7] }]);
    expect(joined.notes.map((note) => note.en)).toEqual([
      'Joined 3 column(s) of firmografi.csv on "Kundenr": 3 row(s) matched, 1 without a match, 1 with a blank key.',
      'firmografi.csv holds the key "101" on rows 2, 4: row 2 is used.',
      'firmografi.csv holds the key "102" on rows 3, 7: row 3 is used.',
      'Headers the table already has were renamed: "firmografi.csv: Region".',
    ]);
    expect(joined.notes[1].da).toBe('firmografi.csv har nøglen "101" i række 2, 4: række 2 bruges.');
    expect(JSON.stringify(table.cells)).toBe(before);
    expect(table.headers).toEqual(['Kundenr', 'Kunde', 'Region']);
  });

  it('joins on differently named keys, found as headers are (case and punctuation aside), and counts duplicate rows from the sheet\'s header row', () => {
    const joined = joinColumns(table, { headers: ['Nr.', 'Ansatte'], rows: [['105', 9], ['105', 8]], headerRow: 3 }, 'kundenr', 'nr');
    expect([joined.key, joined.otherKey]).toEqual(['Kundenr', 'Nr.']);
    expect(joined.columns).toEqual([[null, null, null, null, 9]]);
    expect(joined.duplicates).toEqual([{ key: '105', rows: [4, 5] }]);
    expect(joined.notes[0].da).toBe('Forbandt 1 kolonne(r) fra joined via "Kundenr" = "Nr.": 1 række(r) fundet, 3 uden match, 1 med tom nøgle.');
  });

  it('names the side, the key and the columns when a key column is not there', () => {
    const other = { ...csv, name: 'firmografi.csv' };
    expect(() => joinColumns(table, other, 'CVR')).toThrow(JoinKeyError);
    try {
      joinColumns(table, other, 'Kundenr', 'CVR');
    } catch (error) {
      expect((error as JoinKeyError).side).toBe('other');
      expect(localizedErrorText(error, 'da')).toBe('firmografi.csv har ingen nøglekolonne "CVR". Kolonner: "Kundenr", "Branche", "Ansatte", "Region".');
    }
    expect(() => joinColumns(table, other, 'CVR')).toThrow('The customer table has no key column "CVR" to join firmografi.csv on. Columns: "Kundenr", "Kunde", "Region".');
  });

  it('refuses a join in which not one customer finds its key, with a key from each side, since every joined column would be blank', () => {
    const lowerCase = { headers: ['customerID', 'Ansatte'], rows: [['7590-vhveg', 9], ['5575-gnvde', 8]], name: 'firmografi.csv' };
    const customers = buildCustomerTable(['customerID', 'Omsætning'], [['7590-VHVEG', 10], ['5575-GNVDE', 20], [null, 5]]);
    let refused: unknown;
    try {
      joinColumns(customers, lowerCase, 'customerID');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(JoinNoMatchError);
    expect(localizedErrorText(refused, 'en')).toBe('No customer\'s key matched a key of firmografi.csv on "customerID" (the table has e.g. "7590-VHVEG", firmografi.csv e.g. "7590-vhveg"; keys are compared as written, upper and lower case apart): nothing would be joined. Check that both columns hold the same keys, written the same way.');
    // One match is a join: the others are reported as without a match, as before.
    const one = joinColumns(customers, { ...lowerCase, rows: [...lowerCase.rows, ['5575-GNVDE', 7]] }, 'customerID');
    expect([one.matched, one.unmatched, one.blankKeys]).toEqual([1, 1, 1]);
  });
});

describe('joinKey', () => {
  it('compares keys as trimmed text, a number as its text, a zero fraction dropped', () => {
    expect([12345, '12345', ' 12345 ', '12345.0', '12345.00', 2100.5, '0012', 'AB-1', null, '  '].map(joinKey))
      .toEqual(['12345', '12345', '12345', '12345', '12345', '2100.5', '0012', 'AB-1', '', '']);
  });
});
