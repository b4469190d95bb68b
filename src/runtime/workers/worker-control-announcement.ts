/**
 * How a worker of `serve --workers N` tells its primary where its own control API listens: one
 * IPC message `{ type: 'submeter-worker-control', url, token }` after its panel has started. The
 * worker binds its API to 127.0.0.1 on a free port and protects it with a random secret made for
 * this run, so only the primary (which received the secret over the IPC channel) can use it.
 */
import { randomBytes } from 'node:crypto';

export interface WorkerControlAnnouncement {
  readonly type: 'submeter-worker-control';
  /** The worker's control API, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  /** The bearer token it requires. */
  readonly token: string;
}

/** A random per-run secret for a worker's loopback control API (256 bits, hex). */
export function newWorkerSecret(): string {
  return randomBytes(32).toString('hex');
}

export function isWorkerControlAnnouncement(message: unknown): message is WorkerControlAnnouncement {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return m.type === 'submeter-worker-control' && typeof m.url === 'string' && typeof m.token === 'string';
}

/** In a worker: tell the primary where this worker's control API is (no-op without an IPC channel). */
export function announceWorkerControl(url: string, token: string): void {
  const announcement: WorkerControlAnnouncement = { type: 'submeter-worker-control', url, token };
  process.send?.(announcement);
}
