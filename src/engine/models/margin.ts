import { allNumbers, numberLiteral } from '../excel-formulas';
import {
  formatAmount, numberSetting, segmentkitCall, tierLiterals, type FormulaReferences, type InputsUsed, type ModelDefinition, type ModelSettings, type SettingDefinition,
} from '../model';
import { PALETTE } from '../palette';
import type { RoleId } from '../roles';
import { MissingRoleError, type CustomerTable } from '../table';
import { lazyLocalized, type Language, type Localized } from '../types';

/**
 * True margin after cost to serve: what a customer leaves once goods, service and the hours spent
 * on it are paid, as far as the table has those costs. It feeds the value tiers and the deep-dive
 * rating too. Revenue alone is not a margin: without a margin column or a cost, there is none.
 */

export const DEFAULT_HOURLY_RATE = 650;

/** The hourly rate setting, the same wherever a model prices the hours spent on a customer. */
export const HOURLY_RATE_SETTING: SettingDefinition = {
  key: 'hourlyRate', kind: 'number', min: 0, label: { en: 'Hourly rate', da: 'Timepris' }, unit: { en: 'kr. per hour', da: 'kr. pr. time' },
};

/** The cost roles subtracted from revenue or from a given margin, in the order explanations name them. */
export const MARGIN_COST_ROLES: readonly RoleId[] = ['costOfGoods', 'costToServe', 'hours'];

/** The costs of serving a customer: only with one of them is a margin "after cost to serve". */
export const SERVING_COST_ROLES: readonly RoleId[] = ['costToServe', 'hours'];

/** What a table's true margin is made of: its base column and the costs subtracted from it, in order. */
export interface MarginBasis {
  base: 'margin' | 'revenue';
  /** Cost roles subtracted (cost of goods only from revenue), in MARGIN_COST_ROLES order. */
  costs: RoleId[];
}

/**
 * The margin a table allows: its margin column, else revenue; less the costs it has columns for.
 * Null without a margin column and without revenue and a cost: revenue alone is not a margin.
 */
export function marginBasis(table: CustomerTable): MarginBasis | null {
  const { numbers } = table;
  const base = numbers.margin ? 'margin' : numbers.revenue ? 'revenue' : null;
  if (!base) return null;
  const costs = MARGIN_COST_ROLES.filter((role) => numbers[role] !== undefined && !(role === 'costOfGoods' && base === 'margin'));
  return base === 'revenue' && costs.length === 0 ? null : { base, costs };
}

/** Whether the margin is after cost to serve: the table had cost to serve or hours. */
export function afterCostToServe(basis: MarginBasis): boolean {
  return basis.costs.some((role) => SERVING_COST_ROLES.includes(role));
}

/** The roles a true margin read, and those it would have read (with the revenue for margin % when asked). */
export function marginInputs(table: CustomerTable, basis: MarginBasis, withRevenue = false): InputsUsed {
  // Revenue is named once, whether it is the base or only what Margin % divides by.
  const used: RoleId[] = [...new Set<RoleId>([basis.base, ...basis.costs, ...(withRevenue && table.numbers.revenue ? ['revenue' as const] : [])])];
  const wanted: RoleId[] = basis.base === 'margin' ? [...SERVING_COST_ROLES] : ['margin', ...MARGIN_COST_ROLES];
  return { used, absent: wanted.filter((role) => !used.includes(role)) };
}

const SERVING_WORDS: Record<string, Localized> = {
  costToServe: { en: 'cost to serve', da: 'serviceomkostninger' },
  hours: { en: 'hours', da: 'timer' },
};

/** "cost to serve and hours are not in the table", or null when the margin is after both. */
export function servingCostsMissing(basis: MarginBasis): Localized | null {
  const missing = SERVING_COST_ROLES.filter((role) => !basis.costs.includes(role));
  if (missing.length === 0) return null;
  const plural = missing.length > 1 || missing[0] === 'hours';
  return {
    en: `${missing.map((role) => SERVING_WORDS[role].en).join(' and ')} ${plural ? 'are' : 'is'} not in the table`,
    da: `${missing.map((role) => SERVING_WORDS[role].da).join(' og ')} er ikke i tabellen`,
  };
}

