/**
 * Writes assets/sample-customers.xlsx: 2,000 made-up Danish B2B customers, the same every time
 * (seeded), with the quirks real lists have: a few amounts typed as text, a blank potential, a
 * revenue nobody could read. Run with `npm run sample`.
 */
import ExcelJS from 'exceljs';
import path from 'node:path';
import { mulberry32 } from '../src/engine/random';

export const SAMPLE_PATH = path.resolve(__dirname, '..', 'assets', 'sample-customers.xlsx');
export const SAMPLE_SHEET = 'Kunder';
export const SAMPLE_HEADERS = [
  'Kundenr', 'Kunde', 'Kundeansvarlig', 'Omsætning', 'Potentiale', 'Dækningsbidrag', 'Share of wallet',
  'Tilfredshed', 'Kunde siden', 'Seneste køb', 'Antal ordrer', 'Dage for sent',
];


const PREFIXES = ['Nordisk', 'Jysk', 'Fyns', 'Sjællands', 'Dansk', 'Vestkyst', 'Øresund', 'Limfjords', 'Midtjysk', 'Bornholms',
  'Skandi', 'Hvide Sande', 'Aarhus', 'Odense', 'Aalborg', 'Køge', 'Vejle', 'Herning', 'Randers', 'Esbjerg'];
const TRADES = ['Stål', 'Træ', 'VVS', 'El', 'Byg', 'Maskin', 'Fødevare', 'Emballage', 'Transport', 'Kemi', 'Plast', 'Tekstil',
  'Auto', 'Agro', 'Møbel', 'Glas', 'Papir', 'Medico', 'Energi', 'Data'];
const FORMS = ['A/S', 'ApS', 'I/S', '& Søn A/S', 'Gruppen A/S', 'Holding ApS'];
const OWNERS = ['Mette Jensen', 'Jonas Nielsen', 'Sofie Hansen', 'Lars Pedersen', 'Camilla Andersen', 'Anders Christensen'];

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

export function sampleRows(count = 2000, seed = 20261124): SampleRow[] {
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
  addRealWorldQuirks(rows);
  return rows;
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
  };
  SAMPLE_HEADERS.forEach((header, index) => {
    const column = sheet.getColumn(index + 1);
    column.width = header === 'Kunde' ? 32 : Math.max(12, header.length + 3);
    if (formats[header]) column.numFmt = formats[header];
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: SAMPLE_HEADERS.length } };
  await workbook.xlsx.writeFile(file);
}

if (require.main === module) {
  writeSample().then(() => console.log(`Wrote ${SAMPLE_PATH}`));
}
