/**
 * A client transport over a byte stream (a TCP socket or a serial port): one request at a time,
 * the answer cut from the stream by the framing (MBAP or RTU), a timeout per request. Requests
 * made while one is outstanding wait their turn.
 */
import { ModbusTimeoutError, type ClientTransport } from './client-transport.js';

export interface ByteStream {
  write(data: Uint8Array): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface ClientFraming {
  /** The request ADU for a PDU (adds MBAP header, or unit id and CRC). */
  encode(unitId: number, pdu: Uint8Array): Uint8Array;
  /**
   * Looks at the bytes received so far: the length of a complete answer at their start, 0 when
   * more bytes are needed, or -1 when the start is garbage (the first byte is dropped).
   */
  frameLength(bytes: Uint8Array): number;
  /** The response PDU of a complete answer, or undefined when it is not the answer to `request`. */
  decode(frame: Uint8Array, request: Uint8Array): Uint8Array | undefined;
}

interface Pending {
  request: Uint8Array;
  resolve(pdu: Uint8Array): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class StreamTransport implements ClientTransport {
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closedError: Error | undefined;

  constructor(
    private readonly stream: ByteStream,
    private readonly framing: ClientFraming,
    readonly description: string,
    private readonly closeStream: () => Promise<void>,
  ) {
    stream.on('data', (chunk) => this.receive(chunk));
    stream.on('error', (error) => this.fail(error));
    stream.on('close', () => this.fail(new Error(`${description}: connection closed`)));
  }

  request(unitId: number, pdu: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const run = (): Promise<Uint8Array> =>
      new Promise<Uint8Array>((resolve, reject) => {
        if (this.closedError !== undefined) {
          reject(this.closedError);
          return;
        }
        const request = this.framing.encode(unitId, pdu);
        const timer = setTimeout(() => {
          this.pending = undefined;
          this.buffer = Buffer.alloc(0);
          reject(new ModbusTimeoutError(unitId, timeoutMs, this.description));
        }, timeoutMs);
        this.pending = { request, resolve, reject, timer };
        this.buffer = Buffer.alloc(0);
        this.stream.write(request);
      });
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  close(): Promise<void> {
    this.fail(new Error(`${this.description}: closed`));
    return this.closeStream();
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const length = this.framing.frameLength(this.buffer);
      if (length === 0) return;
      if (length < 0) {
        this.buffer = this.buffer.subarray(1);
        continue;
      }
      const frame = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      const pending = this.pending;
      if (pending === undefined) continue;
      const pdu = this.framing.decode(frame, pending.request);
      if (pdu === undefined) continue; // a late answer to a timed-out request, or another unit's
      clearTimeout(pending.timer);
      this.pending = undefined;
      pending.resolve(Uint8Array.from(pdu));
    }
  }

  private fail(error: Error): void {
    this.closedError ??= error;
    const pending = this.pending;
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    pending.reject(error);
  }
}
