import { performance } from 'node:perf_hooks';
import { buildCustomerTable, CATALOG, defaultSettings, getModel, segment } from '../src/engine';
import { OfficeWorkbook } from '../src/workbook/office';
import { buildPlan } from '../src/workbook/plan';
import { FakeExcel, type Scalar } from '../test/support/fake-excel';

/** Twelve columns, as a Danish customer list has them; the last one maps to no role. */
export const CUSTOMER_HEADERS = [
  'Kundenr', 'Kunde', 'Kundeansvarlig', 'Omsætning', 'Potentiale', 'Dækningsbidrag',
  'Antal ordrer', 'Seneste køb', 'Kunde siden', 'Tilfredshed', 'Timer', 'Region',
];

const OWNERS = ['Mette Hansen', 'Jonas Nielsen', 'Sofie Larsen', 'Anders Poulsen', 'Camilla Berg'];
const REGIONS = ['Hovedstaden', 'Sjælland', 'Syddanmark', 'Midtjylland', 'Nordjylland'];

/** Deterministic customers: a few big accounts and a long tail, like real revenue. */
export function customerRows(count: number, seed = 7): Scalar[][] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return Array.from({ length: count }, (_, i) => {
    const revenue = Math.round(1_000 + 2_000_000 * random() ** 4);
    const potential = Math.round(revenue * (1 + 3 * random()));
    return [
      `K${String(i + 1).padStart(6, '0')}`, `Kunde ${i + 1} ApS`, OWNERS[i % OWNERS.length],
      revenue, potential, Math.round(revenue * (0.1 + 0.3 * random())),
      1 + Math.floor(40 * random()), 45_000 + Math.floor(700 * random()), 38_000 + Math.floor(7_000 * random()),
      1 + Math.floor(10 * random()), Math.round(200 * random()), REGIONS[i % REGIONS.length],
    ];
  });
}

/** An in-memory Excel holding the generated table on 'Kunder' from A1, with A1 selected. */
export function seededExcel(rows: number): FakeExcel {
  const excel = new FakeExcel();
  excel.addSheet('Kunder', { rows: [CUSTOMER_HEADERS, ...customerRows(rows)] });
  excel.select('Kunder', 'A1');
  return excel;
}

/** What one round trip through the Office adapter cost on the in-memory Excel. */
export interface OfficeRoundTrip {
  syncs: number;
  /** UTF-8 bytes of the largest request and response, and of all requests. */
  maxRequestBytes: number;
  maxResponseBytes: number;
  totalRequestBytes: number;
  /** Wall time of read + segment + plan + apply, in milliseconds. */
  ms: number;
  /** Formula cells that would show #REF! or #NAME? (should be 0). */
  formulaErrors: number;
  /** Times screen updating was suspended (the docs: once, not in a loop). */
  screenSuspensions: number;
}

/**
 * Reads `rows` customers through OfficeWorkbook from the in-memory Excel, segments them with the
 * models given (ABCD and Pareto by default), and applies the plan in formulas mode (ordinary
 * Excel formulas, Danish): the syncs and payload bytes that took.
 */
export async function measureOfficeRoundTrip(rows: number, models = ['abcd', 'pareto']): Promise<OfficeRoundTrip> {
  const excel = seededExcel(rows);
  const port = new OfficeWorkbook(excel.run, excel.isSetSupported);
  const started = performance.now();
  const snapshot = await port.readTable();
  const table = buildCustomerTable(snapshot.headers, snapshot.rows, { origin: snapshot.origin });
  const choices = models.map((id) => ({ id, settings: defaultSettings(getModel(id)) }));
  const plan = buildPlan(snapshot, segment(table, choices), { mode: 'formulas', language: 'da' });
  await port.apply(plan);
  const ms = performance.now() - started;
  return {
    syncs: excel.syncCount,
    maxRequestBytes: excel.maxRequestBytes,
    maxResponseBytes: excel.maxResponseBytes,
    totalRequestBytes: excel.totalRequestBytes,
    ms,
    formulaErrors: excel.formulaErrors().length,
    screenSuspensions: excel.calls('suspendScreenUpdatingUntilNextSync'),
  };
}

/**
 * `npx tsx bench/office-syncs.ts [rows …]`: a Markdown table for 100,000 and 1,048,575 rows (Excel's last row) with every model.
 * The last column is the process's peak resident memory up to that row of the table (it includes the bench's own data).
 */
async function main(): Promise<void> {
  const counts = process.argv.slice(2).map(Number).filter((count) => count > 0);
  const all = CATALOG.map((model) => model.id);
  console.log(`Office adapter on the in-memory Excel: read, segment, plan, apply (formulas mode), models: ${all.join(', ')}`);
  console.log('| rows | context.sync() calls | largest request (KB) | largest response (KB) | all requests (MB) | #REF!/#NAME? cells | screen suspensions | seconds | peak RSS so far (MB) |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const rows of counts.length > 0 ? counts : [100_000, 1_048_575]) {
    const result = await measureOfficeRoundTrip(rows, all);
    console.log(`| ${rows.toLocaleString('en')} | ${result.syncs} | ${(result.maxRequestBytes / 1024).toFixed(0)} | ${(result.maxResponseBytes / 1024).toFixed(0)} | ${(result.totalRequestBytes / 1024 / 1024).toFixed(1)} | ${result.formulaErrors} | ${result.screenSuspensions} | ${(result.ms / 1000).toFixed(1)} | ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} |`);
  }
}

if (process.argv[1] && /office-syncs\.ts$/.test(process.argv[1])) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
