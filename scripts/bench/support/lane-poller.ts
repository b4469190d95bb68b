/**
 * A lean Modbus TCP load generator for the fleet benchmark: raw sockets, one request at a time per
 * lane, no promise or timer per request. On this 2-core machine the poller shares the CPU with the
 * server it measures; submeter's own ModbusClient (a promise and a timeout per request) cost
 * ~37 us of CPU a poll, which the server then could not have. This one costs about half of that.
 *
 * Frames are cut and sealed by the project's MBAP framing (src/modbus/framing). Every answer is
 * checked as a client would: the transaction id and unit echoed, function 04, the byte count, and
 * a finite float32 in the registers (big-endian words). Anything else (an exception, a short or
 * foreign answer, no answer within the timeout) counts as unanswered.
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

/** One TCP connection of a lane; only its lane writes to it, so it has at most one request out. */
interface LaneSocket {
  readonly socket: Socket;
  /** Bytes received and not yet consumed (an answer may arrive in pieces). */
  pending: Buffer;
  onAnswer: ((frame: Buffer) => void) | undefined;
  /** The server closed it (a request on it then counts as unanswered at once). */
  closed: boolean;
}

/** A lane: its own connection to every port, and one request in flight at most. */
export type Lane = Map<number, LaneSocket>;

export async function openLane(ports: readonly number[]): Promise<Lane> {
  const lane: Lane = new Map();
  for (const port of ports) {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const entry: LaneSocket = { socket, pending: Buffer.alloc(0), onAnswer: undefined, closed: false };
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
        const answer = entry.onAnswer;
        entry.onAnswer = undefined;
        answer?.(frame);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      entry.closed = true;
    });
    lane.set(port, entry);
  }
  return lane;
}

export function closeLane(lane: Lane): void {
  for (const { socket } of lane.values()) socket.destroy();
}

/**
 * Every lane asks, one request at a time, for `quantity` input registers at `address` of the
 * target `next` gives, until it gives none or `seconds` have passed.
 */
export function pollLanes(
  lanes: readonly Lane[],
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
    let running = lanes.length;
    const sentAt = new Float64Array(lanes.length).fill(NaN);
    const finish = (): void => {
      running -= 1;
      if (running > 0) return;
      clearInterval(watchdog);
      result.seconds = (performance.now() - t0) / 1000;
      resolve(result);
    };
    const send = (laneIndex: number): void => {
      const lane = lanes[laneIndex] as Lane;
      const target = performance.now() < until ? next() : undefined;
      if (target === undefined) {
        sentAt[laneIndex] = NaN;
        finish();
        return;
      }
      const entry = lane.get(target.port);
      if (entry === undefined) throw new Error(`no connection to port ${target.port}`);
      if (entry.closed) {
        result.requests += 1;
        sentAt[laneIndex] = performance.now();
        setImmediate(() => send(laneIndex));
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
      sentAt[laneIndex] = sent;
      entry.onAnswer = (answer) => {
        const ok =
          answer.length === 9 + 2 * quantity &&
          answer.readUInt16BE(0) === id &&
          answer[6] === target.unit &&
          answer[7] === 0x04 &&
          answer[8] === 2 * quantity &&
          Number.isFinite(answer.readFloatBE(9));
        if (ok) {
          result.answered += 1;
          result.latencies.push(performance.now() - sent);
        }
        send(laneIndex);
      };
      entry.socket.write(frame);
    };
    // A request without an answer for timeoutMs: counted as unanswered, the lane goes on.
    const watchdog = setInterval(() => {
      const now = performance.now();
      lanes.forEach((lane, i) => {
        const sent = sentAt[i] as number;
        if (!(now - sent > timeoutMs)) return;
        for (const entry of lane.values()) entry.onAnswer = undefined;
        send(i);
      });
    }, 250);
    lanes.forEach((_, i) => send(i));
  });
}
