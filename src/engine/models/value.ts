import { cutAt, isHigh, usedCut } from '../cuts';
import { allNumbers, atOrAbove } from '../excel-formulas';
import {
  cutSetting, settingLabel, explainAgainstCut, formatAmount, formatNumber, inputsOf, numberSetting, segmentkitCall, tierLiterals, tierName, type ModelDefinition, type ModelSettings, type UsedParameter,
} from '../model';
import { PALETTE } from '../palette';
import { dateToSerial, jsDateToSerial, serialToJsDate } from '../parse';
import type { CustomerTable } from '../table';
import { lazyLocalized, type Language, type Localized } from '../types';
import {
  afterCostToServe, DEFAULT_HOURLY_RATE, HOURLY_RATE_SETTING, MARGIN_ALTERNATIVES, MARGIN_COST_ROLES, marginExpression, marginInputs, requireTrueMargin,
  servingCostsMissing, trueMarginLabel, type MarginBasis,
} from './margin';

/**
 * Gold / Silver / Bronze / Loss by true margin, and the terms each tier gets. Gold holds the first
 * 50 % of the positive margin, Silver the next 30 %, Bronze the rest at or above zero, Loss below.
 * Two policy rules follow the margin tier: a new Bronze customer is raised to Silver (it has not
 * had time to earn its tier; a new customer that loses money stays Loss), and a late payer keeps
 * its tier but gets the Bronze discount.
 */

export const VALUE_TIER_IDS = ['Gold', 'Silver', 'Bronze', 'Loss'] as const;
export type ValueTierId = (typeof VALUE_TIER_IDS)[number];
export const VALUE_TIERS = { gold: 0, silver: 1, bronze: 2, loss: 3 } as const;

export const SERVICE_LEVELS = ['keyAccount', 'named', 'standard', 'selfService'] as const;
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];
export const MEETING_FREQUENCIES = ['monthly', 'quarterly', 'halfYearly', 'yearly', 'none'] as const;
export type MeetingFrequency = (typeof MEETING_FREQUENCIES)[number];

/** What one tier gets. Plain data, so the table is stored in the workbook and edited in the pane. */
export type TierTerms = {
  /** Discount as a fraction (0.08 = 8 %). */
  discount: number;
  paymentDays: number;
  /** Fee per paper invoice in kr.; 0 = we pay for the paper. */
  invoiceFee: number;
  serviceLevel: ServiceLevel;
  /** Phone-queue priority: 1 answers first. */
  queuePriority: number;
  meetings: MeetingFrequency;
  /** Prices must be reviewed: the customer loses money at today's terms. */
  reprice: boolean;
};

export type TermsTable = { [tier in ValueTierId]: TierTerms };

export const DEFAULT_TERMS: TermsTable = {
  Gold: { discount: 0.08, paymentDays: 30, invoiceFee: 0, serviceLevel: 'keyAccount', queuePriority: 1, meetings: 'monthly', reprice: false },
  Silver: { discount: 0.04, paymentDays: 30, invoiceFee: 0, serviceLevel: 'named', queuePriority: 2, meetings: 'quarterly', reprice: false },
  Bronze: { discount: 0, paymentDays: 14, invoiceFee: 29, serviceLevel: 'standard', queuePriority: 3, meetings: 'yearly', reprice: false },
  Loss: { discount: 0, paymentDays: 8, invoiceFee: 49, serviceLevel: 'selfService', queuePriority: 3, meetings: 'none', reprice: true },
};

export const SERVICE_LEVEL_LABELS: Record<ServiceLevel, Localized> = {
  keyAccount: { en: 'Key account manager', da: 'Key account manager' },
  named: { en: 'Named contact', da: 'Fast kontaktperson' },
  standard: { en: 'Standard service desk', da: 'Standard kundeservice' },
  selfService: { en: 'Self-service', da: 'Selvbetjening' },
};

