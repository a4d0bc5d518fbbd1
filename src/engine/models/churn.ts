import { cutAt, isHigh, usedCut, type ResolvedCut } from '../cuts';
import { DRIVERS_PER_ROW, fitChurn, type ChurnFit } from '../learn/churn-fit';
import { selectRows } from '../learn/matrix';
import { FEATURE_DEFAULTS, featureListSetting, skewChoiceSetting, skewSetting } from '../learn/feature-settings';
import { buildFeatures, describeFeatureValue, featureSetting, type FeatureSet } from '../learn/features';
import { prospectRows } from '../prospects';
import { joinedWithResults } from '../learn/result-features';
import {
  cutSetting, settingLabel, formatNumber, inputsOf, type ModelDefinition, type ModelSettings, type RunContext, type TierDefinition, type UsedParameter,
} from '../model';
import { PALETTE } from '../palette';
import { isBlankRow, type CustomerTable } from '../table';
import { lazyLocalized, type Language, type Localized } from '../types';

/** Fewest customers of each label (left, stayed) a churn model is fitted on: 5 folds, and a holdout, each need some of both. */
export const MIN_PER_LABEL = 20;

/** The seed of the holdout, the folds and the trees: the same table gives the same model. */
const SEED = 1;

/** A churn model the labels cannot support, with the sentence for the user in both languages. */
export class ChurnEstimationError extends Error {
  readonly text: Localized;

  constructor(readonly churned: number, readonly stayed: number) {
    const en = `Churn risk cannot be estimated from ${churned} customers marked as left and ${stayed} marked as staying: it needs at least ${MIN_PER_LABEL} of each in the label column.`;
    super(en);
    this.name = 'ChurnEstimationError';
    this.text = {
      en,
      da: `Risiko for opsigelse kan ikke estimeres ud fra ${churned} kunder markeret som opsagt og ${stayed} markeret som fortsat: der skal mindst ${MIN_PER_LABEL} af hver i kolonnen med opsagte.`,
    };
  }
}

const TIERS = { high: 0, medium: 1, low: 2, left: 3 } as const;

const TIER_DEFINITIONS: TierDefinition[] = [
  { id: 'High', label: { en: 'High: churn risk at or above the high cut', da: 'Høj: risiko for opsigelse på eller over den høje skæring' }, ...PALETTE.vermillion, priority: 1,
    action: { en: 'Call now: ask what is wrong and fix the first driver', da: 'Ring nu: spørg hvad der er galt, og ret den første årsag' } },
  { id: 'Medium', label: { en: 'Medium: churn risk at or above the medium cut', da: 'Mellem: risiko for opsigelse på eller over den mellemste skæring' }, ...PALETTE.orange, priority: 2,
    action: { en: 'Check in this quarter: a review meeting or an offer against the drivers', da: 'Tag kontakt i dette kvartal: et opfølgningsmøde eller et tilbud mod årsagerne' } },
  { id: 'Low', label: { en: 'Low: churn risk below the medium cut', da: 'Lav: risiko for opsigelse under den mellemste skæring' }, ...PALETTE.sky, priority: 4,
    action: { en: 'Keep serving as now', da: 'Betjen som nu' } },
  { id: 'Left', label: { en: 'Left: marked as churned in the label column', da: 'Opsagt: markeret som opsagt i kolonnen' }, ...PALETTE.grey, priority: 5,
    action: { en: 'Learn why they left; one win-back offer where the margin was good', da: 'Lær hvorfor de gik; ét tilbud om at komme tilbage, hvor dækningsbidraget var godt' } },
];

/** The rows the model scores: customers, not blank lines, not prospects (no history to leave from). */
function scoredRows(table: CustomerTable): { rows: Uint8Array; prospects: number } {
  const prospects = prospectRows(table);
  const rows = new Uint8Array(table.rowCount);
  let skipped = 0;
  for (let i = 0; i < table.rowCount; i++) {
    if (isBlankRow(table, i)) continue;
    if (prospects?.[i]) {
      skipped++;
      continue;
    }
    rows[i] = 1;
  }
  return { rows, prospects: skipped };
}

/** 1, 0 or NaN (unlabelled) per scored row, in the order of `rows`; counts of each label. */
function labelsOf(table: CustomerTable, rows: readonly number[]): { labels: Float64Array; churned: number; stayed: number } {
  const column = table.numbers.churned;
  if (!column) throw new Error('Churn needs a label column (role churned).');
  const labels = Float64Array.from(rows, (row) => (column[row] === 1 ? 1 : column[row] === 0 ? 0 : NaN));
  let churned = 0;
  let stayed = 0;
  for (const label of labels) {
    if (label === 1) churned++;
    else if (label === 0) stayed++;
  }
  return { labels, churned, stayed };
}

