/**
 * Whatever the tick lengths (1 s to 3 h, as at any --speed), a constant load credits every
 * tariff, profile interval, demand interval and billing period exactly: ticks are cut at every
 * boundary they span.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Meter } from '../../../src/meter/meter.js';
import { CompiledTariffCalendar, DEFAULT_TARIFF_CALENDAR } from '../../../src/meter/tariff-calendar.js';
import { balancedLoad, SettableSource } from '../../support/phasor-measurement.js';

const START = Date.UTC(2026, 0, 30, 0, 0); // Friday; the billing close (1 Feb 00:00) falls inside
const POWER_W = 3 * 230 * 10;

describe('tick partition', () => {
  it('gives the same registers for any sequence of tick lengths', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 * 3600 }), { minLength: 20, maxLength: 80 }), (stepsS) => {
        const meter = new Meter({ source: new SettableSource(balancedLoad(230, 10, 0)), configuration: { utcOffsetMinutes: 60 } });
        let t = START;
        meter.tick(t);
        for (const s of stepsS) {
          t += s * 1000;
          meter.tick(t);
        }
        const elapsedH = (t - START) / 3_600_000;
        const snap = meter.snapshot();
        expect(snap.energy.total.activeImportWh).toBeCloseTo(POWER_W * elapsedH, 6);
        // Tariff registers add up to the total, and each equals the power times its hours.
        const hoursByTariff = new Array<number>(8).fill(0);
        const calendar = CompiledTariffCalendar.compile(DEFAULT_TARIFF_CALENDAR);
        for (let m = START; m < t; m += 60_000) {
          const minuteEnd = Math.min(m + 60_000, t);
          hoursByTariff[calendar.tariffAt(m, 60) - 1] += (minuteEnd - m) / 3_600_000;
        }
        snap.energy.tariffs.forEach((reg, i) => expect(reg.activeImportWh).toBeCloseTo(POWER_W * hoursByTariff[i], 4));
        // Every whole profile interval holds exactly a quarter hour of energy.
        const records = meter.profileRecords();
        expect(records.length).toBe(Math.floor((t - START) / 900_000));
        for (const r of records) expect(r.activeImportWh).toBeCloseTo(POWER_W / 4, 6);
        // The billing close on 1 Feb 00:00 local (31 Jan 23:00 UTC) holds the energy up to it.
        const close = Date.UTC(2026, 0, 31, 23, 0);
        if (records.length >= 3) {
          // The close clears the maximum demand; the next sliding value (one 5-minute sub-period
          // later) sets it again.
          const maxClearedByClose = t >= close && t < close + 300_000;
          expect(snap.demand.activeImport.max).toBeCloseTo(maxClearedByClose ? 0 : POWER_W, 6);
          expect(snap.demand.activeImport.last).toBeCloseTo(POWER_W, 6);
        }
        const bill = meter.billingRecord(0);
        if (t >= close) {
          expect(bill?.endMs).toBe(close);
          expect(bill?.energy.activeImportWh).toBeCloseTo((POWER_W * (close - START)) / 3_600_000, 6);
        } else {
          expect(bill).toBeUndefined();
        }
      }),
      { numRuns: 40 },
    );
  });
});
