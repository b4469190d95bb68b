/** Modbus exception codes (Modbus Application Protocol V1.1b3, section 7). */
export const ExceptionCode = {
  IllegalFunction: 0x01,
  IllegalDataAddress: 0x02,
  IllegalDataValue: 0x03,
  ServerDeviceFailure: 0x04,
  Acknowledge: 0x05,
  ServerDeviceBusy: 0x06,
  MemoryParityError: 0x08,
  GatewayPathUnavailable: 0x0a,
  GatewayTargetFailedToRespond: 0x0b,
} as const;

export type ExceptionCode = (typeof ExceptionCode)[keyof typeof ExceptionCode];

/** The one table of exception names (lower case, as logs and messages print them). */
export const exceptionNames: Readonly<Record<ExceptionCode, string>> = {
  [ExceptionCode.IllegalFunction]: 'illegal function',
  [ExceptionCode.IllegalDataAddress]: 'illegal data address',
  [ExceptionCode.IllegalDataValue]: 'illegal data value',
  [ExceptionCode.ServerDeviceFailure]: 'server device failure',
  [ExceptionCode.Acknowledge]: 'acknowledge',
  [ExceptionCode.ServerDeviceBusy]: 'server device busy',
  [ExceptionCode.MemoryParityError]: 'memory parity error',
  [ExceptionCode.GatewayPathUnavailable]: 'gateway path unavailable',
  [ExceptionCode.GatewayTargetFailedToRespond]: 'gateway target device failed to respond',
};

/** The name of exception `code`, or undefined for a code the specification does not define. */
export function exceptionName(code: number): string | undefined {
  return Object.hasOwn(exceptionNames, code) ? exceptionNames[code as ExceptionCode] : undefined;
}

/**
 * Thrown by a ModbusDevice (or the request handler) to answer with a Modbus exception.
 * Any other error thrown by a device is answered with 04 (server device failure).
 */
export class ModbusError extends Error {
  constructor(
    readonly code: ExceptionCode,
    message?: string,
  ) {
    super(message ?? `Modbus exception 0x${code.toString(16).padStart(2, '0')}`);
    this.name = 'ModbusError';
  }
}
