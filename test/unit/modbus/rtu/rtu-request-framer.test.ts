import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interFrameSilenceMs } from '../../../../src/modbus/rtu/rtu-timing.js';
import { RtuRequestFramer, type RtuDropReason } from '../../../../src/modbus/rtu/rtu-request-framer.js';
import { concatBytes, hex, rtuFrame } from '../../../support/rtu-frames.js';

const served = new Set([1, 2, 3, 4]);
const t35At19200 = interFrameSilenceMs(19200); // 2.005 ms

interface Harness {
  framer: RtuRequestFramer;
  frames: string[];
  drops: Array<[RtuDropReason, number | undefined]>;
}

function serialFramer(silenceMs: number | 'stream' = t35At19200): Harness {
  const frames: string[] = [];
  const drops: Array<[RtuDropReason, number | undefined]> = [];
  const framer = new RtuRequestFramer({
    isServedUnit: (unit) => served.has(unit),
    onFrame: (adu) => frames.push(hex(adu)),
    onDrop: (reason, unit) => drops.push([reason, unit]),
    interFrameSilenceMs: silenceMs === 'stream' ? undefined : silenceMs,
  });
  return { framer, frames, drops };
}

/** Feeds one byte at a time, `gapMs` apart, starting at `startMs`; returns the time after. */
function feedByteByByte(framer: RtuRequestFramer, bytes: Uint8Array, startMs: number, gapMs: number): number {
  let now = startMs;
  for (const byte of bytes) {
    framer.push(Uint8Array.of(byte), now);
    now += gapMs;
  }
  return now;
}

/** One representative request per function code with a known layout. */
const requestsByFunction: Array<[string, Uint8Array]> = [
  ['01 read coils', rtuFrame(1, 0x01, 0x00, 0x13, 0x00, 0x25)],
  ['02 read discrete inputs', rtuFrame(1, 0x02, 0x00, 0xc4, 0x00, 0x16)],
  ['03 read holding registers', rtuFrame(1, 0x03, 0x00, 0x6b, 0x00, 0x03)],
  ['04 read input registers', rtuFrame(1, 0x04, 0x00, 0x08, 0x00, 0x01)],
  ['05 write single coil', rtuFrame(1, 0x05, 0x00, 0xac, 0xff, 0x00)],
  ['06 write single register', rtuFrame(1, 0x06, 0x00, 0x01, 0x00, 0x03)],
  ['07 read exception status', rtuFrame(1, 0x07)],
  ['08/0A clear counters', rtuFrame(1, 0x08, 0x00, 0x0a, 0x00, 0x00)],
  ['08/00 return query data, 2 bytes', rtuFrame(1, 0x08, 0x00, 0x00, 0xa5, 0x37)],
  ['08/00 return query data, 7 bytes', rtuFrame(1, 0x08, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7)],
  ['0B get comm event counter', rtuFrame(1, 0x0b)],
  ['0C get comm event log', rtuFrame(1, 0x0c)],
  ['0F write multiple coils', rtuFrame(1, 0x0f, 0x00, 0x13, 0x00, 0x0a, 0x02, 0xcd, 0x01)],
  ['10 write multiple registers', rtuFrame(1, 0x10, 0x00, 0x01, 0x00, 0x02, 0x04, 0x00, 0x0a, 0x01, 0x02)],
  ['11 report server id', rtuFrame(1, 0x11)],
  ['14 read file record', rtuFrame(1, 0x14, 0x07, 0x06, 0x00, 0x04, 0x00, 0x01, 0x00, 0x02)],
  ['15 write file record', rtuFrame(1, 0x15, 0x09, 0x06, 0x00, 0x04, 0x00, 0x07, 0x00, 0x01, 0x06, 0xaf)],
  ['16 mask write register', rtuFrame(1, 0x16, 0x00, 0x04, 0x00, 0xf2, 0x00, 0x25)],
  ['17 read/write multiple registers', rtuFrame(1, 0x17, 0x00, 0x03, 0x00, 0x06, 0x00, 0x0e, 0x00, 0x03, 0x06, 0, 0xff, 0, 0xff, 0, 0xff)],
  ['18 read FIFO queue', rtuFrame(1, 0x18, 0x04, 0xde)],
  ['2B/0E read device identification', rtuFrame(1, 0x2b, 0x0e, 0x01, 0x00)],
];