export const MEETING_LABELS: Record<MeetingFrequency, Localized> = {
  monthly: { en: 'Monthly', da: 'Månedligt' },
  quarterly: { en: 'Quarterly', da: 'Kvartalsvis' },
  halfYearly: { en: 'Twice a year', da: 'Halvårligt' },
  yearly: { en: 'Yearly', da: 'Årligt' },
  none: { en: 'None', da: 'Ingen' },
};

/** The columns of the terms table, in the order the pane, the Terms sheet and the Priority sheet show them. */
export const TERMS_FIELDS = [
  { key: 'discount', label: { en: 'Discount', da: 'Rabat' }, format: 'percent' },
  { key: 'paymentDays', label: { en: 'Payment days', da: 'Betalingsfrist (dage)' }, format: 'number' },
  { key: 'invoiceFee', label: { en: 'Invoice fee (kr.)', da: 'Fakturagebyr (kr.)' }, format: 'amount' },
  { key: 'serviceLevel', label: { en: 'Service level', da: 'Serviceniveau' }, format: 'text' },
  { key: 'queuePriority', label: { en: 'Phone queue priority', da: 'Prioritet i telefonkø' }, format: 'number' },
  { key: 'meetings', label: { en: 'Meetings', da: 'Møder' }, format: 'text' },
  { key: 'reprice', label: { en: 'Reprice', da: 'Prisjustér' }, format: 'text' },
] as const satisfies readonly { key: keyof TierTerms; label: Localized; format: string }[];

/** A terms field as a cell: numbers as they are, choices and flags as words in the language. */
export function termsFieldText(terms: TierTerms, key: keyof TierTerms, language: Language): string | number {
  const value = terms[key];
  if (key === 'serviceLevel') return SERVICE_LEVEL_LABELS[value as ServiceLevel][language];
  if (key === 'meetings') return MEETING_LABELS[value as MeetingFrequency][language];
  if (key === 'reprice') return value ? (language === 'da' ? 'Ja' : 'Yes') : '';
  return value as number;
}

/** Checks a terms table from the workbook or the pane: every tier, every field, in range. */
export function termsProblems(terms: unknown): string[] {
  const problems: string[] = [];
  const table = terms as Partial<Record<ValueTierId, Partial<TierTerms>>> | null;
  for (const tier of VALUE_TIER_IDS) {
    const row = table?.[tier];
    if (!row) { problems.push(`${tier}: no terms.`); continue; }
    if (!(typeof row.discount === 'number' && row.discount >= 0 && row.discount < 1)) problems.push(`${tier}: the discount must be from 0 % up to 100 %.`);
    for (const key of ['paymentDays', 'invoiceFee', 'queuePriority'] as const) {
      if (!(typeof row[key] === 'number' && Number.isFinite(row[key]) && row[key] >= 0)) problems.push(`${tier}: ${key} must be a number, 0 or more.`);
    }
    if (!SERVICE_LEVELS.includes(row.serviceLevel as ServiceLevel)) problems.push(`${tier}: unknown service level.`);
    if (!MEETING_FREQUENCIES.includes(row.meetings as MeetingFrequency)) problems.push(`${tier}: unknown meeting frequency.`);
  }
  return problems;
}

export function termsSetting(settings: ModelSettings): TermsTable {
  const terms = settings.terms;
  const problems = termsProblems(terms);
  if (problems.length > 0) throw new Error(`The terms table is not complete: ${problems.join(' ')}`);
  return terms as unknown as TermsTable;
}

