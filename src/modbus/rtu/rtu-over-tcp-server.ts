import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { CommFaultHook } from '../faults/comm-fault-policy.js';
import { ConnectionWatch, type WatchedConnection } from '../tcp/connection-watch.js';
import type { RtuBus } from './rtu-bus.js';
import { RtuLink } from './rtu-link.js';
import type { EndpointCounters } from '../endpoint-counters.js';

/** What happened to a connection that was closed or refused by the limits. */
export type RtuOverTcpConnectionEvent = 'reject' | 'evict' | 'idle' | 'frame-timeout';

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
  /** Connections served at once (default 32); at the limit the slowest or idlest one is closed to admit a new one. */
  maxConnections?: number | undefined;
  /** A connection with no complete frame for this long (ms) is closed; 0 disables. Default 60 000. */
  idleTimeoutMs?: number | undefined;
  /** A connection whose incomplete frame is older than this (ms) is closed; 0 disables. Default 5 000. */
  frameTimeoutMs?: number | undefined;
  /** At the limit, a connection with a frame within this time (ms) is not closed for a new one. Default 10 000. */
  evictionGraceMs?: number | undefined;
  /** A connection was refused, evicted (to admit `admitted`), idle or past its frame timeout. */
  onConnectionEvent?: ((event: RtuOverTcpConnectionEvent, remote: string, admitted?: string) => void) | undefined;
}

/** One RTU over TCP connection as the connection watch sees it. */
class RtuOverTcpConnection implements WatchedConnection {
  lastRequestAtMs = Number.NaN;
  partialSinceMs = Number.NaN;

  constructor(
    readonly socket: Socket,
    readonly remote: string,
    readonly connectedAtMs: number,
  ) {}

  close(): void {
    this.socket.destroy();
  }

  /**
   * After a chunk went through the link: a request delivered is activity; any frame ended (good,
   * garbage or for another unit) starts the incomplete-frame clock again if bytes are left over.
   */
  note(link: RtuLink, deliveredBefore: number, framesBefore: number, nowMs: number): void {
    const completed = framesSeen(link) !== framesBefore;
    if (link.framerCounters.delivered !== deliveredBefore) this.lastRequestAtMs = nowMs;
    if (link.pendingByteCount === 0) this.partialSinceMs = Number.NaN;
    else if (completed || Number.isNaN(this.partialSinceMs)) this.partialSinceMs = nowMs;
  }
}

function framesSeen(link: RtuLink): number {
  const counters = link.framerCounters;
  return counters.delivered + counters.otherUnit + counters.crcErrors + counters.incomplete + counters.overruns;
}

/**
 * RTU over TCP: the serial RTU frame (unit id, PDU, CRC) carried unchanged in a TCP stream, as
 * serial-to-Ethernet gateways and many meter readers speak it. Each connection is its own line
 * into the same bus (the same devices and counters). There is no silence on a stream, so frames
 * are split by length only and garbage is skipped until a frame's CRC checks. The connection
 * limit and timeouts are those of the Modbus/TCP server (ConnectionWatch).
 */
export class RtuOverTcpServer {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly watch: ConnectionWatch<RtuOverTcpConnection>,
  ) {}

  static async listen(bus: RtuBus, options: RtuOverTcpServerOptions): Promise<RtuOverTcpServer> {
    const server = createServer({ noDelay: true });
    const report = options.onConnectionEvent;
    const watch = new ConnectionWatch<RtuOverTcpConnection>({
      maxConnections: options.maxConnections ?? 32,
      idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
      frameTimeoutMs: options.frameTimeoutMs ?? 5_000,
      evictionGraceMs: options.evictionGraceMs ?? 10_000,
      onIdle: (connection) => report?.('idle', connection.remote),
      onFrameTimeout: (connection) => report?.('frame-timeout', connection.remote),
    });
    const instance = new RtuOverTcpServer(server, watch);
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

  get connectionCount(): number {
    return this.watch.size;
  }

  private accept(bus: RtuBus, socket: Socket, options: RtuOverTcpServerOptions): void {
    socket.on('error', (error) => options.onError?.(error));
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    if (!this.watch.makeRoom((victim) => options.onConnectionEvent?.('evict', victim.remote, remote))) {
      socket.destroy();
      if (options.counters !== undefined) options.counters.connectionsRefused += 1;
      options.onConnectionEvent?.('reject', remote);
      return;
    }
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const connection = new RtuOverTcpConnection(socket, remote, this.watch.now());
    this.watch.add(connection);
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
    socket.on('data', (chunk: Buffer) => {
      const delivered = link.framerCounters.delivered;
      const frames = framesSeen(link);
      link.receive(chunk);
      connection.note(link, delivered, frames, this.watch.now());
    });
    socket.on('close', () => {
      options.counters?.disconnected();
      link.close();
      this.sockets.delete(socket);
      this.watch.delete(connection);
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
    this.watch.stop();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
