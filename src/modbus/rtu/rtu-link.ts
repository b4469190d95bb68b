import { performance } from 'node:perf_hooks';
import type { CommFaultDecision } from '../faults/comm-fault.js';
import type { CommFaultHook } from '../faults/comm-fault-policy.js';
import { serveWithFault } from '../faults/serve-with-fault.js';
import { exceptionFrame } from '../framing/exception-frame.js';
import { rtuFraming } from '../framing/rtu-framing.js';
import type { RtuBus } from './rtu-bus.js';
import { RtuRequestFramer, type RtuFramerCounters } from './rtu-request-framer.js';
import type { EndpointCounters } from '../endpoint-counters.js';

/** Timer functions, injectable for tests (defaults: the global setTimeout/clearTimeout). */
export interface LinkTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RtuLinkOptions {
  /** Writes one response ADU to the line. The buffer is the link's to give away (not reused). */
  send(adu: Buffer): void;
  /** t3.5 in ms on a serial line; undefined on a stream (RTU over TCP). */
  interFrameSilenceMs?: number | undefined;
  /** Wait this long after a request before answering (real meters answer after a few ms). */
  responseDelayMs?: number | undefined;
  /** Monotonic clock in ms (default performance.now). */
  now?: (() => number) | undefined;
  timers?: LinkTimers | undefined;
  /** Communication faults (src/modbus/faults) bound to this endpoint: policy.forEndpoint(name, rtuFraming). */
  faults?: CommFaultHook | undefined;
  /** Drops the line (RTU over TCP: closes the connection) for a `disconnect` fault; absent on a serial port. */
  disconnect?: (() => void) | undefined;
  /** Counts requests, exceptions and bytes (for /metrics); absent: nothing is counted. */
  counters?: EndpointCounters | undefined;
}

const realTimers: LinkTimers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * One line into an RTU bus: the byte stream of a serial port or of one RTU over TCP connection.
 * It frames requests (RtuRequestFramer), hands them to the bus and writes the answers, after the
 * optional response delay. It arms a silence timer only while a partial frame is pending, so a
 * request that arrives whole costs no timer at all.
 */
export class RtuLink {
  private readonly framer: RtuRequestFramer;
  private readonly now: () => number;
  private readonly timers: LinkTimers;
  private readonly responseDelayMs: number;
  private silenceTimer: unknown = undefined;
  private readonly pendingResponses = new Set<unknown>();
  private closed = false;

  constructor(
    private readonly bus: RtuBus,
    private readonly options: RtuLinkOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.timers = options.timers ?? realTimers;
    const delay = options.responseDelayMs ?? 0;
    if (!(delay >= 0) || !Number.isFinite(delay)) throw new RangeError(`response delay must be >= 0 ms, got ${delay}`);
    this.responseDelayMs = delay;
    this.framer = new RtuRequestFramer({
      isServedUnit: (unitId) => bus.isServed(unitId),
      onFrame: (adu) => this.answer(adu),
      onDrop: (reason) => bus.noteDrop(reason),
      interFrameSilenceMs: options.interFrameSilenceMs,
    });
  }

  /** Bytes received that are not yet part of a delivered or dropped frame (an incomplete request). */
  get pendingByteCount(): number {
    return this.framer.pendingByteCount;
  }

  get framerCounters(): Readonly<RtuFramerCounters> {
    return this.framer.counters;
  }

  /** Bytes arrived from the line. */
  receive(bytes: Uint8Array): void {
    if (this.closed) return;
    if (this.options.counters !== undefined) this.options.counters.bytesReceived += bytes.length;
    this.framer.push(bytes, this.now());
    this.armSilenceTimer();
  }

  /** Stops timers and drops delayed answers. */
  close(): void {
    this.closed = true;
    this.cancelSilenceTimer();
    for (const handle of this.pendingResponses) this.timers.clearTimeout(handle);
    this.pendingResponses.clear();
    this.framer.reset();
  }

  private answer(adu: Uint8Array): void {
    // Faults never touch broadcasts (unit 0): those are never answered.
    const fault = adu[0] === 0 ? undefined : this.options.faults?.decide({ unitId: adu[0], functionCode: adu[1] });
    if (fault !== undefined) {
      if (this.options.counters !== undefined) this.options.counters.faultsInjected += 1;
      this.answerWithFault(fault, adu);
      return;
    }
    const counters = this.options.counters;
    const startMs = counters === undefined ? 0 : counters.now();
    const response = this.bus.handleFrame(adu);
    counters?.request(adu[1] ?? 0, response === undefined ? -1 : (response[1] ?? 0), response?.[2] ?? 0, startMs);
    if (response === undefined) return;
    this.deliver(response);
  }

  private answerWithFault(fault: CommFaultDecision, adu: Uint8Array): void {
    serveWithFault(
      fault,
      rtuFraming,
      {
        answer: () => this.bus.handleFrame(adu),
        exceptionAnswer: (code) => exceptionFrame(rtuFraming, adu, 0, code),
        write: (frame) => {
          if (!this.closed) this.deliver(Buffer.from(frame));
        },
        close: () => this.options.disconnect?.(),
      },
      this.timers,
    );
  }

  private deliver(response: Buffer): void {
    if (this.options.counters !== undefined) this.options.counters.bytesSent += response.length;
    if (this.responseDelayMs === 0) {
      this.options.send(response);
      return;
    }
    const handle = this.timers.setTimeout(() => {
      this.pendingResponses.delete(handle);
      if (!this.closed) this.options.send(response);
    }, this.responseDelayMs);
    this.pendingResponses.add(handle);
  }

  private armSilenceTimer(): void {
    this.cancelSilenceTimer();
    const deadline = this.framer.silenceDeadlineMs();
    if (deadline === undefined) return;
    // setTimeout has 1 ms resolution and may fire early by a fraction: re-check and re-arm.
    const delay = Math.max(1, Math.ceil(deadline - this.now()));
    this.silenceTimer = this.timers.setTimeout(() => {
      this.silenceTimer = undefined;
      if (this.closed) return;
      this.framer.silence(this.now());
      this.armSilenceTimer();
    }, delay);
  }

  private cancelSilenceTimer(): void {
    if (this.silenceTimer !== undefined) {
      this.timers.clearTimeout(this.silenceTimer);
      this.silenceTimer = undefined;
    }
  }
}