describe('RtuRequestFramer length rules', () => {
  it.each(requestsByFunction)('FC %s: delivered on its last byte, not before', (_name, frame) => {
    const { framer, frames, drops } = serialFramer();
    // 0.5 ms between bytes: well inside t3.5, so only the length rule can end the frame.
    let now = 0;
    for (let i = 0; i < frame.length; i++) {
      framer.push(frame.subarray(i, i + 1), now);
      now += 0.5;
      expect(frames.length).toBe(i === frame.length - 1 ? 1 : 0);
    }
    expect(frames).toEqual([hex(frame)]);
    expect(drops).toEqual([]);
    expect(framer.pendingByteCount).toBe(0);
    expect(framer.silenceDeadlineMs()).toBeUndefined();
  });

  it.each(requestsByFunction)('FC %s: split by length when merged with a following request', (_name, frame) => {
    const { framer, frames } = serialFramer();
    const next = rtuFrame(2, 0x03, 0x00, 0x00, 0x00, 0x01);
    framer.push(concatBytes(frame, next, frame), 0);
    expect(frames).toEqual([hex(frame), hex(next), hex(frame)]);
  });

  it('an unknown function code ends at the t3.5 silence and is then delivered (for exception 01)', () => {
    const { framer, frames, drops } = serialFramer();
    const frame = rtuFrame(3, 0x41, 0x01, 0x02, 0x03);
    const end = feedByteByByte(framer, frame, 100, 0.5);
    expect(frames).toEqual([]);
    const lastByteAt = end - 0.5;
    expect(framer.silenceDeadlineMs()).toBeCloseTo(lastByteAt + t35At19200, 9);
    framer.silence(lastByteAt + t35At19200 - 0.01);
    expect(frames).toEqual([]);
    framer.silence(lastByteAt + t35At19200);
    expect(frames).toEqual([hex(frame)]);
    expect(drops).toEqual([]);
  });

  it('an unknown MEI type of FC43 also ends at the silence', () => {
    const { framer, frames } = serialFramer();
    const frame = rtuFrame(1, 0x2b, 0x0d, 0x00, 0x00);
    framer.push(frame, 0);
    expect(frames).toEqual([]);
    framer.push(rtuFrame(1, 0x11), 10); // the next request, after a silence
    expect(frames).toEqual([hex(frame), hex(rtuFrame(1, 0x11))]);
  });

  it('on a stream without timing an unknown function code ends where its CRC first checks', () => {
    const { framer, frames } = serialFramer('stream');
    const unknown = rtuFrame(1, 0x41, 0x10, 0x20, 0x30, 0x40);
    const read = rtuFrame(1, 0x03, 0x00, 0x00, 0x00, 0x02);
    framer.push(concatBytes(unknown, read), 0);
    expect(frames).toEqual([hex(unknown), hex(read)]);
  });
});

