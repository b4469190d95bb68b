/**
 * Documented ranges reachable over Modbus (issue 13, defect 12): the sdm630 demand period accepts
 * every documented value from 1 to 60 minutes (the sub-period, which has no register there,
 * follows), and titan's nominal current can go above 100 A (the maximum current follows).
 */
import { describe, expect, it } from 'vitest';
import { Meter } from '../../../src/meter/meter.js';
import { validateConfigurationChange, DEFAULT_CONFIGURATION } from '../../../src/meter/meter-configuration.js';
import { ModbusError } from '../../../src/modbus/exception.js';
import { loadRegisterMap } from '../../../src/registers/profiles.js';
import { RegisterMapDevice } from '../../../src/registers/register-map-device.js';
import { balancedLoad, SettableSource } from '../../support/phasor-measurement.js';

function meter(): Meter {
  const m = new Meter({ source: new SettableSource(balancedLoad(230, 10, 0)) });
  m.tick(Date.UTC(2026, 0, 1));
  return m;
}

function f32Words(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setFloat32(0, value);
  return bytes;
}

function exceptionOf(write: () => void): number | undefined {
  try {
    write();
    return undefined;
  } catch (error) {
    if (error instanceof ModbusError) return error.code;
    throw error;
  }
}

describe('sdm630 demand period over Modbus', () => {
  it.each([1, 2, 5, 7.5, 10, 15, 20, 30, 60])('accepts %d min, and the sub-period follows so the pair is valid', (minutes) => {
    const m = meter();
    const device = new RegisterMapDevice(loadRegisterMap('sdm630'), m);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x0002, f32Words(minutes)))).toBeUndefined();
    const { demandPeriodS, demandSubPeriodS } = m.configuration;
    expect(demandPeriodS).toBe(minutes * 60);
    expect(demandPeriodS % demandSubPeriodS).toBe(0);
    expect(demandSubPeriodS).toBeLessThanOrEqual(Math.min(300, demandPeriodS));
  });

  it('still refuses a period outside 1..60 min or one that does not divide the hour (exception 03)', () => {
    const device = new RegisterMapDevice(loadRegisterMap('sdm630'), meter());
    expect(exceptionOf(() => device.writeHoldingRegisters(0x0002, f32Words(0.5)))).toBe(3);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x0002, f32Words(61)))).toBe(3);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x0002, f32Words(7)))).toBe(3);
  });
});

describe('titan nominal current over Modbus', () => {
  it('accepts a nominal current above the present maximum current: the maximum follows (10 x nominal, at most 2000 A)', () => {
    const m = meter();
    const device = new RegisterMapDevice(loadRegisterMap('titan'), m, { now: () => 0 });
    device.writeHoldingRegisters(0x0000, Uint8Array.of(0x04, 0xd2)); // password 1234 unlocks
    expect(exceptionOf(() => device.writeHoldingRegisters(0x0008, f32Words(200)))).toBeUndefined();
    expect(m.configuration.nominalCurrent).toBe(200);
    expect(m.configuration.maxCurrent).toBe(2000);
  });
});

describe('the rules themselves', () => {
  it('the sub-period follows a new period when not given with it, and an explicit pair is checked as given', () => {
    expect(validateConfigurationChange(DEFAULT_CONFIGURATION, { demandPeriodS: 60 }).demandSubPeriodS).toBe(60);
    expect(validateConfigurationChange(DEFAULT_CONFIGURATION, { demandPeriodS: 450 }).demandSubPeriodS).toBe(225);
    expect(validateConfigurationChange(DEFAULT_CONFIGURATION, { demandPeriodS: 1800 }).demandSubPeriodS).toBe(300);
    expect(() => validateConfigurationChange(DEFAULT_CONFIGURATION, { demandPeriodS: 60, demandSubPeriodS: 300 })).toThrow(/demandSubPeriodS must divide/);
  });

  it('maxCurrent follows a nominal current above it when not given with it', () => {
    expect(validateConfigurationChange(DEFAULT_CONFIGURATION, { nominalCurrent: 150 }).maxCurrent).toBe(1500);
    expect(validateConfigurationChange(DEFAULT_CONFIGURATION, { nominalCurrent: 50 }).maxCurrent).toBe(100);
    expect(() => validateConfigurationChange(DEFAULT_CONFIGURATION, { nominalCurrent: 150, maxCurrent: 120 })).toThrow(/maxCurrent must be between/);
  });
});
