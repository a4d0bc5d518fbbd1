/**
 * How the lifetime models' notes write counts and numbers: "1 customer" / "1 kunde" beside
 * "2 customers" / "2 kunder", and numbers far outside everyday sizes as a power of ten
 * ("1.8·10^168", Danish "1,8·10^168") instead of a run of digits or JavaScript's "1.84e+168".
 */
import { formatNumber } from '../model';
import type { Language } from '../types';

/** A noun's singular and plural in one language. */
export type NounForms = readonly [one: string, many: string];

/** A noun in both languages: { en: ['customer', 'customers'], da: ['kunde', 'kunder'] }. */
export type Noun = Record<Language, NounForms>;

export const NOUNS = {
  customer: { en: ['customer', 'customers'], da: ['kunde', 'kunder'] },
  line: { en: ['line', 'lines'], da: ['linje', 'linjer'] },
  row: { en: ['row', 'rows'], da: ['række', 'rækker'] },
  repeatBuyer: { en: ['repeat buyer', 'repeat buyers'], da: ['genkøber', 'genkøbere'] },
  transaction: { en: ['transaction', 'transactions'], da: ['transaktion', 'transaktioner'] },
  group: { en: ['group', 'groups'], da: ['gruppe', 'grupper'] },
  creditNote: { en: ['credit note or cancellation', 'credit notes and cancellations'], da: ['kreditnota eller annullering', 'kreditnotaer og annulleringer'] },
} satisfies Record<string, Noun>;

/** The noun's form for a count: the singular for exactly 1, else the plural (0 customers, 2 kunder). */
export function nounFor(count: number, noun: Noun, language: Language): string {
  const [one, many] = noun[language];
  return count === 1 ? one : many;
}

/** "1 customer", "1,204 customers", "1 kunde", "1.204 kunder": the count with thousands separators and its noun. */
export function counted(count: number, noun: Noun, language: Language): string {
  return `${formatNumber(count, language, 0)} ${nounFor(count, noun, language)}`;
}

/** From this size up (and below its inverse) a number is written as a power of ten. */
const POWER_FROM = 1e9;

/**
 * A number as a reader takes it in: up to POWER_FROM with separators and `decimals` decimals
 * (formatNumber), beyond it as mantissa·10^exponent with two significant digits ("1.8·10^168",
 * "1,8·10^168"), and likewise for tiny non-zero numbers ("3.0·10^-6"). ±∞ as "∞" / "−∞", NaN as "–".
 */
export function readableNumber(value: number, language: Language, decimals = 4): string {
  if (Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const size = Math.abs(value);
  if (size === 0 || (size < POWER_FROM && size >= 10 ** -decimals)) return formatNumber(value, language, decimals);
  const [mantissa, exponent] = value.toExponential(1).split('e');
  const shownMantissa = language === 'da' ? mantissa.replace('.', ',') : mantissa;
  return `${shownMantissa}·10^${Number(exponent)}`;
}
