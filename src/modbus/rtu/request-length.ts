/**
 * The length of a Modbus RTU request ADU (unit id + PDU + CRC) from its first bytes, as libmodbus
 * computes it (compute_meta_length_after_function / compute_data_length_after_meta): the function
 * code fixes the header length, and for the multiple writes a byte count in the header gives the
 * rest. This is what lets the framer split back-to-back requests and answer as soon as a request
 * is complete, without waiting for the t3.5 silence.
 *
 * Results:
 * - a positive number: the exact ADU length in bytes;
 * - NeedMoreBytes: the header is not complete yet;
 * - LengthEndsAtCrc: a variable-length request (FC08 sub-function 00 return query data echoes any
 *   data); it ends where the CRC first checks at or after VariableRequestMinimumLength bytes;
 * - LengthUnknown: a function code whose request layout is not known; on a serial line the frame
 *   ends at the t3.5 silence; on a stream (RTU over TCP) where the CRC first checks.
 */
export const NeedMoreBytes = 0;
export const LengthEndsAtCrc = -1;
export const LengthUnknown = -2;

/** Largest RTU ADU: 1 address + 253 PDU + 2 CRC. */
export const MaxRtuAduLength = 256;
/** Smallest RTU ADU: address, function, CRC. */
export const MinRtuAduLength = 4;
/** FC08 return query data: address, function, sub-function (2), data (at least 2), CRC. */
export const VariableRequestMinimumLength = 8;

const CrcLength = 2;

/**
 * Expected ADU length of the request starting at buffer[start], with `available` bytes present.
 * Unit id at [start], function code at [start + 1].
 */
export function expectedRequestLength(buffer: Uint8Array, start: number, available: number): number {
  if (available < 2) return NeedMoreBytes;
  const functionCode = buffer[start + 1];
  switch (functionCode) {
    case 0x01: // read coils
    case 0x02: // read discrete inputs
    case 0x03: // read holding registers
    case 0x04: // read input registers
    case 0x05: // write single coil
    case 0x06: // write single register
      return 2 + 4 + CrcLength;
    case 0x07: // read exception status
    case 0x0b: // get comm event counter
    case 0x0c: // get comm event log
    case 0x11: // report server id
      return 2 + CrcLength;
    case 0x08: {
      // diagnostics: sub-function (2) + data (2); sub-function 0 echoes data of any length
      if (available < 4) return NeedMoreBytes;
      const subFunction = (buffer[start + 2] << 8) | buffer[start + 3];
      return subFunction === 0x0000 ? LengthEndsAtCrc : 2 + 4 + CrcLength;
    }
    case 0x0f: // write multiple coils: address (2) quantity (2) byte count (1) values
    case 0x10: // write multiple registers
      if (available < 7) return NeedMoreBytes;
      return 7 + buffer[start + 6] + CrcLength;
    case 0x14: // read file record: byte count (1) sub-requests
    case 0x15: // write file record
      if (available < 3) return NeedMoreBytes;
      return 3 + buffer[start + 2] + CrcLength;
    case 0x16: // mask write register: reference (2) and-mask (2) or-mask (2)
      return 2 + 6 + CrcLength;
    case 0x17: // read/write multiple registers: read (4) write address/quantity (4) byte count (1)
      if (available < 11) return NeedMoreBytes;
      return 11 + buffer[start + 10] + CrcLength;
    case 0x18: // read FIFO queue: pointer address (2)
      return 2 + 2 + CrcLength;
    case 0x2b: {
      // encapsulated interface transport: MEI type 0x0E read device identification has
      // read device id code (1) and object id (1); other MEI types are not known here
      if (available < 3) return NeedMoreBytes;
      return buffer[start + 2] === 0x0e ? 3 + 2 + CrcLength : LengthUnknown;
    }
    default:
      return LengthUnknown;
  }
}
