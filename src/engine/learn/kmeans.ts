/**
 * k-means: the partition of the rows of a feature matrix into k clusters that (locally) minimises
 * the inertia, the sum over rows of the squared Euclidean distance to the row's cluster centroid.
 *
 * - Starts: greedy k-means++ (Arthur & Vassilvitskii 2007, "k-means++: the advantages of careful
 *   seeding"), as scikit-learn seeds KMeans: each new centroid is the best, by the inertia it
 *   leaves, of 2 + ⌊ln k⌋ rows drawn with probability proportional to their squared distance to
 *   the nearest centroid so far.
 * - Iterations: Lloyd's (1982), with Hamerly's bounds (Hamerly 2010, "Making k-means even
 *   faster"): per row an upper bound on the distance to its centroid and a lower bound on the
 *   distance to any other; a row whose bounds show it cannot have changed cluster costs one
 *   comparison instead of k distances. The bounds are exact, so the iterations, labels and
 *   centroids are those of plain Lloyd (up to rounding in the running sums).
 * - Convergence as scikit-learn's `lloyd` algorithm decides it: labels unchanged ("strict"), or the
 *   total squared centroid shift at most `tolerance` × the mean variance of the columns.
 * - Empty clusters are refilled as scikit-learn does: with the rows farthest from their centroid.
 * - Restarts: the best inertia over `restarts` seeded starts; the generator is mulberry32 (see
 *   ../random), so the same matrix and seed give the same clusters on every run and machine.
 *
 * Everything works on the flat row-major Float64Array of the FeatureMatrix with no allocation per
 * row: 1,000,000 × 5 costs a few arrays of a million numbers.
 */
import { mulberry32 } from '../random';
import type { FeatureMatrix } from './matrix';
import { firstAtOrAbove } from '../stats';

export interface KMeansOptions {
  /** Seed of the mulberry32 generator that draws the starts. Default 1. */
  seed?: number;
  /** Number of k-means++ starts; the one with the lowest inertia is kept. Default 10 (scikit-learn's n_init=10). */
  restarts?: number;
  /** Lloyd iterations per start at most. Default 300 (scikit-learn's max_iter). */
  maxIterations?: number;
  /**
   * Relative tolerance: a start has converged when the summed squared shift of the centroids in an
   * iteration is at most this × the mean of the columns' (population) variances. Default 1e-4
   * (scikit-learn's tol).
   */
  tolerance?: number;
}

export interface KMeansResult {
  /** Cluster per row, 0 … k − 1, renumbered so cluster 0 is the largest (ties: the one whose first row comes first). Length rows. */
  labels: Int32Array;
  /** k × columns: the mean of each cluster's rows, in the renumbered order. */
  centroids: FeatureMatrix;
  /** Rows per cluster, in the renumbered order (decreasing). Length k. */
  sizes: Int32Array;
  /** Sum of squared Euclidean distances of the rows to their centroid, in the matrix's units squared. */
  inertia: number;
  /** Lloyd iterations of the start kept (counted as scikit-learn's n_iter_ counts them). */
  iterations: number;
  /** Whether the start kept converged before maxIterations. */
  converged: boolean;
  /** Starts run. */
  restartsRun: number;
}

/** One run of Lloyd's algorithm from given centroids, before renumbering. */
export interface LloydResult {
  /** Cluster per row: the index of its centroid in the initial order. Length rows. */
  labels: Int32Array;
  /** k × columns: the final centroids. */
  centroids: FeatureMatrix;
  inertia: number;
  iterations: number;
  converged: boolean;
}

export interface LloydOptions {
  maxIterations?: number;
  tolerance?: number;
}

const DEFAULT_RESTARTS = 10;
const DEFAULT_MAX_ITERATIONS = 300;
const DEFAULT_TOLERANCE = 1e-4;

/**
 * Clusters the rows of X into k groups (see the module comment for the method).
 * @param X rows × columns, finite values (standardised features, as a rule)
 * @param k number of clusters, an integer from 1 to X.rows
 * @returns labels, centroids and sizes renumbered by size, the inertia of the best start, and how it ran
 * @throws RangeError when k is not an integer in 1 … rows, an option is out of range, or X holds a value that is not finite
 */
export function kmeans(X: FeatureMatrix, k: number, options: KMeansOptions = {}): KMeansResult {
  const restarts = options.restarts ?? DEFAULT_RESTARTS;
  const variance = checkInput(X, k);
  if (!Number.isInteger(restarts) || restarts < 1) throw new RangeError(`k-means needs at least one start; restarts = ${restarts}.`);
  const maxIterations = checkIterations(options.maxIterations);
  const tolerance = scaledTolerance(variance, options.tolerance);
  const random = mulberry32(options.seed ?? 1);
  let best: LloydResult | undefined;
  for (let start = 0; start < restarts; start++) {
    const run = runLloyd(new LloydState(X, seedPlusPlus(X, k, random)), maxIterations, tolerance);
    // Strictly lower: on a tie the earlier start stays, so the result does not depend on rounding order.
    if (!best || run.inertia < best.inertia) best = run;
  }
  return { ...renumberBySize(best!, k), inertia: best!.inertia, iterations: best!.iterations, converged: best!.converged, restartsRun: restarts };
}

/**
 * Greedy k-means++ starts, as scikit-learn's `_kmeans_plusplus` draws them: the first centroid a
 * uniformly drawn row; each next one the best of 2 + ⌊ln k⌋ candidates drawn with probability
 * proportional to the squared distance to the nearest centroid so far, "best" being the candidate
 * that leaves the lowest total squared distance.
 * @param X rows × columns, finite
 * @param k centroids to draw, 1 … rows
 * @param random uniform [0, 1) generator (mulberry32 for reproducible starts); 1 + (k − 1)(2 + ⌊ln k⌋) numbers are drawn
 * @returns k × columns, rows of X
 * @throws RangeError when k is not an integer in 1 … rows or X holds a value that is not finite
 */
export function kmeansPlusPlus(X: FeatureMatrix, k: number, random: () => number): FeatureMatrix {
  checkInput(X, k);
  return seedPlusPlus(X, k, random).centroids;
}

/**
 * The k-means++ starts and what drawing them found out on the way: each row's nearest start, the
 * squared distance to it and to the second nearest. That is the first assignment step of Lloyd's
 * algorithm, bounds included, so the first iteration need not redo it.
 */
interface Seeding {
  centroids: FeatureMatrix;
  /** Nearest start per row (the first of equals). */
  labels: Int32Array;
  /** Squared distance to the nearest start. */
  closest: Float64Array;
  /** Squared distance to the second nearest start; Infinity when k = 1. */
  second: Float64Array;
}

