import { describe, expect, it } from 'vitest';
import { exceptionOf, words, f32Words } from '../../support/device-calls.js';
import { ExceptionCode } from '../../../src/modbus/exception.js';
import { loadMapText } from '../../../src/registers/load-map.js';
import type { ReadContext } from '../../../src/registers/read-context.js';
import { RegisterMapDevice } from '../../../src/registers/register-map-device.js';
import { loadRegisterMap, profileNames } from '../../../src/registers/profiles.js';
import { FakeMeter, makeSnapshot } from '../../support/fake-meter.js';
import { expectedSi, resolution, siValue, wireValue } from '../../support/register-decoding.js';

function readU16(device: RegisterMapDevice, address: number): number {
  const out = new Uint8Array(2);
  device.readHoldingRegisters(address, 1, out, 0);
  return new DataView(out.buffer).getUint16(0);
}

function context(meter: FakeMeter): ReadContext {
  return { snapshot: meter.snapshot(), eventIndex: 0, eventRecord: meter.eventRecord(0), profileIndex: 0, profileRecord: meter.profileRecord(0), unlocked: false };
}

const variants: Array<[string, Record<string, number>]> = [
  ...profileNames().map((n): [string, Record<string, number>] => [n, {}]),
  ['sunspec', { model: 213 }],
];

