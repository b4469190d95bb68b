import { describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../../../src/modbus/memory-device.js';
import { rtuFraming } from '../../../../src/modbus/framing/rtu-framing.js';
import { RtuBus } from '../../../../src/modbus/rtu/rtu-bus.js';
import { RtuLink, type LinkTimers } from '../../../../src/modbus/rtu/rtu-link.js';
import { interFrameSilenceMs } from '../../../../src/modbus/rtu/rtu-timing.js';
import { hex, rtuFrame } from '../../../support/rtu-frames.js';

/** A manual clock and timer queue: tests advance time, timers fire in order. */
class ManualTime implements LinkTimers {
  nowMs = 0;
  private queue: Array<{ at: number; callback: () => void; id: number }> = [];
  private nextId = 1;

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.queue.push({ at: this.nowMs + delayMs, callback, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((timer) => timer.id !== handle);
  }

  get pendingTimers(): number {
    return this.queue.length;
  }

  advance(ms: number): void {
    const until = this.nowMs + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (next === undefined || next.at > until) break;
      this.queue.shift();
      this.nowMs = next.at;
      next.callback();
    }
    this.nowMs = until;
  }
}

const diagnostics = (sub: number): number[] => [0x08, sub >> 8, sub & 0xff, 0x00, 0x00];

function fourMeters(): { bus: RtuBus; devices: MemoryDevice[] } {
  const devices = [1, 2, 3, 4].map((unit) => {
    const device = new MemoryDevice({ serverId: Uint8Array.of(0x40 + unit) });
    device.setHoldingRegister(0, 1000 * unit);
    device.setHoldingRegister(1, unit);
    return device;
  });
  return { bus: new RtuBus(devices.map((device, i) => [i + 1, device] as const)), devices };
}

function harness(options: { responseDelayMs?: number; silenceMs?: number | 'stream' } = {}) {
  const { bus, devices } = fourMeters();
  const time = new ManualTime();
  const sent: string[] = [];
  const link = new RtuLink(bus, {
    send: (adu) => sent.push(hex(adu)),
    interFrameSilenceMs: options.silenceMs === 'stream' ? undefined : (options.silenceMs ?? interFrameSilenceMs(19200)),
    responseDelayMs: options.responseDelayMs,
    now: () => time.nowMs,
    timers: time,
  });
  return { bus, devices, time, sent, link };
}

function counter(bus: RtuBus, unit: number, name: 'busMessageCount' | 'busCommunicationErrorCount' | 'serverMessageCount' | 'serverNoResponseCount' | 'busExceptionErrorCount' | 'busCharacterOverrunCount'): number {
  const server = bus.server(unit);
  if (server === undefined) throw new Error(`no unit ${unit}`);
  return server.diagnostics[name];
}

describe('RtuBus and RtuLink: several meters on one bus', () => {
  it('routes each request to its own unit and answers with that unit id and a good CRC', () => {
    const { link, sent } = harness();
    for (const unit of [3, 1, 4, 2]) link.receive(rtuFrame(unit, 0x03, 0x00, 0x00, 0x00, 0x02));
    expect(sent).toEqual([3, 1, 4, 2].map((unit) => hex(rtuFrame(unit, 0x03, 0x04, (1000 * unit) >> 8, (1000 * unit) & 0xff, 0x00, unit))));
    for (const response of sent) {
      const bytes = Buffer.from(response, 'hex');
      expect(rtuFraming.verify(bytes, 0, bytes.length)).toBeUndefined();
    }
  });

  it('a broadcast write is executed by every meter and answered by none', () => {
    const { link, sent, devices, bus } = harness();
    link.receive(rtuFrame(0, 0x06, 0x00, 0x05, 0x12, 0x34));
    expect(sent).toEqual([]);
    expect(devices.map((device) => device.getHoldingRegister(5))).toEqual([0x1234, 0x1234, 0x1234, 0x1234]);
    expect([1, 2, 3, 4].map((unit) => counter(bus, unit, 'serverNoResponseCount'))).toEqual([1, 1, 1, 1]);
    expect([1, 2, 3, 4].map((unit) => counter(bus, unit, 'serverMessageCount'))).toEqual([1, 1, 1, 1]);
  });

  it('a broadcast read is not executed nor answered, but counted as a server message without response', () => {
    const { link, sent, bus } = harness();
    link.receive(rtuFrame(0, 0x03, 0x00, 0x00, 0x00, 0x01));
    link.receive(rtuFrame(0, 0x11));
    expect(sent).toEqual([]);
    expect(counter(bus, 1, 'serverMessageCount')).toBe(2);
    expect(counter(bus, 1, 'serverNoResponseCount')).toBe(2);
    expect(counter(bus, 1, 'busMessageCount')).toBe(2);
  });

  it('counts bus messages, CRC errors and foreign frames on every meter; server messages per meter', () => {
    const { link, sent, bus, time } = harness();
    link.receive(rtuFrame(2, 0x03, 0x00, 0x00, 0x00, 0x01)); // to unit 2
    link.receive(rtuFrame(9, 0x03, 0x00, 0x00, 0x00, 0x01)); // another meter on the bus, not ours
    const corrupt = rtuFrame(3, 0x03, 0x00, 0x00, 0x00, 0x01);
    corrupt[3] ^= 0x10;
    time.advance(10);
    link.receive(corrupt);
    time.advance(10);
    link.receive(rtuFrame(2, ...diagnostics(0x0b)));
    link.receive(rtuFrame(3, ...diagnostics(0x0c)));
    link.receive(rtuFrame(3, ...diagnostics(0x0e)));
    expect(sent.slice(1)).toEqual([
      hex(rtuFrame(2, 0x08, 0x00, 0x0b, 0x00, 0x03)), // own request, foreign frame, this request
      hex(rtuFrame(3, 0x08, 0x00, 0x0c, 0x00, 0x01)), // the corrupted frame
      hex(rtuFrame(3, 0x08, 0x00, 0x0e, 0x00, 0x02)), // two FC08 requests to unit 3 so far
    ]);
    expect([1, 2, 3, 4].map((unit) => counter(bus, unit, 'busMessageCount'))).toEqual([5, 5, 5, 5]) // the corrupted frame is not a message;
    expect([1, 2, 3, 4].map((unit) => counter(bus, unit, 'serverMessageCount'))).toEqual([0, 2, 2, 0]);
  });

  it('answers exceptions per unit and counts them (FC08 0D)', () => {
    const { link, sent } = harness();
    link.receive(rtuFrame(1, 0x03, 0x00, 0x00, 0x00, 0x7e)); // 126 registers: exception 03
    link.receive(rtuFrame(1, 0x03, 0xff, 0xff, 0x00, 0x02)); // beyond the map: exception 02
    link.receive(rtuFrame(1, ...diagnostics(0x0d)));
    expect(sent).toEqual([hex(rtuFrame(1, 0x83, 0x03)), hex(rtuFrame(1, 0x83, 0x02)), hex(rtuFrame(1, 0x08, 0x00, 0x0d, 0x00, 0x02))]);
  });

  it('FC17 report server id answers with the device id and run indicator', () => {
    const { link, sent } = harness();
    link.receive(rtuFrame(4, 0x11));
    expect(sent).toEqual([hex(rtuFrame(4, 0x11, 0x02, 0x44, 0xff))]);
  });

  it('an unknown function code is answered with exception 01 once the silence ends the frame', () => {
    const { link, sent, time } = harness();
    link.receive(rtuFrame(2, 0x41, 0x00));
    expect(sent).toEqual([]);
    expect(time.pendingTimers).toBe(1);
    time.advance(interFrameSilenceMs(19200) + 1);
    expect(sent).toEqual([hex(rtuFrame(2, 0xc1, 0x01))]);
    expect(time.pendingTimers).toBe(0);
  });

  it('a partial frame followed, after a silence, by a new request is dropped and counted; the request is answered', () => {
    const { link, sent, time, bus } = harness();
    const request = rtuFrame(1, 0x03, 0x00, 0x00, 0x00, 0x01);
    link.receive(request.subarray(0, 4));
    expect(time.pendingTimers).toBe(0);
    time.advance(5);
    link.receive(request);
    expect(counter(bus, 1, 'busCommunicationErrorCount')).toBe(1);
    expect(sent).toEqual([hex(rtuFrame(1, 0x03, 0x02, 0x03, 0xe8))]);
  });

  it('a request split by adapter latency (pause longer than t3.5) is still answered', () => {
    const { link, sent, time, bus } = harness();
    const request = rtuFrame(1, 0x03, 0x00, 0x00, 0x00, 0x01);
    link.receive(request.subarray(0, 4));
    time.advance(16);
    link.receive(request.subarray(4));
    expect(sent).toEqual([hex(rtuFrame(1, 0x03, 0x02, 0x03, 0xe8))]);
    expect(counter(bus, 1, 'busCommunicationErrorCount')).toBe(0);
  });

  it('force listen only silences one meter until restart communications; the others still answer', () => {
    const { link, sent, bus } = harness();
    link.receive(rtuFrame(1, ...diagnostics(0x04)));
    link.receive(rtuFrame(1, 0x03, 0x00, 0x00, 0x00, 0x01));
    link.receive(rtuFrame(2, 0x03, 0x00, 0x00, 0x00, 0x01));
    expect(sent).toEqual([hex(rtuFrame(2, 0x03, 0x02, 0x07, 0xd0))]);
    link.receive(rtuFrame(1, 0x08, 0x00, 0x01, 0x00, 0x00));
    link.receive(rtuFrame(1, 0x03, 0x00, 0x00, 0x00, 0x01));
    expect(sent.slice(1)).toEqual([hex(rtuFrame(1, 0x03, 0x02, 0x03, 0xe8))]);
    expect(counter(bus, 1, 'serverMessageCount')).toBe(1); // cleared by the restart, then the read
  });

  it('waits the response delay before answering', () => {
    const { link, sent, time } = harness({ responseDelayMs: 7 });
    link.receive(rtuFrame(1, 0x03, 0x00, 0x01, 0x00, 0x01));
    time.advance(6.9);
    expect(sent).toEqual([]);
    time.advance(0.1);
    expect(sent).toEqual([hex(rtuFrame(1, 0x03, 0x02, 0x00, 0x01))]);
  });

  it('on a stream, merged requests to different units are answered in order', () => {
    const { link, sent, time } = harness({ silenceMs: 'stream' });
    const requests = [4, 3, 2, 1].map((unit) => rtuFrame(unit, 0x03, 0x00, 0x01, 0x00, 0x01));
    link.receive(Buffer.concat(requests));
    expect(sent).toEqual([4, 3, 2, 1].map((unit) => hex(rtuFrame(unit, 0x03, 0x02, 0x00, unit))));
    expect(time.pendingTimers).toBe(0);
  });

  it('rejects unit ids outside 1..247 and duplicates with a clear error', () => {
    const device = new MemoryDevice();
    expect(() => new RtuBus([[0, device]])).toThrow(/unit id 0 is outside 1..247/);
    expect(() => new RtuBus([[248, device]])).toThrow(/248..255 are reserved/);
    expect(() => new RtuBus([[5, device], [5, device]])).toThrow(/unit id 5 is given twice/);
  });
});
