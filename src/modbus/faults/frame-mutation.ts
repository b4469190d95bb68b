/**
 * Byte-level damage to an answer frame, in the terms of its framing descriptor (header with the
 * unit id and, on MBAP, the transaction id; PDU; checksum on RTU). Header rewrites come first (a
 * checksum is recomputed after them, so a wrong unit id is a valid frame from a foreign unit), then
 * checksum damage, then truncation and extra bytes. Pure: the input is never modified.
 */
import type { FrameMutation } from './comm-fault.js';
import type { FramingDescriptor } from '../framing/framing-descriptor.js';

/** What extra bytes carry: a fixed pattern, so a test can recognise it. */
export const EXTRA_BYTE = 0xa5;

const ORDER: Record<FrameMutation['kind'], number> = {
  'wrong-unit-id': 0,
  'wrong-transaction-id': 0,
  'corrupt-crc': 1,
  truncate: 2,
  'extra-bytes': 2,
};

export function mutateFrame(frame: Uint8Array, framing: FramingDescriptor, mutations: readonly FrameMutation[]): Uint8Array {
  if (mutations.length === 0) return frame;
  let out = Uint8Array.from(frame);
  const ordered = [...mutations].sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  const { checksumLength, transactionIdOffset, unitIdOffset } = framing;
  let headerChanged = false;
  for (const mutation of ordered) {
    switch (mutation.kind) {
      case 'wrong-unit-id':
        if (out.length > unitIdOffset) out[unitIdOffset] = mutation.unitId & 0xff;
        headerChanged = true;
        break;
      case 'wrong-transaction-id':
        if (transactionIdOffset !== undefined && out.length >= transactionIdOffset + 2) {
          const tid = framing.transactionId(out, 0) + 1;
          out[transactionIdOffset] = (tid >> 8) & 0xff;
          out[transactionIdOffset + 1] = tid & 0xff;
        }
        break;
      case 'corrupt-crc':
        if (checksumLength > 0 && out.length >= framing.headerLength + checksumLength) {
          if (headerChanged) reseal(out, framing);
          headerChanged = false;
          for (let i = out.length - checksumLength; i < out.length; i++) out[i] ^= 0xff;
        }
        break;
      case 'truncate':
        if (headerChanged) reseal(out, framing);
        headerChanged = false;
        out = out.slice(0, Math.max(0, out.length - mutation.bytes));
        break;
      case 'extra-bytes': {
        if (headerChanged) reseal(out, framing);
        headerChanged = false;
        const longer = new Uint8Array(out.length + mutation.bytes).fill(EXTRA_BYTE);
        longer.set(out, 0);
        out = longer;
        break;
      }
    }
  }
  if (headerChanged) reseal(out, framing);
  return out;
}

/** Recompute the checksum of a frame whose header changed (nothing to do on a framing without one). */
function reseal(frame: Uint8Array, framing: FramingDescriptor): void {
  const pduLength = frame.length - framing.headerLength - framing.checksumLength;
  if (framing.checksumLength === 0 || pduLength < 0) return;
  framing.seal(frame, 0, pduLength, frame[framing.unitIdOffset], framing.transactionId(frame, 0));
}
