/**
 * `npm run bench -- --only clusters`: SegmentKit's k-means against scikit-learn's KMeans
 * (bench/peer_kmeans.py, Debian's python3-sklearn) on 1,000,000 × 5 Gaussian blobs with k = 5,
 * the same matrix written once as float64 for both.
 *
 * - From the same start (SegmentKit's k-means++ start, given to scikit-learn as `init`): both run
 *   Lloyd's algorithm to the same convergence rule, so the iterations and inertia should agree and
 *   the time per iteration compares the iterations themselves (scikit-learn with its OpenMP threads
 *   on every core, and on one thread as SegmentKit runs).
 * - With their own k-means++ starts, 1 and 10 of them (restarts / n_init): total time and inertia.
 * Fit times only; generating and reading the matrix are outside the clock. Three rounds alternating
 * SegmentKit and scikit-learn (a shared machine's load comes and goes), each side 2 fits a round
 * (1 of the 10-start fits): the best and the median wall time over every round, and the best CPU
 * time (scikit-learn's summed over its threads). Ratios are SegmentKit / scikit-learn: time ≤ 1
 * and inertia ≤ 1 are the targets.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kmeans, kmeansPlusPlus, lloyd } from '../src/engine/learn/kmeans';
import type { FeatureMatrix } from '../src/engine/learn/matrix';
import { mulberry32 } from '../src/engine/random';

const PYTHON = '/usr/bin/python3';
const PEER = path.join(__dirname, 'peer_kmeans.py');
const ROWS = 1_000_000;
const COLUMNS = 5;
const K = 5;

/** Every fit of one run over the rounds: wall and CPU seconds, and the iterations and inertia (the same each time). */
interface Fits { walls: number[]; cpus: number[]; iterations: number; inertia: number }
/** One run summarised: best and median wall seconds, best CPU seconds. */
interface Fit { seconds: number; median: number; cpu: number; iterations: number; inertia: number }
const RUNS = ['same_start', 'same_start_one_thread', 'n_init_1', 'n_init_10', 'n_init_10_one_thread'] as const;
type PeerResult = { sklearn: string; threads: number } & Record<(typeof RUNS)[number], Fits>;
type Ours = Record<'sameStart' | 'one' | 'ten', Fits>;

/** Rounds of SegmentKit then scikit-learn, alternating: the load on a shared machine comes and goes. */
const ROUNDS = 3;

/** Gaussian blobs as scikit-learn's make_blobs draws them: K centres uniform in [−10, 10]^columns, each row one centre plus N(0, spread²) noise. */
function gaussianBlobs(rows: number, columns: number, centres: number, spread: number, seed: number): FeatureMatrix {
  const random = mulberry32(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centre = Float64Array.from({ length: centres * columns }, () => -10 + 20 * random());
  const data = new Float64Array(rows * columns);
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(random() * centres);
    for (let f = 0; f < columns; f++) data[i * columns + f] = centre[c * columns + f] + spread * gaussian();
  }
  return { rows, columns, data };
}

/** `runs` fits of `work`, their wall and CPU seconds (process.cpuUsage: user + system). */
function fits(runs: number, work: () => { iterations: number; inertia: number }): Fits {
  const walls: number[] = [];
  const cpus: number[] = [];
  let last!: { iterations: number; inertia: number };
  for (let run = 0; run < runs; run++) {
    const began = performance.now();
    const beganCpu = process.cpuUsage();
    last = work();
    const used = process.cpuUsage(beganCpu);
    walls.push((performance.now() - began) / 1000);
    cpus.push((used.user + used.system) / 1e6);
  }
  return { walls, cpus, iterations: last.iterations, inertia: last.inertia };
}

function pooled(a: Fits | undefined, b: Fits): Fits {
  return a ? { ...b, walls: [...a.walls, ...b.walls], cpus: [...a.cpus, ...b.cpus] } : b;
}

function summary(all: Fits): Fit {
  const walls = [...all.walls].sort((x, y) => x - y);
  const middle = walls.length >> 1;
  const median = walls.length % 2 ? walls[middle] : (walls[middle - 1] + walls[middle]) / 2;
  return { seconds: walls[0], median, cpu: Math.min(...all.cpus), iterations: all.iterations, inertia: all.inertia };
}

