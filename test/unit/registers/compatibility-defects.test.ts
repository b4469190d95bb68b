/**
 * The defects found by reading the compatibility maps with other people's clients and register
 * definitions (issue "Indistinguishable from the real meter"): each one read back here.
 */
import { describe, expect, it } from 'vitest';
import { exceptionOf } from '../../support/device-calls.js';
import { ExceptionCode } from '../../../src/modbus/exception.js';
import { RegisterMapDevice } from '../../../src/registers/register-map-device.js';
import { loadRegisterMap } from '../../../src/registers/profiles.js';
import { FakeMeter } from '../../support/fake-meter.js';

const meter = new FakeMeter();
const s = meter.snapshot();

function input(device: RegisterMapDevice, address: number, quantity: number): DataView {
  const out = new Uint8Array(quantity * 2);
  device.readInputRegisters(address, quantity, out, 0);
  return new DataView(out.buffer);
}

function holding(device: RegisterMapDevice, address: number, quantity: number): DataView {
  const out = new Uint8Array(quantity * 2);
  device.readHoldingRegisters(address, quantity, out, 0);
  return new DataView(out.buffer);
}

/** INT32 sent low word first (the EM24's CDAB). */
function int32LowFirst(view: DataView, at: number): number {
  return (view.getInt16(at + 2) * 0x10000) + view.getUint16(at);
}

describe('EM24', () => {
  const em24 = new RegisterMapDevice(loadRegisterMap('em24'), meter);

  it('kWh(+) TOT at 0x3E and kvarh(+) TOT at 0x40 (what OpenEMS reads), partial counters at 0x42/0x44', () => {
    const v = input(em24, 0x3e, 8);
    expect(int32LowFirst(v, 0)).toBe(Math.trunc(s.energy.total.activeImportWh / 100));
    expect(int32LowFirst(v, 4)).toBe(Math.trunc((s.energy.total.reactiveQ1varh + s.energy.total.reactiveQ2varh) / 100));
    expect(int32LowFirst(v, 8)).toBe(Math.trunc(s.energy.total.activeImportWh / 100));
    expect(int32LowFirst(v, 12)).toBe(Math.trunc((s.energy.total.reactiveQ1varh + s.energy.total.reactiveQ2varh) / 100));
  });

  it('demand, phase sequence, max demand, tariff counters, hour counter and 0x300/0x301 answer with values', () => {
    const v = input(em24, 0x2e, 4);
    expect(int32LowFirst(v, 0)).toBe(Math.round(s.demand.activeImport.present * 10));
    expect(int32LowFirst(v, 4)).toBe(Math.round(s.demand.apparent.present * 10));
    expect(input(em24, 0x36, 1).getInt16(0)).toBe(0); // abc
    const max = input(em24, 0x38, 6);
    expect(int32LowFirst(max, 0)).toBe(Math.round(s.demand.activeImport.max * 10));
    expect(int32LowFirst(max, 4)).toBe(Math.round(s.demand.apparent.max * 10));
    expect(int32LowFirst(max, 8)).toBe(Math.round(Math.max(...s.demand.phaseCurrent.map((d) => d.max)) * 1000));
    const tariffs = input(em24, 0x4c, 16);
    for (let t = 0; t < 4; t += 1) {
      const registers = s.energy.tariffs[t];
      if (registers === undefined) throw new Error('tariff missing');
      expect(int32LowFirst(tariffs, 4 * t)).toBe(Math.trunc(registers.activeImportWh / 100));
      expect(int32LowFirst(tariffs, 16 + 4 * t)).toBe(Math.trunc(registers.reactiveImportVarh / 100));
    }
    expect(int32LowFirst(input(em24, 0x60, 2), 0)).toBe(Math.trunc(s.energy.loadRunningS / 36));
    expect(input(em24, 0x301, 1).getUint16(0)).toBe(s.activeTariff - 1);
  });

  it('the 12 block reads of the Growatt EM24 reader all answer', () => {
    const blocks: Array<[number, number]> = [
      [0x00, 10], [0x0a, 10], [0x14, 10], [0x1e, 10], [0x28, 11], [0x33, 11],
      [0x3e, 10], [0x48, 10], [0x52, 10], [0x5c, 10], [0x66, 2], [0x301, 1],
    ];
    for (const [address, quantity] of blocks) {
      expect(exceptionOf(() => input(em24, address, quantity)), `0x${address.toString(16)} x${quantity}`).toBeUndefined();
    }
    expect(exceptionOf(() => input(em24, 0x00, 0x68))).toBeUndefined();
  });

  it('answers exception 02 past its map', () => {
    for (const [address, quantity] of [[0x68, 1], [0x66, 3], [0x2ff, 1], [0x302, 1], [0xfff0, 2]] as const) {
      expect(exceptionOf(() => input(em24, address, quantity)), `0x${address.toString(16)}`).toBe(ExceptionCode.IllegalDataAddress);
    }
  });
});

