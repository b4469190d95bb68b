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
