import { rtuFraming } from '../../../../src/modbus/framing/rtu-framing.js';

/** An RTU ADU: unit id, the given PDU bytes, and a correct CRC. */
export function rtuFrame(unitId: number, ...pdu: number[]): Uint8Array {
  const frame = new Uint8Array(pdu.length + 3);
  frame.set(pdu, 1);
  rtuFraming.seal(frame, 0, pdu.length, unitId, 0);
  return frame;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
