/** A server answered with a Modbus exception (function code | 0x80, exception code). */
const names: Record<number, string> = {
  0x01: 'illegal function',
  0x02: 'illegal data address',
  0x03: 'illegal data value',
  0x04: 'server device failure',
  0x05: 'acknowledge',
  0x06: 'server device busy',
  0x08: 'memory parity error',
  0x0a: 'gateway path unavailable',
  0x0b: 'gateway target device failed to respond',
};

export class ModbusExceptionResponse extends Error {
  constructor(
    readonly functionCode: number,
    readonly exceptionCode: number,
  ) {
    const hex = exceptionCode.toString(16).padStart(2, '0');
    super(`exception ${hex} (${names[exceptionCode] ?? 'unknown'}) to function ${functionCode}`);
    this.name = 'ModbusExceptionResponse';
  }
}