/**
 * kmeansPlusPlus, keeping on the way what the first Lloyd iteration needs. Every pass over the
 * rows computes every distance, block by block through the unrolled kernel (squaredDistancesTo):
 * a test per row that could skip one (Raff 2021) costs more than the few multiplications it saves
 * at these widths. Distances stay squared; the square roots wait for Lloyd's first step.
 */
function seedPlusPlus(X: FeatureMatrix, k: number, random: () => number): Seeding {
  const { rows: n, columns: d, data } = X;
  const centroids = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = Math.min(n - 1, Math.floor(random() * n));
  centroids.set(data.subarray(first * d, first * d + d), 0);
  const labels = new Int32Array(n);
  const closest = new Float64Array(n);
  const second = new Float64Array(n).fill(Infinity);
  // Running totals of the squared distances, from which the candidates are drawn (numpy's stable_cumsum, in double).
  const cumulative = new Float64Array(n);
  const scratch = new Float64Array(trials * BLOCK);
  let potential = firstStart(data, d, centroids, closest, cumulative);
  const candidates = new Int32Array(trials);
  const candidatePotentials = new Float64Array(trials);
  const candidateRows = new Float64Array(trials * d);
  for (let c = 1; c < k; c++) {
    // The first row whose running potential reaches the draw: numpy.searchsorted(side='left'), as scikit-learn draws.
    for (let t = 0; t < trials; t++) candidates[t] = Math.min(n - 1, firstAtOrAbove(cumulative, random() * potential));
    for (let t = 0; t < trials; t++) {
      candidateRows.set(data.subarray(candidates[t] * d, candidates[t] * d + d), t * d);
    }
    candidatePotentialsOf(data, d, closest, candidateRows, candidatePotentials, scratch);
    let chosen = 0;
    for (let t = 1; t < trials; t++) if (candidatePotentials[t] < candidatePotentials[chosen]) chosen = t;
    centroids.set(data.subarray(candidates[chosen] * d, candidates[chosen] * d + d), c * d);
    potential = addStart(data, d, c * d, centroids, { labels, closest, second, cumulative }, scratch);
  }
  return { centroids: { rows: k, columns: d, data: centroids }, labels, closest, second };
}

/** Squared distances to the first start (the first d values of `centroids`) and their running totals; returns the potential. */
function firstStart(data: Float64Array, d: number, centroids: Float64Array, closest: Float64Array, cumulative: Float64Array): number {
  squaredDistancesTo(data, d, centroids, 0, 0, closest.length, closest, 0);
  let potential = 0;
  for (let i = 0; i < closest.length; i++) {
    potential += closest[i];
    cumulative[i] = potential;
  }
  return potential;
}

/**
 * For each candidate (rows of `candidateRows`, trials × d), the potential it would leave:
 * Σ over rows of min(closest, squared distance to the candidate), summed in row order as
 * scikit-learn sums it. Block by block, every candidate's distances to the block's rows while they
 * are in cache (`scratch` holds trials × BLOCK distances), then their running sums three candidates
 * at a time (see addLesserOfThree).
 */
function candidatePotentialsOf(data: Float64Array, d: number, closest: Float64Array, candidateRows: Float64Array, potentials: Float64Array, scratch: Float64Array): void {
  const n = closest.length;
  const trials = potentials.length;
  potentials.fill(0);
  for (let from = 0; from < n; from += BLOCK) {
    const to = Math.min(n, from + BLOCK);
    for (let t = 0; t < trials; t++) squaredDistancesTo(data, d, candidateRows, t * d, from, to, scratch, t * BLOCK);
    for (let t = 0; t < trials; t += 3) addLesserOfThree(scratch, closest, from, to, potentials, t);
  }
}

/**
 * potentials[t + c] += Σ over the block's rows (from … to − 1, in row order) of min(closest, the
 * row's distance to candidate t + c, scratch[(t + c) · BLOCK + r]), for c = 0, 1, 2 where t + c is a
 * candidate. Three running sums in one loop overlap in the pipeline where one at a time waits on
 * each addition; past the last candidate the loop repeats candidate t and drops the sum.
 */
function addLesserOfThree(scratch: Float64Array, closest: Float64Array, from: number, to: number, potentials: Float64Array, t: number): void {
  const count = Math.min(3, potentials.length - t);
  const at0 = t * BLOCK;
  const at1 = count > 1 ? at0 + BLOCK : at0;
  const at2 = count > 2 ? at0 + 2 * BLOCK : at0;
  let sum0 = potentials[t];
  let sum1 = count > 1 ? potentials[t + 1] : 0;
  let sum2 = count > 2 ? potentials[t + 2] : 0;
  for (let i = from, r = 0; i < to; i++, r++) {
    const own = closest[i];
    sum0 += lesser(scratch[at0 + r], own);
    sum1 += lesser(scratch[at1 + r], own);
    sum2 += lesser(scratch[at2 + r], own);
  }
  potentials[t] = sum0;
  if (count > 1) potentials[t + 1] = sum1;
  if (count > 2) potentials[t + 2] = sum2;
}

/**
 * The start at offset `at` of `centroids` (the c-th) has been drawn: rows nearer to it than to
 * their start move to it (ties stay), and each row's second nearest distance takes in the new
 * start's (or, for a row that moved, the one it left).
 * Refreshes the running totals of the squared distances and returns the new potential (their sum).
 */
function addStart(
  data: Float64Array, d: number, at: number, centroids: Float64Array,
  rows: { labels: Int32Array; closest: Float64Array; second: Float64Array; cumulative: Float64Array }, scratch: Float64Array,
): number {
  const { labels, closest, second, cumulative } = rows;
  const c = at / d;
  const n = closest.length;
  let potential = 0;
  for (let from = 0; from < n; from += BLOCK) {
    const to = Math.min(n, from + BLOCK);
    squaredDistancesTo(data, d, centroids, at, from, to, scratch, 0);
    for (let i = from, r = 0; i < to; i++, r++) {
      const distance = scratch[r];
      const own = closest[i];
      // Without a branch (see CHOICE): a row nearer the new start moves to it, its old start now second nearest; any other keeps its start and may take the new one as second.
      const nearer = Number(distance < own);
      second[i] = choose(lesser(second[i], distance), own, nearer);
      const nearest = choose(own, distance, nearer);
      closest[i] = nearest;
      labels[i] += nearer * (c - labels[i]);
      potential += nearest;
      cumulative[i] = potential;
    }
  }
  return potential;
}

/**
 * Lloyd's algorithm from the centroids given, with Hamerly's bounds (see the module comment).
 * @param X rows × columns, finite
 * @param initial k × columns starting centroids (k ≤ rows)
 * @returns labels as indices into the initial centroids, the final centroids, the inertia and the iterations
 * @throws RangeError when the shapes disagree, X holds a value that is not finite, or an option is out of range
 */
