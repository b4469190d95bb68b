import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { CommFaultHook } from '../faults/comm-fault-policy.js';
import type { RtuBus } from './rtu-bus.js';
import { RtuLink } from './rtu-link.js';
import type { EndpointCounters } from '../endpoint-counters.js';

export interface RtuOverTcpServerOptions {
  host?: string | undefined;
  /** 0 picks a free port (see `address`). */
  port: number;
  responseDelayMs?: number | undefined;
  /** Communication faults bound to this endpoint: policy.forEndpoint(name, rtuFraming). */
  faults?: CommFaultHook | undefined;
  onError?: ((error: Error) => void) | undefined;
  /** Counts requests, exceptions, connections and bytes (for /metrics). */
  counters?: EndpointCounters | undefined;
}

/**
 * RTU over TCP: the serial RTU frame (unit id, PDU, CRC) carried unchanged in a TCP stream, as
 * serial-to-Ethernet gateways and many meter readers speak it. Each connection is its own line
 * into the same bus (the same devices and counters). There is no silence on a stream, so frames
 * are split by length only and garbage is skipped until a frame's CRC checks.
 */
export class RtuOverTcpServer {
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async listen(bus: RtuBus, options: RtuOverTcpServerOptions): Promise<RtuOverTcpServer> {
    const server = createServer({ noDelay: true });
    const instance = new RtuOverTcpServer(server);
    server.on('connection', (socket) => instance.accept(bus, socket, options));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => options.onError?.(error));
    return instance;
  }

  private accept(bus: RtuBus, socket: Socket, options: RtuOverTcpServerOptions): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const link = new RtuLink(bus, {
      responseDelayMs: options.responseDelayMs,
      faults: options.faults,
      counters: options.counters,
      disconnect: () => socket.destroy(),
      send: (adu) => {
        if (!socket.destroyed) socket.write(adu);
      },
    });
    options.counters?.connected();
    socket.on('data', (chunk: Buffer) => link.receive(chunk));
    socket.on('error', (error) => options.onError?.(error));
    socket.on('close', () => {
      options.counters?.disconnected();
      link.close();
      this.sockets.delete(socket);
    });
  }

  /** Whether the server is listening. */
  get listening(): boolean {
    return this.server.listening;
  }

  get address(): AddressInfo {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('RTU over TCP server is not listening on a TCP port');
    return address;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
