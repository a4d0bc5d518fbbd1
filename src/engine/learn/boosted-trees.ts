/**
 * Gradient-boosted decision trees for a binary label under log-loss (Friedman 2001), histogram
 * based as LightGBM (Ke et al. 2017) and scikit-learn's HistGradientBoostingClassifier: every
 * feature is cut once into at most 255 quantile bins, so finding a split scans a node's histogram
 * of bins instead of its sorted values, and the larger child's histogram is the parent's minus the
 * smaller child's. Trees grow best-first (the leaf with the largest gain splits next) up to a
 * number of leaves; leaf values are Newton steps −G/(H + λ) shrunk by the learning rate (Chen &
 * Guestrin 2016). Early stopping watches the log-loss on a stratified validation split.
 * Deterministic: the only randomness is the seeded validation split.
 */
import { stratifiedHoldout } from './evaluation';
import type { FeatureMatrix } from './matrix';
import { firstAtOrAbove } from '../stats';
import { sigmoid } from './logistic';

export interface BoostingOptions {
  /** Shrinkage of every leaf value (default 0.1). */
  learningRate?: number;
  /** Most boosting rounds, one tree each (default 200). */
  maxIterations?: number;
  /** Most leaves per tree (default 31, as LightGBM and scikit-learn). */
  maxLeaves?: number;
  /** Most splits from root to leaf (default: no limit beyond maxLeaves). */
  maxDepth?: number;
  /** Fewest training rows in a leaf (default 20). */
  minSamplesLeaf?: number;
  /** L2 penalty λ on leaf values (default 1). */
  l2?: number;
  /** Most bins per feature, 2–255 (default 255). */
  maxBins?: number;
  /** Share of the labelled rows held out for early stopping (default 0.1); 0 turns it off. */
  validationShare?: number;
  /** Stop after this many rounds without a validation loss better by `tolerance` (default 10). */
  patience?: number;
  /** Default 1e-7, as scikit-learn's tol. */
  tolerance?: number;
  /** Seed of the validation split (default 0). */
  seed?: number;
}

/** One tree as parallel arrays over its nodes; node 0 is the root. */
export interface Tree {
  /** Split feature of an internal node; -1 at a leaf. */
  feature: Int32Array;
  /** Rows with value ≤ threshold go left. */
  threshold: Float64Array;
  /** The same split as a bin: bin ≤ thresholdBin goes left (used while training). */
  thresholdBin: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Log-odds added by the node if it were a leaf, −rate·G/(H + λ); a leaf's is its output. */
  value: Float64Array;
}

export interface BoostedTrees {
  /** Log-odds of the training base rate, where every prediction starts. */
  baseScore: number;
  trees: Tree[];
  columns: number;
  /** Rounds run before early stopping, and the validation log-loss per round (empty without). */
  iterationsRun: number;
  validationLoss: number[];
}

interface Settings {
  learningRate: number;
  maxIterations: number;
  maxLeaves: number;
  maxDepth: number;
  minSamplesLeaf: number;
  l2: number;
  maxBins: number;
  validationShare: number;
  patience: number;
  tolerance: number;
  seed: number;
}

function settingsOf(options: BoostingOptions): Settings {
  const settings: Settings = {
    learningRate: options.learningRate ?? 0.1,
    maxIterations: options.maxIterations ?? 200,
    maxLeaves: options.maxLeaves ?? 31,
    maxDepth: options.maxDepth ?? Infinity,
    minSamplesLeaf: options.minSamplesLeaf ?? 20,
    l2: options.l2 ?? 1,
    maxBins: options.maxBins ?? 255,
    validationShare: options.validationShare ?? 0.1,
    patience: options.patience ?? 10,
    tolerance: options.tolerance ?? 1e-7,
    seed: options.seed ?? 0,
  };
  if (!(settings.learningRate > 0)) throw new Error(`learning rate must be positive, not ${settings.learningRate}`);
  if (!(settings.maxLeaves >= 2)) throw new Error(`a tree needs at least 2 leaves, not ${settings.maxLeaves}`);
  if (!(settings.maxBins >= 2 && settings.maxBins <= 255)) throw new Error(`bins must be 2–255, not ${settings.maxBins}`);
  if (!(settings.l2 >= 0)) throw new Error(`the L2 penalty must be ≥ 0, not ${settings.l2}`);
  return settings;
}

