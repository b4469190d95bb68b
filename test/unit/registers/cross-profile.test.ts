/**
 * One snapshot served through sdm630, sunspec (203 and 213) and em24 reports the same quantities.
 * Each layout is decoded here from the public descriptions (reference/meters.md), not from our YAML.
 */
import { describe, expect, it } from 'vitest';
import { RegisterMapDevice } from '../../../src/registers/register-map-device.js';
import { loadRegisterMap } from '../../../src/registers/profiles.js';
import { FakeMeter } from '../../support/fake-meter.js';

type Reading = Record<string, number>;
type Space = 'input' | 'holding';

function reader(device: RegisterMapDevice, space: Space) {
  return (address: number, quantity: number): DataView => {
    const out = new Uint8Array(quantity * 2);
    if (space === 'input') device.readInputRegisters(address, quantity, out, 0);
    else device.readHoldingRegisters(address, quantity, out, 0);
    return new DataView(out.buffer);
  };
}

function sdm630(device: RegisterMapDevice): Reading {
  const r = reader(device, 'input');
  const f = (a: number): number => r(a, 2).getFloat32(0);
  return { u1: f(0x00), u2: f(0x02), u3: f(0x04), i1: f(0x06), i2: f(0x08), i3: f(0x0a), p1: f(0x0c), p: f(0x34), pf: f(0x3e), hz: f(0x46), importKWh: f(0x48), exportKWh: f(0x4a), u12: f(0xc8) };
}

function em24(device: RegisterMapDevice): Reading {
  const r = reader(device, 'input');
  const i32 = (a: number): number => {
    const v = r(a, 2);
    return (v.getInt16(2) << 16) | v.getUint16(0); // low word first
  };
  const i16 = (a: number): number => r(a, 1).getInt16(0);
  return { u1: i32(0x00) / 10, u2: i32(0x02) / 10, u3: i32(0x04) / 10, i1: i32(0x0c) / 1000, i2: i32(0x0e) / 1000, i3: i32(0x10) / 1000, p1: i32(0x12) / 10, p: i32(0x28) / 10, pf: i16(0x35) / 1000, hz: i16(0x37) / 10, importKWh: i32(0x42) / 10, exportKWh: i32(0x5c) / 10, u12: i32(0x06) / 10 };
}

function sunspec203(device: RegisterMapDevice): Reading {
  const m = reader(device, 'holding')(40072, 105);
  const sf = (o: number): number => 10 ** m.getInt16(o * 2);
  const i = (o: number, s: number): number => m.getInt16(o * 2) * sf(s);
  return { u1: i(6, 13), u2: i(7, 13), u3: i(8, 13), i1: i(1, 4), i2: i(2, 4), i3: i(3, 4), p1: i(17, 20), p: i(16, 20), pf: i(31, 35) / 100, hz: i(14, 15), importKWh: (m.getUint32(44 * 2) * sf(52)) / 1000, exportKWh: (m.getUint32(36 * 2) * sf(52)) / 1000, u12: i(10, 13) };
}

function sunspec213(device: RegisterMapDevice): Reading {
  const m = reader(device, 'holding')(40072, 124);
  const f = (o: number): number => m.getFloat32(o * 2);
  return { u1: f(10), u2: f(12), u3: f(14), i1: f(2), i2: f(4), i3: f(6), p1: f(28), p: f(26), pf: f(50) / 100, hz: f(24), importKWh: f(66) / 1000, exportKWh: f(58) / 1000, u12: f(18) };
}

/** Coarsest resolution among the layouts compared (EM24 and SunSpec 203 fixed point). */
const TOLERANCE: Reading = { u1: 0.1, u2: 0.1, u3: 0.1, i1: 0.01, i2: 0.01, i3: 0.01, p1: 1, p: 1, pf: 0.002, hz: 0.1, importKWh: 0.1, exportKWh: 0.1, u12: 0.1 };

describe('the same snapshot through sdm630, sunspec and em24', () => {
  it('reports the same quantities within the coarser resolution', () => {
    const meter = new FakeMeter();
    const readings: Record<string, Reading> = {
      sdm630: sdm630(new RegisterMapDevice(loadRegisterMap('sdm630'), meter)),
      em24: em24(new RegisterMapDevice(loadRegisterMap('em24'), meter)),
      sunspec203: sunspec203(new RegisterMapDevice(loadRegisterMap('sunspec'), meter)),
      sunspec213: sunspec213(new RegisterMapDevice(loadRegisterMap('sunspec', { model: 213 }), meter)),
    };
    const reference = readings.sdm630 as Reading;
    expect(reference.u1).toBeCloseTo(230.12, 3);
    expect(reference.importKWh).toBeCloseTo(1234.5678, 3);
    for (const [name, reading] of Object.entries(readings)) {
      for (const [quantity, value] of Object.entries(reading)) {
        expect(Math.abs(value - (reference[quantity] as number)), `${name} ${quantity}: ${value} vs ${reference[quantity]}`).toBeLessThanOrEqual(TOLERANCE[quantity] as number);
      }
    }
  });
});
