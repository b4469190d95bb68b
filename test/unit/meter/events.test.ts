import { describe, expect, it } from 'vitest';
import { Meter } from '../../../src/meter/meter.js';
import type { MeterEventRecord } from '../../../src/meter/snapshot.js';
import { balancedLoad, SettableSource, type PhasorLoad } from '../../support/phasor-measurement.js';

const START = Date.UTC(2026, 3, 1, 12, 0);
const NORMAL = balancedLoad(230, 10, 0.2);

/** A meter driven one tick per second; `hold(load, s)` keeps a load for s seconds. */
function harness(config: ConstructorParameters<typeof Meter>[0]['configuration'] = {}) {
  const source = new SettableSource(NORMAL);
  const meter = new Meter({ source, configuration: config });
  let now = START;
  meter.tick(now);
  return {
    meter,
    get now() {
      return now;
    },
    hold(load: PhasorLoad, seconds: number): number {
      source.load = load;
      const first = now + 1000;
      for (let i = 0; i < seconds; i += 1) {
        now += 1000;
        meter.tick(now);
      }
      return first;
    },
    events(kind: string): MeterEventRecord[] {
      return meter.eventRecords().filter((e) => e.kind === kind);
    },
  };
}

function withPhase(load: PhasorLoad, phase: number, change: Partial<{ voltage: number; current: number; phi: number }>): PhasorLoad {
  const next = structuredClone(load);
  if (change.voltage !== undefined) next.voltage[phase] = change.voltage;
  if (change.current !== undefined) next.current[phase] = change.current;
  if (change.phi !== undefined) next.phi[phase] = change.phi;
  return next;
}