function percent(value: number, language: Language, decimals = 0): string {
  return `${formatNumber(value * 100, language, decimals)} %`;
}

/**
 * "Contract: Month-to-month; tenure 2; TotalCharges missing": a row's drivers in words. `position`
 * is the row's place among the scored rows (the fit's order), `row` its table row.
 */
function driverTexts(features: FeatureSet, fit: ChurnFit, position: number, row: number, language: Language): string[] {
  const texts: string[] = [];
  for (let j = 0; j < DRIVERS_PER_ROW; j++) {
    const feature = fit.drivers[position * DRIVERS_PER_ROW + j];
    if (feature < 0) break;
    const text = describeFeatureValue(features, feature, row, language);
    if (!texts.includes(text)) texts.push(text);
  }
  return texts;
}

/** The features that matter most over all customers (mean |contribution|), named in a language. */
function globalDrivers(features: FeatureSet, fit: ChurnFit, language: Language, count = 5): string {
  const order = Array.from(fit.importance.keys()).sort((a, b) => fit.importance[b] - fit.importance[a] || a - b);
  return order.slice(0, count).map((feature) => features.features[feature].label[language]).join(', ');
}

/** The sentences every surface shows about the fit: both learners, the honest holdout, calibration, drivers. */
function fitNotes(features: FeatureSet, fit: ChurnFit, counts: { churned: number; stayed: number; unlabelled: number }): Localized[] {
  const learner = (language: Language) => (fit.chosen === 'logistic'
    ? (language === 'da' ? 'logistisk regression' : 'logistic regression')
    : (language === 'da' ? 'gradient-boostede beslutningstræer' : 'gradient-boosted decision trees'));
  const auc = (value: number, language: Language) => formatNumber(value, language, 3, 3);
  const count = (value: number, language: Language) => formatNumber(value, language, 0);
  const { holdout } = fit;
  return [
    lazyLocalized((language) => (language === 'da'
      ? `Trænet på ${count(counts.churned + counts.stayed, language)} kunder med en markering (${count(counts.churned, language)} opsagt, ${count(counts.stayed, language)} fortsat); ${count(counts.unlabelled, language)} uden markering får en risiko uden at være trænet på.`
      : `Trained on ${count(counts.churned + counts.stayed, language)} customers with a label (${count(counts.churned, language)} left, ${count(counts.stayed, language)} stayed); ${count(counts.unlabelled, language)} without a label get a risk without being trained on.`)),
    lazyLocalized((language) => (language === 'da'
      ? `Krydsvalideret AUC (5 fold): logistisk regression ${auc(fit.cvAuc.logistic, language)}, boostede træer ${auc(fit.cvAuc.boostedTrees, language)}; valgt: ${learner(language)}.`
      : `Cross-validated AUC (5 folds): logistic regression ${auc(fit.cvAuc.logistic, language)}, boosted trees ${auc(fit.cvAuc.boostedTrees, language)}; chosen: ${learner(language)}.`)),
    lazyLocalized((language) => (language === 'da'
      ? `Ærlig holdout-AUC ${auc(holdout.auc, language)} og Brier-score ${formatNumber(holdout.brier, language, 3)} på ${count(holdout.rows, language)} kunder (${count(holdout.churned, language)} opsagt), som modellen aldrig så under træningen; risikoen i kolonnen er fra samme model trænet igen på alle markerede kunder.`
      : `Honest holdout AUC ${auc(holdout.auc, language)} and Brier score ${formatNumber(holdout.brier, language, 3)} on ${count(holdout.rows, language)} customers (${count(holdout.churned, language)} left) the model never saw in training; the risks in the column come from the same model refitted on every labelled customer.`)),
    lazyLocalized((language) => {
      const bins = holdout.calibration.filter((bin) => bin.rows > 0);
      const pairs = bins.map((bin) => `${percent(bin.predicted, language)}→${percent(bin.observed, language)}`).join(', ');
      return language === 'da'
        ? `Kalibrering på holdout (forudsagt→faktisk andel opsagt, pr. tiendedel): ${pairs}.`
        : `Calibration on the holdout (predicted→observed share left, by tenth): ${pairs}.`;
    }),
    lazyLocalized((language) => (language === 'da'
      ? `Vigtigste årsager over alle kunder: ${globalDrivers(features, fit, language)}.`
      : `Strongest drivers over all customers: ${globalDrivers(features, fit, language)}.`)),
  ];
}

