/**
 * RTU framing for the client (on a serial line or RTU over TCP): unit id + PDU + CRC-16. The
 * answer's length follows from its function code; a frame with a bad CRC is skipped byte by byte.
 */
import { appendCrc, hasValidCrc } from '../rtu/crc16.js';
import type { ClientFraming } from './stream-transport.js';

function expectedLength(bytes: Uint8Array): number {
  if (bytes.length < 3) return 0;
  const functionCode = bytes[1] ?? 0;
  if ((functionCode & 0x80) !== 0) return 5;
  switch (functionCode) {
    case 0x01:
    case 0x02:
    case 0x03:
    case 0x04:
    case 0x17:
      return 3 + (bytes[2] ?? 0) + 2;
    case 0x05:
    case 0x06:
    case 0x0f:
    case 0x10:
    case 0x08:
      return 8;
    case 0x16:
      return 10;
    default:
      return -1;
  }
}

export class RtuFraming implements ClientFraming {
  encode(unitId: number, pdu: Uint8Array): Uint8Array {
    const adu = new Uint8Array(1 + pdu.length + 2);
    adu[0] = unitId;
    adu.set(pdu, 1);
    appendCrc(adu, 1 + pdu.length);
    return adu;
  }

  frameLength(bytes: Uint8Array): number {
    const length = expectedLength(bytes);
    if (length <= 0) return length;
    if (bytes.length < length) return 0;
    return hasValidCrc(bytes, 0, length) ? length : -1;
  }

  decode(frame: Uint8Array, request: Uint8Array): Uint8Array | undefined {
    if (frame[0] !== request[0]) return undefined;
    return frame.subarray(1, frame.length - 2);
  }
}
