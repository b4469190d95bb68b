import type { RequestContext } from './pdu/request-context.js';

/**
 * The seam between the protocol and whatever it serves. src/modbus knows nothing about meters:
 * it serves ModbusDevice objects by unit id. A device answers reads and writes of the four tables
 * and its identification objects.
 *
 * Errors: throw ModbusError(code) for an exception answer (02 address, 03 value, 04 failure, 06 busy);
 * any other thrown error becomes 04. Quantity limits of the specification (1..125 registers etc.)
 * are checked by the protocol before the device is called; the device checks addresses.
 *
 * Consistency: a multi-register read must copy from one consistent image (never tear a float
 * between its two words). Methods are synchronous so a request is answered from one snapshot.
 */
export interface ModbusDevice {
  /** Copy `quantity` registers starting at `address` as big-endian words into target[offset..]. */
  readHoldingRegisters(address: number, quantity: number, target: Uint8Array, offset: number): void;
  readInputRegisters(address: number, quantity: number, target: Uint8Array, offset: number): void;
  /** Pack `quantity` bits LSB-first into target[offset..] (ceil(quantity/8) bytes, already zeroed). */
  readCoils(address: number, quantity: number, target: Uint8Array, offset: number): void;
  readDiscreteInputs(address: number, quantity: number, target: Uint8Array, offset: number): void;
  /** `values` holds quantity big-endian words (values.length === 2 * quantity). */
  writeHoldingRegisters(address: number, values: Uint8Array): void;
  /** `packed` holds `quantity` bits LSB-first. */
  writeCoils(address: number, quantity: number, packed: Uint8Array): void;
  /**
   * Device identification objects for FC43/14: object id -> value (0x00 VendorName,
   * 0x01 ProductCode, 0x02 MajorMinorRevision mandatory; 0x03..0x06 regular; 0x80.. extended).
   */
  identification(): ReadonlyMap<number, string | Uint8Array>;
  /** FC17 report server id: the device-specific server id bytes (run indicator is added by the protocol). */
  serverId?(): Uint8Array;
  /**
   * Called before each request is served, with the transport's context (its `session` says which
   * TCP connection or serial bus it came from). Requests are served synchronously, so the device
   * may keep the context until the next call.
   */
  beginRequest?(context: RequestContext): void;
}
