import ExcelJS from 'exceljs';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildCustomerTable, customersFromLog, defaultSettings, getModel, segment, summarize, tierName, type CellValue } from '../src/engine';
import { PackageWorkbook } from '../src/workbook/xlsx/package-workbook';
import { openWorkbook } from '../src/workbook/xlsx/read';
import { simulateBgNbd } from '../src/engine/lifetime/simulate';
import { onlineRetailLog } from './support/cdnow';
import { plainValue } from './support/exceljs-cells';
import { nameWithData, ONLINE_RETAIL } from './support/public-data';
import { runCli } from './support/cli-run';

const SAMPLE = path.resolve(__dirname, '..', 'assets', 'sample-customers.xlsx');

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
    expect(run.out).toContain('  1 linje uden kundenummer i "Kundenr" (A) blev udeladt, aldrig gættet: række 5.');
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
    expect(run.out).toContain('  2,100 customers of the table have no purchase in the transaction log: their RFM and CLV cells stay empty.');
    expect(run.out).toContain('  1 customer in the transaction log is not in the customer table and is left out.');
    const { sheet, rows } = await sheetRows(target, 'Kunder');
    const header = rows[0];
    expect(header.slice(17, 26)).toEqual(['First purchase', 'Last order', 'Orders', 'Revenue', 'Repeat purchases', 'Recency (weeks)', 'Age (weeks)', 'Mean repeat spend', 'Segment RFM']);
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
    expect(formula).toMatch(/^IF\(AND\(ISNUMBER\(V2\),ISNUMBER\(W2\),ISNUMBER\(X2\)\),IF\(OR\(V2=0,SK_CLV_A=0\),1,1\/\(1\+EXP\(MIN\(700,LN\(SK_CLV_A\)-LN\(SK_CLV_B\+V2-1\)\+\(SK_CLV_R\+V2\)\*\(LN\(SK_CLV_Alpha\+X2\)-LN\(SK_CLV_Alpha\+W2\)\)\)\)\)\),""\)$/);
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

/** The sample's customer table as the CLI reads it, and the engine's RFM on it with the settings given. */
describe('segmentkit segment on a log whose dates are not ISO', () => {
  const write = (name: string, lines: string[]) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-dates-'));
    const input = path.join(dir, name);
    writeFileSync(input, `${lines.join('\n')}\n`);
    return { input, target: path.join(dir, 'ud.xlsx') };
  };
  const header = 'InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice';

  it('reads an American export month first, with its times, when a day above 12 tells the order, and says so', async () => {
    // UCI Online Retail's original format: m/d/yyyy h:mm. 12/13/2010 can only be 13 December.
    const { input, target } = write('retail.csv', [header, '1,K1,12/1/2010 8:26,2,1.5', '2,K2,12/13/2010 9:00,1,2', '3,K1,1/5/2011 10:00 AM,3,1']);
    const run = await runCli(['segment', input, '-m', 'rfm', '-o', target]);
    expect(run.code).toBe(0);
    expect(run.err.filter((line) => line.includes('is not a date'))).toEqual([]);
    expect(run.out).toContain('  R, F and M from the transaction log: each customer\'s last purchase, distinct orders and net revenue (purchases minus credit notes) up to 2011-01-05.');
    expect(run.out).toContain('  The dates in "InvoiceDate" (C) are read month first, as an American export writes them (12/13/2010 is 13 December 2010): 1 can only be read that way.');
    const { rows } = await sheetRows(target, 'Customers');
    expect(rows.slice(1).map((row) => [row[0], row[1], row[2]])).toEqual([['K1', utc(2010, 12, 1), utc(2011, 1, 5)], ['K2', utc(2010, 12, 13), utc(2010, 12, 13)]]);
  });

  it('says when no date tells the order, and reads day first as Danish sheets write them', async () => {
    const { input, target } = write('log.csv', [header, '1,K1,12/1/2010,2,1.5', '2,K2,12/3/2010,1,2', '3,K1,1/5/2011,3,1']);
    const run = await runCli(['segment', input, '-m', 'rfm', '-o', target, '--lang', 'da']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('  Alle datoer i "InvoiceDate" (C) kan læses både med dagen og med måneden først (ingen dag er over 12): de læses med dagen først, som danske ark skriver dem (12/1/2010 er 12. januar 2010). Skriver filen måneden først, som en amerikansk eksport gør, så gem datoerne som 2010-12-01, og kør igen.');
  });

  it('stops with one sentence naming the columns when no line has a readable date, and names only the first 20 unreadable cells', async () => {
    const lines = [header, ...Array.from({ length: 25 }, (_, i) => `${i},K${i % 4},soon,1,2`)];
    const { input, target } = write('log.csv', lines);
    const run = await runCli(['segment', input, '-m', 'rfm,clv', '-o', target]);
    expect(run.code).toBe(1);
    expect(run.err.filter((line) => line.includes('is not a date'))).toHaveLength(20);
    expect(run.err).toContain('… and 5 more cells that could not be read, each left out as above: "InvoiceDate" (C) 5.');
    expect(run.err.at(-1)).toBe('segmentkit: No line of the transaction log has a customer id in "CustomerID" (B) with a readable date in "InvoiceDate" (C) and amount in "Quantity" (D) × "UnitPrice" (E) (25 lines without a readable date or amount, 0 lines without a customer id): there is nothing to summarise. Check that the columns are the right ones, and the dates are written as 2024-03-01 or 01-03-2024.');
    expect(readdirSync(path.dirname(target))).toEqual(['log.csv']);
  });
});

