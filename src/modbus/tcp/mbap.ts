/**
 * MBAP header of Modbus/TCP (Modbus Messaging on TCP/IP Implementation Guide V1.0b, 3.1.3):
 * transaction id (2), protocol id (2, always 0), length (2, unit id + PDU), unit id (1).
 */
export const MbapHeaderLength = 7;
/** Length field bounds: unit id + 1..253 PDU bytes. */
export const MinMbapLength = 2;
export const MaxMbapLength = 254;
/** Largest ADU: header + 253-byte PDU. */
export const MaxAduLength = MbapHeaderLength + 253;

/** Why a connection's byte stream was rejected (the connection is then closed). */
export type FramingError = 'protocol-id' | 'length';

/** Checks the header at data[offset..offset+6): returns the ADU length (6 + length field) or an error. */
export function mbapFrameLength(data: Uint8Array, offset: number): number | FramingError {
  if (data[offset + 2] !== 0 || data[offset + 3] !== 0) return 'protocol-id';
  const length = (data[offset + 4] << 8) | data[offset + 5];
  if (length < MinMbapLength || length > MaxMbapLength) return 'length';
  return 6 + length;
}
