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

/** Every exception response: function code | 0x80, exception code. */
export const ExceptionPduLength = 2;

/*
 * The table compiled to typed arrays indexed by function code (a rule kind and its parameter), so
 * the per-frame lookup is two array reads and an integer switch: no object shapes on the hot path.
 */
const Unknown = 0;
const Fixed = 1;
const Counted1 = 2;
const Counted2 = 3;
const Diagnostics = 4;
const Mei = 5;

interface CompiledRules {
  readonly kind: Uint8Array;
  readonly parameter: Uint8Array;
}

function compile(side: 'request' | 'response'): CompiledRules {
  const kind = new Uint8Array(256);
  const parameter = new Uint8Array(256);
  for (const shape of functionShapes) {
    const rule = shape[side];
    const code = shape.functionCode;
    switch (rule.kind) {
      case 'fixed':
        kind[code] = Fixed;
        parameter[code] = rule.bytes;
        break;
      case 'counted':
        kind[code] = rule.countBytes === 1 ? Counted1 : Counted2;
        parameter[code] = rule.countAt;
        break;
      case 'diagnostics':
        kind[code] = Diagnostics;
        break;
      case 'mei':
        kind[code] = Mei;
        break;
      case 'unknown':
        kind[code] = Unknown;
        break;
    }
  }
  return { kind, parameter };
}

const requestRules = compile('request');
const responseRules = compile('response');

/**
 * The PDU length by the compiled rule for `functionCode` of the PDU at bytes[pduStart..], of which
 * `available` bytes are present (at least 1: the function code): a positive length, NeedMoreBytes,
 * LengthEndsAtCrc or LengthUnknown.
 */
function pduLength(rules: CompiledRules, functionCode: number, bytes: Uint8Array, pduStart: number, available: number): number {
  const parameter = rules.parameter[functionCode];
  switch (rules.kind[functionCode]) {
    case Fixed:
      return parameter;
    case Counted1:
      return available < parameter + 1 ? NeedMoreBytes : parameter + 1 + bytes[pduStart + parameter];
    case Counted2:
      return available < parameter + 2 ? NeedMoreBytes : parameter + 2 + ((bytes[pduStart + parameter] << 8) | bytes[pduStart + parameter + 1]);
    case Diagnostics:
      // sub-function 0000 (return query data) echoes data of any length; the others carry 2 data bytes
      if (available < 3) return NeedMoreBytes;
      return bytes[pduStart + 1] === 0 && bytes[pduStart + 2] === 0 ? LengthEndsAtCrc : 5;
    case Mei:
      // MEI type 0x0E (read device identification): read device id code (1), object id (1)
      if (available < 2) return NeedMoreBytes;
      return bytes[pduStart + 1] === 0x0e ? 4 : LengthUnknown;
    default:
      return LengthUnknown;
  }
}

/** Length of the request PDU at bytes[pduStart..] with `available` bytes present (see length-result.ts). */
export function requestPduLength(bytes: Uint8Array, pduStart: number, available: number): number {
  if (available < 1) return NeedMoreBytes;
  return pduLength(requestRules, bytes[pduStart], bytes, pduStart, available);
}

/** Length of the response PDU at bytes[pduStart..] (see requestPduLength); an exception response is 2 bytes. */
export function responsePduLength(bytes: Uint8Array, pduStart: number, available: number): number {
  if (available < 1) return NeedMoreBytes;
  const functionCode = bytes[pduStart];
  if ((functionCode & 0x80) !== 0) return ExceptionPduLength;
  return pduLength(responseRules, functionCode, bytes, pduStart, available);
}
