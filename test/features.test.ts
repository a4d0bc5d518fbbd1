import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCustomerTable, dateToSerial, type CellValue } from '../src/engine';
import {
  analyseFeatures, buildFeatures, candidateFeatures, describeFeatureValue, featureSetting, filledSources, fitFeatures, parseLabel, UnknownFeatureError,
  type BuildFeaturesOptions, type CandidateColumn, type FeatureSet,
} from '../src/engine/learn/features';
import { joinColumns } from '../src/engine/learn/join';
import { mulberry32 } from '../src/engine/random';
import { nameWithData, parseCsvLine, publicDataFile } from './support/public-data';

function byHeader(candidates: CandidateColumn[]): Record<string, CandidateColumn> {
  return Object.fromEntries(candidates.map((candidate) => [candidate.header, candidate]));
}

/** The matrix as rows of numbers, for cell-by-cell comparison. */
function matrixRows(set: FeatureSet): number[][] {
  const { rows, columns, data } = set.matrix;
  return Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * columns, (i + 1) * columns)));
}

/** z-scores of a column given its raw values and, worked out by hand, the mean and population variance. */
function z(values: number[], mean: number, variance: number): number[] {
  return values.map((value) => (value - mean) / Math.sqrt(variance));
}

function expectMatrix(actual: number[][], columns: number[][]): void {
  expect(actual.length).toBe(columns[0].length);
  actual.forEach((row, i) => {
    expect(row.length).toBe(columns.length);
    row.forEach((value, j) => expect(value).toBeCloseTo(columns[j][i], 12));
  });
}

