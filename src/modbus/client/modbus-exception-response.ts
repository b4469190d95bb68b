/** A server answered with a Modbus exception (function code | 0x80, exception code). */
import { exceptionName } from '../exception.js';

export class ModbusExceptionResponse extends Error {
  constructor(
    readonly functionCode: number,
    readonly exceptionCode: number,
  ) {
    const hex = exceptionCode.toString(16).padStart(2, '0');
    super(`exception ${hex} (${exceptionName(exceptionCode) ?? 'unknown'}) to function ${functionCode}`);
    this.name = 'ModbusExceptionResponse';
  }
}
