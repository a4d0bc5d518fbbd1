/**
 * Writes assets/sample-customers.xlsx: 2,000 made-up Danish B2B customers, the same every time
 * (seeded), with the quirks real lists have: a few amounts typed as text, a blank potential, a
 * revenue nobody could read. A second sheet, Ordrer, is the invoice log behind the customer list
 * (two years of invoices and credit notes), the input of the rfm and clv models. Run with
 * `npm run sample`.
 */
import ExcelJS from 'exceljs';
import path from 'node:path';
import { mulberry32 } from '../src/engine/random';

export const SAMPLE_PATH = path.resolve(__dirname, '..', 'assets', 'sample-customers.xlsx');
export const SAMPLE_SHEET = 'Kunder';
export const SAMPLE_HEADERS = [
  'Kundenr', 'Kunde', 'Kundeansvarlig', 'Omsætning', 'Potentiale', 'Dækningsbidrag', 'Share of wallet',
  'Tilfredshed', 'Kunde siden', 'Seneste køb', 'Antal ordrer', 'Dage for sent',
  // Firmographics, as bought from a CVR data provider, and the CRM's type and churn flag.
  'Branche', 'Antal ansatte', 'Region', 'Type', 'Opsagt',
];


const PREFIXES = ['Nordisk', 'Jysk', 'Fyns', 'Sjællands', 'Dansk', 'Vestkyst', 'Øresund', 'Limfjords', 'Midtjysk', 'Bornholms',
  'Skandi', 'Hvide Sande', 'Aarhus', 'Odense', 'Aalborg', 'Køge', 'Vejle', 'Herning', 'Randers', 'Esbjerg'];
const TRADES = ['Stål', 'Træ', 'VVS', 'El', 'Byg', 'Maskin', 'Fødevare', 'Emballage', 'Transport', 'Kemi', 'Plast', 'Tekstil',
  'Auto', 'Agro', 'Møbel', 'Glas', 'Papir', 'Medico', 'Energi', 'Data'];
const FORMS = ['A/S', 'ApS', 'I/S', '& Søn A/S', 'Gruppen A/S', 'Holding ApS'];
const OWNERS = ['Mette Jensen', 'Jonas Nielsen', 'Sofie Hansen', 'Lars Pedersen', 'Camilla Andersen', 'Anders Christensen'];

const SAMPLE_COUNT = 2000;
const SAMPLE_SEED = 20261124;

/** The Excel day on which the sample was "taken". */
const SAMPLE_DATE = new Date(Date.UTC(2026, 9, 31));
const DAY = 86_400_000;

function logNormal(random: () => number, median: number, spread: number): number {
  const u = Math.max(random(), 1e-12);
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(spread * normal);
}

export type SampleRow = (string | number | Date | null)[];

/** The customer list as drawn, before the real-world quirks (the order log is drawn from these numbers). */
function drawCustomers(count: number, seed: number): SampleRow[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const rows: SampleRow[] = [];
  for (let i = 0; i < count; i++) {
    const revenue = Math.round(logNormal(random, 450_000, 1.3) / 100) * 100;
    const shareOfWallet = Math.min(0.95, Math.max(0.03, random() ** 1.3));
    const potential = Math.round(revenue / shareOfWallet / 1000) * 1000;
    const marginRate = random() < 0.08 ? -0.05 - random() * 0.1 : 0.12 + random() * 0.3;
    const margin = Math.round(revenue * marginRate);
    const satisfaction = Math.round((1 + 4 * random() ** 0.7) * 10) / 10;
    const since = new Date(SAMPLE_DATE.getTime() - Math.floor(random() ** 1.5 * 20 * 365) * DAY);
    const lastOrder = new Date(SAMPLE_DATE.getTime() - Math.floor(random() ** 2 * 400) * DAY);
    const orders = Math.max(1, Math.round(logNormal(random, 18, 0.9)));
    const daysLate = Math.round(random() ** 3 * 45 * 10) / 10;
    rows.push([
      `K${String(10001 + i)}`, `${pick(PREFIXES)} ${pick(TRADES)} ${pick(FORMS)}`, pick(OWNERS),
      revenue, potential, margin, Math.round(shareOfWallet * 1000) / 1000, satisfaction,
      since, lastOrder < since ? since : lastOrder, orders, daysLate,
    ]);
  }
  return rows;
}

