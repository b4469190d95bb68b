/**
 * The phasor path's cache (PhasorWindowMeasurer, behind phasorMeasurementSource's measureAt) must give
 * exactly the uncached measurement (measureTimelineWindow, computed from scratch) in every
 * situation: steady periods with frequency drift, windows cut by a scheduled change (sag start
 * and end), changes applied and ended at run time, frequency changes, harmonics beyond the base
 * model's orders. "Exactly" means toStrictEqual: every number bit for bit (+0 and -0 differ).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WindowMeasurement } from '../../../../src/metrology/measurement.js';
import type { MeasurementSource } from '../../../../src/metrology/measurement-source.js';
import { measureTimelineWindow } from '../../../../src/metrology/phasor/measure-timeline-window.js';
import { phasorMeasurementSource } from '../../../../src/metrology/phasor/phasor-measurement-source.js';
import type { ScenarioChange } from '../../../../src/waveform/synthetic/scenario-change.js';
import { SCENARIO_NAMES } from '../../../../src/waveform/synthetic/scenarios.js';
import { SyntheticSource } from '../../../../src/waveform/synthetic/synthetic-source.js';

const ORIGIN = Date.UTC(2026, 0, 1) / 1000;

/** One phasor measurement source per synthetic source, so its cache lives across calls. */
const phasorSources = new WeakMap<SyntheticSource, MeasurementSource>();

function phasorsOf(source: SyntheticSource): MeasurementSource {
  let measured = phasorSources.get(source);
  if (measured === undefined) {
    measured = phasorMeasurementSource(source);
    phasorSources.set(source, measured);
  }
  return measured;
}

/** measureAt (cached) next to the uncached reference on the same timeline. */
function both(source: SyntheticSource, timeS: number): { cached: WindowMeasurement; uncached: WindowMeasurement } {
  const cached = phasorsOf(source).measureAt(timeS);
  const uncached = measureTimelineWindow(source.timeline, timeS - source.originTimeS, timeS);
  return { cached, uncached };
}

function expectIdentical(source: SyntheticSource, timeS: number): WindowMeasurement {
  const { cached, uncached } = both(source, timeS);
  expect(cached).toStrictEqual(uncached);
  return cached;
}

