import { describe, expect, it } from 'vitest';
import { bgnbdConditionalExpected, bgnbdExpectedNew, bgnbdLogLikelihood, bgnbdPAlive, fitBgNbd, MIN_REPEAT_BUYERS, type BgNbdParams } from '../src/engine/lifetime/bgnbd';
import { LifetimeEstimationError } from '../src/engine/lifetime/errors';
import { simulateBgNbd } from '../src/engine/lifetime/simulate';
import { bfgs, minimizeRobustly, RUNAWAY_LOG_PARAMETER } from '../src/engine/lifetime/optimize';
import { mulberry32 } from '../src/engine/random';
import { hyp2f1 } from '../src/engine/lifetime/special';
import { localizedErrorText } from '../src/engine/types';
import { CDNOW_SUMMARY, cdnowSummary } from './support/cdnow';
import { nameWithData } from './support/public-data';

const PUBLISHED: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

describe('BG/NBD on CDNOW (Fader, Hardie & Lee 2005)', () => {
  it.skipIf(!CDNOW_SUMMARY.present)(nameWithData('reproduces the published fit and predictions to the printed precision', CDNOW_SUMMARY), () => {
    const rows = cdnowSummary();
    const fit = fitBgNbd({ x: rows.map((row) => row.x), tx: rows.map((row) => row.tx), T: rows.map((row) => row.T) });
    const { r, alpha, a, b } = fit.params;
    expect([round(r, 3), round(alpha, 3), round(a, 3), round(b, 3), round(fit.logLikelihood, 1)]).toEqual([0.243, 4.414, 0.793, 2.426, -9582.4]);
    expect(fit.repeatBuyers).toBe(946);
    expect(fit.trace.converged).toBe(true);
    expect(round(bgnbdConditionalExpected(fit.params, 39, 2, 30.43, 38.86), 3)).toBe(1.226);
    expect(round(bgnbdPAlive(fit.params, 26, 30.86, 31.0), 4)).toBe(0.9689);
    expect(round(bgnbdConditionalExpected(fit.params, 52, 26, 30.86, 31.0), 2)).toBe(25.76);
    expect(round(bgnbdExpectedNew(fit.params, 52), 3)).toBe(1.444);
    expect(bgnbdLogLikelihood({ x: rows.map((row) => row.x), tx: rows.map((row) => row.tx), T: rows.map((row) => row.T) }, fit.params)).toBeCloseTo(fit.logLikelihood, 8);
  });
});

describe('Gauss hypergeometric 2F1 against SciPy 1.10 (scipy.special.hyp2f1)', () => {
  const cases: [number, number, number, number, number][] = [
    [0.5, 1.5, 2.5, 0.3, 1.1080625510569324],
    [2.0, 3.0, 4.5, 0.95, 23.271996848948877],
    [1.243, 3.426, 3.219, 0.5, 2.526412985277381],
    [26.243, 28.426, 28.219, 0.6, 33237064884.615723],
    [-1.5, 0.3, 2.2, 0.97, 0.8235219350768119],
    [3.2, 1.1, 4.0, -2.5, 0.3087801534797949],
    [0.7, 0.4, 1.9, 0.999, 1.37035985906417],
    [1.0, 1.0, 2.0, 0.9999, 9.211261498126108],
    // c − a − b an integer with z near 1: the Richardson path.
    [49, -0.95, 49.05, 0.999999000001, 0.001274518024872204],
    [1, 1, 2, 0.95, 3.1534023932147104],
    [2.5, 1.5, 5.0, 0.93, 3.6013293731057603],
    [0.3, 0.7, 2.0, 0.99999, 1.2262475527519996],
  ];
  it.each(cases)('2F1(%f, %f; %f; %f) = %f', (a, b, c, z, expected) => {
    expect(hyp2f1(a, b, c, z) / expected - 1).toBeLessThan(1e-9);
    expect(hyp2f1(a, b, c, z) / expected - 1).toBeGreaterThan(-1e-9);
  });
});

