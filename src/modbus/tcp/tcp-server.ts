import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { ModbusDevice } from '../device.js';
import type { RequestContext } from '../pdu/request-context.js';
import { UnitRouter } from '../unit-router.js';
import type { CommFaultHook } from '../faults/comm-fault-policy.js';
import type { MbapHeaderError } from '../framing/framing-descriptor.js';
import { TcpConnection } from './tcp-connection.js';
import type { EndpointCounters } from '../endpoint-counters.js';

export interface ModbusTcpServerOptions {
  /** Which device answers which unit id; or one device answering units 1, 0 and 255. */
  router: UnitRouter | ModbusDevice;
  /** Connections served at once; one more is closed at accept. Default 32. */
  maxConnections?: number;
  /** A connection silent for this long (ms) is closed; 0 disables. Default 60 000. */
  idleTimeoutMs?: number;
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
  /** A connection was refused because maxConnections were open. */
  reject: [remote: string];
  /** A connection broke the MBAP rules and was closed. */
  'framing-error': [remote: string, error: MbapHeaderError];
  /** A connection was idle for idleTimeoutMs and was closed. */
  idle: [remote: string];
  /** A client stopped reading its responses: reading from it is paused until its socket drains. */
  backpressure: [remote: string];
  /** A connection closed (for any reason). */
  disconnect: [remote: string];
}

function remoteOf(socket: Socket): string {
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
}

/** No-op error listener: ECONNRESET, EPIPE and friends end one connection, never the process. */
function ignoreSocketError(): void {}

/**
 * Modbus/TCP server: MBAP framing with stream reassembly, unit routing (absent unit -> 0x0B),
 * a connection limit, an idle timeout and per-connection backpressure.
 */
export class ModbusTcpServer extends EventEmitter<ModbusTcpServerEvents> {
  readonly maxConnections: number;
  readonly idleTimeoutMs: number;
  private readonly router: UnitRouter;
  private readonly context: RequestContext;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly faults: CommFaultHook | undefined;
  private readonly counters: EndpointCounters | undefined;

  constructor(options: ModbusTcpServerOptions) {
    super();
    this.router = options.router instanceof UnitRouter ? options.router : UnitRouter.single(options.router);
    this.maxConnections = options.maxConnections ?? 32;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    if (!Number.isInteger(this.maxConnections) || this.maxConnections < 1) throw new RangeError(`maxConnections must be a positive integer, got ${this.maxConnections}`);
    if (!(this.idleTimeoutMs >= 0)) throw new RangeError(`idleTimeoutMs must be >= 0, got ${this.idleTimeoutMs}`);
    this.context = Object.freeze({ reportServerId: options.reportServerId === true });
    this.faults = options.faults;
    this.counters = options.counters;
    this.server = createServer({ noDelay: true }, (socket) => this.accept(socket));
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
    return new Promise((resolve) => {
      for (const socket of this.sockets) socket.destroy();
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
    });
  }

  private accept(socket: Socket): void {
    socket.on('error', ignoreSocketError);
    const remote = remoteOf(socket);
    if (this.sockets.size >= this.maxConnections) {
      socket.destroy();
      if (this.counters !== undefined) this.counters.connectionsRefused += 1;
      this.emit('reject', remote);
      return;
    }
    this.sockets.add(socket);
    socket.setNoDelay(true);
    if (this.idleTimeoutMs > 0) {
      socket.setTimeout(this.idleTimeoutMs, () => {
        socket.destroy();
        this.emit('idle', remote);
      });
    }
    this.counters?.connected();
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.counters?.disconnected();
      this.emit('disconnect', remote);
    });
    new TcpConnection(socket, this.router, this.context, {
      onFramingError: (_connection, error) => this.emit('framing-error', remote, error),
      onBackpressure: () => this.emit('backpressure', remote),
    }, this.faults, this.counters);
    this.emit('connect', remote);
  }
}