function littleEndianBytes(values: Float64Array): Uint8Array {
  // Float64Array is in the platform's byte order; every platform Node runs on is little-endian, as numpy's '<f8'.
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function peer(matrixFile: string, startFile: string): PeerResult | undefined {
  if (spawnSync(PYTHON, ['-c', 'import sklearn, threadpoolctl'], { encoding: 'utf8' }).status !== 0) return undefined;
  const child = spawnSync(PYTHON, [PEER, matrixFile, String(COLUMNS), startFile, String(K)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`peer_kmeans.py failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as PeerResult;
}

const perIteration = (fit: Fit) => fit.seconds / fit.iterations;
const ratio = (ours: number, theirs: number | undefined) => (theirs === undefined ? 'n/a' : (ours / theirs).toFixed(2));
const milliseconds = (seconds: number, fit: Fit) => ((seconds / fit.iterations) * 1000).toFixed(1);

function cells(fit: Fit | undefined): string[] {
  if (!fit) return ['n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a'];
  return [fit.seconds.toFixed(3), fit.median.toFixed(3), fit.cpu.toFixed(3), String(fit.iterations), `${milliseconds(fit.seconds, fit)} / ${milliseconds(fit.median, fit)} / ${milliseconds(fit.cpu, fit)}`, fit.inertia.toFixed(1)];
}

function row(label: string, ours: Fit, theirs: Fit | undefined): void {
  const ratios = [
    ratio(ours.seconds, theirs?.seconds), ratio(ours.median, theirs?.median), ratio(ours.cpu, theirs?.cpu),
    ratio(perIteration(ours), theirs && perIteration(theirs)), theirs ? (ours.inertia / theirs.inertia).toFixed(6) : 'n/a',
  ];
  console.log(`| ${[label, ...cells(ours), ...cells(theirs), ...ratios].join(' | ')} |`);
}

/** The k-means section of the benchmark; prints its tables and returns the ratio line. */
export function clustersBench(): string {
  console.log(`\n## k-means, ${ROWS.toLocaleString('en')} × ${COLUMNS} Gaussian blobs, k = ${K}, against scikit-learn KMeans(algorithm='lloyd')`);
  const X = gaussianBlobs(ROWS, COLUMNS, K, 2, 2024);
  const start = kmeansPlusPlus(X, K, mulberry32(1));
  const dir = mkdtempSync(path.join(tmpdir(), 'segmentkit-kmeans-'));
  try {
    const matrixFile = path.join(dir, 'blobs.f64');
    const startFile = path.join(dir, 'start.f64');
    writeFileSync(matrixFile, littleEndianBytes(X.data));
    writeFileSync(startFile, littleEndianBytes(start.data));
    let pooledOurs: Partial<Ours> = {};
    let pooledPeer: PeerResult | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      pooledOurs = {
        sameStart: pooled(pooledOurs.sameStart, fits(2, () => lloyd(X, start))),
        one: pooled(pooledOurs.one, fits(2, () => kmeans(X, K, { seed: 1, restarts: 1 }))),
        ten: pooled(pooledOurs.ten, fits(1, () => kmeans(X, K, { seed: 1, restarts: 10 }))),
      };
      const peerRun = peer(matrixFile, startFile);
      if (!peerRun) continue;
      const previous = pooledPeer;
      pooledPeer = { ...peerRun };
      for (const run of RUNS) pooledPeer[run] = pooled(previous?.[run], peerRun[run]);
    }
    const ours = { sameStart: summary(pooledOurs.sameStart!), one: summary(pooledOurs.one!), ten: summary(pooledOurs.ten!) };
    const theirs = pooledPeer && Object.fromEntries(RUNS.map((run) => [run, summary(pooledPeer![run])])) as Record<(typeof RUNS)[number], Fit>;
    if (!pooledPeer) console.log('scikit-learn or threadpoolctl missing for /usr/bin/python3: apt-get install python3-sklearn');
    const threads = pooledPeer ? `${pooledPeer.threads} thread${pooledPeer.threads === 1 ? '' : 's'}` : '';
    console.log('| run | SegmentKit best s | median s | CPU s | iterations | ms / iteration (best / median / CPU) | inertia | scikit-learn best s | median s | CPU s | n_iter_ | ms / iteration (best / median / CPU) | inertia_ | best ratio | median ratio | CPU ratio | per-iteration ratio (best) | inertia ratio |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    row(`same start, Lloyd only (scikit-learn ${threads})`, ours.sameStart, theirs?.same_start);
    row('same start, Lloyd only (scikit-learn 1 thread)', ours.sameStart, theirs?.same_start_one_thread);
    row('own k-means++, 1 start', ours.one, theirs?.n_init_1);
    row(`own k-means++, 10 starts (n_init=10; scikit-learn ${threads})`, ours.ten, theirs?.n_init_10);
    row('own k-means++, 10 starts (n_init=10; scikit-learn 1 thread)', ours.ten, theirs?.n_init_10_one_thread);
    console.log(`(${ROUNDS} alternating rounds, each side 2 fits a round but the 10-start fits (1); best and median wall time over every fit, best CPU time (scikit-learn's over all its threads); iterations of the k-means++ runs are the start kept's, ms / iteration there the whole fit over them, starts included)`);
    if (pooledPeer) console.log(`scikit-learn ${pooledPeer.sklearn}, ${threads}; SegmentKit one thread, Node ${process.version}`);
    const line = theirs
      ? `k-means per iteration ×${ratio(perIteration(ours.sameStart), perIteration(theirs.same_start_one_thread))} best, ×${ratio(ours.sameStart.median, theirs.same_start_one_thread.median)} median, ×${ratio(ours.sameStart.cpu, theirs.same_start_one_thread.cpu)} CPU (scikit-learn 1 thread; ×${ratio(perIteration(ours.sameStart), perIteration(theirs.same_start))} best against ${threads}), 10 starts ×${ratio(ours.ten.seconds, theirs.n_init_10_one_thread.seconds)} best, ×${ratio(ours.ten.median, theirs.n_init_10_one_thread.median)} median, ×${ratio(ours.ten.cpu, theirs.n_init_10_one_thread.cpu)} CPU (1 thread; ×${ratio(ours.ten.seconds, theirs.n_init_10.seconds)} best against ${threads}) (inertia ${(ours.ten.inertia / theirs.n_init_10.inertia).toFixed(6)})`
      : 'k-means: no peer';
    console.log(`\nSegmentKit / scikit-learn (target: time ≤ 1, inertia ≤ 1): ${line}`);
    return line;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  console.log(`# k-means benchmark (${new Date().toISOString().slice(0, 10)}, Node ${process.version})`);
  clustersBench();
}