/**
 * The rows binned. bins[i·columns + j] is row i's bin of feature j numbered across all features,
 * binStart[j] + its bin within feature j (value ≤ edges[j][b] ⇔ bin within ≤ b), so it is the
 * row's slot in a histogram as it is: histogram building, the hot loop, needs no per-feature offset.
 * Uint16 while the features have at most 65,536 bins in all, Uint32 past that.
 */
interface Binned {
  bins: Uint16Array | Uint32Array;
  rows: number;
  columns: number;
  /** binStarts(binCounts): where each feature's bins start; the last entry, how many bins in all. */
  binStart: Int32Array;
}

/** Most rows used to place the bin edges, as scikit-learn (2·10⁵); a stride sample above it. */
const EDGE_SAMPLE = 200_000;

/**
 * Upper edges of each feature's bins. With no more distinct values than bins, the midpoints
 * between consecutive distinct values; otherwise quantiles at equal steps of the (sampled)
 * values, midpoints between neighbours, duplicates removed (scikit-learn's _find_binning_thresholds).
 */
export function binEdges(X: FeatureMatrix, rows: ArrayLike<number>, maxBins: number): Float64Array[] {
  const step = Math.max(1, Math.ceil(rows.length / EDGE_SAMPLE));
  const sampled = Math.ceil(rows.length / step);
  const values = new Float64Array(sampled);
  return Array.from({ length: X.columns }, (_, j) => {
    for (let s = 0; s < sampled; s++) values[s] = X.data[rows[s * step] * X.columns + j];
    const few = fewDistinct(values, Math.min(FEW_VALUES, maxBins));
    if (few) return Float64Array.from(few.subarray(1), (value, k) => (few[k] + value) / 2);
    const sorted = values.slice().sort();
    const distinct: number[] = [];
    for (let s = 0; s < sorted.length; s++) if (s === 0 || sorted[s] !== sorted[s - 1]) distinct.push(sorted[s]);
    if (distinct.length <= maxBins) return Float64Array.from(distinct.slice(1), (value, k) => (distinct[k] + value) / 2);
    const edges: number[] = [];
    for (let b = 1; b < maxBins; b++) {
      const position = (b / maxBins) * (sorted.length - 1);
      const below = Math.floor(position);
      const edge = (sorted[below] + sorted[Math.min(below + 1, sorted.length - 1)]) / 2;
      if (edges.length === 0 || edge > edges[edges.length - 1]) edges.push(edge);
    }
    return Float64Array.from(edges);
  });
}

/** Up to this many distinct values, a column's are found by a scan, not a sort. */
const FEW_VALUES = 16;

/**
 * The distinct values, ascending, if there are at most `limit`; else null (as soon as one more
 * turns up, which for a continuous column is within its first rows). Yes/no and one-hot columns,
 * most of a churn table, then need no sort of all their values to find their two.
 */
function fewDistinct(values: Float64Array, limit: number): Float64Array | null {
  const found = new Float64Array(limit);
  let count = 0;
  for (let s = 0; s < values.length; s++) {
    const value = values[s];
    let k = 0;
    while (k < count && found[k] !== value) k++;
    if (k < count) continue;
    if (count === limit) return null;
    found[count++] = value;
  }
  return found.subarray(0, count).sort();
}

/** Bin of a value: the number of edges below it, so value ≤ edges[b] ⇔ bin ≤ b. */
function binOf(edges: Float64Array, value: number): number {
  return firstAtOrAbove(edges, value);
}

function binRows(X: FeatureMatrix, rows: ArrayLike<number>, edges: Float64Array[], binStart: Int32Array): Binned {
  const { columns, data } = X;
  const bins = binStart[columns] <= 1 << 16 ? new Uint16Array(rows.length * columns) : new Uint32Array(rows.length * columns);
  for (let i = 0; i < rows.length; i++) {
    const offset = rows[i] * columns;
    for (let j = 0; j < columns; j++) bins[i * columns + j] = binStart[j] + binOf(edges[j], data[offset + j]);
  }
  return { bins, rows: rows.length, columns, binStart };
}