export function lloyd(X: FeatureMatrix, initial: FeatureMatrix, options: LloydOptions = {}): LloydResult {
  const variance = checkInput(X, initial.rows);
  if (initial.columns !== X.columns) throw new RangeError(`The starting centroids have ${initial.columns} columns, the matrix ${X.columns}.`);
  return runLloyd(new LloydState(X, { centroids: initial }), checkIterations(options.maxIterations), scaledTolerance(variance, options.tolerance));
}

/** Lloyd's iterations; `tolerance` is absolute (summed squared shift, matrix units squared). */
function runLloyd(state: LloydState, maxIterations: number, tolerance: number): LloydResult {
  let converged = false;
  let strict = false;
  let iterations = 0;
  let relocated = false;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    iterations = iteration + 1;
    const changed = iteration === 0 ? state.firstAssignment() : relocated ? state.assignAll() : state.assignWithBounds();
    relocated = state.relocateEmptyClusters();
    const shift = state.moveCentroids();
    if (changed === 0 && !relocated) {
      converged = strict = true;
      break;
    }
    if (shift <= tolerance) {
      converged = true;
      break;
    }
  }
  // As scikit-learn: unless the labels stood still, assign once more so they match the centroids returned.
  if (!strict) {
    if (relocated) state.assignAll();
    else state.assignWithBounds();
  }
  return { labels: state.labels, centroids: { rows: state.k, columns: state.d, data: state.centroids }, inertia: state.inertia(), iterations, converged };
}

/** The working arrays of one Lloyd run: a few arrays of `rows` numbers, none per row. */
class LloydState {
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly data: Float64Array;
  readonly centroids: Float64Array;
  readonly labels: Int32Array;
  /** Upper bound on each row's distance to its centroid (Euclidean, not squared). */
  private readonly upper: Float64Array;
  /** Lower bound on each row's distance to every other centroid. */
  private readonly lower: Float64Array;
  /** Per cluster the running sum of its rows (k × columns) and its row count. */
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  /** How far each centroid moved in the last update (Euclidean). */
  private readonly shifts: Float64Array;
  /** Half the distance from each centroid to its nearest other centroid: a row closer than that to its own cannot be closer to another. */
  private readonly halfGaps: Float64Array;
  /** Scratch for nearestTwo: the squared distances to a row's nearest and second nearest centroid. */
  private readonly nearestPair = new Float64Array(2);
  /** Squared distances of a block's rows to every centroid: k × BLOCK, centroid by centroid. */
  private readonly blockDistances: Float64Array;
  /** Per centroid the largest shift among the others (see largestOtherShifts). */
  private readonly otherShifts: Float64Array;
  /** k zeros: the shifts by which to loosen bounds that are already up to date. */
  private readonly noShifts: Float64Array;
  /** The rows of a block whose loosened bounds leave them open (see loosenBounds), and their squared distances to their centroids. */
  private readonly openRows = new Int32Array(BLOCK);
  private readonly openDistances = new Float64Array(BLOCK);
  /** The rows of a block whose exact distance to their centroid still leaves them open (see tightenUpperBounds). */
  private readonly fullRows = new Int32Array(BLOCK);
  /** Offsets of the centroid to measure each listed row against (see squaredDistancesOfListed). */
  private readonly pointAt = new Int32Array(BLOCK);

  /** The largest centroid shift of the last update, the centroid that made it, and the second largest. */
  private largestShift = 0;
  private largestShiftAt = -1;
  private secondLargestShift = 0;
  /** Whether the bounds still need loosening by the last update's shifts. */
  private shiftsPending = false;
  private readonly seeded: boolean;

  /**
   * From starting centroids, and the first assignment when the seeding made it: labels and the
   * squared distances to the nearest and second nearest start, whose arrays become the bounds.
   */
  constructor(X: FeatureMatrix, start: { centroids: FeatureMatrix; labels?: Int32Array; closest?: Float64Array; second?: Float64Array }) {
    this.n = X.rows;
    this.d = X.columns;
    this.k = start.centroids.rows;
    this.data = X.data;
    this.centroids = Float64Array.from(start.centroids.data);
    this.seeded = start.labels !== undefined && start.closest !== undefined && start.second !== undefined;
    this.labels = start.labels ?? new Int32Array(this.n).fill(-1);
    this.upper = start.closest ?? new Float64Array(this.n);
    this.lower = start.second ?? new Float64Array(this.n);
    this.sums = new Float64Array(this.k * this.d);
    this.counts = new Float64Array(this.k);
    this.shifts = new Float64Array(this.k);
    this.halfGaps = new Float64Array(this.k);
    this.blockDistances = new Float64Array(this.k * BLOCK);
    this.otherShifts = new Float64Array(this.k);
    this.noShifts = new Float64Array(this.k);
  }

  /**
   * The first assignment step: taken over from the seeding when it made one (every row counts as
   * changed, from no cluster; the squared distances become distances), else computed.
   */
  firstAssignment(): number {
    if (!this.seeded) return this.assignAll();
    const { n, upper, lower } = this;
    for (let i = 0; i < n; i++) {
      upper[i] = Math.sqrt(upper[i]);
      lower[i] = Math.sqrt(lower[i]);
    }
    for (let from = 0; from < n; from += BLOCK) this.addToSums(from, Math.min(n, from + BLOCK));
    return n;
  }

  /**
   * Assigns every row to its nearest centroid from scratch (ties to the lower index), sets the
   * bounds and the sums anew; returns how many rows changed cluster. Every distance is computed,
   * block by block through the unrolled kernel, which costs less than sparing some with Elkan's
   * triangle inequality at a test per row and centroid.
   */
  assignAll(): number {
    const { n, k, labels, upper, lower, sums, counts, blockDistances, nearestPair: pair } = this;
    sums.fill(0);
    counts.fill(0);
    this.shiftsPending = false;
    let changed = 0;
    for (let from = 0; from < n; from += BLOCK) {
      const to = Math.min(n, from + BLOCK);
      this.blockDistancesToAll(from, to);
      for (let i = from, r = 0; i < to; i++, r++) {
        const nearest = nearestTwoInBlock(blockDistances, r, k, pair);
        changed += labels[i] === nearest ? 0 : 1;
        labels[i] = nearest;
        upper[i] = Math.sqrt(pair[0]);
        lower[i] = Math.sqrt(pair[1]);
      }
      this.addToSums(from, to);
    }
    return changed;
  }

