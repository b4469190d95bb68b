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
}

/** A context for a transport without serial-line functions (Modbus/TCP). */
export const tcpContext: RequestContext = Object.freeze({});
