import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { buildCustomerTable, customersFromLog, defaultSettings, getModel, segment, summarize, tierName, type CellValue } from '../src/engine';
import { openWorkbook } from '../src/workbook/xlsx/read';
import { simulateBgNbd } from '../src/engine/lifetime/simulate';
import { onlineRetailLog } from './support/cdnow';
import { plainValue } from './support/exceljs-cells';
import { nameWithData, ONLINE_RETAIL } from './support/public-data';

const SAMPLE = path.resolve(__dirname, '..', 'assets', 'sample-customers.xlsx');

async function runCli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

async function sheetRows(file: string, name: string): Promise<{ sheet: ExcelJS.Worksheet; rows: CellValue[][] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.getWorksheet(name)!;
  const rows: CellValue[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: CellValue[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) cells.push(plainValue(row.getCell(c).value));
    rows.push(cells);
  });
  return { sheet, rows };
}

const utc = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day));

describe('segmentkit segment on a transaction log', () => {
  it('writes a new workbook of a CSV log: a Kunder sheet, one row per customer, with the summary and RFM columns, no copy of the log, and leaves CLV out with why', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-log-'));
    const input = path.join(dir, 'ordrer.csv');
    writeFileSync(input, [
      'Kundenr;Fakturadato;Fakturanr;Antal;Stykpris',
      'K1;2024-01-05;F1;2;50', 'K1;2024-01-05;F2;1;30', 'K2;2024-01-10;F3;1;200', ';2024-01-11;F4;1;10',
      'K1;2024-02-01;F5;3;10', 'K2;2024-02-10;C6;-1;200', 'K2;2024-03-01;F7;2;25', 'K3;2024-03-01;F8;1;80',
    ].join('\n'));
    const target = path.join(dir, 'ud.xlsx');
    const run = await runCli(['segment', input, '--model', 'rfm,clv', '--lang', 'da', '-o', target]);
    expect(run.code).toBe(0);
    expect(run.err).toContain('Kundelevetidsværdi udeladt: BG/NBD kan ikke estimeres ud fra 2 genkøbere (der skal mindst 20 kunder med køb på to eller flere dage til).');
    expect(run.err).toContain('Loggen (8 linjer) blev læst fra CSV-filen; projektmappen har én række pr. kunde: 3 på arket "Kunder".');
    expect(run.out[0]).toBe('ordrer.csv: 3 kunder på arket "Kunder", 0 problem(er).');
    expect(run.out[1]).toBe('RFM-segmenter: Topkunder 0, Loyale 0, Potentielt loyale 0, Nye 0, Lovende 0, Kræver opmærksomhed 0, Ved at sove ind 0, I risiko 1, Må ikke mistes 0, I dvale 2, Tabte 0');
    expect(run.out).toContain('  1 linjer uden kundenummer i "Kundenr" (A) blev udeladt, aldrig gættet: række 5.');
    const { rows } = await sheetRows(target, 'Kunder');
    expect(rows).toEqual([
      ['Kundenr', 'Første køb', 'Seneste køb', 'Antal ordrer', 'Omsætning', 'Genkøb', 'Seneste køb (uger)', 'Alder (uger)', 'Gns. genkøbsbeløb',
        'Segment RFM', 'R-score', 'F-score', 'M-score', 'RFM-kode', 'Dage siden seneste køb'],
      // As of 2024-03-02: K1 30 days, K2 and K3 1 day; R by min-rank share of −days: 1, 2, 2; F (3, 2, 1 orders): 4, 2, 1; M (160, 50, 80): 4, 1, 2.
      ['K1', utc(2024, 1, 5), utc(2024, 2, 1), 3, 160, 1, 27 / 7, 8, 30, 'I risiko', 1, 4, 4, '144', 30],
      ['K2', utc(2024, 1, 10), utc(2024, 3, 1), 2, 50, 1, 51 / 7, 51 / 7, 50, 'I dvale', 2, 2, 1, '221', 1],
      ['K3', utc(2024, 3, 1), utc(2024, 3, 1), 1, 80, 0, 0, 0, 0, 'I dvale', 2, 1, 2, '212', 1],
    ]);
    // The log is not copied into the workbook: the customers, the Priority and the Summary sheets, and SegmentKit's hidden state.
    expect(openWorkbook(readFileSync(target)).sheets.map((sheet) => [sheet.name, sheet.state])).toEqual([
      ['Kunder', 'visible'], ['Prioritet', 'visible'], ['Oversigt', 'visible'], ['SegmentKit_State', 'veryHidden'],
    ]);
  });

  it('joins --transactions onto the customer table by customer id: the log\'s columns, RFM and a live P(alive), empty where a customer has no purchase', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-join-'));
    const log = path.join(dir, 'orders.csv');
    const lines = ['Customer ID,Order date,Invoice,Amount'];
    // 200 of the sample's customers with histories drawn from BG/NBD (CDNOW's parameters), purchases spread evenly up to
    // each one's last, all in weeks before 2026-06-30; and one customer the table does not have.
    const drawn = simulateBgNbd({ r: 0.5, alpha: 4, a: 0.8, b: 2.4 }, 200, 7);
    const end = Date.UTC(2026, 5, 30);
    const iso = (daysBeforeEnd: number) => new Date(end - Math.round(daysBeforeEnd) * 86_400_000).toISOString().slice(0, 10);
    for (let c = 0; c < 200; c++) {
      const first = Math.round(drawn.T[c] * 7);
      for (let k = 0; k <= drawn.x[c]; k++) {
        const day = drawn.x[c] === 0 ? 0 : Math.round((drawn.tx[c] * 7 * k) / drawn.x[c]);
        // Spend around a mean of the customer's own (20 to 500), ±20 % from purchase to purchase.
        const spend = (20 + ((c * 97) % 480)) * (0.8 + ((c * 13 + k * 29) % 40) / 100);
        lines.push(`K${10001 + c},${iso(first - day)},I${c}-${k},${spend.toFixed(2)}`);
      }
    }
    lines.push('K99999,2026-03-01,I-x,100', 'K99999,2026-04-01,I-y,100');
    writeFileSync(log, lines.join('\n'));
    const target = path.join(dir, 'out.xlsx');
    const run = await runCli(['segment', SAMPLE, '--model', 'rfm,clv', '--transactions', log, '-o', target]);
    expect(run.err.filter((line) => /left out/.test(line))).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('  1,800 customers of the table have no purchase in the transaction log: their RFM and CLV cells stay empty.');
    expect(run.out).toContain('  1 customers in the transaction log are not in the customer table and are left out.');
    const { sheet, rows } = await sheetRows(target, 'Kunder');
    const header = rows[0];
    expect(header.slice(12, 21)).toEqual(['First purchase', 'Last order', 'Orders', 'Revenue', 'Repeat purchases', 'Recency (weeks)', 'Age (weeks)', 'Mean repeat spend', 'Segment RFM']);
    const at = (name: string) => header.indexOf(name);
    // K10001 is the first drawn history: its first purchase T weeks before the end, x repeat purchases, the last t_x weeks after the first.
    const k1 = rows[1];
    expect(k1[0]).toBe('K10001');
    const firstDay = new Date(end - Math.round(drawn.T[0] * 7) * 86_400_000);
    expect([k1[at('First purchase')], k1[at('Repeat purchases')], k1[at('Orders')]]).toEqual([firstDay, drawn.x[0], drawn.x[0] + 1]);
    expect(k1[at('Age (weeks)')]).toBeCloseTo(Math.round(drawn.T[0] * 7) / 7, 12);
    expect(k1[at('Segment RFM')]).toEqual(expect.any(String));
    expect(k1[at('Segment CLV')]).toEqual(expect.any(String));
    // A customer without a purchase in the log gets empty cells, not a guess.
    const k50 = rows[250];
    expect(k50[0]).toBe('K10250');
    expect([k50[at('Last order')], k50[at('Segment RFM')], k50[at('Segment CLV')], k50[at('P(alive)')]]).toEqual([null, null, null, null]);
    // P(alive) is an ordinary formula over the row's joined columns and the fitted parameters, named cells of the CLV sheet.
    const formula = sheet.getRow(2).getCell(at('P(alive)') + 1).formula ?? '';
    expect(formula).toMatch(/^IF\(AND\(ISNUMBER\(Q2\),ISNUMBER\(R2\),ISNUMBER\(S2\)\),IF\(Q2=0,1,1\/\(1\+EXP\(MIN\(700,LN\(SK_CLV_A\)-LN\(SK_CLV_B\+Q2-1\)\+\(SK_CLV_R\+Q2\)\*\(LN\(SK_CLV_Alpha\+S2\)-LN\(SK_CLV_Alpha\+R2\)\)\)\)\)\),""\)$/);
  });

  it.skipIf(!ONLINE_RETAIL.present)(nameWithData('takes UCI Online Retail whole, in under a minute, with the segment counts the engine gives on the log parsed apart', ONLINE_RETAIL), async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-retail-'));
    const input = path.join(dir, 'online_retail.csv');
    writeFileSync(input, gunzipSync(readFileSync(ONLINE_RETAIL.path)));
    const target = path.join(dir, 'out.xlsx');
    const started = performance.now();
    const run = await runCli(['segment', input, '--model', 'rfm,clv', '-o', target]);
    const seconds = (performance.now() - started) / 1000;
    console.log(`UCI Online Retail through the CLI (rfm, clv): ${seconds.toFixed(1)} s`);
    expect(run.code).toBe(0);
    expect(seconds).toBeLessThan(60);
    expect(run.err).toContain('The log (541,909 lines) was read from the CSV; the workbook holds one row per customer: 4,372 on the sheet "Customers".');
    const file = openWorkbook(readFileSync(target));
    expect(file.sheets.filter((sheet) => sheet.state === 'visible').map((sheet) => sheet.name)).toEqual(['Customers', 'Priority', 'Summary', 'CLV']);
    const [header, ...customerRows] = file.readSheet('Customers').rows.map((row) => row ?? []);
    expect(customerRows).toHaveLength(4372);
    const segmentColumn = header.indexOf('Segment RFM');
    const written = new Map<string, number>();
    for (const row of customerRows) written.set(String(row[segmentColumn] ?? '-'), (written.get(String(row[segmentColumn] ?? '-')) ?? 0) + 1);
    // The same log parsed by the test's own reader, summarised and segmented by the engine.
    const retail = onlineRetailLog();
    const table = buildCustomerTable(['CustomerID', 'InvoiceDate', 'InvoiceNo', 'Amount'], retail.customer.map((customer, i) => [customer ?? null, retail.day[i], retail.invoice[i], retail.amount[i]]));
    const customers = customersFromLog(table, 'en');
    const result = segment(customers.table, [{ id: 'rfm', settings: defaultSettings(getModel('rfm')) }]).results[0];
    const expected = new Map(summarize(customers.table, getModel('rfm'), result).filter((line) => line.customers > 0)
      .map((line) => [line.tierIndex < 0 ? '-' : tierName(getModel('rfm').tiers[line.tierIndex], 'en'), line.customers]));
    expect(written).toEqual(expected);
    expect(expected.get('Champions')).toBe(577);
  }, 180_000);
});