  /**
   * Hamerly's assignment step: only rows whose bounds allow a change get their distances computed.
   * The bounds are first loosened by the last update's shifts: a row's own centroid may be as much
   * farther as it moved, any other as much nearer as the largest other shift. Block by block, one
   * pass lists the rows the loosened bounds leave open; those get their distance to their own
   * centroid, and the ones that still leave open their distances to every centroid. Each step is a
   * loop over a list with no branch on the data: the tests in it would be mispredicted on many rows.
   * Returns how many rows changed cluster.
   */
  assignWithBounds(): number {
    const { n, d, k, labels, upper, lower, blockDistances, fullRows, nearestPair: pair } = this;
    this.computeHalfGaps();
    const ownShifts = this.shiftsPending ? this.shifts : this.noShifts;
    const otherShifts = this.shiftsPending ? this.largestOtherShifts() : this.noShifts;
    this.shiftsPending = false;
    let changed = 0;
    for (let from = 0; from < n; from += BLOCK) {
      const open = this.loosenBounds(from, Math.min(n, from + BLOCK), ownShifts, otherShifts);
      const full = open === 0 ? 0 : this.tightenUpperBounds(open);
      if (full === 0) continue;
      this.listedDistancesToAll(full);
      for (let r = 0; r < full; r++) {
        const i = fullRows[r];
        const current = labels[i];
        const nearest = nearestTwoInBlock(blockDistances, r, k, pair);
        upper[i] = Math.sqrt(pair[0]);
        lower[i] = Math.sqrt(pair[1]);
        if (nearest !== current) {
          this.moveRow(i * d, current, nearest);
          labels[i] = nearest;
          changed++;
        }
      }
    }
    return changed;
  }

  /**
   * The rows listed in openRows (open of them) get their exact distance to their centroid as upper
   * bound; those it still leaves above both the half gap and the lower bound are listed in
   * fullRows, in row order. Returns how many.
   */
  private tightenUpperBounds(open: number): number {
    const { d, data, centroids, labels, upper, lower, halfGaps, openRows, pointAt, openDistances, fullRows } = this;
    for (let r = 0; r < open; r++) pointAt[r] = labels[openRows[r]] * d;
    squaredDistancesOfListed(data, d, openRows, open, centroids, pointAt, openDistances, 0);
    let full = 0;
    for (let r = 0; r < open; r++) {
      const i = openRows[r];
      const current = labels[i];
      const up = Math.sqrt(openDistances[r]);
      upper[i] = up;
      fullRows[full] = i;
      full += Number(up > halfGaps[current]) & Number(up > lower[i]);
    }
    return full;
  }

  /** blockDistances[j · BLOCK + r] ← the squared distance of row fullRows[r] to centroid j, for the first `count` listed rows. */
  private listedDistancesToAll(count: number): void {
    const { d, k, data, centroids, fullRows, pointAt, blockDistances } = this;
    for (let j = 0; j < k; j++) {
      pointAt.fill(j * d, 0, count);
      squaredDistancesOfListed(data, d, fullRows, count, centroids, pointAt, blockDistances, j * BLOCK);
    }
  }

  /**
   * Loosens the bounds of rows from … to − 1 by the shifts given (zeros when the centroids have not
   * moved since the bounds were set) and lists in openRows those whose upper bound exceeds both the
   * half gap of their centroid and their lower bound; returns how many. Each row is written to the
   * list and the count advanced by 0 or 1: a branch here would be mispredicted on most open rows.
   */
  private loosenBounds(from: number, to: number, ownShifts: Float64Array, otherShifts: Float64Array): number {
    const { labels, upper, lower, halfGaps, openRows } = this;
    let open = 0;
    for (let i = from; i < to; i++) {
      const current = labels[i];
      const up = upper[i] + ownShifts[current];
      const low = lower[i] - otherShifts[current];
      upper[i] = up;
      lower[i] = low;
      openRows[open] = i;
      open += Number(up > halfGaps[current]) & Number(up > low);
    }
    return open;
  }

  /** Per centroid the largest shift of any other centroid: how much nearer another centroid can have come to its rows. */
  private largestOtherShifts(): Float64Array {
    const { k, largestShift, largestShiftAt, secondLargestShift, otherShifts } = this;
    for (let j = 0; j < k; j++) otherShifts[j] = j === largestShiftAt ? secondLargestShift : largestShift;
    return otherShifts;
  }

  /**
   * Rows from … to − 1 into their clusters' counts and sums, row by row, so each cluster's sum of a
   * column takes its rows in row order; written out per width (see ADD_ROWS).
   */
  private addToSums(from: number, to: number): void {
    const { d, data, labels, sums, counts } = this;
    (ADD_ROWS[d] ?? addRowsAnyWidth)(data, d, labels, from, to, sums, counts);
  }

  /** blockDistances ← the squared distances of rows from … to − 1 to every centroid. */
  private blockDistancesToAll(from: number, to: number): void {
    const { d, k, data, centroids, blockDistances } = this;
    for (let j = 0; j < k; j++) squaredDistancesTo(data, d, centroids, j * d, from, to, blockDistances, j * BLOCK);
  }

  private moveRow(base: number, from: number, to: number): void {
    const { d, data, sums, counts } = this;
    counts[from]--;
    counts[to]++;
    for (let f = 0; f < d; f++) {
      sums[from * d + f] -= data[base + f];
      sums[to * d + f] += data[base + f];
    }
  }

