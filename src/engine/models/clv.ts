import { cutAt, isHigh, usedCut } from '../cuts';
import { bgnbdPAlive, EDGE_CRITICAL_GAP, fitBgNbd, type BgNbdFit } from '../lifetime/bgnbd';
import { customerClvs, WEEKS_PER_MONTH } from '../lifetime/clv';
import { compareHoldout, type HoldoutComparison } from '../lifetime/holdout';
import { fitGammaGamma, frequencySpendCorrelation, NOTICEABLE_CORRELATION, type GammaGammaFit } from '../lifetime/gamma-gamma';
import { isEstimatedParameter } from '../lifetime/optimize';
import { counted, NOUNS, readableNumber } from '../lifetime/wording';
import {
  cutSetting, settingLabel, formatAmount, formatNumber, inputsOf, numberSetting, tierName, type ModelDefinition, type ModelSettings, type ResultTable, type UsedParameter,
} from '../model';
import { PALETTE } from '../palette';
import { serialToJsDate } from '../parse';
import type { CustomerTable } from '../table';
import { lazyLocalized, type Language, type Localized } from '../types';

/**
 * Customer lifetime value: BG/NBD (Fader, Hardie & Lee 2005) fitted by maximum likelihood on each
 * customer's repeat purchases x, recency t_x and age T in weeks, Gamma-Gamma spend per purchase
 * fitted on the repeat buyers, and CLV = discounted expected purchases × expected spend × margin
 * share over a horizon (lifetime/clv.ts).
 *
 * Tiers: Likely lost when P(alive) is below a threshold (0.3 by default: the customer has more
 * likely left than not, by a clear margin), else Top (CLV at or above the 80 % quantile, the top
 * fifth), Middle (at or above the median) and Low. P(alive) decides first because a customer
 * who has probably left is not a customer to grow whatever they once spent. A customer with no
 * repeat purchase has P(alive) = 1 in BG/NBD by construction, so is never Likely lost; their
 * reasons say so.
 */

const TIERS = { top: 0, middle: 1, low: 2, lost: 3 } as const;

/** |Pearson r| between repeat purchases and mean spend at which Gamma-Gamma's independence assumption is shown as broken. */
export { NOTICEABLE_CORRELATION };

function explainFit(bgnbd: BgNbdFit, spend: GammaGammaFit): Localized[] {
  const { r, alpha, a, b } = bgnbd.params;
  const { p, q, gamma } = spend.params;
  const n = (value: number, language: Language) => readableNumber(value, language, 4);
  const fitted = (language: Language) => bgnbd.edge.kind === 'limit'
    ? `r ${n(r, language)}, α ${n(alpha, language)}, p ${n(bgnbd.edge.limit!.p, language)}`
    : `r ${n(r, language)}, α ${n(alpha, language)}, a ${n(a, language)}, b ${n(b, language)}`;
  return [
    {
      en: `BG/NBD fitted by maximum likelihood on ${counted(bgnbd.customers, NOUNS.customer, 'en')} (${counted(bgnbd.repeatBuyers, NOUNS.repeatBuyer, 'en')}), in weeks: ${fitted('en')}, log-likelihood ${formatNumber(bgnbd.logLikelihood, 'en', 1)}.`,
      da: `BG/NBD estimeret med maksimum likelihood på ${counted(bgnbd.customers, NOUNS.customer, 'da')} (${counted(bgnbd.repeatBuyers, NOUNS.repeatBuyer, 'da')}), i uger: ${fitted('da')}, log-likelihood ${formatNumber(bgnbd.logLikelihood, 'da', 1)}.`,
    },
    ...edgeNotes(bgnbd),
    {
      en: `Gamma-Gamma spend per purchase fitted on ${counted(spend.repeatBuyers, NOUNS.repeatBuyer, 'en')}: p ${n(p, 'en')}, q ${n(q, 'en')}, γ ${n(gamma, 'en')}.`,
      da: `Gamma-Gamma-beløb pr. køb estimeret på ${counted(spend.repeatBuyers, NOUNS.repeatBuyer, 'da')}: p ${n(p, 'da')}, q ${n(q, 'da')}, γ ${n(gamma, 'da')}.`,
    },
  ];
}

/**
 * What the fit's place against BG/NBD's edge (one dropout probability p for everyone; see
 * DropoutEdge in lifetime/bgnbd.ts) means: at the limit, which model the result is and why; on a
 * ridge, that the edge fits nearly as well, so a and b are poorly determined. Nothing when inside.
 */
