import { InvalidSettingsError } from '../checks';
import { cutAt, isHigh, usedCut, type CutSpec } from '../cuts';
import { FEATURE_DEFAULTS, featureListSetting, skewChoiceSetting, skewSetting } from '../learn/feature-settings';
import { candidateFeatures, featureSetting, parseLabel } from '../learn/features';
import { findHeader } from '../learn/join';
import { estimateFromTwins } from '../learn/twins';
import { blankColumnsText, matchingTexts, searchTwins, TwinSearchError, type TwinSearch } from '../learn/twin-search';
import {
  cutSetting, settingLabel, formatAmount, formatNumber, inputsOf, modelAvailability, numberSetting, tierName,
  type ModelDefinition, type ModelResult, type ModelSettings, type RunContext,
} from '../model';
import { PALETTE } from '../palette';
import { countRows, prospectRows } from '../prospects';
import { roleDefinition, type RoleId } from '../roles';
import { isBlankRow, MissingRoleError, type CustomerTable } from '../table';
import { lazyLocalized, type Language, type Localized } from '../types';
import { abcd, ESTIMATED_POTENTIAL_METRIC } from './abcd';
import { clv } from './clv';
import { pareto } from './pareto';
import { rfm } from './rfm';
import { value } from './value';

/*
 * Twins of the best customers: which prospects (or, in a table without prospects, which other
 * customers) look like a reference group, on the columns both have.
 *
 * Reference group: a segment of another model ('pareto:A' by default: the customers making the
 * first 80 % of revenue; 'value:Gold', 'abcd:A', 'clv:Top', 'rfm:Champions', any tier as
 * 'model:Tier'), or 'column:<header>', the rows a flag column marks yes/ja/x/1/TRUE. Customers the
 * churned column marks as gone and prospects are never in it: a customer who left is no model to
 * copy, and a prospect not yet a customer.
 * Candidates: the rows whose customer type says prospect (isProspectText: Lead, Prospect, Emne,
 * Kundeemne, Potentiel kunde, …); in a table without any, every customer outside the group.
 * Features: the usable columns (features.ts) that most candidates have (twin-search.ts), leaving
 * out the customer type column, the churned column, the flag column and the columns the reference
 * model cut on (twins on the very column that defines the group would only repeat the cut), each
 * unless the user chose it.
 * Similarity 0–100 (learn/twins.ts): 100 × the share of the group's own members farther from their
 * nearest fellow members than the row is from its nearest members; 50 is as close as a typical
 * member. Tiers cut it: Close twin at or above the close cut (50 by default), Twin at or above the
 * twin cut (20), Not alike below; the group itself is Reference.
 * Estimated potential (from twins): for every row without a potential, the median potential of its
 * nearest reference customers (their revenue where the table has no potential column), never
 * below the row's own revenue; ABCD reads it as potential when twins runs beside it.
 */

/** The models a reference group can be a segment of, by id. Imported here (not through the catalog, which lists twins). */
const REFERENCE_MODELS: Record<string, ModelDefinition> = { pareto, value, abcd, clv, rfm };

const FLAG_PREFIX = 'column:';

const TIER = { reference: 0, close: 1, twin: 2, notAlike: 3 } as const;

const METRIC = {
  similarity: 'twins.similarity',
  nearest: 'twins.nearest',
  matching: 'twins.matching',
  estimate: ESTIMATED_POTENTIAL_METRIC,
} as const;

/** The reference group of a run: who is in it, what it is called, and the columns that made it. */
interface ReferenceGroup {
  rows: Uint8Array;
  /** "Pareto ABC: A", "the rows Nøglekunde marks". */
  name: Localized;
  /** Headers that decided membership (the reference model's inputs, the flag column): not features unless chosen. */
  definingHeaders: string[];
}

/** Why twins cannot run on the table, as a clause (segment() leaves the model out with it). */
export class TwinsError extends Error {
  constructor(readonly text: Localized) {
    super(text.en);
    this.name = 'TwinsError';
  }
}