  /** Half the distance from each centroid to its nearest other. */
  private computeHalfGaps(): void {
    const { d, k, centroids, halfGaps } = this;
    halfGaps.fill(Infinity);
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        const half = Math.sqrt(squaredDistanceToRow(centroids, a * d, centroids, b * d, d)) / 2;
        if (half < halfGaps[a]) halfGaps[a] = half;
        if (half < halfGaps[b]) halfGaps[b] = half;
      }
    }
  }

  /**
   * scikit-learn's `_relocate_empty_clusters`: each empty cluster takes over the row farthest from
   * its centroid (the next empty one the next farthest), moved out of its cluster's sum. Rows
   * already on their centroid are never taken (fewer distinct rows than k): the cluster stays empty
   * where it is. The labels are not changed here; the next assignment, from scratch, does that.
   * @returns whether any cluster was refilled
   */
  relocateEmptyClusters(): boolean {
    const { n, d, k, data, centroids, labels, sums, counts } = this;
    const empty: number[] = [];
    for (let j = 0; j < k; j++) if (counts[j] === 0) empty.push(j);
    if (empty.length === 0) return false;
    const farthest = farthestRows(empty.length, n, (i) => squaredDistanceToRow(data, i * d, centroids, labels[i] * d, d));
    let relocated = false;
    for (let e = 0; e < farthest.length; e++) {
      const row = farthest[e];
      const from = labels[row];
      const to = empty[e];
      counts[from]--;
      counts[to] = 1;
      for (let f = 0; f < d; f++) {
        sums[from * d + f] -= data[row * d + f];
        sums[to * d + f] = data[row * d + f];
      }
      relocated = true;
    }
    return relocated;
  }

  /** Centroids to the means of their clusters; records each shift and returns the summed squared shift. */
  moveCentroids(): number {
    const { d, k, centroids, sums, counts, shifts } = this;
    let total = 0;
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) {
        shifts[j] = 0;
        continue;
      }
      let squared = 0;
      for (let f = 0; f < d; f++) {
        const moved = sums[j * d + f] / counts[j];
        const step = moved - centroids[j * d + f];
        squared += step * step;
        centroids[j * d + f] = moved;
      }
      shifts[j] = Math.sqrt(squared);
      total += squared;
    }
    this.recordLargestShifts();
    return total;
  }

  private recordLargestShifts(): void {
    const { k, shifts } = this;
    let largest = 0;
    let largestAt = -1;
    let secondLargest = 0;
    for (let j = 0; j < k; j++) {
      if (shifts[j] > largest) {
        secondLargest = largest;
        largest = shifts[j];
        largestAt = j;
      } else if (shifts[j] > secondLargest) secondLargest = shifts[j];
    }
    this.largestShift = largest;
    this.largestShiftAt = largestAt;
    this.secondLargestShift = secondLargest;
    this.shiftsPending = true;
  }

  /** Sum of squared distances of the rows to their centroids, in row order; block by block through the listed-rows kernel. */
  inertia(): number {
    const { n, d, data, centroids, labels, openRows: rows, pointAt, openDistances: distances } = this;
    let total = 0;
    for (let from = 0; from < n; from += BLOCK) {
      const count = Math.min(n, from + BLOCK) - from;
      for (let r = 0; r < count; r++) {
        rows[r] = from + r;
        pointAt[r] = labels[from + r] * d;
      }
      squaredDistancesOfListed(data, d, rows, count, centroids, pointAt, distances, 0);
      for (let r = 0; r < count; r++) total += distances[r];
    }
    return total;
  }
}

/**
 * The `count` rows with the largest distance, farthest first, ties by row order; rows at distance
 * 0 are left out (they sit on their centroid and would empty it).
 */
function farthestRows(count: number, n: number, distanceOf: (row: number) => number): number[] {
  const rows: number[] = [];
  const distances: number[] = [];
  for (let i = 0; i < n; i++) {
    const distance = distanceOf(i);
    if (distance <= 0 || (rows.length === count && distance <= distances[count - 1])) continue;
    let at = rows.length === count ? count - 1 : rows.length;
    while (at > 0 && distances[at - 1] < distance) {
      if (at < count) {
        rows[at] = rows[at - 1];
        distances[at] = distances[at - 1];
      }
      at--;
    }
    rows[at] = i;
    distances[at] = distance;
  }
  return rows;
}

/**
 * Relabels a run by cluster size, largest first, ties by the first row of each cluster, so that
 * cluster 0 ("cluster 1" to a reader) is the same group whatever order the starts found them in.
 */
function renumberBySize(run: LloydResult, k: number): { labels: Int32Array; centroids: FeatureMatrix; sizes: Int32Array } {
  const sizes = new Int32Array(k);
  const firstRow = new Int32Array(k).fill(-1);
  const { labels } = run;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    sizes[label]++;
    if (firstRow[label] < 0) firstRow[label] = i;
  }
  // An empty cluster (fewer distinct rows than k) has no first row: it goes last.
  const order = Array.from({ length: k }, (_, j) => j).sort((a, b) => sizes[b] - sizes[a] || rank(firstRow[a]) - rank(firstRow[b]) || a - b);
  const newLabel = new Int32Array(k);
  order.forEach((old, position) => { newLabel[old] = position; });
  const renumbered = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) renumbered[i] = newLabel[labels[i]];
  const d = run.centroids.columns;
  const centroids = new Float64Array(k * d);
  const orderedSizes = new Int32Array(k);
  order.forEach((old, position) => {
    centroids.set(run.centroids.data.subarray(old * d, old * d + d), position * d);
    orderedSizes[position] = sizes[old];
  });
  return { labels: renumbered, centroids: { rows: k, columns: d, data: centroids }, sizes: orderedSizes };
}

const rank = (firstRow: number) => (firstRow < 0 ? Number.MAX_SAFE_INTEGER : firstRow);

/** Rows per block of the distance passes: a block's rows and distances stay in the first-level caches. */
const BLOCK = 1024;

type DistancesTo = (data: Float64Array, d: number, points: Float64Array, at: number, from: number, to: number, out: Float64Array, outAt: number) => void;
type AddRows = (data: Float64Array, d: number, labels: Int32Array, from: number, to: number, sums: Float64Array, counts: Float64Array) => void;
type ListedDistances = (data: Float64Array, d: number, rows: Int32Array, count: number, points: Float64Array, pointAt: Int32Array, out: Float64Array, outAt: number) => void;

/**
 * out[outAt + r] = the squared Euclidean distance from row `from + r` of `data` (row-major, d
 * columns) to the point at offset `at` of `points`, for the rows from … to − 1. The terms are summed
 * in column order, as squaredDistanceToRow sums them, so both give the same number to the last bit.
 * Written out for each width up to 8 with the point's values in locals (in V8 a loop over a handful
 * of columns per row costs several times the arithmetic), one small function per width: the same
 * loops as cases of one switch run half again as slowly.
 */
function squaredDistancesTo(data: Float64Array, d: number, points: Float64Array, at: number, from: number, to: number, out: Float64Array, outAt: number): void {
  (DISTANCES_TO[d] ?? distancesToAnyWidth)(data, d, points, at, from, to, out, outAt);
}

/**
 * out[outAt + r] = the squared Euclidean distance from row rows[r] of `data` (row-major, d columns)
 * to the point at offset pointAt[r] of `points`, for r from 0 to count − 1: squaredDistancesTo for
 * rows picked out of a block (those whose bounds leave them open) and a point per row (their
 * centroid), with the same terms in the same order, so the same numbers to the last bit.
 */
function squaredDistancesOfListed(data: Float64Array, d: number, rows: Int32Array, count: number, points: Float64Array, pointAt: Int32Array, out: Float64Array, outAt: number): void {
  (LISTED_DISTANCES[d] ?? listedDistancesAnyWidth)(data, d, rows, count, points, pointAt, out, outAt);
}

function distancesToAnyWidth(data: Float64Array, d: number, points: Float64Array, at: number, from: number, to: number, out: Float64Array, outAt: number): void {
  for (let x = from * d, o = outAt, end = outAt + to - from; o < end; o++, x += d) out[o] = squaredDistanceToRow(data, x, points, at, d);
}