describe('SDM630', () => {
  const sdm = new RegisterMapDevice(loadRegisterMap('sdm630'), meter);
  const f32 = (address: number): number => input(sdm, address, 2).getFloat32(0);
  const close = (value: number, expected: number): void => {
    expect(Math.abs(value - expected)).toBeLessThanOrEqual(Math.abs(expected) * 2 ** -23 + 1e-9);
  };

  it('registers that read 0 now carry the meter value', () => {
    const total = s.measurement.total;
    close(f32(0x42), (Math.atan2(total.reactivePower, total.activePower) * 180) / Math.PI);
    close(f32(0x50), s.energy.total.apparentVAh / 1000);
    close(f32(0x52), s.energy.chargeAh);
    close(f32(0x68), s.demand.neutralCurrent.present);
    close(f32(0x6a), s.demand.neutralCurrent.max);
    close(f32(0x6c), s.demand.reactive.present);
    close(f32(0x6e), s.demand.reactive.max);
    close(f32(0xfe), total.powerFactor);
    for (const address of [0x14e, 0x150, 0x152, 0x154]) expect(f32(address), `0x${address.toString(16)}`).toBeGreaterThan(0.5);
  });

  it('holding 0x0000..0x0025 reads as one block (nmakel/sdm_modbus), and 0xF910/F920/F930 answer', () => {
    const block = holding(sdm, 0, 0x26);
    expect(block.getFloat32(0x02 * 2)).toBe(s.settings.demandPeriodS / 60);
    expect(block.getFloat32(0x06 * 2)).toBe(s.settings.nominalVoltage);
    expect(block.getFloat32(0x08 * 2)).toBe(s.settings.nominalCurrent);
    expect(block.getFloat32(0x0a * 2)).toBe(3);
    expect(block.getFloat32(0x0c * 2)).toBe(100);
    expect(block.getFloat32(0x24 * 2)).toBe(3 * s.settings.nominalVoltage * s.settings.nominalCurrent);
    expect(holding(sdm, 0xf910, 2).getFloat32(0)).toBe(0);
    expect(holding(sdm, 0xf920, 2).getFloat32(0)).toBe(2);
    close(holding(sdm, 0xf930, 2).getFloat32(0), s.energy.loadRunningS / 3600);
  });

  it('reserved gaps inside the map read zeros; reads past the map answer exception 02', () => {
    expect(input(sdm, 0x60, 4).getFloat32(0)).toBe(0);
    expect(exceptionOf(() => input(sdm, 0, 125))).toBeUndefined();
    for (const [address, quantity] of [[0xfff0, 2], [0x9c40, 2], [0x0200, 2], [0x017e, 1], [0x0170, 20]] as const) {
      expect(exceptionOf(() => input(sdm, address, quantity)), `input 0x${address.toString(16)}`).toBe(ExceptionCode.IllegalDataAddress);
    }
    for (const [address, quantity] of [[0x0026, 2], [0x0000, 0x27], [0xf000, 2], [0xfc02, 2]] as const) {
      expect(exceptionOf(() => holding(sdm, address, quantity)), `holding 0x${address.toString(16)}`).toBe(ExceptionCode.IllegalDataAddress);
    }
  });

  it('a write into a reserved gap answers exception 02', () => {
    expect(exceptionOf(() => sdm.writeHoldingRegisters(0x0004, new Uint8Array(4)))).toBe(ExceptionCode.IllegalDataAddress);
  });
});