/** The true margin's name for what it holds: "True margin" only after cost to serve. */
export function trueMarginLabel(basis: MarginBasis): Localized {
  return afterCostToServe(basis) ? MARGIN_METRIC_LABELS.trueMargin : MARGIN_METRIC_LABELS.marginBeforeService;
}

export interface TrueMargin {
  values: Float64Array;
  /** Margin as a share of revenue; NaN where revenue is missing or not positive. */
  percent: Float64Array;
  /** Whether the base was a margin column (gross margin) rather than revenue. */
  fromMarginColumn: boolean;
  /** What it is made of; null where the table has no margin (revenue alone, as SEGMENT.MARGIN allows). */
  basis: MarginBasis | null;
  /** "Margin 120,000 − cost to serve 20,000 − 10 h × 650 = 93,500" for row i. */
  explain(row: number): Localized;
}

const WORDS = {
  revenue: { en: 'Revenue', da: 'Omsætning' },
  margin: { en: 'Margin', da: 'Dækningsbidrag' },
  costOfGoods: { en: 'cost of goods', da: 'vareforbrug' },
  costToServe: { en: 'cost to serve', da: 'serviceomkostninger' },
  hours: { en: 'hours', da: 'timer' },
  missing: { en: 'is missing', da: 'mangler' },
} satisfies Record<string, Localized>;

/**
 * True margin per row: the margin column if the table has one, else revenue less cost of goods;
 * then less cost to serve and hours × rate where those columns exist. A blank in any column used
 * leaves that row without a margin (blank is missing, never zero). Null without revenue or margin.
 */
export function trueMargin(table: CustomerTable, hourlyRate: number): TrueMargin | null {
  const { numbers } = table;
  const base = numbers.margin ?? numbers.revenue;
  if (!base) return null;
  const fromMarginColumn = numbers.margin !== undefined;
  const goods = fromMarginColumn ? undefined : numbers.costOfGoods;
  const serve = numbers.costToServe;
  const hours = numbers.hours;
  const revenue = numbers.revenue;
  const values = new Float64Array(table.rowCount);
  const percent = new Float64Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) {
    // NaN in any part makes the sum NaN: a missing cost is not a zero cost.
    const value = base[i] - (goods ? goods[i] : 0) - (serve ? serve[i] : 0) - (hours ? hours[i] * hourlyRate : 0);
    values[i] = value;
    percent[i] = revenue && revenue[i] > 0 ? value / revenue[i] : NaN;
  }
  const explain = (row: number): Localized => {
    const text = (language: Language) => {
      const amount = (value: number) => formatAmount(value, language);
      const baseWord = fromMarginColumn ? WORDS.margin[language] : WORDS.revenue[language];
      const parts = [[baseWord, base[row]], ...(goods ? [[WORDS.costOfGoods[language], goods[row]]] : []),
        ...(serve ? [[WORDS.costToServe[language], serve[row]]] : [])] as [string, number][];
      const missing = parts.find(([, value]) => Number.isNaN(value)) ?? (hours && Number.isNaN(hours[row]) ? [WORDS.hours[language], NaN] : null);
      if (missing) return `${missing[0].charAt(0).toLocaleUpperCase()}${missing[0].slice(1)} ${WORDS.missing[language]}`;
      const terms = parts.map(([word, value], index) => (index === 0 ? `${word} ${amount(value)}` : `− ${word} ${amount(value)}`));
      if (hours) terms.push(`− ${amount(hours[row])} h × ${amount(hourlyRate)}`);
      // Nothing subtracted: the margin is the column as it stands, not a sum "= itself".
      return terms.length === 1 ? terms[0] : `${terms.join(' ')} = ${amount(values[row])}`;
    };
    return lazyLocalized(text);
  };
  return { values, percent, fromMarginColumn, basis: marginBasis(table), explain };
}

/** The true margin a model needs, or the error naming the column to map: revenue alone is not one. */
export function requireTrueMargin(table: CustomerTable, settings: ModelSettings): TrueMargin & { basis: MarginBasis } {
  const margin = trueMargin(table, numberSetting(settings, 'hourlyRate'));
  if (!margin || !margin.basis) throw new MissingRoleError('margin');
  return margin as TrueMargin & { basis: MarginBasis };
}

