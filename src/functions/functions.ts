/*
 * The custom functions =SEGMENT.*. Only annotated entry points live here: the webpack plugin
 * reads these comments to write functions.json and appends the CustomFunctions.associate calls.
 * The work is done in segments.ts and consultancy.ts; errors.ts maps failures to Excel errors.
 *
 * Each id is also the function's name in every language (functions-da.json translates only the
 * descriptions and parameter names): formulas written through range.formulas must use a name the
 * metadata of every display language defines. A model's id here is its catalog `functionName`;
 * no id may be a built-in Excel function's name in any language (VALUE, VÆRDI) or an Excel 4.0
 * macro function's (CUT). The build adds allowErrorForDataTypeAny (scripts/localize-functions.js),
 * so an error or a data type in a range arrives here and is that row's problem only.
 */
import type { Language } from '../engine';
import { churnCells } from './learners';
import { marginCells, quadrantCells, scoreCells, valueCells, type ResultCell } from './consultancy';
import { isProblem, runForExcel, toExcelCells, toExcelError } from './errors';
import { clusterCells } from './clusters';
import { bgnbdCells, clvCells, gammaGammaCells, pAliveCells, purchasesCells, rfmCells, spendCells } from './lifetime';
import { abcdCells, cutOf, paretoCells } from './segments';
import { twinsCells } from './twins';

/** Messages follow Office's display language; outside Office (tests) they are English. */
function userLanguage(): Language {
  const display = typeof Office !== 'undefined' ? Office.context?.displayLanguage : undefined;
  return display?.toLowerCase().startsWith('da') ? 'da' : 'en';
}

/** A result matrix as Excel shows it: numbers and texts as they are, problems as error cells. */
function toExcelResults(cells: readonly (readonly ResultCell[])[], language: Language): Array<Array<number | string | CustomFunctions.Error>> {
  return cells.map((row) => row.map((cell) => (isProblem(cell) ? toExcelError(cell, language) : cell)));
}

/**
 * ABCD segment from revenue and potential: A high revenue and high potential, B low revenue and high potential, C high revenue and low potential, D low and low.
 * @customfunction ABCD ABCD
 * @param revenue Revenue: a whole column (spills one segment per row) or one row's cell.
 * @param potential Potential: a column of the same length, or one row's cell.
 * @param [revenueCut] Revenue at or above this value is high. Default over a column: the Pareto cut at 80 %. Required for a single row.
 * @param [potentialCut] Potential at or above this value is high. Default over a column: the Pareto cut at 80 %. Required for a single row.
 * @returns The segment of each row: A, B, C or D; empty where an input is blank.
 */
export function abcd(revenue: unknown[][], potential: unknown[][], revenueCut?: unknown, potentialCut?: unknown): Array<Array<string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelCells(abcdCells(revenue, potential, revenueCut, potentialCut), language));
}

/**
 * Pareto ABC segment: A makes the first 80 % of the total, B the next 15 %, C the rest.
 * @customfunction PARETO PARETO
 * @param values Revenue or margin: a whole column (spills one segment per row) or one row's cell.
 * @param [aShare] Over a column: the share of the total A makes (default 0.8). For a single row: the A cut value.
 * @param [bShare] Over a column: the cumulative share A and B make (default 0.95). For a single row: the B cut value.
 * @returns The segment of each row: A, B or C; empty where the value is blank.
 */
export function pareto(values: unknown[][], aShare?: unknown, bShare?: unknown): Array<Array<string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelCells(paretoCells(values, aShare, bShare), language));
}

/**
 * The cut value SegmentKit uses for a column: values at or above it are high.
 * @customfunction CUTOFF CUTOFF
 * @param values The column of values.
 * @param method "pareto" (share of the positive total), "quantile" or "value".
 * @param level The share or quantile (above 0, at most 1, e.g. 0.8), or the value itself.
 * @returns The cut value.
 */
export function cut(values: unknown[][], method: string, level: unknown): number {
  return runForExcel(userLanguage(), () => cutOf(values, method, level));
}

