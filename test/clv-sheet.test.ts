import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildCustomerTable, customersFromLog, defaultSettings, getModel, holdoutSplit, LifetimeFitError, requireFinitePurchases, RUNAWAY_DROPOUT, segment, type ModelResult,
} from '../src/engine';
import { bgnbdConditionalExpected, bgnbdPAlive, fitBgNbd } from '../src/engine/lifetime/bgnbd';
import { dateToSerial, serialToJsDate } from '../src/engine/parse';
import { mulberry32 } from '../src/engine/random';
import { holdoutPreview } from '../src/taskpane/state/holdout';
import { openWorkbook } from '../src/workbook/xlsx/read';
import { drawnLog } from './support/drawn-log';
import { isoDay, runCli } from './support/cli-run';

/**
 * The CLV sheet (src/workbook/clv-sheet.ts) read back cell by cell from CLI runs on a seeded log
 * with a holdout; P(alive) recalculated by LibreOffice on the Customers sheet against the engine;
 * a BG/NBD fit that runs off refused; the pane's holdout table.
 */

const asDate = serialToJsDate;
const SPLIT = dateToSerial(2024, 9, 1);

/** A seeded log: 300 customers, first purchases early in 2024, purchase days to 2024-12-31 (support/drawn-log.ts). */
function seededLog(): string {
  return drawnLog(7, 300, dateToSerial(2024, 1, 1), dateToSerial(2024, 12, 31), isoDay).lines.join('\n');
}

/** The engine's clv result on the same log split at the same day, as the CLI computes it. */
function engineRun(csv: string) {
  const rows = csv.split('\n').slice(1).map((line) => line.split(','));
  const log = buildCustomerTable(['Customer ID', 'Order date', 'Amount'], rows.map(([id, date, amount]) => [id, date, Number(amount)]));
  const customers = customersFromLog(log, 'en', holdoutSplit(SPLIT));
  const settings = { ...defaultSettings(getModel('clv')), holdoutStart: SPLIT };
  const result = segment(customers.table, [{ id: 'clv', settings }]).results[0];
  return { table: customers.table, result };
}

function parameterValue(result: ModelResult, key: string): number {
  const found = result.parameters?.find((parameter) => parameter.key === key);
  if (!found) throw new Error(`no parameter ${key}`);
  return found.value;
}

function writeLog(): { dir: string; input: string; csv: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-clv-sheet-'));
  const input = path.join(dir, 'orders.csv');
  const csv = seededLog();
  writeFileSync(input, csv);
  return { dir, input, csv };
}

