/**
 * The analytic phasor path and the sample path share their rules (one cyclesPerWindowFor, one
 * symmetrical-components routine), so they agree exactly where the two copies used to differ:
 * - at 55 Hz, where the phasor path took 12 cycles (nominalHz >= 55) and the sample path 10
 *   (frequencyHz > 55);
 * - on a near-tie of the sequence components, where the phasor path named a sequence whenever
 *   |X+| and |X-| differed by more than 1e-9 of the larger, and the sample path only beyond 5 % of
 *   the largest phase.
 * "The sample path" is what a meter gets from the scenario's samples: sampleMeasurementSource.
 */
import { describe, expect, it } from 'vitest';
import type { WindowMeasurement } from '../../../../src/metrology/measurement.js';
import { phasorMeasurementSource } from '../../../../src/metrology/phasor/phasor-measurement-source.js';
import { sampleMeasurementSource } from '../../../../src/metrology/sample-measurement-source.js';
import { cyclesPerWindowFor } from '../../../../src/metrology/window-plan.js';
import { balancedModel } from '../../../../src/waveform/synthetic/scenarios.js';
import { SyntheticSource } from '../../../../src/waveform/synthetic/synthetic-source.js';

const ORIGIN = 1_700_000_000;
const tolerance = 2e-4;

/** The same window from both paths. */
function bothPaths(source: SyntheticSource, timeS: number): { exact: WindowMeasurement; sampled: WindowMeasurement } {
  return { exact: phasorMeasurementSource(source).measureAt(timeS), sampled: sampleMeasurementSource(source).measureAt(timeS) };
}

function expectClose(sampled: number, exact: number, scale: number): void {
  expect(Math.abs(sampled - exact)).toBeLessThanOrEqual(tolerance * scale);
}

describe('one window rule: 10 cycles below 55 Hz, 12 from 55 Hz on', () => {
  it('cyclesPerWindowFor at 50, 54.99, 55 and 60 Hz', () => {
    expect(cyclesPerWindowFor(50)).toBe(10);
    expect(cyclesPerWindowFor(54.99)).toBe(10);
    expect(cyclesPerWindowFor(55)).toBe(12);
    expect(cyclesPerWindowFor(60)).toBe(12);
  });

  for (const nominalHz of [54.99, 55, 55.01]) {
    it(`a ${nominalHz} Hz system: both paths cut ${cyclesPerWindowFor(nominalHz)}-cycle windows and agree on the values`, () => {
      const model = balancedModel({ frequencyHz: nominalHz, nominalHz, currentRms: 12, displacementPowerFactor: 0.9 });
      const source = new SyntheticSource(model, `test:${nominalHz} Hz`, { originTimeS: ORIGIN, sampleRateHz: 6400 });
      for (const timeS of [ORIGIN + 0.5, ORIGIN + 7.25]) {
        const { exact, sampled } = bothPaths(source, timeS);
        const cycles = nominalHz >= 55 ? 12 : 10;
        expect(exact.cycles).toBe(cycles);
        expect(sampled.cycles).toBe(cycles);
        expectClose(sampled.durationS, exact.durationS, cycles / nominalHz);
        expect(exact.durationS).toBeCloseTo(cycles / nominalHz, 12);
        expectClose(sampled.frequencyHz, exact.frequencyHz, nominalHz);
        for (let p = 0; p < 3; p++) {
          expectClose(sampled.phases[p].voltageRms, exact.phases[p].voltageRms, 230);
          expectClose(sampled.phases[p].activePower, exact.phases[p].activePower, 230 * 12);
          expectClose(sampled.phases[p].reactivePower, exact.phases[p].reactivePower, 230 * 12);
        }
        expect(exact.phases[0].activePower).toBeCloseTo(230 * 12 * 0.9, 9);
        expect(sampled.phaseSequence).toBe('abc');
        expect(exact.phaseSequence).toBe('abc');
      }
    });
  }
});

describe('one phase-sequence tie rule: a sequence needs |X+ - X-| above 5 % of the largest phase', () => {
  /** A dead load (no current: the sequence comes from the voltages alone) on a drift-free 50 Hz supply. */
  function supply(): SyntheticSource {
    const source = new SyntheticSource(balancedModel({ frequencyHz: 50 }), 'test:tie', { originTimeS: ORIGIN, sampleRateHz: 6400 });
    source.apply({ kind: 'load', currentScale: 0 }, ORIGIN);
    return source;
  }

  it('one live phase: X+ = X-, both paths say unknown', () => {
    const source = supply();
    source.apply({ kind: 'interruption', phases: [1, 2] }, ORIGIN);
    const { exact, sampled } = bothPaths(source, ORIGIN + 1);
    expect(exact.phases[0].voltageRms).toBeCloseTo(230, 9);
    expect(exact.phaseSequence).toBe('unknown');
    expect(sampled.phaseSequence).toBe('unknown');
    expect(exact.voltageUnbalance).toBeCloseTo(1, 12);
    expectClose(sampled.voltageUnbalance, exact.voltageUnbalance, 1);
  });

  it('L2 at 3 % and L3 dead: |X+ - X-| = 3.4 V, under 5 % of 230 V: both say unknown (the old phasor rule said abc)', () => {
    const source = supply();
    source.apply({ kind: 'sag', phases: [1], residual: 0.03 }, ORIGIN);
    source.apply({ kind: 'interruption', phases: [2] }, ORIGIN);
    const { exact, sampled } = bothPaths(source, ORIGIN + 1);
    // X+ = 230 (1 + 0.03) / 3; X- = |230 + 6.9 e^{j 120 deg}| / 3: they differ by 3.43 V.
    const positive = (230 * 1.03) / 3;
    const negative = Math.hypot(230 - 6.9 / 2, (6.9 * Math.sqrt(3)) / 2) / 3;
    expect(positive - negative).toBeGreaterThan(1e-9 * positive);
    expect(positive - negative).toBeLessThan(0.05 * 230);
    expect(exact.voltageUnbalance).toBeCloseTo(negative / positive, 12);
    expect(exact.phaseSequence).toBe('unknown');
    expect(sampled.phaseSequence).toBe('unknown');
  });

  it('L3 lost: |X+ - X-| = 76.7 V, well over 5 %: both say abc', () => {
    const source = supply();
    source.apply({ kind: 'interruption', phases: [2] }, ORIGIN);
    const { exact, sampled } = bothPaths(source, ORIGIN + 1);
    expect(exact.voltageUnbalance).toBeCloseTo(0.5, 12);
    expect(exact.phaseSequence).toBe('abc');
    expect(sampled.phaseSequence).toBe('abc');
  });
});
