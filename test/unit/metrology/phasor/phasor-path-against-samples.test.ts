/**
 * The phasor path against the samples of the same scenario: each named scenario's analytic window
 * equals the sample-domain means over its 10 whole cycles, and the values the scenarios promise
 * (THD, neutral current, reverse power, sags, unbalance, seeds) come out of the phasor path.
 */
import { describe, expect, it } from 'vitest';
import { phasorMeasurementSource } from '../../../../src/metrology/phasor/phasor-measurement-source.js';
import { SCENARIO_NAMES } from '../../../../src/waveform/synthetic/scenarios.js';
import { SyntheticSource } from '../../../../src/waveform/synthetic/synthetic-source.js';
import { checkAgainstSamples, meanSquare } from '../../../support/sample-domain-estimators.js';

describe('synthetic sources: phasor path against the samples', () => {
  for (const name of SCENARIO_NAMES) {
    it(`${name}: analytic window equals sample-domain means over 10 whole cycles`, () => {
      const source = SyntheticSource.fromScenario(name, { drift: false, seed: 7 });
      const start = 6400 * 3; // t = 3 s: after voltage-sag's first event
      const block = source.read(start, 1280);
      const m = phasorMeasurementSource(source).measureAt(3);
      expect(m.cycles).toBe(10);
      expect(m.frequencyHz).toBeCloseTo(50, 12);
      expect(m.durationS).toBeCloseTo(0.2, 12);
      checkAgainstSamples(block, m, 128, 1e-10);
    });
  }

  it('vsd has a current THD of about 35 % and office a triplen neutral current', () => {
    const vsd = phasorMeasurementSource(SyntheticSource.fromScenario('vsd')).measureAt(0);
    expect(vsd.phases[1].currentThd).toBeCloseTo(Math.sqrt(0.09 + 0.0225 + 0.0049 + 0.0025 + 0.0004 + 0.000225), 12);
    const office = phasorMeasurementSource(SyntheticSource.fromScenario('office')).measureAt(0);
    // I3 = 20 % and I9 = 3 % of 20 A in phase on all three lines: IN = 3 * 20 * sqrt(0.2^2 + 0.03^2).
    expect(office.neutralCurrent).toBeCloseTo(60 * Math.hypot(0.2, 0.03), 9);
    expect(office.phases[0].displacementPowerFactor).toBeCloseTo(0.92, 12);
    expect(office.phaseSequence).toBe('abc');
    expect(office.voltageUnbalance).toBeLessThan(1e-12);
  });

  it('solar-export reverses power; sag scenario sags L1 to 40 % in the event', () => {
    const solar = phasorMeasurementSource(SyntheticSource.fromScenario('solar-export')).measureAt(0);
    expect(solar.total.activePower).toBeLessThan(-12000);
    expect(solar.phases[0].powerFactor).toBeLessThan(-0.98);
    // capacitive export: Q1 < 0 (quadrant III)
    expect(solar.phases[0].reactivePower).toBeLessThan(0);
    expect(solar.phases[0].currentHarmonics[0]).toBeCloseTo(0.02, 12);
    const sag = SyntheticSource.fromScenario('voltage-sag', { drift: false });
    expect(phasorMeasurementSource(sag).measureAt(1).phases[0].voltageRms).toBeCloseTo(230, 9);
    expect(phasorMeasurementSource(sag).measureAt(2.1).phases[0].voltageRms).toBeCloseTo(92, 9);
    expect(phasorMeasurementSource(sag).measureAt(2.1).phases[1].voltageRms).toBeCloseTo(161, 9);
    expect(phasorMeasurementSource(sag).measureAt(12.2).phases[0].voltageRms).toBeCloseTo(92, 9);
    expect(phasorMeasurementSource(sag).measureAt(2.7).phases[0].voltageRms).toBeCloseTo(230, 9);
    // A window straddling the sag's start: exact time-weighted mean square.
    const straddle = phasorMeasurementSource(sag).measureAt(1.9);
    expect(straddle.phases[0].voltageRms).toBeCloseTo(Math.sqrt(0.5 * 230 ** 2 + 0.5 * 92 ** 2), 9);
    const block = sag.read(Math.round(1.9 * 6400), 1280);
    expect(straddle.phases[0].voltageRms).toBeCloseTo(Math.sqrt(meanSquare(block.voltage[0])), 6);
  });

  it('unbalanced loads give negative-sequence current and a neutral current', () => {
    const m = phasorMeasurementSource(SyntheticSource.fromScenario('unbalanced')).measureAt(0);
    expect(m.currentUnbalance).toBeGreaterThan(0.3);
    expect(m.voltageUnbalance).toBeGreaterThan(0.002);
    expect(m.neutralCurrent).toBeGreaterThan(10);
  });

  it('a fleet of seeds gives different, reproducible loads', () => {
    const powers = [1, 2, 3, 4, 5].map((seed) => phasorMeasurementSource(SyntheticSource.fromScenario('office', { seed })).measureAt(0).total.activePower);
    expect(new Set(powers.map((p) => p.toFixed(3))).size).toBe(5);
    expect(phasorMeasurementSource(SyntheticSource.fromScenario('office', { seed: 3 })).measureAt(0).total.activePower).toBe(powers[2]);
    const solar = [1, 2, 3, 4, 5].map((seed) => phasorMeasurementSource(SyntheticSource.fromScenario('solar-export', { seed })).measureAt(0));
    for (const m of solar) expect(m.total.activePower).toBeLessThan(0);
  });
});
