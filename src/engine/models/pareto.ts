import { cutAt, isHigh, usedCut } from '../cuts';
import { allNumbers, atOrAbove } from '../excel-formulas';
import { cutSetting, settingLabel, explainAgainstCut, segmentkitCall, tierLiterals, type ModelDefinition } from '../model';
import { PALETTE } from '../palette';
import { requireNumbers } from '../table';

/** Classic ABC on one measure: A makes the first 80 % of the total, B the next 15 %, C the rest. */
export function paretoSegment(value: number, aHigh: boolean, bHigh: boolean): number {
  if (Number.isNaN(value)) return -1;
  return aHigh ? 0 : bHigh ? 1 : 2;
}

export const pareto: ModelDefinition = {
  id: 'pareto',
  name: { en: 'Pareto ABC', da: 'Pareto ABC' },
  description: {
    en: 'Who makes the money: A makes the first 80 % of revenue, B the next 15 %, C the rest.',
    da: 'Hvem tjener pengene: A står for de første 80 % af omsætningen, B de næste 15 %, C resten.',
  },
  columnHeader: 'Segment Pareto',
  functionName: 'PARETO',
  inputs: ['revenue'],
  // Pareto on margin needs no revenue column.
  alternatives: { revenue: [['margin']] },
  settings: [
    { key: 'measure', kind: 'choice', label: { en: 'Measure', da: 'Mål' }, options: [
      { value: 'revenue', label: { en: 'Revenue', da: 'Omsætning' } },
      { value: 'margin', label: { en: 'Contribution margin', da: 'Dækningsbidrag' } },
    ] },
    { key: 'aCut', kind: 'cut', role: 'revenue', label: { en: 'A cut', da: 'Skæring for A' } },
    { key: 'bCut', kind: 'cut', role: 'revenue', label: { en: 'B cut', da: 'Skæring for B' } },
  ],
  defaults: { measure: 'revenue', aCut: { method: 'pareto', level: 0.8 }, bCut: { method: 'pareto', level: 0.95 } },
  cutOrder: [{ stricter: 'aCut', looser: 'bCut' }],
  tiers: [
    { id: 'A', label: { en: 'A: first 80 %', da: 'A: første 80 %' }, ...PALETTE.blue, priority: 1,
      action: { en: 'Protect: named contact, regular reviews, first in line', da: 'Beskyt: fast kontakt, jævnlige møder, først i køen' } },
    { id: 'B', label: { en: 'B: next 15 %', da: 'B: næste 15 %' }, ...PALETTE.orange, priority: 2,
      action: { en: 'Develop: find the next A customers among them', da: 'Udvikl: find de næste A-kunder blandt dem' } },
    { id: 'C', label: { en: 'C: the rest', da: 'C: resten' }, ...PALETTE.grey, priority: 3,
      action: { en: 'Serve lean: standard terms and self-service', da: 'Betjen enkelt: standardvilkår og selvbetjening' } },
  ],
  run(table, settings) {
    const measure = settings.measure === 'margin' ? 'margin' : 'revenue';
    const values = requireNumbers(table, measure);
    const aSpec = cutSetting(settings, 'aCut');
    const bSpec = cutSetting(settings, 'bCut');
    const aResolved = cutAt(values, aSpec);
    const bResolved = cutAt(values, bSpec);
    const aCut = aResolved.value;
    const bCut = bResolved.value;
    const tiers = new Int8Array(table.rowCount);
    for (let i = 0; i < table.rowCount; i++) {
      const value = values[i];
      tiers[i] = paretoSegment(value, isHigh(value, aCut, aSpec), isHigh(value, bCut, bSpec));
    }
    return {
      modelId: 'pareto',
      inputs: { used: [measure], absent: [] },
      tiers,
      measure,
      cuts: [
        usedCut('aCut', settingLabel(this, 'aCut'), aSpec, aResolved),
        usedCut('bCut', settingLabel(this, 'bCut'), bSpec, bResolved),
      ],
      notes: [],
      metrics: [],
      explain: (row) => {
        const label = measure === 'margin' ? { en: 'Margin', da: 'Dækningsbidrag' } : { en: 'Revenue', da: 'Omsætning' };
        const aHigh = isHigh(values[row], aCut, aSpec);
        // A row in A is explained by the A cut, any other by the B cut it did or did not reach; a
        // row in the tie that moved the A cut (kept out of A) is told so too.
        if (aHigh) return explainAgainstCut(label, values[row], aCut, true, aResolved.tie);
        const tie = aResolved.tie?.value === values[row] ? aResolved.tie : bResolved.tie;
        return explainAgainstCut(label, values[row], bCut, isHigh(values[row], bCut, bSpec), tie);
      },
      priorityWithinTier: (row) => values[row],
    };
  },
  formula({ form, roles, cuts, settings }) {
    const measure = settings.measure === 'margin' ? roles.margin : roles.revenue;
    if (form === 'row') return segmentkitCall(this.functionName, [measure!, cuts.aCut, cuts.bCut]);
    // Over a whole column the function takes Pareto shares, so other cut methods go per row.
    const aSpec = cutSetting(settings, 'aCut');
    const bSpec = cutSetting(settings, 'bCut');
    if (aSpec.method !== 'pareto' || bSpec.method !== 'pareto') return null;
    return segmentkitCall(this.functionName, [measure!, aSpec.level, bSpec.level]);
  },
  excelFormula({ form, roles, cuts, settings, language }) {
    const measure = settings.measure === 'margin' ? roles.margin : roles.revenue;
    if (form !== 'row' || !measure) return null;
    const [a, b, c] = tierLiterals(this, language);
    return `IF(${allNumbers([measure])},IF(${atOrAbove(measure, cuts.aCut, cutSetting(settings, 'aCut'))},${a},`
      + `IF(${atOrAbove(measure, cuts.bCut, cutSetting(settings, 'bCut'))},${b},${c})),"")`;
  },
};