describe('RtuRequestFramer timing and resynchronisation', () => {
  const read = rtuFrame(1, 0x03, 0x00, 0x10, 0x00, 0x3c);

  it('joins a frame split into chunks less than t3.5 apart', () => {
    const { framer, frames } = serialFramer();
    framer.push(read.subarray(0, 3), 0);
    framer.push(read.subarray(3, 5), 1.9);
    // a partial frame of known length needs no timer: it is judged when the next bytes come
    expect(framer.silenceDeadlineMs()).toBeUndefined();
    framer.push(read.subarray(5), 3.8);
    expect(frames).toEqual([hex(read)]);
  });

  it('after a silence of t3.5 a new frame begins: the partial one is dropped and counted', () => {
    const { framer, frames, drops } = serialFramer();
    framer.push(read.subarray(0, 5), 0);
    framer.silence(t35At19200 + 1); // nothing to do for a known length
    expect(drops).toEqual([]);
    framer.push(read, t35At19200 + 0.001);
    expect(drops).toEqual([['incomplete', 1]]);
    expect(framer.counters.incomplete).toBe(1);
    expect(frames).toEqual([hex(read)]);
  });

  it('a request that reaches us in two USB bursts 16 ms apart (9600 baud) is one frame: its CRC checks', () => {
    const { framer, frames, drops } = serialFramer(interFrameSilenceMs(9600));
    framer.push(read.subarray(0, 6), 0);
    framer.push(read.subarray(6), 16);
    expect(frames).toEqual([hex(read)]);
    expect(drops).toEqual([]);
  });

  it('a burst that completes the pending frame and starts the next one after a pause is split', () => {
    const { framer, frames } = serialFramer(interFrameSilenceMs(9600));
    const next = rtuFrame(2, 0x04, 0x00, 0x01, 0x00, 0x02);
    framer.push(read.subarray(0, 3), 0);
    framer.push(concatBytes(read.subarray(3), next), 16);
    expect(frames).toEqual([hex(read), hex(next)]);
  });

  it('the silence timer is asked for only while a frame of unknown length is pending', () => {
    const { framer } = serialFramer();
    framer.push(Uint8Array.of(1), 0);
    expect(framer.silenceDeadlineMs()).toBeUndefined();
    framer.push(Uint8Array.of(0x03, 0x00), 0.5);
    expect(framer.silenceDeadlineMs()).toBeUndefined();
    const { framer: other } = serialFramer();
    other.push(Uint8Array.of(1, 0x42, 0x00), 3);
    expect(other.silenceDeadlineMs()).toBeCloseTo(3 + t35At19200, 9);
  });

  it('uses the fixed 1.75 ms above 19200 baud and 11 bits per character below', () => {
    expect(interFrameSilenceMs(9600)).toBeCloseTo((3.5 * 11 * 1000) / 9600, 9);
    expect(interFrameSilenceMs(19200)).toBeCloseTo((3.5 * 11 * 1000) / 19200, 9);
    expect(interFrameSilenceMs(38400)).toBe(1.75);
    expect(interFrameSilenceMs(115200)).toBe(1.75);
  });

  it('garbage, then silence, then a valid frame: the frame is delivered and the garbage counted', () => {
    const { framer, frames } = serialFramer();
    const garbage = Uint8Array.of(0x01, 0x10, 0x55); // looks like the start of FC16 to unit 1
    const end = feedByteByByte(framer, garbage, 0, 0.3);
    framer.silence(end + t35At19200);
    framer.push(read, end + 10);
    expect(frames).toEqual([hex(read)]);
    expect(framer.counters.incomplete).toBe(1);
    expect(framer.counters.bytesDiscarded).toBe(3);
  });

  it('a bad CRC drops the frame silently and is counted once; a good frame behind it in the same burst is found', () => {
    const { framer, frames, drops } = serialFramer();
    const corrupt = read.slice();
    corrupt[4] ^= 0x40;
    framer.push(corrupt, 0);
    expect(frames).toEqual([]);
    expect(drops).toEqual([['bad-crc', 1]]);
    // a USB adapter can hand over noise and the next request in one burst
    framer.push(read, 1);
    expect(frames).toEqual([hex(read)]);
    expect(framer.counters.crcErrors).toBe(1);
  });

  it('the search after a bad frame ends at the silence; leftover noise is not counted again', () => {
    const { framer, frames, drops } = serialFramer();
    const corrupt = read.slice();
    corrupt[2] ^= 0x01;
    framer.push(concatBytes(corrupt, Uint8Array.of(0x02, 0x10, 0x00)), 0); // noise ends in a frame start
    framer.push(read, 30);
    expect(frames).toEqual([hex(read)]);
    expect(drops).toEqual([['bad-crc', 1]]);
    expect(framer.counters.incomplete).toBe(0);
  });

  it('a bad CRC on a stream (RTU over TCP) skips byte by byte to the next good frame', () => {
    const { framer, frames } = serialFramer('stream');
    const corrupt = read.slice();
    corrupt[7] ^= 0xff;
    framer.push(concatBytes(corrupt, read), 0);
    expect(frames).toEqual([hex(read)]);
    expect(framer.counters.crcErrors).toBeGreaterThanOrEqual(1);
  });

  it('a truncated request glued to a valid one on a stream: the valid one is found', () => {
    const { framer, frames } = serialFramer('stream');
    framer.push(concatBytes(read.subarray(0, 3), Uint8Array.of(0x2b, 0x99), read, read), 0);
    expect(frames).toEqual([hex(read), hex(read)]);
    expect(framer.pendingByteCount).toBe(0);
  });

  it('a good frame for a unit not on this bus is dropped silently; one with a bad CRC is a CRC error', () => {
    const { framer, frames, drops } = serialFramer();
    const foreign = rtuFrame(9, 0x03, 0x00, 0x00, 0x00, 0x02);
    const foreignBadCrc = foreign.slice();
    foreignBadCrc[7] ^= 0x01;
    framer.push(concatBytes(foreign, foreignBadCrc, read), 0);
    expect(frames).toEqual([hex(read)]);
    expect(drops).toEqual([
      ['other-unit', 9],
      ['bad-crc', 9],
    ]);
    expect(framer.counters.crcErrors).toBe(1);
    expect(framer.counters.otherUnit).toBe(1);
  });

  it('delivers broadcast (unit 0) frames; the session decides what runs', () => {
    const { framer, frames } = serialFramer();
    const broadcastWrite = rtuFrame(0, 0x06, 0x00, 0x01, 0x12, 0x34);
    framer.push(broadcastWrite, 0);
    expect(frames).toEqual([hex(broadcastWrite)]);
  });

  it('a byte count promising more than 256 bytes: on a line the silence ends it (incomplete), on a stream it is an overrun', () => {
    const { framer, frames, drops } = serialFramer();
    // FC23 with write byte count 250: 11 + 250 + 2 = 263 bytes, of which 14 arrive
    framer.push(Uint8Array.of(1, 0x17, 0, 0, 0, 1, 0, 0, 0, 125, 250, 1, 2, 3), 0);
    expect(drops).toEqual([]);
    framer.push(read, 10);
    expect(drops).toEqual([['incomplete', 1]]);
    expect(frames).toEqual([hex(read)]);
    const stream = serialFramer('stream');
    stream.framer.push(Uint8Array.of(1, 0x17, 0, 0, 0, 1, 0, 0, 0, 125, 250, 1, 2, 3), 0);
    expect(stream.drops).toEqual([['overrun', 1]]);
  });

  it('more than 256 bytes of an unknown function code without silence is an overrun', () => {
    const { framer, drops } = serialFramer();
    const noise = new Uint8Array(300).fill(0x77);
    framer.push(noise, 0);
    expect(drops).toEqual([['overrun', 0x77]]);
    expect(framer.counters.overruns).toBe(1);
  });

  it('a unit id outside the bus is not delivered even with a fitting CRC after garbage', () => {
    const { framer, frames } = serialFramer();
    const frameForUnit5 = rtuFrame(5, 0x06, 0x00, 0x01, 0x00, 0x02);
    framer.push(frameForUnit5, 0);
    expect(frames).toEqual([]);
  });
});

