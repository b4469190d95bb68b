/**
 * The client's side of a framing descriptor: wraps a request PDU into an ADU (MBAP header with a
 * transaction id per request, or unit id + CRC), cuts answers from the received bytes and matches
 * them to the request (same unit id, and on MBAP the same transaction id).
 */
import type { FramingDescriptor } from '../framing/framing-descriptor.js';
import { LengthEndsAtCrc, NeedMoreBytes } from '../framing/length-result.js';
import { VariableRequestMinimumLength } from '../framing/rtu-framing.js';
import type { ClientFraming } from './stream-transport.js';

export class AduFraming implements ClientFraming {
  private transactionId = 0;

  constructor(private readonly framing: FramingDescriptor) {}

  encode(unitId: number, pdu: Uint8Array): Uint8Array {
    const { headerLength, checksumLength } = this.framing;
    this.transactionId = (this.transactionId + 1) & 0xffff;
    const adu = new Uint8Array(headerLength + pdu.length + checksumLength);
    adu.set(pdu, headerLength);
    this.framing.seal(adu, 0, pdu.length, unitId, this.transactionId);
    return adu;
  }

  frameLength(bytes: Uint8Array): number {
    const length = this.framing.responseLength(bytes, 0, bytes.length);
    if (length === NeedMoreBytes) return 0;
    if (length === LengthEndsAtCrc) return this.firstGoodLength(bytes);
    if (length < 0) return -1;
    if (bytes.length < length) return 0;
    return this.framing.verify(bytes, 0, length) === undefined ? length : -1;
  }

  decode(frame: Uint8Array, request: Uint8Array): Uint8Array | undefined {
    const { unitIdOffset, transactionIdOffset, headerLength, checksumLength } = this.framing;
    if (frame[unitIdOffset] !== request[unitIdOffset]) return undefined;
    if (transactionIdOffset !== undefined && (frame[transactionIdOffset] !== request[transactionIdOffset] || frame[transactionIdOffset + 1] !== request[transactionIdOffset + 1])) {
      return undefined;
    }
    return frame.subarray(headerLength, frame.length - checksumLength);
  }

  /** A variable-length answer (FC08 00 echo) ends where its checksum first checks; garbage once no frame fits. */
  private firstGoodLength(bytes: Uint8Array): number {
    const maximum = Math.min(bytes.length, this.framing.maxAduLength);
    for (let length = VariableRequestMinimumLength; length <= maximum; length++) {
      if (this.framing.verify(bytes, 0, length) === undefined) return length;
    }
    return bytes.length >= this.framing.maxAduLength ? -1 : 0;
  }
}