function referenceSetting(settings: ModelSettings): string {
  return typeof settings.reference === 'string' && settings.reference.trim() !== '' ? settings.reference.trim() : 'pareto:A';
}

function badReference(reference: string, why: Localized): InvalidSettingsError {
  return new InvalidSettingsError('twins', [{
    key: 'reference', kind: 'cut',
    text: { en: `Twins: the reference group "${reference}" ${why.en}.`, da: `Tvillinger: referencegruppen "${reference}" ${why.da}.` },
  }]);
}

/** The result of a reference model: from the run (chosen settings, or defaults), or run here with its defaults. */
function referenceResult(model: ModelDefinition, table: CustomerTable, context: RunContext | undefined): ModelResult {
  const mapped = (role: RoleId) => table.mapping[role] !== undefined;
  const cannot = (why: Localized) => new TwinsError({
    en: `the reference group (${model.name.en}) cannot be formed: ${why.en}`,
    da: `referencegruppen (${model.name.da}) kan ikke dannes: ${why.da}`,
  });
  const availability = modelAvailability(model, mapped);
  if (!availability.supported) throw cannot(availability.why);
  let result: ModelResult | undefined;
  try {
    result = context ? context.resultOf(model.id) : model.run(table, structuredClone(model.defaults));
  } catch (error) {
    const text = (error as { text?: Localized }).text;
    if (error instanceof MissingRoleError) {
      const label = roleDefinition(error.role).label;
      throw cannot({ en: `the table has no column for ${label.en}`, da: `tabellen har ingen kolonne til ${label.da}` });
    }
    if (text && typeof text.en === 'string') throw cannot({ en: text.en.replace(/\.$/, ''), da: text.da.replace(/\.$/, '') });
    throw error;
  }
  if (!result) throw cannot({ en: 'it did not run on this table', da: 'den kørte ikke på denne tabel' });
  return result;
}

/** The reference group a setting names ('model:Tier' or 'column:<header>'), prospects and churned customers left out. */
function referenceGroup(table: CustomerTable, reference: string, context: RunContext | undefined, prospects: Uint8Array | undefined): ReferenceGroup & { churnedLeftOut: number } {
  const group = reference.toLowerCase().startsWith(FLAG_PREFIX) ? flagGroup(table, reference) : modelGroup(table, reference, context);
  const churned = table.numbers.churned;
  let churnedLeftOut = 0;
  for (let i = 0; i < table.rowCount; i++) {
    if (!group.rows[i]) continue;
    if (prospects?.[i] || isBlankRow(table, i)) group.rows[i] = 0;
    else if (churned && churned[i] === 1) {
      group.rows[i] = 0;
      churnedLeftOut++;
    }
  }
  return { ...group, churnedLeftOut };
}

function flagGroup(table: CustomerTable, reference: string): ReferenceGroup {
  const header = reference.slice(FLAG_PREFIX.length).trim();
  const column = findHeader(table.headers, header);
  if (column < 0) {
    throw badReference(reference, {
      en: `names no column; columns: ${table.headers.filter(Boolean).map((name) => `"${name}"`).join(', ')}`,
      da: `nævner ingen kolonne; kolonner: ${table.headers.filter(Boolean).map((name) => `"${name}"`).join(', ')}`,
    });
  }
  const rows = new Uint8Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) rows[i] = parseLabel(table.cells[i]?.[column] ?? null) === 1 ? 1 : 0;
  const name = table.headers[column];
  return { rows, name: { en: `the rows ${name} marks yes`, da: `rækkerne ${name} markerer ja` }, definingHeaders: [name] };
}

