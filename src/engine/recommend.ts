import { findModel } from './catalog';
import { formatAmount, tierName, type ModelDefinition } from './model';
import { CLUSTER_TIER_IDS } from './models/clusters';
import { roleDefinition, type RoleId } from './roles';
import type { Segmentation } from './segment';
import type { Language, Localized } from './types';

/**
 * One recommended action per customer, decided by a visible rule over every chosen model: the
 * first rule, in list order, whose model gave the row one of the rule's tiers decides. The rule is
 * data (RECOMMENDATION_RULES), so the Summary sheet writes it out as it is applied.
 */

/**
 * One line of the rule: "a customer in these tiers of this model gets this action", or, with
 * `column`, "a customer whose value in this column of the table is below 0 gets this action"
 * (the table's own margin column, so a loss is repriced even when no margin model was chosen).
 */
export interface RecommendationRule {
  /** The model whose segment the condition reads; the rule applies only when that model was chosen. '' for a column rule. */
  modelId: string;
  /** Tier ids of that model the condition holds for. */
  tiers: readonly string[];
  /** A column rule: the role whose column the condition reads (value below 0); applies when the table has it. */
  column?: RoleId;
  action: Localized;
  /**
   * How urgent the call is on the Priority sheet, 1 first. Several rules share a priority (every
   * growth action is 3); the list order still decides which rule applies.
   */
  priority: number;
}

/** decidedBy of a row a column rule decided: the table's column, not a model. */
export const DECIDED_BY_COLUMN = -2;

/** The rule index of a row that no rule decided: the fallback (see recommend). */
export const FALLBACK_RULE = -1;

/** The priority a row decided by the fallback, or by nothing, gets: after every rule. */
export const FALLBACK_PRIORITY = 9;

/** A tier's own action, so a rule that adds nothing to it says the same words as the model. */
function tierAction(modelId: string, tierId: string): Localized {
  const tier = findModel(modelId)?.tiers.find((candidate) => candidate.id === tierId);
  if (!tier) throw new Error(`The recommendation rule names ${modelId} ${tierId}, which the catalog does not have.`);
  return tier.action;
}

/**
 * The rule, in the order it is tried. Money lost comes first (a loss-making customer is repriced
 * before it is grown), then revenue at risk (a Fix customer is repaired before it is upsold), then
 * growth, then protecting what is won, and serving lean last. Every tier of every catalog model is
 * named, so the fallback only decides rows of a model added later and not yet placed here.
 */