describe('candidateFeatures: each column\'s kind, or why it is left out', () => {
  const headers = ['Kundenr', 'Kunde', 'Kundeansvarlig', 'Omsætning', 'Kontrakt', 'Aktiv', 'Kunde siden', 'Note', 'Land', 'Tom', 'Postnummer', 'Branche', 'CVR', 'Markeret', 'Opsagt'];
  const rows: CellValue[][] = [
    ['K1', 'Alfa A/S', 'Ole', '1.000,50', 'Måned', 'ja', '2024-01-01', 'Ringede om fakturaen i går', 'DK', '', 2100, 471100, 12345678, 'x', 'nej'],
    ['K2', 'Beta ApS', 'Ole', '2.000', 'År', 'nej', '2024-01-11', 'Vil have nyt tilbud snart', 'DK', '', 8000, 471900, 23456789, '', 'ja'],
    ['K3', 'Gamma', 'Eva', '', 'Måned', 'ja', '2023-12-22', 'Ingen kontakt siden sommer', 'DK', null, 2100, 620100, 34567890, 'x', ''],
    ['K4', 'Delta', 'Eva', '500', '', 'ja', '2024-01-31', 'Spørger til levering og pris', 'DK', 7, 5000, 11100, 45678901, '', 'nej'],
  ];
  const table = buildCustomerTable(headers, rows);
  const found = byHeader(candidateFeatures(table, { exclude: ['Opsagt'] }));

  it('leaves out the id, name and owner roles, CVR, free text, a constant, a mostly blank column and the excluded label, each with its reason in both languages', () => {
    const reasons = Object.fromEntries(Object.values(found).filter((column) => !column.usable).map((column) => [column.header, column.reason]));
    expect(reasons).toEqual({
      Kundenr: 'identifier', Kunde: 'name', Kundeansvarlig: 'owner', Note: 'freeText', Land: 'constant', Tom: 'mostlyBlank', CVR: 'identifier', Opsagt: 'excluded',
    });
    expect(found.Kundeansvarlig.why.en).toBe('the account manager: who serves the customer, not what the customer needs');
    expect(found.Kundeansvarlig.why.da).toBe('kundeansvarlig: hvem der betjener kunden, ikke hvad kunden har brug for');
    expect(found.Land.why).toEqual({ en: 'the same value in every row: DK', da: 'samme værdi i alle rækker: DK' });
    expect(found.Tom.why).toEqual({ en: '3 of 4 rows blank', da: '3 af 4 rækker tomme' });
  });

  it('reads numbers with the column\'s decimal comma, dates, yes/no, x-markers, categories and codes as categories', () => {
    const kinds = Object.fromEntries(Object.values(found).filter((column) => column.usable).map((column) => [column.header, column.kind]));
    expect(kinds).toEqual({ Omsætning: 'number', Kontrakt: 'category', Aktiv: 'boolean', 'Kunde siden': 'date', Postnummer: 'category', Branche: 'category', Markeret: 'boolean' });
    expect(found.Omsætning.missing).toBe(1);
    expect(found.Kontrakt.levels).toEqual(['Måned', 'År']);
    expect(found.Kontrakt.missing).toBe(1);
    // Codes are levels, never amounts; 11100 is DB07 011100 with its leading zero lost.
    expect(found.Postnummer.levels).toEqual(['2100', '8000', '5000']);
    expect(found.Branche.levels).toEqual(['471100', '471900', '620100', '011100']);
    expect(found.Branche.grouping).toBe('none');
    // A column of x beside blanks is a marker: blank means no, not missing.
    expect(found.Markeret.missing).toBe(0);
    // Sources keep the table's column order, whatever the order of the chosen headers.
    const set = buildFeatures(table, { exclude: ['Opsagt'], columns: ['Markeret', 'Omsætning'] });
    expect(Array.from(set.sources[0].values!)).toEqual([1000.5, 2000, NaN, 500]);
    expect(Array.from(set.sources[1].values!)).toEqual([1, 0, 1, 0]);
  });

  it('groups many postcodes by their first digit and many industry codes by main group, then by Statistics Denmark\'s 10 groups', () => {
    const postcodes = [1050, 1120, 2100, 2200, 2300, 2400, 2500, 2600, 2700, 2800, 3000, 4000, 5000, 6000, 7100, 8000, 9000, 2900];
    const divisions = [1, 10, 25, 41, 46, 47, 49, 56, 62, 64, 68, 70, 85, 86, 90, 96, 45, 47];
    const fewDivisions = [46, 47, 62, 47, 46, 62, 47, 46, 47, 62, 47, 46, 47, 62, 46, 47, 46, 62];
    const grouped = buildCustomerTable(['Postnr.', 'DB07', 'Branchekode'], postcodes.map((postcode, i) => [
      postcode, `${String(divisions[i]).padStart(2, '0')}.${String(i).padStart(2, '0')}.00`, fewDivisions[i] * 10000 + i,
    ]));
    const candidates = byHeader(candidateFeatures(grouped));
    expect(candidates['Postnr.'].grouping).toBe('postcodeRegion');
    expect(candidates['Postnr.'].levels).toEqual(['2xxx', '1xxx', '3xxx', '4xxx', '5xxx', '6xxx', '7xxx', '8xxx', '9xxx']);
    expect(candidates.Branchekode.grouping).toBe('industryDivision');
    expect(candidates.Branchekode.levels).toEqual(['47', '46', '62']);
    // 16 divisions: more than 12, so the 10-grouping: 1 Agriculture (01), 2 Manufacturing (10, 25), 3 Construction (41),
    // 4 Trade and transport (45, 46, 47, 47, 49, 56), 5 Information (62), 6 Finance (64), 7 Real estate (68), 8 Business services (70),
    // 9 Public and health (85, 86), 10 Culture and other services (90, 96).
    expect(candidates.DB07.grouping).toBe('industryGroup10');
    expect(candidates.DB07.levels).toEqual(['4', '2', '9', '10', '1', '3', '5', '6', '7', '8']);
    const set = buildFeatures(grouped, { columns: ['DB07', 'Postnr.'] });
    const first = set.features.findIndex((feature) => feature.source === 'DB07');
    expect(set.features[first].name).toBe('DB07: Trade and transport');
    expect(set.features[first].label.da).toBe('DB07: Handel og transport');
    expect(describeFeatureValue(set, first, 0, 'da')).toBe('DB07: Landbrug, skovbrug og fiskeri');
    expect(describeFeatureValue(set, 0, 0, 'en')).toBe('Postnr.: 1xxx');
  });

  it('leaves out a text column with nearly every value different as an identifier, and one with many repeated levels as too many', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [`AB-${1000 + i}`, `Region ${i % 20}`, i]);
    const candidates = byHeader(candidateFeatures(buildCustomerTable(['Reference', 'Område', 'Ordre nr'], rows)));
    expect(candidates.Reference.reason).toBe('identifier');
    expect(candidates.Reference.why.en).toBe('an identifier: 40 different values in 40 rows');
    expect(candidates['Område'].reason).toBe('tooManyLevels');
    expect(candidates['Område'].why).toEqual({ en: '20 categories, more than 12', da: '20 kategorier, flere end 12' });
    // Whole numbers all different under an id-like header name rows, not a quantity.
    expect(candidates['Ordre nr'].reason).toBe('identifier');
  });

  it('keeps a column of numbers that a header match took for the name (MLC\'s number_customer_service_calls holds "customer")', () => {
    const table = buildCustomerTable(['number_customer_service_calls'], [[1], [4], [0], [2]]);
    expect(table.mapping.name).toBe(0);
    expect(candidateFeatures(table)[0].kind).toBe('number');
  });
});