function modelGroup(table: CustomerTable, reference: string, context: RunContext | undefined): ReferenceGroup {
  const colon = reference.indexOf(':');
  const modelId = reference.slice(0, colon).trim().toLowerCase();
  const tierId = reference.slice(colon + 1).trim();
  const model = colon > 0 ? REFERENCE_MODELS[modelId] : undefined;
  if (!model) {
    throw badReference(reference, {
      en: `is neither a segment of ${Object.keys(REFERENCE_MODELS).join(', ')} (as value:Gold) nor a flag column (as column:Key account)`,
      da: `er hverken et segment af ${Object.keys(REFERENCE_MODELS).join(', ')} (som value:Gold) eller en markeringskolonne (som column:Nøglekunde)`,
    });
  }
  const tier = model.tiers.findIndex((candidate) => candidate.id.toLowerCase() === tierId.toLowerCase());
  if (tier < 0) {
    const tiers = model.tiers.map((candidate) => candidate.id).join(', ');
    throw badReference(reference, { en: `names no segment of ${model.id}; its segments: ${tiers}`, da: `nævner intet segment af ${model.id}; dens segmenter: ${tiers}` });
  }
  const result = referenceResult(model, table, context);
  const rows = Uint8Array.from(result.tiers, (t) => (t === tier ? 1 : 0));
  const definingHeaders = result.inputs.used.flatMap((role) => (table.mapping[role] === undefined ? [] : [table.headers[table.mapping[role]!]]));
  const name = { en: `${model.name.en}: ${tierName(model.tiers[tier], 'en')}`, da: `${model.name.da}: ${tierName(model.tiers[tier], 'da')}` };
  return { rows, name, definingHeaders };
}

/** The rows to rank: prospects (outside the group), else every customer outside the group. */
function candidateRows(table: CustomerTable, reference: Uint8Array, prospects: Uint8Array | undefined): { rows: Uint8Array; prospects: boolean } {
  const anyProspect = prospects !== undefined && countRows(prospects) > 0;
  const rows = new Uint8Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) {
    rows[i] = !reference[i] && !isBlankRow(table, i) && (anyProspect ? prospects![i] : 1) ? 1 : 0;
  }
  return { rows, prospects: anyProspect };
}

/** Rows (customers and prospects) without a potential: every row when the table has no potential column. */
function rowsWithoutPotential(table: CustomerTable): Uint8Array {
  const potential = table.numbers.potential;
  return Uint8Array.from({ length: table.rowCount }, (_, i) => (!isBlankRow(table, i) && (!potential || Number.isNaN(potential[i])) ? 1 : 0));
}

/**
 * The estimate per row that needs one: the median over its twins of their potential (or revenue
 * without a potential column), at least the row's own revenue; NaN elsewhere.
 */
function estimatePotential(table: CustomerTable, search: TwinSearch, needs: Uint8Array): Estimate {
  const basis = table.numbers.potential ? 'potential' : table.numbers.revenue ? 'revenue' : null;
  const values = new Float64Array(table.rowCount).fill(NaN);
  const raised = new Uint8Array(table.rowCount);
  if (!basis) return { values, raised, basis, count: 0 };
  const estimate = estimateFromTwins(search.twins, table.numbers[basis]!);
  const revenue = table.numbers.revenue;
  let count = 0;
  for (let i = 0; i < table.rowCount; i++) {
    if (!needs[i] || Number.isNaN(estimate[i])) continue;
    // A potential is the customer's whole wallet: never below what it buys already.
    raised[i] = revenue && revenue[i] > estimate[i] ? 1 : 0;
    values[i] = raised[i] ? revenue![i] : estimate[i];
    count++;
  }
  return { values, raised, basis, count };
}

/** Estimated potential per row (NaN where none), 1 where it was raised to the row's own revenue, and what it is a median of. */
interface Estimate {
  values: Float64Array;
  raised: Uint8Array;
  basis: 'potential' | 'revenue' | null;
  count: number;
}

/** The nearest reference customers of a row by name (else customer ID, else sheet row), nearest first. */
function nearestNames(table: CustomerTable, search: TwinSearch, row: number): string[] {
  const names = table.texts.name ?? table.texts.id;
  const k = search.twins.neighbours;
  const found: string[] = [];
  for (let i = 0; i < k; i++) {
    const twin = search.twins.nearest[row * k + i];
    if (twin < 0) continue;
    found.push(names?.[twin] || `#${table.origin.headerRow + 1 + twin}`);
  }
  return found;
}

