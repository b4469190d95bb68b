import type { Socket } from 'node:net';
import { ExceptionCode } from '../exception.js';
import { writeExceptionResponse } from '../pdu/exception-response.js';
import { exceptionFrame } from '../framing/exception-frame.js';
import type { MbapHeaderError } from '../framing/framing-descriptor.js';
import { LengthInvalid, NeedMoreBytes } from '../framing/length-result.js';
import { MaxMbapAduLength, MbapHeaderLength, mbapFraming, mbapHeaderError } from '../framing/mbap-framing.js';
import { handleRequest } from '../pdu/handle-request.js';
import type { RequestContext } from '../pdu/request-context.js';
import type { UnitRouter } from '../unit-router.js';
import type { RequestAuthorizer } from '../request-authorizer.js';
import type { CommFaultDecision } from '../faults/comm-fault.js';
import type { CommFaultHook } from '../faults/comm-fault-policy.js';
import { serveWithFault } from '../faults/serve-with-fault.js';
import type { EndpointCounters } from '../endpoint-counters.js';
import type { WatchedConnection } from './connection-watch.js';

/** Requests answered per socket write at most (bounds the response buffer of one batch). */
const maxFramesPerBatch = 64;

export interface TcpConnectionHooks {
  /** The byte stream broke the MBAP rules; the connection has been destroyed. */
  onFramingError(connection: TcpConnection, error: MbapHeaderError): void;
  /** The client does not read its responses: reading is paused until the socket drains. */
  onBackpressure(connection: TcpConnection): void;
  /** The authorizer refused a request; it was answered with exception 01. */
  onDenied?(connection: TcpConnection, unitId: number, functionCode: number): void;
}

/**
 * One client connection: reassembles MBAP frames from the byte stream (a request may arrive in
 * pieces, several may arrive in one chunk), answers them in order, one socket write per batch of
 * requests that arrived together, and stops reading while the client does not read its responses
 * (the socket's write buffer is full), resuming on 'drain'.
 */
export class TcpConnection implements WatchedConnection {
  lastRequestAtMs = Number.NaN;
  partialSinceMs = Number.NaN;
  /** Bytes received but not yet handled: an incomplete frame, or frames held back while waiting for drain. */
  private pending: Buffer | undefined;
  private waitingForDrain = false;
  private rejected = false;

  constructor(
    readonly socket: Socket,
    private readonly router: UnitRouter,
    private readonly context: RequestContext,
    private readonly hooks: TcpConnectionHooks,
    /** Communication faults (src/modbus/faults); undefined or no active fault: the normal path. */
    private readonly faults: CommFaultHook | undefined,
    /** The monotonic clock of the server's connection watch. */
    private readonly now: () => number,
    readonly connectedAtMs: number,
    /** Who may do what (Modbus/TCP Security roles); undefined: every request is served. */
    private readonly authorizer?: RequestAuthorizer,
    /** What the endpoint counts (requests, exceptions, bytes); undefined: nothing. */
    private readonly counters?: EndpointCounters,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('drain', () => this.drained());
  }

