import { describe, expect, it } from 'vitest';
import type { DemandMethod } from '../../../src/meter/snapshot.js';
import { Meter } from '../../../src/meter/meter.js';
import { balancedLoad, PhasorSource, SettableSource } from '../../support/phasor-measurement.js';

const START = Date.UTC(2026, 0, 5, 6, 30); // Monday 06:30 UTC: tariff 3 (night) until 07:00, then 1 (day)
const SLOT_KW = [12, 24, 36, 48, 30, 6, 60, 0, 0, 18, 18, 18, 42];
const at = (h: number, m: number, s = 0): number => Date.UTC(2026, 0, 5, h, m, s);

/** A meter whose load is SLOT_KW[k] during the k-th 5-minute slot after START (unity PF). */
function runDemand(method: DemandMethod, untilMs: number): Meter {
  const source = new PhasorSource((t) => {
    // The power a tick at t reports is the power of (t - tick, t]: slot = ceil(elapsed / 300) - 1.
    const slot = Math.max(0, Math.ceil((t * 1000 - START) / 300_000) - 1);
    const kw = SLOT_KW[Math.min(slot, SLOT_KW.length - 1)];
    return balancedLoad(230, (kw * 1000) / 3 / 230, 0);
  });
  const meter = new Meter({ source, configuration: { demandMethod: method, demandPeriodS: 900, demandSubPeriodS: 300 } });
  for (let t = START; t <= untilMs; t += 10_000) meter.tick(t);
  return meter;
}

describe('demand', () => {
  it('block: averages each 15-minute interval, keeps the maximum with its time and tariff', () => {
    const meter = runDemand('block', at(7, 32, 30));
    const d = meter.snapshot().demand.activeImport;
    // Intervals: 06:30-06:45 (12, 24, 36) = 24 kW; 06:45-07:00 (48, 30, 6) = 28; 07:00-07:15 (60, 0, 0) = 20;
    // 07:15-07:30 (18, 18, 18) = 18.
    expect(d.last).toBeCloseTo(18_000, 6);
    expect(d.max).toBeCloseTo(28_000, 6);
    expect(d.maxTimeMs).toBe(at(7, 0));
    expect(d.maxByTariff[2]).toBeCloseTo(28_000, 6);
    expect(d.maxTimeByTariffMs[2]).toBe(at(7, 0));
    expect(d.maxByTariff[0]).toBeCloseTo(20_000, 6);
    expect(d.maxTimeByTariffMs[0]).toBe(at(7, 15));
    // Present: 07:30-07:32:30 at 42 kW.
    expect(d.present).toBeCloseTo(42_000, 6);
    const s = meter.snapshot().demand;
    expect(s.apparent.max).toBeCloseTo(28_000, 6);
    expect(s.reactive.max).toBeCloseTo(0, 6);
    expect(s.activeExport.max).toBe(0);
    expect(s.phaseCurrent[1].max).toBeCloseTo(28_000 / 3 / 230, 9);
  });

  it('sliding 15/5: the average of the last three sub-periods at each sub-period end', () => {
    const meter = runDemand('sliding', at(7, 32, 30));
    const d = meter.snapshot().demand.activeImport;
    // 06:45 24, 06:50 36, 06:55 38, 07:00 28, 07:05 32, 07:10 22, 07:15 20, 07:20 6, 07:25 12, 07:30 18.
    expect(d.last).toBeCloseTo(18_000, 6);
    expect(d.max).toBeCloseTo(38_000, 6);
    expect(d.maxTimeMs).toBe(at(6, 55));
    expect(d.maxByTariff[2]).toBeCloseTo(38_000, 6);
    expect(d.maxByTariff[0]).toBeCloseTo(32_000, 6);
    expect(d.maxTimeByTariffMs[0]).toBe(at(7, 5));
    // Present: (18 * 300 + 18 * 300 + 42 * 150) / 750 s.
    expect(d.present).toBeCloseTo(22_800, 6);
  });

  it('tracks the running sliding demand at each step (hand-computed series)', () => {
    const expected: [number, number][] = [
      [at(6, 45), 24],
      [at(6, 50), 36],
      [at(6, 55), 38],
      [at(7, 0), 28],
      [at(7, 5), 32],
      [at(7, 10), 22],
      [at(7, 15), 20],
      [at(7, 20), 6],
      [at(7, 25), 12],
    ];
    for (const [time, kw] of expected) {
      expect(runDemand('sliding', time).snapshot().demand.activeImport.last).toBeCloseTo(kw * 1000, 6);
    }
  });

  it('a demand reset clears the maxima and is logged', () => {
    const meter = runDemand('block', at(7, 20));
    expect(meter.snapshot().demand.activeImport.max).toBeGreaterThan(0);
    meter.resetDemand();
    const d = meter.snapshot().demand.activeImport;
    expect(d.max).toBe(0);
    expect(d.maxTimeMs).toBe(0);
    expect(d.maxByTariff.every((x) => x === 0)).toBe(true);
    expect(d.last).toBeCloseTo(20_000, 6);
    expect(meter.eventRecord(0)).toMatchObject({ kind: 'demand-reset', startMs: at(7, 20) });
  });

  it('closes billing periods on the configured day and time, keeping the last 12', () => {
    const source = new SettableSource(balancedLoad(230, 10, 0));
    const meter = new Meter({ source, configuration: { billingDayOfMonth: 15, billingTime: '06:00', utcOffsetMinutes: 60 } });
    const start = Date.UTC(2026, 0, 10);
    meter.tick(start);
    // First, to just past the first close (15 Jan 06:00 local = 05:00 UTC), hourly ticks with a 1-minute step across it.
    const close = Date.UTC(2026, 0, 15, 5, 0);
    meter.tick(close - 3_600_000 * 2);
    meter.tick(close - 3_600_000);
    meter.tick(close + 60_000);
    const energyAtClose = ((close - start) / 3_600_000) * 6900;
    const first = meter.billingRecord(0);
    expect(first?.sequence).toBe(1);
    expect(first?.startMs).toBe(start);
    expect(first?.endMs).toBe(close);
    expect(first?.energy.activeImportWh).toBeCloseTo(energyAtClose, 6);
    expect(first?.demand.activeImport.max).toBeCloseTo(6900, 6);
    // The maximum demand restarts after the close.
    expect(meter.snapshot().demand.activeImport.max).toBe(0);
    // 14 months later: 15 closes, the last 12 kept.
    for (let t = close + 3_600_000; t <= Date.UTC(2027, 2, 20); t += 3_600_000) meter.tick(t);
    expect(meter.snapshot().billingPeriodCount).toBe(15);
    expect(meter.billingRecord(0)?.endMs).toBe(Date.UTC(2027, 2, 15, 5, 0));
    expect(meter.billingRecord(11)?.sequence).toBe(4);
    expect(meter.billingRecord(12)).toBeUndefined();
    expect(meter.eventRecords().filter((e) => e.kind === 'billing-close')).toHaveLength(15);
  });
});