/**
 * A node's histogram: per (feature, bin) the sum of gradients, the sum of Hessians and the row
 * count, interleaved. Feature j's bins start at binStart[j] and only its binCounts[j] bins get a
 * slot: one-hot features have 2 bins, so 256 per feature would make Telco's histogram 17× longer
 * (11,520 bins, not 663), and clearing and subtracting it cost more than filling it.
 */
const SLOTS = 3;

/** Where each feature's bins start in a histogram (in bins; ×SLOTS for the array index), and the total as the last entry. */
function binStarts(binCounts: Int32Array): Int32Array {
  const starts = new Int32Array(binCounts.length + 1);
  for (let j = 0; j < binCounts.length; j++) starts[j + 1] = starts[j] + binCounts[j];
  return starts;
}

/** Histogram of the rows order[start, end), into `out`. */
function buildHistogram(binned: Binned, order: Uint32Array, start: number, end: number, gradient: Float64Array, hessian: Float64Array, out: Float64Array): void {
  const { bins, columns } = binned;
  out.fill(0);
  for (let k = start; k < end; k++) {
    const row = order[k];
    const g = gradient[row];
    const h = hessian[row];
    const last = (row + 1) * columns;
    for (let cell = row * columns; cell < last; cell++) {
      const at = bins[cell] * SLOTS;
      out[at] += g;
      out[at + 1] += h;
      out[at + 2] += 1;
    }
  }
}

interface Candidate {
  gain: number;
  feature: number;
  bin: number;
}

/** A leaf that may still split: its rows are order[start, end). */
interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  /** Sums of the gradients and Hessians of its rows. */
  G: number;
  H: number;
  /** Per (feature, bin) sums over its rows; null when it cannot split (nothing needs them) and once split (passed on). */
  histogram: Float64Array | null;
  split: Candidate | null;
}

const MIN_HESSIAN = 1e-3;

/**
 * The split of largest gain over every feature and bin boundary (bins ≤ b go left), keeping
 * minSamplesLeaf rows and a Hessian sum of MIN_HESSIAN on each side; null if none gains over 1e-12.
 * Gain = G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ), left sums accumulated over the bins in order.
 */
function bestSplit(histogram: Float64Array, binCounts: Int32Array, binStart: Int32Array, G: number, H: number, rows: number, settings: Settings): Candidate | null {
  const { l2, minSamplesLeaf } = settings;
  const parentScore = (G * G) / (H + l2);
  // The best so far as plain numbers: an object made at each improvement showed in profiles.
  let bestGain = 1e-12;
  let bestFeature = -1;
  let bestBin = 0;
  for (let j = 0; j < binCounts.length; j++) {
    let gLeft = 0;
    let hLeft = 0;
    let nLeft = 0;
    const lastBoundary = binCounts[j] - 1;
    for (let b = 0; b < lastBoundary; b++) {
      const at = (binStart[j] + b) * SLOTS;
      gLeft += histogram[at];
      hLeft += histogram[at + 1];
      nLeft += histogram[at + 2];
      if (nLeft < minSamplesLeaf || hLeft < MIN_HESSIAN) continue;
      if (rows - nLeft < minSamplesLeaf) break;
      const hRight = H - hLeft;
      if (hRight < MIN_HESSIAN) break;
      const gRight = G - gLeft;
      const gain = (gLeft * gLeft) / (hLeft + l2) + (gRight * gRight) / (hRight + l2) - parentScore;
      if (gain > bestGain) {
        bestGain = gain;
        bestFeature = j;
        bestBin = b;
      }
    }
  }
  return bestFeature < 0 ? null : { gain: bestGain, feature: bestFeature, bin: bestBin };
}

/** A growing tree's nodes, appended as they are made. */
class TreeBuilder {
  feature: number[] = [];
  threshold: number[] = [];
  thresholdBin: number[] = [];
  left: number[] = [];
  right: number[] = [];
  value: number[] = [];

  add(value: number): number {
    this.feature.push(-1);
    this.threshold.push(NaN);
    this.thresholdBin.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(value);
    return this.value.length - 1;
  }

