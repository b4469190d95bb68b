/**
 * The one table of function-code shapes: how long a request PDU and a response PDU are, read from
 * their first bytes (Modbus Application Protocol V1.1b3, section 6; libmodbus's
 * compute_meta_length_after_function / compute_data_length_after_meta). RTU frames have no length
 * field, so both the server's request framer and the client's response framer take their lengths
 * from here. Lengths are PDU lengths: function code included, unit id and CRC not.
 */
import { LengthEndsAtCrc, LengthUnknown, NeedMoreBytes } from './length-result.js';

/** How the length of one PDU follows from its first bytes. */
export type PduLengthRule =
  /** always `bytes` long */
  | { readonly kind: 'fixed'; readonly bytes: number }
  /** a byte count of `countBytes` (big-endian) at PDU offset `countAt` gives the rest: countAt + countBytes + count */
  | { readonly kind: 'counted'; readonly countAt: number; readonly countBytes: 1 | 2 }
  /** FC08: sub-function 0000 (return query data) echoes data of any length (ends at the CRC); the others carry 2 data bytes */
  | { readonly kind: 'diagnostics' }
  /** FC43: MEI type 0x0E (read device identification) requests are 4 bytes; other MEI types are not known */
  | { readonly kind: 'mei' }
  /** layout not known here */
  | { readonly kind: 'unknown' };

export interface FunctionShape {
  readonly functionCode: number;
  readonly name: string;
  readonly request: PduLengthRule;
  readonly response: PduLengthRule;
}

const fixed = (bytes: number): PduLengthRule => ({ kind: 'fixed', bytes });
const counted = (countAt: number, countBytes: 1 | 2 = 1): PduLengthRule => ({ kind: 'counted', countAt, countBytes });
const diagnostics: PduLengthRule = { kind: 'diagnostics' };

export const functionShapes: readonly FunctionShape[] = [
  // reads: address (2) quantity (2) | byte count (1) values
  { functionCode: 0x01, name: 'read coils', request: fixed(5), response: counted(1) },
  { functionCode: 0x02, name: 'read discrete inputs', request: fixed(5), response: counted(1) },
  { functionCode: 0x03, name: 'read holding registers', request: fixed(5), response: counted(1) },
  { functionCode: 0x04, name: 'read input registers', request: fixed(5), response: counted(1) },
  // single writes: address (2) value (2), echoed
  { functionCode: 0x05, name: 'write single coil', request: fixed(5), response: fixed(5) },
  { functionCode: 0x06, name: 'write single register', request: fixed(5), response: fixed(5) },
  // serial line only: no request data | status (1)
  { functionCode: 0x07, name: 'read exception status', request: fixed(1), response: fixed(2) },
  // sub-function (2) data (2, or any length for 0000), echoed
  { functionCode: 0x08, name: 'diagnostics', request: diagnostics, response: diagnostics },
  // no request data | status (2) event count (2)
  { functionCode: 0x0b, name: 'get comm event counter', request: fixed(1), response: fixed(5) },
  // no request data | byte count (1) status, counts, events
  { functionCode: 0x0c, name: 'get comm event log', request: fixed(1), response: counted(1) },
  // address (2) quantity (2) byte count (1) values | address (2) quantity (2)
  { functionCode: 0x0f, name: 'write multiple coils', request: counted(5), response: fixed(5) },
  { functionCode: 0x10, name: 'write multiple registers', request: counted(5), response: fixed(5) },
  // no request data | byte count (1) server id, run indicator, additional data
  { functionCode: 0x11, name: 'report server id', request: fixed(1), response: counted(1) },
  // byte count (1) sub-requests | byte count (1) sub-responses
  { functionCode: 0x14, name: 'read file record', request: counted(1), response: counted(1) },
  { functionCode: 0x15, name: 'write file record', request: counted(1), response: counted(1) },
  // reference (2) and-mask (2) or-mask (2), echoed
  { functionCode: 0x16, name: 'mask write register', request: fixed(7), response: fixed(7) },
  // read address/quantity (4) write address/quantity (4) byte count (1) values | byte count (1) values
  { functionCode: 0x17, name: 'read/write multiple registers', request: counted(9), response: counted(1) },
  // FIFO pointer address (2) | byte count (2) FIFO count (2) values
  { functionCode: 0x18, name: 'read FIFO queue', request: fixed(3), response: counted(1, 2) },
  // MEI type (1) ... | the read device identification answer lists objects of their own lengths
  { functionCode: 0x2b, name: 'encapsulated interface transport', request: { kind: 'mei' }, response: { kind: 'unknown' } },
];

/** The shapes indexed by function code (undefined: not in the table). */
export const shapeByFunctionCode: readonly (FunctionShape | undefined)[] = (() => {
  const table = new Array<FunctionShape | undefined>(256).fill(undefined);
  for (const shape of functionShapes) table[shape.functionCode] = shape;
  return table;
})();

/** Every exception response: function code | 0x80, exception code. */
export const ExceptionPduLength = 2;

/**
 * The PDU length by `rule` of the PDU at bytes[pduStart..], of which `available` bytes are present
 * (at least 1: the function code): a positive length, NeedMoreBytes, LengthEndsAtCrc or LengthUnknown.
 */
export function pduLength(rule: PduLengthRule, bytes: Uint8Array, pduStart: number, available: number): number {
  switch (rule.kind) {
    case 'fixed':
      return rule.bytes;
    case 'counted': {
      const countEnd = rule.countAt + rule.countBytes;
      if (available < countEnd) return NeedMoreBytes;
      const at = pduStart + rule.countAt;
      const count = rule.countBytes === 1 ? bytes[at] : (bytes[at] << 8) | bytes[at + 1];
      return countEnd + count;
    }
    case 'diagnostics': {
      if (available < 3) return NeedMoreBytes;
      const subFunction = (bytes[pduStart + 1] << 8) | bytes[pduStart + 2];
      return subFunction === 0x0000 ? LengthEndsAtCrc : 5;
    }
    case 'mei':
      if (available < 2) return NeedMoreBytes;
      return bytes[pduStart + 1] === 0x0e ? 4 : LengthUnknown;
    case 'unknown':
      return LengthUnknown;
  }
}

/** Length of the request PDU at bytes[pduStart..] (see pduLength). */
export function requestPduLength(bytes: Uint8Array, pduStart: number, available: number): number {
  if (available < 1) return NeedMoreBytes;
  const shape = shapeByFunctionCode[bytes[pduStart]];
  return shape === undefined ? LengthUnknown : pduLength(shape.request, bytes, pduStart, available);
}

/** Length of the response PDU at bytes[pduStart..] (see pduLength); an exception response is 2 bytes. */
export function responsePduLength(bytes: Uint8Array, pduStart: number, available: number): number {
  if (available < 1) return NeedMoreBytes;
  const functionCode = bytes[pduStart];
  if ((functionCode & 0x80) !== 0) return ExceptionPduLength;
  const shape = shapeByFunctionCode[functionCode];
  return shape === undefined ? LengthUnknown : pduLength(shape.response, bytes, pduStart, available);
}
