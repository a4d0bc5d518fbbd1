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
 * Fit times only, the fastest of two rounds of both sides; generating and reading the matrix are
 * outside the clock. Ratios are SegmentKit / scikit-learn: time ≤ 1 and inertia ≤ 1 are the targets.
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

interface Fit { seconds: number; iterations: number; inertia: number }
interface PeerResult { sklearn: string; threads: number; same_start: Fit; same_start_one_thread: Fit; n_init_1: Fit; n_init_10: Fit; n_init_10_one_thread: Fit }

/** Rounds of SegmentKit then scikit-learn, keeping each one's fastest: the load on a shared machine comes and goes. */
const ROUNDS = 2;

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

function timed<T>(work: () => T): { seconds: number; result: T } {
  const start = performance.now();
  const result = work();
  return { seconds: (performance.now() - start) / 1000, result };
}

function bestOf(runs: number, work: () => { iterations: number; inertia: number }): Fit {
  let best: Fit | undefined;
  for (let i = 0; i < runs; i++) {
    const { seconds, result } = timed(work);
    if (!best || seconds < best.seconds) best = { seconds, iterations: result.iterations, inertia: result.inertia };
  }
  return best!;
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

const faster = (a: Fit, b: Fit) => (b.seconds < a.seconds ? b : a);

function fastestPeer(a: PeerResult, b: PeerResult): PeerResult {
  return {
    ...a, same_start: faster(a.same_start, b.same_start), same_start_one_thread: faster(a.same_start_one_thread, b.same_start_one_thread),
    n_init_1: faster(a.n_init_1, b.n_init_1), n_init_10: faster(a.n_init_10, b.n_init_10), n_init_10_one_thread: faster(a.n_init_10_one_thread, b.n_init_10_one_thread),
  };
}

const perIteration = (fit: Fit) => fit.seconds / fit.iterations;
const ratio = (ours: number, theirs: number | undefined) => (theirs === undefined ? 'n/a' : (ours / theirs).toFixed(2));

function row(label: string, ours: Fit, theirs: Fit | undefined): void {
  const cells = [
    label, ours.seconds.toFixed(3), String(ours.iterations), (perIteration(ours) * 1000).toFixed(1), ours.inertia.toFixed(1),
    theirs ? theirs.seconds.toFixed(3) : 'n/a', theirs ? String(theirs.iterations) : 'n/a', theirs ? (perIteration(theirs) * 1000).toFixed(1) : 'n/a', theirs ? theirs.inertia.toFixed(1) : 'n/a',
    ratio(ours.seconds, theirs?.seconds), ratio(perIteration(ours), theirs && perIteration(theirs)), theirs ? (ours.inertia / theirs.inertia).toFixed(6) : 'n/a',
  ];
  console.log(`| ${cells.join(' | ')} |`);
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
    let ours: { sameStart: Fit; one: Fit; ten: Fit } | undefined;
    let theirs: PeerResult | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      const run = {
        sameStart: bestOf(2, () => lloyd(X, start)),
        one: bestOf(2, () => kmeans(X, K, { seed: 1, restarts: 1 })),
        ten: bestOf(1, () => kmeans(X, K, { seed: 1, restarts: 10 })),
      };
      ours = ours ? { sameStart: faster(ours.sameStart, run.sameStart), one: faster(ours.one, run.one), ten: faster(ours.ten, run.ten) } : run;
      const peerRun = peer(matrixFile, startFile);
      if (!peerRun) break;
      theirs = theirs ? fastestPeer(theirs, peerRun) : peerRun;
    }
    if (!ours) throw new Error('no rounds run');
    if (!theirs) console.log('scikit-learn or threadpoolctl missing for /usr/bin/python3: apt-get install python3-sklearn');
    const threads = theirs ? `${theirs.threads} thread${theirs.threads === 1 ? '' : 's'}` : '';
    console.log('| run | SegmentKit s | iterations | ms / iteration | inertia | scikit-learn s | n_iter_ | ms / iteration | inertia_ | time ratio | per-iteration ratio | inertia ratio |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    row(`same start, Lloyd only (scikit-learn ${threads})`, ours.sameStart, theirs?.same_start);
    row('same start, Lloyd only (scikit-learn 1 thread)', ours.sameStart, theirs?.same_start_one_thread);
    row('own k-means++, 1 start', ours.one, theirs?.n_init_1);
    row(`own k-means++, 10 starts (n_init=10; scikit-learn ${threads})`, ours.ten, theirs?.n_init_10);
    row('own k-means++, 10 starts (n_init=10; scikit-learn 1 thread)', ours.ten, theirs?.n_init_10_one_thread);
    console.log(`(fastest of ${ROUNDS} rounds, each side best of 2 but the 10-start fits; iterations of the k-means++ runs are the start kept's, ms / iteration there the whole fit over them, starts included)`);
    if (theirs) console.log(`scikit-learn ${theirs.sklearn}, ${threads}; SegmentKit one thread, Node ${process.version}`);
    const line = theirs
      ? `k-means per iteration ${ratio(perIteration(ours.sameStart), perIteration(theirs.same_start))}, 10 starts ${ratio(ours.ten.seconds, theirs.n_init_10.seconds)} (inertia ${(ours.ten.inertia / theirs.n_init_10.inertia).toFixed(6)})`
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
