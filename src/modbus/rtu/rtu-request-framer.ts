import { LengthEndsAtCrc, LengthUnknown, NeedMoreBytes } from '../framing/length-result.js';
import { MaxRtuAduLength, MinRtuAduLength, VariableRequestMinimumLength, rtuFraming } from '../framing/rtu-framing.js';

/** True when buffer[start..end) ends with the CRC of the rest. */
function crcChecks(buffer: Uint8Array, start: number, end: number): boolean {
  return rtuFraming.verify(buffer, start, end - start) === undefined;
}

/** Why the framer dropped bytes without delivering a frame. */
export type RtuDropReason =
  /** a complete frame (for any unit) whose CRC does not check */
  | 'bad-crc'
  /** a complete frame with a good CRC for a unit id not served on this bus (a shared bus: silently ignored) */
  | 'other-unit'
  /** a partial frame ended by a t3.5 silence */
  | 'incomplete'
  /** more than 256 bytes without a frame boundary (or a byte count that makes the frame longer) */
  | 'overrun';

export interface RtuRequestFramerOptions {
  /** Unit ids served on this bus. Broadcast (0) is always delivered; the caller decides what runs. */
  isServedUnit(unitId: number): boolean;
  /**
   * Called synchronously for every complete request with a good CRC addressed to a served unit or
   * broadcast. `adu` is unit id + PDU + CRC, a view into the framer's buffer valid only during the
   * call (copy what must outlive it). Must not call push() re-entrantly.
   */
  onFrame(adu: Uint8Array): void;
  /** Called for every drop, after the counters are updated. `unitId` is the first byte, if any. */
  onDrop?(reason: RtuDropReason, unitId: number | undefined): void;
  /**
   * The t3.5 silence in ms on a serial line (see interFrameSilenceMs). Undefined on a byte stream
   * without timing (RTU over TCP): frames are split by length only, and a function code of
   * unknown layout ends where its CRC first checks.
   */
  interFrameSilenceMs?: number | undefined;
}

/** What the framer has seen; read by tests and by the transport's diagnostics. */
export interface RtuFramerCounters {
  /** frames delivered to onFrame */
  delivered: number;
  /** frames (any unit) with a bad CRC */
  crcErrors: number;
  /** complete frames with a good CRC for unit ids not on this bus */
  otherUnit: number;
  /** partial frames ended by silence */
  incomplete: number;
  /** frames that would exceed 256 bytes */
  overruns: number;
  /** bytes thrown away (bad frames, garbage, partial frames) */
  bytesDiscarded: number;
}

/**
 * Splits a byte stream of Modbus RTU requests into frames, like libmodbus's RTU backend and the
 * Modbus over Serial Line specification V1.02:
 * - the expected length follows from the function code, so a frame is delivered as soon as its
 *   last byte arrives and back-to-back frames in one chunk are split;
 * - a frame for a unit not on this bus is dropped silently, a frame with a bad CRC is dropped
 *   silently; both are counted, and only a frame whose CRC checks counts as a message on the bus
 *   (Modbus over Serial Line V1.02, 6.1.2: bus message count = frames with a good CRC, any unit);
 * - after a bad frame (bad CRC, overrun) the bytes that follow are searched one byte at a time for
 *   a frame for a served unit whose CRC checks, so a good request glued to noise in one burst (USB
 *   adapters coalesce what they receive) is still found; a CRC match by chance is 1 in 65536;
 * - on a serial line a silence of t3.5 starts a new frame: a pending partial frame is dropped and
 *   counted, a search after noise ends; a function code of unknown layout ends at the silence;
 * - on a stream without timing (RTU over TCP) frames are split by length only.
 *
 * The clock is injected: push() takes the arrival time of each chunk, and the transport calls
 * silence() when silenceDeadlineMs() passes. No timers inside, so tests drive time byte by byte.
 */
export class RtuRequestFramer {
  readonly counters: RtuFramerCounters = {
    delivered: 0,
    crcErrors: 0,
    otherUnit: 0,
    incomplete: 0,
    overruns: 0,
    bytesDiscarded: 0,
  };

  private buffer = new Uint8Array(4 * MaxRtuAduLength);
  private start = 0;
  private end = 0;
  /** after a bad frame: sliding byte by byte until a frame for a served unit checks its CRC */
  private resyncing = false;
  private lastByteAtMs = Number.NEGATIVE_INFINITY;
  private readonly silenceMs: number | undefined;