/**
 * True margin after cost to serve: revenue (or gross margin) less cost of goods, cost to serve and hours at the hourly rate.
 * @customfunction MARGIN MARGIN
 * @param revenueOrMargin Revenue, or a gross-margin column (then leave costOfGoods out): a whole column (spills one margin per row) or one row's cell.
 * @param [costOfGoods] Cost of goods, subtracted from revenue: a column of the same length, or one row's cell. Leave out when the first argument is already a margin.
 * @param [costToServe] Cost to serve: a column of the same length, or one row's cell.
 * @param [hours] Hours spent on the customer, priced at the hourly rate: a column of the same length, or one row's cell.
 * @param [hourlyRate] The price of one hour (default 650).
 * @returns The true margin of each row; empty where an input is blank.
 */
export function margin(revenueOrMargin: unknown[][], costOfGoods?: unknown[][], costToServe?: unknown[][], hours?: unknown[][], hourlyRate?: unknown): Array<Array<number | string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelResults(marginCells(revenueOrMargin, costOfGoods, costToServe, hours, hourlyRate), language));
}

/**
 * Grow / Fix / Model / Move from share of wallet and satisfaction: Model high share and high satisfaction, Fix high share and low satisfaction, Grow low share and high satisfaction, Move low and low.
 * @customfunction QUADRANT QUADRANT
 * @param shareOfWallet Share of wallet, as 0.35, 35 or "35 %" (all 35 %): a whole column (spills one segment per row) or one row's cell.
 * @param satisfaction Satisfaction on any scale (1–5, 0–10, NPS): a column of the same length, or one row's cell.
 * @param [shareCut] Share of wallet at or above this is high (0.5 or 50 both mean 50 %). Default over a column: 50 %. Required for a single row.
 * @param [satisfactionCut] Satisfaction at or above this value is high. Default over a column: the median answer, equal answers kept on one side. Required for a single row.
 * @returns The segment of each row: Model, Fix, Grow or Move; empty where an input is blank.
 */
export function quadrant(shareOfWallet: unknown[][], satisfaction: unknown[][], shareCut?: unknown, satisfactionCut?: unknown): Array<Array<number | string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelResults(quadrantCells(shareOfWallet, satisfaction, shareCut, satisfactionCut), language));
}

/**
 * Value tier by margin: Gold makes the first 50 % of the positive margin, Silver the next 30 %, Bronze the rest at or above 0, Loss below 0; a new Bronze customer is raised to Silver (a new customer that loses money stays Loss). Late payers keep their tier (the late-payer rule only caps their discount, in the Terms).
 * @customfunction VALUETIER VALUETIER
 * @param margin Margin (for example from SEGMENT.MARGIN): a whole column (spills one segment per row) or one row's cell.
 * @param [since] Customer since, as a date: a column of the same length, or one row's cell. Bronze customers younger than newMonths are raised to Silver; a loss stays Loss.
 * @param [daysLate] Average days late: a column of the same length, or one row's cell. Checked, but it never changes the tier: a late payer keeps its tier and only its discount is capped.
 * @param [goldCut] Margin at or above this value is Gold. Default over a column: the Pareto cut at 50 %. Required for a single row.
 * @param [silverCut] Margin at or above this value is Silver. Default over a column: the Pareto cut at 80 %. Required for a single row.
 * @param [newMonths] A customer for fewer whole months than this is new (default 12).
 * @param [lateDays] More days late than this on average makes a late payer (default 15); it does not change the tier.
 * @param [asOf] The day customer age is counted to, as a date (default today).
 * @returns The segment of each row: Gold, Silver, Bronze or Loss (these English names in every Excel language); empty where the margin is blank.
 */
export function value(
  margin: unknown[][], since?: unknown[][], daysLate?: unknown[][], goldCut?: unknown, silverCut?: unknown, newMonths?: unknown, lateDays?: unknown, asOf?: unknown,
): Array<Array<number | string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelResults(valueCells(margin, since, daysLate, goldCut, silverCut, newMonths, lateDays, asOf), language));
}

/**
 * Deep-dive score 0–100: each rating column normalized over its own lowest to highest value, weighted and added up.
 * @customfunction SCORE SCORE
 * @param ratings The ratings of all customers: one row per customer, one column per factor (spills one score per row).
 * @param weights One weight per rating column, as a row; they need not add up to 1. A column of weight 0 is left out.
 * @param [directions] One per rating column: "higher" or "lower" is better (or 1 and -1). Default: all higher.
 * @returns The score of each row, 0–100; empty where a rating is blank.
 */
export function score(ratings: unknown[][], weights: unknown[][], directions?: unknown[][]): Array<Array<number | string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelResults(scoreCells(ratings, weights, directions), language));
}