function edgeNotes(bgnbd: BgNbdFit): Localized[] {
  const { kind, limit, searched } = bgnbd.edge;
  if (!limit) return [];
  const n = (value: number, language: Language) => readableNumber(value, language, 4);
  const ll = (value: number, language: Language) => formatNumber(value, language, 1);
  const ran = (language: Language) => `a ${n(searched.params.a, language)}, b ${n(searched.params.b, language)}`;
  if (kind === 'limit' && limit.p === 0) {
    return [{
      en: `BG/NBD's likelihood is highest at the edge of the model where a/(a+b) → 0 (the search ran off to ${ran('en')}): nobody drops out, so P(alive) = 1 for every customer, nobody is Likely lost, and expected purchases are (r + x)·t/(α + T), the NBD model (Fader, Hardie & Lee 2005, eq. 3 with p = 0). The fit is that limiting model; on the CLV sheet a is 0 (P(alive)'s formula gives 1) and b plays no part.`,
      da: `Likelihood for BG/NBD er størst i kanten af modellen, hvor a/(a+b) → 0 (søgningen løb mod ${ran('da')}): ingen falder fra, så P(i live) = 1 for alle kunder, ingen er Sandsynligvis tabt, og forventede køb er (r + x)·t/(α + T), NBD-modellen (Fader, Hardie & Lee 2005, lign. 3 med p = 0). Estimatet er den grænsemodel; på CLV-arket er a 0 (formlen for P(i live) giver 1), og b spiller ingen rolle.`,
    }];
  }
  if (kind === 'limit') {
    return [{
      en: `BG/NBD's likelihood is highest at the edge of the model where a and b run off to infinity with a/(a+b) → p = ${n(limit.p, 'en')} (the search ran off to ${ran('en')}): every customer has the same probability p of dropping out after each purchase, as Beta(a, b) narrows to that one value. The fit is that limiting model (Fader, Hardie & Lee 2005, eq. 3 with p fixed); on the CLV sheet a and b hold p·10^12 and (1 − p)·10^12, so P(alive)'s formula over them gives the limit.`,
      da: `Likelihood for BG/NBD er størst i kanten af modellen, hvor a og b løber mod uendelig med a/(a+b) → p = ${n(limit.p, 'da')} (søgningen løb mod ${ran('da')}): alle kunder har den samme sandsynlighed p for at falde fra efter hvert køb, da Beta(a, b) snævrer ind til den ene værdi. Estimatet er den grænsemodel (Fader, Hardie & Lee 2005, lign. 3 med fast p); på CLV-arket står a og b som p·10^12 og (1 − p)·10^12, så formlen for P(i live) over dem giver grænsen.`,
    }];
  }
  if (kind !== 'ridge') return [];
  const gap = (language: Language) => formatNumber(bgnbd.logLikelihood - limit.logLikelihood, language, 2);
  const towards = limit.p === 0
    ? { en: 'a → 0, where nobody drops out', da: 'a → 0, hvor ingen falder fra' }
    : { en: `a, b → ∞ with one dropout probability p = ${n(limit.p, 'en')} for everyone`, da: `a, b → ∞ med én sandsynlighed for frafald p = ${n(limit.p, 'da')} for alle` };
  return [{
    en: `The likelihood is nearly flat along a ridge towards ${towards.en}: that limit's log-likelihood (${ll(limit.logLikelihood, 'en')}) is only ${gap('en')} lower, less than a likelihood-ratio test at 5 % can tell apart (${formatNumber(EDGE_CRITICAL_GAP, 'en', 2)}; Self & Liang 1987). So a and b are poorly determined by these data, and so is who is Likely lost.`,
    da: `Likelihood er næsten flad langs en højderyg mod ${towards.da}: den grænses log-likelihood (${ll(limit.logLikelihood, 'da')}) er kun ${gap('da')} lavere, mindre end en likelihood-ratio-test på 5 % kan skelne (${formatNumber(EDGE_CRITICAL_GAP, 'da', 2)}; Self & Liang 1987). Så a og b er dårligt bestemt af disse data, og det samme er, hvem der er Sandsynligvis tabt.`,
  }];
}

/** The margin share CLV counts: the setting, else the table's margin ÷ revenue, else 1 (CLV in revenue). */
function marginShare(table: CustomerTable, settings: ModelSettings): { share: number; note: Localized; source: Localized } {
  const set = numberSetting(settings, 'marginShare');
  if (set > 0) {
    return { share: set, source: { en: 'as set', da: 'som sat' }, note: { en: `Margin share ${formatNumber(set * 100, 'en', 1)} % as set.`, da: `Dækningsgrad ${formatNumber(set * 100, 'da', 1)} % som sat.` } };
  }
  const margin = table.numbers.margin;
  const revenue = table.numbers.revenue;
  if (margin && revenue) {
    let marginSum = 0;
    let revenueSum = 0;
    for (let i = 0; i < table.rowCount; i++) {
      if (Number.isNaN(margin[i]) || Number.isNaN(revenue[i])) continue;
      marginSum += margin[i];
      revenueSum += revenue[i];
    }
    if (revenueSum > 0) {
      const share = marginSum / revenueSum;
      return { share, source: { en: 'the table\'s contribution margin ÷ revenue', da: 'tabellens dækningsbidrag ÷ omsætning' }, note: {
        en: `Margin share ${formatNumber(share * 100, 'en', 1)} %: the table's contribution margin ÷ revenue, over all customers with both.`,
        da: `Dækningsgrad ${formatNumber(share * 100, 'da', 1)} %: tabellens dækningsbidrag ÷ omsætning over alle kunder med begge.`,
      } };
    }
  }
  return { share: 1, source: { en: 'no margin column and none set: CLV in revenue', da: 'ingen kolonne med dækningsbidrag og ingen sat: CLV i omsætning' }, note: {
    en: 'Margin share 100 %: the table has no margin column, so CLV is in revenue; set a margin share to count margin.',
    da: 'Dækningsgrad 100 %: tabellen har ingen kolonne med dækningsbidrag, så CLV er i omsætning; sæt en dækningsgrad for at regne i dækningsbidrag.',
  } };
}

