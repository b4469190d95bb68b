import { describe, expect, it } from 'vitest';
import { foldFactor, harmonicPhasorPair, harmonicPhasors } from '../../../src/metrology/harmonic-spectrum.js';
import type { HarmonicPhasors } from '../../../src/metrology/harmonic-spectrum.js';

const ORDERS = 31;

function phasors(): HarmonicPhasors {
  return { magnitudes: new Float64Array(ORDERS + 1), phases: new Float64Array(ORDERS + 1) };
}

/** A window of `cycles` cycles on `size` points: DC and every order to 40 below the grid's Nyquist bin, each with its own amplitude and phase. */
function window(size: number, cycles: number, seed: number): Float64Array {
  const x = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    let v = 0.37 * seed;
    for (let h = 1; h <= 40 && h * cycles < size / 2; h++) {
      v += (seed / h) * Math.cos((2 * Math.PI * h * cycles * j) / size + 0.7 * h + seed);
    }
    // An interharmonic (bin cycles + 1, between orders 1 and 2) must not leak into the harmonic bins either way.
    v += 0.05 * Math.sin((2 * Math.PI * (cycles + 1) * j) / size);
    x[j] = v;
  }
  return x;
}

describe('harmonicPhasorPair (folded complex FFT) against the direct DFT', () => {
  it('folds 10 cycles by 2 and 12 cycles by 4, odd cycles not at all', () => {
    expect(foldFactor(10, 1024)).toBe(2);
    expect(foldFactor(12, 1024)).toBe(4);
    expect(foldFactor(7, 512)).toBe(1);
    expect(foldFactor(8, 512)).toBe(8);
    expect(foldFactor(64, 128)).toBe(2);
  });

  for (const [cycles, size] of [
    [10, 1024],
    [12, 1024],
    [7, 512],
    [3, 256],
  ] as const) {
    it(`gives the direct DFT's magnitudes and phases for ${cycles} cycles on ${size} points`, () => {
      const x = window(size, cycles, 1.3);
      const y = window(size, cycles, 0.6);
      const pairX = phasors();
      const pairY = phasors();
      harmonicPhasorPair(x, y, cycles, ORDERS, pairX, pairY);
      const highest = Math.min(ORDERS, Math.floor((size / 2 - 1) / cycles));
      for (const [signal, pair, seed] of [
        [x, pairX, 1.3],
        [y, pairY, 0.6],
      ] as const) {
        const direct = phasors();
        harmonicPhasors(signal, cycles, ORDERS, 'dft', direct);
        for (let h = 0; h <= ORDERS; h++) {
          expect(Math.abs(pair.magnitudes[h] - direct.magnitudes[h])).toBeLessThan(1e-12);
          if (h >= 1 && h <= highest) {
            // And both are the synthesised harmonic: amplitude seed / h (RMS / sqrt 2), phase 0.7 h + seed.
            expect(Math.abs(pair.magnitudes[h] - seed / h / Math.SQRT2)).toBeLessThan(1e-12);
            const dphi = Math.atan2(Math.sin(pair.phases[h] - direct.phases[h]), Math.cos(pair.phases[h] - direct.phases[h]));
            expect(Math.abs(dphi)).toBeLessThan(1e-12);
          }
        }
        expect(Math.abs(pair.magnitudes[0] - Math.abs(0.37 * seed))).toBeLessThan(1e-12);
      }
    });
  }
});