/**
 * RFM segment from recency, frequency and monetary value: each scored 1–5 (or 1–3, 1–4) by quantiles with equal values scored equal, and the segment named by the R × F grid (Champions, Loyal, Potential loyalist, New, Promising, Need attention, About to sleep, At risk, Can't lose them, Hibernating, Lost).
 * @customfunction RFM RFM
 * @param recency Days since the customer's last order: a whole column (spills one segment per row).
 * @param frequency Number of orders: a column of the same length.
 * @param monetary Revenue (total or per order): a column of the same length.
 * @param [groups] Score groups: 3, 4 or 5 (default 5).
 * @returns The segment of each row (these English names in every Excel language); empty where an input is blank.
 */
export function rfm(recency: unknown[][], frequency: unknown[][], monetary: unknown[][], groups?: unknown): Array<Array<number | string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelResults(rfmCells(recency, frequency, monetary, groups), language));
}

/**
 * Customer lifetime value: BG/NBD fitted on frequency, recency and age, Gamma-Gamma spend fitted on the repeat buyers, and the expected purchases over the horizon × expected spend × margin share, discounted monthly.
 * @customfunction CLV CLV
 * @param frequency Repeat purchases (purchases after the first, same-day purchases merged): a whole column (spills one CLV per row).
 * @param recency Age at the last purchase, in weeks from the first purchase: a column of the same length.
 * @param age Weeks from the first purchase to the end of the period: a column of the same length.
 * @param spend Mean spend of the repeat purchases (0 without any): a column of the same length.
 * @param [horizon] Months ahead (default 12).
 * @param [discountRate] Yearly discount rate (default 0.1).
 * @param [marginShare] Share of spend that is margin, 0 to 1 (default 1: CLV in revenue).
 * @returns The CLV of each row; empty where the row cannot be used in the fit.
 */
export function clv(
  frequency: unknown[][], recency: unknown[][], age: unknown[][], spend: unknown[][], horizon?: unknown, discountRate?: unknown, marginShare?: unknown,
): Array<Array<number | string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelResults(clvCells(frequency, recency, age, spend, horizon, discountRate, marginShare), language));
}

/**
 * BG/NBD repeat-buying model fitted by maximum likelihood: spills r, alpha, a, b and the log-likelihood as one row, for SEGMENT.PALIVE and SEGMENT.PURCHASES.
 * @customfunction BGNBD BGNBD
 * @param frequency Repeat purchases (purchases after the first): a whole column. Rows with a blank cell are left out.
 * @param recency Age at the last purchase, in the time unit you choose for all three (weeks, days, months): a column of the same length.
 * @param age Time from the first purchase to the end of the period, in the same unit: a column of the same length.
 * @returns One row: r, alpha (in your time unit), a, b and the log-likelihood.
 */
export function bgnbd(frequency: unknown[][], recency: unknown[][], age: unknown[][]): number[][] {
  return runForExcel(userLanguage(), () => bgnbdCells(frequency, recency, age));
}

/**
 * Probability that each customer is still alive (still buying) under the BG/NBD parameters from SEGMENT.BGNBD; 1 for a customer with no repeat purchase.
 * @customfunction PALIVE PALIVE
 * @param frequency Repeat purchases: a whole column (spills one probability per row) or one customer's cell.
 * @param recency Age at the last purchase, in the unit SEGMENT.BGNBD was fitted in: a column of the same length, or one cell.
 * @param age Time from the first purchase to the end of the period, in the same unit: a column of the same length, or one cell.
 * @param params The row SEGMENT.BGNBD spills: r, alpha, a, b (and the log-likelihood), e.g. P2#.
 * @returns P(alive) of each row, 0 to 1; empty where an input is blank.
 */
export function palive(frequency: unknown[][], recency: unknown[][], age: unknown[][], params: unknown[][]): Array<Array<number | string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelResults(pAliveCells(frequency, recency, age, params), language));
}

/**
 * Expected number of purchases in the next horizon time units for each customer, under the BG/NBD parameters from SEGMENT.BGNBD.
 * @customfunction PURCHASES PURCHASES
 * @param horizon Time ahead, in the unit SEGMENT.BGNBD was fitted in (39 for 39 weeks when fitted in weeks).
 * @param frequency Repeat purchases: a whole column (spills one expectation per row) or one customer's cell.
 * @param recency Age at the last purchase, in the same unit: a column of the same length, or one cell.
 * @param age Time from the first purchase to the end of the period, in the same unit: a column of the same length, or one cell.
 * @param params The row SEGMENT.BGNBD spills: r, alpha, a, b (and the log-likelihood), e.g. P2#.
 * @returns The expected purchases of each row; empty where an input is blank.
 */