/**
 * The Kunder sheet's rows: the drawn customers with the quirks of an exported list and their
 * firmographics, then the sales team's prospects (Type Emne) below them.
 */
export function sampleRows(count = SAMPLE_COUNT, seed = SAMPLE_SEED): SampleRow[] {
  const rows = drawCustomers(count, seed);
  addRealWorldQuirks(rows);
  // A generator of its own, so the customers' numbers stay what they were before these columns.
  const random = mulberry32(seed + 1);
  for (const row of rows) row.push(...customerFirmographics(row, random));
  for (let i = 0; i < PROSPECT_COUNT; i++) rows.push(prospectRow(i, random));
  return rows;
}

/** DB07 industry codes (Danmarks Statistik's Dansk Branchekode 2007, six digits) a B2B wholesaler sells to, with weights. */
const INDUSTRIES: readonly { code: number; weight: number; revenuePerEmployee: number }[] = [
  { code: 412000, weight: 14, revenuePerEmployee: 30_000 }, // Opførelse af bygninger
  { code: 432200, weight: 12, revenuePerEmployee: 25_000 }, // VVS- og blikkenslagerforretninger
  { code: 432100, weight: 10, revenuePerEmployee: 25_000 }, // El-installation
  { code: 467300, weight: 9, revenuePerEmployee: 60_000 }, // Engroshandel med træ og byggematerialer
  { code: 251100, weight: 8, revenuePerEmployee: 45_000 }, // Fremstilling af metalkonstruktioner
  { code: 282900, weight: 7, revenuePerEmployee: 40_000 }, // Fremstilling af andre maskiner
  { code: 107100, weight: 6, revenuePerEmployee: 35_000 }, // Fremstilling af brød og kager
  { code: 494100, weight: 8, revenuePerEmployee: 20_000 }, // Vejgodstransport
  // 016100 as Excel keeps it: a number, its leading zero shown by the column's 000000 format.
  { code: 16100, weight: 5, revenuePerEmployee: 50_000 }, // Servicevirksomhed i forbindelse med planteavl
  { code: 620100, weight: 6, revenuePerEmployee: 15_000 }, // Computerprogrammering
  { code: 861000, weight: 5, revenuePerEmployee: 10_000 }, // Hospitaler
  { code: 812100, weight: 10, revenuePerEmployee: 12_000 }, // Almindelig rengøring i bygninger
];

/** Denmark's five regions, weighted by population (Danmarks Statistik, 2024). */
const REGIONS: readonly { name: string; weight: number }[] = [
  { name: 'Hovedstaden', weight: 32 }, { name: 'Midtjylland', weight: 23 }, { name: 'Syddanmark', weight: 21 },
  { name: 'Sjælland', weight: 14 }, { name: 'Nordjylland', weight: 10 },
];

/** The prospects the sales team keeps below the customers. */
const PROSPECT_COUNT = 300;

function weightedPick<T extends { weight: number }>(items: readonly T[], random: () => number): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let left = random() * total;
  for (const item of items) if ((left -= item.weight) < 0) return item;
  return items[items.length - 1];
}

/**
 * A customer's Branche, Antal ansatte, Region, Type and Opsagt. Employees follow the revenue it
 * buys for (a bigger firm buys more, in a ratio its industry sets), so twins found on industry,
 * size and region carry information about revenue. Opsagt ("Ja") is drawn from a logistic model
 * of what makes B2B customers leave: long since the last order, low satisfaction, late payment,
 * a small share of wallet; about one customer in seven has left.
 */
