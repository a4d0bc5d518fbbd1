/**
 * mulberry32 (Tommy Ettinger, public domain): a small, well-known seeded generator of uniforms in
 * [0, 1). Seeded, so a sample or a simulation draws the same numbers on every run and machine.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `size` of `rows` drawn without replacement by a partial Fisher–Yates shuffle seeded with
 * mulberry32, returned in row order (ascending), so a sample is the same on every run.
 */
export function seededSample(rows: ArrayLike<number>, size: number, seed: number): Int32Array {
  const random = mulberry32(seed);
  const pool = Int32Array.from(rows);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    const swap = pool[i];
    pool[i] = pool[j];
    pool[j] = swap;
  }
  return pool.slice(0, size).sort();
}