export const MARGIN_METRIC_LABELS = {
  trueMargin: { en: 'True margin', da: 'Reelt dækningsbidrag' },
  marginBeforeService: { en: 'Margin before cost to serve', da: 'DB før serviceomkostninger' },
  marginPercent: { en: 'Margin %', da: 'DB %' },
} satisfies Record<string, Localized>;

/**
 * Models that need a true margin: a margin column, or revenue with at least one cost beside it.
 * Revenue alone never stands in for a margin.
 */
export const MARGIN_ALTERNATIVES: RoleId[][] = [['revenue', 'costOfGoods'], ['revenue', 'costToServe'], ['revenue', 'hours']];

/** The margin model's note: how many lose money, after what, and which serving costs the table lacks. */
function lossNote(basis: MarginBasis, losses: number, hourlyRate: number): Localized {
  const missing = servingCostsMissing(basis);
  const rate = basis.costs.includes('hours') ? { en: `Hourly rate ${formatAmount(hourlyRate, 'en')} kr. `, da: `Timepris ${formatAmount(hourlyRate, 'da')} kr. ` } : { en: '', da: '' };
  if (afterCostToServe(basis)) {
    return {
      en: `${rate.en}Customers who lose money after cost to serve: ${losses}${missing ? ` (${missing.en})` : ''}.`,
      da: `${rate.da}Kunder med underskud efter serviceomkostninger: ${losses}${missing ? ` (${missing.da})` : ''}.`,
    };
  }
  const goods = basis.costs.includes('costOfGoods');
  return {
    // "Customers …: N" reads right for 1 and for 142 alike.
    en: `Customers with a negative margin${goods ? ' after cost of goods' : ''}: ${losses} (${missing!.en}).`,
    da: `Kunder med negativt dækningsbidrag${goods ? ' efter vareforbrug' : ''}: ${losses} (${missing!.da}).`,
  };
}

/** The margin model's custom function: SEGMENT.MARGIN. */
const MARGIN_FUNCTION = 'MARGIN';

/**
 * SEGMENT.MARGIN over one row's cells, the same computation as `trueMargin`: the margin column or
 * revenue, then the cost columns the table has; a left-out argument is an empty one.
 */
export function marginFormula(roles: FormulaReferences['roles'], hourlyRate: number): string | null {
  const base = roles.margin ?? roles.revenue;
  if (!base) return null;
  const goods = roles.margin ? '' : roles.costOfGoods ?? '';
  return segmentkitCall(MARGIN_FUNCTION, [base, goods, roles.costToServe ?? '', roles.hours ?? '', hourlyRate]);
}

/** The true margin of one row as formula text: the cells it reads and the arithmetic over them. */
export interface MarginExpression {
  inputs: string[];
  value: string;
}

/**
 * `trueMargin` for one row as ordinary arithmetic: the margin column or revenue less cost of
 * goods, less cost to serve, less hours × the rate; null without revenue or margin. The formula
 * subtracts in the engine's order, so it gives the same double.
 */
export function marginExpression(roles: FormulaReferences['roles'], hourlyRate: number): MarginExpression | null {
  const base = roles.margin ?? roles.revenue;
  if (!base) return null;
  const inputs = [base];
  let value = base;
  for (const cost of [roles.margin ? undefined : roles.costOfGoods, roles.costToServe]) {
    if (!cost) continue;
    inputs.push(cost);
    value += `-${cost}`;
  }
  if (roles.hours) {
    inputs.push(roles.hours);
    value += `-${roles.hours}*${numberLiteral(hourlyRate)}`;
  }
  return { inputs, value };
}

/** The true margin metric as an ordinary formula: "" where any input is blank or not a number. */
export function trueMarginExcelFormula(roles: FormulaReferences['roles'], hourlyRate: number): string | null {
  const margin = marginExpression(roles, hourlyRate);
  return margin && `IF(${allNumbers(margin.inputs)},${margin.value},"")`;
}

/** Margin % as an ordinary formula: the true margin over revenue where revenue is above 0. */
export function marginPercentExcelFormula(roles: FormulaReferences['roles'], hourlyRate: number): string | null {
  const margin = marginExpression(roles, hourlyRate);
  if (!margin || !roles.revenue) return null;
  return `IF(${allNumbers([...margin.inputs, roles.revenue])},IF(${roles.revenue}>0,(${margin.value})/${roles.revenue},""),"")`;
}