export const clv: ModelDefinition = {
  id: 'clv',
  name: { en: 'Customer lifetime value', da: 'Kundelevetidsværdi' },
  description: {
    en: 'What a customer is worth from here on: BG/NBD expected purchases and P(alive), Gamma-Gamma spend per purchase, and CLV over a horizon, discounted; tiers by CLV, and Likely lost where P(alive) is low.',
    da: 'Hvad en kunde er værd herfra: forventede køb og P(i live) fra BG/NBD, beløb pr. køb fra Gamma-Gamma og CLV over en horisont, tilbagediskonteret; segmenter efter CLV og Sandsynligvis tabt, hvor P(i live) er lav.',
  },
  columnHeader: 'Segment CLV',
  functionName: 'CLV',
  inputs: ['repeatPurchases', 'recencyWeeks', 'ageWeeks', 'meanRepeatSpend'],
  optionalInputs: ['margin', 'holdoutPurchases', 'holdoutWeeks'],
  settings: [
    { key: 'horizonMonths', kind: 'number', min: 1, label: { en: 'Horizon', da: 'Horisont' }, unit: { en: 'months', da: 'måneder' } },
    { key: 'discountRate', kind: 'number', min: 0, percent: true, label: { en: 'Yearly discount rate', da: 'Årlig diskonteringsrente' }, unit: { en: '% a year', da: '% om året' } },
    { key: 'marginShare', kind: 'number', min: 0, max: 1, percent: true, label: { en: 'Margin share (0: margin ÷ revenue from the table, else 100 %)', da: 'Dækningsgrad (0: dækningsbidrag ÷ omsætning fra tabellen, ellers 100 %)' }, unit: { en: '% of revenue', da: '% af omsætningen' } },
    { key: 'lostBelow', kind: 'number', min: 0, max: 1, label: { en: 'Likely lost below P(alive)', da: 'Sandsynligvis tabt under P(i live)' } },
    { key: 'topCut', kind: 'cut', computed: 'amount', label: { en: 'Top cut (CLV)', da: 'Skæring for top (CLV)' } },
    { key: 'middleCut', kind: 'cut', computed: 'amount', label: { en: 'Middle cut (CLV)', da: 'Skæring for midte (CLV)' } },
    // Read where the log is summarised (the split decides x, t_x and T); the model shows the check.
    { key: 'holdoutStart', kind: 'date', label: { en: 'Holdout start: fit before it, check after it (0: no holdout check)', da: 'Holdout-start: estimér før, tjek efter (0: intet holdout-tjek)' } },
  ],
  defaults: {
    horizonMonths: 12, discountRate: 0.1, marginShare: 0, lostBelow: 0.3,
    topCut: { method: 'quantile', level: 0.8 }, middleCut: { method: 'quantile', level: 0.5 }, holdoutStart: 0,
  },
  cutOrder: [{ stricter: 'topCut', looser: 'middleCut' }],
  tiers: [
    { id: 'Top', label: { en: 'Top: the highest CLV', da: 'Top: den højeste CLV' }, ...PALETTE.green, priority: 2,
      action: { en: 'Protect and grow: the most value ahead; a named contact', da: 'Beskyt og udvikl: mest værdi forude; en fast kontakt' } },
    { id: 'Middle', label: { en: 'Middle: CLV above the median', da: 'Midte: CLV over medianen' }, ...PALETTE.sky, priority: 3,
      action: { en: 'Develop: a reason to buy more often', da: 'Udvikl: en grund til at købe oftere' } },
    { id: 'Low', label: { en: 'Low: CLV below the median', da: 'Lav: CLV under medianen' }, ...PALETTE.grey, priority: 4,
      action: { en: 'Serve lean: standard offers only', da: 'Betjen enkelt: kun standardtilbud' } },
    { id: 'Likely lost', label: { en: 'Likely lost: P(alive) below the threshold', da: 'Sandsynligvis tabt: P(i live) under grænsen' }, ...PALETTE.vermillion, priority: 4,
      action: { en: 'Try one win-back offer; spend no more on them', da: 'Prøv ét tilbagevindingstilbud; brug ikke mere på dem' } },
  ],
  run(table: CustomerTable, settings) {
    const x = table.numbers.repeatPurchases;
    const tx = table.numbers.recencyWeeks;
    const T = table.numbers.ageWeeks;
    const zbar = table.numbers.meanRepeatSpend;
    if (!x || !tx || !T || !zbar) throw new Error('CLV needs repeat purchases, recency, age and mean repeat spend.');
    const n = table.rowCount;
    const usable = new Uint8Array(n);
    const fitRows: number[] = [];
    for (let i = 0; i < n; i++) {
      if (x[i] >= 0 && tx[i] >= 0 && T[i] >= tx[i] && Number.isFinite(T[i])) {
        usable[i] = 1;
        fitRows.push(i);
      }
    }
    const pick = (values: Float64Array, fill = 0) => Float64Array.from(fitRows, (i) => (Number.isNaN(values[i]) ? fill : values[i]));
    const data = { x: pick(x), tx: pick(tx), T: pick(T), zbar: pick(zbar) };
    // LifetimeEstimationError (too few repeat buyers) leaves the model out with its sentence: segment() collects it.
    const bgnbd = requireUsableFit('BG/NBD', fitBgNbd(data));
    const spend = requireUsableFit('Gamma-Gamma', fitGammaGamma(data.x, data.zbar));
    const correlation = frequencySpendCorrelation(data.x, data.zbar);
    const horizon = numberSetting(settings, 'horizonMonths');
    const rate = numberSetting(settings, 'discountRate');
    const lostBelow = numberSetting(settings, 'lostBelow');
    const margin = marginShare(table, settings);
    const values = customerClvs(bgnbd.params, spend.params, data, { horizonMonths: horizon, yearlyDiscountRate: rate, marginShare: margin.share });
    requireFinitePurchases(values.expectedPurchases);
    const pAlive = new Float64Array(n).fill(NaN);
    const purchases = new Float64Array(n).fill(NaN);
    const spendPer = new Float64Array(n).fill(NaN);
    const worth = new Float64Array(n).fill(NaN);
    fitRows.forEach((row, k) => {
      pAlive[row] = bgnbdPAlive(bgnbd.params, data.x[k], data.tx[k], data.T[k]);
      purchases[row] = values.expectedPurchases[k];
      spendPer[row] = values.expectedSpend[k];
      worth[row] = values.clv[k];
    });
    const topSpec = cutSetting(settings, 'topCut');
    const middleSpec = cutSetting(settings, 'middleCut');
    // Likely lost is decided first, on P(alive); Top, Middle and Low divide the others, so the
    // cuts are taken over them alone (a median over everyone would count the lost in the Middle cut).
    const worthNotLost = Float64Array.from(worth, (value, i) => (pAlive[i] < lostBelow ? NaN : value));
    const topResolved = cutAt(worthNotLost, topSpec);
    const middleResolved = cutAt(worthNotLost, middleSpec);
    const tiers = new Int8Array(n).fill(-1);
    let oneTimeBuyers = 0;
    let spendNotPositive = 0;
    for (let i = 0; i < n; i++) {
      if (!usable[i]) continue;
      if (x[i] === 0) oneTimeBuyers++;
      else if (!(zbar[i] > 0)) spendNotPositive++;
      if (pAlive[i] < lostBelow) tiers[i] = TIERS.lost;
      else if (Number.isNaN(worth[i])) tiers[i] = -1;
      else tiers[i] = isHigh(worth[i], topResolved.value, topSpec) ? TIERS.top : isHigh(worth[i], middleResolved.value, middleSpec) ? TIERS.middle : TIERS.low;
    }
    const tierDefinitions = this.tiers;
    const explain = (row: number): Localized => lazyLocalized((language) => {
      const da = language === 'da';
      if (!usable[row]) {
        return da
          ? 'intet segment: genkøb, seneste køb og alder i uger mangler eller hænger ikke sammen (ingen køb i transaktionsloggen?)'
          : 'no segment: repeat purchases, recency and age in weeks are missing or inconsistent (no purchase in the transaction log?)';
      }
      const p = formatNumber(pAlive[row], language, 3);
      const alive = x[row] === 0
        ? (da ? 'P(i live) = 1 pr. konstruktion: intet genkøb endnu (BG/NBD, ikke MBG/NBD)' : 'P(alive) = 1 by construction: no repeat purchase yet (BG/NBD, not MBG/NBD)')
        : da
          ? `P(i live) ${p} (${formatAmount(x[row], language)} genkøb, seneste i uge ${formatNumber(tx[row], language, 1)} af ${formatNumber(T[row], language, 1)})`
          : `P(alive) ${p} (${formatAmount(x[row], language)} ${x[row] === 1 ? 'repeat purchase' : 'repeat purchases'}, the last in week ${formatNumber(tx[row], language, 1)} of ${formatNumber(T[row], language, 1)})`;
      const count = formatNumber(purchases[row], language, 2);
      const tier = tiers[row];
      // Gamma-Gamma with q ≤ 1 has no population mean spend (the mean of its spend distribution is
      // infinite), so a customer without a repeat purchase has no expected spend and no CLV: say so.
      if (Number.isNaN(spendPer[row]) && tier < 0) {
        return da
          ? `${alive}; forventer ${count} køb på ${horizon} måneder, men intet forventet beløb: uden genkøb (eller med genkøbsbeløb på 0 eller under) bygger beløbet på gennemsnittet for alle kunder, og med Gamma-Gammas q ${formatNumber(spend.params.q, language, 2)} ≤ 1 findes det ikke; intet CLV-segment`
          : `${alive}; expects ${count} purchases in ${horizon} months but no expected spend: without a repeat purchase (or with repeat spend of 0 or less) the spend rests on the mean over all customers, which does not exist with Gamma-Gamma's q ${formatNumber(spend.params.q, language, 2)} ≤ 1; no CLV segment`;
      }
      // Gamma-Gamma needs a positive mean spend; a repeat buyer whose credits outweigh the repeat
      // purchases gets the population mean instead (gammaGammaExpectedSpend), which the reason says.
      const populationSpend = x[row] > 0 && !(zbar[row] > 0)
        ? (da
          ? ` (gennemsnittet for alle kunder: genkøbsbeløbet ${formatAmount(zbar[row], language)} er 0 eller under, som Gamma-Gamma ikke kan bruge)`
          : ` (the mean over all customers: the mean repeat spend ${formatAmount(zbar[row], language)} is 0 or less, which Gamma-Gamma cannot use)`)
        : '';
      const expected = da
        ? `forventer ${count} køb på ${horizon} måneder à ${formatAmount(spendPer[row], language)}${populationSpend}: CLV ${formatAmount(worth[row], language)}`
        : `expects ${count} purchases in ${horizon} months at ${formatAmount(spendPer[row], language)} each${populationSpend}: CLV ${formatAmount(worth[row], language)}`;
      const why = tier === TIERS.lost
        ? (da ? `P(i live) under ${formatNumber(lostBelow, language, 2)}` : `P(alive) below ${formatNumber(lostBelow, language, 2)}`)
        : tier === TIERS.top
          ? `CLV ≥ ${da ? 'skæring' : 'cut'} ${formatAmount(topResolved.value, language)}`
          : tier === TIERS.middle
            ? `CLV ≥ ${da ? 'skæring' : 'cut'} ${formatAmount(middleResolved.value, language)}`
            : `CLV < ${da ? 'skæring' : 'cut'} ${formatAmount(middleResolved.value, language)}`;
      return `${alive}; ${expected}; ${why}: ${tier < 0 ? '' : tierName(tierDefinitions[tier], language)}`;
    });
    const { r, alpha, a, b } = bgnbd.params;
    const parameter = (key: string, en: string, da: string, value: number, extra: Partial<UsedParameter> = {}): UsedParameter => ({ key, label: { en, da }, value, format: 'number', ...extra });
    const calibrationEnd = calibrationEndOf(table, fitRows);
    const holdoutStart = numberSetting(settings, 'holdoutStart');
    const parameters: UsedParameter[] = [
      parameter('r', 'r', 'r', r), parameter('alpha', 'alpha', 'alpha', alpha),
      parameter('a', 'a', 'a', a, limitNote(bgnbd, 'a')), parameter('b', 'b', 'b', b, limitNote(bgnbd, 'b')),
      parameter('logLikelihood', 'Log-likelihood', 'Log-likelihood', bgnbd.logLikelihood),
      parameter('p', 'p', 'p', spend.params.p), parameter('q', 'q', 'q', spend.params.q), parameter('gamma', 'gamma', 'gamma', spend.params.gamma),
      ...(Number.isFinite(calibrationEnd) ? [parameter('calibrationEnd', 'Calibration end', 'Kalibreringsslut', calibrationEnd, { format: 'date' })] : []),
      ...(holdoutStart > 0 ? [parameter('holdoutStart', 'Holdout start', 'Holdout-start', holdoutStart, { format: 'date' })] : []),
      parameter('horizonMonths', 'Horizon, months', 'Horisont, måneder', horizon),
      parameter('discountRate', 'Yearly discount rate', 'Årlig diskonteringsrente', rate),
      parameter('marginShare', 'Margin share', 'Dækningsgrad', margin.share, { note: margin.source }),
      parameter('spendCorrelation', 'Frequency–spend correlation (Pearson r)', 'Korrelation mellem købshyppighed og beløb (Pearson r)', correlation.pearson, {
        note: correlation.noticeable
          ? { en: `Gamma-Gamma's independence assumption looks broken (|r| ≥ ${NOTICEABLE_CORRELATION})`, da: `Gamma-Gammas uafhængighedsantagelse ser ud til at være brudt (|r| ≥ ${formatNumber(NOTICEABLE_CORRELATION, 'da', 2)})` }
          : { en: `Gamma-Gamma's independence assumption holds (|r| < ${NOTICEABLE_CORRELATION})`, da: `Gamma-Gammas uafhængighedsantagelse holder (|r| < ${formatNumber(NOTICEABLE_CORRELATION, 'da', 2)})` },
      }),
    ];
    const notes: Localized[] = [
      ...explainFit(bgnbd, spend),
      {
        en: `CLV = expected purchases in each of the next ${horizon} months × expected spend × margin share, discounted at ${formatNumber(rate * 100, 'en', 1)} % a year (${formatNumber(WEEKS_PER_MONTH, 'en', 3)} weeks a month).`,
        da: `CLV = forventede køb i hver af de næste ${horizon} måneder × forventet beløb × dækningsgrad, tilbagediskonteret med ${formatNumber(rate * 100, 'da', 1)} % om året (${formatNumber(WEEKS_PER_MONTH, 'da', 3)} uger pr. måned).`,
      },
      margin.note,
      {
        en: oneTimeBuyers === 1
          ? 'P(alive) = 1 by construction for the 1 customer without a repeat purchase (BG/NBD drops a customer out only after a purchase), so that customer is not Likely lost.'
          : `P(alive) = 1 by construction for the ${counted(oneTimeBuyers, NOUNS.customer, 'en')} without a repeat purchase (BG/NBD drops a customer out only after a purchase), so none of them is Likely lost.`,
        da: oneTimeBuyers === 1
          ? 'P(i live) = 1 pr. konstruktion for den 1 kunde uden genkøb (i BG/NBD kan en kunde kun falde fra efter et køb), så den er ikke Sandsynligvis tabt.'
          : `P(i live) = 1 pr. konstruktion for de ${counted(oneTimeBuyers, NOUNS.customer, 'da')} uden genkøb (i BG/NBD kan en kunde kun falde fra efter et køb), så ingen af dem er Sandsynligvis tabt.`,
      },
      correlation.noticeable
        ? {
          en: `Gamma-Gamma assumes spend per purchase does not depend on how often a customer buys; here they correlate (Pearson r ${formatNumber(correlation.pearson, 'en', 2)} over ${counted(correlation.customers, NOUNS.repeatBuyer, 'en')}, |r| ≥ ${NOTICEABLE_CORRELATION}): the assumption is broken, so take expected spend and CLV with care.`,
          da: `Gamma-Gamma antager, at beløbet pr. køb ikke afhænger af, hvor ofte kunden køber; her hænger de sammen (Pearson r ${formatNumber(correlation.pearson, 'da', 2)} over ${counted(correlation.customers, NOUNS.repeatBuyer, 'da')}, |r| ≥ ${formatNumber(NOTICEABLE_CORRELATION, 'da', 2)}): antagelsen holder ikke, så brug forventet beløb og CLV med forsigtighed.`,
        }
        : {
          en: `Gamma-Gamma's assumption that spend does not depend on frequency holds well enough: Pearson r ${formatNumber(correlation.pearson, 'en', 2)} over ${counted(correlation.customers, NOUNS.repeatBuyer, 'en')} (|r| < ${NOTICEABLE_CORRELATION}).`,
          da: `Gamma-Gammas antagelse om, at beløbet ikke afhænger af købshyppigheden, holder godt nok: Pearson r ${formatNumber(correlation.pearson, 'da', 2)} over ${counted(correlation.customers, NOUNS.repeatBuyer, 'da')} (|r| < ${formatNumber(NOTICEABLE_CORRELATION, 'da', 2)}).`,
        },
    ];
    if (spendNotPositive > 0) notes.push(populationSpendNote(spendNotPositive, spend.params));
    const holdout = holdoutCheck(table, settings, bgnbd.params, fitRows, data);
    if (holdout) notes.push(holdout.note);
    const skipped = n - fitRows.length;
    if (skipped > 0) {
      notes.push({
        en: `${counted(skipped, NOUNS.row, 'en')} without usable repeat purchases, recency and age (missing, or recency after age) ${skipped === 1 ? 'is' : 'are'} not in the fit and ${skipped === 1 ? 'gets' : 'get'} no segment.`,
        da: `${counted(skipped, NOUNS.row, 'da')} uden brugbare genkøb, seneste køb og alder (mangler, eller seneste køb efter alder) er ikke med i estimationen og får intet segment.`,
      });
    }
    return {
      modelId: 'clv',
      inputs: inputsOf(table, ['repeatPurchases', 'recencyWeeks', 'ageWeeks', 'meanRepeatSpend', ...(margin.share !== 1 && !(numberSetting(settings, 'marginShare') > 0) ? ['margin' as const, 'revenue' as const] : [])], ['margin']),
      tiers,
      cuts: [usedCut('topCut', overNotLost(settingLabel(this, 'topCut')), topSpec, topResolved), usedCut('middleCut', overNotLost(settingLabel(this, 'middleCut')), middleSpec, middleResolved)],
      parameters,
      measure: 'revenue',
      metrics: [
        {
          key: 'clv.pAlive', label: { en: 'P(alive)', da: 'P(i live)' }, format: 'number', decimals: 3, values: pAlive, table: true, priority: true,
          excelFormula: ({ roles, parameters: cells }) => pAliveFormula(roles, cells),
        },
        { key: 'clv.purchases', label: { en: 'Expected purchases', da: 'Forventede køb' }, format: 'number', decimals: 2, values: purchases, table: true },
        { key: 'clv.spend', label: { en: 'Expected spend', da: 'Forventet beløb' }, format: 'amount', values: spendPer, table: true },
        { key: 'clv.value', label: { en: 'CLV', da: 'CLV' }, format: 'amount', values: worth, table: true, priority: true },
      ],
      notes,
      explain,
      priorityWithinTier: (row) => worth[row],
      ...(holdout?.table ? { tables: [holdout.table] } : {}),
    };
  },
  formula: () => null,
  valuesOnly: {
    en: 'CLV tiers are written as values: expected purchases sum a hypergeometric series month by month, which no ordinary formula writes; P(alive) is a live formula over the fitted r, alpha, a and b on the CLV sheet.',
    da: 'CLV-segmenter skrives som værdier: forventede køb summerer en hypergeometrisk række måned for måned, som ingen almindelig formel skriver; P(i live) er en levende formel over de estimerede r, alpha, a og b på CLV-arket.',
  },
};