export function purchases(horizon: unknown, frequency: unknown[][], recency: unknown[][], age: unknown[][], params: unknown[][]): Array<Array<number | string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelResults(purchasesCells(horizon, frequency, recency, age, params), language));
}

/**
 * Gamma-Gamma spend model fitted by maximum likelihood on the repeat buyers: spills p, q and gamma as one row, for SEGMENT.SPEND.
 * @customfunction GAMMAGAMMA GAMMAGAMMA
 * @param frequency Repeat purchases: a whole column. Customers with none are left out of the fit, and so are rows with a blank cell.
 * @param spend Mean spend of the repeat purchases (0 without any): a column of the same length.
 * @returns One row: p, q and gamma.
 */
export function gammagamma(frequency: unknown[][], spend: unknown[][]): number[][] {
  return runForExcel(userLanguage(), () => gammaGammaCells(frequency, spend));
}

/**
 * Expected spend per purchase of each customer under the Gamma-Gamma parameters from SEGMENT.GAMMAGAMMA: the customer's mean repeat spend weighed against the mean of all customers.
 * @customfunction SPEND SPEND
 * @param frequency Repeat purchases: a whole column (spills one expected spend per row) or one customer's cell.
 * @param spend Mean spend of the repeat purchases (0 without any): a column of the same length, or one cell.
 * @param params The row SEGMENT.GAMMAGAMMA spills: p, q and gamma, e.g. P3#.
 * @returns The expected spend per purchase of each row; empty where an input is blank.
 */
export function expectedSpend(frequency: unknown[][], spend: unknown[][], params: unknown[][]): Array<Array<number | string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelResults(spendCells(frequency, spend, params), language));
}

/**
 * Churn risk: learns who leaves from the rows with a label (logistic regression and boosted trees, the better by cross-validated AUC) and spills each row's probability of leaving, rows with a blank label included.
 * @customfunction CHURN CHURN
 * @param features The columns that describe each customer: numbers, dates, yes/no and short categories (one row per customer; a header row is allowed when the labels have one too).
 * @param labels Who has left: one column of the same height, yes/no, ja/nej, 1/0 or TRUE/FALSE; blank for the current customers to score.
 * @returns The probability of leaving of each row, 0 to 1.
 */
export function churn(features: unknown[][], labels: unknown[][]): Array<Array<number | string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelResults(churnCells(features, labels, language), language));
}

/**
 * Similarity 0–100 of each candidate row (a prospect) to the reference rows (the best customers), on the columns both ranges have: 50 is as close as a typical reference row is to its nearest fellow reference rows.
 * @customfunction TWINS TWINS
 * @param candidateFeatures The candidates' features: rows of numbers or text (industry, size, region), optionally with a header row; spills one similarity per row.
 * @param referenceFeatures The reference customers' features: the same columns in the same order, at least two rows; a header row when candidateFeatures has the same one.
 * @returns The similarity of each candidate row, 0 to 100; empty on the header row and blank rows.
 */
export function twins(candidateFeatures: unknown[][], referenceFeatures: unknown[][]): Array<Array<number | string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelResults(twinsCells(candidateFeatures, referenceFeatures), language));
}

/**
 * Needs-based clusters by k-means: each row of the range is a customer, each column a feature (numbers, dates, yes/no and categories, read as SegmentKit reads a table); the same range gives the same clusters, numbered by size, 1 the largest.
 * @customfunction CLUSTER CLUSTER
 * @param features The customers, one row each, one column per feature (spills one cluster number per row). A first row of text over columns of numbers is taken as headers and gets an empty cell.
 * @param [k] Number of clusters, 2 to 12. Default: chosen by the best silhouette over 2 to 8.
 * @returns The cluster number of each row, 1 the largest cluster; empty for headers, blank rows and rows with fewer than half of the columns filled.
 */
export function cluster(features: unknown[][], k?: unknown): Array<Array<number | string | CustomFunctions.Error>> {
  const language = userLanguage();
  return runForExcel(language, () => toExcelResults(clusterCells(features, k), language));
}