describe('the CLV sheet', () => {
  it('holds the fit as labelled cells, the holdout check and its line chart; P(alive) reads its cells by name; the Summary points at it', async () => {
    const { dir, input, csv } = writeLog();
    const target = path.join(dir, 'out.xlsx');
    const run = await runCli(['segment', input, '--model', 'clv', '--set', 'clv.holdoutStart=2024-09-01', '-o', target]);
    expect(run.err.filter((line) => /segmentkit:|left out/.test(line))).toEqual([]);
    expect(run.code).toBe(0);
    const { result } = engineRun(csv);
    const file = openWorkbook(readFileSync(target));
    expect(file.sheets.filter((sheet) => sheet.state === 'visible').map((sheet) => sheet.name)).toEqual(['Customers', 'Priority', 'Summary', 'CLV']);
    const rows = Array.from(file.readSheet('CLV').rows, (row) => row ?? []);
    expect(rows[0]).toEqual(['Customer lifetime value: the fit']);
    expect(rows[3]).toEqual(['Parameter', 'Value', 'Source or meaning']);
    const value = (key: string) => parameterValue(result, key);
    const correlation = value('spendCorrelation');
    const broken = Math.abs(correlation) >= 0.3;
    expect(rows.slice(4, 19)).toEqual([
      ['r', value('r')], ['alpha', value('alpha')], ['a', value('a')], ['b', value('b')], ['Log-likelihood', value('logLikelihood')],
      ['p', value('p')], ['q', value('q')], ['gamma', value('gamma')],
      // Calibration to the day before the holdout start.
      ['Calibration end', asDate(SPLIT - 1)], ['Holdout start', asDate(SPLIT)],
      ['Horizon, months', 12], ['Yearly discount rate', 0.1], ['Margin share', 1, 'no margin column and none set: CLV in revenue'],
      ['Frequency–spend correlation (Pearson r)', correlation, broken ? 'Gamma-Gamma\'s independence assumption looks broken (|r| ≥ 0.3)' : 'Gamma-Gamma\'s independence assumption holds (|r| < 0.3)'],
      ['Gamma-Gamma independence assumption', broken ? 'Looks broken' : 'Holds'],
    ]);
    // The fit is a real one: r, alpha, a, b as fitted on the calibration customers.
    expect(value('a')).toBeLessThan(RUNAWAY_DROPOUT);
    // The holdout check below the fit: the engine's table, cell by cell.
    const holdout = result.tables![0];
    const titleRow = rows.findIndex((row) => row[0] === holdout.title.en);
    expect(titleRow).toBe(20);
    expect(rows[titleRow + 1]).toEqual(holdout.columns.map((column) => column.label.en));
    const shown = (cell: number | { en: string }) => (typeof cell === 'number' ? (Number.isNaN(cell) ? undefined : Number(cell.toPrecision(10))) : cell.en);
    expect(rows.slice(titleRow + 2, titleRow + 11).map((row) => row.slice(0, 7).map((cell) => (typeof cell === 'number' ? Number(cell.toPrecision(10)) : cell))))
      .toEqual(holdout.rows.map((row) => row.map(shown)));
    const line = file.archive.entries.filter((entry) => /^xl\/charts\/chart\d+\.xml$/.test(entry.name)).map((entry) => file.archive.text(entry))
      .find((xml) => xml.includes('<c:lineChart>'));
    expect(line).toContain(`<c:f>'CLV'!$C$${titleRow + 3}:$C$${titleRow + 10}</c:f>`);
    expect(line).toContain(`<c:f>'CLV'!$D$${titleRow + 3}:$D$${titleRow + 10}</c:f>`);
    // The names P(alive) reads point at the CLV sheet's cells.
    const workbookXml = file.archive.text(file.archive.entries.find((entry) => entry.name === 'xl/workbook.xml')!);
    for (const [name, row] of [['SK_CLV_R', 5], ['SK_CLV_Alpha', 6], ['SK_CLV_A', 7], ['SK_CLV_B', 8]] as const) {
      expect(workbookXml).toContain(`<definedName name="${name}">'CLV'!$B$${row}</definedName>`);
    }
    // The Summary keeps the segment lines and cuts, no parameter rows and no holdout table, and says where the fit is.
    const summary = Array.from(file.readSheet('Summary').rows, (row) => row ?? []);
    expect(summary.some((row) => row[0] === 'alpha' || row[0] === holdout.title.en)).toBe(false);
    expect(summary.some((row) => row[0] === 'Top cut (CLV), over the customers not Likely lost')).toBe(true);
    expect(summary.map((row) => row[0])).toContain('The fit (every parameter, labelled), the holdout check and its chart are on the sheet "CLV".');

    // Danish: the sheet keeps its name, the labels are Danish.
    const ud = path.join(dir, 'ud.xlsx');
    expect((await runCli(['segment', input, '--model', 'clv', '--set', 'clv.holdoutStart=2024-09-01', '--lang', 'da', '-o', ud])).code).toBe(0);
    const danish = openWorkbook(readFileSync(ud));
    expect(danish.sheets.filter((sheet) => sheet.state === 'visible').map((sheet) => sheet.name)).toEqual(['Kunder', 'Prioritet', 'Oversigt', 'CLV']);
    const da = Array.from(danish.readSheet('CLV').rows, (row) => row ?? []);
    expect(da[0]).toEqual(['Kundelevetidsværdi: estimationen']);
    expect(da.slice(4, 19).map((row) => row[0])).toEqual([
      'r', 'alpha', 'a', 'b', 'Log-likelihood', 'p', 'q', 'gamma', 'Kalibreringsslut', 'Holdout-start', 'Horisont, måneder', 'Årlig diskonteringsrente',
      'Dækningsgrad', 'Korrelation mellem købshyppighed og beløb (Pearson r)', 'Gamma-Gammas uafhængighedsantagelse',
    ]);
    expect(da[4][1]).toBe(value('r'));
    expect(da[16][2]).toBe('ingen kolonne med dækningsbidrag og ingen sat: CLV i omsætning');
  });
});