function listedDistancesAnyWidth(data: Float64Array, d: number, rows: Int32Array, count: number, points: Float64Array, pointAt: Int32Array, out: Float64Array, outAt: number): void {
  for (let r = 0; r < count; r++) out[outAt + r] = squaredDistanceToRow(data, rows[r] * d, points, pointAt[r], d);
}

function distancesToWidth1(data: Float64Array, _d: number, points: Float64Array, at: number, from: number, to: number, out: Float64Array, outAt: number): void {
  const p0 = points[at];
  for (let x = from, o = outAt, end = outAt + to - from; o < end; o++, x++) {
    const e0 = data[x] - p0;
    out[o] = e0 * e0;
  }
}

function distancesToWidth2(data: Float64Array, _d: number, points: Float64Array, at: number, from: number, to: number, out: Float64Array, outAt: number): void {
  const p0 = points[at], p1 = points[at + 1];
  for (let x = from * 2, o = outAt, end = outAt + to - from; o < end; o++, x += 2) {
    const e0 = data[x] - p0, e1 = data[x + 1] - p1;
    out[o] = e0 * e0 + e1 * e1;
  }
}

function distancesToWidth3(data: Float64Array, _d: number, points: Float64Array, at: number, from: number, to: number, out: Float64Array, outAt: number): void {
  const p0 = points[at], p1 = points[at + 1], p2 = points[at + 2];
  for (let x = from * 3, o = outAt, end = outAt + to - from; o < end; o++, x += 3) {
    const e0 = data[x] - p0, e1 = data[x + 1] - p1, e2 = data[x + 2] - p2;
    out[o] = e0 * e0 + e1 * e1 + e2 * e2;
  }
}

function distancesToWidth4(data: Float64Array, _d: number, points: Float64Array, at: number, from: number, to: number, out: Float64Array, outAt: number): void {
  const p0 = points[at], p1 = points[at + 1], p2 = points[at + 2], p3 = points[at + 3];
  for (let x = from * 4, o = outAt, end = outAt + to - from; o < end; o++, x += 4) {
    const e0 = data[x] - p0, e1 = data[x + 1] - p1, e2 = data[x + 2] - p2, e3 = data[x + 3] - p3;
    out[o] = e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3;
  }
}

function distancesToWidth5(data: Float64Array, _d: number, points: Float64Array, at: number, from: number, to: number, out: Float64Array, outAt: number): void {
  const p0 = points[at], p1 = points[at + 1], p2 = points[at + 2], p3 = points[at + 3], p4 = points[at + 4];
  for (let x = from * 5, o = outAt, end = outAt + to - from; o < end; o++, x += 5) {
    const e0 = data[x] - p0, e1 = data[x + 1] - p1, e2 = data[x + 2] - p2, e3 = data[x + 3] - p3, e4 = data[x + 4] - p4;
    out[o] = e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3 + e4 * e4;
  }
}

function distancesToWidth6(data: Float64Array, _d: number, points: Float64Array, at: number, from: number, to: number, out: Float64Array, outAt: number): void {
  const p0 = points[at], p1 = points[at + 1], p2 = points[at + 2], p3 = points[at + 3], p4 = points[at + 4], p5 = points[at + 5];
  for (let x = from * 6, o = outAt, end = outAt + to - from; o < end; o++, x += 6) {
    const e0 = data[x] - p0, e1 = data[x + 1] - p1, e2 = data[x + 2] - p2, e3 = data[x + 3] - p3, e4 = data[x + 4] - p4, e5 = data[x + 5] - p5;
    out[o] = e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3 + e4 * e4 + e5 * e5;
  }
}

function distancesToWidth7(data: Float64Array, _d: number, points: Float64Array, at: number, from: number, to: number, out: Float64Array, outAt: number): void {
  const p0 = points[at], p1 = points[at + 1], p2 = points[at + 2], p3 = points[at + 3], p4 = points[at + 4], p5 = points[at + 5], p6 = points[at + 6];
  for (let x = from * 7, o = outAt, end = outAt + to - from; o < end; o++, x += 7) {
    const e0 = data[x] - p0, e1 = data[x + 1] - p1, e2 = data[x + 2] - p2, e3 = data[x + 3] - p3, e4 = data[x + 4] - p4, e5 = data[x + 5] - p5, e6 = data[x + 6] - p6;
    out[o] = e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3 + e4 * e4 + e5 * e5 + e6 * e6;
  }
}

function distancesToWidth8(data: Float64Array, _d: number, points: Float64Array, at: number, from: number, to: number, out: Float64Array, outAt: number): void {
  const p0 = points[at], p1 = points[at + 1], p2 = points[at + 2], p3 = points[at + 3], p4 = points[at + 4], p5 = points[at + 5], p6 = points[at + 6], p7 = points[at + 7];
  for (let x = from * 8, o = outAt, end = outAt + to - from; o < end; o++, x += 8) {
    const e0 = data[x] - p0, e1 = data[x + 1] - p1, e2 = data[x + 2] - p2, e3 = data[x + 3] - p3, e4 = data[x + 4] - p4, e5 = data[x + 5] - p5, e6 = data[x + 6] - p6, e7 = data[x + 7] - p7;
    out[o] = e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3 + e4 * e4 + e5 * e5 + e6 * e6 + e7 * e7;
  }
}

function listedDistancesWidth1(data: Float64Array, _d: number, rows: Int32Array, count: number, points: Float64Array, pointAt: Int32Array, out: Float64Array, outAt: number): void {
  for (let r = 0; r < count; r++) {
    const x = rows[r], p = pointAt[r];
    const e0 = data[x] - points[p];
    out[outAt + r] = e0 * e0;
  }
}

function listedDistancesWidth2(data: Float64Array, _d: number, rows: Int32Array, count: number, points: Float64Array, pointAt: Int32Array, out: Float64Array, outAt: number): void {
  for (let r = 0; r < count; r++) {
    const x = rows[r] * 2, p = pointAt[r];
    const e0 = data[x] - points[p], e1 = data[x + 1] - points[p + 1];
    out[outAt + r] = e0 * e0 + e1 * e1;
  }
}

function listedDistancesWidth3(data: Float64Array, _d: number, rows: Int32Array, count: number, points: Float64Array, pointAt: Int32Array, out: Float64Array, outAt: number): void {
  for (let r = 0; r < count; r++) {
    const x = rows[r] * 3, p = pointAt[r];
    const e0 = data[x] - points[p], e1 = data[x + 1] - points[p + 1], e2 = data[x + 2] - points[p + 2];
    out[outAt + r] = e0 * e0 + e1 * e1 + e2 * e2;
  }
}

function listedDistancesWidth4(data: Float64Array, _d: number, rows: Int32Array, count: number, points: Float64Array, pointAt: Int32Array, out: Float64Array, outAt: number): void {
  for (let r = 0; r < count; r++) {
    const x = rows[r] * 4, p = pointAt[r];
    const e0 = data[x] - points[p], e1 = data[x + 1] - points[p + 1], e2 = data[x + 2] - points[p + 2], e3 = data[x + 3] - points[p + 3];
    out[outAt + r] = e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3;
  }
}