describe('RtuRequestFramer property: any chunking of valid requests within t3.5 yields them in order', () => {
  const arbitraryRequest = fc.oneof(
    fc
      .record({ unit: fc.constantFrom(0, 1, 2, 3, 4), fn: fc.constantFrom(1, 2, 3, 4, 5, 6), a: fc.nat(0xffff), q: fc.nat(0xffff) })
      .map(({ unit, fn, a, q }) => rtuFrame(unit, fn, a >> 8, a & 0xff, q >> 8, q & 0xff)),
    fc
      .record({ unit: fc.constantFrom(1, 2, 3, 4), values: fc.uint8Array({ minLength: 2, maxLength: 246 }) })
      .map(({ unit, values }) => {
        const even = values.subarray(0, values.length & ~1);
        return rtuFrame(unit, 0x10, 0, 0, 0, even.length / 2, even.length, ...even);
      }),
    fc
      // two data bytes: with longer random echo data an early CRC match is possible (1 in 65536 per byte)
      .record({ unit: fc.constantFrom(1, 2, 3, 4), data: fc.uint8Array({ minLength: 2, maxLength: 2 }) })
      .map(({ unit, data }) => rtuFrame(unit, 0x08, 0, 0, ...data)),
  );

  it('holds for random requests and random cut points', () => {
    fc.assert(
      fc.property(fc.array(arbitraryRequest, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 20 }), (requests, cutSeeds) => {
        const { framer, frames, drops } = serialFramer();
        const stream = concatBytes(...requests);
        const cuts = [...new Set(cutSeeds.map((seed) => seed % (stream.length + 1)))].sort((x, y) => x - y);
        let previous = 0;
        let now = 0;
        for (const cut of [...cuts, stream.length]) {
          framer.push(stream.subarray(previous, cut), now);
          previous = cut;
          now += t35At19200 / 2;
        }
        expect(drops).toEqual([]);
        expect(frames).toEqual(requests.map(hex));
      }),
      { numRuns: 300 },
    );
  });
});