const RECALC_PROFILE = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>`;
const hasSoffice = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).status === 0;

/**
 * The workbook as LibreOffice recalculates it on load (as recalc-as-excel does), saved again as
 * .xlsx so the results come back at full precision rather than as displayed text.
 */
function recalculatedCopy(file: string): string {
  const profile = mkdtempSync(path.join(tmpdir(), 'segmentkit-lo-'));
  execFileSync('mkdir', ['-p', path.join(profile, 'user')]);
  writeFileSync(path.join(profile, 'user', 'registrymodifications.xcu'), RECALC_PROFILE);
  const out = mkdtempSync(path.join(tmpdir(), 'segmentkit-recalc-'));
  execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${profile}`, '--convert-to', 'xlsx', '--outdir', out, file], { stdio: 'pipe' });
  return path.join(out, readdirSync(out)[0]);
}

/** Sets a named cell of the saved file with openpyxl, which keeps every formula and name. */
function setNamedCell(file: string, name: string, value: number): void {
  const script = `
import sys, openpyxl
path, name, value = sys.argv[1], sys.argv[2], float(sys.argv[3])
wb = openpyxl.load_workbook(path)
sheet, cell = next(wb.defined_names[name].destinations)
wb[sheet][cell.replace('$', '')].value = value
wb.save(path)
`;
  execFileSync('/usr/bin/python3', ['-c', script, file, name, String(value)], { stdio: 'pipe' });
}

describe.skipIf(!hasSoffice)('P(alive) recalculated without SegmentKit (LibreOffice)', () => {
  it('on the Customers sheet a log becomes: an ordinary formula over its columns and the CLV sheet, equal to the engine to 1e-9, and following an edited a', async () => {
    const { dir, input, csv } = writeLog();
    const target = path.join(dir, 'out.xlsx');
    expect((await runCli(['segment', input, '--model', 'clv', '--set', 'clv.holdoutStart=2024-09-01', '-o', target])).code).toBe(0);
    const { table, result } = engineRun(csv);
    const written = openWorkbook(readFileSync(target)).readSheet('Customers');
    const header = written.rows[0] as string[];
    const column = header.indexOf('P(alive)');
    const letter = String.fromCharCode(65 + column);
    const [x, tx, T] = ['Repeat purchases', 'Recency (weeks)', 'Age (weeks)'].map((name) => String.fromCharCode(65 + header.indexOf(name)));
    // The Customers sheet's part: the one with the log's summary columns.
    const book = openWorkbook(readFileSync(target));
    const customersXml = book.archive.entries.filter((entry) => /^xl\/worksheets\/sheet\d+\.xml$/.test(entry.name)).map((entry) => book.archive.text(entry))
      .find((xml) => xml.includes('<t>Recency (weeks)</t>'))!;
    // One shared formula down the whole column, written on its first data row.
    const formula = `IF(AND(ISNUMBER(${x}2),ISNUMBER(${tx}2),ISNUMBER(${T}2)),IF(OR(${x}2=0,SK_CLV_A=0),1,1/(1+EXP(MIN(700,LN(SK_CLV_A)-LN(SK_CLV_B+${x}2-1)+(SK_CLV_R+${x}2)*(LN(SK_CLV_Alpha+${T}2)-LN(SK_CLV_Alpha+${tx}2)))))),&quot;&quot;)`;
    expect(customersXml.includes(`<f t="shared" ref="${letter}2:${letter}${table.rowCount + 1}" si="0">${formula}</f>`)).toBe(true);
    expect(customersXml.includes(`<c r="${letter}3" s="6"><f t="shared" si="0"/>`)).toBe(true);
    const pAliveMetric = result.metrics.find((metric) => metric.key === 'clv.pAlive');
    if (!pAliveMetric || pAliveMetric.format === 'text') throw new Error('no P(alive) metric');
    const pAlive = pAliveMetric;
    const compare = (file: string, expected: (row: number) => number) => {
      const rows = openWorkbook(readFileSync(file)).readSheet('Customers').rows;
      let compared = 0;
      for (let i = 0; i < table.rowCount; i++) {
        const cell = rows[i + 1]?.[column];
        if (Number.isNaN(expected(i))) {
          expect(cell ?? '').toBe('');
          continue;
        }
        expect(typeof cell).toBe('number');
        expect(Math.abs((cell as number) - expected(i))).toBeLessThan(1e-9);
        compared++;
      }
      return compared;
    };
    expect(compare(recalculatedCopy(target), (i) => pAlive.values[i])).toBe(table.rowCount);
    // Edit a on the CLV sheet: every P(alive) follows, as BG/NBD gives it with the new a.
    const params = { r: parameterValue(result, 'r'), alpha: parameterValue(result, 'alpha'), a: parameterValue(result, 'a') * 3, b: parameterValue(result, 'b') };
    setNamedCell(target, 'SK_CLV_A', params.a);
    const x_ = table.numbers.repeatPurchases!;
    const tx_ = table.numbers.recencyWeeks!;
    const T_ = table.numbers.ageWeeks!;
    const changed = compare(recalculatedCopy(target), (i) => (Number.isNaN(x_[i]) ? NaN : bgnbdPAlive(params, x_[i], tx_[i], T_[i])));
    expect(changed).toBe(table.rowCount);
  }, 120_000);
});