const SIMILARITY_LABEL: Localized = { en: 'Similarity', da: 'Lighed' };

export const twins: ModelDefinition = {
  id: 'twins',
  name: { en: 'Twins of the best customers', da: 'Tvillinger af de bedste kunder' },
  description: {
    en: 'Which prospects look like your best customers: a similarity 0–100 to a reference group on the columns both have, the three nearest reference customers, the features that match, and an estimated potential.',
    da: 'Hvilke emner ligner jeres bedste kunder: en lighed 0–100 med en referencegruppe på de kolonner, begge har, de tre nærmeste referencekunder, de kendetegn der passer, og et estimeret potentiale.',
  },
  columnHeader: 'Segment Twins',
  columnHeaderDa: 'Segment Tvillinger',
  functionName: 'TWINS',
  // The Type column says who is a prospect; without one (or without prospects) the candidates are
  // the customers outside the group. Any table can run it, so it runs only when chosen by name.
  inputs: [],
  optionalInputs: ['customerType', 'name', 'potential', 'churned'],
  onlyWhenChosen: true,
  provides: ['potential'],
  settings: [
    {
      key: 'reference', kind: 'choice', label: { en: 'Reference group (the best customers)', da: 'Referencegruppe (de bedste kunder)' },
      options: [
        { value: 'pareto:A', label: { en: 'Pareto A: the customers making the first 80 % of revenue', da: 'Pareto A: kunderne, der står for de første 80 % af omsætningen' } },
        { value: 'value:Gold', label: { en: 'Value tier Gold', da: 'Værdisegment Guld' } },
        { value: 'abcd:A', label: { en: 'ABCD A: high revenue, high potential', da: 'ABCD A: høj omsætning, højt potentiale' } },
        { value: 'clv:Top', label: { en: 'CLV Top: the highest lifetime value', da: 'CLV Top: den højeste kundelevetidsværdi' } },
        { value: 'rfm:Champions', label: { en: 'RFM Champions: bought recently, buy often', da: 'RFM Topkunder: har købt for nylig og køber ofte' } },
      ],
      prefixed: [{ prefix: FLAG_PREFIX, label: { en: 'A flag column: the rows it marks yes, x or 1', da: 'En markeringskolonne: de rækker, den markerer ja, x eller 1' } }],
    },
    featureListSetting(),
    skewChoiceSetting(),
    { key: 'neighbours', kind: 'number', min: 1, max: 20, label: { en: 'Nearest reference customers compared', da: 'Nærmeste referencekunder der sammenlignes med' } },
    { key: 'closeCut', kind: 'cut', label: { en: 'Close twin cut (similarity)', da: 'Skæring for tæt tvilling (lighed)' } },
    { key: 'twinCut', kind: 'cut', label: { en: 'Twin cut (similarity)', da: 'Skæring for tvilling (lighed)' } },
  ],
  defaults: {
    reference: 'pareto:A', ...FEATURE_DEFAULTS, neighbours: 3,
    closeCut: { method: 'value', level: 50 }, twinCut: { method: 'value', level: 20 },
  },
  cutOrder: [{ stricter: 'closeCut', looser: 'twinCut' }],
  tiers: [
    { id: 'Reference', label: { en: 'Reference: the best customers, whom the others are compared with', da: 'Reference: de bedste kunder, som de andre sammenlignes med' }, ...PALETTE.blue, priority: 3,
      action: { en: 'Keep close and ask for referrals: the customers the twins are found by', da: 'Hold tæt kontakt og bed om anbefalinger: kunderne, tvillingerne findes ud fra' } },
    { id: 'Close twin', label: { en: 'Close twin: as alike as the best customers are to each other', da: 'Tæt tvilling: lige så ens som de bedste kunder er med hinanden' }, ...PALETTE.green, priority: 1,
      action: { en: 'Call first: offer what the look-alike customers buy, with their references', da: 'Ring først: tilbyd det, de lignende kunder køber, med dem som reference' } },
    { id: 'Twin', label: { en: 'Twin: alike, though less than the best customers are to each other', da: 'Tvilling: ens, men mindre end de bedste kunder er med hinanden' }, ...PALETTE.sky, priority: 2,
      action: { en: 'Approach in a campaign: the offer that won the look-alike customers', da: 'Kontakt i en kampagne: det tilbud, der vandt de lignende kunder' } },
    { id: 'Not alike', label: { en: 'Not alike: unlike the best customers', da: 'Ikke ens: ligner ikke de bedste kunder' }, ...PALETTE.grey, priority: 4,
      action: { en: 'Nurture lean: standard marketing only', da: 'Pleje enkelt: kun standardmarkedsføring' } },
  ],
  // What run() leaves out unless chosen: the type and churned columns and what makes the group (the reference model's columns as mapped, or the flag column).
  defaultFeatures(table, settings) {
    const reference = referenceSetting(settings);
    const flag = reference.toLowerCase().startsWith(FLAG_PREFIX) ? [reference.slice(FLAG_PREFIX.length).trim()] : [];
    const model = REFERENCE_MODELS[reference.slice(0, Math.max(reference.indexOf(':'), 0)).trim().toLowerCase()];
    const roles: RoleId[] = ['customerType', 'churned', ...(flag.length === 0 && model ? [...model.inputs, ...(model.optionalInputs ?? [])] : [])];
    const left = [...flag, ...roles.flatMap((role) => (table.mapping[role] === undefined ? [] : [table.headers[table.mapping[role]!]]))];
    return candidateFeatures(table).filter((column) => column.usable && findHeader(left, column.header) < 0).map((column) => column.header);
  },
  run(table, settings, context) {
    const reference = referenceSetting(settings);
    const prospects = prospectRows(table);
    const group = referenceGroup(table, reference, context, prospects);
    const candidates = candidateRows(table, group.rows, prospects);
    const needsEstimate = rowsWithoutPotential(table);
    const scored = Uint8Array.from(candidates.rows, (candidate, i) => candidate | needsEstimate[i]);
    const chosen = featureSetting(settings);
    const neighbours = Math.max(1, Math.round(numberSetting(settings, 'neighbours')));
    const typeHeader = table.mapping.customerType === undefined ? [] : [table.headers[table.mapping.customerType]];
    const churnedHeader = table.mapping.churned === undefined ? [] : [table.headers[table.mapping.churned]];
    // Left out unless chosen: what says who is a prospect or gone, and what made the group.
    const exclude = [...typeHeader, ...churnedHeader, ...group.definingHeaders].filter((header) => !chosen?.some((wanted) => findHeader([header], wanted) === 0));
    let search: TwinSearch;
    try {
      search = searchTwins(table, { reference: group.rows, candidates: candidates.rows, scored }, { features: chosen, skew: skewSetting(settings), neighbours, exclude });
    } catch (error) {
      if (error instanceof TwinSearchError) throw new TwinsError(error.text);
      throw error;
    }
    const similarity = search.twins.similarity;
    const candidateSimilarity = Float64Array.from(similarity, (value, i) => (candidates.rows[i] ? value : NaN));
    const closeSpec = cutSetting(settings, 'closeCut');
    const twinSpec = cutSetting(settings, 'twinCut');
    const closeResolved = cutAt(candidateSimilarity, closeSpec);
    const twinResolved = cutAt(candidateSimilarity, twinSpec);
    const tiers = new Int8Array(table.rowCount).fill(-1);
    for (let i = 0; i < table.rowCount; i++) {
      if (group.rows[i]) tiers[i] = TIER.reference;
      else if (candidates.rows[i]) tiers[i] = tierOf(similarity[i], closeResolved.value, closeSpec, twinResolved.value, twinSpec);
    }
    const estimate = estimatePotential(table, search, needsEstimate);
    const explain = explainer(table, search, { group, candidates: candidates.rows, scored, prospects: candidates.prospects, tiers, estimate, cuts: [closeResolved.value, twinResolved.value] });
    return {
      modelId: 'twins',
      inputs: inputsOf(table, ['customerType', 'name', ...(estimate.basis ? [estimate.basis] : [])], ['name', 'potential']),
      tiers,
      cuts: [usedCut('closeCut', settingLabel(this, 'closeCut'), closeSpec, closeResolved), usedCut('twinCut', settingLabel(this, 'twinCut'), twinSpec, twinResolved)],
      measure: 'revenue',
      metrics: [
        { key: METRIC.similarity, label: SIMILARITY_LABEL, format: 'number', decimals: 1, values: candidateSimilarity, table: true, priority: true },
        {
          key: METRIC.nearest, label: { en: 'Nearest customers', da: 'Nærmeste kunder' }, format: 'text', table: true, priority: true,
          text: (row) => { const names = scored[row] ? nearestNames(table, search, row).join(', ') : ''; return { en: names, da: names }; },
        },
        {
          key: METRIC.matching, label: { en: 'Matching features', da: 'Fælles kendetegn' }, format: 'text', table: true,
          text: (row) => (scored[row] ? lazyLocalized((language) => matchingTexts(search, row, language).join('; ')) : { en: '', da: '' }),
        },
        { key: METRIC.estimate, label: { en: 'Estimated potential (from twins)', da: 'Estimeret potentiale (fra tvillinger)' }, format: 'amount', values: estimate.values, table: true, priority: true },
      ],
      notes: runNotes(table, search, { group, candidates: candidates.rows, prospects: candidates.prospects, estimate, neighbours, featuresChosen: chosen !== undefined }),
      explain,
      priorityWithinTier: (row) => (candidates.rows[row] ? similarity[row] : NaN),
    };
  },
  formula: () => null,
  valuesOnly: {
    en: 'Twins are written as values: the similarity is a nearest-neighbour search over the whole table, which no formula per row writes; =SEGMENT.TWINS computes it live from two ranges.',
    da: 'Tvillinger skrives som værdier: ligheden er en søgning efter nærmeste naboer i hele tabellen, som ingen formel pr. række skriver; =SEGMENT.TWINS beregner den levende ud fra to områder.',
  },
};

