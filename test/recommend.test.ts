import { describe, expect, it } from 'vitest';
import {
  buildCustomerTable, CATALOG, decidedByText, FALLBACK_RULE, getModel, recommend, recommendationPriority, recommendedAction, RECOMMENDATION_RULES,
  ruleCondition, segment, tierName, type ModelChoice,
} from '../src/engine';

/**
 * A hand-worked table. Cuts are values, so every segment can be read off the row:
 * ABCD high at revenue ≥ 100 and potential ≥ 100; quadrant high at share ≥ 0.5 and satisfaction ≥ 3;
 * true margin = the margin column (no costs), Loss below 0.
 */
const HEADERS = ['Kundenr', 'Omsætning', 'Potentiale', 'Dækningsbidrag', 'Share of wallet', 'Tilfredshed'];
const ROWS = [
  ['R1', 500, 1000, -50, 0.8, 2], // A, Fix, Loss → reprice (the loss before the repair and the growth)
  ['R2', 500, 1000, 100, 0.8, 2], // A, Fix, Profit → repair before upselling
  ['R3', 500, 1000, 100, 0.2, 4], // A, Grow, Profit → Grow (the quadrant's Grow rule comes before ABCD A)
  ['R4', 500, 1000, 100, 0.8, 4], // A, Model, Profit → ABCD A: expand
  ['R5', 50, 50, 10, 0.2, 2], // D, Move, Profit → Move (before serving lean)
  ['R6', null, 1000, 5, 0.5, 4], // no ABCD segment, Model, Profit → Model
  ['R7', null, null, null, null, null], // nothing to segment: no action
];

function choices(ids: string[]): ModelChoice[] {
  const settings: Record<string, ModelChoice['settings']> = {
    abcd: { revenueCut: { method: 'value', level: 100 }, potentialCut: { method: 'value', level: 100 } },
    quadrant: { shareCut: { method: 'value', level: 0.5 }, satisfactionCut: { method: 'value', level: 3 } },
    margin: { hourlyRate: 650 },
  };
  return ids.map((id) => ({ id, settings: settings[id] }));
}

function run(ids: string[], rules = RECOMMENDATION_RULES) {
  const segmentation = segment(buildCustomerTable(HEADERS, ROWS), choices(ids));
  const recommendations = recommend(segmentation, rules);
  const rows = ROWS.map((_, row) => ({
    action: recommendedAction(recommendations, segmentation, row)?.en ?? null,
    decidedBy: decidedByText(recommendations, segmentation, row, 'en'),
    rule: recommendations.rule[row],
    priority: recommendationPriority(recommendations, row),
  }));
  return { segmentation, recommendations, rows };
}

const REPRICE = 'Reprice or cut the cost to serve before anything else: this customer costs money today';
const REPAIR = 'Repair before upselling: find and fix the complaint before the revenue leaves';
const GROW = 'Grow: call first and realize the easy potential';
const EXPAND = 'Expand: key account plan, senior contact, win the remaining wallet';
const MOVE = 'Assess one by one: develop, serve lean or let go';
const CAPITALIZE = 'Capitalize: references, cases and cross-sell';