async function sampleRfm(settings: Record<string, string>) {
  const snapshot = await PackageWorkbook.open(readFileSync(SAMPLE), { sheet: 'Kunder' }).readTable();
  const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
  const result = segment(table, [{ id: 'rfm', settings: { ...defaultSettings(getModel('rfm')), ...settings } }]).results[0];
  const metric = (key: string): number[] => {
    const found = result.metrics.find((candidate) => candidate.key === key);
    if (!found || found.format === 'text') throw new Error(`RFM has no number metric ${key}.`);
    return Array.from(found.values);
  };
  return { tiers: Array.from(result.tiers, (tier) => (tier < 0 ? null : getModel('rfm').tiers[tier].id)), r: metric('rfm.r'), f: metric('rfm.f'), m: metric('rfm.m') };
}

/** A column of a written sheet by its header, below the header row. */
function columnOf(rows: CellValue[][], header: string): CellValue[] {
  const column = rows[0].indexOf(header);
  expect(column, header).toBeGreaterThanOrEqual(0);
  return rows.slice(1).map((row) => row[column] ?? null);
}

describe('segmentkit segment: rfm and clv from the command line', () => {
  it('takes choice settings with --set by their option value (any case), and refuses another value with the choices, exit 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-choice-'));
    const target = path.join(dir, 'out.xlsx');
    const run = await runCli(['segment', SAMPLE, '-m', 'rfm', '--values-only', '--set', 'rfm.groups=4', '--set', 'rfm.monetary=PERORDER', '-o', target]);
    expect(run.code).toBe(0);
    const expected = await sampleRfm({ groups: '4', monetary: 'perOrder' });
    const { rows } = await sheetRows(target, 'Kunder');
    expect(columnOf(rows, 'Segment RFM')).toEqual(expected.tiers);
    expect(columnOf(rows, 'R score')).toEqual(expected.r.map((score) => (Number.isNaN(score) ? null : score)));
    expect(columnOf(rows, 'F score')).toEqual(expected.f.map((score) => (Number.isNaN(score) ? null : score)));
    expect(columnOf(rows, 'M score')).toEqual(expected.m.map((score) => (Number.isNaN(score) ? null : score)));
    // Four groups, on revenue per order: the scores run 1–4, and M differs from the total revenue's.
    expect(expected.m.reduce((highest, score) => (score > highest ? score : highest), 0)).toBe(4);
    const total = await sampleRfm({ groups: '4' });
    expect(expected.m.filter((score, c) => score !== total.m[c]).length).toBeGreaterThan(100);

    const refused = await runCli(['segment', SAMPLE, '-m', 'rfm', '--set', 'rfm.groups=6', '-o', path.join(dir, 'refused.xlsx')]);
    expect([refused.code, refused.err.at(-1)]).toEqual([2, 'segmentkit: --set rfm.groups=6: not one of the choices: 5, 4, 3.']);
    const danish = await runCli(['segment', SAMPLE, '-m', 'rfm', '--set', 'rfm.monetary=snit', '--lang', 'da', '-o', path.join(dir, 'refused.xlsx')]);
    expect([danish.code, danish.err.at(-1)]).toEqual([2, 'segmentkit: --set rfm.monetary=snit: ikke et af valgene: total, perOrder.']);
    expect(readdirSync(dir)).toEqual(['out.xlsx']);
  });

  it('reads --transactions FILE:Sheet: the sample\'s own Ordrer sheet beside its Kunder table gives the RFM of the log read alone, and the log sheet is carried over', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-sheet-'));
    const target = path.join(dir, 'out.xlsx');
    const joined = await runCli(['segment', SAMPLE, '--transactions', `${SAMPLE}:Ordrer`, '-m', 'rfm,clv', '-o', target]);
    expect(joined.err.filter((line) => /left out|skipped/.test(line))).toEqual([]);
    expect(joined.code).toBe(0);
    const alone = await runCli(['segment', SAMPLE, '-s', 'Ordrer', '-m', 'rfm', '-o', path.join(dir, 'alone.xlsx')]);
    expect(alone.code).toBe(0);
    const rfmLine = (out: string[]) => out.find((line) => line.startsWith('RFM segments:'));
    // The 300 prospects below the customers have no purchase in the log: no segment ("-").
    expect(rfmLine(joined.out)).toBe(`${rfmLine(alone.out)}, - 300`);
    expect(joined.out).toContain('  Transaction log: 2,000 customers from 37,626 lines; purchases on the same day count as one.');
    expect(joined.out).toContain('  Margin share 24.9 %: the table\'s contribution margin ÷ revenue, over all customers with both.');
    const { rows } = await sheetRows(target, 'Kunder');
    expect(rows[0].slice(17, 26)).toEqual(['First purchase', 'Last order', 'Orders', 'Revenue', 'Repeat purchases', 'Recency (weeks)', 'Age (weeks)', 'Mean repeat spend', 'Segment RFM']);
    // The CLV column holds what the run reported: its counts per tier, "-" for no segment.
    const counts = new Map<string, number>();
    for (const tier of columnOf(rows, 'Segment CLV')) counts.set(String(tier ?? '-'), (counts.get(String(tier ?? '-')) ?? 0) + 1);
    const clvLine = joined.out.find((line) => line.startsWith('Customer lifetime value: '))!;
    expect(clvLine).toBe(`Customer lifetime value: ${['Top', 'Middle', 'Low', 'Likely lost', '-'].map((tier) => `${tier} ${counts.get(tier) ?? 0}`).join(', ')}`);
    // The log sheet is read, never written: its part is the input's, byte for byte.
    const input = openWorkbook(readFileSync(SAMPLE));
    const output = openWorkbook(readFileSync(target));
    expect(output.readSheet('Ordrer').rows).toEqual(input.readSheet('Ordrer').rows);

    const missing = await runCli(['segment', SAMPLE, '--transactions', `${SAMPLE}:Ordre`, '-m', 'rfm', '-o', path.join(dir, 'missing.xlsx')]);
    expect([missing.code, missing.err.at(-1)]).toEqual([1, 'segmentkit: The workbook has no sheet named "Ordre". Sheets: "Kunder", "Ordrer".']);
    const csv = path.join(dir, 'orders.csv');
    writeFileSync(csv, 'Customer ID,Order date,Amount\nK1,2026-01-01,10\nK1,2026-02-01,10\n');
    const csvSheet = await runCli(['segment', SAMPLE, '--transactions', `${csv}:Sheet1`, '-m', 'rfm', '-o', path.join(dir, 'csv.xlsx')]);
    expect([csvSheet.code, csvSheet.err.at(-1)]).toEqual([2, `segmentkit: --transactions ${csv}:Sheet1: ${csv} is a CSV file, which has no sheets: give the file alone.`]);
    const overwrite = await runCli(['segment', SAMPLE, '--transactions', csv, '-m', 'rfm', '-o', csv]);
    expect([overwrite.code, overwrite.err.at(-1)]).toEqual([2, `segmentkit: The result would overwrite the input "${csv}": choose another file with -o.`]);
  }, 60_000);

  it('says how to point at an order log on another sheet of the input, and the hint works: a file name with a colon, a sheet name with a space', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-hint-'));
    const input = path.join(dir, 'kunder:2026.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Kunder').addRows([
      ['Kundenr', 'Kunde', 'Seneste køb', 'Antal ordrer', 'Omsætning'],
      ['K1', 'Alfa', utc(2026, 3, 1), 2, 300], ['K2', 'Beta', utc(2026, 1, 10), 1, 50], ['K3', 'Gamma', utc(2026, 2, 20), 3, 90],
    ]);
    workbook.addWorksheet('Ordrer 2026').addRows([
      ['Kundenr', 'Fakturadato', 'Beløb'],
      ['K1', utc(2026, 1, 5), 100], ['K1', utc(2026, 3, 1), 200], ['K2', utc(2026, 1, 10), 50],
      ['K3', utc(2026, 1, 20), 30], ['K3', utc(2026, 2, 1), 30], ['K3', utc(2026, 2, 20), 30],
    ]);
    await workbook.xlsx.writeFile(input);
    const spec = `${input}:Ordrer 2026`;
    const hinted = await runCli(['segment', input, '-m', 'rfm', '-o', path.join(dir, 'table.xlsx')]);
    expect(hinted.code).toBe(0);
    expect(hinted.err).toContain(`The workbook has an order log on the sheet "Ordrer 2026": add --transactions "${spec}" to run RFM and CLV on its orders.`);
    const danish = await runCli(['segment', input, '-m', 'clv', '--lang', 'da', '-o', path.join(dir, 'clv.xlsx')]);
    expect(danish.code).toBe(1);
    expect(danish.err.at(-2)).toBe(`Projektmappen har en ordrelog på arket "Ordrer 2026": tilføj --transactions "${spec}" for at køre RFM og CLV på dens ordrer.`);
    // Only a run that asks for rfm or clv is told, and not when it already has the log.
    const abcd = await runCli(['segment', input, '-m', 'pareto', '-o', path.join(dir, 'pareto.xlsx')]);
    expect(abcd.err.filter((line) => /order log/.test(line))).toEqual([]);

    const target = path.join(dir, 'joined.xlsx');
    const joined = await runCli(['segment', input, '--transactions', spec, '-m', 'rfm', '--values-only', '-o', target]);
    expect(joined.code).toBe(0);
    expect(joined.err.filter((line) => /order log/.test(line))).toEqual([]);
    const { rows } = await sheetRows(target, 'Kunder');
    expect(rows[0].slice(5, 9)).toEqual(['First purchase', 'Last order', 'Orders', 'Revenue']);
    // The log's summary per customer, joined on Kundenr: first and last purchase, orders (distinct days), net revenue.
    expect(rows.slice(1).map((row) => row.slice(5, 9))).toEqual([
      [utc(2026, 1, 5), utc(2026, 3, 1), 2, 300], [utc(2026, 1, 10), utc(2026, 1, 10), 1, 50], [utc(2026, 1, 20), utc(2026, 2, 20), 3, 90],
    ]);
  });

  it('re-runs on the Customers sheet made from a CSV log: its summary columns are the user\'s data, read as the table, and RFM gives the same scores', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-rerun-'));
    const input = path.join(dir, 'orders.csv');
    writeFileSync(input, [
      'Customer ID,Invoice date,Invoice,Quantity,Unit price',
      'K1,2024-01-05,F1,2,50', 'K1,2024-01-05,F2,1,30', 'K2,2024-01-10,F3,1,200', 'K1,2024-02-01,F5,3,10',
      'K2,2024-02-10,C6,-1,200', 'K2,2024-03-01,F7,2,25', 'K3,2024-03-01,F8,1,80', 'K4,2024-02-15,F9,1,40', 'K4,2024-02-20,F10,4,10',
    ].join('\n'));
    const first = path.join(dir, 'orders-segmented.xlsx');
    expect((await runCli(['segment', input, '-m', 'rfm,clv', '-o', first])).code).toBe(0);
    const second = path.join(dir, 'again.xlsx');
    const rerun = await runCli(['segment', first, '-s', 'Customers', '-m', 'rfm', '--values-only', '-o', second]);
    expect(rerun.err).toEqual([]);
    expect(rerun.code).toBe(0);
    expect(rerun.out).toContain('  Columns used: Last order, Orders, Revenue.');
    const before = (await sheetRows(first, 'Customers')).rows;
    const after = (await sheetRows(second, 'Customers')).rows;
    expect(before[0]).toEqual([
      'Customer ID', 'First purchase', 'Last order', 'Orders', 'Revenue', 'Repeat purchases', 'Recency (weeks)', 'Age (weeks)', 'Mean repeat spend',
      'Segment RFM', 'R score', 'F score', 'M score', 'RFM code', 'Days since last order',
    ]);
    // The same sheet: the summary kept as it was, the models' columns replaced in place, none added twice.
    expect(after).toEqual(before);
    expect(columnOf(after, 'Orders')).toEqual([3, 2, 1, 2]);
  });
});

