import type { ModbusDevice } from '../device.js';
import { readU16 } from './pdu-bytes.js';
import { expectLength, illegalDataValue } from './request-errors.js';

const coilOn = new Uint8Array([1]);
const coilOff = new Uint8Array([0]);

/** FC05 write single coil: value 0xFF00 (on) or 0x0000 (off), anything else is 03. Echoes the request. */
export function writeSingleCoil(
  device: ModbusDevice,
  request: Uint8Array,
  start: number,
  length: number,
  response: Uint8Array,
  responseOffset: number,
): number {
  expectLength(length, 5, 'write single coil');
  const address = readU16(request, start + 1);
  const value = readU16(request, start + 3);
  if (value !== 0xff00 && value !== 0x0000) {
    throw illegalDataValue(`write single coil: value 0x${value.toString(16)} is neither 0xFF00 nor 0x0000`);
  }
  device.writeCoils(address, 1, value === 0xff00 ? coilOn : coilOff);
  response.set(request.subarray(start, start + 5), responseOffset);
  return 5;
}
