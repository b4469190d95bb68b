/** Random requests never crash a map device: every refusal is a ModbusError with 02 or 03. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModbusError } from '../../../src/modbus/exception.js';
import { RegisterMapDevice } from '../../../src/registers/register-map-device.js';
import { loadRegisterMap, profileNames } from '../../../src/registers/profiles.js';
import { FakeMeter } from '../../support/fake-meter.js';

function outcome(action: () => void): number {
  try {
    action();
    return 0;
  } catch (error) {
    if (error instanceof ModbusError) return error.code;
    throw error;
  }
}

describe('map devices under random requests', () => {
  for (const profile of profileNames()) {
    it(`${profile}: reads and writes anywhere answer data, 02 or 03, never another error`, () => {
      const meter = new FakeMeter();
      const device = new RegisterMapDevice(loadRegisterMap(profile), meter);
      // addresses near mapped registers are more interesting than uniform ones
      const near = device.map.registers.map((r) => r.address);
      const address = fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(...near).chain((a) => fc.integer({ min: Math.max(0, a - 2), max: Math.min(0xffff, a + 2) })));
      fc.assert(
        fc.property(address, fc.integer({ min: 1, max: 125 }), fc.uint8Array({ minLength: 2, maxLength: 246 }), fc.boolean(), (at, quantity, payload, coil) => {
          const count = Math.min(quantity, 0x10000 - at);
          const target = new Uint8Array(count * 2 + 4);
          expect([0, 2]).toContain(outcome(() => device.readInputRegisters(at, count, target, 4)));
          expect([0, 2]).toContain(outcome(() => device.readHoldingRegisters(at, count, target, 4)));
          const words = payload.subarray(0, payload.length & ~1);
          const writeCount = Math.min(words.length / 2, 0x10000 - at);
          if (coil) expect([0, 2, 3]).toContain(outcome(() => device.writeCoils(at, Math.min(count, writeCount * 16), payload)));
          else expect([0, 2, 3]).toContain(outcome(() => device.writeHoldingRegisters(at, words.subarray(0, writeCount * 2))));
        }),
        { numRuns: 400 },
      );
    });
  }
});