/** An Excel day as year, month (1–12) and day, by Hinnant's civil-from-days: no Date per row. */
export function serialToCivil(serial: number): [number, number, number] {
  // Excel's day 25569 is 1970-01-01; 719468 moves the count to 0000-03-01, where the algorithm starts.
  const days = Math.floor(serial) - 25569 + 719468;
  const era = Math.floor(days / 146097);
  const dayOfEra = days - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** Whole calendar months from one Excel day to another (5 months and 30 days is 5). */
export function monthsBetween(fromSerial: number, toSerial: number): number {
  const [fromYear, fromMonth, fromDay] = serialToCivil(fromSerial);
  const [toYear, toMonth, toDay] = serialToCivil(toSerial);
  const months = (toYear - fromYear) * 12 + (toMonth - fromMonth);
  // A start after the day counted from (a typo, or a contract signed ahead) is a customer of 0 months.
  return Math.max(0, toDay < fromDay ? months - 1 : months);
}

/** The last Excel day (9999-12-31): no customer since is after it. */
export const LAST_EXCEL_DAY = 2958465;

/** Excel's EDATE: the same day `months` calendar months on, at most the month's last day. */
export function addMonths(serial: number, months: number): number {
  const [year, month, day] = serialToCivil(serial);
  const target = year * 12 + (month - 1) + Math.trunc(months);
  const targetYear = Math.floor(target / 12);
  const targetMonth = target - targetYear * 12 + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return dateToSerial(targetYear, targetMonth, Math.min(day, lastDay));
}

/**
 * The day after which a customer counts as new, as of a day: a customer since day s is younger
 * than n months exactly when `monthsBetween(s, asOf) < n`, which for n > 0 is s > EDATE(asOf,
 * −⌈n⌉) (whole months, and a start after `asOf` counts 0 months); with n ≤ 0 nobody is new.
 */
export function newCustomerAfter(asOf: number, newMonths: number): number {
  return newMonths > 0 ? addMonths(asOf, -Math.ceil(newMonths)) : LAST_EXCEL_DAY;
}

/** Today as an Excel day, for "as of" settings left at 0. */
export function todaySerial(now: Date = new Date()): number {
  return Math.floor(jsDateToSerial(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()))));
}

/**
 * The tier after the new-customer rule: a new Bronze customer is raised to Silver. A new customer
 * that loses money stays Loss: its terms follow the loss (reprice first), never Silver's discount.
 */
export function valueTierAfterPolicy(marginTier: number, isNew: boolean): number {
  return isNew && marginTier === VALUE_TIERS.bronze ? VALUE_TIERS.silver : marginTier;
}

/** The margin tier before any rule: Gold and Silver by their cuts, Bronze at or above zero, Loss below. */
export function marginTier(margin: number, goldHigh: boolean, silverHigh: boolean): number {
  if (Number.isNaN(margin)) return -1;
  if (margin < 0) return VALUE_TIERS.loss;
  return goldHigh ? VALUE_TIERS.gold : silverHigh ? VALUE_TIERS.silver : VALUE_TIERS.bronze;
}

const MARGIN = { en: 'Margin', da: 'Dækningsbidrag' };

function termsMetrics(terms: TermsTable, tiers: Int8Array, late: Uint8Array) {
  // A row's terms depend only on its tier and whether it pays late: eight cases, worked out once.
  const cases = VALUE_TIER_IDS.flatMap((id) => {
    const own = terms[id];
    // A late payer keeps its tier and everything with it, but not a better discount than Bronze's.
    return [own, { ...own, discount: Math.min(own.discount, terms.Bronze.discount) }];
  });
  const caseOf = (row: number) => (tiers[row] < 0 ? -1 : tiers[row] * 2 + late[row]);
  const none: Localized = { en: '', da: '' };
  return TERMS_FIELDS.map((field) => {
    if (field.format === 'text') {
      const texts = cases.map((own): Localized => ({ en: String(termsFieldText(own, field.key, 'en')), da: String(termsFieldText(own, field.key, 'da')) }));
      return {
        key: `terms.${field.key}`, label: field.label, format: 'text' as const, priority: true,
        text: (row: number): Localized => texts[caseOf(row)] ?? none,
      };
    }
    const values = new Float64Array(tiers.length);
    for (let row = 0; row < tiers.length; row++) values[row] = cases[caseOf(row)]?.[field.key] ?? NaN;
    return { key: `terms.${field.key}`, label: field.label, format: field.format, values, priority: true };
  });
}

