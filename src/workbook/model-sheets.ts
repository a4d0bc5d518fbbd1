import {
  factorName, factorShares, factorsSetting, flattenTree, getModel, isLeaf, LEAF_SCALE_NAMES, leafScale, numberSetting, sourceLabel, TERMS_FIELDS,
  termsFieldText, termsSetting, tierName,
  VALUE_TIER_IDS, type FactorNode, type Language, type Localized, type Segmentation,
} from '../engine';
import { NUMBER_FORMAT, PERCENT_FORMAT, TEXT as SHEET_TEXT, tierColors, type PlanCell, type PlannedSheet } from './plan';

/** The sheets only some models need: Terms (value tiers), Factors (deep-dive rating), and the score's best and worst lists. */

/** The words only these sheets use; the rest come from the plan's own (SHEET_TEXT). */
const TEXT = {
  termsTitle: { en: 'Terms per value tier', da: 'Vilkår pr. værdisegment' },
  tier: { en: 'Tier', da: 'Segment' },
  rules: { en: 'Rules', da: 'Regler' },
  factorsTitle: { en: 'Factors of the deep-dive rating', da: 'Faktorer i den dybdegående kundevurdering' },
  factor: { en: 'Factor', da: 'Faktor' },
  weight: { en: 'Weight', da: 'Vægt' },
  ofParent: { en: 'Share of group', da: 'Andel af gruppen' },
  ofTotal: { en: 'Share of total', da: 'Andel af total' },
  column: { en: 'Column', da: 'Kolonne' },
  direction: { en: 'Better when', da: 'Bedre når' },
  higher: { en: 'higher', da: 'højere' },
  lower: { en: 'lower', da: 'lavere' },
  scale: { en: 'Scale', da: 'Skala' },
  scaleMin: { en: 'Scale min', da: 'Skala min' },
  scaleMax: { en: 'Scale max', da: 'Skala maks' },
  leftOut: { en: 'Left out', da: 'Udeladt' },
  best: { en: 'Best', da: 'Bedste' },
  worst: { en: 'Worst', da: 'Værste' },
  group: { en: 'Group', da: 'Gruppe' },
} satisfies Record<string, Localized>;

const TERMS_HEADER_ROW = 2;

function emptyAsNull(value: string | number): string | number | null {
  return value === '' ? null : value;
}

function emptySheet(purpose: PlannedSheet['purpose'], name: string, columnWidths: number[]): PlannedSheet {
  return { purpose, name, rows: [], formulas: [], boldRows: [], columnWidths, numberFormats: [], tierColorRanges: [], charts: [], frozenRows: 0 };
}

/** The Terms sheet: one row per value tier with what it gets, the customers in it, and the rules applied. */
export function buildTermsSheet(segmentation: Segmentation, index: number, language: Language, name: string): PlannedSheet {
  const result = segmentation.results[index];
  const model = getModel(result.modelId);
  const terms = termsSetting(segmentation.settings[index]);
  const t = (text: Localized) => text[language];
  const sheet = emptySheet('terms', name, [12, 40, 11, ...TERMS_FIELDS.map((field) => (field.format === 'text' ? 22 : 14))]);
  const counts = new Array<number>(model.tiers.length).fill(0);
  for (const tier of result.tiers) if (tier >= 0) counts[tier]++;
  sheet.rows.push([t(TEXT.termsTitle)], []);
  sheet.rows.push([t(TEXT.tier), t(SHEET_TEXT.meaning), t(SHEET_TEXT.customers), ...TERMS_FIELDS.map((field) => t(field.label))]);
  VALUE_TIER_IDS.forEach((id, tierIndex) => {
    sheet.rows.push([tierName(model.tiers[tierIndex], language), t(model.tiers[tierIndex].label), counts[tierIndex], ...TERMS_FIELDS.map((field) => emptyAsNull(termsFieldText(terms[id], field.key, language)))]);
  });
  sheet.boldRows.push(0, TERMS_HEADER_ROW);
  const first = TERMS_HEADER_ROW + 1;
  const last = TERMS_HEADER_ROW + VALUE_TIER_IDS.length;
  sheet.tierColorRanges.push({ column: 0, fromRow: first, toRow: last, colors: tierColors(model, language) });
  TERMS_FIELDS.forEach((field, k) => {
    if (field.format === 'percent') sheet.numberFormats.push({ column: 3 + k, fromRow: first, toRow: last, format: PERCENT_FORMAT });
    if (field.format === 'amount') sheet.numberFormats.push({ column: 3 + k, fromRow: first, toRow: last, format: NUMBER_FORMAT });
  });
  sheet.rows.push([]);
  sheet.boldRows.push(sheet.rows.length);
  sheet.rows.push([t(TEXT.rules)]);
  for (const note of result.notes) sheet.rows.push([t(note)]);
  return sheet;
}

