/**
 * Communication faults: what a server can do wrong on the wire, described as data.
 * This layer knows frames and PDUs only (unit ids, function codes, MBAP and RTU framing), never
 * meters. A fault is scoped to an endpoint and/or a unit id and clears itself after a count of
 * firings or a time.
 */

/** Which requests a fault applies to. An absent field matches everything. */
export interface CommFaultScope {
  /** Endpoint name as the transport reports it, e.g. "tcp:127.0.0.1:1502" or "rtu:/dev/ttyUSB0". */
  endpoint?: string;
  /** Unit id (1..247, 0 broadcast, 255 TCP default). */
  unitId?: number;
  /** Only these function codes (e.g. [3, 4]). */
  functionCodes?: number[];
}

/** What the fault does to one exchange. */
export type CommFaultEffect =
  /** Answer late: delayMs plus a uniform jitter in [-jitterMs, +jitterMs] (never below 0). */
  | { kind: 'delay'; delayMs: number; jitterMs?: number }
  /** Do not answer at all (the client times out). The request is not executed. */
  | { kind: 'no-response' }
  /** Answer with this exception instead of executing the request (02, 04, 06 busy ...). */
  | { kind: 'exception'; code: number }
  /** Flip the CRC of the answer (RTU framing only; ignored on MBAP). */
  | { kind: 'corrupt-crc' }
  /** Send the answer without its last `bytes` bytes. */
  | { kind: 'truncate'; bytes: number }
  /** Append `bytes` extra bytes after the answer. */
  | { kind: 'extra-bytes'; bytes: number }
  /** Answer as another unit id (default: the request's + 1). RTU: the CRC is recomputed, so the frame is valid but foreign. */
  | { kind: 'wrong-unit-id'; unitId?: number }
  /** Answer with another MBAP transaction id (the request's + 1); MBAP framing only. */
  | { kind: 'wrong-transaction-id' }
  /** Close the connection instead of answering (TCP and RTU over TCP; on a serial line: no answer). */
  | { kind: 'disconnect' };

export type CommFaultKind = CommFaultEffect['kind'];

/** How long a fault lives. Absent fields: forever, every matching request. */
export interface CommFaultLifetime {
  /** Probability (0..1] that the fault fires on a matching request (default 1). */
  rate?: number;
  /** The fault clears itself after firing this many times ("the next N requests"). */
  count?: number;
  /** The fault clears itself this many ms after it was applied (policy clock). */
  durationMs?: number;
}

export type CommFaultSpec = CommFaultEffect & CommFaultLifetime & { scope?: CommFaultScope };

/** An active fault as the policy reports it. */
export interface ActiveCommFault {
  id: string;
  spec: CommFaultSpec;
  appliedAtMs: number;
  /** Times it has fired so far. */
  fired: number;
  /** When it clears by time (ms, policy clock), undefined when it has no duration. */
  expiresAtMs: number | undefined;
  /** Firings left, undefined when it has no count. */
  remaining: number | undefined;
}

/** A change to a frame's bytes, applied after the answer is built. */
export type FrameMutation =
  | { kind: 'corrupt-crc' }
  | { kind: 'truncate'; bytes: number }
  | { kind: 'extra-bytes'; bytes: number }
  | { kind: 'wrong-unit-id'; unitId: number }
  | { kind: 'wrong-transaction-id' };

/**
 * What the transport must do with one request. `undefined` from the policy means: no fault,
 * answer normally (the fast path).
 */
export interface CommFaultDecision {
  /** Wait this long before answering (0 = at once). */
  delayMs: number;
  /**
   * answer: execute and answer; silence: neither execute nor answer; exception: answer with
   * exceptionCode without executing; disconnect: close the connection without answering.
   */
  outcome: 'answer' | 'silence' | 'exception' | 'disconnect';
  exceptionCode: number;
  /** Mutations of the answer frame, in order. */
  mutations: FrameMutation[];
  /** Ids of the faults that fired (for logs and the control API). */
  firedFaultIds: string[];
}

/** What the transport tells the policy about one request. */
export interface CommRequestInfo {
  unitId: number;
  functionCode: number;
}
