import { describe, expect, it } from 'vitest';
import { Meter } from '../../../src/meter/meter.js';
import { balancedLoad, SettableSource } from '../../support/phasor-measurement.js';

function meter(): Meter {
  const m = new Meter({ source: new SettableSource(balancedLoad(230, 10, 0)) });
  m.tick(Date.UTC(2026, 0, 1));
  return m;
}

describe('settings', () => {
  it.each([
    [{ ctRatio: 0 }, 'ctRatio must be a number between 1 and 10000, got 0'],
    [{ ptRatio: 20_000 }, 'ptRatio must be a number between 1 and 10000, got 20000'],
    [{ nominalVoltage: 1000 }, 'nominalVoltage must be a number between 40 and 480, got 1000'],
    [{ nominalFrequency: 55 }, 'nominalFrequency must be 50 or 60, got 55'],
    [{ demandPeriodS: 700 }, 'demandPeriodS must divide 3600 evenly (between 60 and 3600), got 700'],
    [{ demandPeriodS: 90.5 }, 'demandPeriodS must be an integer between 60 and 3600, got 90.5'],
    [{ demandSubPeriodS: 420 }, 'demandSubPeriodS must divide demandPeriodS (900) evenly, between 60 and 900, got 420'],
    [{ profilePeriodS: 30 }, 'profilePeriodS must be an integer between 60 and 3600, got 30'],
    [{ emissionFactorKgPerKWh: -0.1 }, 'emissionFactorKgPerKWh must be a number between 0 and 5, got -0.1'],
    [{ demandMethod: 'rolling' }, 'demandMethod must be "block" or "sliding", got rolling'],
    [{ utcOffsetMinutes: 900 }, 'utcOffsetMinutes must be an integer between -720 and 840, got 900'],
    [{ billingDayOfMonth: 31 }, 'billingDayOfMonth must be an integer between 1 and 28, got 31'],
    [{ billingTime: '24:00' }, 'billingTime must be a time "HH:MM" between 00:00 and 23:59, got "24:00"'],
    [{ maxCurrent: 5 }, 'maxCurrent must be between nominalCurrent (10) and 2000, got 5'],
    [{ colour: 'red' }, 'unknown setting "colour"'],
  ])('refuses %j with a RangeError naming the setting and its bounds', (change, message) => {
    const m = meter();
    const before = m.snapshot().eventCount;
    expect(() => m.updateSettings(change as never)).toThrow(RangeError);
    expect(() => m.updateSettings(change as never)).toThrow(message);
    expect(m.snapshot().eventCount).toBe(before);
  });

  it('applies nothing when one of several changes is out of bounds', () => {
    const m = meter();
    expect(() => m.updateSettings({ ctRatio: 50, ptRatio: 0 })).toThrow(/ptRatio/);
    expect(m.configuration.ctRatio).toBe(1);
  });

  it('logs each accepted change with the old and new value, once', () => {
    const m = meter();
    m.updateSettings({ nominalVoltage: 240, emissionFactorKgPerKWh: 0.5, ctRatio: 1 });
    m.updateSettings({ nominalVoltage: 240 });
    const changes = m.eventRecords().filter((e) => e.kind === 'configuration-change');
    expect(changes.map((e) => [e.detail, e.extremeValue])).toEqual([
      ['nominalVoltage 230 -> 240', 240],
      ['emissionFactorKgPerKWh 0.72 -> 0.5', 0.5],
    ]);
    expect(m.snapshot().settings.nominalVoltage).toBe(240);
  });

  it('a change of demand period keeps the maxima and restarts the window', () => {
    const m = new Meter({ source: new SettableSource(balancedLoad(230, 10, 0)), configuration: { demandMethod: 'block' } });
    const start = Date.UTC(2026, 0, 1);
    for (let t = start; t <= start + 1_800_000; t += 60_000) m.tick(t);
    expect(m.snapshot().demand.activeImport.max).toBeCloseTo(6900, 6);
    m.updateSettings({ demandPeriodS: 1800, demandSubPeriodS: 600 });
    expect(m.snapshot().demand.activeImport.max).toBeCloseTo(6900, 6);
    expect(m.snapshot().demand.activeImport.present).toBe(0);
  });

  it('CO2 follows the emission factor in force when the energy was imported', () => {
    const m = meter();
    const start = m.timeMs ?? 0;
    m.tick(start + 3_600_000); // 6.9 kWh at 0.72
    m.updateSettings({ emissionFactorKgPerKWh: 0.1 });
    m.tick(start + 7_200_000); // 6.9 kWh at 0.1
    expect(m.snapshot().co2Kg).toBeCloseTo(6.9 * 0.72 + 6.9 * 0.1, 9);
  });
});