export const RECOMMENDATION_RULES: readonly RecommendationRule[] = [
  { modelId: 'margin', tiers: ['Loss'], priority: 1, action: {
    en: 'Reprice or cut the cost to serve before anything else: this customer costs money today',
    da: 'Prisjustér eller skær i serviceomkostningerne før alt andet: kunden koster penge i dag',
  } },
  { modelId: 'value', tiers: ['Loss'], priority: 1, action: {
    en: 'Reprice or cut the cost to serve before anything else: the margin is below 0',
    da: 'Prisjustér eller skær i serviceomkostningerne før alt andet: dækningsbidraget er under 0',
  } },
  // The table's margin below 0 where no model above was chosen to say so: value tiers raise new
  // customers, ABCD and Pareto read revenue only, and none of them may tell a loss to grow.
  { modelId: '', tiers: [], column: 'margin', priority: 1, action: {
    en: 'Reprice or cut the cost to serve before anything else: the margin is below 0',
    da: 'Prisjustér eller skær i serviceomkostningerne før alt andet: dækningsbidraget er under 0',
  } },
  { modelId: 'quadrant', tiers: ['Fix'], priority: 2, action: {
    en: 'Repair before upselling: find and fix the complaint before the revenue leaves',
    da: 'Reparér før mersalg: find og løs utilfredsheden, før omsætningen forsvinder',
  } },
  { modelId: 'rfm', tiers: ["Can't lose them"], priority: 2, action: tierAction('rfm', "Can't lose them") },
  { modelId: 'rfm', tiers: ['At risk'], priority: 2, action: tierAction('rfm', 'At risk') },
  // A customer the churn model expects to leave is saved before anyone is grown.
  { modelId: 'churn', tiers: ['High'], priority: 2, action: tierAction('churn', 'High') },
  { modelId: 'quadrant', tiers: ['Grow'], priority: 3, action: tierAction('quadrant', 'Grow') },
  { modelId: 'clv', tiers: ['Top'], priority: 3, action: tierAction('clv', 'Top') },
  { modelId: 'rfm', tiers: ['Need attention'], priority: 3, action: tierAction('rfm', 'Need attention') },
  { modelId: 'rfm', tiers: ['About to sleep'], priority: 3, action: tierAction('rfm', 'About to sleep') },
  { modelId: 'rfm', tiers: ['Potential loyalist'], priority: 3, action: tierAction('rfm', 'Potential loyalist') },
  { modelId: 'churn', tiers: ['Medium'], priority: 3, action: tierAction('churn', 'Medium') },
  // A prospect as alike as the best customers are to each other is called before ABCD's estimate-based B.
  { modelId: 'twins', tiers: ['Close twin'], priority: 3, action: tierAction('twins', 'Close twin') },
  { modelId: 'abcd', tiers: ['A'], priority: 3, action: tierAction('abcd', 'A') },
  { modelId: 'abcd', tiers: ['B'], priority: 3, action: tierAction('abcd', 'B') },
  { modelId: 'pareto', tiers: ['B'], priority: 3, action: tierAction('pareto', 'B') },
  { modelId: 'score', tiers: ['Top'], priority: 3, action: tierAction('score', 'Top') },
  { modelId: 'value', tiers: ['Gold'], priority: 4, action: tierAction('value', 'Gold') },
  { modelId: 'pareto', tiers: ['A'], priority: 4, action: tierAction('pareto', 'A') },
  { modelId: 'quadrant', tiers: ['Model'], priority: 4, action: tierAction('quadrant', 'Model') },
  { modelId: 'value', tiers: ['Silver'], priority: 4, action: tierAction('value', 'Silver') },
  { modelId: 'score', tiers: ['Middle'], priority: 4, action: tierAction('score', 'Middle') },
  { modelId: 'abcd', tiers: ['C'], priority: 4, action: tierAction('abcd', 'C') },
  { modelId: 'twins', tiers: ['Twin'], priority: 4, action: tierAction('twins', 'Twin') },
  { modelId: 'rfm', tiers: ['Champions'], priority: 4, action: tierAction('rfm', 'Champions') },
  { modelId: 'rfm', tiers: ['Loyal'], priority: 4, action: tierAction('rfm', 'Loyal') },
  { modelId: 'rfm', tiers: ['New'], priority: 4, action: tierAction('rfm', 'New') },
  { modelId: 'rfm', tiers: ['Promising'], priority: 4, action: tierAction('rfm', 'Promising') },
  { modelId: 'clv', tiers: ['Middle'], priority: 4, action: tierAction('clv', 'Middle') },
  { modelId: 'twins', tiers: ['Reference'], priority: 4, action: tierAction('twins', 'Reference') },
  { modelId: 'quadrant', tiers: ['Move'], priority: 5, action: tierAction('quadrant', 'Move') },
  { modelId: 'score', tiers: ['Low'], priority: 5, action: tierAction('score', 'Low') },
  { modelId: 'value', tiers: ['Bronze'], priority: 5, action: tierAction('value', 'Bronze') },
  { modelId: 'abcd', tiers: ['D'], priority: 5, action: tierAction('abcd', 'D') },
  { modelId: 'pareto', tiers: ['C'], priority: 5, action: tierAction('pareto', 'C') },
  { modelId: 'margin', tiers: ['Profit'], priority: 5, action: tierAction('margin', 'Profit') },
  { modelId: 'clv', tiers: ['Likely lost'], priority: 5, action: tierAction('clv', 'Likely lost') },
  { modelId: 'rfm', tiers: ['Hibernating'], priority: 5, action: tierAction('rfm', 'Hibernating') },
  { modelId: 'rfm', tiers: ['Lost'], priority: 5, action: tierAction('rfm', 'Lost') },
  { modelId: 'clv', tiers: ['Low'], priority: 5, action: tierAction('clv', 'Low') },
  { modelId: 'twins', tiers: ['Not alike'], priority: 5, action: tierAction('twins', 'Not alike') },
  { modelId: 'churn', tiers: ['Low'], priority: 5, action: tierAction('churn', 'Low') },
  { modelId: 'churn', tiers: ['Left'], priority: 5, action: tierAction('churn', 'Left') },
  // A cluster is a group of like customers, not a priority: its profile says what to offer.
  { modelId: 'clusters', tiers: CLUSTER_TIER_IDS, priority: 5, action: tierAction('clusters', 'Cluster 1') },
];

/** The rule applied to one segmentation, row by row, in typed arrays (no object per row). */
export interface Recommendations {
  rules: readonly RecommendationRule[];
  /** Per rule (same index as `rules`): the index of its model among the segmentation's results; -1 when not chosen. */
  ruleResult: Int16Array;
  /** Per row: the index into `rules` of the rule that decided, or FALLBACK_RULE. */
  rule: Int16Array;
  /** Per row: the index into the segmentation's results of the deciding model; -1 where no model gave a segment. */
  decidedBy: Int8Array;
  /** Customers each rule decided (same index as `rules`); blank rows are not customers and are not counted. */
  counts: Int32Array;
  /** Customers the fallback decided, and customers no model gave a segment (no action). */
  fallbackCount: number;
  noActionCount: number;
}

/**
 * Applies the rule to every row: the first rule (list order) whose model was chosen and gave the
 * row one of its tiers decides. Where none does, the fallback is the first chosen model that gave
 * the row a segment, with that tier's own action; a row no model segmented gets no action.
 * Linear in rows × chosen models: a table per model and tier says which rule it meets first.
 *
 * @param isCustomer false for rows that are not customers (a blank line), which are not counted
 */
