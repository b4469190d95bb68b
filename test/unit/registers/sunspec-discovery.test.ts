/**
 * A SunSpec client's discovery walk, written from the SunSpec rules (not from our YAML): look for
 * "SunS" at 40000 (after trying 0 and 50000), then follow [id, length] headers until 0xFFFF.
 */
import { describe, expect, it } from 'vitest';
import { ModbusError } from '../../../src/modbus/exception.js';
import { RegisterMapDevice } from '../../../src/registers/register-map-device.js';
import { loadRegisterMap } from '../../../src/registers/profiles.js';
import { FakeMeter, makeSnapshot } from '../../support/fake-meter.js';

function read(device: RegisterMapDevice, address: number, quantity: number): DataView {
  const out = new Uint8Array(quantity * 2);
  device.readHoldingRegisters(address, quantity, out, 0);
  return new DataView(out.buffer);
}

function findBase(device: RegisterMapDevice): number | undefined {
  for (const base of [0, 40000, 50000]) {
    try {
      const v = read(device, base, 2);
      if (v.getUint16(0) === 0x5375 && v.getUint16(2) === 0x6e53) return base;
    } catch (error) {
      if (!(error instanceof ModbusError)) throw error;
    }
  }
  return undefined;
}

function walk(device: RegisterMapDevice): Array<{ id: number; length: number; body: number }> {
  const base = findBase(device);
  if (base === undefined) throw new Error('no SunS marker');
  const models: Array<{ id: number; length: number; body: number }> = [];
  let address = base + 2;
  for (let guard = 0; guard < 50; guard += 1) {
    const header = read(device, address, 2);
    const id = header.getUint16(0);
    const length = header.getUint16(2);
    models.push({ id, length, body: address + 2 });
    if (id === 0xffff) return models;
    address += 2 + length;
  }
  throw new Error('no end marker');
}

const text = (v: DataView, from: number, registers: number): string =>
  Buffer.from(v.buffer, from * 2, registers * 2).toString('latin1').replace(/\0+$/, '');

describe('SunSpec discovery walk', () => {
  it('model 203: finds SunS at 40000, the common model, meter 203 and the end marker', () => {
    const device = new RegisterMapDevice(loadRegisterMap('sunspec'), new FakeMeter());
    const models = walk(device);
    expect(models.map((m) => [m.id, m.length])).toEqual([[1, 66], [203, 105], [0xffff, 0]]);
    const common = read(device, models[0]?.body ?? 0, 66);
    expect(text(common, 0, 16)).toBe('Submeter Labs');
    expect(text(common, 16, 16)).toBe('Titan 3P');
    expect(text(common, 40, 8)).toBe('1.2.3');
    expect(text(common, 48, 16)).toBe('24051234');

    // the whole 203 body in one read (105 registers), decoded with its scale factors
    const m = read(device, models[1]?.body ?? 0, 105);
    const s = makeSnapshot();
    const sf = (offset: number): number => 10 ** m.getInt16(offset * 2);
    expect(m.getInt16(2) * sf(4)).toBeCloseTo(s.measurement.phases[0].currentRms, 2);
    expect(m.getInt16(6 * 2) * sf(13)).toBeCloseTo(s.measurement.phases[0].voltageRms, 1);
    expect(m.getInt16(14 * 2) * sf(15)).toBeCloseTo(s.measurement.frequencyHz, 2);
    expect(Math.abs(m.getInt16(16 * 2) * sf(20) - s.measurement.total.activePower)).toBeLessThanOrEqual(0.5);
    expect(m.getInt16(31 * 2) * sf(35)).toBeCloseTo(s.measurement.total.powerFactor * 100, 1);
    expect(Math.abs(m.getUint32(44 * 2) * sf(52) - s.energy.total.activeImportWh)).toBeLessThan(1); // a counter shows completed steps
    expect(Math.abs(m.getUint32(36 * 2) * sf(52) - s.energy.total.activeExportWh)).toBeLessThan(1); // a counter shows completed steps
    expect(Math.abs(m.getUint32(70 * 2) * sf(102) - s.energy.total.reactiveQ1varh)).toBeLessThan(1); // a counter shows completed steps
  });

  it('model 213: the float32 twin, 124 registers', () => {
    const device = new RegisterMapDevice(loadRegisterMap('sunspec', { model: 213 }), new FakeMeter());
    const models = walk(device);
    expect(models.map((m) => [m.id, m.length])).toEqual([[1, 66], [213, 124], [0xffff, 0]]);
    const m = read(device, models[1]?.body ?? 0, 124);
    const s = makeSnapshot();
    expect(m.getFloat32(2 * 2)).toBeCloseTo(s.measurement.phases[0].currentRms, 4);
    expect(m.getFloat32(24 * 2)).toBeCloseTo(s.measurement.frequencyHz, 4);
    expect(m.getFloat32(26 * 2)).toBeCloseTo(s.measurement.total.activePower, 2);
    expect(m.getFloat32(66 * 2) / s.energy.total.activeImportWh).toBeCloseTo(1, 6);
    expect(m.getFloat32(58 * 2) / s.energy.total.activeExportWh).toBeCloseTo(1, 6);
  });

  it('fronius (213, the default, and 203): the walk reaches the end marker through Fronius\'s 65-register common model', () => {
    for (const [options, id, length] of [[{}, 213, 124], [{ model: 203 }, 203, 105]] as const) {
      const device = new RegisterMapDevice(loadRegisterMap('fronius', options), new FakeMeter());
      const models = walk(device);
      expect(models.map((m) => [m.id, m.length])).toEqual([[1, 65], [id, length], [0xffff, 0]]);
      expect(models[1]?.body).toBe(40071);
      const common = read(device, models[0]?.body ?? 0, 65);
      expect(text(common, 0, 16)).toBe('Fronius');
      expect(common.getUint16(64 * 2)).toBe(240);
      // the whole meter model in one read: every register of the chain answers
      expect(read(device, models[1]?.body ?? 0, length).byteLength).toBe(length * 2);
    }
  });
});
