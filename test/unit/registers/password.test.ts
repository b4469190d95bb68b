/**
 * The settings password: a lockout after 5 wrong attempts (60 s of meter time, logged as an event),
 * unlocks that belong to one session (a TCP connection; the RTU bus as a whole) and expire, and
 * every relay and energy-reset path behind the password in every map.
 */
import { describe, expect, it } from 'vitest';
import { exceptionOf, words, f32Words } from '../../support/device-calls.js';
import { Meter } from '../../../src/meter/meter.js';
import { ExceptionCode } from '../../../src/modbus/exception.js';
import { loadMapText } from '../../../src/registers/load-map.js';
import { loadRegisterMap, profileNames } from '../../../src/registers/profiles.js';
import { MAX_WRONG_PASSWORDS, PASSWORD_LOCKOUT_S, RegisterMapDevice } from '../../../src/registers/register-map-device.js';
import { balancedLoad, SettableSource } from '../../support/phasor-measurement.js';

const START = Date.UTC(2026, 4, 10, 8, 0);
const TITAN_PASSWORD = 1234;
const TITAN_CT_RATIO = 0x0001;

/** A real meter at meter time START (+ `advanceMeter`), and a titan device over it on a settable clock. */
function titan(): { meter: Meter; device: RegisterMapDevice; advanceMeter(ms: number): void; advanceDevice(ms: number): void } {
  const meter = new Meter({ source: new SettableSource(balancedLoad(230, 10, 0.2)) });
  let meterNow = START;
  meter.tick(meterNow);
  let deviceNow = 1_000_000;
  const device = new RegisterMapDevice(loadRegisterMap('titan'), meter, { now: () => deviceNow });
  return {
    meter,
    device,
    advanceMeter(ms) {
      meterNow += ms;
      meter.tick(meterNow);
      device.refresh();
    },
    advanceDevice(ms) {
      deviceNow += ms;
    },
  };
}

function unlockOnce(device: RegisterMapDevice, password: number): number | undefined {
  return exceptionOf(() => device.writeHoldingRegisters(0x0000, words(password)));
}

describe('settings password lockout', () => {
  it(`refuses every unlock for ${PASSWORD_LOCKOUT_S} s of meter time after ${MAX_WRONG_PASSWORDS} wrong passwords, and logs it`, () => {
    const { meter, device, advanceMeter } = titan();
    for (let i = 0; i < MAX_WRONG_PASSWORDS; i += 1) expect(unlockOnce(device, 1000 + i)).toBe(ExceptionCode.IllegalDataValue);
    expect(meter.eventRecord(0)).toMatchObject({ kind: 'password-lockout', startMs: START, extremeValue: MAX_WRONG_PASSWORDS });
    // The right password is refused now, and changes nothing.
    expect(unlockOnce(device, TITAN_PASSWORD)).toBe(ExceptionCode.IllegalDataValue);
    expect(exceptionOf(() => device.writeHoldingRegisters(TITAN_CT_RATIO, f32Words(40)))).toBe(ExceptionCode.IllegalDataValue);
    advanceMeter(59_000);
    expect(unlockOnce(device, TITAN_PASSWORD)).toBe(ExceptionCode.IllegalDataValue);
    advanceMeter(1_000);
    expect(unlockOnce(device, TITAN_PASSWORD)).toBeUndefined();
    device.writeHoldingRegisters(TITAN_CT_RATIO, f32Words(40));
    expect(meter.configuration.ctRatio).toBe(40);
  });

  it('guessing in order at 5 a second misses the password (it falls in a lockout) instead of finding it at the 35th try', () => {
    const { device, advanceMeter } = titan();
    let acceptedAt: number | undefined;
    for (let tried = 0; tried < 200 && acceptedAt === undefined; tried += 1) {
      if (unlockOnce(device, 1200 + tried) === undefined) acceptedAt = 1200 + tried;
      if ((tried + 1) % MAX_WRONG_PASSWORDS === 0) advanceMeter(1_000);
    }
    expect(acceptedAt).toBeUndefined();
    // 5 guesses per 60 s: the 65,536 titan passwords take about 9 days instead of 0.94 s.
    expect((65_536 / MAX_WRONG_PASSWORDS) * PASSWORD_LOCKOUT_S).toBeGreaterThan(7 * 86_400);
  });

  it('a right password resets the count of wrong ones', () => {
    const { device } = titan();
    for (let round = 0; round < 3; round += 1) {
      for (let i = 0; i < MAX_WRONG_PASSWORDS - 1; i += 1) expect(unlockOnce(device, 999)).toBe(ExceptionCode.IllegalDataValue);
      expect(unlockOnce(device, TITAN_PASSWORD)).toBeUndefined();
    }
  });
});

