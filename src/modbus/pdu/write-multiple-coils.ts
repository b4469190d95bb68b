import type { ModbusDevice } from '../device.js';
import { readU16 } from './pdu-bytes.js';
import { QuantityLimits } from './quantity-limits.js';
import { expectAddressSpace, illegalDataValue } from './request-errors.js';

/**
 * FC15 write multiple coils. Request: fc, address, quantity, byte count, packed bits.
 * Quantity 1..1968 and byte count == ceil(quantity/8) == remaining bytes, else 03.
 * Response: fc, address, quantity.
 */
export function writeMultipleCoils(
  device: ModbusDevice,
  request: Uint8Array,
  start: number,
  length: number,
  response: Uint8Array,
  responseOffset: number,
): number {
  if (length < 6) throw illegalDataValue(`write multiple coils: PDU is ${length} bytes, at least 6 expected`);
  const address = readU16(request, start + 1);
  const quantity = readU16(request, start + 3);
  const byteCount = request[start + 5];
  if (quantity < 1 || quantity > QuantityLimits.writeBits) {
    throw illegalDataValue(`write multiple coils: quantity ${quantity} outside 1..${QuantityLimits.writeBits}`);
  }
  if (byteCount !== (quantity + 7) >>> 3 || length !== 6 + byteCount) {
    throw illegalDataValue(`write multiple coils: byte count ${byteCount} does not match quantity ${quantity} / PDU length ${length}`);
  }
  expectAddressSpace(address, quantity);
  device.writeCoils(address, quantity, request.slice(start + 6, start + 6 + byteCount));
  response.set(request.subarray(start, start + 5), responseOffset);
  return 5;
}
