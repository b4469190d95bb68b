import { describe, expect, it } from 'vitest';
import { ianaTimeZone, localTimeOf, utcOfLocal } from '../../../src/meter/local-time.js';
import { Meter } from '../../../src/meter/meter.js';
import { CompiledTariffCalendar, DEFAULT_TARIFF_CALENDAR } from '../../../src/meter/tariff-calendar.js';
import { balancedLoad, SettableSource } from '../../support/phasor-measurement.js';

const berlin = ianaTimeZone('Europe/Berlin');
const KW = 10;

/** A day of 10 kW in Europe/Berlin from local midnight to local midnight, hourly profile. */
function berlinDay(year: number, month: number, day: number) {
  const meter = new Meter({
    source: new SettableSource(balancedLoad(230, (KW * 1000) / 3 / 230, 0)),
    configuration: { timeZone: 'Europe/Berlin', profilePeriodS: 3600 },
  });
  const start = utcOfLocal(year, month, day, 0, berlin);
  const end = utcOfLocal(year, month, day + 1, 0, berlin);
  for (let t = start; t <= end; t += 7 * 60_000) meter.tick(t);
  meter.tick(end);
  return { meter, start, end };
}

describe('IANA time zone (daylight saving)', () => {
  it('resolves local wall times across the spring and autumn changes', () => {
    expect(berlin.offsetMinutesAt(Date.UTC(2026, 0, 15))).toBe(60);
    expect(berlin.offsetMinutesAt(Date.UTC(2026, 6, 15))).toBe(120);
    expect(utcOfLocal(2026, 3, 29, 7 * 60, berlin)).toBe(Date.UTC(2026, 2, 29, 5, 0));
    expect(utcOfLocal(2026, 3, 28, 7 * 60, berlin)).toBe(Date.UTC(2026, 2, 28, 6, 0));
    // 02:30 does not exist on 29 March: the instant as far after the jump (03:30 CEST).
    expect(utcOfLocal(2026, 3, 29, 150, berlin)).toBe(Date.UTC(2026, 2, 29, 1, 30));
    // 02:30 happens twice on 25 October: the first one (CEST).
    expect(utcOfLocal(2026, 10, 25, 150, berlin)).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(localTimeOf(Date.UTC(2026, 2, 29, 1, 0), berlin).minuteOfDay).toBe(3 * 60);
    expect(localTimeOf(Date.UTC(2026, 2, 29, 1, 0), berlin).midnightMs).toBe(Date.UTC(2026, 2, 28, 23, 0));
  });

  it('switches tariffs on the wall clock on the day clocks go forward', () => {
    const cal = CompiledTariffCalendar.compile(DEFAULT_TARIFF_CALENDAR);
    expect(cal.tariffAt(Date.UTC(2026, 2, 29, 4, 59), berlin)).toBe(3);
    expect(cal.tariffAt(Date.UTC(2026, 2, 29, 5, 0), berlin)).toBe(1);
    expect(cal.nextChangeAfter(Date.UTC(2026, 2, 29, 0, 0), berlin)).toBe(Date.UTC(2026, 2, 29, 5, 0));
    expect(cal.nextChangeAfter(Date.UTC(2026, 2, 28, 21, 0), berlin)).toBe(Date.UTC(2026, 2, 28, 22, 0));
  });

  it('meters a 23-hour and a 25-hour day with the night tariff shortened and lengthened', () => {
    const spring = berlinDay(2026, 3, 29); // Sunday: weekend profile, night 00-07 and 23-24
    expect(spring.end - spring.start).toBe(23 * 3_600_000);
    let tariffs = spring.meter.snapshot().energy.tariffs;
    expect(tariffs[2].activeImportWh).toBeCloseTo(7 * KW * 1000, 6); // 00:00-07:00 is 6 h, plus 23-24
    expect(tariffs[0].activeImportWh).toBeCloseTo(16 * KW * 1000, 6);
    expect(spring.meter.profileRecords()).toHaveLength(23);
    const autumn = berlinDay(2026, 10, 25); // Sunday
    expect(autumn.end - autumn.start).toBe(25 * 3_600_000);
    tariffs = autumn.meter.snapshot().energy.tariffs;
    expect(tariffs[2].activeImportWh).toBeCloseTo(9 * KW * 1000, 6);
    expect(tariffs[0].activeImportWh).toBeCloseTo(16 * KW * 1000, 6);
    expect(autumn.meter.profileRecords()).toHaveLength(25);
    expect(autumn.meter.loadProfileCsv().split('\r\n')[2].split(',')[1]).toBe('2026-10-25T02:00:00+02:00');
    expect(autumn.meter.loadProfileCsv().split('\r\n')[3].split(',')[1]).toBe('2026-10-25T02:00:00+01:00');
  });

  it('closes the billing period at local midnight in summer time', () => {
    const meter = new Meter({ source: new SettableSource(balancedLoad(230, 1, 0)), configuration: { timeZone: 'Europe/Berlin' } });
    for (let t = Date.UTC(2026, 2, 31, 12); t <= Date.UTC(2026, 3, 1, 12); t += 600_000) meter.tick(t);
    expect(meter.billingRecord(0)?.endMs).toBe(Date.UTC(2026, 2, 31, 22, 0));
  });

  it('refuses an unknown zone naming the setting', () => {
    const meter = new Meter({ source: new SettableSource(balancedLoad(230, 1, 0)) });
    expect(() => meter.updateSettings({ timeZone: 'Mars/Olympus' })).toThrow(
      'timeZone must be an IANA time-zone name such as "Europe/Berlin", got "Mars/Olympus"',
    );
  });
});