  build(): Tree {
    return {
      feature: Int32Array.from(this.feature), threshold: Float64Array.from(this.threshold), thresholdBin: Uint8Array.from(this.thresholdBin),
      left: Int32Array.from(this.left), right: Int32Array.from(this.right), value: Float64Array.from(this.value),
    };
  }
}

function sums(gradient: Float64Array, hessian: Float64Array, order: Uint32Array, start: number, end: number): [number, number] {
  let G = 0;
  let H = 0;
  for (let k = start; k < end; k++) { G += gradient[order[k]]; H += hessian[order[k]]; }
  return [G, H];
}

/** Everything one tree's growth needs, shared across rounds so nothing row-sized is reallocated. */
interface Grower {
  binned: Binned;
  edges: Float64Array[];
  binCounts: Int32Array;
  order: Uint32Array;
  scratch: Uint32Array;
  settings: Settings;
  pool: Float64Array[];
}

/**
 * Grows one tree on the gradients and Hessians of the training rows, best-first, and adds its
 * leaf values to the training rows' raw scores. Returns null when the root cannot split.
 */
function growTree(grower: Grower, gradient: Float64Array, hessian: Float64Array, raw: Float64Array): Tree | null {
  const { binned, binCounts, order, settings, pool } = grower;
  const { binStart } = binned;
  const leafValue = (G: number, H: number) => (-settings.learningRate * G) / (H + settings.l2);
  const builder = new TreeBuilder();
  const [G0, H0] = sums(gradient, hessian, order, 0, order.length);
  const root: Leaf = { node: builder.add(leafValue(G0, H0)), start: 0, end: order.length, depth: 0, G: G0, H: H0, histogram: newHistogram(grower), split: null };
  buildHistogram(binned, order, 0, order.length, gradient, hessian, root.histogram!);
  root.split = bestSplit(root.histogram!, binCounts, binStart, G0, H0, order.length, settings);
  if (!root.split) { pool.push(root.histogram!); return null; }
  const open: Leaf[] = [root];
  const done: Leaf[] = [];
  while (open.length > 0 && open.length + done.length < settings.maxLeaves) {
    let pick = 0;
    for (let k = 1; k < open.length; k++) if (open[k].split!.gain > open[pick].split!.gain) pick = k;
    const leaf = open.splice(pick, 1)[0];
    // After the split that makes the last leaf, no leaf splits again.
    const last = open.length + done.length + 2 >= settings.maxLeaves;
    for (const child of splitLeaf(grower, builder, leaf, gradient, hessian, leafValue, last)) {
      child.split = child.histogram ? bestSplit(child.histogram, binCounts, binStart, child.G, child.H, child.end - child.start, settings) : null;
      (child.split ? open : done).push(child);
    }
  }
  for (const leaf of [...open, ...done]) {
    const value = builder.value[leaf.node];
    for (let k = leaf.start; k < leaf.end; k++) raw[order[k]] += value;
    if (leaf.histogram) pool.push(leaf.histogram);
  }
  return builder.build();
}

function newHistogram(grower: Grower): Float64Array {
  return grower.pool.pop() ?? new Float64Array(grower.binned.binStart[grower.binCounts.length] * SLOTS);
}

/**
 * Whether a new leaf of `rows` rows at `depth` may still split (then it needs a histogram): both
 * sides of a split keep minSamplesLeaf rows, and no split goes below maxDepth.
 */
function maySplit(settings: Settings, rows: number, depth: number): boolean {
  return depth < settings.maxDepth && rows >= 2 * settings.minSamplesLeaf;
}

/**
 * Partitions order[start, end) stably: rows whose `feature` bin is ≤ `bin` first, each side in
 * its old order. Returns where the right side starts.
 */
function partitionRows(binned: Binned, order: Uint32Array, scratch: Uint32Array, start: number, end: number, feature: number, bin: number): number {
  const { bins, columns, binStart } = binned;
  const lastLeft = binStart[feature] + bin;
  let write = start;
  let spill = 0;
  for (let k = start; k < end; k++) {
    const row = order[k];
    if (bins[row * columns + feature] <= lastLeft) order[write++] = row;
    else scratch[spill++] = row;
  }
  order.set(scratch.subarray(0, spill), write);
  return write;
}