/**
 * The note on repeat buyers whose mean repeat spend is 0 or less (credits outweigh their repeat
 * purchases): Gamma-Gamma leaves them out of its fit and gives them the population mean spend
 * pγ/(q − 1), as to customers without a repeat purchase; with q ≤ 1 that mean does not exist.
 */
function populationSpendNote(count: number, params: GammaGammaFit['params']): Localized {
  const one = count === 1;
  const mean = params.q > 1 ? (params.p * params.gamma) / (params.q - 1) : NaN;
  const given = (language: Language) => Number.isFinite(mean)
    ? (language === 'da' ? `gennemsnittet for alle kunder, ${formatAmount(mean, language)} pr. køb` : `the mean over all customers, ${formatAmount(mean, language)} per purchase`)
    : (language === 'da' ? `gennemsnittet for alle kunder, som ikke findes med q ≤ 1, så intet forventet beløb` : 'the mean over all customers, which does not exist with q ≤ 1, so no expected spend');
  return {
    en: `${counted(count, NOUNS.repeatBuyer, 'en')} ${one ? 'has' : 'have'} a mean repeat spend of 0 or less (credit notes outweigh the repeat purchases): Gamma-Gamma cannot use it, so ${one ? 'it is' : 'they are'} left out of its fit and given ${given('en')}, as customers without a repeat purchase are.`,
    da: `${counted(count, NOUNS.repeatBuyer, 'da')} har et gennemsnitligt genkøbsbeløb på 0 eller under (kreditnotaer overstiger genkøbene): Gamma-Gamma kan ikke bruge det, så ${one ? 'den' : 'de'} er udeladt af estimationen og får ${given('da')}, som kunder uden genkøb.`,
  };
}

