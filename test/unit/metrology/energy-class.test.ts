/**
 * IEC 62053-22 class 0.5S test points with 60 dB SNR noise (noise 60 dB below the rated
 * current's and the nominal voltage's RMS, seeded): active energy over 2 s stays inside the limits.
 */
import { describe, expect, it } from 'vitest';
import { measureBlock } from '../../../src/metrology/measure-block.js';
import { generateBlock } from '../../support/reference-signals.js';
import type { PhaseSignals } from '../../support/reference-signals.js';

const nominalVoltage = 230;
const ratedCurrent = 5;

/** Class 0.5S limits (DESIGN.md): percent of active energy. */
function limitPercent(fractionOfIn: number, powerFactor: string): number {
  if (powerFactor === '1') return fractionOfIn >= 0.05 ? 0.5 : 1.0;
  return fractionOfIn >= 0.1 ? 0.6 : 1.0;
}

const points = [0.01, 0.05, 1];
const factors = [
  { name: '1', phi: 0 },
  { name: '0.5 inductive', phi: Math.acos(0.5) },
  { name: '0.8 capacitive', phi: -Math.acos(0.8) },
];

describe('active energy inside class 0.5S limits with 60 dB SNR noise', () => {
  let seed = 1;
  for (const fraction of points) {
    for (const { name, phi } of factors) {
      const thisSeed = seed++;
      it(`${fraction * 100} % In, PF ${name}`, () => {
        const current = ratedCurrent * fraction;
        const phases = [0, 1, 2].map((p): PhaseSignals => {
          const base = 0.2 - (p * 2 * Math.PI) / 3;
          return {
            voltage: [{ order: 1, rms: nominalVoltage, phase: base }],
            current: [{ order: 1, rms: current, phase: base - phi }],
          };
        }) as [PhaseSignals, PhaseSignals, PhaseSignals];
        const block = generateBlock({
          frequencyHz: 50.13,
          sampleRateHz: 6400,
          durationS: 2.1,
          phases,
          noise: { seed: thisSeed, voltageSigma: nominalVoltage * 1e-3, currentSigma: ratedCurrent * 1e-3 },
        });
        const windows = measureBlock(block);
        expect(windows.length).toBeGreaterThanOrEqual(9);
        let energy = 0;
        let seconds = 0;
        for (const w of windows) {
          energy += w.total.activePower * w.durationS;
          seconds += w.durationS;
        }
        const truth = 3 * nominalVoltage * current * Math.cos(phi) * seconds;
        const errorPercent = ((energy - truth) / truth) * 100;
        console.log(`${fraction * 100} % In PF ${name}: energy error ${errorPercent.toFixed(4)} % (limit ${limitPercent(fraction, name)} %)`);
        expect(Math.abs(errorPercent)).toBeLessThan(limitPercent(fraction, name));
      });
    }
  }
});