describe('buildFeatures: the standardised matrix, worked by hand', () => {
  const table = buildCustomerTable(['Omsætning', 'Kontrakt', 'Aktiv', 'Kunde siden'], [
    [10, 'Måned', 'ja', '2024-01-01'],
    [20, 'År', 'nej', '2024-01-11'],
    ['', 'Måned', 'ja', '2023-12-22'],
    [40, '', '', '2024-01-31'],
  ]);

  it('imputes the median, no level, the mode, flags every imputed value, and takes z-scores with the population sd', () => {
    const set = buildFeatures(table, { skew: 'none' });
    expect(set.features.map((feature) => feature.name)).toEqual([
      'Omsætning', 'Omsætning missing', 'Kontrakt: Måned', 'Kontrakt: År', 'Kontrakt missing', 'Aktiv', 'Aktiv missing', 'Kunde siden',
    ]);
    expect(set.features.map((feature) => feature.kind)).toEqual(['number', 'missing', 'category', 'category', 'missing', 'boolean', 'missing', 'date']);
    // asOf: the day after the latest date, 2024-01-31; ages 31, 21, 41 and 1 days.
    expect(set.asOf).toBe(dateToSerial(2024, 2, 1));
    expectMatrix(matrixRows(set), [
      z([10, 20, 20, 40], 22.5, 118.75), // the blank imputed with the median of 10, 20, 40
      z([0, 0, 1, 0], 0.25, 0.1875),
      z([1, 0, 1, 0], 0.5, 0.25),
      z([0, 1, 0, 0], 0.25, 0.1875), // the blank has no level
      z([0, 0, 0, 1], 0.25, 0.1875),
      z([1, 0, 1, 1], 0.75, 0.1875), // the blank imputed with the mode of ja, nej, ja
      z([0, 0, 0, 1], 0.25, 0.1875),
      z([31, 21, 41, 1], 23.5, 218.75),
    ]);
    const revenue = set.features[0];
    expect([revenue.mean, revenue.sd, revenue.imputed, revenue.imputedValue]).toEqual([22.5, Math.sqrt(118.75), 1, 20]);
    expect(set.features[3].imputed).toBe(1);
    expect(set.notes.map((note) => note.en)).toEqual([
      'Omsætning: 1 missing, imputed with the median 20 and flagged.',
      'Kontrakt: 1 missing, given no level and flagged.',
      'Aktiv: 1 missing, imputed with the most common value 1 and flagged.',
    ]);
  });

  it('computes medians, means and sds on the fitted rows alone, and standardises every row with them', () => {
    const set = buildFeatures(table, { skew: 'none', columns: ['Omsætning'], fitRows: Uint8Array.from([1, 1, 1, 0]) });
    // Fitted rows 1-3: the median of 10 and 20 is 15; mean of 10, 20, 15 is 15; variance (25 + 25 + 0) / 3.
    expectMatrix(matrixRows(set), [z([10, 20, 15, 40], 15, 50 / 3), z([0, 0, 1, 0], 1 / 3, 2 / 9)]);
    expect(set.leftOut.filter((column) => column.reason === 'notChosen').map((column) => column.header)).toEqual(['Kontrakt', 'Aktiv', 'Kunde siden']);
  });

  it('counts ages to a given day, and centres a feature constant on the fitted rows without dividing by zero', () => {
    const set = buildFeatures(table, { columns: ['Aktiv', 'Kunde siden'], asOf: dateToSerial(2024, 3, 1), fitRows: Uint8Array.from([1, 0, 1, 0]) });
    expect(set.features.map((feature) => feature.name)).toEqual(['Aktiv', 'Aktiv missing', 'Kunde siden']);
    expect(Array.from(set.sources[1].values!)).toEqual([60, 50, 70, 30]);
    // Aktiv is 1 on both fitted rows (and the blank imputed so): sd 0, so x − mean; so is its flag.
    expect(set.features[0].sd).toBe(0);
    expect(matrixRows(set).map((row) => row.slice(0, 2))).toEqual([[0, 0], [-1, 0], [0, 0], [0, 1]]);
  });

  it('says a customer\'s value on a feature in English and Danish', () => {
    const set = buildFeatures(table, { skew: 'none' });
    expect(describeFeatureValue(set, 3, 0, 'en')).toBe('Kontrakt: Måned');
    expect(describeFeatureValue(set, 4, 3, 'da')).toBe('Kontrakt mangler');
    expect(describeFeatureValue(set, 0, 2, 'en')).toBe('Omsætning missing');
    expect(describeFeatureValue(set, 0, 3, 'da')).toBe('Omsætning 40');
    expect(describeFeatureValue(set, 5, 1, 'da')).toBe('Aktiv: nej');
    expect(describeFeatureValue(set, 5, 0, 'en')).toBe('Aktiv: yes');
    expect(describeFeatureValue(set, 7, 1, 'en')).toBe('Kunde siden 21 days ago');
    expect(describeFeatureValue(set, 7, 1, 'da')).toBe('Kunde siden for 21 dage siden');
    const amounts = buildFeatures(buildCustomerTable(['Revenue'], [[1234567.4], [2.5], [7]]));
    expect(describeFeatureValue(amounts, 0, 0, 'da')).toBe('Revenue 1.234.567');
    expect(describeFeatureValue(amounts, 0, 1, 'en')).toBe('Revenue 2.5');
  });

  it('refuses a chosen header that names no column, listing the columns', () => {
    expect(() => buildFeatures(table, { columns: ['Tenure'] })).toThrow(UnknownFeatureError);
    expect(() => buildFeatures(table, { columns: ['Tenure'] })).toThrow('There is no column "Tenure" to use as a feature. Columns: "Omsætning", "Kontrakt", "Aktiv", "Kunde siden".');
    // Every unknown header at once, so a user with two typos corrects both in one go.
    expect(() => buildFeatures(table, { columns: ['Tenure', 'Omsætning', 'Monthly'] })).toThrow('There are no columns "Tenure", "Monthly" to use as features. Columns: "Omsætning", "Kontrakt", "Aktiv", "Kunde siden".');
  });

  it('reads joined columns beside the table\'s own', () => {
    const withId = buildCustomerTable(['Kundenr', 'Omsætning'], [['1', 10], ['2', 20], ['3', 30]]);
    withId.joined = joinColumns(withId, { headers: ['Kundenr', 'Ansatte'], rows: [['1', 5], ['2', 50], ['4', 7]] }, 'Kundenr');
    const set = buildFeatures(withId, { skew: 'none' });
    expect(set.features.map((feature) => feature.name)).toEqual(['Omsætning', 'Ansatte', 'Ansatte missing']);
    expect(set.sources[1].origin).toBe('joined');
    // Customer 3 has no match: imputed with the median of 5 and 50.
    expectMatrix(matrixRows(set), [z([10, 20, 30], 20, 200 / 3), z([5, 50, 27.5], 27.5, 337.5), z([0, 0, 1], 1 / 3, 2 / 9)]);
  });
});