/** The a and b cells' note at BG/NBD's dropout limit: what the written value stands for. */
function limitNote(bgnbd: BgNbdFit, key: 'a' | 'b'): Partial<UsedParameter> {
  if (bgnbd.edge.kind !== 'limit' || !bgnbd.edge.limit) return {};
  const p = bgnbd.edge.limit.p;
  if (p === 0) {
    return { note: key === 'a'
      ? { en: 'a → 0 at the limit: nobody drops out (the NBD), so P(alive) = 1', da: 'a → 0 i grænsen: ingen falder fra (NBD), så P(i live) = 1' }
      : { en: 'plays no part at the limit a → 0', da: 'spiller ingen rolle i grænsen a → 0' } };
  }
  const ratio = (language: Language) => readableNumber(p, language, 4);
  return { note: {
    en: `a, b → ∞ at the limit with a/(a+b) = p = ${ratio('en')}: written as ${key === 'a' ? 'p' : '(1 − p)'}·10^12`,
    da: `a, b → ∞ i grænsen med a/(a+b) = p = ${ratio('da')}: skrevet som ${key === 'a' ? 'p' : '(1 − p)'}·10^12`,
  } };
}

/** A cut's label with the customers its value is taken over: "Top cut (CLV), over the customers not Likely lost". */
function overNotLost(label: Localized): Localized {
  return { en: `${label.en}, over the customers not Likely lost`, da: `${label.da}, over kunderne der ikke er Sandsynligvis tabt` };
}

