import type { ModbusDevice } from '../device.js';
import { readU16 } from './pdu-bytes.js';
import { QuantityLimits } from './quantity-limits.js';
import { expectAddressSpace, expectLength, illegalDataValue } from './request-errors.js';

/**
 * FC01 read coils / FC02 read discrete inputs. Request: fc, address, quantity (5 bytes).
 * Response: fc, byte count, packed bits LSB-first. Returns the response length.
 */
export function readBits(
  device: ModbusDevice,
  request: Uint8Array,
  start: number,
  length: number,
  response: Uint8Array,
  responseOffset: number,
): number {
  expectLength(length, 5, 'read bits');
  const functionCode = request[start];
  const address = readU16(request, start + 1);
  const quantity = readU16(request, start + 3);
  if (quantity < 1 || quantity > QuantityLimits.readBits) {
    throw illegalDataValue(`read bits: quantity ${quantity} outside 1..${QuantityLimits.readBits}`);
  }
  expectAddressSpace(address, quantity);
  const byteCount = (quantity + 7) >>> 3;
  response.fill(0, responseOffset + 2, responseOffset + 2 + byteCount);
  if (functionCode === 0x01) device.readCoils(address, quantity, response, responseOffset + 2);
  else device.readDiscreteInputs(address, quantity, response, responseOffset + 2);
  // Bits beyond `quantity` in the last byte must be zero (spec 6.1): clear whatever a device left.
  const spare = byteCount * 8 - quantity;
  if (spare > 0) response[responseOffset + 1 + byteCount] &= 0xff >>> spare;
  response[responseOffset] = functionCode;
  response[responseOffset + 1] = byteCount;
  return 2 + byteCount;
}
