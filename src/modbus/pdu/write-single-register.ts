import type { ModbusDevice } from '../device.js';
import { readU16 } from './pdu-bytes.js';
import { expectLength } from './request-errors.js';

/** FC06 write single register (any 16-bit value). Echoes the request. */
export function writeSingleRegister(
  device: ModbusDevice,
  request: Uint8Array,
  start: number,
  length: number,
  response: Uint8Array,
  responseOffset: number,
): number {
  expectLength(length, 5, 'write single register');
  const address = readU16(request, start + 1);
  device.writeHoldingRegisters(address, request.slice(start + 3, start + 5));
  response.set(request.subarray(start, start + 5), responseOffset);
  return 5;
}
