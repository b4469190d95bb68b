/**
 * Serial-line diagnostics state (FC08): the counters and the listen-only flag of one serial port.
 * The serial transport owns one instance and passes it in the RequestContext; the protocol core
 * counts what it sees (server messages, exceptions, no-response, busy, NAK), the transport counts
 * what only it sees (bus messages, CRC errors, character overruns).
 */
export class SerialDiagnostics {
  /** 0B: messages detected on the bus (any address, good CRC). Transport. */
  busMessageCount = 0;
  /** 0C: CRC errors and other framing errors. Transport. */
  busCommunicationErrorCount = 0;
  /** 0D: exception responses returned. Core. */
  busExceptionErrorCount = 0;
  /** 0E: messages addressed to this server, or broadcast. Core. */
  serverMessageCount = 0;
  /** 0F: addressed messages not answered (broadcast, listen only). Core. */
  serverNoResponseCount = 0;
  /** 10: exception 07 (NAK) responses. Core. */
  serverNakCount = 0;
  /** 11: exception 06 (busy) responses. Core. */
  serverBusyCount = 0;
  /** 12: characters lost because they arrived faster than they could be stored. Transport. */
  busCharacterOverrunCount = 0;
  /** 02: the 16-bit diagnostic register (device specific; 0 unless a transport sets bits). */
  diagnosticRegister = 0;
  /** 04 force listen only mode: nothing is answered until 01 restart communications. */
  listenOnly = false;
  /** Called by 01 restart communications (after counters are cleared), e.g. to reinitialise the port. */
  onRestart: ((clearEventLog: boolean) => void) | undefined;

  /** 0A (and 01): clear all counters and the diagnostic register. */
  clearCounters(): void {
    this.busMessageCount = 0;
    this.busCommunicationErrorCount = 0;
    this.busExceptionErrorCount = 0;
    this.serverMessageCount = 0;
    this.serverNoResponseCount = 0;
    this.serverNakCount = 0;
    this.serverBusyCount = 0;
    this.busCharacterOverrunCount = 0;
    this.diagnosticRegister = 0;
  }

  /** 01 restart communications option: leave listen-only mode, clear counters. */
  restart(clearEventLog: boolean): void {
    this.listenOnly = false;
    this.clearCounters();
    this.onRestart?.(clearEventLog);
  }
}
