import type { ModbusDevice } from '../device.js';
import { readU16 } from './pdu-bytes.js';
import { QuantityLimits } from './quantity-limits.js';
import { expectAddressSpace, expectLength, illegalDataValue } from './request-errors.js';

/**
 * FC03 read holding registers / FC04 read input registers. Request: fc, address, quantity.
 * Response: fc, byte count, big-endian words copied by the device from one consistent image.
 */
export function readRegisters(
  device: ModbusDevice,
  request: Uint8Array,
  start: number,
  length: number,
  response: Uint8Array,
  responseOffset: number,
): number {
  expectLength(length, 5, 'read registers');
  const functionCode = request[start];
  const address = readU16(request, start + 1);
  const quantity = readU16(request, start + 3);
  if (quantity < 1 || quantity > QuantityLimits.readRegisters) {
    throw illegalDataValue(`read registers: quantity ${quantity} outside 1..${QuantityLimits.readRegisters}`);
  }
  expectAddressSpace(address, quantity);
  if (functionCode === 0x03) device.readHoldingRegisters(address, quantity, response, responseOffset + 2);
  else device.readInputRegisters(address, quantity, response, responseOffset + 2);
  response[responseOffset] = functionCode;
  response[responseOffset + 1] = quantity * 2;
  return 2 + quantity * 2;
}
