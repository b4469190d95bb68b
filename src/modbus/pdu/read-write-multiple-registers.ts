import type { ModbusDevice } from '../device.js';
import { readU16 } from './pdu-bytes.js';
import { QuantityLimits } from './quantity-limits.js';
import { expectAddressSpace, illegalDataValue } from './request-errors.js';

/**
 * FC23 read/write multiple registers. Request: fc, read address, read quantity (1..125), write
 * address, write quantity (1..121), write byte count (== 2 * write quantity == remaining bytes),
 * words. The write is performed before the read (spec 6.17);
 * an invalid read range is detected before anything is written. Response: fc, byte count, words read.
 */
export function readWriteMultipleRegisters(
  device: ModbusDevice,
  request: Uint8Array,
  start: number,
  length: number,
  response: Uint8Array,
  responseOffset: number,
): number {
  if (length < 10) throw illegalDataValue(`read/write multiple registers: PDU is ${length} bytes, at least 10 expected`);
  const readAddress = readU16(request, start + 1);
  const readQuantity = readU16(request, start + 3);
  const writeAddress = readU16(request, start + 5);
  const writeQuantity = readU16(request, start + 7);
  const byteCount = request[start + 9];
  if (readQuantity < 1 || readQuantity > QuantityLimits.readWriteRead) {
    throw illegalDataValue(`read/write multiple registers: read quantity ${readQuantity} outside 1..${QuantityLimits.readWriteRead}`);
  }
  if (writeQuantity < 1 || writeQuantity > QuantityLimits.readWriteWrite) {
    throw illegalDataValue(`read/write multiple registers: write quantity ${writeQuantity} outside 1..${QuantityLimits.readWriteWrite}`);
  }
  if (byteCount !== writeQuantity * 2 || length !== 10 + byteCount) {
    throw illegalDataValue(`read/write multiple registers: byte count ${byteCount} does not match write quantity ${writeQuantity} / PDU length ${length}`);
  }
  expectAddressSpace(readAddress, readQuantity);
  expectAddressSpace(writeAddress, writeQuantity);
  // Read once before writing so a read range outside the map answers 02 without writing anything.
  device.readHoldingRegisters(readAddress, readQuantity, response, responseOffset + 2);
  device.writeHoldingRegisters(writeAddress, request.slice(start + 10, start + 10 + byteCount));
  device.readHoldingRegisters(readAddress, readQuantity, response, responseOffset + 2);
  response[responseOffset] = 0x17;
  response[responseOffset + 1] = readQuantity * 2;
  return 2 + readQuantity * 2;
}
