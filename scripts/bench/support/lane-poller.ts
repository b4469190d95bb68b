/**
 * A lean Modbus TCP load generator for the fleet benchmark: raw sockets, `lanes` requests in
 * flight (one per lane), no promise or timer per request. On this 2-core machine the poller shares
 * the CPU with the server it measures; submeter's own ModbusClient (a promise and a timeout per
 * request) cost ~37 us of CPU a poll, which the server then could not have.
 *
 * Connections: `connectionsPerPort` to every port, lane i writing to connection i mod that number.
 * With 1 (the default, as a head-end keeps one connection per gateway), two lanes that draw the
 * same port at once send both requests on its one connection (Modbus/TCP pipelining: answers are
 * matched by transaction id). With as many connections per port as lanes, every lane has its own
 * connection to every port and a connection never has two requests out.
 *
 * Frames are cut and sealed by the project's MBAP framing (src/modbus/framing). Every answer is
 * checked as a client would: the transaction id of a request in flight on that connection, the
 * unit echoed, function 04, the byte count, and a finite float32 in the registers (big-endian
 * words). Anything else (an exception, a short or foreign answer, no answer within the timeout)
 * counts as unanswered.
 */
import { connect, type Socket } from 'node:net';
import { LengthInvalid, NeedMoreBytes } from '../../../src/modbus/framing/length-result.js';
import { MbapHeaderLength, mbapFraming } from '../../../src/modbus/framing/mbap-framing.js';

export interface PollTarget {
  readonly port: number;
  readonly unit: number;
}

export interface LaneLoad {
  requests: number;
  answered: number;
  seconds: number;
  /** Per answered request (ms), unsorted. */
  latencies: number[];
}

/** An answer frame and the connection it came on, handed to whoever waits for its transaction id. */
type AnswerHandler = (frame: Buffer, from: PoolSocket) => void;

/** One TCP connection of the pool. */
interface PoolSocket {
  readonly socket: Socket;
  /** Bytes received and not yet consumed (an answer may arrive in pieces). */
  pending: Buffer;
  /** The server closed it (a request on it then counts as unanswered at once). */
  closed: boolean;
}

/** The poller's connections: per port, `connectionsPerPort` of them. */
export interface Pool {
  readonly sockets: ReadonlyMap<number, readonly PoolSocket[]>;
  /** Who waits for which transaction id (16 bits); set by pollLanes. */
  readonly waiting: (AnswerHandler | undefined)[];
}

async function openSocket(port: number, waiting: (AnswerHandler | undefined)[]): Promise<PoolSocket> {
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const entry: PoolSocket = { socket, pending: Buffer.alloc(0), closed: false };
  socket.on('data', (chunk: Buffer) => {
    entry.pending = entry.pending.length === 0 ? chunk : Buffer.concat([entry.pending, chunk]);
    for (;;) {
      const frameLength = mbapFraming.responseLength(entry.pending, 0, entry.pending.length);
      if (frameLength === LengthInvalid) {
        // Not Modbus/TCP: the connection is useless from here on (its requests count unanswered).
        entry.closed = true;
        socket.destroy();
        break;
      }
      if (frameLength === NeedMoreBytes || entry.pending.length < frameLength) break;
      const frame = entry.pending.subarray(0, frameLength);
      entry.pending = entry.pending.subarray(frameLength);
      const id = frame.readUInt16BE(0);
      const handler = waiting[id];
      waiting[id] = undefined;
      handler?.(frame, entry);
    }
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    entry.closed = true;
  });
  return entry;
}

export async function openPool(ports: readonly number[], connectionsPerPort: number): Promise<Pool> {
  const waiting: (AnswerHandler | undefined)[] = new Array<AnswerHandler | undefined>(0x10000).fill(undefined);
  const sockets = new Map<number, PoolSocket[]>();
  for (const port of ports) {
    const list: PoolSocket[] = [];
    for (let i = 0; i < connectionsPerPort; i += 1) list.push(await openSocket(port, waiting));
    sockets.set(port, list);
  }
  return { sockets, waiting };
}

export function closePool(pool: Pool): void {
  for (const list of pool.sockets.values()) for (const { socket } of list) socket.destroy();
}

/**
 * Each of `lanes` lanes asks, one request at a time, for `quantity` input registers at `address`
 * of the target `next` gives, until it gives none or `seconds` have passed.
 */
export function pollLanes(
  pool: Pool,
  lanes: number,
  next: () => PollTarget | undefined,
  seconds: number,
  address: number,
  quantity: number,
  timeoutMs = 5000,
): Promise<LaneLoad> {
  const result: LaneLoad = { requests: 0, answered: 0, seconds: 0, latencies: [] };
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  let transaction = 0;
  return new Promise((resolve) => {
    let running = lanes;
    const sentAt = new Float64Array(lanes).fill(NaN);
    const inFlight = new Int32Array(lanes).fill(-1);
    const finish = (): void => {
      running -= 1;
      if (running > 0) return;
      clearInterval(watchdog);
      result.seconds = (performance.now() - t0) / 1000;
      resolve(result);
    };
    const send = (lane: number): void => {
      inFlight[lane] = -1;
      const target = performance.now() < until ? next() : undefined;
      if (target === undefined) {
        sentAt[lane] = NaN;
        finish();
        return;
      }
      const list = pool.sockets.get(target.port);
      if (list === undefined) throw new Error(`no connection to port ${target.port}`);
      const entry = list[lane % list.length] as PoolSocket;
      if (entry.closed) {
        result.requests += 1;
        sentAt[lane] = performance.now();
        setImmediate(() => send(lane));
        return;
      }
      transaction = (transaction + 1) & 0xffff;
      const id = transaction;
      const frame = Buffer.allocUnsafe(MbapHeaderLength + 5);
      frame[MbapHeaderLength] = 0x04;
      frame.writeUInt16BE(address, MbapHeaderLength + 1);
      frame.writeUInt16BE(quantity, MbapHeaderLength + 3);
      mbapFraming.seal(frame, 0, 5, target.unit, id);
      result.requests += 1;
      const sent = performance.now();
      sentAt[lane] = sent;
      inFlight[lane] = id;
      pool.waiting[id] = (answer, from) => {
        const ok =
          from === entry &&
          answer.length === 9 + 2 * quantity &&
          answer[6] === target.unit &&
          answer[7] === 0x04 &&
          answer[8] === 2 * quantity &&
          Number.isFinite(answer.readFloatBE(9));
        if (ok) {
          result.answered += 1;
          result.latencies.push(performance.now() - sent);
        }
        send(lane);
      };
      entry.socket.write(frame);
    };
    // A request without an answer for timeoutMs: counted as unanswered (a late answer finds no one
    // waiting for its id), the lane goes on.
    const watchdog = setInterval(() => {
      const now = performance.now();
      for (let lane = 0; lane < lanes; lane += 1) {
        if (!(now - (sentAt[lane] as number) > timeoutMs)) continue;
        const id = inFlight[lane] as number;
        if (id >= 0) pool.waiting[id] = undefined;
        send(lane);
      }
    }, 250);
    for (let lane = 0; lane < lanes; lane += 1) send(lane);
  });
}
