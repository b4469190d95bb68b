/** Calling a ModbusDevice directly in unit tests: the exception a call raises, register words built by hand. */
import { ModbusError } from '../../src/modbus/exception.js';

/** The Modbus exception code `action` throws, or undefined when it succeeds. */
export function exceptionOf(action: () => void): number | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof ModbusError) return error.code;
    throw error;
  }
  return undefined;
}

/** 16-bit register values as the big-endian bytes of a write. */
export function words(...values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setUint16(2 * i, v));
  return bytes;
}

/** A float32 as the two big-endian registers (ABCD) of a write. */
export function f32Words(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setFloat32(0, value);
  return bytes;
}
