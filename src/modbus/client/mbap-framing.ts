/** Modbus/TCP framing for the client: MBAP header with a transaction id per request. */
import type { ClientFraming } from './stream-transport.js';

export class MbapFraming implements ClientFraming {
  private transactionId = 0;

  encode(unitId: number, pdu: Uint8Array): Uint8Array {
    this.transactionId = (this.transactionId + 1) & 0xffff;
    const adu = new Uint8Array(7 + pdu.length);
    adu[0] = this.transactionId >> 8;
    adu[1] = this.transactionId & 0xff;
    adu[4] = (pdu.length + 1) >> 8;
    adu[5] = (pdu.length + 1) & 0xff;
    adu[6] = unitId;
    adu.set(pdu, 7);
    return adu;
  }

  frameLength(bytes: Uint8Array): number {
    if (bytes.length < 6) return 0;
    const length = ((bytes[4] ?? 0) << 8) | (bytes[5] ?? 0);
    if (bytes[2] !== 0 || bytes[3] !== 0 || length < 2 || length > 254) return -1;
    return bytes.length >= 6 + length ? 6 + length : 0;
  }

  decode(frame: Uint8Array, request: Uint8Array): Uint8Array | undefined {
    if (frame[0] !== request[0] || frame[1] !== request[1] || frame[6] !== request[6]) return undefined;
    return frame.subarray(7);
  }
}