function tierOf(similarity: number, closeCut: number, closeSpec: CutSpec, twinCut: number, twinSpec: CutSpec): number {
  if (Number.isNaN(similarity)) return -1;
  if (isHigh(similarity, closeCut, closeSpec)) return TIER.close;
  return isHigh(similarity, twinCut, twinSpec) ? TIER.twin : TIER.notAlike;
}

interface RunFacts {
  group: ReferenceGroup & { churnedLeftOut: number };
  candidates: Uint8Array;
  prospects: boolean;
  estimate: Estimate;
}

/** What the run decided, for the Summary, the pane and the CLI: the group, the candidates, the features, how the numbers are made. */
function runNotes(table: CustomerTable, search: TwinSearch, facts: RunFacts & { neighbours: number; featuresChosen: boolean }): Localized[] {
  const { group, estimate, neighbours } = facts;
  const n = (value: number, language: Language) => formatNumber(value, language, 0);
  const groupSize = countRows(group.rows);
  const churned = group.churnedLeftOut > 0
    ? { en: ` (${n(group.churnedLeftOut, 'en')} marked as churned left out)`, da: ` (${n(group.churnedLeftOut, 'da')} markeret som opsagt udeladt)` }
    : { en: '', da: '' };
  const candidateCount = countRows(facts.candidates);
  const typeHeader = table.mapping.customerType === undefined ? '' : table.headers[table.mapping.customerType];
  const notes: Localized[] = [
    { en: `Reference group: ${group.name.en}, ${n(groupSize, 'en')} customers${churned.en}.`, da: `Referencegruppe: ${group.name.da}, ${n(groupSize, 'da')} kunder${churned.da}.` },
    facts.prospects
      ? { en: `Candidates: the ${n(candidateCount, 'en')} prospects (${typeHeader} says Lead, Prospect, Emne or the like).`, da: `Kandidater: de ${n(candidateCount, 'da')} emner (${typeHeader} siger Emne, Lead, Prospect eller lignende).` }
      : typeHeader
        ? { en: `Candidates: the ${n(candidateCount, 'en')} customers outside the reference group (no row's ${typeHeader} says prospect).`, da: `Kandidater: de ${n(candidateCount, 'da')} kunder uden for referencegruppen (ingen rækkes ${typeHeader} siger emne).` }
        : { en: `Candidates: the ${n(candidateCount, 'en')} customers outside the reference group (the table has no customer type column to mark prospects).`, da: `Kandidater: de ${n(candidateCount, 'da')} kunder uden for referencegruppen (tabellen har ingen kolonne med kundetype, der markerer emner).` },
    { en: `Features used: ${featureList(search, 'en')}.`, da: `Kendetegn brugt: ${featureList(search, 'da')}.` },
  ];
  if (search.blankForCandidates.length > 0) {
    notes.push({
      en: `Left out as blank for most candidates: ${blankColumnsText(search.blankForCandidates, 'en')}.`,
      da: `Udeladt som tomme for de fleste kandidater: ${blankColumnsText(search.blankForCandidates, 'da')}.`,
    });
  }
  const defining = group.definingHeaders.filter((header) => !search.used.includes(header));
  if (defining.length > 0 && !facts.featuresChosen) {
    notes.push({ en: `Left out as what made the reference group: ${defining.join(', ')}.`, da: `Udeladt som det, referencegruppen er dannet af: ${defining.join(', ')}.` });
  }
  notes.push(...search.set.notes);
  notes.push({
    en: `Similarity 0–100: the share of the reference customers farther from their ${neighbours} nearest fellow members than the row is from its ${neighbours} nearest reference customers (Euclidean distance on z-scores); 50 is as close as a typical member.`,
    da: `Lighed 0–100: andelen af referencekunderne, der ligger længere fra deres ${neighbours} nærmeste medlemmer, end rækken ligger fra sine ${neighbours} nærmeste referencekunder (euklidisk afstand på z-scorer); 50 er lige så tæt som et typisk medlem.`,
  });
  if (search.twins.referenceSampled) {
    notes.push({
      en: `The search compares with a seeded sample of ${n(search.twins.referenceSearched, 'en')} of the ${n(groupSize, 'en')} reference customers.`,
      da: `Søgningen sammenligner med en fast stikprøve på ${n(search.twins.referenceSearched, 'da')} af de ${n(groupSize, 'da')} referencekunder.`,
    });
  }
  notes.push(estimateNote(estimate, neighbours));
  return notes;
}