describe('the recommendation rule', () => {
  it('gives a loss-making A customer the reprice action, a Fix customer the repair, and names the deciding model and tier', () => {
    const { rows, segmentation } = run(['abcd', 'quadrant', 'margin']);
    expect(segmentation.results.map((result) => Array.from(result.tiers))).toEqual([
      [0, 0, 0, 0, 3, -1, -1], [1, 1, 2, 0, 3, 0, -1], [0, 1, 1, 1, 1, 1, -1],
    ]);
    expect(rows.map((row) => [row.action, row.decidedBy, row.priority])).toEqual([
      [REPRICE, 'Margin and cost to serve: Loss', 1],
      [REPAIR, 'Grow / Fix / Model / Move: Fix', 2],
      [GROW, 'Grow / Fix / Model / Move: Grow', 3],
      [EXPAND, 'ABCD accounts: A', 3],
      [MOVE, 'Grow / Fix / Model / Move: Move', 5],
      [CAPITALIZE, 'Grow / Fix / Model / Move: Model', 4],
      [null, '', 9],
    ]);
    // The rule's index in the list, as the Summary numbers them among the rules that apply.
    const ruleOf = (modelId: string, tier: string) => RECOMMENDATION_RULES.findIndex((rule) => rule.modelId === modelId && rule.tiers.includes(tier));
    expect(rows.map((row) => row.rule)).toEqual([ruleOf('margin', 'Loss'), ruleOf('quadrant', 'Fix'), ruleOf('quadrant', 'Grow'), ruleOf('abcd', 'A'), ruleOf('quadrant', 'Move'), ruleOf('quadrant', 'Model'), FALLBACK_RULE]);
  });

  it('says what decided in Danish with the Danish tier names', () => {
    const { recommendations, segmentation } = run(['abcd', 'quadrant', 'margin']);
    expect(ROWS.map((_, row) => decidedByText(recommendations, segmentation, row, 'da'))).toEqual([
      'Dækningsbidrag og serviceomkostninger: Tab', 'Grow / Fix / Model / Move: Fix', 'Grow / Fix / Model / Move: Grow', 'ABCD-kunder: A',
      'Grow / Fix / Model / Move: Move', 'Grow / Fix / Model / Move: Model', '',
    ]);
    expect(recommendedAction(recommendations, segmentation, 0)!.da).toBe('Prisjustér eller skær i serviceomkostningerne før alt andet: kunden koster penge i dag');
    expect(recommendedAction(recommendations, segmentation, 3)!.da).toBe('Udbyg: key account-plan, ledelseskontakt, vind resten af potentialet');
  });

  it('applies only rules whose model was chosen, and the table\'s margin column: without the margin model the loss is still repriced, never expanded', () => {
    const { rows, recommendations, segmentation } = run(['abcd']);
    const REPRICE_MARGIN = 'Reprice or cut the cost to serve before anything else: the margin is below 0';
    expect(rows.map((row) => row.action)).toEqual([REPRICE_MARGIN, EXPAND, EXPAND, EXPAND, 'Serve lean: self-service and standard terms', null, null]);
    expect(rows[0].decidedBy).toBe('Contribution margin -50 < 0');
    expect(decidedByText(recommendations, segmentation, 0, 'da')).toBe('Dækningsbidrag -50 < 0');
    expect(Array.from(recommendations.ruleResult).filter((m) => m >= 0).length).toBe(4);
    // Counts per rule: the loss, three A customers, one D.
    expect(RECOMMENDATION_RULES.map((rule, r) => [ruleCondition(rule, 'en'), recommendations.counts[r]]).filter(([, count]) => count)).toEqual([
      ['Contribution margin < 0', 1], ['ABCD accounts: A', 3], ['ABCD accounts: D', 1],
    ]);
    expect([recommendations.fallbackCount, recommendations.noActionCount]).toEqual([0, 2]);
    // Without a margin column the column rule does not apply, and is not written on the Summary.
    const noMargin = recommend(segment(buildCustomerTable(['Kundenr', 'Omsætning', 'Potentiale'], [['R1', 500, 1000]]), choices(['abcd'])));
    expect(noMargin.ruleResult[RECOMMENDATION_RULES.findIndex((rule) => rule.column === 'margin')]).toBe(-1);
  });

  it('falls back to the first chosen model\'s own tier action where no rule holds', () => {
    const onlyLoss = [RECOMMENDATION_RULES[0]];
    const { rows, recommendations } = run(['abcd', 'margin'], onlyLoss);
    const abcdActions = getModel('abcd').tiers.map((tier) => tier.action.en);
    expect(rows.map((row) => [row.action, row.decidedBy, row.rule])).toEqual([
      [REPRICE, 'Margin and cost to serve: Loss', 0],
      [abcdActions[0], 'ABCD accounts: A', FALLBACK_RULE],
      [abcdActions[0], 'ABCD accounts: A', FALLBACK_RULE],
      [abcdActions[0], 'ABCD accounts: A', FALLBACK_RULE],
      [abcdActions[3], 'ABCD accounts: D', FALLBACK_RULE],
      // No ABCD segment: the next chosen model with one decides.
      [getModel('margin').tiers[1].action.en, 'Margin and cost to serve: Profit', FALLBACK_RULE],
      [null, '', FALLBACK_RULE],
    ]);
    expect([recommendations.counts[0], recommendations.fallbackCount, recommendations.noActionCount]).toEqual([1, 5, 1]);
  });

  it('names every tier of every model once, so the fallback is for models added later', () => {
    for (const model of CATALOG) {
      const named = RECOMMENDATION_RULES.filter((rule) => rule.modelId === model.id).flatMap((rule) => rule.tiers);
      expect([...named].sort(), model.id).toEqual(model.tiers.map((tier) => tier.id).sort());
    }
  });

  it('gives ABCD\'s A action a verb that is not a quadrant\'s name', () => {
    const quadrants = getModel('quadrant').tiers.flatMap((tier) => [tierName(tier, 'en'), tierName(tier, 'da')]);
    const verbs = ['abcd', 'pareto'].flatMap((id) => getModel(id).tiers.flatMap((tier) => [tier.action.en, tier.action.da].map((text) => text.replace(/:.*/, ''))));
    expect(verbs.filter((verb) => quadrants.includes(verb))).toEqual([]);
    expect(getModel('abcd').tiers[0].action.en).toBe(EXPAND);
  });

  it('writes tier names that are the tier ids in English, so English sheets read as before', () => {
    for (const model of CATALOG) expect(model.tiers.map((tier) => tierName(tier, 'en')), model.id).toEqual(model.tiers.map((tier) => tier.id));
    expect(getModel('value').tiers.map((tier) => tierName(tier, 'da'))).toEqual(['Guld', 'Sølv', 'Bronze', 'Tab']);
  });
});
