import { describe, expect, it } from 'vitest';
import { crc16Modbus } from '../../../../src/modbus/framing/crc16.js';
import { rtuFraming } from '../../../../src/modbus/framing/rtu-framing.js';

import { referenceCrc16 } from '../../../support/rtu-frames.js';

describe('crc16Modbus', () => {
  it('gives the CRC-16/MODBUS check value 0x4B37 for "123456789"', () => {
    expect(crc16Modbus(new TextEncoder().encode('123456789'))).toBe(0x4b37);
  });

  it('matches the read holding registers example on the wire (01 03 00 00 00 0A C5 CD)', () => {
    const frame = new Uint8Array([0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0, 0]);
    expect(crc16Modbus(frame, 0, 6)).toBe(0xcdc5);
    rtuFraming.seal(frame, 0, 5, 0x01, 0);
    expect([frame[6], frame[7]]).toEqual([0xc5, 0xcd]);
    expect(rtuFraming.verify(frame, 0, 8)).toBeUndefined();
    frame[3] ^= 0x01;
    expect(rtuFraming.verify(frame, 0, 8)).toBe('crc');
  });

  it('agrees with the bitwise algorithm on random data, including sub-ranges', () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    for (let n = 0; n < 200; n++) {
      const bytes = Uint8Array.from({ length: 1 + (n % 64) }, next);
      expect(crc16Modbus(bytes)).toBe(referenceCrc16(bytes));
      const from = Math.min(3, bytes.length);
      expect(crc16Modbus(bytes, from)).toBe(referenceCrc16(bytes.subarray(from)));
    }
  });
});