/** "Branche, Antal ansatte, Region" with what each became. */
function featureList(search: TwinSearch, language: Language): string {
  return search.set.sources.map((source) => {
    const levels = source.levels ? `, ${source.levels.length} ${language === 'da' ? 'niveauer' : 'levels'}` : '';
    return `${source.header} (${KIND_WORDS[source.kind][language]}${levels})`;
  }).join(', ');
}

const KIND_WORDS: Record<string, Localized> = {
  number: { en: 'number', da: 'tal' },
  date: { en: 'age in days', da: 'alder i dage' },
  boolean: { en: 'yes/no', da: 'ja/nej' },
  category: { en: 'category', da: 'kategori' },
};

function estimateNote(estimate: RunFacts['estimate'], neighbours: number): Localized {
  const rows = (language: Language) => formatNumber(estimate.count, language, 0);
  if (!estimate.basis) {
    return { en: 'No potential is estimated: the table has neither a potential nor a revenue column.', da: 'Intet potentiale estimeres: tabellen har hverken en kolonne med potentiale eller omsætning.' };
  }
  return estimate.basis === 'potential'
    ? {
      en: `Estimated potential (from twins), for ${rows('en')} rows without a potential: the median potential of their ${neighbours} nearest reference customers, never below the row's own revenue. An estimate, not the customer's own figure.`,
      da: `Estimeret potentiale (fra tvillinger) for ${rows('da')} rækker uden potentiale: medianen af potentialet hos deres ${neighbours} nærmeste referencekunder, aldrig under rækkens egen omsætning. Et estimat, ikke kundens eget tal.`,
    }
    : {
      en: `Estimated potential (from twins), for ${rows('en')} rows: the median revenue of their ${neighbours} nearest reference customers (the table has no potential column), never below the row's own revenue. An estimate, not the customer's own figure.`,
      da: `Estimeret potentiale (fra tvillinger) for ${rows('da')} rækker: medianen af omsætningen hos deres ${neighbours} nærmeste referencekunder (tabellen har ingen kolonne med potentiale), aldrig under rækkens egen omsætning. Et estimat, ikke kundens eget tal.`,
    };
}

