import type { ModbusDevice } from '../device.js';
import { readU16 } from './pdu-bytes.js';
import { QuantityLimits } from './quantity-limits.js';
import { expectAddressSpace, illegalDataValue } from './request-errors.js';

/**
 * FC16 write multiple registers. Request: fc, address, quantity, byte count, words.
 * Quantity 1..123 and byte count == 2 * quantity == remaining bytes, else 03.
 * Response: fc, address, quantity.
 */
export function writeMultipleRegisters(
  device: ModbusDevice,
  request: Uint8Array,
  start: number,
  length: number,
  response: Uint8Array,
  responseOffset: number,
): number {
  if (length < 6) throw illegalDataValue(`write multiple registers: PDU is ${length} bytes, at least 6 expected`);
  const address = readU16(request, start + 1);
  const quantity = readU16(request, start + 3);
  const byteCount = request[start + 5];
  if (quantity < 1 || quantity > QuantityLimits.writeRegisters) {
    throw illegalDataValue(`write multiple registers: quantity ${quantity} outside 1..${QuantityLimits.writeRegisters}`);
  }
  if (byteCount !== quantity * 2 || length !== 6 + byteCount) {
    throw illegalDataValue(`write multiple registers: byte count ${byteCount} does not match quantity ${quantity} / PDU length ${length}`);
  }
  expectAddressSpace(address, quantity);
  device.writeHoldingRegisters(address, request.slice(start + 6, start + 6 + byteCount));
  response.set(request.subarray(start, start + 5), responseOffset);
  return 5;
}