/**
 * The holdout check when the table has the holdout columns (a log split at the holdout start):
 * the total as a note, the groups as a table. When a holdout start is set but the columns are
 * missing, a note says why there is no check.
 */
function holdoutCheck(
  table: CustomerTable, settings: ModelSettings, params: BgNbdFit['params'], fitRows: readonly number[], data: { x: Float64Array; tx: Float64Array; T: Float64Array },
): { note: Localized; table?: ResultTable } | null {
  const purchases = table.numbers.holdoutPurchases;
  const weeks = table.numbers.holdoutWeeks;
  const start = numberSetting(settings, 'holdoutStart');
  if (!purchases || !weeks) {
    if (!(start > 0)) return null;
    return { note: {
      en: `No holdout check: it needs a transaction log with purchases on or after the holdout start ${isoDate(start)}, split there (the columns Holdout purchases and Holdout (weeks)).`,
      da: `Intet holdout-tjek: det kræver en transaktionslog med køb på eller efter holdout-starten ${isoDate(start)}, delt der (kolonnerne Køb i holdout og Holdout (uger)).`,
    } };
  }
  const comparison = compareHoldout(params, {
    ...data, holdoutPurchases: Float64Array.from(fitRows, (row) => purchases[row]), holdoutWeeks: Float64Array.from(fitRows, (row) => weeks[row]),
  });
  let length = NaN;
  for (const row of fitRows) if (weeks[row] > 0) { length = weeks[row]; break; }
  return { note: holdoutNote(comparison, length, start), table: holdoutTable(comparison, length) };
}

