import type { SerialDiagnostics } from '../serial-diagnostics.js';
import { readU16, writeU16 } from './pdu-bytes.js';
import { illegalDataValue, illegalFunction } from './request-errors.js';

/** FC08 sub-function codes served (spec 6.8). */
export const DiagnosticsSubFunction = {
  ReturnQueryData: 0x00,
  RestartCommunications: 0x01,
  ReturnDiagnosticRegister: 0x02,
  ForceListenOnly: 0x04,
  ClearCounters: 0x0a,
  BusMessageCount: 0x0b,
  BusCommunicationErrorCount: 0x0c,
  BusExceptionErrorCount: 0x0d,
  ServerMessageCount: 0x0e,
  ServerNoResponseCount: 0x0f,
  ServerNakCount: 0x10,
  ServerBusyCount: 0x11,
  BusCharacterOverrunCount: 0x12,
  ClearOverrunCounter: 0x14,
} as const;

function counterValue(diagnostics: SerialDiagnostics, subFunction: number): number | undefined {
  switch (subFunction) {
    case DiagnosticsSubFunction.ReturnDiagnosticRegister: return diagnostics.diagnosticRegister;
    case DiagnosticsSubFunction.BusMessageCount: return diagnostics.busMessageCount;
    case DiagnosticsSubFunction.BusCommunicationErrorCount: return diagnostics.busCommunicationErrorCount;
    case DiagnosticsSubFunction.BusExceptionErrorCount: return diagnostics.busExceptionErrorCount;
    case DiagnosticsSubFunction.ServerMessageCount: return diagnostics.serverMessageCount;
    case DiagnosticsSubFunction.ServerNoResponseCount: return diagnostics.serverNoResponseCount;
    case DiagnosticsSubFunction.ServerNakCount: return diagnostics.serverNakCount;
    case DiagnosticsSubFunction.ServerBusyCount: return diagnostics.serverBusyCount;
    case DiagnosticsSubFunction.BusCharacterOverrunCount: return diagnostics.busCharacterOverrunCount;
    default: return undefined;
  }
}

/**
 * FC08 diagnostics. Request: fc, sub-function (2 bytes), data. Returns the response length, or 0
 * when no response must be sent (04 force listen only; 01 is answered). Unsupported sub-function
 * (or no serial diagnostics in this context) is 01; a data field other than the specified one is 03.
 * Counters wrap at 16 bits in the response.
 */
export function diagnostics(
  state: SerialDiagnostics | undefined,
  request: Uint8Array,
  start: number,
  length: number,
  response: Uint8Array,
  responseOffset: number,
): number {
  if (state === undefined) throw illegalFunction('diagnostics is a serial-line function');
  if (length < 3) throw illegalDataValue(`diagnostics: PDU is ${length} bytes, at least 3 expected`);
  const subFunction = readU16(request, start + 1);

  if (subFunction === DiagnosticsSubFunction.ReturnQueryData) {
    response.set(request.subarray(start, start + length), responseOffset);
    return length;
  }
  if (
    subFunction !== DiagnosticsSubFunction.RestartCommunications &&
    subFunction !== DiagnosticsSubFunction.ForceListenOnly &&
    subFunction !== DiagnosticsSubFunction.ClearCounters &&
    subFunction !== DiagnosticsSubFunction.ClearOverrunCounter &&
    counterValue(state, subFunction) === undefined
  ) {
    throw illegalFunction(`diagnostics: sub-function 0x${subFunction.toString(16)} not supported`);
  }
  if (length !== 5) throw illegalDataValue(`diagnostics: PDU is ${length} bytes, expected 5`);
  const data = readU16(request, start + 3);

  switch (subFunction) {
    case DiagnosticsSubFunction.RestartCommunications: {
      if (data !== 0x0000 && data !== 0xff00) throw illegalDataValue('restart communications: data must be 0x0000 or 0xFF00');
      const wasListenOnly = state.listenOnly;
      state.restart(data === 0xff00);
      if (wasListenOnly) return 0; // leaving listen-only mode is not answered (spec 6.8.1 sub-function 01)
      response.set(request.subarray(start, start + 5), responseOffset);
      return 5;
    }
    case DiagnosticsSubFunction.ForceListenOnly:
      if (data !== 0x0000) throw illegalDataValue('force listen only: data must be 0x0000');
      state.listenOnly = true;
      return 0;
    case DiagnosticsSubFunction.ClearCounters:
    case DiagnosticsSubFunction.ClearOverrunCounter:
      if (data !== 0x0000) throw illegalDataValue('clear counters: data must be 0x0000');
      if (subFunction === DiagnosticsSubFunction.ClearCounters) state.clearCounters();
      else state.busCharacterOverrunCount = 0;
      response.set(request.subarray(start, start + 5), responseOffset);
      return 5;
    default: {
      if (data !== 0x0000) throw illegalDataValue(`diagnostics 0x${subFunction.toString(16)}: data must be 0x0000`);
      const value = counterValue(state, subFunction) ?? 0;
      response[responseOffset] = 0x08;
      writeU16(response, responseOffset + 1, subFunction);
      writeU16(response, responseOffset + 3, value & 0xffff);
      return 5;
    }
  }
}
