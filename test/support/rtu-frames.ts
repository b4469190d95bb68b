/**
 * RTU frames for tests, built with a CRC computed here bit by bit (the specification's flowchart,
 * section 6.2.2, no table), so a test never relies on the server's own CRC code.
 */

/** CRC-16/MODBUS of `bytes`, bit by bit. */
export function referenceCrc16(bytes: ArrayLike<number>): number {
  let crc = 0xffff;
  for (let i = 0; i < bytes.length; i += 1) {
    crc ^= bytes[i] ?? 0;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** The bytes followed by their CRC (low byte first). */
export function withCrc(bytes: readonly number[]): Buffer {
  const crc = referenceCrc16(bytes);
  return Buffer.from([...bytes, crc & 0xff, crc >>> 8]);
}

/** An RTU ADU: unit id, the given PDU bytes, and a correct CRC. */
export function rtuFrame(unitId: number, ...pdu: number[]): Uint8Array {
  return Uint8Array.from(withCrc([unitId, ...pdu]));
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
