import { describe, expect, it } from 'vitest';
import { phasorMeasurementSource } from '../../../src/metrology/phasor/phasor-measurement-source.js';
import { ScenarioRunner } from '../../../src/control/scenario-runner.js';
import { syntheticPhysicalTarget } from '../../../src/control/synthetic-physical-target.js';
import { SyntheticSource } from '../../../src/waveform/synthetic/synthetic-source.js';

const T0 = 1_700_000_000; // source origin, meter clock (s)

function setup(): { source: SyntheticSource; runner: ScenarioRunner; clock: { nowMs(): number; setMs(ms: number): void } } {
  const source = SyntheticSource.fromScenario('balanced-resistive', { originTimeS: T0, drift: false });
  let now = T0 * 1000;
  const clock = { nowMs: () => now, setMs: (ms: number) => (now = ms) };
  return { source, runner: new ScenarioRunner(syntheticPhysicalTarget(source), clock), clock };
}

const voltages = (source: SyntheticSource, timeS: number): number[] => phasorMeasurementSource(source).measureAt(timeS).phases.map((p) => p.voltageRms);

describe('physical scenarios on a synthetic source', () => {
  it('a 200 ms sag on L2 shows in L2 for exactly its window and nowhere else', () => {
    const { source, runner } = setup();
    const start = (T0 + 10) * 1000;
    const active = runner.begin({ kind: 'sag', phase: 2, depth: 0.5, durationMs: 200 }, start);
    expect(active.endMs).toBe(start + 200);
    const during = voltages(source, T0 + 10);
    expect(during[0]).toBeCloseTo(230, 6);
    expect(during[1]).toBeCloseTo(115, 6);
    expect(during[2]).toBeCloseTo(230, 6);
    expect(voltages(source, T0 + 9.8)).toEqual(voltages(source, T0 + 9.8).map(() => expect.closeTo(230, 6)));
    expect(voltages(source, T0 + 10.2)[1]).toBeCloseTo(230, 6);
    // a window half in the sag: mean square of 230 and 115 weighted 1/2
    expect(voltages(source, T0 + 10.1)[1]).toBeCloseTo(Math.sqrt((230 ** 2 + 115 ** 2) / 2), 3);
  });

  it('an open-ended phase loss ends when it is ended, at that time', () => {
    const { source, runner, clock } = setup();
    const loss = runner.begin({ kind: 'phase-loss', phase: 3 }, (T0 + 20) * 1000);
    expect(phasorMeasurementSource(source).measureAt(T0 + 21).phases[2].voltageRms).toBe(0);
    expect(phasorMeasurementSource(source).measureAt(T0 + 21).phases[2].currentRms).toBe(0);
    clock.setMs((T0 + 30) * 1000);
    expect(runner.list().map((s) => s.id)).toEqual([loss.id]);
    expect(runner.end(loss.id)).toBe(true);
    expect(phasorMeasurementSource(source).measureAt(T0 + 29.5).phases[2].voltageRms).toBe(0);
    expect(phasorMeasurementSource(source).measureAt(T0 + 30).phases[2].voltageRms).toBeCloseTo(230, 6);
    expect(runner.list()).toEqual([]);
  });

  it('load, reverse power and frequency deviation reach the measurement', () => {
    const { source, runner } = setup();
    runner.begin({ kind: 'load', phase: 1, currentA: 5, powerFactor: -0.8 }, (T0 + 1) * 1000);
    const load = phasorMeasurementSource(source).measureAt(T0 + 2).phases[0];
    expect(load.currentRms).toBeCloseTo(5, 6);
    expect(load.displacementPowerFactor).toBeCloseTo(0.8, 6);
    expect(load.reactivePower).toBeCloseTo(-230 * 5 * 0.6, 4); // capacitive: Q < 0
    expect(phasorMeasurementSource(source).measureAt(T0 + 2).phases[1].currentRms).toBeCloseTo(10, 6);

    runner.begin({ kind: 'reverse-power', phase: 2, durationMs: 1000 }, (T0 + 3) * 1000);
    expect(phasorMeasurementSource(source).measureAt(T0 + 3).phases[1].activePower).toBeCloseTo(-2300, 4);
    expect(phasorMeasurementSource(source).measureAt(T0 + 4).phases[1].activePower).toBeCloseTo(2300, 4);

    runner.begin({ kind: 'frequency', hz: 49.5, durationMs: 5000 }, (T0 + 5) * 1000);
    expect(phasorMeasurementSource(source).measureAt(T0 + 6).frequencyHz).toBeCloseTo(49.5, 6);
    expect(phasorMeasurementSource(source).measureAt(T0 + 11).frequencyHz).toBeCloseTo(50, 6);
  });

  it('timed scenarios are forgotten once over; an invalid one is refused naming the field', () => {
    const { runner, clock } = setup();
    runner.begin({ kind: 'swell', rise: 0.15, durationMs: 500 }, (T0 + 1) * 1000);
    clock.setMs((T0 + 1) * 1000 + 499);
    expect(runner.list()).toHaveLength(1);
    clock.setMs((T0 + 1) * 1000 + 500);
    expect(runner.list()).toHaveLength(0);
    expect(() => runner.begin({ kind: 'sag', phase: 4, depth: 0.5, durationMs: 100 })).toThrow(/phase/);
    expect(() => runner.begin({ kind: 'sag', depth: 0.5 })).toThrow(/durationMs/);
    expect(() => runner.begin({ kind: 'magnetic-tamper' })).toThrow(/cannot inject magnetic-tamper/);
  });
});

describe('physicalTargetFor', () => {
  it('a recording takes tamper and cover open, not changes on the wires', async () => {
    const { BlockSampleSource } = await import('../../../src/waveform/block-source.js');
    const { allocateSampleBlock } = await import('../../../src/waveform/sample-block-views.js');
    const { Meter } = await import('../../../src/meter/meter.js');
    const { physicalTargetFor } = await import('../../../src/control/synthetic-physical-target.js');
    const recording = new BlockSampleSource(allocateSampleBlock(6400, 6400, 0), 'recording', 50);
    const meter = new Meter({ source: phasorMeasurementSource(SyntheticSource.fromScenario('balanced-resistive', { originTimeS: T0, drift: false })) });
    meter.tick(T0 * 1000);
    let now = T0 * 1000;
    const runner = new ScenarioRunner(physicalTargetFor(recording, meter), { nowMs: () => now });
    expect(() => runner.begin({ kind: 'sag', depth: 0.5, durationMs: 100 })).toThrow(/sag needs a synthetic source/);
    const tamper = runner.begin({ kind: 'magnetic-tamper', durationMs: 1000 });
    expect(meter.eventRecord(0)).toMatchObject({ kind: 'magnetic-tamper', endMs: 0 });
    now += 1000;
    meter.tick(now);
    expect(runner.list()).toEqual([]);
    expect(meter.eventRecord(0)).toMatchObject({ kind: 'magnetic-tamper', startMs: T0 * 1000, endMs: T0 * 1000 + 1000 });
    expect(runner.end(tamper.id)).toBe(false);
  });
});
