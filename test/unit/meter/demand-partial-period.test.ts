/**
 * A meter started mid-sub-period under a constant load: the partial first sub-period must not be
 * counted as a whole one. Real meters never report a demand above or below a constant load, and
 * show no maximum demand before their first full period.
 */
import { describe, expect, it } from 'vitest';
import type { DemandMethod } from '../../../src/meter/snapshot.js';
import { Meter } from '../../../src/meter/meter.js';
import { DemandCalculator } from '../../../src/meter/demand.js';
import { balancedLoad, phasorMeasurement, SettableSource } from '../../support/phasor-measurement.js';

const LOAD_W = 12_709;
const START = Date.UTC(2026, 0, 5, 6, 11, 41); // 3 min 19 s before the 06:15 boundary
const FIRST_FULL_PERIOD_END = Date.UTC(2026, 0, 5, 6, 30); // 06:15-06:30, 3 x 5 min or 1 x 15 min
const UNTIL = Date.UTC(2026, 0, 5, 7, 5);

function relative(value: number, expected: number): number {
  return Math.abs(value - expected) / expected;
}

describe.each<[DemandMethod]>([['block'], ['sliding']])('%s demand, constant load started mid-sub-period', (method) => {
  it('reads the load exactly at every tick after the first full period, and no maximum before it', () => {
    const source = new SettableSource(balancedLoad(230, LOAD_W / 3 / 230, 0));
    const meter = new Meter({ source, configuration: { demandMethod: method, demandPeriodS: 900, demandSubPeriodS: 300 } });
    let checked = 0;
    for (let t = START; t <= UNTIL; t += 1000) {
      meter.tick(t);
      const snapshot = meter.snapshot();
      const load = snapshot.measurement.total.activePower;
      expect(relative(load, LOAD_W)).toBeLessThan(1e-9);
      const demand = snapshot.demand.activeImport;
      if (t < FIRST_FULL_PERIOD_END) {
        expect(demand.max, `max at ${new Date(t).toISOString()}`).toBe(0);
      } else {
        expect(relative(demand.present, load), `present at ${new Date(t).toISOString()}: ${demand.present}`).toBeLessThan(1e-9);
        expect(relative(demand.max, load), `max at ${new Date(t).toISOString()}: ${demand.max}`).toBeLessThan(1e-9);
        checked += 1;
      }
    }
    expect(checked).toBe((UNTIL - FIRST_FULL_PERIOD_END) / 1000 + 1);
  });
});

describe('a partial sub-period in the middle (a minute not measured)', () => {
  it('is dropped and restarts the window: the maximum never falls below the constant load', () => {
    const measurement = phasorMeasurement(balancedLoad(230, LOAD_W / 3 / 230, 0), 0);
    const demand = new DemandCalculator('sliding', 900, 300);
    const boundary = (k: number): number => START + k * 300_000;
    for (let k = 1; k <= 3; k += 1) {
      demand.accumulate(measurement, 300);
      demand.closeSubPeriod(boundary(k), 1);
    }
    expect(relative(demand.registers().activeImport.max, LOAD_W)).toBeLessThan(1e-9);
    demand.resetMaxima();
    demand.accumulate(measurement, 240); // 60 s lost
    demand.closeSubPeriod(boundary(4), 1);
    for (let k = 5; k <= 6; k += 1) {
      demand.accumulate(measurement, 300);
      demand.closeSubPeriod(boundary(k), 1);
    }
    expect(demand.registers().activeImport.max).toBe(0); // two full sub-periods since the gap
    demand.accumulate(measurement, 300);
    demand.closeSubPeriod(boundary(7), 1);
    const d = demand.registers().activeImport;
    expect(relative(d.max, LOAD_W)).toBeLessThan(1e-9);
    expect(relative(d.last, LOAD_W)).toBeLessThan(1e-9);
    expect(d.maxTimeMs).toBe(boundary(7));
  });
});
