/**
 * The two framing descriptors: their layout numbers, seal and verify round trips, and what verify
 * rejects (a corrupt CRC, a broken MBAP header). Frames are compared with ones written out per the
 * Modbus over Serial Line V1.02 and Modbus Messaging on TCP/IP V1.0b examples.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exceptionFrame } from '../../../../src/modbus/framing/exception-frame.js';
import { LengthInvalid, NeedMoreBytes } from '../../../../src/modbus/framing/length-result.js';
import { mbapFraming, mbapHeaderError } from '../../../../src/modbus/framing/mbap-framing.js';
import { rtuFraming } from '../../../../src/modbus/framing/rtu-framing.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** headerLength bytes of room, the PDU, checksumLength bytes of room. */
function unsealed(framing: typeof rtuFraming | typeof mbapFraming, pdu: number[], lead = 0): Uint8Array {
  const adu = new Uint8Array(lead + framing.headerLength + pdu.length + framing.checksumLength);
  adu.set(pdu, lead + framing.headerLength);
  return adu;
}

describe('the layout of each framing', () => {
  it('MBAP: 7-byte header, unit id at 6, transaction id at 0, no checksum, at most 260 bytes', () => {
    expect([mbapFraming.name, mbapFraming.headerLength, mbapFraming.checksumLength, mbapFraming.unitIdOffset, mbapFraming.transactionIdOffset, mbapFraming.maxAduLength]).toEqual(['mbap', 7, 0, 6, 0, 260]);
  });

  it('RTU: unit id first, 2-byte CRC, no transaction id, 4 to 256 bytes', () => {
    expect([rtuFraming.name, rtuFraming.headerLength, rtuFraming.checksumLength, rtuFraming.unitIdOffset, rtuFraming.transactionIdOffset, rtuFraming.minAduLength, rtuFraming.maxAduLength]).toEqual(['rtu', 1, 2, 0, undefined, 4, 256]);
  });
});

describe('seal', () => {
  it('RTU: appends the CRC low byte first (01 03 00 00 00 0A C5 CD)', () => {
    const adu = unsealed(rtuFraming, [0x03, 0x00, 0x00, 0x00, 0x0a]);
    expect(rtuFraming.seal(adu, 0, 5, 0x01, 0)).toBe(8);
    expect(hex(adu)).toBe('01030000000ac5cd');
  });

  it('MBAP: transaction id, protocol id 0, length = unit id + PDU, unit id', () => {
    const adu = unsealed(mbapFraming, [0x03, 0x00, 0x6b, 0x00, 0x03]);
    expect(mbapFraming.seal(adu, 0, 5, 0x11, 0x1501)).toBe(12);
    expect(hex(adu)).toBe('150100000006110300' + '6b0003');
  });

  it('writes at an offset and leaves the bytes around the frame alone', () => {
    const adu = unsealed(rtuFraming, [0x06, 0x00, 0x01, 0x00, 0x03], 3).fill(0xee, 0, 3);
    rtuFraming.seal(adu, 3, 5, 0x11, 0);
    expect(hex(adu)).toBe('eeeeee' + '110600010003' + hex(adu.subarray(9)));
    expect(rtuFraming.verify(adu, 3, 8)).toBeUndefined();
  });
});

describe('seal then verify', () => {
  const framings = [rtuFraming, mbapFraming];
  it('every sealed frame verifies, and its length rule finds its whole length', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...framings),
        fc.integer({ min: 1, max: 247 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.constantFrom(0x01, 0x02, 0x03, 0x04),
        fc.uint8Array({ minLength: 1, maxLength: 250 }),
        (framing, unitId, transactionId, functionCode, data) => {
          const pdu = [functionCode, data.length, ...data];
          const adu = unsealed(framing, pdu);
          const length = framing.seal(adu, 0, pdu.length, unitId, transactionId);
          if (length > framing.maxAduLength) return;
          expect(length).toBe(adu.length);
          expect(framing.verify(adu, 0, length)).toBeUndefined();
          expect(framing.responseLength(adu, 0, length)).toBe(length);
          expect(adu[framing.unitIdOffset]).toBe(unitId);
          expect(framing.transactionId(adu, 0)).toBe(framing.transactionIdOffset === undefined ? 0 : transactionId);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('RTU: any single flipped bit is a CRC error', () => {
    const adu = unsealed(rtuFraming, [0x10, 0x00, 0x01, 0x00, 0x02, 0x04, 0x00, 0x0a, 0x01, 0x02]);
    rtuFraming.seal(adu, 0, 10, 0x01, 0);
    for (let bit = 0; bit < adu.length * 8; bit++) {
      const damaged = Uint8Array.from(adu);
      damaged[bit >> 3] ^= 1 << (bit & 7);
      expect(rtuFraming.verify(damaged, 0, damaged.length), `bit ${bit}`).toBe('crc');
    }
  });

  it('RTU: a frame shorter than unit id + CRC is a CRC error', () => {
    expect(rtuFraming.verify(Uint8Array.from([0x01, 0xff]), 0, 2)).toBe('crc');
  });
});

describe('MBAP header checks', () => {
  const good = Uint8Array.from([0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x02]);

  it('a protocol id other than 0', () => {
    const frame = Uint8Array.from(good);
    frame[3] = 1;
    expect(mbapFraming.requestLength(frame, 0, frame.length)).toBe(LengthInvalid);
    expect(mbapHeaderError(frame, 0)).toBe('protocol-id');
    expect(mbapFraming.verify(frame, 0, frame.length)).toBe('protocol-id');
  });

  it('a length field below 2 or above 254, or one that disagrees with the frame', () => {
    for (const field of [0, 1, 255, 0x0100]) {
      const frame = Uint8Array.from(good);
      frame[4] = field >> 8;
      frame[5] = field & 0xff;
      expect(mbapFraming.requestLength(frame, 0, frame.length), `length ${field}`).toBe(LengthInvalid);
      expect(mbapHeaderError(frame, 0)).toBe('length');
    }
    expect(mbapFraming.verify(good, 0, good.length - 1)).toBe('length');
    expect(mbapFraming.verify(good, 0, good.length)).toBeUndefined();
  });

  it('needs 6 bytes to know the length', () => {
    expect(mbapFraming.requestLength(good, 0, 5)).toBe(NeedMoreBytes);
    expect(mbapFraming.requestLength(good, 0, 6)).toBe(12);
  });
});

describe('exceptionFrame', () => {
  it('RTU: unit id, function | 0x80, code, CRC', () => {
    const request = Uint8Array.from([0x0a, 0x01, 0x04, 0xa1, 0x00, 0x01, 0, 0]);
    rtuFraming.seal(request, 0, 5, 0x0a, 0);
    expect(hex(exceptionFrame(rtuFraming, request, 0, 0x02))).toBe('0a8102b053');
  });

  it('MBAP: the request transaction id and unit id, length 3', () => {
    const request = Uint8Array.from([0xee, 0x12, 0x34, 0x00, 0x00, 0x00, 0x06, 0x09, 0x04, 0x00, 0x00, 0x00, 0x01]);
    expect(hex(exceptionFrame(mbapFraming, request, 1, 0x06))).toBe('123400000003098406');
  });
});