/**
 * Splits a leaf: partitions its rows, then gives a histogram to each child that may split again
 * (and none after the tree's last split, `last`): the smaller child's is built from its rows,
 * the larger one's is the parent's minus the smaller's. A histogram nobody needs is not built.
 */
function splitLeaf(grower: Grower, builder: TreeBuilder, leaf: Leaf, gradient: Float64Array, hessian: Float64Array, leafValue: (G: number, H: number) => number, last: boolean): [Leaf, Leaf] {
  const { binned, order, scratch, edges, settings, pool } = grower;
  const { feature, bin } = leaf.split!;
  const write = partitionRows(binned, order, scratch, leaf.start, leaf.end, feature, bin);
  const [GL, HL] = sums(gradient, hessian, order, leaf.start, write);
  const [GR, HR] = sums(gradient, hessian, order, write, leaf.end);
  const depth = leaf.depth + 1;
  const left: Leaf = { node: builder.add(leafValue(GL, HL)), start: leaf.start, end: write, depth, G: GL, H: HL, histogram: null, split: null };
  const right: Leaf = { node: builder.add(leafValue(GR, HR)), start: write, end: leaf.end, depth, G: GR, H: HR, histogram: null, split: null };
  builder.feature[leaf.node] = feature;
  builder.thresholdBin[leaf.node] = bin;
  builder.threshold[leaf.node] = edges[feature][bin];
  builder.left[leaf.node] = left.node;
  builder.right[leaf.node] = right.node;
  const parent = leaf.histogram!;
  leaf.histogram = null;
  const [small, large] = write - leaf.start <= leaf.end - write ? [left, right] : [right, left];
  const smallNeeds = !last && maySplit(settings, small.end - small.start, depth);
  const largeNeeds = !last && maySplit(settings, large.end - large.start, depth);
  if (smallNeeds || largeNeeds) {
    const histogram = newHistogram(grower);
    buildHistogram(binned, order, small.start, small.end, gradient, hessian, histogram);
    if (largeNeeds) {
      for (let k = 0; k < parent.length; k++) parent[k] -= histogram[k];
      large.histogram = parent;
    } else pool.push(parent);
    if (smallNeeds) small.histogram = histogram;
    else pool.push(histogram);
  } else pool.push(parent);
  return [left, right];
}

/** Mean log-loss of raw scores (log-odds) against 1/0 labels. */
function logLoss(raw: Float64Array, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < raw.length; i++) {
    const z = raw[i];
    const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    sum += softplus - labels[i] * z;
  }
  return sum / raw.length;
}

function leafOfBinned(tree: Tree, binned: Binned, row: number): number {
  const { bins, columns, binStart } = binned;
  let node = 0;
  for (let feature = tree.feature[0]; feature >= 0; feature = tree.feature[node]) {
    node = bins[row * columns + feature] <= binStart[feature] + tree.thresholdBin[node] ? tree.left[node] : tree.right[node];
  }
  return node;
}

/**
 * Fits the model. X: rows × columns, finite; labels: 1/0 per row, both classes present (and,
 * with early stopping, enough of each for a stratified validation split). Throws on a length
 * mismatch, a label that is not 1/0, or a single class.
 */
