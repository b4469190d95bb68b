/**
 * FC08 counters as the Modbus over Serial Line specification V1.02 (6.1.2) and the application
 * protocol (FC08 0x0B..0x12) define them, checked against an independent model of the line: a
 * frame is what lies between two t3.5 silences; it is a bus message when its CRC checks (any
 * unit), a communication error when it does not (or is shorter than 4 bytes); a server message
 * when addressed to the server or broadcast; an exception counted only when returned; a
 * message not answered (broadcast) counted as no response.
 *
 * A seeded random mix of good frames (served units, other units, broadcast reads and writes),
 * frames with a broken CRC and bursts of random bytes is pushed through the real RtuLink (framer +
 * bus), chunked at random, with an injected clock.
 */
import { describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../../../src/modbus/memory-device.js';
import { RtuBus } from '../../../../src/modbus/rtu/rtu-bus.js';
import { RtuLink } from '../../../../src/modbus/rtu/rtu-link.js';
import type { SerialDiagnostics } from '../../../../src/modbus/serial-diagnostics.js';
import { SeededRandom } from '../../../../src/common/seeded-random.js';
import { referenceCrc16, rtuFrame } from '../../../support/rtu-frames.js';

const SERVED = [1, 2] as const;
const SILENCE_MS = 2;
/** Holding registers 0..9999 exist; an access past them is exception 02. */
const REGISTERS = 10_000;

interface Expected {
  bus: number;
  errors: number;
  exceptions: number;
  server: number;
  noResponse: number;
}

function zero(): Expected {
  return { bus: 0, errors: 0, exceptions: 0, server: 0, noResponse: 0 };
}

/** The model: what one silence-delimited frame does to the counters of server `unit`. */
function account(expected: Map<number, Expected>, frame: Uint8Array): void {
  const n = frame.length;
  const goodCrc = n >= 4 && referenceCrc16(frame.subarray(0, n - 2)) === ((frame[n - 2] ?? 0) | ((frame[n - 1] ?? 0) << 8));
  for (const unit of SERVED) {
    const e = expected.get(unit) ?? zero();
    expected.set(unit, e);
    if (!goodCrc) {
      e.errors += 1;
      continue;
    }
    e.bus += 1;
    const target = frame[0];
    if (target === 0) {
      e.server += 1;
      e.noResponse += 1; // broadcast: executed (writes) or ignored (reads), never answered, exceptions not returned
    } else if (target === unit) {
      e.server += 1;
      const functionCode = frame[1];
      const address = (frame[2] << 8) | frame[3];
      const quantity = functionCode === 0x03 ? (frame[4] << 8) | frame[5] : 1;
      if (address + quantity > REGISTERS) e.exceptions += 1;
    }
  }
}

function countersOf(d: SerialDiagnostics): Expected & { overrun: number; nak: number; busy: number } {
  return {
    nak: d.serverNakCount,
    busy: d.serverBusyCount,
    bus: d.busMessageCount,
    errors: d.busCommunicationErrorCount,
    exceptions: d.busExceptionErrorCount,
    server: d.serverMessageCount,
    noResponse: d.serverNoResponseCount,
    overrun: d.busCharacterOverrunCount,
  };
}

function randomRequest(random: SeededRandom, unit: number): Uint8Array {
  const address = random.pick([random.int(0, 40), random.int(9990, 10_010), random.int(0, 0xffff)]);
  if (random.next() < 0.5) return rtuFrame(unit, 0x03, address >> 8, address & 0xff, 0, random.int(1, 10));
  const value = random.int(0, 0xffff);
  return rtuFrame(unit, 0x06, address >> 8, address & 0xff, value >> 8, value & 0xff);
}

describe('FC08 counters under random traffic', () => {
  it('count bus messages, CRC errors, server messages, exceptions and no-responses exactly as the serial-line specification defines them', () => {
    const random = new SeededRandom(20_260_113);
    const bus = new RtuBus(SERVED.map((unit) => [unit, new MemoryDevice()] as const));
    let now = 0;
    let answers = 0;
    const link = new RtuLink(bus, { send: () => (answers += 1), interFrameSilenceMs: SILENCE_MS, now: () => now });
    const expected = new Map<number, Expected>();
    const kinds = { served: 0, other: 0, broadcast: 0, brokenCrc: 0, garbage: 0 };
    for (let i = 0; i < 2000; i += 1) {
      let frame: Uint8Array;
      const roll = random.next();
      if (roll < 0.25) {
        frame = randomRequest(random, random.pick(SERVED));
        kinds.served += 1;
      } else if (roll < 0.45) {
        frame = randomRequest(random, random.int(3, 247));
        kinds.other += 1;
      } else if (roll < 0.55) {
        frame = randomRequest(random, 0);
        kinds.broadcast += 1;
      } else if (roll < 0.7) {
        frame = randomRequest(random, random.pick([1, 2, 0, random.int(3, 247)]));
        frame[frame.length - random.int(1, 2)] ^= 1 << random.int(0, 7);
        kinds.brokenCrc += 1;
      } else {
        frame = Uint8Array.from(random.bytes(random.int(1, 40)));
        kinds.garbage += 1;
      }
      account(expected, frame);
      // One frame, delivered in random chunks without a pause, then a silence longer than t3.5.
      let offset = 0;
      while (offset < frame.length) {
        const size = random.int(1, frame.length - offset);
        link.receive(frame.subarray(offset, offset + size));
        offset += size;
      }
      now += SILENCE_MS + random.int(1, 5);
    }
    link.receive(new Uint8Array(0)); // the last silence ends whatever is pending
    link.close();

    expect(kinds.garbage).toBeGreaterThan(500);
    for (const unit of SERVED) {
      const server = bus.server(unit);
      if (server === undefined) throw new Error(`unit ${unit} missing`);
      expect({ unit, ...countersOf(server.diagnostics) }).toEqual({ unit, ...expected.get(unit), overrun: 0, nak: 0, busy: 0 });
    }
    // Every server message that is not broadcast was answered (normally or with an exception).
    const one = expected.get(1) ?? zero();
    const two = expected.get(2) ?? zero();
    expect(answers).toBe(one.server - one.noResponse + (two.server - two.noResponse));
  });

  it('count an other unit\'s frame with a bad CRC as a communication error, not as a bus message', () => {
    const bus = RtuBus.single(new MemoryDevice(), 1);
    let now = 0;
    const link = new RtuLink(bus, { send: () => undefined, interFrameSilenceMs: SILENCE_MS, now: () => now });
    const frame = rtuFrame(9, 0x03, 0, 0, 0, 1);
    link.receive(frame);
    now += 10;
    frame[7] ^= 0xff;
    link.receive(frame);
    now += 10;
    link.receive(new Uint8Array(0));
    const counters = countersOf((bus.server(1) as { diagnostics: SerialDiagnostics }).diagnostics);
    expect(counters).toEqual({ bus: 1, errors: 1, exceptions: 0, server: 0, noResponse: 0, overrun: 0, nak: 0, busy: 0 });
  });
});
