/**
 * RTU framing (Modbus over Serial Line V1.02, 2.5.1), on a serial line and in RTU over TCP:
 *   unit id (1) | PDU | CRC-16 (2, low byte first)
 * No length field: a frame's length follows from its function code (the table of function shapes).
 */
import { crc16Modbus } from './crc16.js';
import type { FramingDescriptor } from './framing-descriptor.js';
import { requestPduLength, responsePduLength } from './function-shapes.js';
import { NeedMoreBytes } from './length-result.js';

const RtuHeaderLength = 1;
const CrcLength = 2;

/** Largest RTU ADU: 1 address + 253 PDU + 2 CRC. */
export const MaxRtuAduLength = 256;
/** Smallest RTU ADU: address, function, CRC. */
export const MinRtuAduLength = 4;
/** FC08 return query data: address, function, sub-function (2), data (at least 2), CRC; where LengthEndsAtCrc starts looking. */
export const VariableRequestMinimumLength = 8;

/** ADU length from a PDU length (negative results pass through). */
function aduLength(pduLength: number): number {
  return pduLength > 0 ? RtuHeaderLength + pduLength + CrcLength : pduLength;
}

export const rtuFraming: FramingDescriptor<'crc'> = {
  name: 'rtu',
  headerLength: RtuHeaderLength,
  checksumLength: CrcLength,
  unitIdOffset: 0,
  transactionIdOffset: undefined,
  minAduLength: MinRtuAduLength,
  maxAduLength: MaxRtuAduLength,
  requestLength(bytes, start, available) {
    if (available < 2) return NeedMoreBytes;
    return aduLength(requestPduLength(bytes, start + RtuHeaderLength, available - RtuHeaderLength));
  },
  responseLength(bytes, start, available) {
    if (available < 2) return NeedMoreBytes;
    return aduLength(responsePduLength(bytes, start + RtuHeaderLength, available - RtuHeaderLength));
  },
  seal(adu, start, pduLength, unitId) {
    adu[start] = unitId;
    const end = start + RtuHeaderLength + pduLength;
    const crc = crc16Modbus(adu, start, end);
    adu[end] = crc & 0xff;
    adu[end + 1] = crc >>> 8;
    return RtuHeaderLength + pduLength + CrcLength;
  },
  verify(bytes, start, length) {
    if (length < RtuHeaderLength + CrcLength) return 'crc';
    const end = start + length;
    const crc = crc16Modbus(bytes, start, end - CrcLength);
    return bytes[end - 2] === (crc & 0xff) && bytes[end - 1] === crc >>> 8 ? undefined : 'crc';
  },
  transactionId() {
    return 0;
  },
};
