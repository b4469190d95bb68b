/**
 * Byte-level damage to an answer frame, for the two framings Modbus uses:
 *   mbap: transaction id (2) | protocol id (2) | length (2) | unit id (1) | PDU
 *   rtu:  unit id (1) | PDU | CRC-16 (2, low byte first)
 * Header rewrites come first (an RTU CRC is recomputed after them, so a wrong unit id is a valid
 * frame from a foreign unit), then CRC damage, then truncation and extra bytes. Pure: the input is
 * never modified.
 */
import type { FrameMutation } from './comm-fault.js';
import type { Framing } from './comm-fault-policy.js';
import { crc16Modbus } from '../rtu/crc16.js';

/** What extra bytes carry: a fixed pattern, so a test can recognise it. */
export const EXTRA_BYTE = 0xa5;

const ORDER: Record<FrameMutation['kind'], number> = {
  'wrong-unit-id': 0,
  'wrong-transaction-id': 0,
  'corrupt-crc': 1,
  truncate: 2,
  'extra-bytes': 2,
};

export function mutateFrame(frame: Uint8Array, framing: Framing, mutations: readonly FrameMutation[]): Uint8Array {
  if (mutations.length === 0) return frame;
  let out = Uint8Array.from(frame);
  const ordered = [...mutations].sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  let headerChanged = false;
  for (const mutation of ordered) {
    switch (mutation.kind) {
      case 'wrong-unit-id':
        if (framing === 'mbap' && out.length >= 7) out[6] = mutation.unitId & 0xff;
        if (framing === 'rtu' && out.length >= 1) out[0] = mutation.unitId & 0xff;
        headerChanged = true;
        break;
      case 'wrong-transaction-id':
        if (framing === 'mbap' && out.length >= 2) {
          const tid = ((out[0] << 8) | out[1]) + 1;
          out[0] = (tid >> 8) & 0xff;
          out[1] = tid & 0xff;
        }
        break;
      case 'corrupt-crc':
        if (framing === 'rtu' && out.length >= 3) {
          if (headerChanged) writeCrc(out);
          headerChanged = false;
          out[out.length - 2] ^= 0xff;
          out[out.length - 1] ^= 0xff;
        }
        break;
      case 'truncate':
        if (headerChanged && framing === 'rtu') writeCrc(out);
        headerChanged = false;
        out = out.slice(0, Math.max(0, out.length - mutation.bytes));
        break;
      case 'extra-bytes': {
        if (headerChanged && framing === 'rtu') writeCrc(out);
        headerChanged = false;
        const longer = new Uint8Array(out.length + mutation.bytes).fill(EXTRA_BYTE);
        longer.set(out, 0);
        out = longer;
        break;
      }
    }
  }
  if (headerChanged && framing === 'rtu') writeCrc(out);
  return out;
}

/** Rewrite the last two bytes of an RTU frame with the CRC of the rest. */
function writeCrc(frame: Uint8Array): void {
  if (frame.length < 3) return;
  const crc = crc16Modbus(frame, 0, frame.length - 2);
  frame[frame.length - 2] = crc & 0xff;
  frame[frame.length - 1] = crc >> 8;
}