describe('RegisterMapDevice reads', () => {
  for (const [profile, options] of variants) {
    it(`${profile} ${JSON.stringify(options)}: every register decodes to the snapshot's value within its resolution`, () => {
      const meter = new FakeMeter();
      const device = new RegisterMapDevice(loadRegisterMap(profile, options), meter);
      const ctx = context(meter);
      let checked = 0;
      for (const register of device.map.registers) {
        const expected = expectedSi(register, ctx);
        if (expected === undefined) continue;
        if (register.space === 'coil' || register.space === 'discrete') {
          const out = new Uint8Array(1);
          if (register.space === 'coil') device.readCoils(register.address, 1, out, 0);
          else device.readDiscreteInputs(register.address, 1, out, 0);
          expect(out[0], register.name).toBe(expected === 0 ? 0 : 1);
          checked += 1;
          continue;
        }
        const out = new Uint8Array(register.length * 2);
        if (register.space === 'input') device.readInputRegisters(register.address, register.length, out, 0);
        else device.readHoldingRegisters(register.address, register.length, out, 0);
        if (typeof expected === 'string') {
          const text = Buffer.from(out).toString('latin1').replace(/\0+$/, '');
          expect(text, register.name).toBe(expected.slice(0, register.length * 2));
        } else if (register.type === 'sunssf') {
          expect(wireValue(register.type, out, register.wordOrder), register.name).toBe(expected);
        } else {
          const si = siValue(register, wireValue(register.type, out, register.wordOrder));
          expect(Math.abs(si - expected), `${register.name}: ${si} vs ${expected}`).toBeLessThanOrEqual(resolution(register, expected));
        }
        checked += 1;
      }
      expect(checked).toBeGreaterThan(20);
    });
  }

  it('copies a 125-register block from the image and answers 02 when any address in it is unmapped', () => {
    const device = new RegisterMapDevice(loadRegisterMap('titan'), new FakeMeter());
    const block = new Uint8Array(250);
    device.readInputRegisters(0x1000, 125, block, 0);
    const view = new DataView(block.buffer);
    const h5 = makeSnapshot().measurement.phases[0].voltageHarmonics[5] as number;
    expect(view.getFloat32(3 * 4)).toBeCloseTo(h5, 4); // U L1 H5 is the 4th float from 0x1000
    expect(exceptionOf(() => device.readInputRegisters(0x0066, 2, new Uint8Array(4), 0))).toBe(ExceptionCode.IllegalDataAddress);
    expect(exceptionOf(() => device.readInputRegisters(0xfff0, 1, new Uint8Array(2), 0))).toBe(ExceptionCode.IllegalDataAddress);
    expect(exceptionOf(() => device.readCoils(2, 1, new Uint8Array(1), 0))).toBe(ExceptionCode.IllegalDataAddress);
    // part of a float is readable (the image holds whole words)
    const whole = new Uint8Array(4);
    const half = new Uint8Array(2);
    device.readInputRegisters(0, 2, whole, 0);
    device.readInputRegisters(1, 1, half, 0);
    expect(half).toEqual(whole.subarray(2, 4));
  });

  it('fills unmapped addresses with zeros when the map says the real meter does', () => {
    const map = loadMapText(
      ['profile: zeros', 'title: zeros', 'fill: { input: zeros }', 'defaults: { space: input, type: f32 }', 'registers:', '  - { name: F, address: 10, quantity: frequency }'].join('\n'),
      'zeros.yaml',
    );
    const device = new RegisterMapDevice(map, new FakeMeter());
    const out = new Uint8Array(30).fill(0xaa);
    device.readInputRegisters(0, 15, out, 0);
    expect(out.subarray(0, 20).every((b) => b === 0)).toBe(true);
    expect(new DataView(out.buffer).getFloat32(20)).toBeCloseTo(49.987, 3);
    expect(exceptionOf(() => device.readHoldingRegisters(0, 1, out, 0))).toBe(ExceptionCode.IllegalDataAddress);
    const top = new Uint8Array(12).fill(0xaa);
    device.readInputRegisters(65530, 6, top, 0);
    expect([...top]).toEqual(new Array(12).fill(0));
  });

  it('with fill: zeros, a read over several stored segments and the gaps between them matches a dense image', () => {
    const map = loadMapText(
      [
        'profile: gaps',
        'title: gaps',
        'fill: { input: zeros }',
        'defaults: { space: input, type: u16 }',
        'registers:',
        '  - { name: F, address: 10, type: f32, quantity: frequency }',
        '  - { name: A, address: 20, value: 4660 }',
        '  - { name: B, address: 160, value: 22136 }',
        '  - { name: C, address: 161, value: 39612 }',
        '  - { name: D, address: 300, value: 65535 }',
      ].join('\n'),
      'gaps.yaml',
    );
    const device = new RegisterMapDevice(map, new FakeMeter());
    expect(device.compiled.layouts.input.segmentStart.length).toBe(3);
    const dense = new Uint8Array(2 * 512);
    const view = new DataView(dense.buffer);
    view.setUint16(40, 4660);
    view.setUint16(320, 22136);
    view.setUint16(322, 39612);
    view.setUint16(600, 65535);
    for (const [address, quantity] of [[0, 125], [5, 125], [11, 60], [21, 125], [100, 125], [159, 4], [150, 125], [162, 125], [250, 60], [299, 2], [301, 55], [0, 1]] as const) {
      const out = new Uint8Array(quantity * 2 + 4).fill(0xaa);
      device.readInputRegisters(address, quantity, out, 2);
      expect([out[0], out[1], out[quantity * 2 + 2], out[quantity * 2 + 3]]).toEqual([0xaa, 0xaa, 0xaa, 0xaa]);
      const got = out.subarray(2, 2 + quantity * 2);
      const want = dense.subarray(address * 2, (address + quantity) * 2);
      // the frequency float (addresses 10..11) is compared to 3 decimals, everything else byte for byte
      if (address <= 10 && address + quantity >= 12) expect(new DataView(got.buffer, got.byteOffset).getFloat32((10 - address) * 2)).toBeCloseTo(49.987, 3);
      const masked = (bytes: Uint8Array): number[] => [...bytes].map((b, i) => (address * 2 + i >= 20 && address * 2 + i < 24 ? 0 : b));
      expect(masked(got)).toEqual(masked(want));
    }
  });

  it('devices of one loaded map share its address layout; each image only stores the mapped segments', () => {
    const map = loadRegisterMap('sunspec');
    const a = new RegisterMapDevice(map, new FakeMeter());
    const b = new RegisterMapDevice(map, new FakeMeter());
    expect(a.compiled.layouts.holding).toBe(b.compiled.layouts.holding);
    expect(a.compiled.images.holding.bytes).not.toBe(b.compiled.images.holding.bytes);
    // sunspec maps holding 40000..40178 only: 179 registers stored, not 40179
    expect(a.compiled.images.holding.bytes.length).toBe(2 * 179);
    expect(a.compiled.images.input.bytes.length).toBe(0);
  });

  it('a map with a register far above the rest stores only its mapped segments (sdm630: serial number at 0xFC00)', () => {
    const device = new RegisterMapDevice(loadRegisterMap('sdm630'), new FakeMeter());
    const holding = device.compiled.images.holding;
    expect(holding.layout.extent).toBe(0xfc02);
    expect(holding.bytes.length).toBeLessThan(200);
    const serial = new Uint8Array(4);
    device.readHoldingRegisters(0xfc00, 2, serial, 0);
    expect(new DataView(serial.buffer).getUint32(0)).toBe(24_051_234);
    expect(exceptionOf(() => device.readHoldingRegisters(0xfbff, 2, serial, 0))).toBe(ExceptionCode.IllegalDataAddress);
    expect(exceptionOf(() => device.readHoldingRegisters(0xfc01, 2, serial, 0))).toBe(ExceptionCode.IllegalDataAddress);
  });

  it('serves the identification objects with the identity filled in', () => {
    const device = new RegisterMapDevice(loadRegisterMap('titan'), new FakeMeter());
    const objects = device.identification();
    expect(objects.get(0)).toBe('Submeter Labs');
    expect(objects.get(1)).toBe('Titan 3P');
    expect(objects.get(2)).toBe('1.2.3');
    expect(objects.get(0x80)).toBe('SN 24051234');
    expect(new RegisterMapDevice(loadRegisterMap('sdm630'), new FakeMeter()).identification().get(1)).toBe('SDM630');
  });

  it('refresh() encodes a new snapshot whole', () => {
    const meter = new FakeMeter();
    const device = new RegisterMapDevice(loadRegisterMap('sdm630'), meter);
    const before = new Uint8Array(4);
    device.readInputRegisters(0x0046, 2, before, 0);
    meter.current = makeSnapshot({ measurement: { ...makeSnapshot().measurement, frequencyHz: 60.125 } });
    const stale = new Uint8Array(4);
    device.readInputRegisters(0x0046, 2, stale, 0);
    expect(stale).toEqual(before);
    device.refresh();
    device.readInputRegisters(0x0046, 2, stale, 0);
    expect(new DataView(stale.buffer).getFloat32(0)).toBe(60.125);
  });
});

