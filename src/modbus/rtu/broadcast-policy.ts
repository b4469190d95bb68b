import { FunctionCode } from '../pdu/function-code.js';

/** Unit id 0 on a serial line: every server executes the request and none answers. */
export const BroadcastUnitId = 0;
/** Highest unit id a server may have on a serial line (248..255 are reserved). */
export const MaxSerialUnitId = 247;

/**
 * Whether a broadcast request is executed. The serial line specification allows broadcast only for
 * requests that change something (writes, and diagnostics such as clear counters or force listen
 * only); a broadcast read has no one to answer it and is ignored, as libmodbus ignores it.
 */
export function isExecutedWhenBroadcast(functionCode: number): boolean {
  switch (functionCode) {
    case FunctionCode.WriteSingleCoil:
    case FunctionCode.WriteSingleRegister:
    case FunctionCode.WriteMultipleCoils:
    case FunctionCode.WriteMultipleRegisters:
    case FunctionCode.MaskWriteRegister:
    case FunctionCode.Diagnostics:
      return true;
    default:
      return false;
  }
}
