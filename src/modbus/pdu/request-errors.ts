import { ExceptionCode, ModbusError } from '../exception.js';

/** 03: the request's quantity or byte count is out of range or does not match its length. */
export function illegalDataValue(why: string): ModbusError {
  return new ModbusError(ExceptionCode.IllegalDataValue, why);
}

/** 02: start address + quantity runs past 0xFFFF, before the device is even asked. */
export function illegalDataAddress(why: string): ModbusError {
  return new ModbusError(ExceptionCode.IllegalDataAddress, why);
}

/** 01: function (or sub-function) not supported here. */
export function illegalFunction(why: string): ModbusError {
  return new ModbusError(ExceptionCode.IllegalFunction, why);
}

/** Throws 03 unless the request PDU is exactly `expected` bytes long. */
export function expectLength(length: number, expected: number, what: string): void {
  if (length !== expected) throw illegalDataValue(`${what}: PDU is ${length} bytes, expected ${expected}`);
}

/** Throws 02 when [address, address + quantity) leaves the 16-bit address space. */
export function expectAddressSpace(address: number, quantity: number): void {
  if (address + quantity > 0x10000) throw illegalDataAddress(`address ${address} + quantity ${quantity} exceeds 65536`);
}
