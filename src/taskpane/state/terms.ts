import {
  MEETING_FREQUENCIES, parseNumber, SERVICE_LEVELS, VALUE_TIER_IDS,
  type Language, type MeetingFrequency, type ServiceLevel, type TermsTable, type TierTerms, type ValueTierId,
} from '../../engine';
import { localeOf, translate } from '../i18n';

/** Typed numbers and the terms table of the value model, as plain functions the editors call. */

/**
 * A number as a user types it in either language: "8,5" and "8.5" are the same, "1.000" is a
 * thousand (as the engine reads cells); NaN for empty or unreadable text.
 */
export function parseDecimal(text: string): number {
  return parseNumber(text, null) ?? NaN;
}

/**
 * A percentage as typed, as a fraction: "8", "8 %" and "8%" are 0.08, "8,5" is 0.085. Rounded to
 * nine places so 8,5 is stored as 0.085 and not 0.08499999999999999.
 */
export function parsePercent(text: string): number {
  const value = parseDecimal(text);
  if (!Number.isFinite(value)) return NaN;
  const fraction = text.includes('%') ? value : value / 100;
  return Math.round(fraction * 1e9) / 1e9;
}

/** A number for an input field: no thousands separators (they would read back as decimals), the language's decimal sign. */
export function formatInput(value: number, language: Language, maximumFractionDigits = 6): string {
  if (!Number.isFinite(value)) return '';
  return new Intl.NumberFormat(localeOf(language), { maximumFractionDigits, useGrouping: false }).format(value);
}

/** 0.085 → "8,5" in Danish: a fraction as the percent a user would type. */
export function formatPercentInput(fraction: number, language: Language): string {
  return formatInput(Math.round(fraction * 1e7) / 1e5, language, 4);
}

export type NumericTermsKey = 'discount' | 'paymentDays' | 'invoiceFee' | 'queuePriority';

/** One field of one tier changed; the rest of the table is shared with the old one. */
export function setTermsField<K extends keyof TierTerms>(terms: TermsTable, tier: ValueTierId, key: K, value: TierTerms[K]): TermsTable {
  return { ...terms, [tier]: { ...terms[tier], [key]: value } };
}

/** What is wrong with a field of a tier, by "Tier.field", in the UI language. */
export function termsFieldProblems(terms: TermsTable, language: Language): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const tier of VALUE_TIER_IDS) {
    const row = terms?.[tier];
    if (!row) {
      problems[`${tier}.discount`] = translate(language, 'termsMissingTier');
      continue;
    }
    const number = (key: NumericTermsKey) => row[key];
    if (!(Number.isFinite(number('discount')) && number('discount') >= 0 && number('discount') < 1)) {
      problems[`${tier}.discount`] = translate(language, 'termsBadDiscount');
    }
    for (const key of ['paymentDays', 'invoiceFee', 'queuePriority'] as const) {
      if (!(Number.isFinite(number(key)) && number(key) >= 0)) problems[`${tier}.${key}`] = translate(language, 'termsBadNumber');
    }
    if (!SERVICE_LEVELS.includes(row.serviceLevel as ServiceLevel)) problems[`${tier}.serviceLevel`] = translate(language, 'termsBadChoice');
    if (!MEETING_FREQUENCIES.includes(row.meetings as MeetingFrequency)) problems[`${tier}.meetings`] = translate(language, 'termsBadChoice');
  }
  return problems;
}

/** "Guld", "Sølv", "Bronze", "Tab": a value tier's name from the model's label ("Guld: de første 50 % …"). */

