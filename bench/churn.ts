/**
 * `npm run bench -- --only churn`: the churn learners against scikit-learn (bench/peer_churn.py)
 * on IBM Telco and MLC churn, the same encoded, standardised matrices on both sides (written to a
 * temporary CSV from here) and the same 25 % stratified holdout (seed 1), fit time and AUC on the
 * held-out rows, side by side as ratios. scikit-learn runs on one thread (OMP_NUM_THREADS=1, like
 * for like with single-threaded JavaScript) and with its default threads.
 *
 * Like with like for logistic regression: one fit on each side at the C SegmentKit's
 * cross-validation chose (fitChurn on the whole table), each stopping at the same distance from the
 * optimum: scikit-learn's lbfgs with its default tol, then SegmentKit with its tolerance set to
 * the largest scaled gradient component scikit-learn stopped at (both are printed). Boosted trees:
 * the same settings on both sides.
 * Times: two rounds alternating SegmentKit and scikit-learn (the machine's load comes and goes),
 * each round 5 fits of boosted trees and 40 of logistic regression; best and median wall time, and
 * the best CPU time of a fit.
 * Also part of `npm run bench` (bench/run.ts). Skipped, and said so, without ../shared/data.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fitBoostedTrees, predictBoostedTrees } from '../src/engine/learn/boosted-trees';
import { fitChurn } from '../src/engine/learn/churn-fit';
import { auc, stratifiedHoldout } from '../src/engine/learn/evaluation';
import { fitLogistic, predictLogistic, type LogisticModel } from '../src/engine/learn/logistic';
import { selectRows, type FeatureMatrix } from '../src/engine/learn/matrix';
import { MLC, mlcChurn, TELCO, telcoChurn, type ChurnData } from '../test/support/churn-data';

const PYTHON = '/usr/bin/python3';
const PEER = path.join(__dirname, 'peer_churn.py');
const TREE_RUNS = 5;
const LOGISTIC_RUNS = 40;
const ROUNDS = 2;
const SEED = 1;

/** One learner's fits: best and median wall seconds, best CPU seconds, holdout AUC, rounds or steps, and (logistic) the scaled gradient it stopped at and the objective there. */
interface Side {
  seconds: number; median: number; cpu: number; auc: number; iterations: number; gradient?: number; objective?: number;
  /** scikit-learn's logistic side only: the same model solved to the optimum (untimed), its holdout AUC and objective. */
  auc_at_optimum?: number; objective_at_optimum?: number;
}
type Result = { logistic: Side; trees: Side };

function timedFits<T>(runs: number, work: () => T): { seconds: number; median: number; cpu: number; result: T } {
  const walls: number[] = [];
  let cpu = Infinity;
  let result!: T;
  for (let run = 0; run < runs; run++) {
    const began = performance.now();
    const beganCpu = process.cpuUsage();
    result = work();
    const used = process.cpuUsage(beganCpu);
    walls.push((performance.now() - began) / 1000);
    cpu = Math.min(cpu, (used.user + used.system) / 1e6);
  }
  walls.sort((a, b) => a - b);
  return { seconds: walls[0], median: walls[walls.length >> 1], cpu, result };
}

function rowsOf(labels: Float64Array, rows: Uint32Array): Float64Array {
  return Float64Array.from(rows, (row) => labels[row]);
}

/**
 * Where a fit stopped: max |∇(½‖w‖² + C Σ log-loss)| / (C · rows), how far from the optimum on the
 * scale of the tolerance, and the objective ½‖w‖² + C Σ log-loss itself (both sides should agree
 * on it to about the gradient's size).
 */
function stoppingPoint(model: LogisticModel, X: FeatureMatrix, labels: Float64Array): { gradient: number; objective: number } {
  const { rows, columns, data } = X;
  const gradient = Float64Array.from(model.weights, (weight) => weight);
  let interceptGradient = 0;
  let logLoss = 0;
  for (let i = 0; i < rows; i++) {
    let z = model.intercept;
    for (let j = 0; j < columns; j++) z += data[i * columns + j] * model.weights[j];
    const residual = model.C * (1 / (1 + Math.exp(-z)) - labels[i]);
    for (let j = 0; j < columns; j++) gradient[j] += residual * data[i * columns + j];
    interceptGradient += residual;
    logLoss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - labels[i] * z;
  }
  let largest = Math.abs(interceptGradient);
  for (const value of gradient) largest = Math.max(largest, Math.abs(value));
  let penalty = 0;
  for (const weight of model.weights) penalty += weight * weight;
  return { gradient: largest / (model.C * rows), objective: 0.5 * penalty + model.C * logLoss };
}