  constructor(private readonly options: RtuRequestFramerOptions) {
    const silence = options.interFrameSilenceMs;
    if (silence !== undefined && !(silence > 0)) {
      throw new RangeError(`interFrameSilenceMs must be positive, got ${silence}`);
    }
    this.silenceMs = silence;
  }

  /** Bytes received and not yet part of a delivered or dropped frame. */
  get pendingByteCount(): number {
    return this.end - this.start;
  }

  /**
   * Feeds bytes that arrived at `nowMs` (any monotonic ms clock).
   *
   * After a silence of t3.5 or more a new frame begins: a pending partial frame is dropped, and
   * the resynchronisation after a bad frame ends. One exception: when the new bytes complete the
   * pending frame to its expected length with a good CRC, they are its remainder. USB serial
   * adapters deliver what they received in bursts (an FTDI chip every 16 ms by default, longer
   * than t3.5 at any baud rate), so a request on a quiet wire may reach us in two pieces with a
   * pause between; a CRC match is 1 in 65536 by chance, so the exception does not join garbage.
   */
  push(bytes: Uint8Array, nowMs: number): void {
    if (this.silenceMs !== undefined) {
      const afterSilence = nowMs - this.lastByteAtMs >= this.silenceMs;
      this.lastByteAtMs = nowMs;
      if (afterSilence && this.end > this.start) {
        this.append(bytes);
        if (!this.resyncing && this.pendingStartsWithGoodFrame()) {
          this.extractFrames();
          return;
        }
        this.end -= bytes.length;
        this.endFrameAtSilence();
      }
      if (afterSilence) this.resyncing = false;
    }
    this.append(bytes);
    this.extractFrames();
  }

  /**
   * When the transport should call silence(): t3.5 after the last byte, while a frame of a
   * function code with no known length is pending (it ends at the silence). Undefined otherwise:
   * a request arrives whole and is delivered at once, and a partial frame of known length is
   * judged when the next bytes come, so in normal operation no timer is armed.
   */
  silenceDeadlineMs(): number | undefined {
    if (this.silenceMs === undefined || this.resyncing || this.end - this.start < 2) return undefined;
    if (rtuFraming.requestLength(this.buffer, this.start, this.end - this.start) !== LengthUnknown) return undefined;
    return this.lastByteAtMs + this.silenceMs;
  }

  /** The line has been silent until `nowMs`; ends a pending frame if t3.5 has passed. */
  silence(nowMs: number): void {
    const deadline = this.silenceDeadlineMs();
    if (deadline !== undefined && nowMs >= deadline) this.endFrameAtSilence();
  }

  /** Forgets pending bytes (e.g. after the port is reopened). Counters are kept. */
  reset(): void {
    this.start = 0;
    this.end = 0;
    this.resyncing = false;
  }

  /** Do the pending bytes begin with a complete frame (by its length rule) with a good CRC? */
  private pendingStartsWithGoodFrame(): boolean {
    const available = this.end - this.start;
    const expected = rtuFraming.requestLength(this.buffer, this.start, available);
    if (expected === LengthEndsAtCrc) return this.firstCrcMatch(VariableRequestMinimumLength, Math.min(available, MaxRtuAduLength)) > 0;
    return expected > 0 && expected <= available && crcChecks(this.buffer, this.start, this.start + expected);
  }

  private append(bytes: Uint8Array): void {
    const pending = this.end - this.start;
    if (this.end + bytes.length > this.buffer.length) {
      if (pending + bytes.length > this.buffer.length) {
        const grown = new Uint8Array(Math.max(2 * this.buffer.length, pending + bytes.length));
        grown.set(this.buffer.subarray(this.start, this.end));
        this.buffer = grown;
      } else {
        this.buffer.copyWithin(0, this.start, this.end);
      }
      this.start = 0;
      this.end = pending;
    }
    this.buffer.set(bytes, this.end);
    this.end += bytes.length;
  }

