import { describe, expect, it } from 'vitest';
import { Meter } from '../../../src/meter/meter.js';
import { CompiledTariffCalendar, DEFAULT_TARIFF_CALENDAR, type TariffCalendar } from '../../../src/meter/tariff-calendar.js';
import { balancedLoad, SettableSource } from '../../support/phasor-measurement.js';

const IST = 330; // UTC+05:30
/** UTC instant of a local (IST) civil time. */
const ist = (y: number, mo: number, d: number, h = 0, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi) - IST * 60_000;

describe('time-of-use tariffs', () => {
  it('switch through a week of the default calendar (with 1 January as a holiday), crediting each tariff', () => {
    // 10 kW balanced import for Mon 2025-12-29 00:00 .. Mon 2026-01-05 00:00 local, ticks every 7 min
    // so that switch times fall inside ticks.
    const kW = 10;
    const source = new SettableSource(balancedLoad(230, (kW * 1000) / 3 / 230, 0));
    const meter = new Meter({ source, configuration: { utcOffsetMinutes: IST } });
    const start = ist(2025, 12, 29);
    meter.tick(start);
    const seen = new Map<number, number>();
    for (let k = 1; k <= (7 * 24 * 60) / 7; k += 1) {
      meter.tick(start + k * 7 * 60_000);
      seen.set(meter.activeTariff, (seen.get(meter.activeTariff) ?? 0) + 1);
    }
    const tariffs = meter.snapshot().energy.tariffs;
    // Weekdays: night 8 h, day 12 h, peak 4 h; weekend and holidays: night 8 h, day 16 h.
    // Mon Tue Wed Fri are weekdays, Thu 1 Jan is a holiday, Sat Sun weekend.
    const dayHours = 4 * 12 + 3 * 16;
    const peakHours = 4 * 4;
    const nightHours = 7 * 8;
    expect(tariffs[0].activeImportWh).toBeCloseTo(dayHours * kW * 1000, 6);
    expect(tariffs[1].activeImportWh).toBeCloseTo(peakHours * kW * 1000, 6);
    expect(tariffs[2].activeImportWh).toBeCloseTo(nightHours * kW * 1000, 6);
    expect(tariffs.slice(3).every((t) => t.activeImportWh === 0)).toBe(true);
    expect(tariffs[1].co2Kg).toBeCloseTo(peakHours * kW * 0.72, 6);
    expect(meter.snapshot().energy.total.activeImportWh).toBeCloseTo(168 * kW * 1000, 6);
    expect([...seen.keys()].sort()).toEqual([1, 2, 3]);
  });

  it('answers the tariff at an instant and the next switch, by season, weekday and special day', () => {
    const calendar: TariffCalendar = {
      seasons: [
        { name: 'winter', start: '10-01', weekProfile: 'winter-week' },
        { name: 'summer', start: '04-01', weekProfile: 'summer-week' },
      ],
      weekProfiles: [
        { name: 'winter-week', days: ['w', 'w', 'w', 'w', 'w', 'off', 'off'] },
        { name: 'summer-week', days: ['s', 's', 's', 's', 's', 'off', 'off'] },
      ],
      dayProfiles: [
        { name: 'w', switches: [{ time: '00:00', tariff: 4 }, { time: '06:30', tariff: 5 }, { time: '18:00', tariff: 6 }] },
        { name: 's', switches: [{ time: '00:00', tariff: 7 }, { time: '12:00', tariff: 8 }] },
        { name: 'off', switches: [{ time: '00:00', tariff: 1 }] },
      ],
      specialDays: [{ date: '2026-07-15', dayProfile: 'off' }],
    };
    const cal = CompiledTariffCalendar.compile(calendar);
    // 2026-01-14 is a Wednesday: winter (the season from 10-01 wraps into January).
    expect(cal.tariffAt(ist(2026, 1, 14, 6, 29), IST)).toBe(4);
    expect(cal.tariffAt(ist(2026, 1, 14, 6, 30), IST)).toBe(5);
    expect(cal.nextChangeAfter(ist(2026, 1, 14, 6, 29), IST)).toBe(ist(2026, 1, 14, 6, 30));
    expect(cal.nextChangeAfter(ist(2026, 1, 14, 18, 0), IST)).toBe(ist(2026, 1, 15));
    expect(cal.tariffAt(ist(2026, 1, 17, 12), IST)).toBe(1); // Saturday
    expect(cal.tariffAt(ist(2026, 7, 14, 13), IST)).toBe(8); // summer Tuesday
    expect(cal.tariffAt(ist(2026, 7, 15, 13), IST)).toBe(1); // special day
    expect(cal.tariffAt(ist(2026, 3, 31, 23, 59), IST)).toBe(6); // last winter day (Tuesday)
    expect(cal.tariffAt(ist(2026, 4, 1, 0, 0), IST)).toBe(7); // first summer day (Wednesday)
    // The offset matters: 00:30 UTC is 06:00 IST.
    expect(cal.tariffAt(Date.UTC(2026, 0, 14, 1, 0), IST)).toBe(5);
    expect(cal.tariffAt(Date.UTC(2026, 0, 14, 1, 0), 0)).toBe(4);
  });

  it('refuses a malformed calendar naming the field', () => {
    const bad = structuredClone(DEFAULT_TARIFF_CALENDAR);
    bad.dayProfiles[0].switches[1].time = '25:00';
    expect(() => CompiledTariffCalendar.compile(bad)).toThrow('calendar.dayProfiles[0].switches[1].time: "25:00" is not a time HH:MM');
    const late = structuredClone(DEFAULT_TARIFF_CALENDAR);
    late.dayProfiles[1].switches[0].time = '01:00';
    expect(() => CompiledTariffCalendar.compile(late)).toThrow(/dayProfiles\[1\]\.switches\[0\]\.time: the first switch must be at "00:00"/);
    const nine = structuredClone(DEFAULT_TARIFF_CALENDAR);
    nine.dayProfiles[0].switches[2].tariff = 9;
    expect(() => CompiledTariffCalendar.compile(nine)).toThrow(/switches\[2\]\.tariff: must be an integer 1..8, got 9/);
    const unknown = structuredClone(DEFAULT_TARIFF_CALENDAR);
    unknown.weekProfiles[0].days[3] = 'nope';
    expect(() => CompiledTariffCalendar.compile(unknown)).toThrow(/weekProfiles\[0\]\.days\[3\]: unknown day profile "nope"/);
    const meter = new Meter({ source: new SettableSource(balancedLoad(230, 1, 0)) });
    expect(() => meter.updateSettings({ calendar: nine })).toThrow(RangeError);
  });
});
