import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

/** One Modbus/TCP ADU received: transaction id, unit id, PDU. */
export interface ReceivedAdu {
  transactionId: number;
  unit: number;
  pdu: Buffer;
}

/** Builds one MBAP ADU. */
export function adu(transactionId: number, unit: number, pdu: Uint8Array | readonly number[]): Buffer {
  const body = Buffer.from(pdu);
  const header = Buffer.alloc(7);
  header.writeUInt16BE(transactionId, 0);
  header.writeUInt16BE(0, 2);
  header.writeUInt16BE(body.length + 1, 4);
  header[6] = unit;
  return Buffer.concat([header, body]);
}

/**
 * A byte-level Modbus/TCP client for tests: writes whatever bytes it is given and splits what
 * comes back into ADUs by their MBAP length, so tests see exactly what the server sent.
 */
export class RawTcpClient {
  readonly received: ReceivedAdu[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private waiters: { count: number; resolve: () => void }[] = [];
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async connect(port: number): Promise<RawTcpClient> {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    await once(socket, 'connect');
    return new RawTcpClient(socket);
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Resolves when at least `count` ADUs have been received in total; rejects if the socket closes first. */
  async waitFor(count: number): Promise<ReceivedAdu[]> {
    if (this.received.length < count) {
      await Promise.race([
        new Promise<void>((resolve) => this.waiters.push({ count, resolve })),
        this.closed.then(() => {
          if (this.received.length < count) throw new Error(`connection closed after ${this.received.length} of ${count} responses`);
        }),
      ]);
    }
    return this.received.slice(0, count);
  }

  /** Sends one request and waits for the next response. */
  async request(transactionId: number, unit: number, pdu: readonly number[] | Uint8Array): Promise<ReceivedAdu> {
    const before = this.received.length;
    this.send(adu(transactionId, unit, pdu));
    const all = await this.waitFor(before + 1);
    return all[before];
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 6) {
      const total = 6 + this.buffer.readUInt16BE(4);
      if (this.buffer.length < total) break;
      this.received.push({ transactionId: this.buffer.readUInt16BE(0), unit: this.buffer[6], pdu: Buffer.from(this.buffer.subarray(7, total)) });
      this.buffer = this.buffer.subarray(total);
    }
    this.waiters = this.waiters.filter((w) => {
      if (this.received.length >= w.count) {
        w.resolve();
        return false;
      }
      return true;
    });
  }
}