function customerFirmographics(row: SampleRow, random: () => number): SampleRow {
  const industry = weightedPick(INDUSTRIES, random);
  const revenue = typeof row[3] === 'number' ? row[3] : 450_000;
  const employees = Math.max(1, Math.round(logNormal(random, revenue / industry.revenuePerEmployee, 0.6)));
  const region = weightedPick(REGIONS, random).name;
  const lastOrder = row[9] instanceof Date ? row[9] : SAMPLE_DATE;
  const idleYears = (SAMPLE_DATE.getTime() - lastOrder.getTime()) / (365 * DAY);
  const satisfaction = typeof row[7] === 'number' ? row[7] : 3;
  const daysLate = typeof row[11] === 'number' ? row[11] : 0;
  const share = typeof row[6] === 'number' ? row[6] : 0.3;
  const logOdds = -3.6 + 3.2 * idleYears - 0.7 * (satisfaction - 3) + 0.05 * daysLate - 1.2 * (share - 0.4);
  const churned = random() < 1 / (1 + Math.exp(-logOdds));
  return [industry.code, employees, region, 'Kunde', churned ? 'Ja' : 'Nej'];
}

/** A prospect: a name, an account manager and firmographics; no revenue, potential or history yet. */
function prospectRow(index: number, random: () => number): SampleRow {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const industry = weightedPick(INDUSTRIES, random);
  const employees = Math.max(1, Math.round(logNormal(random, 450_000 / industry.revenuePerEmployee, 0.9)));
  const name = `${pick(PREFIXES)} ${pick(TRADES)} ${pick(FORMS)}`;
  return [
    `E${String(20001 + index)}`, name, pick(OWNERS), null, null, null, null, null, null, null, null, null,
    industry.code, employees, weightedPick(REGIONS, random).name, 'Emne', null,
  ];
}

/** The mess every exported customer list has, so the sample shows how SegmentKit reports it. */
function addRealWorldQuirks(rows: SampleRow[]): void {
  rows[6][3] = '1.250.000';
  rows[17][4] = 'kr. 2.400.000';
  rows[41][4] = null;
  rows[88][3] = 'ukendt';
  rows[120][6] = '35 %';
  rows[305][8] = '01-03-2024';
}

export const ORDERS_SHEET = 'Ordrer';
export const ORDER_HEADERS = ['Kundenr', 'Fakturanr', 'Fakturadato', 'Beløb'];

/** The order log covers the two years up to the sample date. */
const LOG_DAYS = 730;
const LOG_START = SAMPLE_DATE.getTime() - LOG_DAYS * DAY;
/** The first invoice number of the log (one number series for invoices and credit notes). */
const FIRST_INVOICE = 100001;
/** Share of invoices later credited in part or in full. */
const CREDITED_SHARE = 0.005;
/** Invoices to walk-in customers with no customer number (counted and reported, never assigned). */
const WITHOUT_CUSTOMER = 14;

interface LogLine { customer: string | null; day: number; amount: number; order: number }

/** Whole-day UTC milliseconds, so every date in the log is a date without a time. */
const wholeDay = (time: number) => Math.floor(time / DAY) * DAY;
const toOre = (amount: number) => Math.round(amount * 100) / 100;

/** Candidate (rate, dropout) pairs per customer, of which one is drawn by its likelihood. */
const CANDIDATES = 64;

/** Poisson(mean) draws: by multiplication of uniforms when small, else the rounded normal. */
function poisson(mean: number, random: () => number): number {
  if (mean > 30) return Math.max(0, Math.round(standardNormal(random) * Math.sqrt(mean) + mean));
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = random(); product > limit; product *= random()) count++;
  return count;
}

/** A standard normal draw (Box–Muller). */
function standardNormal(random: () => number): number {
  return Math.log(logNormal(random, 1, 1));
}

/**
 * A customer's purchase rate λ (per day) and dropout probability p (after each repeat purchase),
 * drawn as in BG/NBD but given what the list says: λ around typicalOrders over the log's two years,
 * p from a prior with most customers loyal, and then one of CANDIDATES pairs drawn by the
 * likelihood of the list's own story, a purchase on Seneste køb after `spanDays` alive and none
 * in the `gapDays` since: λ·e^(−λp·span)·(p + (1 − p)·e^(−λ·gap)) (Fader, Hardie & Lee 2005,
 * one customer). So a customer silent for long relative to the rate is mostly one who left, and
 * the gaps fit the rates as they do in a BG/NBD world.
 */