describe('an unlock belongs to its session', () => {
  it('an unlock on one TCP connection does not unlock another, and each reads its own state', () => {
    const { device, meter } = titan();
    device.beginRequest({ session: 1 });
    device.writeHoldingRegisters(0x0000, words(TITAN_PASSWORD));
    device.beginRequest({ session: 2 });
    expect(exceptionOf(() => device.writeHoldingRegisters(TITAN_CT_RATIO, f32Words(40)))).toBe(ExceptionCode.IllegalDataValue);
    const out = new Uint8Array(2);
    device.readHoldingRegisters(0x0000, 1, out, 0);
    expect(out[1]).toBe(0);
    device.beginRequest({ session: 1 });
    device.readHoldingRegisters(0x0000, 1, out, 0);
    expect(out[1]).toBe(1);
    device.writeHoldingRegisters(TITAN_CT_RATIO, f32Words(40));
    expect(meter.configuration.ctRatio).toBe(40);
    // The serial bus is one session of its own.
    device.beginRequest({});
    expect(exceptionOf(() => device.writeHoldingRegisters(TITAN_CT_RATIO, f32Words(50)))).toBe(ExceptionCode.IllegalDataValue);
  });

  it("expires after the map's timeout (titan 300 s)", () => {
    const { device, advanceDevice } = titan();
    device.beginRequest({ session: 7 });
    device.writeHoldingRegisters(0x0000, words(TITAN_PASSWORD));
    advanceDevice(299_000);
    expect(exceptionOf(() => device.writeHoldingRegisters(TITAN_CT_RATIO, f32Words(40)))).toBeUndefined();
    advanceDevice(1_000);
    expect(exceptionOf(() => device.writeHoldingRegisters(TITAN_CT_RATIO, f32Words(41)))).toBe(ExceptionCode.IllegalDataValue);
  });
});

describe('relay and energy reset need the password', () => {
  it('titan: the load relay (coil 0, holding 34) and the energy reset are refused while locked', () => {
    const { device, meter } = titan();
    expect(exceptionOf(() => device.writeCoils(0, 1, Uint8Array.of(0)))).toBe(ExceptionCode.IllegalDataValue);
    expect(exceptionOf(() => device.writeHoldingRegisters(34, words(0)))).toBe(ExceptionCode.IllegalDataValue);
    expect(exceptionOf(() => device.writeHoldingRegisters(0x21, words(1)))).toBe(ExceptionCode.IllegalDataValue);
    expect(meter.relayIsClosed).toBe(true);
    device.writeHoldingRegisters(0x0000, words(TITAN_PASSWORD));
    device.writeCoils(0, 1, Uint8Array.of(0));
    expect(meter.relayIsClosed).toBe(false);
    device.writeHoldingRegisters(34, words(1));
    expect(meter.relayIsClosed).toBe(true);
  });

  it.each(profileNames())('%s: every relay and energy-reset register is protected', (profile) => {
    const map = loadRegisterMap(profile);
    const open = map.registers.filter((r) => (r.command === 'relay' || r.command === 'resetEnergy') && !r.protected).map((r) => r.name);
    expect(open).toEqual([]);
  });

  it('a map with an unprotected relay is refused at load, naming the register and field', () => {
    const text = [
      'profile: open-relay',
      'title: relay without password',
      'defaults: { space: input, type: u16 }',
      'security: { password: 1, timeout: 60 }',
      'registers:',
      '  - { name: Relay, space: coil, address: 0, quantity: relay.closed, access: write, command: relay }',
    ].join('\n');
    expect(() => loadMapText(text, 'open-relay.yaml')).toThrow(/open-relay\.yaml:6: registers\["Relay"\]\.protected: a relay command must be protected: true/);
  });
});