export const churn: ModelDefinition = {
  id: 'churn',
  name: { en: 'Churn risk', da: 'Risiko for opsigelse' },
  description: {
    en: 'Who is about to leave, and why: learns from the customers marked as left in a label column (logistic regression and boosted trees, the better by cross-validated AUC), gives every customer a risk and its three strongest drivers.',
    da: 'Hvem er ved at gå, og hvorfor: lærer af de kunder, der er markeret som opsagt (logistisk regression og boostede træer, den bedste efter krydsvalideret AUC), og giver hver kunde en risiko og de tre stærkeste årsager.',
  },
  columnHeader: 'Segment Churn',
  columnHeaderDa: 'Segment Opsigelse',
  functionName: 'CHURN',
  inputs: ['churned'],
  optionalInputs: ['revenue'],
  settings: [
    featureListSetting(),
    skewChoiceSetting(),
    { key: 'highCut', kind: 'cut', computed: 'probability', label: { en: 'High cut (churn risk)', da: 'Skæring for høj (risiko)' } },
    { key: 'mediumCut', kind: 'cut', computed: 'probability', label: { en: 'Medium cut (churn risk)', da: 'Skæring for mellem (risiko)' } },
  ],
  defaults: {
    ...FEATURE_DEFAULTS,
    // As probabilities: a customer more likely to leave than not is High, one in four is Medium.
    highCut: { method: 'value', level: 0.5 }, mediumCut: { method: 'value', level: 0.25 },
  },
  cutOrder: [{ stricter: 'highCut', looser: 'mediumCut' }],
  tiers: TIER_DEFINITIONS,
  featureExclusions(table: CustomerTable) {
    const label = table.mapping.churned;
    return label === undefined ? [] : [table.headers[label]];
  },
  run(table: CustomerTable, settings: ModelSettings, context?: RunContext) {
    const scored = scoredRows(table);
    const rows: number[] = [];
    for (let i = 0; i < table.rowCount; i++) if (scored.rows[i]) rows.push(i);
    const { labels, churned, stayed } = labelsOf(table, rows);
    if (churned < MIN_PER_LABEL || stayed < MIN_PER_LABEL) throw new ChurnEstimationError(churned, stayed);
    // RFM's and CLV's numbers, where they ran in this run, are features beside the table's columns.
    const features = buildFeatures(table, {
      columns: featureSetting(settings), skew: skewSetting(settings), exclude: this.featureExclusions!(table, settings), rows: scored.rows,
      joined: joinedWithResults(table, context),
    });
    const X = selectRows(features.matrix, rows);
    const fit = fitChurn(X, labels, { seed: SEED });
    const n = table.rowCount;
    const risk = new Float64Array(n).fill(NaN);
    const position = new Int32Array(n).fill(-1);
    rows.forEach((row, k) => {
      risk[row] = fit.probabilities[k];
      position[row] = k;
    });
    const highSpec = cutSetting(settings, 'highCut');
    const mediumSpec = cutSetting(settings, 'mediumCut');
    // Quantile and Pareto cuts are shares of the customers still to act on: those not marked as left.
    const current = Float64Array.from(risk, (value, row) => (table.numbers.churned![row] === 1 ? NaN : value));
    const high = cutAt(current, highSpec);
    const medium = cutAt(current, mediumSpec);
    const tiers = new Int8Array(n).fill(-1);
    for (const row of rows) {
      if (table.numbers.churned![row] === 1) tiers[row] = TIERS.left;
      else tiers[row] = isHigh(risk[row], high.value, highSpec) ? TIERS.high : isHigh(risk[row], medium.value, mediumSpec) ? TIERS.medium : TIERS.low;
    }
    const drivers = (row: number, language: Language) => (position[row] < 0 ? [] : driverTexts(features, fit, position[row], row, language));
    const revenue = table.numbers.revenue;
    const unlabelled = rows.length - churned - stayed;
    const notes = [
      ...fitNotes(features, fit, { churned, stayed, unlabelled }),
      ...features.notes,
      ...(scored.prospects > 0 ? [{
        en: `${formatNumber(scored.prospects, 'en', 0)} prospects (customer type Lead/Emne) are not customers yet: no churn risk.`,
        da: `${formatNumber(scored.prospects, 'da', 0)} emner (kundetype Emne/Lead) er ikke kunder endnu: ingen risiko for opsigelse.`,
      }] : []),
    ];
    return {
      modelId: 'churn',
      inputs: { ...inputsOf(table, ['churned', ...(revenue ? ['revenue' as const] : [])], ['revenue']), computed: featureLines(features) },
      tiers,
      cuts: [usedCut('highCut', settingLabel(this, 'highCut'), highSpec, high), usedCut('mediumCut', settingLabel(this, 'mediumCut'), mediumSpec, medium)],
      parameters: fitParameters(fit),
      measure: 'revenue',
      notes,
      metrics: [
        { key: 'churn.risk', label: { en: 'Churn risk', da: 'Risiko for opsigelse' }, format: 'percent', values: risk, table: true, priority: true },
        {
          key: 'churn.drivers', label: { en: 'Churn drivers', da: 'Årsager til risiko' }, format: 'text', table: true, priority: true,
          text: (row) => lazyLocalized((language) => drivers(row, language).join('; ')),
        },
      ],
      explain: (row) => explainRow(row, { tiers, risk, high, medium, drivers, labelled: table.numbers.churned!, prospect: scored.rows[row] === 0 && !isBlankRow(table, row) }),
      // Revenue at risk where the table has revenue: the biggest expected loss is called first.
      priorityWithinTier: (row) => (revenue && !Number.isNaN(revenue[row]) ? risk[row] * revenue[row] : risk[row]),
    };
  },
  formula: () => null,
  valuesOnly: {
    en: 'Churn risk comes from a model fitted on the whole table (and boosted trees have no formula a spreadsheet can hold), so the risk and tier are written as values; run SegmentKit again to refresh them.',
    da: 'Risikoen kommer fra en model estimeret på hele tabellen (og boostede træer har ingen formel, et regneark kan rumme), så risiko og segment skrives som værdier; kør SegmentKit igen for at opdatere dem.',
  },
};