describe('analyseFeatures then fitFeatures: the same feature set as buildFeatures, bit for bit', () => {
  // Numbers (some blank, one unreadable), a text date column, a 4-level category with blanks, yes/no,
  // the churn label, a blank line inside the table, and a joined column some customers do not match.
  const random = mulberry32(31);
  const regions = ['Nord', 'Syd', 'Øst', 'Vest'];
  const rows: CellValue[][] = Array.from({ length: 60 }, (_, i) => {
    if (i === 17) return [null, null, null, null, null, null, null];
    const revenue = random() < 0.15 ? null : i === 5 ? 'n/a?' : Math.round(Math.exp(5 + 2 * random()));
    const since = random() < 0.1 ? '' : `2024-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
    const region = random() < 0.2 ? null : regions[Math.floor(random() * regions.length)];
    const active = random() < 0.5 ? 'ja' : 'nej';
    const churned = random() < 0.3 ? 'ja' : 'nej';
    return [`K${i}`, revenue, since, region, active, 1 + Math.floor(random() * 9), churned];
  });
  const table = buildCustomerTable(['Kundenr', 'Omsætning', 'Kunde siden', 'Region', 'Aktiv', 'Besøg', 'Opsagt'], rows);
  const joinedRows = Array.from({ length: 60 }, (_, i) => [`K${i}`, i % 4 === 0 ? null : Math.round(1 + 200 * random() ** 3)]).filter((_, i) => i % 7 !== 3);
  table.joined = joinColumns(table, { headers: ['Kundenr', 'Ansatte'], rows: joinedRows }, 'Kundenr');
  const fitRows = Uint8Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 0 : 1));
  const described = Uint8Array.from({ length: 60 }, (_, i) => (i % 10 === 9 ? 0 : 1));
  const fits: BuildFeaturesOptions[] = [
    {},
    { fitRows },
    { columns: ['Omsætning', 'Region', 'Ansatte'], skew: 'log', fitRows },
    { columns: ['Kunde siden', 'Aktiv', 'Besøg'], skew: 'none', asOf: 45_700 },
  ];

  /** The set with its typed arrays as exact bit patterns (NaN included), so toEqual compares bits. */
  function bits(set: FeatureSet): unknown {
    const exact = (values: Float64Array) => Array.from(new BigUint64Array(values.buffer, values.byteOffset, values.length));
    return { ...set, matrix: { ...set.matrix, data: exact(set.matrix.data) }, sources: set.sources.map((source) => ({ ...source, ...(source.values ? { values: exact(source.values) } : {}) })) };
  }

  it('reads the numbers, date, category, yes/no and joined column as the test means it to', () => {
    const set = buildFeatures(table, { exclude: ['Opsagt'] });
    expect(set.sources.map((source) => `${source.header}:${source.kind}`)).toEqual(['Omsætning:number', 'Kunde siden:date', 'Region:category', 'Aktiv:boolean', 'Besøg:number', 'Ansatte:number']);
    expect(set.sources.map((source) => source.missing)).toEqual([
      rows.filter((row, i) => i !== 17 && typeof row[1] !== 'number').length,
      rows.filter((row, i) => i !== 17 && row[2] === '').length,
      rows.filter((row, i) => i !== 17 && row[3] === null).length,
      0, 0,
      rows.filter((_, i) => i !== 17 && (i % 4 === 0 || i % 7 === 3)).length,
    ]);
  });

  it('gives every fit from one analysis, made one after another, as buildFeatures gives it from the table', () => {
    for (const rowsOption of [undefined, described]) {
      const analysis = analyseFeatures(table, { exclude: ['Opsagt'], ...(rowsOption ? { rows: rowsOption } : {}) });
      expect(analysis.candidates).toEqual(candidateFeatures(table, { exclude: ['Opsagt'], ...(rowsOption ? { rows: rowsOption } : {}) }));
      for (const options of fits) {
        const twoStep = fitFeatures(analysis, options);
        const oneStep = buildFeatures(table, { ...options, exclude: ['Opsagt'], ...(rowsOption ? { rows: rowsOption } : {}) });
        expect(bits(twoStep)).toEqual(bits(oneStep));
      }
    }
  });

  it('counts per row the chosen sources filled before imputing, and refuses an unknown header as a fit does', () => {
    const analysis = analyseFeatures(table, { exclude: ['Opsagt'] });
    const { sources, filled } = filledSources(analysis, ['Omsætning', 'Region', 'Ansatte']);
    expect(sources).toBe(3);
    const expected = rows.map((row, i) => (typeof row[1] === 'number' ? 1 : 0) + (row[3] === null ? 0 : 1) + (i === 17 || i % 4 === 0 || i % 7 === 3 ? 0 : 1));
    expect(Array.from(filled)).toEqual(expected);
    expect(() => filledSources(analysis, ['Tenure'])).toThrow(UnknownFeatureError);
    expect(() => fitFeatures(analysis, { columns: ['Tenure'] })).toThrow(UnknownFeatureError);
  });
});

describe('skew: log(1 + x) where the setting says so', () => {
  const random = mulberry32(12);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const rows = Array.from({ length: 2000 }, () => [Math.exp(8 + normal()), 100 + 10 * normal(), normal()]);
  const table = buildCustomerTable(['Lognormal', 'Normal', 'Signed'], rows);

  it('auto logs the lognormal amounts (skewness about 6) and not the normal ones (about 0)', () => {
    const set = buildFeatures(table, { skew: 'auto' });
    expect(set.sources.map((source) => source.transform)).toEqual(['log', 'none', 'none']);
    expect(set.sources[0].skewness).toBeGreaterThan(3);
    expect(Math.abs(set.sources[1].skewness!)).toBeLessThan(0.2);
    const logs = rows.map((row) => Math.log1p(row[0]));
    const mean = logs.reduce((sum, value) => sum + value, 0) / logs.length;
    expect(set.features[0].mean).toBeCloseTo(mean, 10);
    expect(set.matrix.data[0]).toBeCloseTo((logs[0] - mean) / set.features[0].sd, 10);
    expect(set.notes[0].en).toBe('Log-transformed (log(1 + x)) as heavily skewed: Lognormal.');
  });

  it('log logs every amount column that is never negative, none logs nothing', () => {
    expect(buildFeatures(table, { skew: 'log' }).sources.map((source) => source.transform)).toEqual(['log', 'log', 'none']);
    expect(buildFeatures(table, { skew: 'none' }).sources.map((source) => source.transform)).toEqual(['none', 'none', 'none']);
  });
});

describe('parseLabel', () => {
  it('reads churn labels as 1 (left), 0 (stayed) and blank or unknown as undefined', () => {
    const left: CellValue[] = ['Yes', 'ja', ' JA ', 1, '1', '1.0', 'TRUE', true, 'Churned', 'Opsagt', 'stoppet', 'x'];
    const stayed: CellValue[] = ['No', 'nej', 0, '0', 'false', false, 'FALSK', 'Active', 'aktiv'];
    expect(left.map(parseLabel)).toEqual(left.map(() => 1));
    expect(stayed.map(parseLabel)).toEqual(stayed.map(() => 0));
    expect([null, undefined, '', '  ', 2, 'maybe', new Date(0)].map(parseLabel)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('featureSetting', () => {
  it('gives the chosen headers, or undefined for every usable column', () => {
    expect(featureSetting({ features: ['tenure', 'Contract'] })).toEqual(['tenure', 'Contract']);
    expect(featureSetting({ features: [] })).toBeUndefined();
    expect(featureSetting({})).toBeUndefined();
  });
});

const TELCO = publicDataFile(path.join('churn', 'Telco-Customer-Churn.csv'));
const MLC = publicDataFile(path.join('churn', 'mlc_churn.csv'));

function readCsv(file: string): { headers: string[]; rows: string[][] } {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter(Boolean);
  return { headers: parseCsvLine(lines[0]), rows: lines.slice(1).map(parseCsvLine) };
}

describe('public churn data', () => {
  it.skipIf(!TELCO.present)(nameWithData('IBM Telco: customerID left out, TotalCharges\' 11 blanks imputed and flagged, Contract one-hot with 3 levels', TELCO), () => {
    const { headers, rows } = readCsv(TELCO.path);
    const set = buildFeatures(buildCustomerTable(headers, rows), { exclude: ['Churn'] });
    expect(set.leftOut.map((column) => [column.header, column.reason])).toEqual([['customerID', 'identifier'], ['Churn', 'excluded']]);
    const three = (header: string, levels: string[]) => levels.map((level) => `${header}: ${level}`);
    const service = (header: string) => three(header, ['No', 'Yes', 'No internet service']);
    expect(set.features.map((feature) => feature.name)).toEqual([
      'gender: Male', 'gender: Female', 'SeniorCitizen', 'Partner', 'Dependents', 'tenure', 'PhoneService',
      ...three('MultipleLines', ['No', 'Yes', 'No phone service']), ...three('InternetService', ['Fiber optic', 'DSL', 'No']),
      ...service('OnlineSecurity'), ...service('OnlineBackup'), ...service('DeviceProtection'), ...service('TechSupport'),
      ...three('StreamingTV', ['No', 'Yes', 'No internet service']), ...three('StreamingMovies', ['No', 'Yes', 'No internet service']),
      ...three('Contract', ['Month-to-month', 'Two year', 'One year']), 'PaperlessBilling',
      ...three('PaymentMethod', ['Electronic check', 'Mailed check', 'Bank transfer (automatic)']), 'PaymentMethod: Credit card (automatic)',
      'MonthlyCharges', 'TotalCharges', 'TotalCharges missing',
    ]);
    expect(set.matrix.rows).toBe(7043);
    expect(set.matrix.columns).toBe(set.features.length);
    const total = set.features.find((feature) => feature.name === 'TotalCharges')!;
    const charges = rows.map((row) => row[headers.indexOf('TotalCharges')].trim()).filter(Boolean).map(Number).sort((a, b) => a - b);
    expect(total.imputed).toBe(11);
    expect(total.imputedValue).toBe((charges[charges.length / 2 - 1] + charges[charges.length / 2]) / 2);
    // TotalCharges' skewness is 0.96, under the threshold of 1: auto leaves every Telco amount as it is.
    expect(set.sources.filter((source) => source.transform === 'log')).toEqual([]);
    const contract = set.features.find((feature) => feature.name === 'Contract: Month-to-month')!;
    expect(contract.mean).toBeCloseTo(3875 / 7043, 12);
    const blankRow = rows.findIndex((row) => row[headers.indexOf('TotalCharges')].trim() === '');
    expect(describeFeatureValue(set, set.features.indexOf(total), blankRow, 'en')).toBe('TotalCharges missing');
    // Every entry finite: learners may rely on it.
    expect(set.matrix.data.every(Number.isFinite)).toBe(true);
  });

  it.skipIf(!MLC.present)(nameWithData('MLC: state left out with its 51 levels, area_code one-hot, the skewed counts logged under auto', MLC), () => {
    const { headers, rows } = readCsv(MLC.path);
    const set = buildFeatures(buildCustomerTable(headers, rows), { exclude: ['churn'] });
    expect(set.leftOut.map((column) => [column.header, column.reason, column.why.en])).toEqual([
      ['state', 'tooManyLevels', '51 categories, more than 12'], ['churn', 'excluded', 'the model\'s label or reference column'],
    ]);
    expect(set.features.filter((feature) => feature.source === 'area_code').map((feature) => feature.level)).toEqual(['area_code_415', 'area_code_408', 'area_code_510']);
    expect(set.sources.filter((source) => source.kind === 'boolean').map((source) => source.header)).toEqual(['international_plan', 'voice_mail_plan']);
    expect(set.sources.filter((source) => source.transform === 'log').map((source) => source.header))
      .toEqual(['number_vmail_messages', 'total_intl_calls', 'number_customer_service_calls']);
    expect(set.features.length).toBe(20);
    const calls = set.features.findIndex((feature) => feature.source === 'number_customer_service_calls');
    expect(describeFeatureValue(set, calls, 0, 'en')).toBe(`number_customer_service_calls ${rows[0][headers.indexOf('number_customer_service_calls')]}`);
  });
});