export const margin: ModelDefinition = {
  id: 'margin',
  // Not "after cost to serve": on a table without cost to serve it is not, and the name is shown everywhere.
  name: { en: 'Margin and cost to serve', da: 'Dækningsbidrag og serviceomkostninger' },
  description: {
    en: 'Your margin column, or revenue less cost of goods; less cost to serve and hours at the hourly rate where the table has them. Flags the customers who cost money today. Needs a margin column, or revenue and at least one cost.',
    da: 'Jeres DB-kolonne, eller omsætning minus vareforbrug; minus serviceomkostninger og timer til timeprisen, hvor tabellen har dem. Markerer de kunder, der koster penge i dag. Kræver en DB-kolonne, eller omsætning og mindst én omkostning.',
  },
  columnHeader: 'Segment Margin',
  columnHeaderDa: 'Segment DB',
  functionName: MARGIN_FUNCTION,
  inputs: ['margin'],
  alternatives: { margin: MARGIN_ALTERNATIVES },
  optionalInputs: ['revenue', 'costOfGoods', 'costToServe', 'hours'],
  settings: [HOURLY_RATE_SETTING],
  defaults: { hourlyRate: DEFAULT_HOURLY_RATE },
  tiers: [
    { id: 'Loss', label: { en: 'Loss: costs money today', da: 'Tab: koster penge i dag' }, ...PALETTE.vermillion, priority: 1,
      action: { en: 'Reprice, cut the cost to serve, or move to self-service', da: 'Prisjustér, skær i serviceomkostningerne eller flyt til selvbetjening' } },
    { id: 'Profit', label: { en: 'Profit: margin of 0 or more', da: 'Overskud: dækningsbidrag på 0 eller mere' }, ...PALETTE.green, priority: 2,
      action: { en: 'Keep the terms; watch the cost to serve', da: 'Behold vilkårene; hold øje med serviceomkostningerne' } },
  ],
  run(table, settings) {
    const hourlyRate = numberSetting(settings, 'hourlyRate');
    const result = requireTrueMargin(table, settings);
    const { basis } = result;
    const missing = servingCostsMissing(basis);
    const tiers = new Int8Array(table.rowCount);
    let losses = 0;
    for (let i = 0; i < table.rowCount; i++) {
      const value = result.values[i];
      tiers[i] = Number.isNaN(value) ? -1 : value < 0 ? 0 : 1;
      if (value < 0) losses++;
    }
    return {
      modelId: 'margin',
      inputs: marginInputs(table, basis, true),
      tiers,
      measure: 'revenue',
      cuts: [],
      metrics: [
        {
          key: 'trueMargin', label: trueMarginLabel(basis), format: 'amount', values: result.values, table: true, priority: true,
          formula: ({ roles }) => marginFormula(roles, hourlyRate),
          excelFormula: ({ roles }) => trueMarginExcelFormula(roles, hourlyRate),
        },
        {
          key: 'marginPercent', label: MARGIN_METRIC_LABELS.marginPercent, format: 'percent', values: result.percent, table: true,
          excelFormula: ({ roles }) => marginPercentExcelFormula(roles, hourlyRate),
        },
      ],
      notes: [lossNote(basis, losses, hourlyRate)],
      // Without cost to serve every reason says so: the margin is before it.
      explain: (row) => (missing && !afterCostToServe(basis) && !Number.isNaN(result.values[row])
        ? lazyLocalized((language) => `${result.explain(row)[language]} (${missing[language]})`)
        : result.explain(row)),
      // The biggest loss is called first; among profitable customers the biggest margin.
      priorityWithinTier: (row) => (result.values[row] < 0 ? -result.values[row] : result.values[row]),
    };
  },
  formula: () => null,
  excelFormula({ form, roles, settings, language }) {
    const margin = marginExpression(roles, numberSetting(settings, 'hourlyRate'));
    if (form !== 'row' || !margin) return null;
    const [loss, profit] = tierLiterals(this, language);
    return `IF(${allNumbers(margin.inputs)},IF(${margin.value}<0,${loss},${profit}),"")`;
  },
};