export const value: ModelDefinition = {
  id: 'value',
  name: { en: 'Value tiers and terms', da: 'Værdisegmenter og vilkår' },
  description: {
    en: 'Gold, Silver, Bronze and Loss by margin (after cost to serve where the table has it), with the terms each tier gets: discount, payment days, invoice fee, service and meetings.',
    da: 'Guld, sølv, bronze og tab efter dækningsbidrag (efter serviceomkostninger, hvor tabellen har dem), med de vilkår hvert segment får: rabat, betalingsfrist, fakturagebyr, service og møder.',
  },
  columnHeader: 'Segment Value',
  columnHeaderDa: 'Segment Værdi',
  // Not VALUE: that is a built-in (VÆRDI in Danish Excel), and a custom function must not share a built-in's name.
  functionName: 'VALUETIER',
  inputs: ['margin'],
  alternatives: { margin: MARGIN_ALTERNATIVES },
  optionalInputs: [...MARGIN_COST_ROLES, 'since', 'daysLate'],
  settings: [
    { key: 'goldCut', kind: 'cut', role: 'margin', label: { en: 'Gold cut', da: 'Skæring for guld' } },
    { key: 'silverCut', kind: 'cut', role: 'margin', label: { en: 'Silver cut', da: 'Skæring for sølv' } },
    { key: 'newMonths', kind: 'number', min: 0, label: { en: 'New customers (Bronze raised to Silver) younger than', da: 'Nye kunder (bronze hævet til sølv) yngre end' }, unit: { en: 'months', da: 'måneder' } },
    { key: 'lateDays', kind: 'number', min: 0, label: { en: 'Late payers (Bronze discount) above', da: 'Sene betalere (bronzerabat) over' }, unit: { en: 'days late on average', da: 'dage for sent i snit' } },
    HOURLY_RATE_SETTING,
    { key: 'asOf', kind: 'date', label: { en: 'Customer age as of', da: 'Kundealder pr.' } },
    { key: 'terms', kind: 'data', editor: 'terms', label: { en: 'Terms per tier', da: 'Vilkår pr. segment' } },
  ],
  defaults: {
    goldCut: { method: 'pareto', level: 0.5 }, silverCut: { method: 'pareto', level: 0.8 },
    newMonths: 12, lateDays: 15, hourlyRate: DEFAULT_HOURLY_RATE, asOf: 0, terms: DEFAULT_TERMS,
  },
  cutOrder: [{ stricter: 'goldCut', looser: 'silverCut' }],
  tiers: [
    { id: 'Gold', label: { en: 'Gold: the first 50 % of margin', da: 'Guld: de første 50 % af dækningsbidraget' }, ...PALETTE.yellow, priority: 1,
      action: { en: 'Protect: best terms, key account manager, monthly meeting', da: 'Beskyt: bedste vilkår, key account manager, månedligt møde' } },
    { id: 'Silver', label: { en: 'Silver: the next 30 %', da: 'Sølv: de næste 30 %' }, ...PALETTE.sky, priority: 2,
      action: { en: 'Develop: good terms, named contact, quarterly meeting', da: 'Udvikl: gode vilkår, fast kontakt, kvartalsmøde' } },
    { id: 'Bronze', label: { en: 'Bronze: the rest with margin ≥ 0', da: 'Bronze: resten med dækningsbidrag ≥ 0' }, ...PALETTE.orange, priority: 3,
      action: { en: 'Standardize: standard terms and service', da: 'Standardisér: standardvilkår og -service' } },
    { id: 'Loss', label: { en: 'Loss: margin below 0', da: 'Tab: dækningsbidrag under 0' }, ...PALETTE.vermillion, priority: 4,
      action: { en: 'Reprice or cut the cost to serve', da: 'Prisjustér eller skær i serviceomkostningerne' } },
  ],
  run(table: CustomerTable, settings) {
    const margin = requireTrueMargin(table, settings);
    const terms = termsSetting(settings);
    const goldSpec = cutSetting(settings, 'goldCut');
    const silverSpec = cutSetting(settings, 'silverCut');
    const goldResolved = cutAt(margin.values, goldSpec);
    const silverResolved = cutAt(margin.values, silverSpec);
    const goldCut = goldResolved.value;
    const silverCut = silverResolved.value;
    const newMonths = numberSetting(settings, 'newMonths');
    const lateDays = numberSetting(settings, 'lateDays');
    const asOf = numberSetting(settings, 'asOf') || todaySerial();
    const since = table.numbers.since;
    const daysLate = table.numbers.daysLate;
    const rows = table.rowCount;
    const before = new Int8Array(rows);
    const tiers = new Int8Array(rows);
    const late = new Uint8Array(rows);
    const ageMonths = new Float64Array(rows).fill(NaN);
    let raised = 0;
    let latePayers = 0;
    for (let i = 0; i < rows; i++) {
      const m = margin.values[i];
      before[i] = marginTier(m, isHigh(m, goldCut, goldSpec), isHigh(m, silverCut, silverSpec));
      if (since && !Number.isNaN(since[i])) ageMonths[i] = monthsBetween(since[i], asOf);
      tiers[i] = before[i] < 0 ? -1 : valueTierAfterPolicy(before[i], ageMonths[i] < newMonths);
      if (tiers[i] !== before[i]) raised++;
      late[i] = tiers[i] >= 0 && daysLate !== undefined && daysLate[i] > lateDays ? 1 : 0;
      latePayers += late[i];
    }
    const nameOf = (index: number, language: Language) => tierName(this.tiers[index], language);
    const explain = (row: number): Localized => {
      const m = margin.values[row];
      if (before[row] < 0) return margin.explain(row);
      const base = before[row] === VALUE_TIERS.loss
        ? explainAgainstCut(MARGIN, m, 0, false)
        : before[row] === VALUE_TIERS.gold ? explainAgainstCut(MARGIN, m, goldCut, true, goldResolved.tie)
          : explainAgainstCut(MARGIN, m, silverCut, before[row] === VALUE_TIERS.silver, goldResolved.tie?.value === m ? goldResolved.tie : silverResolved.tie);
      return lazyLocalized((language) => {
        const da = language === 'da';
        const parts = [`${da ? 'Dækningsbidragssegment' : 'Margin tier'} ${nameOf(before[row], language)} (${base[language]})`];
        if (tiers[row] !== before[row]) {
          parts.push(da ? `hævet til ${nameOf(tiers[row], language)}: kunde i ${ageMonths[row]} måneder` : `raised to ${nameOf(tiers[row], language)}: customer for ${ageMonths[row]} months`);
        }
        if (late[row]) {
          const days = formatAmount(daysLate![row], language);
          const discount = formatNumber(terms.Bronze.discount * 100, language, 1);
          parts.push(da ? `betaler i snit ${days} dage for sent: bronzerabat (${discount} %)` : `pays ${days} days late on average: Bronze discount (${discount} %)`);
        }
        return parts.join('; ');
      });
    };
    const marginUsed = marginInputs(table, margin.basis);
    const policy = inputsOf(table, ['since', 'daysLate'], ['since', 'daysLate']);
    return {
      modelId: 'value',
      inputs: { used: [...marginUsed.used, ...policy.used], absent: [...marginUsed.absent, ...policy.absent] },
      tiers,
      measure: 'margin',
      cuts: [
        usedCut('goldCut', settingLabel(this, 'goldCut'), goldSpec, goldResolved),
        usedCut('silverCut', settingLabel(this, 'silverCut'), silverSpec, silverResolved),
      ],
      parameters: since ? newCustomerParameters(newMonths, asOf) : [],
      metrics: [
        { key: 'trueMargin', label: trueMarginLabel(margin.basis), format: 'amount', values: margin.values, priority: true },
        ...termsMetrics(terms, tiers, late),
      ],
      notes: [
        since
          ? { en: `Customers younger than ${newMonths} months (as of ${isoDay(asOf)}) raised from Bronze to Silver: ${raised}; a new customer that loses money stays Loss.`,
            da: `Kunder yngre end ${newMonths} måneder (pr. ${isoDay(asOf)}) hævet fra bronze til sølv: ${raised}; en ny kunde med underskud forbliver tab.` }
          : { en: 'No "customer since" column: the new-customer rule was not applied.', da: 'Ingen kolonne "Kunde siden": reglen for nye kunder blev ikke brugt.' },
        daysLate
          ? { en: `Late payers (more than ${lateDays} days late on average) given the Bronze discount: ${latePayers}.`,
            da: `Sene betalere (over ${lateDays} dage for sent i snit) med bronzerabat: ${latePayers}.` }
          : { en: 'No "days late" column: the late-payer rule was not applied.', da: 'Ingen kolonne "Dage for sent": reglen for sene betalere blev ikke brugt.' },
        ...marginBasisNotes(margin.basis),
      ],
      explain,
      priorityWithinTier: (row) => margin.values[row],
    };
  },
  formula({ form, roles, cuts, parameters, settings }) {
    // Live formulas only where the margin is a column as it stands (no costs subtracted on the way).
    const marginRef = roles.margin;
    if (form !== 'row' || !marginRef || MARGIN_COST_ROLES.some((role) => roles[role])) return null;
    const asOf = numberSetting(settings, 'asOf');
    // The day ages are counted to: the setting, else the run's day in its Summary cell. Never a
    // per-row TODAY(), which would make every row volatile; without it the function counts to today.
    const day = asOf ? String(asOf) : roles.since ? parameters?.asOf : undefined;
    return segmentkitCall(this.functionName, [
      marginRef, roles.since ?? '""', roles.daysLate ?? '""', cuts.goldCut, cuts.silverCut, numberSetting(settings, 'newMonths'), numberSetting(settings, 'lateDays'),
      ...(day ? [day] : []),
    ]);
  },
  excelFormula({ form, roles, cuts, parameters, settings, language }) {
    const margin = marginExpression(roles, numberSetting(settings, 'hourlyRate'));
    if (form !== 'row' || !margin) return null;
    const [gold, silver, bronze, loss] = tierLiterals(this, language);
    const m = margin.value;
    // The new-customer rule: a customer since a day after the cut-off day (a parameter cell) is new.
    const since = roles.since;
    const newSince = parameters?.newSince;
    const raised = (tier: string) => (since && newSince ? `IF(IF(ISNUMBER(${since}),INT(${since})>${newSince},FALSE),${silver},${tier})` : tier);
    return `IF(${allNumbers(margin.inputs)},IF(${m}<0,${loss},IF(${atOrAbove(m, cuts.goldCut, cutSetting(settings, 'goldCut'))},${gold},`
      + `IF(${atOrAbove(m, cuts.silverCut, cutSetting(settings, 'silverCut'))},${silver},${raised(bronze)}))),"")`;
  },
};