/** Why row i got its segment, in words: the group, or the similarity against its cut, the twins, the matches and the estimate. */
function explainer(
  table: CustomerTable, search: TwinSearch, facts: RunFacts & { scored: Uint8Array; tiers: Int8Array; cuts: [number, number] },
): (row: number) => Localized {
  const { group, candidates, scored, tiers, estimate } = facts;
  return (row) => {
    if (isBlankRow(table, row)) return { en: '', da: '' };
    return lazyLocalized((language) => {
      const da = language === 'da';
      const parts: string[] = [];
      if (group.rows[row]) parts.push(da ? `I referencegruppen (${group.name.da})` : `In the reference group (${group.name.en})`);
      else if (candidates[row]) {
        const value = search.twins.similarity[row];
        const tier = tiers[row];
        const [cut, sign] = tier === TIER.close ? [facts.cuts[0], '≥'] : tier === TIER.twin ? [facts.cuts[1], '≥'] : [facts.cuts[1], '<'];
        const cutName = tier === TIER.close ? (da ? 'skæring for tæt tvilling' : 'close twin cut') : (da ? 'skæring for tvilling' : 'twin cut');
        const share = formatNumber(value, language, 1);
        parts.push(da
          ? `Lighed ${share} ${sign} ${cutName} ${formatNumber(cut, language, 1)}: tættere på gruppen end ${share} % af dens egne medlemmer er på hinanden`
          : `Similarity ${share} ${sign} ${cutName} ${formatNumber(cut, language, 1)}: closer to the group than ${share} % of its own members are to each other`);
      } else {
        parts.push(da ? 'Ikke kandidat: en kunde uden for referencegruppen, og tabellen har emner' : 'Not a candidate: a customer outside the reference group, and the table has prospects');
      }
      // A row outside the group with twins (a candidate, or a customer whose potential is estimated) names them and what it shares.
      const searched = !group.rows[row] && scored[row] === 1;
      const names = searched ? nearestNames(table, search, row) : [];
      if (names.length > 0) parts.push(`${da ? 'nærmeste' : 'nearest'}: ${names.join(', ')}`);
      const matches = searched ? matchingTexts(search, row, language) : [];
      if (matches.length > 0) parts.push(`${da ? 'fælles' : 'matching'}: ${matches.join(', ')}`);
      else if (candidates[row]) parts.push(da ? 'ingen fælles kendetegn' : 'no matching features');
      if (!Number.isNaN(estimate.values[row])) {
        const basis = estimate.basis === 'potential' ? (da ? 'potentiale' : 'potential') : (da ? 'omsætning' : 'revenue');
        const amount = formatAmount(estimate.values[row], language);
        if (estimate.raised[row]) parts.push(da ? `estimeret potentiale ${amount} (egen omsætning, over medianen af tvillingernes ${basis})` : `estimated potential ${amount} (its own revenue, above the median of the twins' ${basis})`);
        else parts.push(da ? `estimeret potentiale ${amount} (median af tvillingernes ${basis})` : `estimated potential ${amount} (median of the twins' ${basis})`);
      }
      return parts.join('; ');
    });
  };
}
