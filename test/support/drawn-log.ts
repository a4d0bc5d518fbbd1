import { mulberry32 } from '../../src/engine/random';

/** One customer of a drawn log: its purchase days (Excel serials, ascending) and its order lines. */
export interface DrawnCustomer {
  id: string;
  days: number[];
}

/**
 * A seeded order log in a BG/NBD-like world, as CSV lines under "Customer ID,Order date,Amount":
 * each customer starts in the first 12 weeks after `start`, buys at its own weekly rate, may drop
 * out after each repeat purchase with its own probability, and stops at `end`; spend is around its
 * own mean (20 to 400), ±20 % from purchase to purchase. The same seed gives the same log.
 */
export function drawnLog(seed: number, customers: number, start: number, end: number, iso: (serial: number) => string): { lines: string[]; drawn: DrawnCustomer[] } {
  const uniform = mulberry32(seed);
  const lines = ['Customer ID,Order date,Amount'];
  const drawn: DrawnCustomer[] = [];
  for (let c = 0; c < customers; c++) {
    const weeklyRate = 0.05 + 0.6 * uniform() * uniform();
    const dropout = 0.1 + 0.5 * uniform();
    const days = new Set<number>();
    let day = start + Math.floor(uniform() * 84);
    for (;;) {
      days.add(day);
      if (uniform() < dropout && days.size > 1) break;
      day += Math.max(1, Math.round((-Math.log(1 - uniform()) / weeklyRate) * 7));
      if (day > end) break;
    }
    const sorted = [...days].sort((a, b) => a - b);
    const mean = 20 + 380 * uniform();
    const id = `C${1000 + c}`;
    for (const d of sorted) lines.push(`${id},${iso(d)},${(mean * (0.8 + 0.4 * uniform())).toFixed(2)}`);
    drawn.push({ id, days: sorted });
  }
  return { lines, drawn };
}