describe('RegisterMapDevice writes', () => {
  it('writes a setting within bounds through MeterCommands and reads it back', () => {
    const meter = new FakeMeter();
    const device = new RegisterMapDevice(loadRegisterMap('titan'), meter);
    device.writeHoldingRegisters(0x000b, words(1800));
    expect(meter.calls).toEqual(['updateSettings {"demandPeriodS":1800}']);
    expect(readU16(device, 0x000b)).toBe(1800);
    device.writeHoldingRegisters(0x000a, words(1, 600)); // method sliding + period 600 in one request
    expect(meter.current.settings.demandMethod).toBe('sliding');
    expect(meter.current.settings.demandPeriodS).toBe(600);
    expect(meter.calls).toHaveLength(2);
  });

  it('answers 03 outside the bounds, and when the meter refuses the value (RangeError)', () => {
    const meter = new FakeMeter();
    const device = new RegisterMapDevice(loadRegisterMap('titan'), meter);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x000b, words(59)))).toBe(ExceptionCode.IllegalDataValue);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x000b, words(3601)))).toBe(ExceptionCode.IllegalDataValue);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x000c, words(900)))).toBeUndefined();
    meter.updateSettings = () => {
      throw new RangeError('demandSubPeriodS must divide demandPeriodS');
    };
    expect(exceptionOf(() => device.writeHoldingRegisters(0x000c, words(120)))).toBe(ExceptionCode.IllegalDataValue);
    expect(meter.current.settings.demandSubPeriodS).toBe(900);
  });

  it('answers 02 for unmapped and read-only registers, 03 for part of a multi-register value', () => {
    const meter = new FakeMeter();
    const device = new RegisterMapDevice(loadRegisterMap('sdm630'), meter);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x0004, words(1, 2)))).toBe(ExceptionCode.IllegalDataAddress);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x000a, f32Words(1)))).toBe(ExceptionCode.IllegalDataAddress);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x0002, words(0x4170)))).toBe(ExceptionCode.IllegalDataValue);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x0003, words(0)))).toBe(ExceptionCode.IllegalDataValue);
    expect(meter.calls).toEqual([]);
    device.writeHoldingRegisters(0x0002, f32Words(30)); // demand period 30 min, float32
    expect(meter.current.settings.demandPeriodS).toBeCloseTo(1800, 9);
    const out = new Uint8Array(4);
    device.readHoldingRegisters(0x0002, 2, out, 0);
    expect(new DataView(out.buffer).getFloat32(0)).toBe(30);
  });

  it('needs the password before a protected setting, locks on 0 and after the timeout', () => {
    let now = 1_000_000;
    const meter = new FakeMeter();
    const device = new RegisterMapDevice(loadRegisterMap('titan'), meter, { now: () => now });
    const ct = f32Words(40);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x0001, ct))).toBe(ExceptionCode.IllegalDataValue);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x0000, words(4321)))).toBe(ExceptionCode.IllegalDataValue); // wrong password
    device.writeHoldingRegisters(0x0000, words(1234));
    expect(readU16(device, 0x0000)).toBe(1);
    device.writeHoldingRegisters(0x0001, ct);
    expect(meter.current.settings.ctRatio).toBe(40);
    now += 299_000;
    device.writeHoldingRegisters(0x0001, f32Words(50));
    expect(meter.current.settings.ctRatio).toBe(50);
    now += 2_000; // 301 s after unlocking
    expect(exceptionOf(() => device.writeHoldingRegisters(0x0001, f32Words(60)))).toBe(ExceptionCode.IllegalDataValue);
    device.writeHoldingRegisters(0x0000, words(1234));
    device.writeHoldingRegisters(0x0000, words(0));
    expect(readU16(device, 0x0000)).toBe(0);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x0001, f32Words(60)))).toBe(ExceptionCode.IllegalDataValue);
    // password and setting in one request (registers 0..2)
    const both = new Uint8Array(6);
    both.set(words(1234), 0);
    both.set(f32Words(70), 2);
    device.writeHoldingRegisters(0x0000, both);
    expect(meter.current.settings.ctRatio).toBe(70);
  });

  it('SDM630: password at 0x0018 (float) unlocks the protected CT ratio', () => {
    const meter = new FakeMeter();
    const device = new RegisterMapDevice(loadRegisterMap('sdm630'), meter);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x0020, f32Words(20)))).toBe(ExceptionCode.IllegalDataValue);
    device.writeHoldingRegisters(0x0018, f32Words(1000));
    device.writeHoldingRegisters(0x0020, f32Words(20));
    expect(meter.current.settings.ctRatio).toBe(20);
  });

  it('resets demand and energy, and switches the load relay as a coil', () => {
    const meter = new FakeMeter();
    const device = new RegisterMapDevice(loadRegisterMap('titan'), meter);
    device.writeHoldingRegisters(0x0020, words(1));
    expect(exceptionOf(() => device.writeHoldingRegisters(0x0020, words(2)))).toBe(ExceptionCode.IllegalDataValue);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x0021, words(1)))).toBe(ExceptionCode.IllegalDataValue); // protected
    device.writeHoldingRegisters(0x0000, words(1234));
    device.writeHoldingRegisters(0x0021, words(1));
    device.writeCoils(0, 1, Uint8Array.of(0));
    const coil = new Uint8Array(1);
    device.readCoils(0, 2, coil, 0);
    expect(coil[0]).toBe(0);
    const discrete = new Uint8Array(1);
    device.readDiscreteInputs(0, 2, discrete, 0);
    expect(discrete[0]).toBe(0b10); // relay open, settings unlocked
    device.writeCoils(0, 2, Uint8Array.of(0b11)); // close the relay and reset demand
    device.readCoils(0, 2, coil.fill(0), 0);
    expect(coil[0]).toBe(0b01);
    expect(meter.calls).toEqual(['resetDemand', 'resetEnergy', 'setRelay false', 'setRelay true', 'resetDemand']);
    expect(exceptionOf(() => device.writeCoils(5, 1, Uint8Array.of(1)))).toBe(ExceptionCode.IllegalDataAddress);
    new RegisterMapDevice(loadRegisterMap('sdm630'), meter).writeHoldingRegisters(0xf010, words(0));
    expect(meter.calls.at(-1)).toBe('resetDemand');
  });
});