/**
 * The Factors sheet: the tree as set, each factor's weight, its share of its group and of the
 * total, and each leaf's scale (min and max only for a fixed one). Names still at their default
 * are written in the sheet's language (factorName).
 */
export function buildFactorsSheet(segmentation: Segmentation, index: number, language: Language, name: string): PlannedSheet {
  const settings = segmentation.settings[index];
  const root = factorsSetting(settings);
  const hourlyRate = numberSetting(settings, 'hourlyRate');
  const tree = flattenTree(segmentation.table, root, hourlyRate);
  const totals = factorShares(root, tree);
  const t = (text: Localized) => text[language];
  const sheet = emptySheet('factors', name, [8, 36, 10, 16, 14, 26, 12, 20, 12, 12]);
  sheet.rows.push([t(TEXT.factorsTitle)], []);
  sheet.rows.push([t(SHEET_TEXT.level), t(TEXT.factor), t(TEXT.weight), t(TEXT.ofParent), t(TEXT.ofTotal), t(TEXT.column), t(TEXT.direction), t(TEXT.scale), t(TEXT.scaleMin), t(TEXT.scaleMax)]);
  sheet.boldRows.push(0, 2);
  const visit = (node: FactorNode, level: number, parentTotal: number) => {
    const total = totals.get(node) ?? 0;
    const row: PlanCell[] = [level, `${'    '.repeat(level - 1)}${factorName(node, language)}`, node.weight, parentTotal > 0 ? total / parentTotal : 0, total];
    if (isLeaf(node)) {
      const scale = leafScale(node);
      const fixed = scale === 'fixed';
      row.push(sourceLabel(node.source!, language), t(node.direction === 'lower' ? TEXT.lower : TEXT.higher), t(LEAF_SCALE_NAMES[scale]),
        fixed ? node.min ?? null : null, fixed ? node.max ?? null : null);
    } else sheet.boldRows.push(sheet.rows.length);
    sheet.rows.push(row);
    for (const child of node.children ?? []) visit(child, level + 1, total);
  };
  for (const child of root.children ?? []) visit(child, 1, 1);
  const last = sheet.rows.length - 1;
  sheet.numberFormats.push({ column: 3, fromRow: 3, toRow: last, format: PERCENT_FORMAT }, { column: 4, fromRow: 3, toRow: last, format: PERCENT_FORMAT });
  if (tree.leftOut.length > 0) {
    sheet.rows.push([]);
    sheet.boldRows.push(sheet.rows.length);
    sheet.rows.push([t(TEXT.leftOut)]);
    for (const note of tree.leftOut) sheet.rows.push([t(note)]);
  }
  return sheet;
}

export const LIST_SIZES = [10, 30, 50] as const;

/**
 * The best and worst 50 by score beside the Priority list, each row marked with the smallest of
 * the 10 / 30 / 50 groups it belongs to, so one list answers all three questions.
 */
export function scoreLists(sheet: PlannedSheet, segmentation: Segmentation, index: number, language: Language, startColumn: number): void {
  const result = segmentation.results[index];
  const scores = result.metrics.find((metric) => metric.key === 'score');
  const rank = result.metrics.find((metric) => metric.key === 'rank');
  if (!scores || scores.format === 'text' || !rank) return;
  const { table } = segmentation;
  const scored = Array.from({ length: table.rowCount }, (_, i) => i).filter((i) => !Number.isNaN(scores.values[i]));
  // Ties keep table order, so the lists do not change between runs.
  scored.sort((a, b) => scores.values[b] - scores.values[a] || a - b);
  const size = LIST_SIZES[LIST_SIZES.length - 1];
  const best = scored.slice(0, size);
  const worst = scored.slice(-size).reverse();
  const t = (text: Localized) => text[language];
  const customer = (i: number) => table.texts.name?.[i] || table.texts.id?.[i] || `#${i + 1}`;
  const blocks = [{ title: TEXT.best, rows: best }, { title: TEXT.worst, rows: worst }];
  blocks.forEach((block, b) => {
    const column = startColumn + b * 5;
    const cells: PlanCell[][] = [[`${t(block.title)} ${size}: ${t(rank.label)}`, t(SHEET_TEXT.name), t(scores.label), t(TEXT.group)]];
    block.rows.forEach((row, position) => {
      const limit = LIST_SIZES.find((candidate) => position < candidate);
      cells.push([position + 1, customer(row), scores.values[row], `${t(block.title)} ${limit}`]);
    });
    cells.forEach((values, r) => {
      while (sheet.rows.length <= r) sheet.rows.push([]);
      const target = sheet.rows[r];
      while (target.length < column) target.push(null);
      target.splice(column, values.length, ...values);
    });
    sheet.numberFormats.push({ column: column + 2, fromRow: 1, toRow: block.rows.length, format: '0.0' });
    while (sheet.columnWidths.length < column) sheet.columnWidths.push(4);
    sheet.columnWidths.splice(column, 4, 18, 30, 10, 12);
  });
}