  /** Closes the connection at once (the server's watch: timeouts, eviction). */
  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.rejected) return;
    if (this.counters !== undefined) this.counters.bytesReceived += chunk.length;
    let data = chunk;
    if (this.pending !== undefined) {
      data = Buffer.concat([this.pending, chunk]);
      this.pending = undefined;
    }
    if (this.waitingForDrain) {
      this.pending = data;
      return;
    }
    this.serveAndTime(data);
  }

  /**
   * Serves `data` and notes, for the connection watch, when the last complete request arrived and
   * since when an incomplete one is pending (a byte that does not complete it changes nothing).
   * One clock read per received chunk; nothing allocated.
   */
  private serveAndTime(data: Buffer): void {
    const answered = this.serve(data);
    const nowMs = this.now();
    if (answered > 0) this.lastRequestAtMs = nowMs;
    if (this.pending === undefined || this.waitingForDrain) this.partialSinceMs = Number.NaN;
    else if (answered > 0 || Number.isNaN(this.partialSinceMs)) this.partialSinceMs = nowMs;
  }

  private drained(): void {
    if (!this.waitingForDrain) return;
    this.waitingForDrain = false;
    const data = this.pending;
    this.pending = undefined;
    if (data !== undefined) this.serveAndTime(data);
    if (!this.waitingForDrain && !this.rejected && !this.socket.destroyed) this.socket.resume();
  }

  /** Answers every complete frame in data, batch by batch; keeps the rest in `pending`. Returns the number of frames answered. */
  private serve(data: Buffer): number {
    let answered = 0;
    let offset = 0;
    while (offset < data.length) {
      // Count the complete frames of this batch, validating each header as soon as it is known.
      let frames = 0;
      let scan = offset;
      let framingError: MbapHeaderError | undefined;
      while (frames < maxFramesPerBatch) {
        const frameLength = mbapFraming.requestLength(data, scan, data.length - scan);
        if (frameLength === NeedMoreBytes) break;
        if (frameLength === LengthInvalid) {
          framingError = mbapHeaderError(data, scan);
          break;
        }
        if (scan + frameLength > data.length) break;
        scan += frameLength;
        frames += 1;
      }
      if (frames === 0) {
        if (framingError !== undefined) {
          this.reject(framingError);
          return answered;
        }
        break;
      }
      const out = Buffer.allocUnsafe(frames * MaxMbapAduLength);
      let outLength = 0;
      for (let i = 0; i < frames; i += 1) {
        const frameLength = mbapFraming.requestLength(data, offset, data.length - offset);
        outLength += this.answer(data, offset, frameLength, out, outLength);
        offset += frameLength;
      }
      answered += frames;
      if (framingError !== undefined) {
        // Answer the good requests that came before the broken frame, then close.
        if (outLength > 0) this.write(out.subarray(0, outLength));
        this.reject(framingError);
        return answered;
      }
      if (outLength > 0 && !this.write(outLength === out.length ? out : out.subarray(0, outLength))) {
        this.waitingForDrain = true;
        this.socket.pause();
        this.hooks.onBackpressure(this);
        if (offset < data.length) this.pending = Buffer.from(data.subarray(offset));
        return answered;
      }
    }
    if (offset < data.length) this.pending = Buffer.from(data.subarray(offset));
    return answered;
  }

  /** Answers the frame at data[offset..offset+frameLength) into out[outOffset..]; returns bytes written. */
  private answer(data: Buffer, offset: number, frameLength: number, out: Buffer, outOffset: number): number {
    const fault = this.faults?.decide({ unitId: data[offset + mbapFraming.unitIdOffset], functionCode: data[offset + MbapHeaderLength] });
    if (fault !== undefined) {
      if (this.counters !== undefined) this.counters.faultsInjected += 1;
      this.answerWithFault(fault, data, offset, frameLength);
      return 0;
    }
    const counters = this.counters;
    if (counters === undefined) return this.frame(data, offset, frameLength, out, outOffset);
    const startMs = counters.now();
    const length = this.frame(data, offset, frameLength, out, outOffset);
    const pdu = outOffset + MbapHeaderLength;
    counters.request(data[offset + MbapHeaderLength] ?? 0, length === 0 ? -1 : (out[pdu] ?? 0), out[pdu + 1] ?? 0, startMs);
    return length;
  }

  private write(frame: Uint8Array): boolean {
    if (this.counters !== undefined) this.counters.bytesSent += frame.length;
    return this.socket.write(frame);
  }

  /** A faulted exchange is answered on its own (late, damaged, or not at all), outside the batch. */
  private answerWithFault(fault: CommFaultDecision, data: Buffer, offset: number, frameLength: number): void {
    serveWithFault(fault, mbapFraming, {
      answer: () => {
        const out = Buffer.allocUnsafe(MaxMbapAduLength);
        const length = this.frame(data, offset, frameLength, out, 0);
        return length === 0 ? undefined : out.subarray(0, length);
      },
      exceptionAnswer: (code) => exceptionFrame(mbapFraming, data, offset, code),
      write: (frame) => {
        if (!this.socket.destroyed && !this.rejected) this.write(frame);
      },
      close: () => this.socket.destroy(),
    });
  }

  private frame(data: Buffer, offset: number, frameLength: number, out: Buffer, outOffset: number): number {
    const unit = data[offset + mbapFraming.unitIdOffset];
    const pduStart = offset + MbapHeaderLength;
    const pduLength = frameLength - MbapHeaderLength;
    const device = this.router.route(unit);
    const pduOut = outOffset + MbapHeaderLength;
    let responseLength: number;
    if (this.authorizer !== undefined && !this.authorizer.allows(unit, data, pduStart, pduLength)) {
      // Refused before routing: a client without the right learns nothing about which units exist.
      responseLength = writeExceptionResponse(out, pduOut, data[pduStart], ExceptionCode.IllegalFunction);
      this.hooks.onDenied?.(this, unit, data[pduStart] ?? 0);
    } else {
      responseLength =
        device === undefined
          ? writeExceptionResponse(out, pduOut, data[pduStart], ExceptionCode.GatewayTargetFailedToRespond)
          : handleRequest(device, data, pduStart, pduLength, out, pduOut, this.context);
    }
    if (responseLength === 0) return 0;
    return mbapFraming.seal(out, outOffset, responseLength, unit, mbapFraming.transactionId(data, offset));
  }

  /** Closes this connection (and nothing else) after flushing responses already written. */
  private reject(error: MbapHeaderError): void {
    this.rejected = true;
    this.pending = undefined;
    this.socket.pause();
    this.socket.once('finish', () => this.socket.destroy());
    this.socket.end();
    this.hooks.onFramingError(this, error);
  }
}