function rateAndDropout(orders: number, spanDays: number, gapDays: number, random: () => number): { rate: number; dropout: number } {
  const rates = new Float64Array(CANDIDATES);
  const dropouts = new Float64Array(CANDIDATES);
  const weights = new Float64Array(CANDIDATES);
  let total = 0;
  for (let k = 0; k < CANDIDATES; k++) {
    const rate = (orders / LOG_DAYS) * logNormal(random, 1, 0.8);
    const dropout = 0.4 * random() ** 2;
    rates[k] = rate;
    dropouts[k] = dropout;
    weights[k] = rate * Math.exp(-rate * dropout * spanDays) * (dropout + (1 - dropout) * Math.exp(-rate * gapDays));
    total += weights[k];
  }
  let pick = random() * total;
  let k = 0;
  while (k < CANDIDATES - 1 && pick >= weights[k]) pick -= weights[k++];
  return { rate: rates[k], dropout: dropouts[k] };
}

/** Omsætning per order of the median customer (Omsætning 450,000, Antal ordrer 18). */
const TYPICAL_ORDER = 25_000;

/**
 * The orders over two years the purchase rate is drawn around: the geometric mean of the list's
 * Antal ordrer and of Omsætning in orders of the typical size. The list draws the two
 * independently; in a real log a larger customer buys more often, and order sizes as dispersed
 * as Omsætning over Antal ordrer would leave Gamma-Gamma (q) far below any real customer base.
 */
function typicalOrders(orders: number, revenue: number): number {
  return Math.sqrt(orders * Math.max(1, revenue / TYPICAL_ORDER));
}

/**
 * One customer's invoices and credit notes. The first invoice is on Kunde siden when the customer
 * started inside the log's two years, the last on Seneste køb; between them, purchases at the
 * rate of a customer who has not yet left, λ(1 − p) (rateAndDropout), at uniform times, as a
 * Poisson process given its count. Antal ordrer is so matched roughly, not exactly: a customer
 * who left early bought fewer times in the log. Amounts: log-normal shares of Omsætning, credit
 * notes included, so the lines net to Omsætning to the øre.
 */
function customerLines(row: SampleRow, random: () => number, order: { next: number }): LogLine[] {
  const customer = row[0] as string;
  const revenue = row[3] as number;
  const since = (row[8] as Date).getTime();
  const last = (row[9] as Date).getTime();
  const orders = row[10] as number;
  const startsInLog = since >= LOG_START;
  const from = startsInLog ? since : LOG_START;
  const spanDays = (last - from) / DAY;
  const { rate, dropout } = rateAndDropout(typicalOrders(orders, revenue), spanDays, (SAMPLE_DATE.getTime() - last) / DAY, random);
  const days = [last];
  if (startsInLog && since < last) days.push(since);
  const between = poisson(rate * (1 - dropout) * spanDays, random);
  for (let k = 0; k < between; k++) days.push(wholeDay(from + random() * (last - from)));
  days.sort((a, b) => a - b);
  const weights = days.map(() => logNormal(random, 1, 0.6));
  const credited = days.map(() => (random() < CREDITED_SHARE ? 0.1 + 0.9 * random() : 0));
  const netWeight = weights.reduce((sum, weight, i) => sum + weight * (1 - credited[i]), 0);
  const lines: LogLine[] = days.map((day, i) => ({ customer, day, amount: toOre((revenue * weights[i]) / netWeight), order: order.next++ }));
  days.forEach((day, i) => {
    if (!credited[i]) return;
    const creditDay = Math.min(SAMPLE_DATE.getTime(), day + (1 + Math.floor(random() * 14)) * DAY);
    lines.push({ customer, day: creditDay, amount: -toOre(lines[i].amount * credited[i]), order: order.next++ });
  });
  // Rounding to øre leaves a few øre over or under: the largest invoice takes them.
  const net = lines.reduce((sum, line) => sum + line.amount, 0);
  const largest = lines.reduce((best, line) => (line.amount > best.amount ? line : best), lines[0]);
  largest.amount = toOre(largest.amount + revenue - net);
  return lines;
}