describe('logs over Modbus', () => {
  it('selects an event record by index (0 = newest) and reads it from the record window', () => {
    const meter = new FakeMeter();
    const device = new RegisterMapDevice(loadRegisterMap('titan'), meter);
    const window = (): DataView => {
      const out = new Uint8Array(24);
      device.readHoldingRegisters(0x0100, 12, out, 0);
      return new DataView(out.buffer);
    };
    let w = window();
    expect([w.getUint16(0), w.getUint16(2), w.getUint32(4)]).toEqual([0, 1, 42]); // newest: sequence 42
    device.writeHoldingRegisters(0x0100, words(3));
    w = window();
    const third = meter.eventRecord(3);
    expect(third?.sequence).toBe(39);
    expect([w.getUint16(0), w.getUint16(2), w.getUint32(4), w.getUint16(8), w.getUint16(10)]).toEqual([3, 1, 39, 4, third?.phase]);
    expect(w.getUint32(12)).toBe(Math.floor((third?.startMs ?? 0) / 1000));
    expect(w.getFloat32(20)).toBe(third?.extremeValue);
    device.writeHoldingRegisters(0x0100, words(99)); // beyond the ring: valid = 0, zeros
    w = window();
    expect([w.getUint16(0), w.getUint16(2), w.getUint32(4)]).toEqual([99, 0, 0]);
    // a new event shifts the ring: index 0 shows it after the next refresh
    device.writeHoldingRegisters(0x0100, words(0));
    meter.events.push({ sequence: 43, kind: 'interruption', phase: 0, startMs: 1_763_900_000_000, endMs: 0, extremeValue: 0 });
    device.refresh();
    w = window();
    expect([w.getUint32(4), w.getUint16(8)]).toEqual([43, 3]);
  });

  it('selects a load-profile record and shows the latest event in input registers', () => {
    const meter = new FakeMeter();
    const device = new RegisterMapDevice(loadRegisterMap('titan'), meter);
    device.writeHoldingRegisters(0x0110, words(2));
    const out = new Uint8Array(8);
    device.readHoldingRegisters(0x0120, 2, out, 0);
    expect(new DataView(out.buffer).getFloat32(0)).toBe(902);
    device.readHoldingRegisters(0x0112, 2, out, 0);
    expect(new DataView(out.buffer).getUint32(0)).toBe(Math.floor((meter.profileRecord(2)?.timeMs ?? 0) / 1000));
    const latest = new Uint8Array(8);
    device.readInputRegisters(0x0510, 4, latest, 0);
    const v = new DataView(latest.buffer);
    expect([v.getUint16(0), v.getUint32(2), v.getUint16(6)]).toEqual([1, 42, 4]); // valid, sequence 42, kind sag = 4
  });
});

