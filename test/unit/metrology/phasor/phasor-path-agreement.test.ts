/**
 * The analytic phasor path (phasorMeasurementSource, no samples) and this
 * metrology's sample path (the same scenario's samples through measureBlock) agree within
 * 0.02 % on every named scenario, window for window (same start time, with frequency drift on).
 */
import { describe, expect, it } from 'vitest';
import { phasorMeasurementSource } from '../../../../src/metrology/phasor/phasor-measurement-source.js';
import { measureBlock } from '../../../../src/metrology/measure-block.js';
import { SCENARIO_NAMES } from '../../../../src/waveform/synthetic/scenarios.js';
import { SyntheticSource } from '../../../../src/waveform/synthetic/synthetic-source.js';
import { sampleMeasurementSource } from '../../../../src/metrology/sample-measurement-source.js';

const tolerance = 2e-4;

describe('synthetic phasor path vs sample-path metrology', () => {
  for (const name of SCENARIO_NAMES) {
    for (const sampleRateHz of [6400, 5001.3]) {
      it(`${name} at ${sampleRateHz} S/s`, () => {
        const source = SyntheticSource.fromScenario(name, { sampleRateHz, originTimeS: 1000 });
        // Two windows from 1.3 s on and two across the voltage-sag scenario's event (starts at 2 s).
        for (const fromS of [1.3, 2.6]) {
          const block = source.read(Math.round(fromS * sampleRateHz), Math.round(0.6 * sampleRateHz));
          const windows = measureBlock(block, { nominalFrequencyHz: source.nominalFrequencyHz });
          expect(windows.length).toBeGreaterThanOrEqual(2);
          let checked = 0;
          for (const sampled of windows) {
            const t0 = sampled.startTimeS - source.originTimeS;
            if (source.timeline.breakpointsIn(t0, t0 + sampled.durationS).length > 0) continue;
            checked += 1;
            const exact = phasorMeasurementSource(source).measureAt(sampled.startTimeS);
            expect(sampled.cycles).toBe(exact.cycles);
            expect(Math.abs(sampled.frequencyHz / exact.frequencyHz - 1)).toBeLessThan(tolerance);
            expect(Math.abs(sampled.durationS / exact.durationS - 1)).toBeLessThan(tolerance);
            for (let p = 0; p < 3; p++) {
              const s = sampled.phases[p];
              const e = exact.phases[p];
              const scale = Math.max(e.apparentPower, 1e-9);
              expect(Math.abs(s.voltageRms - e.voltageRms)).toBeLessThanOrEqual(tolerance * e.voltageRms + 1e-9);
              expect(Math.abs(s.currentRms - e.currentRms)).toBeLessThanOrEqual(tolerance * e.currentRms + 1e-9);
              expect(Math.abs(s.activePower - e.activePower) / scale).toBeLessThan(tolerance);
              expect(Math.abs(s.reactivePower - e.reactivePower) / scale).toBeLessThan(tolerance);
              expect(Math.abs(s.apparentPower - e.apparentPower) / scale).toBeLessThan(tolerance);
              expect(Math.abs(s.budeanuReactivePower - e.budeanuReactivePower) / scale).toBeLessThan(tolerance);
              if (e.apparentPower > 0) {
                expect(Math.abs(s.powerFactor - e.powerFactor)).toBeLessThan(tolerance);
                expect(Math.abs(s.displacementPowerFactor - e.displacementPowerFactor)).toBeLessThan(tolerance);
              }
              expect(Math.abs(s.voltageThd - e.voltageThd)).toBeLessThan(tolerance);
              expect(Math.abs(s.currentThd - e.currentThd)).toBeLessThan(tolerance);
              const nyquistOrder = Math.ceil(sampleRateHz / 2 / sampled.frequencyHz) - 1;
              for (let h = 0; h <= Math.min(31, nyquistOrder); h++) {
                expect(Math.abs(s.voltageHarmonics[h] - e.voltageHarmonics[h])).toBeLessThanOrEqual(tolerance * e.voltageHarmonics[1] + 1e-9);
                expect(Math.abs(s.currentHarmonics[h] - e.currentHarmonics[h])).toBeLessThanOrEqual(tolerance * e.currentHarmonics[1] + 1e-9);
              }
            }
            for (let k = 0; k < 3; k++) {
              expect(Math.abs(sampled.lineVoltages[k] / exact.lineVoltages[k] - 1)).toBeLessThan(tolerance);
            }
            const neutralScale = Math.max(...exact.phases.map((ph) => ph.currentRms));
            expect(Math.abs(sampled.neutralCurrent - exact.neutralCurrent) / neutralScale).toBeLessThan(tolerance);
            expect(Math.abs(sampled.voltageUnbalance - exact.voltageUnbalance)).toBeLessThan(tolerance);
            expect(Math.abs(sampled.currentUnbalance - exact.currentUnbalance)).toBeLessThan(tolerance);
            expect(sampled.phaseSequence).toBe(exact.phaseSequence);
            expect(Math.abs(sampled.total.activePower - exact.total.activePower) / exact.total.apparentPower).toBeLessThan(tolerance);
            expect(Math.abs(sampled.total.reactivePower - exact.total.reactivePower) / exact.total.apparentPower).toBeLessThan(tolerance);
          }
          expect(checked).toBeGreaterThanOrEqual(1);
        }
      });
    }
  }
});

describe('sampleMeasurementSource over a SyntheticSource (what a meter gets from samples)', () => {
  it('agrees with the same source\'s phasor path at the meter clock (steady frequency)', () => {
    const synthetic = SyntheticSource.fromScenario('office', { originTimeS: 1_700_000_000, drift: false });
    const fromSamples = sampleMeasurementSource(synthetic);
    for (const t of [1_700_000_000.5, 1_700_000_123.25]) {
      const sampled = fromSamples.measureAt(t);
      const exact = phasorMeasurementSource(synthetic).measureAt(t);
      expect(sampled.startTimeS).toBe(t);
      expect(Math.abs(sampled.frequencyHz - exact.frequencyHz)).toBeLessThan(0.5e-3);
      expect(Math.abs(sampled.total.activePower - exact.total.activePower) / exact.total.apparentPower).toBeLessThan(tolerance);
      expect(Math.abs(sampled.total.reactivePower - exact.total.reactivePower) / exact.total.apparentPower).toBeLessThan(tolerance);
      for (let p = 0; p < 3; p++) {
        expect(Math.abs(sampled.phases[p].currentRms / exact.phases[p].currentRms - 1)).toBeLessThan(tolerance);
        expect(Math.abs(sampled.phases[p].currentThd - exact.phases[p].currentThd)).toBeLessThan(tolerance);
      }
    }
  });
});
