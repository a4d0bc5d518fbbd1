import { clusterFitOf, formatNumber, getModel, MEAN_UNITS, type Language, type Localized, type ResultTable, type Segmentation } from '../engine';
import { NUMBER_FORMAT, PERCENT_FORMAT, tierColors, type PlanCell, type PlannedSheet } from './plan';

/**
 * The Clusters sheet: the clusters model's result as a reader uses it. Per cluster its name
 * (renamed or generated), size, share of customers and of revenue and what sets it apart; then the
 * mean of every feature per cluster against all clustered customers, in the column's own units;
 * then the choice of k (each k's inertia and silhouette). Values only: a k-means assignment has no
 * formula to recalculate (the model's valuesOnly).
 */

const TEXT = {
  title: { en: 'Needs-based clusters', da: 'Behovsbaserede klynger' },
  rename: {
    en: 'Rename a cluster in the model\'s settings (Cluster names; in the CLI: --settings with "names": [{ "cluster": 1, "generated": "<the generated name>", "name": "<yours>" }]): the name is kept in the workbook and follows the cluster as long as it comes out with the same profile.',
    da: 'Omdøb en klynge i modellens indstillinger (Klyngenavne; i kommandolinjen: --settings med "names": [{ "cluster": 1, "generated": "<det genererede navn på engelsk>", "name": "<dit>" }]): navnet gemmes i projektmappen og følger klyngen, så længe den kommer ud med samme profil.',
  },
} satisfies Record<string, Localized>;

/** The sheet's summary line: "k = 4, chosen by silhouette; 2,000 customers clustered, 300 left out". */
function summaryLine(k: number, chosenBy: 'silhouette' | 'setting', clustered: number, leftOut: number, language: Language): string {
  const n = (value: number) => formatNumber(value, language, 0);
  if (language === 'da') {
    const how = chosenBy === 'silhouette' ? 'valgt efter silhouet' : 'som sat';
    return `k = ${k}, ${how}; ${n(clustered)} kunder grupperet${leftOut > 0 ? `, ${n(leftOut)} uden klynge (for få udfyldte kolonner)` : ''}.`;
  }
  const how = chosenBy === 'silhouette' ? 'chosen by silhouette' : 'as set';
  return `k = ${k}, ${how}; ${n(clustered)} customers clustered${leftOut > 0 ? `, ${n(leftOut)} without a cluster (too few columns filled)` : ''}.`;
}

/** Appends a result table (blank row, title, header, rows) and returns the sheet row of its first data row. */
function appendTable(sheet: PlannedSheet, table: ResultTable, language: Language): number {
  sheet.rows.push([]);
  const title = sheet.rows.length;
  sheet.rows.push([table.title[language]]);
  sheet.rows.push(table.columns.map((column) => column.label[language]));
  sheet.boldRows.push(title, title + 1);
  for (const row of table.rows) {
    sheet.rows.push(row.map((cell): PlanCell => (typeof cell === 'number' ? (Number.isFinite(cell) ? cell : null) : cell[language] || null)));
  }
  return title + 2;
}

function tableOf(tables: readonly ResultTable[], key: string): ResultTable {
  const table = tables.find((candidate) => candidate.key === key);
  if (!table) throw new Error(`The clusters result has no table ${key}.`);
  return table;
}

/** A means row's number format by its unit: shares as percentages, days whole, amounts whole from 100 up. */
function meansFormat(unit: Localized, values: readonly (number | Localized)[]): string {
  if (unit.en === MEAN_UNITS.share.en) return PERCENT_FORMAT;
  if (unit.en === MEAN_UNITS.days.en) return NUMBER_FORMAT;
  const large = values.some((value) => typeof value === 'number' && Math.abs(value) >= 100);
  return large ? NUMBER_FORMAT : '0.00';
}

/**
 * Builds the Clusters sheet of the clusters result at `index`.
 * @param name the sheet's name as chosen for this workbook (SHEET_NAMES.clusters, or "Clusters (2)")
 * @throws Error when the result at `index` is not a clusters run
 */
export function buildClustersSheet(segmentation: Segmentation, index: number, language: Language, name: string): PlannedSheet {
  const result = segmentation.results[index];
  const fit = clusterFitOf(result);
  if (!fit) throw new Error(`Result ${index} is not a clusters run.`);
  const model = getModel(result.modelId);
  const tables = result.tables ?? [];
  const sheet: PlannedSheet = {
    purpose: 'clusters', name, rows: [], formulas: [], boldRows: [0], columnWidths: [40, 36, 12, 14, 14, 80, 36],
    numberFormats: [], tierColorRanges: [], charts: [], frozenRows: 0,
  };
  sheet.rows.push([TEXT.title[language]], [summaryLine(fit.k, fit.chosenBy, fit.clustered, fit.leftOutRows, language)], [TEXT.rename[language]]);

  const profile = tableOf(tables, 'clusters.profile');
  const first = appendTable(sheet, profile, language);
  const last = first + profile.rows.length - 1;
  sheet.tierColorRanges.push({ column: 0, fromRow: first, toRow: last, colors: tierColors(model, language) });
  sheet.numberFormats.push(
    { column: 2, fromRow: first, toRow: last, format: NUMBER_FORMAT },
    { column: 3, fromRow: first, toRow: last, format: PERCENT_FORMAT },
    { column: 4, fromRow: first, toRow: last, format: PERCENT_FORMAT },
  );

  const means = tableOf(tables, 'clusters.means');
  const meansFirst = appendTable(sheet, means, language);
  means.rows.forEach((row, r) => {
    sheet.numberFormats.push({ column: 2, fromRow: meansFirst + r, toRow: meansFirst + r, format: meansFormat(row[1] as Localized, row.slice(2)) });
    for (let column = 3; column < row.length; column++) {
      sheet.numberFormats.push({ column, fromRow: meansFirst + r, toRow: meansFirst + r, format: meansFormat(row[1] as Localized, row.slice(2)) });
    }
  });
  // The means table's cluster columns are headed by the cluster, coloured as its tier.
  const meansHeader = meansFirst - 1;
  for (let c = 0; c < fit.k; c++) sheet.tierColorRanges.push({ column: 3 + c, fromRow: meansHeader, toRow: meansHeader, colors: tierColors(model, language) });

  const kChoice = tableOf(tables, 'clusters.k');
  const kFirst = appendTable(sheet, kChoice, language);
  const kLast = kFirst + kChoice.rows.length - 1;
  sheet.numberFormats.push({ column: 1, fromRow: kFirst, toRow: kLast, format: '#,##0.0' }, { column: 2, fromRow: kFirst, toRow: kLast, format: '0.000' });
  return sheet;
}