function isoDate(serial: number): string {
  return serialToJsDate(serial).toISOString().slice(0, 10);
}

/** The total line: predicted against actual repeat purchases in the holdout, and their ratio. */
function holdoutNote(comparison: HoldoutComparison, weeks: number, start: number): Localized {
  const { customers, predicted, actual, ratio } = comparison;
  const from = start > 0 ? ` from ${isoDate(start)}` : '';
  const fra = start > 0 ? ` fra ${isoDate(start)}` : '';
  return {
    en: `Holdout check${from} (${formatNumber(weeks, 'en', 1)} weeks, BG/NBD fitted on the purchases before): ${formatNumber(predicted, 'en', 1)} repeat purchases predicted, ${formatNumber(actual, 'en', 0)} actual, ratio ${formatNumber(ratio, 'en', 3)}, over ${counted(customers, NOUNS.customer, 'en')}.`,
    da: `Holdout-tjek${fra} (${formatNumber(weeks, 'da', 1)} uger, BG/NBD estimeret på købene før): ${formatNumber(predicted, 'da', 1)} genkøb forudsagt, ${formatNumber(actual, 'da', 0)} faktiske, forhold ${formatNumber(ratio, 'da', 3)}, over ${counted(customers, NOUNS.customer, 'da')}.`,
  };
}

/** Fader, Hardie & Lee's validation table: per group of calibration repeat purchases, mean predicted against mean actual, and the total. */
function holdoutTable(comparison: HoldoutComparison, weeks: number): ResultTable {
  const rows: (number | Localized)[][] = comparison.groups.map((group) => [
    group.orMore ? { en: `${group.repeatPurchases}+`, da: `${group.repeatPurchases}+` } : group.repeatPurchases,
    group.customers, group.meanPredicted, group.meanActual, group.predicted, group.actual, group.actual > 0 ? group.predicted / group.actual : NaN,
  ]);
  const { customers, predicted, actual, ratio } = comparison;
  rows.push([{ en: 'Total', da: 'I alt' }, customers, predicted / customers, actual / customers, predicted, actual, ratio]);
  const weeksText = (language: Language) => formatNumber(weeks, language, 1);
  return {
    key: 'clv.holdout',
    title: {
      en: `Holdout check: repeat purchases in the ${weeksText('en')} holdout weeks, predicted by BG/NBD against actual, by repeat purchases before`,
      da: `Holdout-tjek: genkøb i de ${weeksText('da')} holdout-uger, forudsagt af BG/NBD mod faktiske, efter genkøb før`,
    },
    columns: [
      { label: { en: 'Repeat purchases in calibration', da: 'Genkøb i kalibrering' }, decimals: 0 },
      { label: { en: 'Customers', da: 'Kunder' }, decimals: 0 },
      { label: { en: 'Predicted per customer', da: 'Forudsagt pr. kunde' }, decimals: 3 },
      { label: { en: 'Actual per customer', da: 'Faktisk pr. kunde' }, decimals: 3 },
      { label: { en: 'Predicted', da: 'Forudsagt' }, decimals: 1 },
      { label: { en: 'Actual', da: 'Faktisk' }, decimals: 0 },
      { label: { en: 'Predicted ÷ actual', da: 'Forudsagt ÷ faktisk' }, decimals: 3 },
    ],
    rows,
    lineChart: { title: { en: 'Holdout: repeat purchases per customer', da: 'Holdout: genkøb pr. kunde' }, columns: [2, 3], rows: comparison.groups.length },
  };
}

/**
 * A fit the data drove to a boundary (a parameter infinite or zero, BG/NBD's dropout parameters
 * run off, a positive log-likelihood) or whose predictions are not numbers: never used for a
 * result. `text` is the sentence the model is left out with, in both languages.
 */
export class LifetimeFitError extends Error {
  readonly text: Localized;

