import type { ModbusDevice } from './device.js';
import { ExceptionCode, ModbusError } from './exception.js';

/** An address range of one table: `count` entries starting at `start`. */
export interface AddressRange {
  start: number;
  count: number;
}

export interface MemoryDeviceOptions {
  holdingRegisters?: AddressRange;
  inputRegisters?: AddressRange;
  coils?: AddressRange;
  discreteInputs?: AddressRange;
  /** FC43/14 objects; defaults to vendor "submeter", product "memory-device", revision "1.0". */
  identification?: ReadonlyMap<number, string | Uint8Array>;
  /** FC17 server id bytes. */
  serverId?: Uint8Array;
}

const defaultRange: AddressRange = { start: 0, count: 10_000 };

function checkRange(range: AddressRange, table: string): void {
  if (!Number.isInteger(range.start) || !Number.isInteger(range.count) || range.start < 0 || range.count < 0 || range.start + range.count > 0x10000) {
    throw new RangeError(`memory device: ${table} range start ${range.start} count ${range.count} is outside 0..65536`);
  }
}

/** A table of 16-bit registers stored as one big-endian byte image, so a read is one memcpy. */
class RegisterTable {
  readonly image: Uint8Array;
  constructor(readonly range: AddressRange, readonly name: string) {
    checkRange(range, name);
    this.image = new Uint8Array(range.count * 2);
  }
  offsetOf(address: number, quantity: number): number {
    const index = address - this.range.start;
    if (index < 0 || index + quantity > this.range.count) {
      throw new ModbusError(ExceptionCode.IllegalDataAddress, `${this.name} ${address}..${address + quantity - 1} outside ${this.range.start}..${this.range.start + this.range.count - 1}`);
    }
    return index * 2;
  }
}

/** A table of bits, one byte (0/1) per bit. */
class BitTable {
  readonly bits: Uint8Array;
  constructor(readonly range: AddressRange, readonly name: string) {
    checkRange(range, name);
    this.bits = new Uint8Array(range.count);
  }
  indexOf(address: number, quantity: number): number {
    const index = address - this.range.start;
    if (index < 0 || index + quantity > this.range.count) {
      throw new ModbusError(ExceptionCode.IllegalDataAddress, `${this.name} ${address}..${address + quantity - 1} outside ${this.range.start}..${this.range.start + this.range.count - 1}`);
    }
    return index;
  }
  pack(address: number, quantity: number, target: Uint8Array, offset: number): void {
    const index = this.indexOf(address, quantity);
    for (let i = 0; i < quantity; i += 1) {
      if (this.bits[index + i] !== 0) target[offset + (i >>> 3)] |= 1 << (i & 7);
    }
  }
}

/**
 * An in-memory ModbusDevice: four tables with configurable address ranges (an access outside a
 * range is exception 02), writes update the tables. For tests, the demonstration server and
 * benchmarks. Reads copy from the byte image in one `set`, so they never tear.
 */
export class MemoryDevice implements ModbusDevice {
  private readonly holding: RegisterTable;
  private readonly input: RegisterTable;
  private readonly coilTable: BitTable;
  private readonly discreteTable: BitTable;
  private readonly objects: ReadonlyMap<number, string | Uint8Array>;
  private readonly serverIdBytes: Uint8Array | undefined;

  constructor(options: MemoryDeviceOptions = {}) {
    this.holding = new RegisterTable(options.holdingRegisters ?? defaultRange, 'holding registers');
    this.input = new RegisterTable(options.inputRegisters ?? defaultRange, 'input registers');
    this.coilTable = new BitTable(options.coils ?? defaultRange, 'coils');
    this.discreteTable = new BitTable(options.discreteInputs ?? defaultRange, 'discrete inputs');
    this.objects =
      options.identification ??
      new Map<number, string>([
        [0x00, 'submeter'],
        [0x01, 'memory-device'],
        [0x02, '1.0'],
      ]);
    this.serverIdBytes = options.serverId;
  }

  // --- ModbusDevice -------------------------------------------------------------------------

  readHoldingRegisters(address: number, quantity: number, target: Uint8Array, offset: number): void {
    const at = this.holding.offsetOf(address, quantity);
    target.set(this.holding.image.subarray(at, at + quantity * 2), offset);
  }

  readInputRegisters(address: number, quantity: number, target: Uint8Array, offset: number): void {
    const at = this.input.offsetOf(address, quantity);
    target.set(this.input.image.subarray(at, at + quantity * 2), offset);
  }

  readCoils(address: number, quantity: number, target: Uint8Array, offset: number): void {
    this.coilTable.pack(address, quantity, target, offset);
  }

  readDiscreteInputs(address: number, quantity: number, target: Uint8Array, offset: number): void {
    this.discreteTable.pack(address, quantity, target, offset);
  }

  writeHoldingRegisters(address: number, values: Uint8Array): void {
    const at = this.holding.offsetOf(address, values.length >>> 1);
    this.holding.image.set(values.subarray(0, values.length & ~1), at);
  }

  writeCoils(address: number, quantity: number, packed: Uint8Array): void {
    const index = this.coilTable.indexOf(address, quantity);
    for (let i = 0; i < quantity; i += 1) this.coilTable.bits[index + i] = (packed[i >>> 3] >>> (i & 7)) & 1;
  }

  identification(): ReadonlyMap<number, string | Uint8Array> {
    return this.objects;
  }

  serverId(): Uint8Array {
    return this.serverIdBytes ?? new TextEncoder().encode('submeter');
  }

  // --- direct access for tests, demos and benchmarks ----------------------------------------

  getHoldingRegister(address: number): number {
    const at = this.holding.offsetOf(address, 1);
    return (this.holding.image[at] << 8) | this.holding.image[at + 1];
  }

  setHoldingRegister(address: number, value: number): void {
    const at = this.holding.offsetOf(address, 1);
    this.holding.image[at] = (value >>> 8) & 0xff;
    this.holding.image[at + 1] = value & 0xff;
  }

  getInputRegister(address: number): number {
    const at = this.input.offsetOf(address, 1);
    return (this.input.image[at] << 8) | this.input.image[at + 1];
  }

  setInputRegister(address: number, value: number): void {
    const at = this.input.offsetOf(address, 1);
    this.input.image[at] = (value >>> 8) & 0xff;
    this.input.image[at + 1] = value & 0xff;
  }

  getCoil(address: number): boolean {
    return this.coilTable.bits[this.coilTable.indexOf(address, 1)] !== 0;
  }

  setCoil(address: number, value: boolean): void {
    this.coilTable.bits[this.coilTable.indexOf(address, 1)] = value ? 1 : 0;
  }

  getDiscreteInput(address: number): boolean {
    return this.discreteTable.bits[this.discreteTable.indexOf(address, 1)] !== 0;
  }

  setDiscreteInput(address: number, value: boolean): void {
    this.discreteTable.bits[this.discreteTable.indexOf(address, 1)] = value ? 1 : 0;
  }
}
