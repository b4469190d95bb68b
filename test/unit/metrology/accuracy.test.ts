/**
 * Accuracy on noise-free synthetic input against truth from phasor formulas (test/support/reference-signals.ts):
 * off-nominal frequencies, non-integer samples per cycle, harmonics to the 31st.
 */
import { describe, expect, it } from 'vitest';
import { measureBlock } from '../../../src/metrology/measure-block.js';
import { HARMONIC_ORDERS } from '../../../src/metrology/measurement.js';
import {
  activePowerOf,
  distortedLoad,
  fundamentalReactivePowerOf,
  generateBlock,
  magnitudeAt,
  phaseAt,
  rmsOf,
  thdOf,
  unbalanceOf,
} from '../../support/reference-signals.js';

const cases = [
  { frequencyHz: 45, sampleRateHz: 6400 },
  { frequencyHz: 49.8, sampleRateHz: 6400 },
  { frequencyHz: 50, sampleRateHz: 5123.3 },
  { frequencyHz: 59.97, sampleRateHz: 6400 },
  { frequencyHz: 65, sampleRateHz: 6400 },
  { frequencyHz: 50, sampleRateHz: 4000.7 },
];

function wrap(angle: number): number {
  return Math.atan2(Math.sin(angle), Math.cos(angle));
}

describe('metrology accuracy on noise-free distorted three-phase input', () => {
  for (const { frequencyHz, sampleRateHz } of cases) {
    it(`${frequencyHz} Hz at ${sampleRateHz} S/s (${(sampleRateHz / frequencyHz).toFixed(3)} samples/cycle)`, () => {
      const phases = distortedLoad(0.37 + frequencyHz / 100);
      const block = generateBlock({ frequencyHz, sampleRateHz, durationS: 1.1, startTimeS: 12.5, phases });
      const windows = measureBlock(block);
      expect(windows.length).toBeGreaterThanOrEqual(4);
      const cycles = frequencyHz > 55 ? 12 : 10;
      const nyquistOrder = Math.ceil(sampleRateHz / 2 / frequencyHz) - 1;
      let worst = { rms: 0, power: 0, pf: 0, freq: 0, harmonic: 0, thd: 0 };
      for (const w of windows) {
        expect(w.cycles).toBe(cycles);
        expect(w.partial).toBe(false);
        expect(Math.abs(w.frequencyHz - frequencyHz)).toBeLessThan(0.5e-3);
        worst.freq = Math.max(worst.freq, Math.abs(w.frequencyHz - frequencyHz));
        const ref = phaseAt(phases[0].voltage, 1);
        for (let p = 0; p < 3; p++) {
          const truth = phases[p];
          const m = w.phases[p];
          const u = rmsOf(truth.voltage);
          const i = rmsOf(truth.current);
          const s = u * i;
          const pTrue = activePowerOf(truth);
          const qTrue = fundamentalReactivePowerOf(truth);
          expect(Math.abs(m.voltageRms / u - 1)).toBeLessThan(1e-4);
          expect(Math.abs(m.currentRms / i - 1)).toBeLessThan(1e-4);
          expect(Math.abs(m.apparentPower / s - 1)).toBeLessThan(2e-4);
          expect(Math.abs(m.activePower - pTrue) / s).toBeLessThan(1e-4);
          expect(Math.abs(m.reactivePower - qTrue) / s).toBeLessThan(1e-4);
          expect(Math.abs(m.powerFactor - pTrue / s)).toBeLessThan(2e-4);
          const dpf = Math.cos(phaseAt(truth.voltage, 1) - phaseAt(truth.current, 1));
          expect(Math.abs(m.displacementPowerFactor - dpf)).toBeLessThan(2e-4);
          expect(Math.abs(m.voltageThd - thdOf(truth.voltage)) * 100).toBeLessThan(0.05);
          expect(Math.abs(m.currentThd - thdOf(truth.current)) * 100).toBeLessThan(0.05);
          worst.rms = Math.max(worst.rms, Math.abs(m.voltageRms / u - 1), Math.abs(m.currentRms / i - 1));
          worst.power = Math.max(worst.power, Math.abs(m.activePower - pTrue) / s, Math.abs(m.reactivePower - qTrue) / s);
          worst.pf = Math.max(worst.pf, Math.abs(m.powerFactor - pTrue / s), Math.abs(m.displacementPowerFactor - dpf));
          worst.thd = Math.max(worst.thd, Math.abs(m.voltageThd - thdOf(truth.voltage)), Math.abs(m.currentThd - thdOf(truth.current)));
          // Every harmonic as a vector (magnitude and phase relative to the phase-A voltage fundamental).
          for (const [measured, phasesMeasured, signal] of [
            [m.voltageHarmonics, m.voltageHarmonicPhases, truth.voltage],
            [m.currentHarmonics, m.currentHarmonicPhases, truth.current],
          ] as const) {
            const fundamental = magnitudeAt(signal, 1);
            for (let h = 1; h <= Math.min(HARMONIC_ORDERS, nyquistOrder); h++) {
              const mag = magnitudeAt(signal, h);
              const phase = wrap(phaseAt(signal, h) - h * ref);
              const dRe = measured[h] * Math.cos(phasesMeasured[h]) - mag * Math.cos(phase);
              const dIm = measured[h] * Math.sin(phasesMeasured[h]) - mag * Math.sin(phase);
              const error = Math.hypot(dRe, dIm) / fundamental;
              worst.harmonic = Math.max(worst.harmonic, error);
              expect(error, `order ${h}`).toBeLessThan(5e-4);
            }
          }
        }
        expect(Math.abs(w.voltageUnbalance - unbalanceOf([phases[0].voltage, phases[1].voltage, phases[2].voltage]))).toBeLessThan(1e-4);
        expect(Math.abs(w.currentUnbalance - unbalanceOf([phases[0].current, phases[1].current, phases[2].current]))).toBeLessThan(1e-4);
        expect(w.phaseSequence).toBe('abc');
      }
      console.log(`${frequencyHz} Hz @ ${sampleRateHz}: worst rms ${(worst.rms * 100).toExponential(2)} %, P/Q ${(worst.power * 100).toExponential(2)} % of S, PF ${worst.pf.toExponential(2)}, f ${(worst.freq * 1000).toExponential(2)} mHz, harmonic ${(worst.harmonic * 100).toExponential(2)} % of h1, THD ${(worst.thd * 100).toExponential(2)} pp`);
    });
  }
});
