/**
 * A minimal Modbus/TCP Security client for tests: node:tls with a client certificate and raw MBAP
 * frames, one request at a time. `request` resolves with the response PDU.
 */
import { readFileSync } from 'node:fs';
import { connect, type TLSSocket } from 'node:tls';
import { adu } from './raw-tcp-client.js';
import type { CertificateFiles } from './test-pki.js';

export class TlsMbapClient {
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: ((frame: Buffer) => void) | undefined;
  private transactionId = 0;

  private constructor(readonly socket: TLSSocket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      if (this.buffer.length < 7) return;
      const length = 6 + this.buffer.readUInt16BE(4);
      if (this.buffer.length < length) return;
      const frame = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.(frame);
    });
  }

  static connect(port: number, ca: string, client: CertificateFiles): Promise<TlsMbapClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: readFileSync(ca), cert: readFileSync(client.cert), key: readFileSync(client.key) }, () =>
        resolve(new TlsMbapClient(socket)),
      );
      socket.once('error', reject);
    });
  }

  /** Sends one PDU to `unit`; resolves with the response PDU. */
  request(unit: number, pdu: readonly number[]): Promise<Buffer> {
    this.transactionId = (this.transactionId + 1) & 0xffff;
    const id = this.transactionId;
    return new Promise((resolve, reject) => {
      const onClose = (): void => reject(new Error('connection closed'));
      this.socket.once('close', onClose);
      this.waiting = (frame) => {
        this.socket.off('close', onClose);
        if (frame.readUInt16BE(0) !== id) reject(new Error(`transaction id ${frame.readUInt16BE(0)}, expected ${id}`));
        else resolve(Buffer.from(frame.subarray(7)));
      };
      this.socket.write(adu(id, unit, pdu));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