/** The fit's figures as labelled values on the Summary sheet: both cross-validated AUCs, the honest holdout AUC and Brier score. */
function fitParameters(fit: ChurnFit): UsedParameter[] {
  const parameter = (key: string, en: string, da: string, value: number): UsedParameter => ({ key, label: { en, da }, value, format: 'number' });
  return [
    parameter('cvAucLogistic', 'Cross-validated AUC, logistic regression', 'Krydsvalideret AUC, logistisk regression', fit.cvAuc.logistic),
    parameter('cvAucTrees', 'Cross-validated AUC, boosted trees', 'Krydsvalideret AUC, boostede træer', fit.cvAuc.boostedTrees),
    { ...parameter('holdoutAuc', 'Holdout AUC (chosen model, unseen customers)', 'Holdout-AUC (valgt model, usete kunder)', fit.holdout.auc),
      note: fit.chosen === 'logistic' ? { en: 'logistic regression', da: 'logistisk regression' } : { en: 'boosted trees', da: 'boostede træer' } },
    parameter('holdoutBrier', 'Holdout Brier score', 'Holdout Brier-score', fit.holdout.brier),
  ];
}

/** The features a run used, as the lines under "Columns used" ("Features: tenure, Contract (3 levels), …"). */
function featureLines(features: FeatureSet): Localized[] {
  const names = [...new Set(features.features.map((feature) => feature.source))];
  const lines: Localized[] = [{ en: `Features: ${names.join(', ')}.`, da: `Kendetegn: ${names.join(', ')}.` }];
  if (features.leftOut.length > 0) {
    lines.push(lazyLocalized((language) => `${language === 'da' ? 'Ikke brugt som kendetegn' : 'Not used as features'}: ${features.leftOut.map((column) => `${column.header} (${column.why[language]})`).join('; ')}.`));
  }
  return lines;
}

function explainRow(row: number, run: {
  tiers: Int8Array; risk: Float64Array; high: ResolvedCut; medium: ResolvedCut; labelled: Float64Array; prospect: boolean;
  drivers: (row: number, language: Language) => string[];
}): Localized {
  return lazyLocalized((language) => {
    const da = language === 'da';
    if (run.prospect) return da ? 'emne, ikke kunde endnu: ingen risiko for opsigelse' : 'a prospect, not a customer yet: no churn risk';
    if (Number.isNaN(run.risk[row])) return '';
    const risk = `${da ? 'Risiko' : 'Churn risk'} ${percent(run.risk[row], language, 1)}`;
    const drivers = run.drivers(row, language);
    const why = drivers.length > 0 ? `; ${da ? 'årsager' : 'drivers'}: ${drivers.join('; ')}` : '';
    if (run.tiers[row] === TIERS.left) return `${da ? 'Markeret som opsagt' : 'Marked as left'}; ${risk.charAt(0).toLowerCase()}${risk.slice(1)}${why}`;
    const cutWord = da ? 'skæring' : 'cut';
    const against = run.tiers[row] === TIERS.high
      ? `≥ ${cutWord} ${percent(run.high.value, language, 1)}`
      : run.tiers[row] === TIERS.medium ? `≥ ${cutWord} ${percent(run.medium.value, language, 1)}` : `< ${cutWord} ${percent(run.medium.value, language, 1)}`;
    return `${risk} ${against}${why}`;
  });
}