function listedDistancesWidth5(data: Float64Array, _d: number, rows: Int32Array, count: number, points: Float64Array, pointAt: Int32Array, out: Float64Array, outAt: number): void {
  for (let r = 0; r < count; r++) {
    const x = rows[r] * 5, p = pointAt[r];
    const e0 = data[x] - points[p], e1 = data[x + 1] - points[p + 1], e2 = data[x + 2] - points[p + 2], e3 = data[x + 3] - points[p + 3], e4 = data[x + 4] - points[p + 4];
    out[outAt + r] = e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3 + e4 * e4;
  }
}

function listedDistancesWidth6(data: Float64Array, _d: number, rows: Int32Array, count: number, points: Float64Array, pointAt: Int32Array, out: Float64Array, outAt: number): void {
  for (let r = 0; r < count; r++) {
    const x = rows[r] * 6, p = pointAt[r];
    const e0 = data[x] - points[p], e1 = data[x + 1] - points[p + 1], e2 = data[x + 2] - points[p + 2], e3 = data[x + 3] - points[p + 3], e4 = data[x + 4] - points[p + 4], e5 = data[x + 5] - points[p + 5];
    out[outAt + r] = e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3 + e4 * e4 + e5 * e5;
  }
}

function listedDistancesWidth7(data: Float64Array, _d: number, rows: Int32Array, count: number, points: Float64Array, pointAt: Int32Array, out: Float64Array, outAt: number): void {
  for (let r = 0; r < count; r++) {
    const x = rows[r] * 7, p = pointAt[r];
    const e0 = data[x] - points[p], e1 = data[x + 1] - points[p + 1], e2 = data[x + 2] - points[p + 2], e3 = data[x + 3] - points[p + 3], e4 = data[x + 4] - points[p + 4], e5 = data[x + 5] - points[p + 5], e6 = data[x + 6] - points[p + 6];
    out[outAt + r] = e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3 + e4 * e4 + e5 * e5 + e6 * e6;
  }
}

function listedDistancesWidth8(data: Float64Array, _d: number, rows: Int32Array, count: number, points: Float64Array, pointAt: Int32Array, out: Float64Array, outAt: number): void {
  for (let r = 0; r < count; r++) {
    const x = rows[r] * 8, p = pointAt[r];
    const e0 = data[x] - points[p], e1 = data[x + 1] - points[p + 1], e2 = data[x + 2] - points[p + 2], e3 = data[x + 3] - points[p + 3], e4 = data[x + 4] - points[p + 4], e5 = data[x + 5] - points[p + 5], e6 = data[x + 6] - points[p + 6], e7 = data[x + 7] - points[p + 7];
    out[outAt + r] = e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3 + e4 * e4 + e5 * e5 + e6 * e6 + e7 * e7;
  }
}

function addRowsAnyWidth(data: Float64Array, d: number, labels: Int32Array, from: number, to: number, sums: Float64Array, counts: Float64Array): void {
  for (let i = from, x = from * d; i < to; i++, x += d) {
    const label = labels[i];
    counts[label]++;
    for (let f = 0; f < d; f++) sums[label * d + f] += data[x + f];
  }
}

function addRowsWidth1(data: Float64Array, _d: number, labels: Int32Array, from: number, to: number, sums: Float64Array, counts: Float64Array): void {
  for (let i = from, x = from * 1; i < to; i++, x += 1) {
    const label = labels[i];
    const at = label * 1;
    counts[label]++;
    sums[at] += data[x];
  }
}

function addRowsWidth2(data: Float64Array, _d: number, labels: Int32Array, from: number, to: number, sums: Float64Array, counts: Float64Array): void {
  for (let i = from, x = from * 2; i < to; i++, x += 2) {
    const label = labels[i];
    const at = label * 2;
    counts[label]++;
    sums[at] += data[x];
    sums[at + 1] += data[x + 1];
  }
}

function addRowsWidth3(data: Float64Array, _d: number, labels: Int32Array, from: number, to: number, sums: Float64Array, counts: Float64Array): void {
  for (let i = from, x = from * 3; i < to; i++, x += 3) {
    const label = labels[i];
    const at = label * 3;
    counts[label]++;
    sums[at] += data[x];
    sums[at + 1] += data[x + 1];
    sums[at + 2] += data[x + 2];
  }
}

function addRowsWidth4(data: Float64Array, _d: number, labels: Int32Array, from: number, to: number, sums: Float64Array, counts: Float64Array): void {
  for (let i = from, x = from * 4; i < to; i++, x += 4) {
    const label = labels[i];
    const at = label * 4;
    counts[label]++;
    sums[at] += data[x];
    sums[at + 1] += data[x + 1];
    sums[at + 2] += data[x + 2];
    sums[at + 3] += data[x + 3];
  }
}

function addRowsWidth5(data: Float64Array, _d: number, labels: Int32Array, from: number, to: number, sums: Float64Array, counts: Float64Array): void {
  for (let i = from, x = from * 5; i < to; i++, x += 5) {
    const label = labels[i];
    const at = label * 5;
    counts[label]++;
    sums[at] += data[x];
    sums[at + 1] += data[x + 1];
    sums[at + 2] += data[x + 2];
    sums[at + 3] += data[x + 3];
    sums[at + 4] += data[x + 4];
  }
}

function addRowsWidth6(data: Float64Array, _d: number, labels: Int32Array, from: number, to: number, sums: Float64Array, counts: Float64Array): void {
  for (let i = from, x = from * 6; i < to; i++, x += 6) {
    const label = labels[i];
    const at = label * 6;
    counts[label]++;
    sums[at] += data[x];
    sums[at + 1] += data[x + 1];
    sums[at + 2] += data[x + 2];
    sums[at + 3] += data[x + 3];
    sums[at + 4] += data[x + 4];
    sums[at + 5] += data[x + 5];
  }
}

function addRowsWidth7(data: Float64Array, _d: number, labels: Int32Array, from: number, to: number, sums: Float64Array, counts: Float64Array): void {
  for (let i = from, x = from * 7; i < to; i++, x += 7) {
    const label = labels[i];
    const at = label * 7;
    counts[label]++;
    sums[at] += data[x];
    sums[at + 1] += data[x + 1];
    sums[at + 2] += data[x + 2];
    sums[at + 3] += data[x + 3];
    sums[at + 4] += data[x + 4];
    sums[at + 5] += data[x + 5];
    sums[at + 6] += data[x + 6];
  }
}