export function recommend(segmentation: Segmentation, rules: readonly RecommendationRule[] = RECOMMENDATION_RULES, isCustomer: (row: number) => boolean = () => true): Recommendations {
  const { results } = segmentation;
  const rowCount = segmentation.table.rowCount;
  const ruleResult = new Int16Array(rules.length).fill(-1);
  // firstRule[m][t]: the first rule that model m's tier t meets; rules.length where none.
  const firstRule = results.map((result) => new Int16Array(getTierCount(result.modelId)).fill(rules.length));
  // Column rules that apply (the table has the column), in rule order: [rule index, the column's values].
  const columnRules: [number, Float64Array][] = [];
  rules.forEach((rule, r) => {
    if (rule.column) {
      const values = segmentation.table.numbers[rule.column];
      ruleResult[r] = values ? DECIDED_BY_COLUMN : -1;
      if (values) columnRules.push([r, values]);
      return;
    }
    const m = results.findIndex((result) => result.modelId === rule.modelId);
    ruleResult[r] = m;
    if (m < 0) return;
    const tiers = findModel(rule.modelId)!.tiers;
    for (const id of rule.tiers) {
      const t = tiers.findIndex((tier) => tier.id === id);
      if (t >= 0 && firstRule[m][t] > r) firstRule[m][t] = r;
    }
  });
  const rule = new Int16Array(rowCount);
  const decidedBy = new Int8Array(rowCount);
  const counts = new Int32Array(rules.length);
  let fallbackCount = 0;
  let noActionCount = 0;
  for (let i = 0; i < rowCount; i++) {
    let best = rules.length;
    let bestModel = -1;
    let fallbackModel = -1;
    for (let m = 0; m < results.length; m++) {
      const t = results[m].tiers[i];
      if (t < 0) continue;
      if (fallbackModel < 0) fallbackModel = m;
      const r = firstRule[m][t];
      if (r < best) {
        best = r;
        bestModel = m;
      }
    }
    for (const [r, values] of columnRules) {
      if (r >= best) break;
      if (values[i] < 0) {
        best = r;
        bestModel = DECIDED_BY_COLUMN;
        break;
      }
    }
    const customer = isCustomer(i);
    if (bestModel >= 0 || bestModel === DECIDED_BY_COLUMN) {
      rule[i] = best;
      decidedBy[i] = bestModel;
      if (customer) counts[best]++;
    } else {
      rule[i] = FALLBACK_RULE;
      decidedBy[i] = fallbackModel;
      if (customer) {
        if (fallbackModel >= 0) fallbackCount++;
        else noActionCount++;
      }
    }
  }
  return { rules, ruleResult, rule, decidedBy, counts, fallbackCount, noActionCount };
}

function getTierCount(modelId: string): number {
  return findModel(modelId)?.tiers.length ?? 0;
}

/** The action row i gets: its rule's, or the deciding model's own tier action under the fallback; null where none. */
export function recommendedAction(recommendations: Recommendations, segmentation: Segmentation, row: number): Localized | null {
  const r = recommendations.rule[row];
  if (r !== FALLBACK_RULE) return recommendations.rules[r].action;
  const m = recommendations.decidedBy[row];
  if (m < 0) return null;
  const result = segmentation.results[m];
  return findModel(result.modelId)!.tiers[result.tiers[row]].action;
}

/** The Priority sheet's order key of row i: its rule's priority, FALLBACK_PRIORITY without a rule. */
export function recommendationPriority(recommendations: Recommendations, row: number): number {
  const r = recommendations.rule[row];
  return r === FALLBACK_RULE ? FALLBACK_PRIORITY : recommendations.rules[r].priority;
}

/** "Margin and cost to serve: Loss": a model's name and one of its tiers, as the deciding model is named. */
export function modelTierText(model: ModelDefinition, tierIndex: number, language: Language): string {
  return `${model.name[language]}: ${tierName(model.tiers[tierIndex], language)}`;
}

/** What decided row i, in a language ("Margin and cost to serve: Loss"); '' where no model gave a segment. */
export function decidedByText(recommendations: Recommendations, segmentation: Segmentation, row: number, language: Language): string {
  const m = recommendations.decidedBy[row];
  if (m === DECIDED_BY_COLUMN) {
    const role = recommendations.rules[recommendations.rule[row]].column!;
    return `${roleDefinition(role).label[language]} ${formatAmount(segmentation.table.numbers[role]![row], language)} < 0`;
  }
  if (m < 0) return '';
  const result = segmentation.results[m];
  return modelTierText(findModel(result.modelId)!, result.tiers[row], language);
}

/** A rule's condition in a language: "ABCD accounts: A", several tiers joined with "or" / "eller". */
export function ruleCondition(rule: RecommendationRule, language: Language): string {
  if (rule.column) return `${roleDefinition(rule.column).label[language]} < 0`;
  const model = findModel(rule.modelId);
  if (!model) return rule.modelId;
  const names = rule.tiers.map((id) => {
    const tier = model.tiers.find((candidate) => candidate.id === id);
    return tier ? tierName(tier, language) : id;
  });
  return `${model.name[language]}: ${names.join(language === 'da' ? ' eller ' : ' or ')}`;
}