describe('E[Y(t) | x, t_x, T] against eq. 10 evaluated with SciPy', () => {
  // SciPy on the untransformed eq. 10, for inputs where its series is still accurate.
  const cases: [BgNbdParams, [number, number, number, number], number][] = [
    [PUBLISHED, [500, 0, 0, 0], 4.887868155290883],
    [PUBLISHED, [200, 10, 5, 50], 4.495065168476842e-06],
    [PUBLISHED, [5000, 3, 10, 20], 21.60288913924975],
    [{ r: 2, alpha: 10, a: 1.5, b: 4 }, [39, 2, 30.43, 38.86], 1.412662338058832],
    [{ r: 2, alpha: 10, a: 1.5, b: 4 }, [52, 26, 30.86, 31], 18.471758635766633],
    [{ r: 2, alpha: 10, a: 1.5, b: 4 }, [5000, 3, 10, 20], 4.672839975998803],
    [{ r: 0.5, alpha: 2, a: 1.0000001, b: 3 }, [500, 0, 0, 0], 8.87138897752613],
    [{ r: 0.5, alpha: 2, a: 1.0000001, b: 3 }, [52, 26, 30.86, 31], 24.85704020804359],
  ];
  it.each(cases)('%o at (t, x, t_x, T) = %o', (params, [t, x, tx, T], expected) => {
    expect(Math.abs(bgnbdConditionalExpected(params, t, x, tx, T) / expected - 1)).toBeLessThan(1e-6);
  });
});