describe('event log', () => {
  it('sag: starts below 90 %, stays until above 92 %, records the lowest voltage', () => {
    const h = harness();
    h.hold(NORMAL, 5);
    const start = h.hold(withPhase(NORMAL, 1, { voltage: 200 }), 3); // 87 %
    h.hold(withPhase(NORMAL, 1, { voltage: 190 }), 2);
    h.hold(withPhase(NORMAL, 1, { voltage: 210 }), 4); // 91.3 %: inside the hysteresis band
    expect(h.events('sag')[0]?.endMs).toBe(0);
    const end = h.hold(NORMAL, 2);
    expect(h.events('sag')).toEqual([expect.objectContaining({ phase: 2, startMs: start, endMs: end, extremeValue: 190 })]);
  });

  it('swell: above 110 % until below 108 %, records the highest voltage', () => {
    const h = harness();
    const start = h.hold(withPhase(NORMAL, 0, { voltage: 258 }), 3); // 112 %
    h.hold(withPhase(NORMAL, 0, { voltage: 250 }), 3); // 108.7 %: still on
    const end = h.hold(withPhase(NORMAL, 0, { voltage: 245 }), 1);
    expect(h.events('swell')).toEqual([expect.objectContaining({ phase: 1, startMs: start, endMs: end, extremeValue: 258 })]);
  });

  it('interruption when all phases fall below 10 %, phase loss when one does', () => {
    const h = harness();
    const lossStart = h.hold(withPhase(NORMAL, 2, { voltage: 0, current: 0 }), 4);
    const lossEnd = h.hold(NORMAL, 1);
    expect(h.events('phase-loss')).toEqual([expect.objectContaining({ phase: 3, startMs: lossStart, endMs: lossEnd, extremeValue: 0 })]);
    const dead: PhasorLoad = { voltage: [5, 8, 6], current: [0, 0, 0], phi: [0, 0, 0] };
    const outStart = h.hold(dead, 6);
    h.hold({ ...dead, voltage: [20, 26, 25] }, 2); // highest 26 V = 11.3 %: still interrupted (ends above 12 %)
    const outEnd = h.hold(NORMAL, 1);
    expect(h.events('interruption')).toEqual([
      expect.objectContaining({ phase: 0, startMs: outStart, endMs: outEnd, extremeValue: 8 }),
    ]);
    // During the interruption no phase-loss events are opened, but each phase logs its dip.
    expect(h.events('phase-loss')).toHaveLength(1);
    expect(h.events('sag').filter((e) => e.startMs === outStart)).toHaveLength(3);
  });

  it('over-current above the maximum current until below 98 % of it', () => {
    const h = harness({ maxCurrent: 60 });
    const start = h.hold(withPhase(NORMAL, 0, { current: 61 }), 2);
    h.hold(withPhase(NORMAL, 0, { current: 75 }), 2);
    h.hold(withPhase(NORMAL, 0, { current: 59 }), 2); // 98.3 %: still on
    const end = h.hold(NORMAL, 1);
    expect(h.events('over-current')).toEqual([expect.objectContaining({ phase: 1, startMs: start, endMs: end, extremeValue: 75 })]);
  });

  it('reverse power: only after 10 s, dated back to its beginning', () => {
    const h = harness();
    h.hold(withPhase(NORMAL, 1, { phi: Math.PI }), 9); // 9 s: not an event
    h.hold(NORMAL, 1);
    expect(h.events('reverse-power')).toHaveLength(0);
    const start = h.hold(withPhase(NORMAL, 1, { phi: Math.PI }), 12);
    const end = h.hold(NORMAL, 1);
    expect(h.events('reverse-power')).toEqual([
      expect.objectContaining({ phase: 2, startMs: start, endMs: end, extremeValue: -2300 }),
    ]);
  });

  it('phase-sequence error while the rotation is acb', () => {
    const h = harness();
    const start = h.hold({ ...NORMAL, sequence: 'acb' }, 3);
    const end = h.hold(NORMAL, 1);
    expect(h.events('phase-sequence')).toEqual([expect.objectContaining({ phase: 0, startMs: start, endMs: end })]);
  });

  it('current unbalance above 30 % for 5 minutes', () => {
    const h = harness();
    const unbalanced = withPhase(NORMAL, 2, { current: 2 }); // 10, 10, 2 A
    h.hold(unbalanced, 299);
    h.hold(NORMAL, 1);
    expect(h.events('current-unbalance')).toHaveLength(0);
    const start = h.hold(unbalanced, 301);
    const end = h.hold(NORMAL, 1);
    const events = h.events('current-unbalance');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ startMs: start, endMs: end });
    // |I2| / |I1| for 10, 10, 2 A at 120 deg: (10 - 2) / (10 + 10 + 2) = 0.3636...
    expect(events[0].extremeValue).toBeCloseTo(8 / 22, 9);
  });

  it('tamper, cover, relay, configuration change and demand reset are logged with start and end', () => {
    const h = harness();
    h.hold(NORMAL, 2);
    const tamperAt = h.now;
    h.meter.setMagneticTamper(true);
    h.meter.setCoverOpen(true);
    h.hold(NORMAL, 3);
    h.meter.setMagneticTamper(false);
    h.meter.setCoverOpen(false);
    expect(h.events('magnetic-tamper')).toEqual([expect.objectContaining({ startMs: tamperAt, endMs: tamperAt + 3000 })]);
    expect(h.events('cover-open')).toEqual([expect.objectContaining({ startMs: tamperAt, endMs: tamperAt + 3000 })]);
    const before = h.meter.activeImportWh();
    h.meter.setRelay(false);
    h.hold(NORMAL, 10);
    const s = h.meter.snapshot();
    expect(s.relayClosed).toBe(false);
    expect(s.measurement.phases[0].currentRms).toBe(0);
    expect(s.measurement.phases[0].voltageRms).toBe(230);
    expect(h.meter.activeImportWh()).toBe(before);
    h.meter.setRelay(true);
    expect(h.events('relay-open')).toEqual([expect.objectContaining({ startMs: tamperAt + 3000, endMs: tamperAt + 13_000 })]);
    h.meter.updateSettings({ ctRatio: 40, demandPeriodS: 1800 });
    expect(h.events('configuration-change').map((e) => e.detail)).toEqual(['ctRatio 1 -> 40', 'demandPeriodS 900 -> 1800']);
    h.meter.resetDemand();
    expect(h.meter.eventRecord(0)?.kind).toBe('demand-reset');
    expect(h.meter.eventRecord(0)?.sequence).toBe(h.meter.snapshot().eventCount);
  });

  it('keeps a ring of at least 256 events, newest first by index', () => {
    const h = harness();
    for (let i = 0; i < 600; i += 1) {
      h.meter.resetDemand();
      h.hold(NORMAL, 1);
    }
    expect(h.meter.snapshot().eventCount).toBe(600);
    expect(h.meter.eventRecord(0)?.sequence).toBe(600);
    expect(h.meter.eventRecord(255)?.sequence).toBe(345);
    expect(h.meter.eventRecord(511)?.sequence).toBe(89);
    expect(h.meter.eventRecord(512)).toBeUndefined();
  });
});
