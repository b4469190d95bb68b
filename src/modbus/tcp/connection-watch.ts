import { performance } from 'node:perf_hooks';

/**
 * What the watch knows of one connection. The connection updates the three times itself, once per
 * received chunk (no timer, no allocation on the request path); the watch reads them.
 */
export interface WatchedConnection {
  /** Monotonic ms when the connection was accepted. */
  readonly connectedAtMs: number;
  /** Monotonic ms of the last complete request received; NaN before the first one. */
  lastRequestAtMs: number;
  /** Monotonic ms when the first byte of the pending, incomplete request arrived; NaN when none is pending. */
  partialSinceMs: number;
  /** Closes the connection (the watch forgets it at once). */
  close(): void;
}

export interface ConnectionWatchOptions<C extends WatchedConnection> {
  /** Connections served at once. */
  maxConnections: number;
  /** A connection with no complete request for this long is closed; 0 disables. */
  idleTimeoutMs: number;
  /** A connection whose incomplete request is older than this is closed (more bytes do not reset it); 0 disables. */
  frameTimeoutMs: number;
  /**
   * At the limit, a connection that completed a request within this time is never closed to admit
   * another one; slow connections (an incomplete request pending) and connections that never sent
   * a request always may be.
   */
  evictionGraceMs: number;
  onIdle(connection: C): void;
  onFrameTimeout(connection: C): void;
  /** Monotonic clock in ms (default performance.now). */
  now?: () => number;
}

/** Longest pause between two sweeps: the timeouts are enforced to within this much. */
const maxSweepIntervalMs = 500;
const minSweepIntervalMs = 20;

export function monotonicNowMs(): number {
  return performance.now();
}

/**
 * The connection limit and the two timeouts of a TCP server, enforced by one coalesced sweep timer
 * per server (running only while connections are open) instead of a timer per connection that
 * every byte would reset:
 * - idle: no complete request for idleTimeoutMs (a byte of a request that never ends is not
 *   activity);
 * - frame timeout: an incomplete request older than frameTimeoutMs (slowloris);
 * - at the limit a new connection is admitted by closing the slowest one (oldest incomplete
 *   request), else one that never sent a request (oldest first), else the one idle longest if it
 *   has been idle beyond the grace time; only when every connection is busy is the new one refused.
 */
export class ConnectionWatch<C extends WatchedConnection> {
  private readonly connections = new Set<C>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly sweepIntervalMs: number;
  readonly now: () => number;

  constructor(private readonly options: ConnectionWatchOptions<C>) {
    const { maxConnections, idleTimeoutMs, frameTimeoutMs, evictionGraceMs } = options;
    if (!Number.isInteger(maxConnections) || maxConnections < 1) throw new RangeError(`maxConnections must be a positive integer, got ${maxConnections}`);
    if (!(idleTimeoutMs >= 0)) throw new RangeError(`idleTimeoutMs must be >= 0, got ${idleTimeoutMs}`);
    if (!(frameTimeoutMs >= 0)) throw new RangeError(`frameTimeoutMs must be >= 0, got ${frameTimeoutMs}`);
    if (!(evictionGraceMs >= 0)) throw new RangeError(`evictionGraceMs must be >= 0, got ${evictionGraceMs}`);
    this.now = options.now ?? monotonicNowMs;
    const shortest = Math.min(idleTimeoutMs > 0 ? idleTimeoutMs : Infinity, frameTimeoutMs > 0 ? frameTimeoutMs : Infinity);
    this.sweepIntervalMs = Math.max(minSweepIntervalMs, Math.min(maxSweepIntervalMs, Math.floor(shortest / 4)));
  }

  get size(): number {
    return this.connections.size;
  }

  /**
   * Room for one more connection: true when below the limit, or after closing the connection
   * `chooseVictim` picks (reported through `onEvict` before it is closed); false when every open
   * connection is busy.
   */
  makeRoom(onEvict: (victim: C) => void): boolean {
    if (this.connections.size < this.options.maxConnections) return true;
    const victim = this.chooseVictim(this.now());
    if (victim === undefined) return false;
    onEvict(victim);
    this.delete(victim);
    victim.close();
    return true;
  }

  add(connection: C): void {
    this.connections.add(connection);
    if (this.timer === undefined && (this.options.idleTimeoutMs > 0 || this.options.frameTimeoutMs > 0)) {
      this.timer = setInterval(() => this.sweep(), this.sweepIntervalMs);
      this.timer.unref();
    }
  }

  delete(connection: C): void {
    this.connections.delete(connection);
    if (this.connections.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Closes connections past their frame or idle timeout (called by the sweep timer; tests may call it). */
  sweep(nowMs = this.now()): void {
    const { idleTimeoutMs, frameTimeoutMs } = this.options;
    for (const connection of this.connections) {
      if (frameTimeoutMs > 0 && nowMs - connection.partialSinceMs >= frameTimeoutMs) {
        this.delete(connection);
        this.options.onFrameTimeout(connection);
        connection.close();
        continue;
      }
      if (idleTimeoutMs > 0 && nowMs - lastActivityMs(connection) >= idleTimeoutMs) {
        this.delete(connection);
        this.options.onIdle(connection);
        connection.close();
      }
    }
  }

  /** The connection to close to admit a new one, or undefined when all are busy. */
  chooseVictim(nowMs: number): C | undefined {
    let slowest: C | undefined;
    let silent: C | undefined;
    let idlest: C | undefined;
    for (const connection of this.connections) {
      if (connection.partialSinceMs < (slowest?.partialSinceMs ?? Infinity)) slowest = connection;
      if (Number.isNaN(connection.lastRequestAtMs)) {
        if (connection.connectedAtMs < (silent?.connectedAtMs ?? Infinity)) silent = connection;
      } else if (connection.lastRequestAtMs < (idlest?.lastRequestAtMs ?? Infinity)) {
        idlest = connection;
      }
    }
    if (slowest !== undefined) return slowest;
    if (silent !== undefined) return silent;
    if (idlest !== undefined && nowMs - idlest.lastRequestAtMs >= this.options.evictionGraceMs) return idlest;
    return undefined;
  }
}

function lastActivityMs(connection: WatchedConnection): number {
  return Number.isNaN(connection.lastRequestAtMs) ? connection.connectedAtMs : connection.lastRequestAtMs;
}