describe('extreme inputs: never NaN, negative or infinite', () => {
  const parameterSets: BgNbdParams[] = [PUBLISHED, { r: 2, alpha: 10, a: 1.5, b: 4 }, { r: 0.05, alpha: 0.01, a: 0.05, b: 50 }, { r: 30, alpha: 300, a: 8, b: 0.5 }, { r: 0.5, alpha: 2, a: 1, b: 3 }];
  const histories: [number, number, number][] = [[0, 0, 0], [0, 0, 1e6], [1, 0.01, 1e9], [200, 30, 31], [200, 1, 1e9], [200, 52, 52], [5000, 100, 100], [3, 1e6, 1e6 + 1]];
  const horizons = [1e-3, 1, 52, 1e4];
  it('E[Y(t)|…] is finite and ≥ 0 and P(alive) in [0, 1] on a grid from x = 0 to 5,000 and T to 1e9', () => {
    for (const params of parameterSets) {
      for (const [x, tx, T] of histories) {
        const alive = bgnbdPAlive(params, x, tx, T);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
        for (const t of horizons) {
          const expected = bgnbdConditionalExpected(params, t, x, tx, T);
          expect(Number.isFinite(expected), `${JSON.stringify(params)} ${[t, x, tx, T]}`).toBe(true);
          expect(expected).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  it('gives P(alive) = 1 to customers without a repeat purchase, by construction of BG/NBD', () => {
    expect(bgnbdPAlive(PUBLISHED, 0, 0, 1e6)).toBe(1);
  });

  it('ranks a customer who bought 200 times and then went silent for a long time as gone, and one still buying as alive', () => {
    expect(bgnbdPAlive(PUBLISHED, 200, 30, 1e9)).toBe(0);
    expect(bgnbdPAlive(PUBLISHED, 200, 52, 52)).toBeGreaterThan(0.99);
    expect(bgnbdConditionalExpected(PUBLISHED, 52, 200, 52, 52)).toBeGreaterThan(100);
  });

  it('keeps the log-likelihood finite for 200 purchases and huge ages', () => {
    const value = bgnbdLogLikelihood({ x: [200, 0, 5000], tx: [30, 0, 100], T: [31, 1e9, 100] }, PUBLISHED);
    expect(Number.isFinite(value)).toBe(true);
  });
});

describe('fit on simulated customers', () => {
  it('recovers the parameters of 200,000 customers drawn from the CDNOW fit within 5%', () => {
    const data = simulateBgNbd(PUBLISHED, 200_000, 7);
    const fit = fitBgNbd(data);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(fit.params[key] / PUBLISHED[key] - 1), key).toBeLessThan(0.05);
    }
    expect(fit.trace.converged).toBe(true);
  });

  it('recovers a world of frequent buyers who rarely drop out (r 3, α 2, a 0.5, b 10) within 10%', () => {
    const truth = { r: 3, alpha: 2, a: 0.5, b: 10 };
    const fit = fitBgNbd(simulateBgNbd(truth, 50_000, 11));
    for (const key of ['r', 'alpha', 'a', 'b'] as const) expect(Math.abs(fit.params[key] / truth[key] - 1), key).toBeLessThan(0.1);
  });

  it('falls back to Nelder–Mead when BFGS starts somewhere it cannot move from, and still reaches the optimum', async () => {
    const { minimizeRobustly } = await import('../src/engine/lifetime/optimize');
    // A valley BFGS cannot enter: the gradient is NaN at the start, values are fine.
    const rosenbrock = (x: Float64Array, gradient?: Float64Array) => {
      if (gradient) {
        gradient[0] = x[0] === -1.2 ? NaN : -400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]);
        gradient[1] = 200 * (x[1] - x[0] ** 2);
      }
      return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
    };
    const { result, trace } = minimizeRobustly(rosenbrock, [-1.2, 1]);
    expect(trace.optimisers).toEqual(['BFGS', 'Nelder-Mead', 'BFGS']);
    expect(result.x[0]).toBeCloseTo(1, 5);
    expect(result.x[1]).toBeCloseTo(1, 5);
  });
});

describe('too few repeat buyers', () => {
  it(`refuses below ${MIN_REPEAT_BUYERS} repeat buyers with a sentence in English and Danish`, () => {
    const x: number[] = Array.from({ length: 500 }, (_, i) => (i < MIN_REPEAT_BUYERS - 1 ? 2 : 0));
    const tx: number[] = x.map((value) => (value ? 10 : 0));
    const T = x.map(() => 30);
    let error: unknown;
    try {
      fitBgNbd({ x, tx, T });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LifetimeEstimationError);
    expect(localizedErrorText(error, 'en')).toBe(`BG/NBD cannot be estimated from ${MIN_REPEAT_BUYERS - 1} repeat buyers (it needs at least ${MIN_REPEAT_BUYERS} customers with two or more purchase days).`);
    expect(localizedErrorText(error, 'da')).toContain(`ud fra ${MIN_REPEAT_BUYERS - 1} genkøbere`);
    x[MIN_REPEAT_BUYERS - 1] = 1;
    tx[MIN_REPEAT_BUYERS - 1] = 5;
    expect(() => fitBgNbd({ x, tx, T })).not.toThrow();
  });

  it('rejects a recency beyond the age', () => {
    expect(() => fitBgNbd({ x: [1], tx: [5], T: [4] })).toThrow(RangeError);
  });
});

describe('a BG/NBD fit whose purchase rates have no maximum', () => {
  it('fits no dropout edge once r or α has run off, so the model refuses it in moments, not minutes', () => {
    // 3,000 customers with 2–6 purchases on days drawn uniformly over 700 (the reviewer's 80,000-customer
    // log, whose fit took 43 s, 40 of them fitting the dropout edge): one purchase rate for all, which the
    // gamma mixture reaches only as r, α → ∞; a + b ran off too, which alone would send the fit to the edge.
    const random = mulberry32(7);
    const x: number[] = [];
    const tx: number[] = [];
    const T: number[] = [];
    for (let c = 0; c < 3000; c++) {
      const count = 2 + Math.floor(random() * 5);
      const days = [...new Set(Array.from({ length: count }, () => Math.floor(random() * 701)))].sort((u, v) => u - v);
      x.push(days.length - 1);
      tx.push((days[days.length - 1] - days[0]) / 7);
      T.push((700 - days[0]) / 7);
    }
    const fit = fitBgNbd({ x, tx, T });
    expect(fit.params.alpha).toBeGreaterThan(1e8);
    expect(fit.params.a + fit.params.b).toBeGreaterThan(100);
    expect(fit.edge).toEqual({ kind: 'inside', limit: null, searched: { params: fit.params, logLikelihood: fit.logLikelihood } });
    expect(fit.trace.optimisers).toEqual(['BFGS']);
  });
});

describe('BFGS with a runaway limit', () => {
  it('stops as soon as a coordinate passes the limit, and minimizeRobustly leaves it there without Nelder–Mead', () => {
    // f(x, y) = −x + y²: no minimum, x runs off to +∞ (the gradient never vanishes); y has its minimum at 0.
    const objective = (point: Float64Array, gradient?: Float64Array) => {
      if (gradient) {
        gradient[0] = -1;
        gradient[1] = 2 * point[1];
      }
      return -point[0] + point[1] * point[1];
    };
    const stopped = bfgs(objective, [0, 1], { runaway: 10 });
    expect(stopped.reason).toBe('runaway');
    expect(stopped.x[0]).toBeGreaterThan(10);
    const free = bfgs(objective, [0, 1]);
    expect(free.reason).not.toBe('runaway');
    const robust = minimizeRobustly(objective, [0, 1]);
    expect([robust.trace.reason, robust.trace.optimisers]).toEqual(['runaway', ['BFGS']]);
    expect(robust.result.x[0]).toBeGreaterThan(RUNAWAY_LOG_PARAMETER);
  });
});
