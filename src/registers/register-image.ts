/**
 * The register image of one Modbus table: big-endian words (or bits, one byte each, for coils
 * and discrete inputs) up to the highest mapped address, plus which addresses the map covers
 * (shared by every device of the same map). A read is a bounds check and a copy of a contiguous
 * range; the image is rewritten whole, synchronously, once per metrology window, so a read never
 * sees half an update (a multi-register value never tears).
 */
import type { FillPolicy } from './map-schema.js';

export const ADDRESS_SPACE = 0x10000;

/** Which addresses of one table a map covers; computed once per map. */
export class TableLayout {
  /** One past the highest mapped address (0 when nothing is mapped). */
  readonly extent: number;
  /** For a mapped address: the end (exclusive) of the run of mapped addresses it is in; else 0. */
  readonly runEnd: Int32Array;
  /** Index of the register covering each address, or -1. */
  readonly owners: Int32Array;

  constructor(registers: ReadonlyArray<{ address: number; length: number; index: number }>) {
    this.extent = registers.reduce((max, r) => Math.max(max, r.address + r.length), 0);
    this.runEnd = new Int32Array(this.extent);
    this.owners = new Int32Array(this.extent).fill(-1);
    for (const r of registers) this.owners.fill(r.index, r.address, r.address + r.length);
    let end = 0;
    for (let a = this.extent - 1; a >= 0; a -= 1) {
      if ((this.owners[a] as number) >= 0) {
        if (end === 0) end = a + 1;
        this.runEnd[a] = end;
      } else {
        end = 0;
      }
    }
  }

  /** The register index at `address`, or -1. */
  ownerAt(address: number): number {
    return address >= 0 && address < this.extent ? (this.owners[address] as number) : -1;
  }
}

export class RegisterImage {
  /** Registers: 2 bytes per address, big-endian. Bits: 1 byte (0/1) per address. */
  readonly bytes: Uint8Array;
  readonly view: DataView;

  constructor(
    readonly bytesPerAddress: 1 | 2,
    readonly fill: FillPolicy,
    readonly layout: TableLayout,
  ) {
    this.bytes = new Uint8Array(layout.extent * bytesPerAddress);
    this.view = new DataView(this.bytes.buffer);
  }

  /** True when [address, address + quantity) may be read under the fill policy. */
  readable(address: number, quantity: number): boolean {
    const end = address + quantity;
    if (address < 0 || quantity < 1 || end > ADDRESS_SPACE) return false;
    if (this.fill === 'zeros') return true;
    return address < this.layout.extent && (this.layout.runEnd[address] as number) >= end;
  }

  /** Copy registers [address, address + quantity) as big-endian words into target[offset..]. */
  copyWords(address: number, quantity: number, target: Uint8Array, offset: number): void {
    const end = address + quantity;
    const extent = this.layout.extent;
    if (end <= extent) {
      target.set(this.bytes.subarray(address * 2, end * 2), offset);
      return;
    }
    // only with fill: zeros, past the last mapped address
    const inside = Math.max(0, extent - address);
    if (inside > 0) target.set(this.bytes.subarray(address * 2, extent * 2), offset);
    target.fill(0, offset + inside * 2, offset + quantity * 2);
  }

  /** Pack bits [address, address + quantity) LSB-first into target[offset..] (already zeroed). */
  packBits(address: number, quantity: number, target: Uint8Array, offset: number): void {
    const bytes = this.bytes;
    const n = Math.min(quantity, this.layout.extent - address);
    for (let i = 0; i < n; i += 1) {
      if (bytes[address + i] === 1) {
        const at = offset + (i >> 3);
        target[at] = (target[at] as number) | (1 << (i & 7));
      }
    }
  }
}