describe('CLV when Gamma-Gamma has no population mean spend (the sample: q below 1)', () => {
  it('tells each customer without a repeat purchase why there is no spend and no CLV, instead of "at – each"', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-q-'));
    const target = path.join(dir, 'out.xlsx');
    const run = await runCli(['segment', SAMPLE, '-s', 'Ordrer', '-m', 'clv', '--reasons', '--values-only', '-o', target]);
    expect(run.code).toBe(0);
    const { rows } = await sheetRows(target, 'Customers');
    const repeat = columnOf(rows, 'Repeat purchases');
    const reasons = columnOf(rows, 'Reason CLV');
    const withoutSpend = reasons.filter((reason) => String(reason).includes('no expected spend'));
    // Every such reason belongs to a customer without a repeat purchase, and none reads "at – each".
    expect(withoutSpend.length).toBeGreaterThan(0);
    reasons.forEach((reason, i) => { if (String(reason).includes('no expected spend')) expect(repeat[i]).toBe(0); });
    expect(reasons.filter((reason) => String(reason).includes('at – each'))).toEqual([]);
    expect(withoutSpend[0]).toMatch(/^P\(alive\) = 1 by construction: no repeat purchase yet \(BG\/NBD, not MBG\/NBD\); expects [\d.]+ purchases in 12 months but no expected spend: .* q 0\.86 ≤ 1; no CLV segment$/);
  });
});
