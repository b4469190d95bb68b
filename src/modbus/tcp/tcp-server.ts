import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { ModbusDevice } from '../device.js';
import type { RequestContext } from '../pdu/request-context.js';
import { UnitRouter } from '../unit-router.js';
import type { CommFaultHook } from '../faults/comm-fault-policy.js';
import type { MbapHeaderError } from '../framing/framing-descriptor.js';
import { TcpConnection } from './tcp-connection.js';
import type { EndpointCounters } from '../endpoint-counters.js';
import type { RequestAuthorizer } from '../request-authorizer.js';
import { ConnectionWatch } from './connection-watch.js';

export interface ModbusTcpServerOptions {
  /** Which device answers which unit id; or one device answering units 1, 0 and 255. */
  router: UnitRouter | ModbusDevice;
  /** Connections served at once; one more is closed at accept. Default 32. */
  maxConnections?: number;
  /** A connection with no complete request for this long (ms) is closed; 0 disables. Default 60 000. */
  idleTimeoutMs?: number;
  /** A connection whose incomplete request is older than this (ms) is closed, however its bytes trickle in; 0 disables. Default 5 000. */
  frameTimeoutMs?: number;
  /**
   * At the limit, a connection that completed a request within this time (ms) is never closed to
   * admit a new one; slow and silent connections always may be. Default 10 000.
   */
  evictionGraceMs?: number;
  /** Serve FC17 report server id over TCP too (a serial-line function). Default false. */
  reportServerId?: boolean;
  /** Communication faults to inject: a CommFaultPolicy bound to this endpoint (policy.forEndpoint(name, mbapFraming)). */
  faults?: CommFaultHook;
  /** Counts requests, exceptions, connections and bytes (for /metrics); absent: nothing is counted. */
  counters?: EndpointCounters;
}

export interface ModbusTcpServerEvents {
  /** A client connected (remote "address:port"). */
  connect: [remote: string];
  /** A connection was refused because maxConnections were open and every one was busy. */
  reject: [remote: string];
  /** The limit was reached: this (slow, silent or idle) connection was closed to admit `admitted`. */
  evict: [remote: string, admitted: string];
  /** A connection's incomplete request was older than frameTimeoutMs: it was closed. */
  'frame-timeout': [remote: string];
  /** A connection broke the MBAP rules and was closed. */
  'framing-error': [remote: string, error: MbapHeaderError];
  /** A connection sent no complete request for idleTimeoutMs and was closed. */
  idle: [remote: string];
  /** A client stopped reading its responses: reading from it is paused until its socket drains. */
  backpressure: [remote: string];
  /** A connection closed (for any reason). */
  disconnect: [remote: string];
  /** Modbus/TCP Security: a request the client's role does not allow was answered with exception 01. */
  denied: [remote: string, unitId: number, functionCode: number];
  /** Modbus/TCP Security: a TLS handshake failed or a client certificate was refused; the connection was closed. */
  'tls-error': [remote: string, error: Error];
}

/**
 * How a transport accepts connections (internal: ModbusTlsServer wraps the same connection code
 * in TLS). `createServer` calls `accept` with each connection ready for MBAP bytes;
 * `authorizerFor` gives that connection's authorizer (undefined: serve everything).
 */
export interface TcpListenerFactory {
  createServer(accept: (socket: Socket) => void): Server;
  authorizerFor?(socket: Socket): RequestAuthorizer | undefined;
}

const plainListener: TcpListenerFactory = {
  createServer: (accept) => createServer({ noDelay: true }, accept),
};

function remoteOf(socket: Socket): string {
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
}

/** No-op error listener: ECONNRESET, EPIPE and friends end one connection, never the process. */
function ignoreSocketError(): void {}

/**
 * Modbus/TCP server: MBAP framing with stream reassembly, unit routing (absent unit -> 0x0B),
 * a connection limit that closes the slowest or idlest connection to admit a new one, an idle and
 * a frame timeout (one sweep timer per server), and per-connection backpressure.
 */
export class ModbusTcpServer extends EventEmitter<ModbusTcpServerEvents> {
  readonly maxConnections: number;
  readonly idleTimeoutMs: number;
  readonly frameTimeoutMs: number;
  private readonly router: UnitRouter;
  private readonly context: RequestContext;
  private sessions = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly faults: CommFaultHook | undefined;
  private readonly counters: EndpointCounters | undefined;
  private readonly listener: TcpListenerFactory;
  private readonly watch: ConnectionWatch<TcpConnection>;
  private readonly remotes = new WeakMap<TcpConnection, string>();

  constructor(options: ModbusTcpServerOptions, listener: TcpListenerFactory = plainListener) {
    super();
    this.router = options.router instanceof UnitRouter ? options.router : UnitRouter.single(options.router);
    this.maxConnections = options.maxConnections ?? 32;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.frameTimeoutMs = options.frameTimeoutMs ?? 5_000;
    this.watch = new ConnectionWatch<TcpConnection>({
      maxConnections: this.maxConnections,
      idleTimeoutMs: this.idleTimeoutMs,
      frameTimeoutMs: this.frameTimeoutMs,
      evictionGraceMs: options.evictionGraceMs ?? 10_000,
      onIdle: (connection) => this.emit('idle', this.remoteOf(connection)),
      onFrameTimeout: (connection) => this.emit('frame-timeout', this.remoteOf(connection)),
    });
    this.context = Object.freeze({ reportServerId: options.reportServerId === true });
    this.faults = options.faults;
    this.counters = options.counters;
    this.listener = listener;
    this.server = listener.createServer((socket) => this.accept(socket));
  }

  /** Whether the server is listening. */
  get listening(): boolean {
    return this.server.listening;
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host = '127.0.0.1'): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        this.server.on('error', ignoreSocketError);
        resolve(this.address());
      });
    });
  }

  address(): AddressInfo {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('server is not listening on TCP');
    return address;
  }

  /** Stops accepting, closes every connection, resolves when all is closed. */
  close(): Promise<void> {
    this.watch.stop();
    return new Promise((resolve) => {
      for (const socket of this.sockets) socket.destroy();
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
    });
  }

  private remoteOf(connection: TcpConnection): string {
    return this.remotes.get(connection) ?? '?';
  }

  private accept(socket: Socket): void {
    socket.on('error', ignoreSocketError);
    const remote = remoteOf(socket);
    if (!this.watch.makeRoom((victim) => this.emit('evict', this.remoteOf(victim), remote))) {
      socket.destroy();
      if (this.counters !== undefined) this.counters.connectionsRefused += 1;
      this.emit('reject', remote);
      return;
    }
    this.sockets.add(socket);
    socket.setNoDelay(true);
    // Each connection is its own session (a password unlock belongs to the connection).
    this.sessions += 1;
    const connection = new TcpConnection(socket, this.router, { ...this.context, session: this.sessions }, {
      onFramingError: (_connection, error) => this.emit('framing-error', remote, error),
      onBackpressure: () => this.emit('backpressure', remote),
      onDenied: (_connection, unitId, functionCode) => this.emit('denied', remote, unitId, functionCode),
    }, this.faults, this.watch.now, this.watch.now(), this.listener.authorizerFor?.(socket), this.counters);
    this.remotes.set(connection, remote);
    this.watch.add(connection);
    this.counters?.connected();
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.counters?.disconnected();
      this.watch.delete(connection);
      this.emit('disconnect', remote);
    });
    this.emit('connect', remote);
  }
}
