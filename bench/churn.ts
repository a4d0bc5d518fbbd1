/**
 * `npm run bench -- --only churn`: the churn learners against scikit-learn (bench/peer_churn.py)
 * on IBM Telco and MLC churn, the same encoded, standardised matrices on both sides (written to a
 * temporary CSV from here) and the same 25 % stratified holdout (seed 1): fit time of logistic
 * regression (C = 1) and of boosted trees (the same settings on both sides), best of 5, and AUC on
 * the held-out rows, side by side as ratios. scikit-learn runs twice: on one thread
 * (OMP_NUM_THREADS=1, like for like with single-threaded JavaScript) and with its default threads.
 * Also part of `npm run bench` (bench/run.ts). Skipped, and said so, without ../shared/data.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fitBoostedTrees, predictBoostedTrees } from '../src/engine/learn/boosted-trees';
import { fitChurn } from '../src/engine/learn/churn-fit';
import { auc, stratifiedHoldout } from '../src/engine/learn/evaluation';
import { fitLogistic, predictLogistic } from '../src/engine/learn/logistic';
import { selectRows, type FeatureMatrix } from '../src/engine/learn/matrix';
import { MLC, mlcChurn, TELCO, telcoChurn, type ChurnData } from '../test/support/churn-data';

const PYTHON = '/usr/bin/python3';
const PEER = path.join(__dirname, 'peer_churn.py');
const RUNS = 5;
const SEED = 1;

interface Side { seconds: number; auc: number; iterations: number }
type Result = { logistic: Side; trees: Side };

function best<T>(work: () => T): { seconds: number; result: T } {
  let seconds = Infinity;
  let result!: T;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    result = work();
    seconds = Math.min(seconds, (performance.now() - start) / 1000);
  }
  return { seconds, result };
}

function rowsOf(labels: Float64Array, rows: Uint32Array): Float64Array {
  return Float64Array.from(rows, (row) => labels[row]);
}

function ours(train: FeatureMatrix, trainY: Float64Array, test: FeatureMatrix, testY: Float64Array): Result {
  const logistic = best(() => fitLogistic(train, trainY));
  const trees = best(() => fitBoostedTrees(train, trainY, { seed: SEED }));
  return {
    logistic: { seconds: logistic.seconds, auc: auc(predictLogistic(logistic.result, test), testY), iterations: logistic.result.iterations },
    trees: { seconds: trees.seconds, auc: auc(predictBoostedTrees(trees.result, test), testY), iterations: trees.result.iterationsRun },
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

function peer(file: string, threads: 'one' | 'default'): Result | undefined {
  const env = threads === 'one' ? { ...process.env, OMP_NUM_THREADS: '1' } : process.env;
  const child = spawnSync(PYTHON, [PEER, file, String(RUNS)], { encoding: 'utf8', env, maxBuffer: 1 << 20 });
  if (child.status !== 0) {
    console.log(`scikit-learn peer failed (needs python3-sklearn): ${child.stderr.trim().split('\n').pop()}`);
    return undefined;
  }
  return JSON.parse(child.stdout) as Result;
}

const ratio = (a: number, b: number | undefined) => (b === undefined ? 'n/a' : (a / b).toFixed(2));

function compare(label: string, data: ChurnData, dir: string): string[] {
  const split = stratifiedHoldout(data.labels, 0.25, SEED);
  const held = new Uint8Array(data.matrix.rows);
  split.test.forEach((row) => { held[row] = 1; });
  const file = path.join(dir, `${label}.csv`);
  writePeerCsv(file, data, held);
  const mine = ours(selectRows(data.matrix, split.train), rowsOf(data.labels, split.train), selectRows(data.matrix, split.test), rowsOf(data.labels, split.test));
  const peers = { one: peer(file, 'one'), default: peer(file, 'default') };
  const summary: string[] = [];
  for (const [learner, name] of [['logistic', 'logistic regression'], ['trees', 'boosted trees']] as const) {
    const a = mine[learner];
    const one = peers.one?.[learner];
    const many = peers.default?.[learner];
    const cell = (side: Side | undefined) => (side ? `${side.seconds.toFixed(3)} | ${side.auc.toFixed(4)} | ${side.iterations}` : 'n/a | n/a | n/a');
    console.log(`| ${label} | ${name} | ${cell(a)} | ${cell(one)} | ${ratio(a.seconds, one?.seconds)} | ${ratio(a.seconds, many?.seconds)} | ${one ? (a.auc - one.auc).toFixed(4) : 'n/a'} |`);
    summary.push(`${label} ${name}: time ×${ratio(a.seconds, one?.seconds)} (1 thread), ×${ratio(a.seconds, many?.seconds)} (default threads), AUC ${a.auc.toFixed(4)} vs ${one ? one.auc.toFixed(4) : 'n/a'}`);
  }
  const start = performance.now();
  const fit = fitChurn(data.matrix, data.labels, { seed: SEED });
  summary.push(`${label} fitChurn (holdout, 5-fold CV of both, refit): ${((performance.now() - start) / 1000).toFixed(2)} s; CV AUC logistic ${fit.cvAuc.logistic.toFixed(4)} (C ${fit.logisticC}), trees ${fit.cvAuc.boostedTrees.toFixed(4)}; chosen ${fit.chosen}, holdout AUC ${fit.holdout.auc.toFixed(4)}, Brier ${fit.holdout.brier.toFixed(4)}`);
  return summary;
}

export function churnBench(): void {
  console.log(`\n## Churn learners against scikit-learn on the same matrices (25 % stratified holdout, seed ${SEED}; fit time best of ${RUNS})`);
  const sets = [['Telco', TELCO, telcoChurn], ['MLC', MLC, mlcChurn]] as const;
  const missing = sets.filter(([, file]) => !file.present);
  if (missing.length) {
    console.log(`Skipped: ${missing.map(([, file]) => file.skipReason).join('; ')}`);
    return;
  }
  console.log('| data | learner | SegmentKit s | AUC | rounds | scikit-learn s (1 thread) | AUC | rounds | time / sklearn (1 thread) | time / sklearn (default threads) | AUC − sklearn |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
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