describe('maxAgeMs', () => {
  it('refreshes from the meter on a read once the image is older than maxAgeMs, not before', () => {
    let now = 0;
    const meter = new FakeMeter();
    const device = new RegisterMapDevice(loadRegisterMap('sdm630'), meter, { now: () => now, maxAgeMs: 200 });
    const hz = (): number => {
      const out = new Uint8Array(4);
      device.readInputRegisters(0x0046, 2, out, 0);
      return new DataView(out.buffer).getFloat32(0);
    };
    expect(hz()).toBeCloseTo(49.987, 3);
    meter.current = makeSnapshot({ measurement: { ...makeSnapshot().measurement, frequencyHz: 50.5 } });
    now = 199;
    expect(hz()).toBeCloseTo(49.987, 3);
    now = 200;
    expect(hz()).toBe(50.5);
  });
});

describe('RegisterMapDevice caches', () => {
  function readAll(device: RegisterMapDevice): number[] {
    const values: number[] = [];
    for (const register of device.map.registers) {
      if (register.space !== 'input' && register.space !== 'holding') continue;
      const out = new Uint8Array(register.length * 2);
      if (register.space === 'input') device.readInputRegisters(register.address, register.length, out, 0);
      else device.readHoldingRegisters(register.address, register.length, out, 0);
      values.push(...out);
    }
    return values;
  }

  it('a released device reads the same bytes again, and keeps its selected event record', () => {
    const meter = new FakeMeter();
    const device = new RegisterMapDevice(loadRegisterMap('titan'), meter);
    const select = device.map.registers.find((r) => r.command === 'selectEvent');
    expect(select).toBeDefined();
    if (select === undefined) return;
    device.writeHoldingRegisters(select.address, Uint8Array.of(0, 2));
    const before = readAll(device);
    device.release();
    const after = readAll(device);
    expect(after).toEqual(before);
    expect(after.length).toBeGreaterThan(200);
    expect(readU16(device, select.address)).toBe(2);
  });

  it('looks the selected log records up only when a register shows them, and again after a new selection or snapshot', () => {
    const meter = new FakeMeter();
    const asked = { event: 0, profile: 0 };
    const counting = Object.assign(Object.create(meter) as FakeMeter, {
      eventRecord: (i: number) => ((asked.event += 1), meter.eventRecord(i)),
      profileRecord: (i: number) => ((asked.profile += 1), meter.profileRecord(i)),
    });
    // sdm630 shows no log record: reading every register of it asks for none.
    readAll(new RegisterMapDevice(loadRegisterMap('sdm630'), counting));
    expect(asked).toEqual({ event: 0, profile: 0 });

    const device = new RegisterMapDevice(loadRegisterMap('titan'), counting);
    const select = device.map.registers.find((r) => r.command === 'selectEvent');
    const sequence = device.map.registers.find((r) => r.source.kind === 'quantity' && r.source.quantity.name === 'eventRecord.sequence');
    expect(select).toBeDefined();
    expect(sequence).toBeDefined();
    if (select === undefined || sequence === undefined) return;
    expect(sequence.type).toBe('u32');
    const shownSequence = (): number => {
      const out = new Uint8Array(4);
      device.readHoldingRegisters(sequence.address, 2, out, 0);
      return new DataView(out.buffer).getUint32(0);
    };
    const newest = meter.eventRecord(0)?.sequence ?? NaN;
    expect(shownSequence()).toBe(newest);
    const afterFirst = asked.event;
    expect(afterFirst).toBeGreaterThanOrEqual(1);
    expect(shownSequence()).toBe(newest);
    expect(asked.event).toBe(afterFirst); // same snapshot, same selection: not asked again
    device.writeHoldingRegisters(select.address, Uint8Array.of(0, 3));
    expect(shownSequence()).toBe(meter.eventRecord(3)?.sequence);
    expect(meter.eventRecord(3)?.sequence).toBe(newest - 3);
    const afterSelect = asked.event;
    expect(afterSelect).toBeGreaterThan(afterFirst);
    device.refresh();
    expect(shownSequence()).toBe(newest - 3);
    expect(asked.event).toBe(afterSelect + 1); // a new snapshot: asked once more
  });

  it('a read after several refreshes shows the newest snapshot in every register it covers, also ones not read in between', () => {
    const meter = new FakeMeter();
    const device = new RegisterMapDevice(loadRegisterMap('sdm630'), meter);
    const voltage = () => {
      const out = new Uint8Array(4);
      device.readInputRegisters(0, 2, out, 0);
      return new DataView(out.buffer).getFloat32(0);
    };
    const frequency = () => {
      const out = new Uint8Array(4);
      device.readInputRegisters(70, 2, out, 0);
      return new DataView(out.buffer).getFloat32(0);
    };
    const base = meter.current;
    const withValues = (v: number, f: number) => ({
      ...base,
      measurement: { ...base.measurement, frequencyHz: f, phases: [{ ...base.measurement.phases[0], voltageRms: v }, base.measurement.phases[1], base.measurement.phases[2]] as typeof base.measurement.phases },
    });
    meter.current = withValues(231, 50.1);
    device.refresh();
    expect(voltage()).toBeCloseTo(231, 3);
    meter.current = withValues(232, 50.2);
    device.refresh();
    meter.current = withValues(233, 50.3);
    device.refresh();
    // frequency was never read since the first refresh: it shows the newest snapshot, as voltage does
    expect(frequency()).toBeCloseTo(50.3, 3);
    expect(voltage()).toBeCloseTo(233, 3);
  });
});