function addRowsWidth8(data: Float64Array, _d: number, labels: Int32Array, from: number, to: number, sums: Float64Array, counts: Float64Array): void {
  for (let i = from, x = from * 8; i < to; i++, x += 8) {
    const label = labels[i];
    const at = label * 8;
    counts[label]++;
    sums[at] += data[x];
    sums[at + 1] += data[x + 1];
    sums[at + 2] += data[x + 2];
    sums[at + 3] += data[x + 3];
    sums[at + 4] += data[x + 4];
    sums[at + 5] += data[x + 5];
    sums[at + 6] += data[x + 6];
    sums[at + 7] += data[x + 7];
  }
}

/** The written-out kernels by width (index 0 unused). */
const DISTANCES_TO: readonly (DistancesTo | undefined)[] = [undefined, distancesToWidth1, distancesToWidth2, distancesToWidth3, distancesToWidth4, distancesToWidth5, distancesToWidth6, distancesToWidth7, distancesToWidth8];
/**
 * Rows from … to − 1 of `data` added to the sums (k × d) of their clusters (`labels`) and counted,
 * row by row with the columns written out: a third of the time of a pass column by column (whose
 * stores to a few addresses stall the loads behind them) or of a loop over the columns of each row.
 */
const ADD_ROWS: readonly (AddRows | undefined)[] = [undefined, addRowsWidth1, addRowsWidth2, addRowsWidth3, addRowsWidth4, addRowsWidth5, addRowsWidth6, addRowsWidth7, addRowsWidth8];
const LISTED_DISTANCES: readonly (ListedDistances | undefined)[] = [undefined, listedDistancesWidth1, listedDistancesWidth2, listedDistancesWidth3, listedDistancesWidth4, listedDistancesWidth5, listedDistancesWidth6, listedDistancesWidth7, listedDistancesWidth8];

/**
 * The nearest centroid to row r of a block, from its squared distances to the k centroids
 * (`distances[j · BLOCK + r]`), the first of equals; writes its squared distance and the second
 * nearest's (Infinity when k = 1) to `pair`.
 */
function nearestTwoInBlock(distances: Float64Array, r: number, k: number, pair: Float64Array): number {
  let nearest = 0;
  let nearestDistance = distances[r];
  let secondDistance = Infinity;
  for (let j = 1, at = r + BLOCK; j < k; j++, at += BLOCK) {
    const distance = distances[at];
    // Without a branch (see CHOICE): a nearer centroid takes the lead and the old lead is second; else it may become second.
    const nearer = Number(distance < nearestDistance);
    secondDistance = choose(lesser(secondDistance, distance), nearestDistance, nearer);
    nearestDistance = choose(nearestDistance, distance, nearer);
    nearest += nearer * (j - nearest);
  }
  pair[0] = nearestDistance;
  pair[1] = secondDistance;
  return nearest;
}

/**
 * Two slots for choosing between two numbers without a branch. V8 compiles `a < b ? a : b`, and
 * Math.min, to jumps, which on distances in random row order are mispredicted on up to half the
 * rows; storing both and loading the one the comparison (0 or 1) indexes costs a few cycles and
 * never misses. Module-level: JavaScript runs one call at a time, and no caller awaits between.
 */
const CHOICE = new Float64Array(2);

/** a when pickB is 0, b when it is 1, without a branch (see CHOICE). */
function choose(a: number, b: number, pickB: number): number {
  CHOICE[0] = a;
  CHOICE[1] = b;
  return CHOICE[pickB];
}

/** The lesser of a and b (either when equal), without a branch. */
function lesser(a: number, b: number): number {
  return choose(a, b, Number(b < a));
}

/** Squared Euclidean distance between the rows starting at aBase in a and bBase in b, each d long, the terms summed in column order. */
function squaredDistanceToRow(a: Float64Array, aBase: number, b: Float64Array, bBase: number, d: number): number {
  let total = 0;
  for (let f = 0; f < d; f++) {
    const difference = a[aBase + f] - b[bBase + f];
    total += difference * difference;
  }
  return total;
}


/**
 * Mean over the columns of their population variance, the scale of scikit-learn's tolerance, in one
 * pass (sums about the first row, which keeps the subtraction well conditioned). Returns NaN when
 * the matrix holds a value that is not finite (it spreads into the sums).
 */
function meanColumnVariance(X: FeatureMatrix): number {
  const { rows: n, columns: d, data } = X;
  if (n === 0 || d === 0) return 0;
  const sums = new Float64Array(d);
  const squares = new Float64Array(d);
  // Column by column within blocks of rows, the sums in locals: the same additions in the same order as row by row, without a short loop per row.
  for (let from = 0; from < n; from += BLOCK) {
    const end = Math.min(n, from + BLOCK) * d;
    for (let f = 0; f < d; f++) {
      const origin = data[f];
      let sum = sums[f];
      let square = squares[f];
      for (let x = from * d + f; x < end; x += d) {
        const deviation = data[x] - origin;
        sum += deviation;
        square += deviation * deviation;
      }
      sums[f] = sum;
      squares[f] = square;
    }
  }
  let total = 0;
  for (let f = 0; f < d; f++) total += Math.max(0, squares[f] - (sums[f] * sums[f]) / n) / n;
  return total / d;
}

/** scikit-learn's `_tolerance`: the relative tolerance times the mean column variance. */
function scaledTolerance(variance: number, relative = DEFAULT_TOLERANCE): number {
  if (!(relative >= 0)) throw new RangeError(`tolerance must be 0 or more; it is ${relative}.`);
  return relative * variance;
}

function checkIterations(maxIterations = DEFAULT_MAX_ITERATIONS): number {
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new RangeError(`maxIterations must be a positive integer; it is ${maxIterations}.`);
  return maxIterations;
}

/**
 * The checks every entry point makes: k an integer in 1 … rows, the data as long as its shape says
 * and finite. Returns the mean column variance, which the finiteness check computes on the way.
 */
function checkInput(X: FeatureMatrix, k: number): number {
  if (X.data.length !== X.rows * X.columns) throw new RangeError(`The matrix says ${X.rows} × ${X.columns} but holds ${X.data.length} values.`);
  if (!Number.isInteger(k) || k < 1 || k > X.rows) throw new RangeError(`k must be an integer from 1 to the number of rows (${X.rows}); it is ${k}.`);
  const variance = meanColumnVariance(X);
  if (Number.isFinite(variance)) return variance;
  const at = X.data.findIndex((value) => !Number.isFinite(value));
  if (at >= 0) {
    throw new RangeError(`Row ${Math.floor(at / X.columns) + 1}, column ${(at % X.columns) + 1} is ${X.data[at]}: k-means needs finite values (impute missing values first).`);
  }
  throw new RangeError('The values are too large for their squares to be summed; standardise the features first.');
}
