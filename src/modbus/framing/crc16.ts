/**
 * CRC-16/MODBUS (Modbus over Serial Line V1.02, section 6.2.2): reflected polynomial 0xA001,
 * initial value 0xFFFF, no final xor. On the wire the low byte comes first.
 * Table-driven: one lookup per byte. rtuFraming.seal appends it, rtuFraming.verify checks it.
 */
const crcTable: Uint16Array = buildCrcTable();

function buildCrcTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
    }
    table[byte] = crc;
  }
  return table;
}

/** CRC of bytes[start..end). */
export function crc16Modbus(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    crc = (crc >>> 8) ^ crcTable[(crc ^ bytes[i]) & 0xff];
  }
  return crc;
}