export function fitBoostedTrees(X: FeatureMatrix, labels: ArrayLike<number>, options: BoostingOptions = {}): BoostedTrees {
  const settings = settingsOf(options);
  if (labels.length !== X.rows) throw new Error(`${labels.length} labels for ${X.rows} rows`);
  const all = Uint32Array.from({ length: X.rows }, (_, i) => i);
  const split = settings.validationShare > 0 ? stratifiedHoldout(labels, settings.validationShare, settings.seed) : { train: all, test: new Uint32Array(0) };
  const trainLabels = Float64Array.from(split.train, (row) => labels[row]);
  const validationLabels = Float64Array.from(split.test, (row) => labels[row]);
  const positives = trainLabels.reduce((sum, label) => sum + label, 0);
  if (trainLabels.some((label) => label !== 0 && label !== 1)) throw new Error('labels must be 1 or 0');
  if (positives === 0 || positives === trainLabels.length) throw new Error('boosted trees need both classes among the training rows');
  const baseScore = Math.log(positives / (trainLabels.length - positives));
  const edges = binEdges(X, split.train, settings.maxBins);
  const binCounts = Int32Array.from(edges, (edge) => edge.length + 1);
  const binStart = binStarts(binCounts);
  const binned = binRows(X, split.train, edges, binStart);
  const validation = binRows(X, split.test, edges, binStart);
  const n = split.train.length;
  const grower: Grower = {
    binned, edges, binCounts, order: new Uint32Array(n), scratch: new Uint32Array(n), settings, pool: [],
  };
  const raw = new Float64Array(n).fill(baseScore);
  const validationRaw = new Float64Array(split.test.length).fill(baseScore);
  const gradient = new Float64Array(n);
  const hessian = new Float64Array(n);
  const trees: Tree[] = [];
  const validationLoss: number[] = [];
  let bestRound = 0;
  for (let round = 0; round < settings.maxIterations; round++) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(raw[i]);
      gradient[i] = p - trainLabels[i];
      hessian[i] = Math.max(p * (1 - p), 1e-16);
    }
    for (let i = 0; i < n; i++) grower.order[i] = i;
    const tree = growTree(grower, gradient, hessian, raw);
    if (!tree) break;
    trees.push(tree);
    if (split.test.length === 0) continue;
    for (let i = 0; i < validation.rows; i++) validationRaw[i] += tree.value[leafOfBinned(tree, validation, i)];
    validationLoss.push(logLoss(validationRaw, validationLabels));
    if (validationLoss[round] < validationLoss[bestRound] - settings.tolerance) bestRound = round;
    if (round - bestRound >= settings.patience) break;
  }
  const iterationsRun = trees.length;
  // Rounds after the best validation loss only fitted noise: they are dropped.
  if (split.test.length > 0) trees.length = Math.min(trees.length, bestRound + 1);
  return { baseScore, trees, columns: X.columns, iterationsRun, validationLoss };
}

function leafOf(tree: Tree, data: Float64Array, offset: number): number {
  let node = 0;
  while (tree.feature[node] >= 0) node = data[offset + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return node;
}

function checkColumns(model: BoostedTrees, X: FeatureMatrix): void {
  if (X.columns !== model.columns) throw new Error(`the model has ${model.columns} features, the matrix ${X.columns} columns`);
}

/** Log-odds of the label 1 for every row of X (same columns as the fit). */
export function rawBoostedTrees(model: BoostedTrees, X: FeatureMatrix): Float64Array {
  checkColumns(model, X);
  const raw = new Float64Array(X.rows).fill(model.baseScore);
  for (const tree of model.trees) for (let i = 0; i < X.rows; i++) raw[i] += tree.value[leafOf(tree, X.data, i * X.columns)];
  return raw;
}

/** Probability of the label 1 for every row of X. */
export function predictBoostedTrees(model: BoostedTrees, X: FeatureMatrix): Float64Array {
  return rawBoostedTrees(model, X).map(sigmoid);
}

/**
 * Per-row contributions in log-odds, rows × columns row-major, by Saabas's path attribution
 * (Saabas 2014, "treeinterpreter"; discussed in Lundberg, Erion & Lee 2018): along each tree's
 * path of a row, the change in node value at every split is credited to the split's feature.
 * A row's contributions sum to its log-odds minus the bias, baseScore + Σ root values. Not
 * TreeSHAP: it is exact in sum and fast (one path per tree), but can over-credit features split
 * near the root; used here to rank a row's risk-raising features.
 */
export function boostedTreesContributions(model: BoostedTrees, X: FeatureMatrix): Float64Array {
  checkColumns(model, X);
  const { rows, columns, data } = X;
  const out = new Float64Array(rows * columns);
  for (const tree of model.trees) {
    for (let i = 0; i < rows; i++) {
      const offset = i * columns;
      let node = 0;
      while (tree.feature[node] >= 0) {
        const feature = tree.feature[node];
        const child = data[offset + feature] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
        out[offset + feature] += tree.value[child] - tree.value[node];
        node = child;
      }
    }
  }
  return out;
}

/** The log-odds every row's contributions start from: baseScore + the trees' root values. */
export function boostedTreesBias(model: BoostedTrees): number {
  return model.trees.reduce((sum, tree) => sum + tree.value[0], model.baseScore);
}