/** Customers in a BG/NBD world where everyone drops out with the same probability (1.5 % after each purchase): the dropout Beta's a and b run off. */
function homogeneousDropout(seed: number): { x: number[]; tx: number[]; T: number[] } {
  const uniform = mulberry32(seed);
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  for (let c = 0; c < 1500; c++) {
    const age = 20 + 30 * uniform();
    const rate = 0.15 * (-Math.log(1 - uniform()) - Math.log(1 - uniform()));
    let t = 0;
    let n = 0;
    let last = 0;
    for (;;) {
      t += -Math.log(1 - uniform()) / rate;
      if (t > age) break;
      n++;
      last = t;
      if (uniform() < 0.015) break;
    }
    x.push(n);
    tx.push(last);
    T.push(age);
  }
  return { x, tx, T };
}

describe('a BG/NBD fit that runs off', () => {
  it('is the limit where everyone shares one dropout probability p, fitted and stated, with CLV given; never runaway a, b and NaN', () => {
    const data = homogeneousDropout(4);
    const fit = fitBgNbd(data);
    // The four-parameter search drives a and b far past any estimate (a ≈ 5e5, b ≈ 3e7 on this seed), towards a/(a+b) = p:
    // the data were drawn with p = 0.015 for everyone, and the limit fitted on its own recovers it.
    expect(fit.edge.searched.params.a).toBeGreaterThan(RUNAWAY_DROPOUT);
    expect(fit.edge.kind).toBe('limit');
    expect(fit.edge.limit!.p).toBeGreaterThan(0.01);
    expect(fit.edge.limit!.p).toBeLessThan(0.02);
    expect(Number.isFinite(bgnbdConditionalExpected(fit.params, 52, 2, 10, 30))).toBe(true);
    // Before: NaN, as eq. 10's series gives at a + b in the tens of millions.
    expect(bgnbdConditionalExpected(fit.edge.searched.params, 52, 2, 10, 30)).toBeNaN();
    const table = buildCustomerTable(['Customer ID', 'Repeat purchases', 'Recency (weeks)', 'Age (weeks)', 'Mean repeat spend', 'Revenue'],
      data.x.map((x, i) => [`K${i}`, x, data.tx[i], data.T[i], x > 0 ? 100 + (i % 50) : 0, (x + 1) * (100 + (i % 50))]));
    const segmentation = segment(table, [{ id: 'pareto', settings: defaultSettings(getModel('pareto')) }, { id: 'clv', settings: defaultSettings(getModel('clv')) }]);
    expect(segmentation.results.map((result) => result.modelId)).toEqual(['pareto', 'clv']);
    const notes = segmentation.results[1].notes;
    expect(notes.find((note) => note.en.includes('edge of the model'))!.en).toMatch(/^BG\/NBD's likelihood is highest at the edge of the model where a and b run off to infinity with a\/\(a\+b\) → p = 0\.01\d{2} \(the search ran off to a [\d,.]+, b [\d,.]+\): every customer has the same probability p/);
    expect(notes.find((note) => note.da.includes('kanten af modellen'))!.da).toMatch(/^Likelihood for BG\/NBD er størst i kanten af modellen, hvor a og b løber mod uendelig med a\/\(a\+b\) → p = 0,01\d{2} /);
  });

  it('refuses expected purchases that are no number for most customers, and lets a few through', () => {
    expect(() => requireFinitePurchases(Float64Array.from([1, NaN, NaN]))).toThrow(LifetimeFitError);
    try {
      requireFinitePurchases(Float64Array.from([1, NaN, NaN, Infinity]));
    } catch (error) {
      expect((error as LifetimeFitError).text).toEqual({
        en: 'BG/NBD\'s fit gives no number of expected purchases for 3 / 4 customers (the fitted parameters make its series diverge), so no CLV is given rather than an empty column',
        da: 'BG/NBD-estimationen giver intet antal forventede køb for 3 / 4 kunder (de estimerede parametre får rækken til at divergere), så der gives ingen CLV frem for en tom kolonne',
      });
    }
    expect(() => requireFinitePurchases(Float64Array.from([1, 2, NaN, 4]))).not.toThrow();
  });

  it('says P(alive) = 1 by construction in the reason of a customer without a repeat purchase', () => {
    const { table, result } = engineRun(seededLog());
    const oneTime = Array.from({ length: table.rowCount }, (_, i) => i).find((i) => table.numbers.repeatPurchases![i] === 0)!;
    expect(result.explain(oneTime).en).toMatch(/^P\(alive\) = 1 by construction: no repeat purchase yet \(BG\/NBD, not MBG\/NBD\); /);
    expect(result.explain(oneTime).da).toMatch(/^P\(i live\) = 1 pr\. konstruktion: intet genkøb endnu \(BG\/NBD, ikke MBG\/NBD\); /);
  });
});

describe('the pane\'s holdout preview', () => {
  it('shows predicted against actual per customer by calibration repeat purchases, and the total, in English and Danish', () => {
    const { result } = engineRun(seededLog());
    const table = result.tables![0];
    const f = (value: number, decimals: number, locale: string) => (Number.isFinite(value) ? value.toLocaleString(locale, { maximumFractionDigits: decimals }) : '–');
    const en = holdoutPreview(result, 'en')!;
    expect(en.columns).toEqual(['Repeat purchases in calibration', 'Customers', 'Predicted per customer', 'Actual per customer']);
    expect(en.rows).toEqual(table.rows.slice(0, -1).map((row) => [
      typeof row[0] === 'number' ? String(row[0]) : (row[0] as { en: string }).en,
      f(row[1] as number, 0, 'en-US'), f(row[2] as number, 3, 'en-US'), f(row[3] as number, 3, 'en-US'),
    ]));
    expect(en.rows[7][0]).toBe('7+');
    const total = table.rows[table.rows.length - 1] as number[];
    expect(en.total).toBe(`Total: Predicted ${f(total[4], 1, 'en-US')} · Actual ${f(total[5], 0, 'en-US')} · Predicted ÷ actual ${f(total[6], 3, 'en-US')}`);
    const da = holdoutPreview(result, 'da')!;
    expect(da.columns[3]).toBe('Faktisk pr. kunde');
    expect(da.total).toBe(`I alt: Forudsagt ${f(total[4], 1, 'da-DK')} · Faktisk ${f(total[5], 0, 'da-DK')} · Forudsagt ÷ faktisk ${f(total[6], 3, 'da-DK')}`);
    // No holdout start: nothing to show.
    const rows = seededLog().split('\n').slice(1).map((line) => line.split(','));
    const customers = customersFromLog(buildCustomerTable(['Customer ID', 'Order date', 'Amount'], rows.map(([id, date, amount]) => [id, date, Number(amount)])), 'en').table;
    const without = segment(customers, [{ id: 'clv', settings: defaultSettings(getModel('clv')) }]).results[0];
    expect(holdoutPreview(without, 'en')).toBeNull();
  });
});
