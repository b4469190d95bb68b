import { describe, expect, it } from 'vitest';
import { EXTRA_BYTE, mutateFrame } from '../../../src/modbus/faults/frame-mutation.js';
import { crc16Modbus } from '../../../src/modbus/framing/crc16.js';
import { mbapFraming } from '../../../src/modbus/framing/mbap-framing.js';
import { rtuFraming } from '../../../src/modbus/framing/rtu-framing.js';

const crc16 = (bytes: Uint8Array, length: number): number => crc16Modbus(bytes, 0, length);

/** A well-known RTU frame: read 10 holding registers from unit 1 (CRC C5 CD from the specification's examples). */
const rtuFrame = Uint8Array.from([0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xcd]);
/** MBAP answer: tid 0x1234, pid 0, length 5, unit 1, FC3, 2 bytes, 0x00 0x2a. */
const mbapFrame = Uint8Array.from([0x12, 0x34, 0, 0, 0, 5, 1, 3, 2, 0, 42]);

function crcOk(frame: Uint8Array): boolean {
  const crc = crc16(frame, frame.length - 2);
  return frame[frame.length - 2] === (crc & 0xff) && frame[frame.length - 1] === crc >> 8;
}

describe('mutateFrame', () => {
  it('computes the Modbus CRC of the reference frame', () => {
    expect(crc16(rtuFrame, 6)).toBe(0xcdc5);
    expect(crcOk(rtuFrame)).toBe(true);
  });

  it('corrupts the RTU CRC and leaves the input alone', () => {
    const out = mutateFrame(rtuFrame, rtuFraming, [{ kind: 'corrupt-crc' }]);
    expect(crcOk(out)).toBe(false);
    expect(Array.from(out.subarray(0, 6))).toEqual(Array.from(rtuFrame.subarray(0, 6)));
    expect(crcOk(rtuFrame)).toBe(true);
  });

  it('a wrong unit id on RTU is a valid frame from another unit', () => {
    const out = mutateFrame(rtuFrame, rtuFraming, [{ kind: 'wrong-unit-id', unitId: 9 }]);
    expect(out[0]).toBe(9);
    expect(crcOk(out)).toBe(true);
    const both = mutateFrame(rtuFrame, rtuFraming, [{ kind: 'corrupt-crc' }, { kind: 'wrong-unit-id', unitId: 9 }]);
    expect(both[0]).toBe(9);
    expect(crcOk(both)).toBe(false);
  });

  it('rewrites the MBAP unit id and transaction id', () => {
    const out = mutateFrame(mbapFrame, mbapFraming, [{ kind: 'wrong-unit-id', unitId: 200 }, { kind: 'wrong-transaction-id' }]);
    expect(out[6]).toBe(200);
    expect((out[0] << 8) | out[1]).toBe(0x1235);
    expect(Array.from(out.subarray(7))).toEqual([3, 2, 0, 42]);
    const wrap = mutateFrame(Uint8Array.from([0xff, 0xff, 0, 0, 0, 2, 1, 3]), mbapFraming, [{ kind: 'wrong-transaction-id' }]);
    expect(Array.from(wrap.subarray(0, 2))).toEqual([0, 0]);
  });

  it('truncates and appends bytes after the header and CRC are settled', () => {
    const short = mutateFrame(rtuFrame, rtuFraming, [{ kind: 'truncate', bytes: 3 }, { kind: 'wrong-unit-id', unitId: 2 }]);
    expect(Array.from(short)).toEqual([2, 3, 0, 0, 0]);
    const long = mutateFrame(mbapFrame, mbapFraming, [{ kind: 'extra-bytes', bytes: 4 }]);
    expect(long.length).toBe(mbapFrame.length + 4);
    expect(Array.from(long.subarray(mbapFrame.length))).toEqual([EXTRA_BYTE, EXTRA_BYTE, EXTRA_BYTE, EXTRA_BYTE]);
    expect(mutateFrame(rtuFrame, rtuFraming, [{ kind: 'truncate', bytes: 100 }]).length).toBe(0);
  });

  it('ignores CRC damage on MBAP', () => {
    expect(Array.from(mutateFrame(mbapFrame, mbapFraming, [{ kind: 'corrupt-crc' }]))).toEqual(Array.from(mbapFrame));
  });
});
