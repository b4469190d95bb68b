import type { ModbusDevice } from '../device.js';
import { readU16, writeU16 } from './pdu-bytes.js';
import { expectLength } from './request-errors.js';

/**
 * FC22 mask write register: result = (current AND andMask) OR (orMask AND NOT andMask).
 * Request: fc, address, and mask, or mask (7 bytes). Echoes the request.
 */
export function maskWriteRegister(
  device: ModbusDevice,
  request: Uint8Array,
  start: number,
  length: number,
  response: Uint8Array,
  responseOffset: number,
): number {
  expectLength(length, 7, 'mask write register');
  const address = readU16(request, start + 1);
  const andMask = readU16(request, start + 3);
  const orMask = readU16(request, start + 5);
  const word = new Uint8Array(2);
  device.readHoldingRegisters(address, 1, word, 0);
  const current = readU16(word, 0);
  writeU16(word, 0, (current & andMask) | (orMask & ~andMask & 0xffff));
  device.writeHoldingRegisters(address, word);
  response.set(request.subarray(start, start + 7), responseOffset);
  return 7;
}
