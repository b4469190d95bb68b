/**
 * MBAP framing of Modbus/TCP (Modbus Messaging on TCP/IP Implementation Guide V1.0b, 3.1.3):
 *   transaction id (2) | protocol id (2, always 0) | length (2, unit id + PDU) | unit id (1) | PDU
 * No checksum: TCP carries one. The length field gives every frame's length, request or response.
 */
import type { FramingDescriptor, MbapHeaderError } from './framing-descriptor.js';
import { LengthInvalid, NeedMoreBytes } from './length-result.js';

export const MbapHeaderLength = 7;
/** Length field bounds: unit id + 1..253 PDU bytes. */
export const MinMbapLengthField = 2;
export const MaxMbapLengthField = 254;
/** Largest ADU: header + 253-byte PDU. */
export const MaxMbapAduLength = MbapHeaderLength + 253;

/** Transaction id, protocol id and length field: what fixes the frame's length. */
const lengthKnownAfter = 6;

/**
 * What is wrong with the header at bytes[start..start+6), when requestLength() said LengthInvalid:
 * a protocol id other than 0, else a length field out of bounds.
 */
export function mbapHeaderError(bytes: Uint8Array, start: number): MbapHeaderError {
  return bytes[start + 2] !== 0 || bytes[start + 3] !== 0 ? 'protocol-id' : 'length';
}

function frameLength(bytes: Uint8Array, start: number, available: number): number {
  if (available < lengthKnownAfter) return NeedMoreBytes;
  if (bytes[start + 2] !== 0 || bytes[start + 3] !== 0) return LengthInvalid;
  const length = (bytes[start + 4] << 8) | bytes[start + 5];
  if (length < MinMbapLengthField || length > MaxMbapLengthField) return LengthInvalid;
  return lengthKnownAfter + length;
}

export const mbapFraming: FramingDescriptor<MbapHeaderError> = {
  name: 'mbap',
  headerLength: MbapHeaderLength,
  checksumLength: 0,
  unitIdOffset: 6,
  transactionIdOffset: 0,
  minAduLength: MbapHeaderLength + 1,
  maxAduLength: MaxMbapAduLength,
  requestLength: frameLength,
  responseLength: frameLength,
  seal(adu, start, pduLength, unitId, transactionId) {
    adu[start] = (transactionId >>> 8) & 0xff;
    adu[start + 1] = transactionId & 0xff;
    adu[start + 2] = 0;
    adu[start + 3] = 0;
    adu[start + 4] = ((pduLength + 1) >>> 8) & 0xff;
    adu[start + 5] = (pduLength + 1) & 0xff;
    adu[start + 6] = unitId;
    return MbapHeaderLength + pduLength;
  },
  verify(bytes, start, length) {
    const expected = frameLength(bytes, start, length);
    if (expected === LengthInvalid) return mbapHeaderError(bytes, start);
    return expected === length ? undefined : 'length';
  },
  transactionId(bytes, start) {
    return (bytes[start] << 8) | bytes[start + 1];
  },
};