describe('phasor measurement source cache', () => {
  it('equals the uncached measurement on every scenario, window after window, with drift', () => {
    for (const name of SCENARIO_NAMES) {
      for (const seed of [undefined, 11]) {
        const source = SyntheticSource.fromScenario(name, { originTimeS: ORIGIN, seed, noiseSnrDb: seed === undefined ? undefined : 60 });
        // 0.2 s steps through 30 s (voltage-sag: three sags, each starting and ending inside a window),
        // plus a stretch a day later (large t0).
        for (let k = 0; k < 150; k++) expectIdentical(source, ORIGIN + k * 0.2);
        for (let k = 0; k < 20; k++) expectIdentical(source, ORIGIN + 86_400 + k * 0.2 + 0.013);
      }
    }
  });

  it('reuses the steady parts under one model while drift moves duration and frequency', () => {
    const source = SyntheticSource.fromScenario('vsd', { originTimeS: ORIGIN, seed: 3 });
    const first = expectIdentical(source, ORIGIN + 29);
    const second = expectIdentical(source, ORIGIN + 29.2);
    // Drift: f = 50 + 0.02 sin(2 pi t / P) moves every window, so the timing differs...
    expect(second.frequencyHz).not.toBe(first.frequencyHz);
    expect(second.durationS).not.toBe(first.durationS);
    expect(Math.abs(second.frequencyHz - 50)).toBeLessThan(0.02);
    // ...while the electrical values are the same numbers, and the harmonic arrays one cached object.
    expect(second.phases).toStrictEqual(first.phases);
    expect(second.total).toStrictEqual(first.total);
    expect(second.phases[0].currentHarmonics).toBe(first.phases[0].currentHarmonics);
    // Every call returns its own measurement object, sharing the steady parts, which are frozen:
    // writing one result throws instead of changing the next.
    expect(second).not.toBe(first);
    expect(second.phases[0]).toBe(first.phases[0]);
    expect(second.total).toBe(first.total);
    expect(() => {
      first.phases[0].activePower = -1;
    }).toThrow(TypeError);
    expect(() => {
      first.total.activePower = -1;
    }).toThrow(TypeError);
    expect(() => {
      first.lineVoltages[0] = -1;
    }).toThrow(TypeError);
    const third = expectIdentical(source, ORIGIN + 29.4);
    expect(third.phases[0].activePower).toBe(second.phases[0].activePower);
    expect(third.total.activePower).toBe(second.total.activePower);
    expect(third.lineVoltages[0]).toBe(second.lineVoltages[0]);
  });

  it('follows a sag exactly: before, straddling its start, during, straddling its end, after', () => {
    const source = SyntheticSource.fromScenario('office', { originTimeS: ORIGIN, seed: 5 });
    const steady = expectIdentical(source, ORIGIN + 0.4);
    const sag = source.apply({ kind: 'sag', phases: [0], residual: 0.4 }, ORIGIN + 1.05, 0.5);
    const before = expectIdentical(source, ORIGIN + 0.8); // ends at ~1.0: before the sag
    expect(before.phases[0].voltageRms).toBe(steady.phases[0].voltageRms);
    const start = expectIdentical(source, ORIGIN + 1.0); // cut at 1.05
    const during = expectIdentical(source, ORIGIN + 1.2);
    const end = expectIdentical(source, ORIGIN + 1.45); // cut at 1.55
    const after = expectIdentical(source, ORIGIN + 1.6);
    const u = steady.phases[0].voltageRms;
    expect(during.phases[0].voltageRms / u).toBeCloseTo(0.4, 12);
    expect(start.phases[0].voltageRms).toBeLessThan(u);
    expect(start.phases[0].voltageRms).toBeGreaterThan(during.phases[0].voltageRms);
    expect(end.phases[0].voltageRms).toBeGreaterThan(during.phases[0].voltageRms);
    expect(after.phases[0]).toStrictEqual({ ...steady.phases[0] });
    // Ended early at run time: the window that held the rest of the sag is back to steady.
    source.end(sag, ORIGIN + 1.3);
    expect(expectIdentical(source, ORIGIN + 1.35).phases[0].voltageRms).toBe(u);
    expect(expectIdentical(source, ORIGIN + 1.2).phases[0].voltageRms).toBeLessThan(u); // cut at 1.3
  });

  it('sees a change applied after its model was cached, and its end', () => {
    const source = SyntheticSource.fromScenario('ev-charger', { originTimeS: ORIGIN, seed: 2 });
    const steady = expectIdentical(source, ORIGIN + 10);
    const load = source.apply({ kind: 'load', currentScale: 0.5 }, ORIGIN + 20);
    const half = expectIdentical(source, ORIGIN + 21);
    expect(half.phases[1].currentRms / steady.phases[1].currentRms).toBeCloseTo(0.5, 12);
    // A later change must not leak into the earlier time (a stale model after add).
    source.apply({ kind: 'swell', factor: 1.1 }, ORIGIN + 100);
    expect(expectIdentical(source, ORIGIN + 10).phases).toStrictEqual(steady.phases);
    expect(expectIdentical(source, ORIGIN + 21).phases).toStrictEqual(half.phases);
    source.end(load, ORIGIN + 30);
    expect(expectIdentical(source, ORIGIN + 31).phases).toStrictEqual(steady.phases);
    expect(expectIdentical(source, ORIGIN + 101).phases[0].voltageRms / steady.phases[0].voltageRms).toBeCloseTo(1.1, 12);
  });

  it('frequency changes: exact through the general phase integral; the shortcut without them is exact too', () => {
    const plain = SyntheticSource.fromScenario('office', { originTimeS: ORIGIN, seed: 4 });
    // A frequency change far in the future switches the timeline to its general path (the model
    // lookup per frequency evaluation); before it takes effect, nothing may differ.
    const general = SyntheticSource.fromScenario('office', { originTimeS: ORIGIN, seed: 4 });
    general.apply({ kind: 'frequency', offsetHz: 0.3 }, ORIGIN + 1e6);
    for (const t of [0, 0.2, 37.3, 3600]) expect(expectIdentical(general, ORIGIN + t)).toStrictEqual(expectIdentical(plain, ORIGIN + t));
    // A step mid-window, then steady at the new offset.
    plain.apply({ kind: 'frequency', offsetHz: -0.25 }, ORIGIN + 50.1);
    const cut = expectIdentical(plain, ORIGIN + 50);
    const moved = expectIdentical(plain, ORIGIN + 51);
    expect(cut.frequencyHz).toBeLessThan(50.021);
    expect(cut.frequencyHz).toBeGreaterThan(moved.frequencyHz);
    expect(moved.frequencyHz).toBeCloseTo(49.75, 1);
  });

  it('a change adding orders above the base model (wider spectra inside a cut window)', () => {
    const source = SyntheticSource.fromScenario('balanced-resistive', { originTimeS: ORIGIN });
    source.apply({ kind: 'load', currentHarmonics: [{ order: 45, ratio: 0.1, phaseRad: 0.3 }] }, ORIGIN + 1.1, 1);
    for (const t of [0.8, 1.0, 1.2, 1.4, 2.0, 2.2, 2.4]) expectIdentical(source, ORIGIN + t);
    const inside = expectIdentical(source, ORIGIN + 1.4);
    // Order 45 counts in the RMS (sqrt(1 + 0.01) times the fundamental), not in the arrays.
    expect(inside.phases[0].currentRms / inside.phases[0].currentHarmonics[1]).toBeCloseTo(Math.sqrt(1.01), 12);
  });

  it('property: any sequence of changes and windows gives the uncached measurement', () => {
    const phase = fc.constantFrom<0 | 1 | 2>(0, 1, 2);
    const change: fc.Arbitrary<ScenarioChange> = fc.oneof(
      fc.record({ kind: fc.constant('sag' as const), phases: fc.array(phase, { minLength: 1, maxLength: 3 }), residual: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ kind: fc.constant('swell' as const), factor: fc.double({ min: 1, max: 1.3, noNaN: true }) }),
      fc.record({ kind: fc.constant('load' as const), currentScale: fc.double({ min: 0, max: 3, noNaN: true }) }),
      fc.record({ kind: fc.constant('interruption' as const) }),
      fc.record({ kind: fc.constant('reverse-power' as const) }),
      fc.record({ kind: fc.constant('frequency' as const), offsetHz: fc.double({ min: -1, max: 1, noNaN: true }) }),
      fc.constant<ScenarioChange>({ kind: 'restore' }),
    );
    const scheduled = fc.record({
      change,
      atS: fc.double({ min: 0, max: 20, noNaN: true }),
      durationS: fc.option(fc.double({ min: 0.01, max: 5, noNaN: true }), { nil: undefined }),
      endAtS: fc.option(fc.double({ min: 0, max: 25, noNaN: true }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...SCENARIO_NAMES),
        fc.array(scheduled, { maxLength: 6 }),
        fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 1, maxLength: 25 }),
        (name, changes, times) => {
          const source = SyntheticSource.fromScenario(name, { originTimeS: ORIGIN, seed: 9 });
          // Measure first (fills the cache), then change, then measure again.
          for (const t of times) expectIdentical(source, ORIGIN + t);
          for (const c of changes) {
            const handle = source.apply(c.change, ORIGIN + c.atS, c.durationS);
            if (c.endAtS !== undefined) source.end(handle, ORIGIN + c.endAtS);
          }
          for (const t of times) expectIdentical(source, ORIGIN + t);
          for (const t of [...times].sort((a, b) => a - b)) expectIdentical(source, ORIGIN + t);
        },
      ),
      { numRuns: 60, seed: 20261123 },
    );
  });
});
