/**
 * A small Modbus client over any ClientTransport: reads and writes of the four tables, with the
 * response checked against the request (function code, byte count) and exceptions raised as
 * ModbusExceptionResponse. Used by `submeter read`; independent of the server code.
 */
import type { ClientTransport } from './client-transport.js';
import { ModbusExceptionResponse } from './modbus-exception-response.js';

export interface ModbusClientOptions {
  /** Unit id addressed (default 1). */
  unitId?: number;
  /** Per-request timeout (ms, default 1000). */
  timeoutMs?: number;
}

export class ModbusProtocolError extends Error {
  override readonly name = 'ModbusProtocolError';
}

export class ModbusClient {
  unitId: number;
  timeoutMs: number;

  constructor(
    readonly transport: ClientTransport,
    options: ModbusClientOptions = {},
  ) {
    this.unitId = options.unitId ?? 1;
    this.timeoutMs = options.timeoutMs ?? 1000;
  }

  /** FC03: `quantity` registers as big-endian bytes (2 per register). */
  readHoldingRegisters(address: number, quantity: number): Promise<Uint8Array> {
    return this.readRegisters(0x03, address, quantity);
  }

  /** FC04: `quantity` registers as big-endian bytes (2 per register). */
  readInputRegisters(address: number, quantity: number): Promise<Uint8Array> {
    return this.readRegisters(0x04, address, quantity);
  }

  /** FC01. */
  readCoils(address: number, quantity: number): Promise<boolean[]> {
    return this.readBits(0x01, address, quantity);
  }

  /** FC02. */
  readDiscreteInputs(address: number, quantity: number): Promise<boolean[]> {
    return this.readBits(0x02, address, quantity);
  }

  /** FC16 (words as big-endian bytes, 2 per register). */
  async writeRegisters(address: number, bytes: Uint8Array): Promise<void> {
    const quantity = bytes.length >> 1;
    checkRange(address, quantity, 123);
    const pdu = new Uint8Array(6 + quantity * 2);
    pdu[0] = 0x10;
    writeU16(pdu, 1, address);
    writeU16(pdu, 3, quantity);
    pdu[5] = quantity * 2;
    pdu.set(bytes.subarray(0, quantity * 2), 6);
    const response = await this.exchange(pdu);
    if (response.length !== 5 || readU16(response, 1) !== address || readU16(response, 3) !== quantity) {
      throw new ModbusProtocolError(`write multiple registers: unexpected answer (${response.length} bytes)`);
    }
  }

  /** FC05. */
  async writeCoil(address: number, value: boolean): Promise<void> {
    const pdu = Uint8Array.of(0x05, address >> 8, address & 0xff, value ? 0xff : 0, 0);
    const response = await this.exchange(pdu);
    if (response.length !== 5) throw new ModbusProtocolError(`write single coil: unexpected answer (${response.length} bytes)`);
  }

  /** Sends a raw request PDU; resolves with the response PDU (exceptions raised). */
  async exchange(pdu: Uint8Array): Promise<Uint8Array> {
    const response = await this.transport.request(this.unitId, pdu, this.timeoutMs);
    const functionCode = response[0];
    if (functionCode === undefined) throw new ModbusProtocolError('empty answer');
    if (functionCode === ((pdu[0] ?? 0) | 0x80)) throw new ModbusExceptionResponse(pdu[0] ?? 0, response[1] ?? 0);
    if (functionCode !== pdu[0]) throw new ModbusProtocolError(`answer for function ${functionCode}, asked ${pdu[0] ?? '?'}`);
    return response;
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private async readRegisters(functionCode: number, address: number, quantity: number): Promise<Uint8Array> {
    checkRange(address, quantity, 125);
    const response = await this.exchange(Uint8Array.of(functionCode, address >> 8, address & 0xff, quantity >> 8, quantity & 0xff));
    if (response[1] !== quantity * 2 || response.length !== 2 + quantity * 2) {
      throw new ModbusProtocolError(`read of ${quantity} registers answered with ${response[1] ?? 0} bytes`);
    }
    return response.slice(2);
  }

  private async readBits(functionCode: number, address: number, quantity: number): Promise<boolean[]> {
    checkRange(address, quantity, 2000);
    const response = await this.exchange(Uint8Array.of(functionCode, address >> 8, address & 0xff, quantity >> 8, quantity & 0xff));
    const byteCount = Math.ceil(quantity / 8);
    if (response[1] !== byteCount || response.length !== 2 + byteCount) throw new ModbusProtocolError(`read of ${quantity} bits answered with ${response[1] ?? 0} bytes`);
    const bits: boolean[] = [];
    for (let i = 0; i < quantity; i += 1) bits.push((((response[2 + (i >> 3)] ?? 0) >> (i & 7)) & 1) === 1);
    return bits;
  }
}

function checkRange(address: number, quantity: number, max: number): void {
  if (!Number.isInteger(address) || address < 0 || address > 0xffff) throw new RangeError(`address ${address} is outside 0..65535`);
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > max || address + quantity > 0x10000) {
    throw new RangeError(`quantity ${quantity} at ${address} is outside 1..${max} or past 65535`);
  }
}

function readU16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

function writeU16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >> 8) & 0xff;
  bytes[at + 1] = value & 0xff;
}