/**
 * The cells the new-customer rule reads in a live formula: the months and the day counted to,
 * as the run used them, and the day after which a customer is new, worked out from both.
 */
function newCustomerParameters(newMonths: number, asOf: number): UsedParameter[] {
  return [
    { key: 'newMonths', label: { en: 'New customers (Bronze raised to Silver) younger than, months', da: 'Nye kunder (bronze hævet til sølv) yngre end, måneder' }, value: newMonths, format: 'number' },
    { key: 'asOf', label: { en: 'Customer age as of', da: 'Kundealder pr.' }, value: asOf, format: 'date' },
    {
      key: 'newSince', label: { en: 'New customers: customer since after', da: 'Nye kunder: kunde siden efter' },
      value: newCustomerAfter(asOf, newMonths), format: 'date',
      formula: (cells) => `IF(${cells.newMonths}>0,EDATE(${cells.asOf},-ROUNDUP(${cells.newMonths},0)),${LAST_EXCEL_DAY})`,
    },
  ];
}

/** Says when the tiers are by a margin before cost to serve, so no tier claims more than was computed. */
function marginBasisNotes(basis: MarginBasis): Localized[] {
  const missing = servingCostsMissing(basis);
  if (afterCostToServe(basis) || !missing) return [];
  return [{ en: `Tiers by margin before cost to serve: ${missing.en}.`, da: `Segmenter efter dækningsbidrag før serviceomkostninger: ${missing.da}.` }];
}

function isoDay(serial: number): string {
  return serialToJsDate(serial).toISOString().slice(0, 10);
}

