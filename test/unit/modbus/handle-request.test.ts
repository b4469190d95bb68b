import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModbusDevice } from '../../../src/modbus/device.js';
import { ExceptionCode, ModbusError } from '../../../src/modbus/exception.js';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { handleRequest, processRequest } from '../../../src/modbus/pdu/handle-request.js';
import { SerialDiagnostics } from '../../../src/modbus/serial-diagnostics.js';
import { pdu, readWords, word } from '../../support/pdu.js';
import { responseProblem } from '../../support/response-shape.js';

class FailingDevice extends MemoryDevice {
  constructor(private readonly failure: unknown) {
    super();
  }
  override readHoldingRegisters(): void {
    throw this.failure;
  }
}

describe('request dispatch', () => {
  it('answers 01 to every function code it does not serve', () => {
    const d = new MemoryDevice();
    const served = new Set([1, 2, 3, 4, 5, 6, 8, 15, 16, 17, 22, 23, 43]);
    for (let code = 0; code < 256; code += 1) {
      if (served.has(code)) continue;
      expect([...processRequest(d, pdu(code, 0, 0, 0, 1))]).toEqual([(code | 0x80) & 0xff, 0x01]);
    }
  });

  it('answers 04 when the device throws something other than ModbusError', () => {
    expect([...processRequest(new FailingDevice(new Error('disk on fire')), pdu(0x03, 0, 0, 0, 1))]).toEqual([0x83, 0x04]);
    expect([...processRequest(new FailingDevice('a string'), pdu(0x03, 0, 0, 0, 1))]).toEqual([0x83, 0x04]);
  });

  it('passes a device ModbusError code through (06 busy is counted)', () => {
    const diagnostics = new SerialDiagnostics();
    const res = processRequest(new FailingDevice(new ModbusError(ExceptionCode.ServerDeviceBusy)), pdu(0x03, 0, 0, 0, 1), { diagnostics });
    expect([...res]).toEqual([0x83, 0x06]);
    expect(diagnostics.serverBusyCount).toBe(1);
    expect(diagnostics.busExceptionErrorCount).toBe(1);
  });

  it('handleRequest reads from an offset and writes at an offset', () => {
    const d = new MemoryDevice();
    d.setInputRegister(9, 0x0102);
    const frame = Uint8Array.from([0xee, 0xee, 0x04, ...word(9), ...word(1), 0xee]);
    const out = new Uint8Array(300).fill(0xcc);
    const n = handleRequest(d, frame, 2, 5, out, 7, {});
    expect(n).toBe(4);
    expect([...out.subarray(6, 12)]).toEqual([0xcc, 0x04, 0x02, 0x01, 0x02, 0xcc]);
  });

  it('never throws and always answers well-formed PDUs (random requests)', () => {
    const d = new MemoryDevice({ holdingRegisters: { start: 0, count: 500 }, inputRegisters: { start: 100, count: 100 } });
    const diagnostics = new SerialDiagnostics();
    const served = fc.constantFrom(1, 2, 3, 4, 5, 6, 8, 15, 16, 17, 22, 23, 43);
    const request = fc.oneof(
      fc.tuple(served, fc.uint8Array({ minLength: 0, maxLength: 260 })).map(([code, rest]) => Uint8Array.from([code, ...rest])),
      fc.tuple(served, fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff })).map(([code, a, q]) => pdu(code, ...word(a), ...word(q))),
      fc.uint8Array({ minLength: 1, maxLength: 253 }),
    );
    fc.assert(
      fc.property(request, fc.boolean(), (req, onSerial) => {
        diagnostics.listenOnly = false;
        const res = processRequest(d, req, onSerial ? { diagnostics, reportServerId: true } : {});
        if (res.length === 0) {
          // only FC08 (listen only / restart) may stay silent
          expect(onSerial && req[0] === 0x08).toBe(true);
          return;
        }
        expect(res.length).toBeLessThanOrEqual(253);
        expect(responseProblem(req, res)).toBeUndefined();
      }),
      { numRuns: 3000, seed: 20261123 },
    );
  });

  it('a device read is one consistent copy (reads return what was written as a block)', () => {
    const d = new MemoryDevice();
    processRequest(d, pdu(0x10, ...word(0), ...word(2), 4, 0x41, 0x20, 0x00, 0x00));
    const res = processRequest(d, pdu(0x03, ...word(0), ...word(2)));
    expect(Buffer.from(res.subarray(2)).readFloatBE(0)).toBe(10);
    expect(readWords(res, 2, 2)).toEqual([0x4120, 0]);
  });
});

describe('device contract', () => {
  it('MemoryDevice implements ModbusDevice with configurable ranges', () => {
    const d: ModbusDevice = new MemoryDevice({ inputRegisters: { start: 30000, count: 10 } });
    expect([...processRequest(d, pdu(0x04, ...word(30009), ...word(1)))]).toEqual([0x04, 2, 0, 0]);
    expect([...processRequest(d, pdu(0x04, ...word(29999), ...word(1)))]).toEqual([0x84, 0x02]);
    expect(() => new MemoryDevice({ coils: { start: 65000, count: 1000 } })).toThrow(/coils range/);
  });
});
