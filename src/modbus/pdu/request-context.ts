import type { SerialDiagnostics } from '../serial-diagnostics.js';

/**
 * What the transport tells the protocol core about a request, beyond its PDU. A transport keeps
 * one mutable context and sets `broadcast` per request (no allocation per request).
 */
export interface RequestContext {
  /**
   * Serial-line diagnostics (counters, listen-only flag). When present, FC08 diagnostics is served
   * and counters are maintained; when absent (TCP), FC08 answers exception 01.
   */
  diagnostics?: SerialDiagnostics | undefined;
  /** Serve FC17 report server id (a serial-line function). When false it answers exception 01. */
  reportServerId?: boolean | undefined;
  /** The request was broadcast (serial unit 0): it is executed but never answered. */
  broadcast?: boolean | undefined;
  /**
   * The client session the request belongs to: a Modbus/TCP connection's number. Undefined on a
   * serial bus (RTU, RTU over TCP), where every master shares the one bus, as on a real meter's
   * RS485 port. A device keeps per-session state (a password unlock) by it.
   */
  session?: number | undefined;
}

/** A context for a transport without serial-line functions (Modbus/TCP). */
export const tcpContext: RequestContext = Object.freeze({});