/**
 * The Ordrer sheet's rows (Kundenr, Fakturanr, Fakturadato, Beløb), in date order with invoice
 * numbers in that order: for each customer of `customers` (as drawn, before the quirks) the
 * invoices of customerLines, a few credit notes (negative amounts), and a few walk-in invoices
 * without a Kundenr. Per customer the log agrees with the Kunder sheet: net Omsætning to the øre,
 * the last invoice on Seneste køb, the first on Kunde siden when the customer started inside the
 * log's two years, and roughly Antal ordrer invoices (see customerLines).
 */
export function sampleOrderRows(customers: readonly SampleRow[], seed = 20261125): SampleRow[] {
  const random = mulberry32(seed);
  const order = { next: 0 };
  const lines: LogLine[] = [];
  for (const row of customers) for (const line of customerLines(row, random, order)) lines.push(line);
  for (let i = 0; i < WITHOUT_CUSTOMER; i++) {
    lines.push({ customer: null, day: wholeDay(LOG_START + random() * LOG_DAYS * DAY), amount: toOre(logNormal(random, 1200, 0.7)), order: order.next++ });
  }
  lines.sort((a, b) => a.day - b.day || a.order - b.order);
  return lines.map((line, i) => [line.customer, FIRST_INVOICE + i, new Date(line.day), line.amount]);
}

/** The Ordrer sheet's rows for the sample's own 2,000 customers. */
export function sampleOrders(): SampleRow[] {
  const customers = drawCustomers(SAMPLE_COUNT, SAMPLE_SEED);
  // The list's "1.250.000" (typed as text) is a revenue the engine reads: the log nets to it. The
  // one nobody could read ("ukendt") keeps the drawn revenue: the log knows what the list lost.
  customers[6][3] = 1_250_000;
  return sampleOrderRows(customers);
}

export async function writeSample(file = SAMPLE_PATH): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'SegmentKit sample generator';
  workbook.created = SAMPLE_DATE;
  workbook.modified = SAMPLE_DATE;
  const sheet = workbook.addWorksheet(SAMPLE_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(SAMPLE_HEADERS).font = { bold: true };
  sheet.addRows(sampleRows());
  const formats: Record<string, string> = {
    Omsætning: '#,##0', Potentiale: '#,##0', Dækningsbidrag: '#,##0', 'Share of wallet': '0%', 'Kunde siden': 'dd-mm-yyyy', 'Seneste køb': 'dd-mm-yyyy',
    Branche: '000000', 'Antal ansatte': '#,##0',
  };
  SAMPLE_HEADERS.forEach((header, index) => {
    const column = sheet.getColumn(index + 1);
    column.width = header === 'Kunde' ? 32 : Math.max(12, header.length + 3);
    if (formats[header]) column.numFmt = formats[header];
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: SAMPLE_HEADERS.length } };
  addOrderSheet(workbook, sampleOrders());
  await workbook.xlsx.writeFile(file);
}

function addOrderSheet(workbook: ExcelJS.Workbook, rows: SampleRow[]): void {
  const sheet = workbook.addWorksheet(ORDERS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(ORDER_HEADERS).font = { bold: true };
  sheet.addRows(rows);
  sheet.getColumn(3).numFmt = 'dd-mm-yyyy';
  sheet.getColumn(4).numFmt = '#,##0.00';
  ORDER_HEADERS.forEach((header, index) => { sheet.getColumn(index + 1).width = Math.max(12, header.length + 3); });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: ORDER_HEADERS.length } };
}

if (require.main === module) {
  writeSample().then(() => console.log(`Wrote ${SAMPLE_PATH}`));
}
