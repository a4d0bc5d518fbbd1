import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  applyRenames, buildCustomerTable, cellText, clusterFitOf, customersFromLog, dateToSerial, defaultSettings, detectRoles, fitClusters, getModel, segment,
  summarize, type CellValue, type CustomerTable, type ModelSettings,
} from '../src/engine';
import { mulberry32 } from '../src/engine/random';
import { FunctionInputError } from '../src/functions/errors';
import { clusterCells, hasHeaderRow } from '../src/functions/clusters';
import { decodeDelimited } from '../src/workbook/csv';
import { readDelimitedLog } from '../src/workbook/csv-log';
import { MARKER_SHEET, parseMarker } from '../src/workbook/marker';
import { buildPlan } from '../src/workbook/plan';
import { openWorkbook } from '../src/workbook/xlsx/read';
import { PackageWorkbook } from '../src/workbook/xlsx/package-workbook';
import { isoDay, runCli } from './support/cli-run';
import { drawnLog } from './support/drawn-log';
import { nameWithData, ONLINE_RETAIL } from './support/public-data';

/**
 * The clusters model end to end: a hand-worked table (exact clusters, names, inertia, silhouette,
 * the Clusters sheet cell by cell, renames that follow their cluster), the sample workbook (k by
 * silhouette, names in both languages, deterministic across runs and shuffled rows), SEGMENT.CLUSTER,
 * and the CLI on the sample and on an order log.
 */

const SAMPLE = path.resolve(__dirname, '..', 'assets', 'sample-customers.xlsx');
const RECALC = '/work/shared/tools/recalc-as-excel';
const canRecalc = existsSync(RECALC) && spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).status === 0;
if (!canRecalc) console.warn(`SKIPPED: the LibreOffice check of the Clusters sheet: ${RECALC} or soffice (LibreOffice) is missing.`);

/** A CSV line as recalc-as-excel writes it (comma separated, double quotes doubled). */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted && char === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) { cells.push(cell); cell = ''; } else cell += char;
  }
  cells.push(cell);
  while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
  return cells;
}

/*
 * Two groups of three on revenue and satisfaction, and a prospect with only a name. Worked by hand:
 * revenue mean 555, population SD 448.77; satisfaction mean 3, SD √3. Low group z-means
 * (−0.9916, −0.9623), high group the opposite; inertia 0.5447465092435508 and mean silhouette
 * 0.8328926906436817 as scikit-learn 1.2.1 computes them on the same z-scores
 * (silhouette_score(X, [0,0,0,1,1,1]); measured once with Debian's python3-sklearn).
 */
const HAND_HEADERS = ['Kunde', 'Omsætning', 'Tilfredshed'];
const HAND_ROWS: CellValue[][] = [
  ['Alfa', 100, 1], ['Beta', 120, 2], ['Gamma', 110, 1], ['Delta', 1000, 5], ['Epsilon', 1100, 4], ['Zeta', 900, 5], ['Emne Eta', null, null],
];
const HAND_INERTIA = 0.5447465092435508;
const HAND_SILHOUETTE = 0.8328926906436817;
const LOW = 'Low revenue, low satisfaction';
const HIGH = 'High revenue, high satisfaction';

function handTable(rows: CellValue[][] = HAND_ROWS): CustomerTable {
  return buildCustomerTable(HAND_HEADERS, rows);
}

function settingsWith(changes: ModelSettings): ModelSettings {
  return { ...defaultSettings(getModel('clusters')), ...changes };
}

function freshDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'segmentkit-clusters-'));
}

function csvOf(headers: string[], rows: CellValue[][]): string {
  return [headers, ...rows].map((row) => row.map((cell) => (cell === null ? '' : String(cell))).join(',')).join('\n');
}

/** A sheet's rows as read back, trailing empty cells dropped, empty rows as []. */
function sheetRows(file: string, sheet: string): CellValue[][] {
  const rows = Array.from(openWorkbook(readFileSync(file)).readSheet(sheet).rows, (row) => [...(row ?? [])]);
  return rows.map((row) => {
    const cells = row.map((cell) => (cell === undefined ? null : cell));
    while (cells.length > 0 && (cells[cells.length - 1] === null || cells[cells.length - 1] === '')) cells.pop();
    return cells;
  });
}

