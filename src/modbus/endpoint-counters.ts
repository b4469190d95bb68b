/**
 * What an endpoint counts while it serves: requests by function code, exception answers by code,
 * connections, bytes each way, a histogram of request handling time, and injected comm faults.
 * The transports (TCP server, RTU link) write into it on the hot path, so it is plain numbers and
 * preallocated arrays: recording a request allocates nothing. Outputs (the /metrics page) read it.
 *
 * Handling time is from a complete request frame to its answer being framed, in the server: it
 * excludes the network, the RTU response delay and injected delays.
 */
import { performance } from 'node:perf_hooks';

/** Upper bounds (seconds) of the handling-time histogram buckets; one more bucket is +Inf. */
export const REQUEST_DURATION_BUCKETS_S: readonly number[] = [10e-6, 25e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 100e-3];

export class EndpointCounters {
  /** Requests by function code (index 0..255). */
  readonly requestsByFunction = new Float64Array(256);
  /** Exception answers by exception code (index 0..255). */
  readonly exceptionsByCode = new Float64Array(256);
  /** Handling time histogram: non-cumulative counts per bucket of REQUEST_DURATION_BUCKETS_S, then +Inf. */
  readonly durationBuckets = new Float64Array(REQUEST_DURATION_BUCKETS_S.length + 1);
  durationSumS = 0;
  requests = 0;
  bytesReceived = 0;
  bytesSent = 0;
  connectionsOpen = 0;
  connectionsAccepted = 0;
  connectionsRefused = 0;
  /** Requests a comm fault fired on (delay, silence, exception, mutation, disconnect). */
  faultsInjected = 0;

  /** A clock for `startMs` arguments (performance.now, milliseconds). */
  readonly now: () => number = () => performance.now();

  /**
   * One request answered: its function code, the response PDU's first two bytes (function code,
   * and the exception code when the function code has 0x80 set; responseFunction < 0 when no answer),
   * and when its handling began (this.now()).
   */
  request(functionCode: number, responseFunction: number, exceptionCode: number, startMs: number): void {
    this.requests += 1;
    this.requestsByFunction[functionCode & 0xff] += 1;
    if (responseFunction >= 0 && (responseFunction & 0x80) !== 0) this.exceptionsByCode[exceptionCode & 0xff] += 1;
    const seconds = (this.now() - startMs) / 1000;
    this.durationSumS += seconds;
    let bucket = 0;
    while (bucket < REQUEST_DURATION_BUCKETS_S.length && seconds > (REQUEST_DURATION_BUCKETS_S[bucket] ?? Number.POSITIVE_INFINITY)) bucket += 1;
    this.durationBuckets[bucket] += 1;
  }

  connected(): void {
    this.connectionsOpen += 1;
    this.connectionsAccepted += 1;
  }

  disconnected(): void {
    this.connectionsOpen -= 1;
  }
}