interface Fold { train: FeatureMatrix; trainY: Float64Array; test: FeatureMatrix; testY: Float64Array }

function ours(fold: Fold, C: number, tolerance: number): Result {
  const { train, trainY, test, testY } = fold;
  const logistic = timedFits(LOGISTIC_RUNS, () => fitLogistic(train, trainY, { C, tolerance }));
  const trees = timedFits(TREE_RUNS, () => fitBoostedTrees(train, trainY, { seed: SEED }));
  return {
    logistic: {
      seconds: logistic.seconds, median: logistic.median, cpu: logistic.cpu, auc: auc(predictLogistic(logistic.result, test), testY),
      iterations: logistic.result.iterations, ...stoppingPoint(logistic.result, train, trainY),
    },
    trees: { seconds: trees.seconds, median: trees.median, cpu: trees.cpu, auc: auc(predictBoostedTrees(trees.result, test), testY), iterations: trees.result.iterationsRun },
  };
}

/** The matrix as CSV: features, label, and whether the row is held out. */
function writePeerCsv(file: string, data: ChurnData, held: Uint8Array): void {
  const { matrix, labels } = data;
  const lines = [[...data.names.map((_, j) => `f${j}`), 'label', 'holdout'].join(',')];
  for (let i = 0; i < matrix.rows; i++) {
    const row = Array.from(matrix.data.subarray(i * matrix.columns, (i + 1) * matrix.columns), String);
    lines.push([...row, labels[i], held[i]].join(','));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

function peer(file: string, threads: 'one' | 'default', C: number): Result | undefined {
  const env = threads === 'one' ? { ...process.env, OMP_NUM_THREADS: '1' } : process.env;
  const child = spawnSync(PYTHON, [PEER, file, String(TREE_RUNS), String(LOGISTIC_RUNS), String(C)], { encoding: 'utf8', env, maxBuffer: 1 << 20 });
  if (child.status !== 0) {
    console.log(`scikit-learn peer failed (needs python3-sklearn): ${child.stderr.trim().split('\n').pop()}`);
    return undefined;
  }
  return JSON.parse(child.stdout) as Result;
}

const ratio = (a: number, b: number | undefined) => (b === undefined ? 'n/a' : (a / b).toFixed(2));

/** Per learner, the fastest of the rounds (best, median and CPU each kept from its fastest round). */
function faster(a: Result | undefined, b: Result | undefined): Result | undefined {
  if (!a || !b) return a ?? b;
  const pick = (x: Side, y: Side): Side => ({ ...(y.seconds < x.seconds ? y : x), median: Math.min(x.median, y.median), cpu: Math.min(x.cpu, y.cpu) });
  return { logistic: pick(a.logistic, b.logistic), trees: pick(a.trees, b.trees) };
}

function compare(label: string, data: ChurnData, dir: string): string[] {
  const split = stratifiedHoldout(data.labels, 0.25, SEED);
  const held = new Uint8Array(data.matrix.rows);
  split.test.forEach((row) => { held[row] = 1; });
  const file = path.join(dir, `${label}.csv`);
  writePeerCsv(file, data, held);
  const fold: Fold = { train: selectRows(data.matrix, split.train), trainY: rowsOf(data.labels, split.train), test: selectRows(data.matrix, split.test), testY: rowsOf(data.labels, split.test) };

  const summary: string[] = [];
  const churnCpu = process.cpuUsage();
  const churnStart = performance.now();
  const fit = fitChurn(data.matrix, data.labels, { seed: SEED });
  const churnUsed = process.cpuUsage(churnCpu);
  summary.push(`${label} fitChurn (holdout, 5-fold CV of both over the C grid, refit): ${((performance.now() - churnStart) / 1000).toFixed(2)} s (CPU ${((churnUsed.user + churnUsed.system) / 1e6).toFixed(2)} s); CV AUC logistic ${fit.cvAuc.logistic.toFixed(4)} (C ${fit.logisticC}), trees ${fit.cvAuc.boostedTrees.toFixed(4)}; chosen ${fit.chosen}, holdout AUC ${fit.holdout.auc.toFixed(4)}, Brier ${fit.holdout.brier.toFixed(4)}`);
  const C = fit.logisticC;

  let mine: Result | undefined;
  const peers: { one?: Result; default?: Result } = {};
  for (let round = 0; round < ROUNDS; round++) {
    peers.one = faster(peers.one, peer(file, 'one', C));
    // SegmentKit stops where scikit-learn stopped (default 1e-4 without a peer).
    mine = faster(mine, ours(fold, C, peers.one?.logistic.gradient ?? 1e-4));
    peers.default = faster(peers.default, peer(file, 'default', C));
  }
  for (const [learner, name] of [['logistic', `logistic regression (C ${C})`], ['trees', 'boosted trees']] as const) {
    const a = mine![learner];
    const one = peers.one?.[learner];
    const many = peers.default?.[learner];
    const stopped = (side: Side | undefined) => (side?.gradient === undefined ? '' : side.gradient.toExponential(1));
    const cell = (side: Side | undefined) => (side ? `${side.seconds.toFixed(4)} | ${side.median.toFixed(4)} | ${side.cpu.toFixed(4)} | ${side.auc.toFixed(4)} | ${side.iterations} | ${stopped(side)}` : 'n/a | n/a | n/a | n/a | n/a | n/a');
    console.log(`| ${label} | ${name} | ${cell(a)} | ${cell(one)} | ${ratio(a.seconds, one?.seconds)} | ${ratio(a.median, one?.median)} | ${ratio(a.cpu, one?.cpu)} | ${ratio(a.seconds, many?.seconds)} | ${one ? (a.auc - one.auc).toFixed(4) : 'n/a'} |`);
    const optimum = one?.auc_at_optimum === undefined ? '' : ` (scikit-learn solved to the optimum: AUC ${one.auc_at_optimum.toFixed(5)}, objective ${one.objective_at_optimum!.toFixed(6)}; SegmentKit's AUC ${a.auc.toFixed(5)})`;
    const objectives = a.objective === undefined ? '' : `, objective ${a.objective.toFixed(6)} vs ${one?.objective === undefined ? 'n/a' : one.objective.toFixed(6)}${optimum}`;
    summary.push(`${label} ${name}: time ×${ratio(a.seconds, one?.seconds)} best, ×${ratio(a.median, one?.median)} median, ×${ratio(a.cpu, one?.cpu)} CPU (1 thread), ×${ratio(a.seconds, many?.seconds)} (default threads), AUC ${a.auc.toFixed(4)} vs ${one ? one.auc.toFixed(4) : 'n/a'}${objectives}`);
  }
  return summary;
}

export function churnBench(): void {
  console.log(`\n## Churn learners against scikit-learn on the same matrices (25 % stratified holdout, seed ${SEED}; ${ROUNDS} alternating rounds of ${LOGISTIC_RUNS} logistic and ${TREE_RUNS} boosted-tree fits a side)`);
  console.log('Logistic regression: one fit at the C cross-validation chose, both sides stopping at the same scaled gradient (the "stopped at" columns: max |gradient| / (C · rows)).');
  const sets = [['Telco', TELCO, telcoChurn], ['MLC', MLC, mlcChurn]] as const;
  const missing = sets.filter(([, file]) => !file.present);
  if (missing.length) {
    console.log(`Skipped: ${missing.map(([, file]) => file.skipReason).join('; ')}`);
    return;
  }
  console.log('| data | learner | SegmentKit best s | median s | CPU s | AUC | rounds | stopped at | scikit-learn best s (1 thread) | median s | CPU s | AUC | rounds | stopped at | best / sklearn | median / sklearn | CPU / sklearn | best / sklearn (default threads) | AUC − sklearn |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-churn-'));
  try {
    const summary = sets.flatMap(([label, , load]) => compare(label, load(), dir));
    console.log('\nTargets: logistic time ratio ≤ 1, boosted trees ≤ 2, AUC at least scikit-learn’s.');
    for (const line of summary) console.log(`- ${line}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) churnBench();
