import { formatNumber } from '../model';
import type { CustomerTable } from '../table';
import { countRows } from '../prospects';
import type { CellValue, Language, Localized } from '../types';
import { analyseFeatures, describeFeatureValue, featureColumns, fitFeatures, isBlank, type FeatureSet, type SkewSetting } from './features';
import { findTwins, matchingFeatures, type TwinsResult } from './twins';

/*
 * Twins on a customer table: which columns describe both the reference group and the candidates,
 * the standardised features, and the nearest-neighbour search (twins.ts). The twins model and
 * =SEGMENT.TWINS both search through here, so a function and a model on the same cells agree.
 *
 * A column the feature layer can use is left out for twins when more than half of the candidates
 * have it blank (MOSTLY_BLANK_FOR_CANDIDATES): prospects have no revenue, potential or purchase
 * history, and twins found on values imputed for every prospect alike would be twins on the
 * imputation. So on a table of customers and prospects the search runs on what prospects have
 * (firmographics: industry, size, region), and the left-out columns are said.
 */

/** A usable column is left out for twins when more than this share of the candidates have it blank. */
export const MOSTLY_BLANK_FOR_CANDIDATES = 0.5;

/** The rows of one search: 1 per row in each group. Each of length rowCount. */
export interface TwinGroups {
  /** The group the others are compared with (the best customers). */
  reference: Uint8Array;
  /** The rows to rank (prospects): the features are those these rows have. */
  candidates: Uint8Array;
  /** The rows to search twins for: the candidates and any other row that needs an estimate (a superset of candidates). */
  scored: Uint8Array;
}

export interface TwinSearchOptions {
  /** Headers the user chose (table or joined); every usable column when left out. */
  features?: readonly string[];
  skew?: SkewSetting;
  /** Nearest reference customers per row (default 3). */
  neighbours?: number;
  /** Headers never used as features: the customer type column, the flag column that makes the group. */
  exclude?: readonly string[];
}

/** A usable column left out because most candidates have it blank. */
export interface BlankForCandidates {
  header: string;
  blanks: number;
  candidates: number;
}

export interface TwinSearch {
  set: FeatureSet;
  twins: TwinsResult;
  /** The source columns the search ran on (table or joined headers), in table order. */
  used: string[];
  blankForCandidates: BlankForCandidates[];
}

/** Why no twin search can be made on the table (no features, a group of fewer than two): `text` in both languages. */
export class TwinSearchError extends Error {
  readonly text: Localized;

  constructor(text: Localized) {
    super(text.en);
    this.name = 'TwinSearchError';
    this.text = text;
  }
}

/** The cell of a table or joined column for data row i. */
function cellOf(table: CustomerTable, origin: 'table' | 'joined', column: number): (row: number) => CellValue {
  if (origin === 'joined') {
    const cells = table.joined!.columns[column];
    return (row) => cells[row];
  }
  return (row) => table.cells[row]?.[column];
}

/**
 * The features the candidates have and the twins of every scored row among the reference group.
 * Features are the usable columns (analyseFeatures' candidates; the user's choice when given) that
 * at most MOSTLY_BLANK_FOR_CANDIDATES of the candidates have blank, standardised over every
 * customer row (fitFeatures on the same analysis).
 * @throws TwinSearchError when no column describes the candidates, or the group has fewer than two rows
 * @throws UnknownFeatureError when a chosen header names no column
 */
export function searchTwins(table: CustomerTable, groups: TwinGroups, options: TwinSearchOptions = {}): TwinSearch {
  const candidateCount = countRows(groups.candidates);
  const referenceCount = countRows(groups.reference);
  if (referenceCount < 2) {
    throw new TwinSearchError({
      en: `the reference group has ${referenceCount} customer(s); twins need at least two to compare with`,
      da: `referencegruppen har ${referenceCount} kunde(r); tvillinger kræver mindst to at sammenligne med`,
    });
  }
  const allHeaders = [...table.headers, ...(table.joined?.headers ?? [])];
  const chosen = options.features === undefined ? undefined : new Set(featureColumns(allHeaders, options.features));
  const used: string[] = [];
  const blankForCandidates: BlankForCandidates[] = [];
  // One analysis: the candidates to choose from and, from the same columns read, the feature set.
  const analysis = analyseFeatures(table, { exclude: options.exclude });
  for (const column of analysis.candidates) {
    const index = column.origin === 'table' ? column.column : table.headers.length + column.column;
    if (!column.usable || (chosen && !chosen.has(index))) continue;
    const cell = cellOf(table, column.origin, column.column);
    let blanks = 0;
    for (let i = 0; i < table.rowCount; i++) if (groups.candidates[i] && isBlank(cell(i))) blanks++;
    if (blanks > MOSTLY_BLANK_FOR_CANDIDATES * candidateCount) blankForCandidates.push({ header: column.header, blanks, candidates: candidateCount });
    else used.push(column.header);
  }
  if (used.length === 0) {
    const blank = blankForCandidates.map((column) => column.header).join(', ');
    throw new TwinSearchError({
      en: `no column describes the candidates${blank ? ` (blank for most of them: ${blank})` : ''}; add columns both customers and prospects have (industry, size, region)`,
      da: `ingen kolonne beskriver kandidaterne${blank ? ` (tom for de fleste af dem: ${blank})` : ''}; tilføj kolonner, som både kunder og emner har (branche, størrelse, region)`,
    });
  }
  const set = fitFeatures(analysis, { columns: used, skew: options.skew });
  const twins = findTwins(set.matrix, groups.reference, groups.scored, { neighbours: options.neighbours ?? 3 });
  return { set, twins, used, blankForCandidates };
}

/**
 * The features row `row` shares with its twins, in words, closest first, one per source column
 * ("Branche: 432200", "Region: Midtjylland", "Antal ansatte 24"): a number within half a standard
 * deviation of its twins' mean (matchingFeatures), a category when every twin has the row's own
 * level. A value the row lacks (imputed) is no match.
 */
export function matchingTexts(search: TwinSearch, row: number, language: Language): string[] {
  const { set, twins } = search;
  const seen = new Set<number>();
  const texts: string[] = [];
  for (const index of matchingFeatures(set.matrix, twins, row)) {
    const feature = set.features[index];
    if (feature.kind === 'missing' || seen.has(feature.sourceIndex)) continue;
    const source = set.sources[feature.sourceIndex];
    if (source.codes) {
      const code = source.codes[row];
      // A one-hot feature matches on the levels neither has too: only the row's own level is a match.
      if (code < 0 || source.levels![code] !== feature.level) continue;
    } else if (Number.isNaN(source.values![row])) continue;
    seen.add(feature.sourceIndex);
    texts.push(describeFeatureValue(set, index, row, language));
  }
  return texts;
}

/** "Omsætning (300 of 300 blank)" per column left out as blank for most candidates. */
export function blankColumnsText(columns: readonly BlankForCandidates[], language: Language): string {
  const of = language === 'da' ? 'af' : 'of';
  const blank = language === 'da' ? 'tomme' : 'blank';
  return columns.map((column) => `${column.header} (${formatNumber(column.blanks, language, 0)} ${of} ${formatNumber(column.candidates, language, 0)} ${blank})`).join(', ');
}