describe('clusters on a hand-worked table', () => {
  it('finds the two groups, leaves the prospect out with why, and names, profiles and scores them exactly', () => {
    const table = handTable();
    const result = getModel('clusters').run(table, settingsWith({ k: '2', skew: 'none' }));
    expect(Array.from(result.tiers)).toEqual([0, 0, 0, 1, 1, 1, -1]);
    const fit = clusterFitOf(result)!;
    expect(fit.names).toEqual([{ en: LOW, da: 'Lav omsætning, lav tilfredshed' }, { en: HIGH, da: 'Høj omsætning, høj tilfredshed' }]);
    expect(fit.clustering.inertia).toBeCloseTo(HAND_INERTIA, 12);
    expect(fit.scores).toHaveLength(1);
    expect(fit.scores[0].silhouette).toBeCloseTo(HAND_SILHOUETTE, 12);
    expect(Array.from(fit.profiles.clusters[0].differences)).toEqual([expect.closeTo(-0.99160627, 7), expect.closeTo(-0.96225045, 7)]);
    const profile = result.metrics.find((metric) => metric.key === 'clusters.profile')!;
    expect(profile.format === 'text' && [0, 3, 6].map((row) => profile.text(row).en)).toEqual([LOW, HIGH, '']);
    expect(result.explain(0).en).toBe(`Cluster 1 · ${LOW}: Omsætning 100 (cluster 110, all 555); Tilfredshed 1 (cluster 1.33, all 3)`);
    expect(result.explain(4).da).toBe('Klynge 2 · Høj omsætning, høj tilfredshed: Omsætning 1.100 (klynge 1.000, alle 555); Tilfredshed 4 (klynge 4,67, alle 3)');
    expect({ en: result.explain(6).en, da: result.explain(6).da }).toEqual({
      en: 'no cluster: 0 of the 2 chosen columns filled, fewer than the 1 needed (too little known to place the customer)',
      da: 'ingen klynge: 0 af de 2 valgte kolonner udfyldt, færre end de 1 nødvendige (for lidt kendt til at placere kunden)',
    });
    expect(result.inputs).toEqual({ used: ['revenue', 'satisfaction'], absent: [] });
    expect(summarize(table, getModel('clusters'), result).map((line) => [line.tierIndex, line.customers, line.revenue])).toEqual([[0, 3, 330], [1, 3, 3000], [-1, 1, 0]]);
    expect(result.notes.map((note) => note.en)).toContain('1 customers with fewer than 1 of the 2 chosen columns filled (prospects with only firmographics, say) get no cluster: imputing most of a row would place it at the median customer.');
  });

  it('chooses k = 2 by silhouette over k = 2 … 5 (rows − 1), the same clustering as k = 2 set', () => {
    const table = handTable();
    const auto = fitClusters(table, settingsWith({ skew: 'none' }));
    expect(auto.chosenBy).toBe('silhouette');
    expect(auto.scores.map((score) => score.k)).toEqual([2, 3, 4, 5]);
    expect(auto.k).toBe(2);
    expect(auto.scores[0].silhouette).toBeCloseTo(HAND_SILHOUETTE, 12);
    expect(auto.scores.slice(1).every((score) => score.silhouette < auto.scores[0].silhouette)).toBe(true);
    expect(Array.from(auto.labels)).toEqual([0, 0, 0, 1, 1, 1, -1]);
  });

  it('keeps a rename on its cluster when the rows come in another order, and drops one whose cluster no longer comes out', () => {
    const renames = [{ cluster: 1, generated: LOW, name: 'Småkunder' }, { cluster: 2, generated: 'High revenue, low satisfaction', name: 'Sure storkunder' }];
    // Reversed, the high group's first row comes first, so it is cluster 1 (equal sizes: the first row decides).
    const reversed = handTable([...HAND_ROWS].reverse());
    const result = getModel('clusters').run(reversed, settingsWith({ k: '2', skew: 'none', names: renames }));
    const fit = clusterFitOf(result)!;
    expect(fit.names).toEqual([{ en: HIGH, da: 'Høj omsætning, høj tilfredshed' }, { en: 'Småkunder', da: 'Småkunder' }]);
    expect(fit.renamed).toEqual([false, true]);
    expect(result.notes.map((note) => note.en)).toContain('Names not applied, as no cluster comes out with the profile they were given to: "Sure storkunder" (was "High revenue, low satisfaction").');
    // Without the generated name, a rename goes by number.
    expect(applyRenames([{ en: 'A', da: 'A' }, { en: 'B', da: 'B' }], [{ cluster: 2, name: 'Mine' }]).names).toEqual([{ en: 'A', da: 'A' }, { en: 'Mine', da: 'Mine' }]);
  });

  it('refuses a k out of range, too few rows and unreadable names, in both languages', () => {
    const table = handTable();
    const run = (changes: ModelSettings) => segment(table, [{ id: 'pareto', settings: defaultSettings(getModel('pareto')) }, { id: 'clusters', settings: settingsWith(changes) }]).leftOut ?? [];
    expect(run({ k: '13' })).toEqual([{ modelId: 'clusters', why: { en: 'the number of clusters must be auto or a whole number from 2 to 12, not 13', da: 'antallet af klynger skal være auto eller et helt tal fra 2 til 12, ikke 13' } }]);
    expect(run({ k: '7' })[0].why.en).toBe('7 clusters need at least 7 customers with at least half of the 2 chosen columns filled; there are 6');
    expect(run({ names: [{ cluster: 0, name: '' }] })[0].why.en).toBe('the cluster names cannot be read: Cluster name 1: cluster must be a whole number from 1 to 12. Cluster name 1: the name must be a text');
  });

  it('writes the Clusters sheet cell by cell, the columns beside the table, and the renames into the workbook', async () => {
    const dir = freshDir();
    const input = path.join(dir, 'kunder.csv');
    writeFileSync(input, csvOf(HAND_HEADERS, HAND_ROWS));
    const target = path.join(dir, 'out.xlsx');
    const run = await runCli(['segment', input, '-m', 'clusters', '--set', 'clusters.k=2', '--set', 'clusters.skew=none', '--reasons', '-o', target]);
    expect(run.code).toBe(0);
    expect(run.out[1]).toBe('Needs-based clusters: Cluster 1 3, Cluster 2 3, - 1');
    const file = openWorkbook(readFileSync(target));
    expect(file.sheets.filter((sheet) => sheet.state === 'visible').map((sheet) => sheet.name)).toEqual(['kunder', 'Priority', 'Summary', 'Clusters']);
    const rows = sheetRows(target, 'Clusters');
    const shareOfRevenue = (sum: number) => expect.closeTo(sum / 3330, 12);
    expect(rows.slice(0, 17)).toEqual([
      ['Needs-based clusters'],
      ['k = 2, as set; 6 customers clustered, 1 without a cluster (too few columns filled).'],
      [expect.stringMatching(/^Rename a cluster in the model's settings \(Cluster names; in the CLI: --settings/)],
      [],
      ['The clusters, numbered by size'],
      ['Cluster', 'Name', 'Customers', 'Share of customers', 'Share of revenue', 'Sets it apart', 'Generated name'],
      ['Cluster 1', LOW, 3, 0.5, shareOfRevenue(330), 'Omsætning 110 vs 555 overall; Tilfredshed 1.33 vs 3 overall'],
      ['Cluster 2', HIGH, 3, 0.5, shareOfRevenue(3000), 'Omsætning 1,000 vs 555 overall; Tilfredshed 4.67 vs 3 overall'],
      [],
      ['Mean of each feature per cluster, against all clustered customers (raw units, before any log)'],
      ['Feature', 'Unit', 'All customers', 'Cluster 1', 'Cluster 2'],
      ['Omsætning', 'number', 555, 110, 1000],
      ['Tilfredshed', 'number', 3, expect.closeTo(4 / 3, 12), expect.closeTo(14 / 3, 12)],
      [],
      ['k as set'],
      ['k', 'Inertia', 'Silhouette', 'Chosen'],
      [2, expect.closeTo(HAND_INERTIA, 12), expect.closeTo(HAND_SILHOUETTE, 12), 'chosen'],
    ]);
    expect(rows.length).toBe(17);
    const table = sheetRows(target, 'kunder');
    expect(table[0]).toEqual([...HAND_HEADERS, 'Segment Clusters', 'Cluster profile', 'Reason Clusters']);
    expect(table.slice(1).map((row) => row.slice(3, 5))).toEqual([
      ['Cluster 1', LOW], ['Cluster 1', LOW], ['Cluster 1', LOW], ['Cluster 2', HIGH], ['Cluster 2', HIGH], ['Cluster 2', HIGH], [null, null],
    ]);
    expect(table[7][5]).toMatch(/^no cluster: 0 of the 2 chosen columns filled/);
    // The Summary lists the two clusters the run has, not all twelve, and sends the reader to the sheet.
    const summary = sheetRows(target, 'Summary');
    expect(summary.filter((row) => typeof row[0] === 'string' && /^Cluster \d/.test(row[0])).map((row) => row[0])).toEqual(['Cluster 1', 'Cluster 2']);
    expect(summary.some((row) => typeof row[0] === 'string' && row[0].includes('are on the sheet "Clusters"'))).toBe(true);

    // Danish: the sheet, the names and the tier names in Danish; a rename from a settings file follows its cluster and is kept.
    const settings = path.join(dir, 'names.json');
    writeFileSync(settings, JSON.stringify({ clusters: { names: [{ cluster: 1, generated: LOW, name: 'Småkunder' }] } }));
    const reversed = path.join(dir, 'omvendt.csv');
    writeFileSync(reversed, csvOf(HAND_HEADERS, [...HAND_ROWS].reverse()));
    const danishTarget = path.join(dir, 'ud.xlsx');
    const danish = await runCli(['segment', reversed, '-m', 'clusters', '--set', 'clusters.k=2', '--set', 'clusters.skew=none', '--settings', settings, '--lang', 'da', '-o', danishTarget]);
    expect(danish.code).toBe(0);
    const klynger = sheetRows(danishTarget, 'Klynger');
    expect(klynger[0]).toEqual(['Behovsbaserede klynger']);
    expect(klynger[1]).toEqual(['k = 2, som sat; 6 kunder grupperet, 1 uden klynge (for få udfyldte kolonner).']);
    expect(klynger.slice(5, 8)).toEqual([
      ['Klynge', 'Navn', 'Kunder', 'Andel af kunder', 'Andel af omsætning', 'Adskiller den', 'Genereret navn'],
      ['Klynge 1', 'Høj omsætning, høj tilfredshed', 3, 0.5, shareOfRevenue(3000), 'Omsætning 1.000 mod 555 for alle; Tilfredshed 4,67 mod 3 for alle'],
      ['Klynge 2', 'Småkunder', 3, 0.5, shareOfRevenue(330), 'Omsætning 110 mod 555 for alle; Tilfredshed 1,33 mod 3 for alle', 'Lav omsætning, lav tilfredshed'],
    ]);
    expect(sheetRows(danishTarget, 'omvendt').slice(1).map((row) => row.slice(3, 5))).toEqual([
      [], ['Klynge 1', 'Høj omsætning, høj tilfredshed'], ['Klynge 1', 'Høj omsætning, høj tilfredshed'], ['Klynge 1', 'Høj omsætning, høj tilfredshed'],
      ['Klynge 2', 'Småkunder'], ['Klynge 2', 'Småkunder'], ['Klynge 2', 'Småkunder'],
    ]);
    const marker = parseMarker(openWorkbook(readFileSync(danishTarget)).readSheet(MARKER_SHEET).rows[0]?.[0])!;
    expect(marker.settings?.clusters?.names).toEqual([{ cluster: 1, generated: LOW, name: 'Småkunder' }]);
    expect(marker.sheets.clusters).toBe('Klynger');

    // LibreOffice, which knows nothing of SegmentKit, opens the workbook and shows the same cells.
    if (!canRecalc) return;
    const shown = path.join(dir, 'shown');
    execFileSync(RECALC, [target, shown], { stdio: 'pipe', timeout: 120_000 });
    const lines = readFileSync(path.join(shown, 'out-Clusters.csv'), 'utf8').trim().split('\n').map(csvCells);
    expect(lines.slice(5, 8).map((row) => [...row.slice(0, 4), row[5]])).toEqual([
      ['Cluster', 'Name', 'Customers', 'Share of customers', 'Sets it apart'],
      ['Cluster 1', LOW, '3', '50%', 'Omsætning 110 vs 555 overall; Tilfredshed 1.33 vs 3 overall'],
      ['Cluster 2', HIGH, '3', '50%', 'Omsætning 1,000 vs 555 overall; Tilfredshed 4.67 vs 3 overall'],
    ]);
    expect(lines[11]).toEqual(['Omsætning', 'number', '555', '110', '1000']);
    expect([lines[16][0], Number(lines[16][1]), Number(lines[16][2]), lines[16][3]]).toEqual(['2', expect.closeTo(HAND_INERTIA, 12), expect.closeTo(HAND_SILHOUETTE, 12), 'chosen']);
  });
});

async function sampleTable(rows?: (rows: CellValue[][]) => CellValue[][]): Promise<CustomerTable> {
  const snapshot = await PackageWorkbook.open(readFileSync(SAMPLE)).readTable();
  const headers = snapshot.headers.map((header) => cellText(header).trim());
  return buildCustomerTable(snapshot.headers, rows ? rows(snapshot.rows as CellValue[][]) : snapshot.rows, { origin: snapshot.origin, mapping: detectRoles(headers) });
}

/** The rows in a seeded random order (Fisher–Yates). */
function shuffled<T>(rows: readonly T[], seed: number): T[] {
  const random = mulberry32(seed);
  const copy = [...rows];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

describe('clusters on the sample workbook', () => {
  it('clusters the 2,000 customers on their number and date columns, leaves the 300 prospects out, and picks k by silhouette', async () => {
    const table = await sampleTable();
    const fit = fitClusters(table, defaultSettings(getModel('clusters')));
    expect(fit.chosenBy).toBe('silhouette');
    expect(fit.scores.map((score) => score.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const best = fit.scores.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
    expect(fit.k).toBe(best.k);
    expect(fit.k).toBe(2);
    expect([fit.clustered, fit.leftOutRows, fit.sampled]).toEqual([2000, 300, false]);
    expect(fit.features.map((used) => used.source.header)).toEqual([
      'Omsætning', 'Potentiale', 'Dækningsbidrag', 'Share of wallet', 'Tilfredshed', 'Kunde siden', 'Seneste køb', 'Antal ordrer', 'Dage for sent', 'Antal ansatte',
    ]);
    expect(fit.notChosenByDefault).toEqual(['Branche', 'Region', 'Type', 'Opsagt']);
    // Every prospect (Type "Emne") is left out, every customer clustered.
    const type = table.headers.indexOf('Type');
    for (let i = 0; i < table.rowCount; i++) expect(fit.labels[i] < 0, `row ${i}`).toBe(table.cells[i][type] === 'Emne');
    expect(Array.from(fit.clustering.sizes)).toEqual([1104, 896]);
    expect(fit.names).toEqual([
      { en: 'Low revenue, low potential, low antal ansatte', da: 'Lav omsætning, lavt potentiale, lavt antal ansatte' },
      { en: 'High revenue, high potential, high antal ansatte', da: 'Høj omsætning, højt potentiale, højt antal ansatte' },
    ]);
    // The names say what the means show: cluster 2 above the table on revenue, potential and staff, cluster 1 below.
    for (const j of [0, 1, 9]) {
      expect(fit.profiles.clusters[1].means[j]).toBeGreaterThan(fit.profiles.tableMeans[j]);
      expect(fit.profiles.clusters[0].means[j]).toBeLessThan(fit.profiles.tableMeans[j]);
    }
    const revenueShares = fit.profiles.clusters.map((cluster) => cluster.shareOfRevenue!);
    expect(revenueShares[0] + revenueShares[1]).toBeCloseTo(1, 12);
  });

  it('gives the same clusters on a second run and on the rows shuffled (up to renumbering)', async () => {
    const settings = defaultSettings(getModel('clusters'));
    const first = fitClusters(await sampleTable(), settings);
    const again = fitClusters(await sampleTable(), settings);
    expect(Array.from(again.labels)).toEqual(Array.from(first.labels));
    const order = shuffled(Array.from({ length: first.labels.length }, (_, i) => i), 12);
    const moved = fitClusters(await sampleTable((rows) => order.map((i) => rows[i])), settings);
    expect(moved.k).toBe(first.k);
    // The partitions agree: each cluster of the first run maps to one cluster of the shuffled run.
    const mapping = new Map<number, number>();
    order.forEach((original, position) => {
      const [a, b] = [first.labels[original], moved.labels[position]];
      if (a < 0 || b < 0) { expect(a).toBe(b); return; }
      if (!mapping.has(a)) mapping.set(a, b);
      expect(mapping.get(a), `row ${original}`).toBe(b);
    });
    expect(new Set(mapping.values()).size).toBe(first.k);
    expect(moved.names.map((name) => name.en).sort()).toEqual(first.names.map((name) => name.en).sort());
  });
});

describe('SEGMENT.CLUSTER', () => {
  const error = { type: 'Error', basicValue: '#N/A' };

  it('spills the cluster number per row: a header row and a blank row get "", an error cell that row\'s #VALUE!', () => {
    const matrix = [['Omsætning', 'Tilfredshed'], ...HAND_ROWS.slice(0, 6).map((row) => row.slice(1)), [null, null], [error, 3]];
    expect(clusterCells(matrix, 2)).toEqual([[''], [1], [1], [1], [2], [2], [2], [''], [{
      kind: 'invalidValue', text: { en: 'Row 9, column 1: the cell holds the error #N/A; this row gets no cluster.', da: 'Række 9, kolonne 1: cellen indeholder fejlen #N/A; rækken får ingen klynge.' },
    }]]);
    // The same numbers as the model on the same table, k chosen by silhouette when left out.
    const model = fitClusters(buildCustomerTable(['Omsætning', 'Tilfredshed'], HAND_ROWS.slice(0, 6).map((row) => row.slice(1)), { mapping: {} }), settingsWith({}));
    expect(clusterCells(HAND_ROWS.slice(0, 6).map((row) => row.slice(1)), null).map((row) => row[0])).toEqual(Array.from(model.labels, (label) => label + 1));
  });

  it('takes text columns as categories and tells a header row only over numbers', () => {
    expect(hasHeaderRow([['Omsætning', 'Region'], [100, 'Nord'], [200, 'Syd']])).toBe(true);
    expect(hasHeaderRow([['Nord', 'Kunde'], ['Syd', 'Emne']])).toBe(false);
    expect(hasHeaderRow([['100', 'Region'], [100, 'Nord']])).toBe(false);
    const regions = [['Nord', 'Kunde'], ['Nord', 'Kunde'], ['Syd', 'Emne'], ['Syd', 'Emne'], ['Nord', 'Kunde'], ['Syd', 'Emne']];
    expect(clusterCells(regions, 2).map((row) => row[0])).toEqual([1, 1, 2, 2, 1, 2]);
  });

  it('refuses a k out of range and too few rows, in English and Danish', () => {
    const failure = (call: () => unknown) => {
      try { call(); } catch (caught) { return (caught as FunctionInputError).problem; }
      throw new Error('expected a failure');
    };
    expect(failure(() => clusterCells([[1], [2], [3]], 13))).toEqual({ kind: 'invalidValue', text: {
      en: 'K, the number of clusters, must be a whole number from 2 to 12 (or left out to choose it by silhouette), not 13.',
      da: 'K, antallet af klynger, skal være et helt tal fra 2 til 12 (eller udeladt for at vælge det efter silhouet), ikke 13.',
    } });
    expect(failure(() => clusterCells([[1], [2]], null))).toEqual({ kind: 'invalidValue', text: {
      en: 'Choosing k needs at least 3 customers with at least half of the 1 chosen columns filled; there are 2.',
      da: 'At vælge k kræver mindst 3 kunder med mindst halvdelen af de 1 valgte kolonner udfyldt; der er 2.',
    } });
  });
});

describe('the CLI', () => {
  it('segment sample.xlsx -m clusters --set clusters.k=4 --features "Omsætning,Tilfredshed": the clusters the engine finds, read back', async () => {
    const dir = freshDir();
    const target = path.join(dir, 'out.xlsx');
    const run = await runCli(['segment', SAMPLE, '-m', 'clusters', '--set', 'clusters.k=4', '--features', 'Omsætning,Tilfredshed', '-o', target]);
    expect(run.code).toBe(0);
    const table = await sampleTable();
    const result = segment(table, [{ id: 'clusters', settings: settingsWith({ k: '4', features: ['Omsætning', 'Tilfredshed'] }) }]).results[0];
    const fit = clusterFitOf(result)!;
    expect(fit.k).toBe(4);
    expect(run.out[1]).toBe(`Needs-based clusters: ${Array.from(fit.clustering.sizes, (size, c) => `Cluster ${c + 1} ${size}`).join(', ')}, - 300`);
    const rows = sheetRows(target, 'Clusters');
    expect(rows[1]).toEqual(['k = 4, as set; 2,000 customers clustered, 300 without a cluster (too few columns filled).']);
    expect(rows.slice(6, 10).map((row) => row.slice(0, 4))).toEqual(fit.profiles.clusters.map((cluster, c) => [`Cluster ${c + 1}`, fit.names[c].en, cluster.size, cluster.shareOfCustomers]));
    expect(rows.slice(13, 15).map((row) => row.slice(0, 2))).toEqual([['Omsætning', 'number'], ['Tilfredshed', 'number']]);
    expect(rows.slice(15, 18)).toEqual([[], ['k as set'], ['k', 'Inertia', 'Silhouette', 'Chosen']]);
    expect(rows[18]).toEqual([4, expect.closeTo(fit.clustering.inertia, 9), expect.closeTo(fit.scores[0].silhouette, 12), 'chosen']);
    const kunder = sheetRows(target, 'Kunder');
    const segmentColumn = kunder[0].indexOf('Segment Clusters');
    expect(kunder[0][segmentColumn + 1]).toBe('Cluster profile');
    const expected = Array.from(fit.labels, (label) => (label < 0 ? [] : [`Cluster ${label + 1}`, fit.names[label].en]));
    expect(kunder.slice(1).map((row) => row.slice(segmentColumn, segmentColumn + 2))).toEqual(expected);
  });

  it('clusters the customers an order log summarises on R, F and M, and says which summary columns it left out', async () => {
    const dir = freshDir();
    const input = path.join(dir, 'orders.csv');
    writeFileSync(input, drawnLog(5, 400, dateToSerial(2024, 1, 1), dateToSerial(2024, 12, 31), isoDay).lines.join('\n'));
    const target = path.join(dir, 'out.xlsx');
    const run = await runCli(['segment', input, '-m', 'clusters', '-o', target]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('  Not clustered on unless chosen (Features): First purchase, Repeat purchases, Recency (weeks), Age (weeks), Mean repeat spend. By default the clusters use the number and date columns (from an order log: last order, orders and revenue): a one-hot category or a yes/no stands several standard deviations out for the few who have it and would split the customers by code before any need shows.');
    const rows = sheetRows(target, 'Clusters');
    const meansHeader = rows.findIndex((row) => row[0] === 'Feature');
    expect(rows.slice(meansHeader + 1, meansHeader + 4).map((row) => row.slice(0, 2))).toEqual([['Last order (days ago)', 'days ago'], ['Orders', 'number'], ['Revenue', 'number']]);
    const kHeader = rows.findIndex((row) => row[0] === 'k');
    expect(rows.slice(kHeader + 1).map((row) => row[0])).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(rows[kHeader - 1]).toEqual(['Choosing k: k-means at each k, the highest mean silhouette chosen']);
  });
});

describe('on UCI Online Retail (public data)', () => {
  it.skipIf(!ONLINE_RETAIL.present)(nameWithData('clusters the customers summarised from the log on R, F and M, k by silhouette, every customer placed', ONLINE_RETAIL), () => {
    const decoded = decodeDelimited(new Uint8Array(gunzipSync(readFileSync(ONLINE_RETAIL.path))), 'online_retail.csv');
    const log = readDelimitedLog(decoded, (headers) => detectRoles(headers));
    const { table } = customersFromLog(log!.table, 'en');
    const fit = fitClusters(table, defaultSettings(getModel('clusters')));
    expect(fit.features.map((used) => used.source.header)).toEqual(['Last order', 'Orders', 'Revenue']);
    expect(fit.k).toBe(fit.scores.reduce((a, b) => (b.silhouette > a.silhouette ? b : a)).k);
    expect(fit.clustered + fit.leftOutRows).toBe(table.rowCount);
    const shares = fit.profiles.clusters.reduce((sum, cluster) => sum + cluster.shareOfRevenue!, 0);
    expect(shares).toBeCloseTo(1, 9);
    const plan = buildPlan(
      { sheetName: 'Customers', origin: { headerRow: 1, firstColumn: 0 }, headers: table.headers, rows: [], marker: null, sheetNames: ['Customers'] },
      segment(table, [{ id: 'clusters', settings: defaultSettings(getModel('clusters')) }]), { mode: 'values', language: 'en' },
    );
    expect(plan.sheets.map((sheet) => sheet.name)).toEqual(['Priority', 'Summary', 'Clusters']);
  }, 120_000);
});