  constructor(readonly model: 'BG/NBD' | 'Gamma-Gamma', parameters: Localized, text?: Localized) {
    const why = model === 'BG/NBD'
      ? { en: 'the customers\' purchases do not tell how often they buy and when they stop', da: 'kundernes køb viser ikke, hvor ofte de køber, og hvornår de stopper' }
      : { en: 'the repeat buyers\' spend does not tell how spend per purchase differs between customers', da: 'genkøbernes beløb viser ikke, hvordan beløbet pr. køb varierer mellem kunderne' };
    const said = text ?? {
      en: `${model} found no maximum of the likelihood on this data (the parameters ran off to ${parameters.en}): ${why.en}, so no CLV is given`,
      da: `${model} fandt intet maksimum for likelihood på disse data (parametrene løb mod ${parameters.da}): ${why.da}, så der gives ingen CLV`,
    };
    super(said.en);
    this.name = 'LifetimeFitError';
    this.text = said;
  }
}

/**
 * BG/NBD's a and b above this have run off rather than been estimated. Beta(a, b) with a + b in
 * the tens of thousands is one dropout probability for everyone, a boundary the likelihood drifts
 * to when the data say little about dropout; published fits have a and b below 10 (CDNOW 0.79 and
 * 2.43), and at a ≈ 2.8e5, b ≈ 1.8e7 (seen on real data) the hypergeometric series of expected
 * purchases no longer gives a number for anyone.
 */
export const RUNAWAY_DROPOUT = 1e4;

/** The fit when its parameters are finite, positive and not run off, and its log-likelihood finite and at most 0; else LifetimeFitError. */
function requireUsableFit<T extends { params: object; logLikelihood: number }>(model: 'BG/NBD' | 'Gamma-Gamma', fit: T): T {
  // At BG/NBD's dropout limit a and b stand for p (a = 0, or a + b of 10^12): only r and α are checked.
  const atLimit = model === 'BG/NBD' && (fit as unknown as BgNbdFit).edge?.kind === 'limit';
  const values = Object.entries(fit.params as Record<string, number>).filter(([key]) => !atLimit || (key !== 'a' && key !== 'b'));
  const runaway = (key: string, value: number) => model === 'BG/NBD' && (key === 'a' || key === 'b') && value > RUNAWAY_DROPOUT;
  const bad = values.filter(([key, value]) => !isEstimatedParameter(value) || runaway(key, value));
  if (bad.length === 0 && Number.isFinite(fit.logLikelihood) && fit.logLikelihood <= 0) return fit;
  const shown = (language: Language) => (bad.length ? bad : values).map(([key, value]) => `${key} ${readableNumber(value, language, 3)}`).join(', ');
  throw new LifetimeFitError(model, { en: shown('en'), da: shown('da') });
}

/**
 * Refuses a fit whose expected purchases are not numbers for most customers (more than half):
 * an empty column with tiers made of the rest would look like a result and is not one.
 * @throws LifetimeFitError naming how many customers lack a number
 */
export function requireFinitePurchases(expected: Float64Array): void {
  let missing = 0;
  for (let i = 0; i < expected.length; i++) if (!Number.isFinite(expected[i])) missing++;
  if (expected.length === 0 || missing * 2 <= expected.length) return;
  const count = (language: Language) => `${formatNumber(missing, language, 0)} / ${formatNumber(expected.length, language, 0)}`;
  throw new LifetimeFitError('BG/NBD', { en: '', da: '' }, {
    en: `BG/NBD's fit gives no number of expected purchases for ${count('en')} customers (the fitted parameters make its series diverge), so no CLV is given rather than an empty column`,
    da: `BG/NBD-estimationen giver intet antal forventede køb for ${count('da')} kunder (de estimerede parametre får rækken til at divergere), så der gives ingen CLV frem for en tom kolonne`,
  });
}

/**
 * The calibration end as an Excel serial day, from a row with the last order's date, recency and
 * age in weeks: T − t_x weeks after the last purchase (the log's summary measures both from the
 * first purchase to the calibration end). NaN when no row has all three (a table typed by hand).
 */
function calibrationEndOf(table: CustomerTable, rows: readonly number[]): number {
  const last = table.numbers.lastOrder;
  const tx = table.numbers.recencyWeeks;
  const T = table.numbers.ageWeeks;
  if (!last || !tx || !T) return NaN;
  for (const row of rows) {
    const end = last[row] + (T[row] - tx[row]) * 7;
    if (Number.isFinite(end)) return Math.round(end);
  }
  return NaN;
}

/**
 * P(alive) as an ordinary formula over the row's x, t_x, T and the fitted parameters' cells:
 * 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) for x > 0, 1 for x = 0 or a = 0, written through logarithms
 * with the exponent capped at 700 so a customer long gone gives a number near 0, never #NUM!.
 */
function pAliveFormula(roles: Partial<Record<string, string>>, cells: Record<string, string> | undefined): string | null {
  const [x, tx, T] = [roles.repeatPurchases, roles.recencyWeeks, roles.ageWeeks];
  if (!x || !tx || !T || !cells?.r || !cells.alpha || !cells.a || !cells.b) return null;
  const { r, alpha, a, b } = cells;
  const odds = `LN(${a})-LN(${b}+${x}-1)+(${r}+${x})*(LN(${alpha}+${T})-LN(${alpha}+${tx}))`;
  // a = 0 is BG/NBD's limit where nobody drops out (fitBgNbd writes it so): P(alive) = 1, and LN(0) is never reached.
  return `IF(AND(ISNUMBER(${x}),ISNUMBER(${tx}),ISNUMBER(${T})),IF(OR(${x}=0,${a}=0),1,1/(1+EXP(MIN(700,${odds})))),"")`;
}