  private extractFrames(): void {
    while (this.end > this.start) {
      if (this.resyncing) {
        const step = this.resyncStep();
        if (step === 'wait') break;
        if (step === 'skip') {
          this.start += 1;
          this.counters.bytesDiscarded += 1;
          continue;
        }
        this.resyncing = false;
      }
      const available = this.end - this.start;
      const expected = rtuFraming.requestLength(this.buffer, this.start, available);
      if (expected === NeedMoreBytes) break;
      if (expected > 0) {
        if (expected > MaxRtuAduLength) {
          // On a serial line the silence ends such a frame (incomplete) unless more than 256 bytes
          // really arrive (an overrun); on a stream nothing else can end it.
          if (this.silenceMs !== undefined && available <= MaxRtuAduLength) break;
          this.dropOverrun();
          continue;
        }
        if (available < expected) break;
        this.takeFrame(expected);
        continue;
      }
      const endsAtCrc = expected === LengthEndsAtCrc || this.silenceMs === undefined;
      if (endsAtCrc) {
        const minimum = expected === LengthEndsAtCrc ? VariableRequestMinimumLength : MinRtuAduLength;
        const length = this.firstCrcMatch(minimum, Math.min(available, MaxRtuAduLength));
        if (length > 0) {
          this.takeFrame(length);
          continue;
        }
      }
      // LengthUnknown on a serial line: the frame ends at the next silence.
      if (available >= MaxRtuAduLength && (endsAtCrc || available > MaxRtuAduLength)) {
        this.dropOverrun();
        continue;
      }
      break;
    }
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
    }
  }

  /**
   * Resynchronisation: does a frame (for any unit: another unit's good frame is a bus message)
   * with a known length (or FC08 00, found by its CRC) and a good CRC start here? Garbage is skipped without counting more errors; a
   * function code of unknown layout is not searched for (that would be a CRC scan per byte).
   */
  private resyncStep(): 'skip' | 'wait' | 'frame' {
    const available = this.end - this.start;
    const expected = rtuFraming.requestLength(this.buffer, this.start, available);
    if (expected === NeedMoreBytes) return 'wait';
    if (expected > 0) {
      if (expected > MaxRtuAduLength) return 'skip';
      if (available < expected) return 'wait';
      return crcChecks(this.buffer, this.start, this.start + expected) ? 'frame' : 'skip';
    }
    if (expected !== LengthEndsAtCrc) return 'skip';
    return this.firstCrcMatch(VariableRequestMinimumLength, Math.min(available, MaxRtuAduLength)) > 0 ? 'frame' : 'skip';
  }

  private firstCrcMatch(minimum: number, maximum: number): number {
    for (let length = minimum; length <= maximum; length++) {
      if (crcChecks(this.buffer, this.start, this.start + length)) return length;
    }
    return 0;
  }

  /** A complete candidate frame of `length` bytes at the start of the buffer. */
  private takeFrame(length: number): void {
    const frameStart = this.start;
    const unitId = this.buffer[frameStart];
    const goodCrc = crcChecks(this.buffer, frameStart, frameStart + length);
    if (goodCrc && unitId !== 0 && !this.options.isServedUnit(unitId)) {
      this.start += length;
      this.counters.otherUnit += 1;
      this.counters.bytesDiscarded += length;
      this.options.onDrop?.('other-unit', unitId);
      return;
    }
    if (!goodCrc) {
      this.counters.crcErrors += 1;
      this.discardAfterBadFrame();
      this.options.onDrop?.('bad-crc', unitId);
      return;
    }
    this.start += length;
    this.counters.delivered += 1;
    this.options.onFrame(this.buffer.subarray(frameStart, frameStart + length));
  }

  private dropOverrun(): void {
    const unitId = this.buffer[this.start];
    this.counters.overruns += 1;
    this.discardAfterBadFrame();
    this.options.onDrop?.('overrun', unitId);
  }

  /** Skips one byte and searches for a frame from the next one. */
  private discardAfterBadFrame(): void {
    this.counters.bytesDiscarded += 1;
    this.start += 1;
    this.resyncing = true;
  }

  private endFrameAtSilence(): void {
    const available = this.end - this.start;
    if (available === 0) return;
    if (this.resyncing) {
      // the rest of a noisy burst: already counted as the bad frame it followed
      this.counters.bytesDiscarded += available;
      this.start = 0;
      this.end = 0;
      this.resyncing = false;
      return;
    }
    const expected = rtuFraming.requestLength(this.buffer, this.start, available);
    if ((expected === LengthUnknown || expected === LengthEndsAtCrc) && available >= MinRtuAduLength) {
      // The silence delimits the frame: the whole pending run is one candidate.
      this.takeFrame(available);
      // takeFrame may have started a search after a bad CRC; the silence has already happened.
      this.resyncing = false;
    } else {
      const unitId = this.buffer[this.start];
      this.counters.incomplete += 1;
      this.counters.bytesDiscarded += available;
      this.options.onDrop?.('incomplete', unitId);
    }
    this.start = 0;
    this.end = 0;
  }
}
