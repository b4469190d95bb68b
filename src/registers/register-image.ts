/**
 * The register image of one Modbus table: 65536 big-endian words (or bits, one byte each, for
 * coils and discrete inputs), plus which addresses a map covers. A read is a bounds check and a
 * copy of a contiguous range; the image is rewritten whole, synchronously, once per metrology
 * window, so a read never sees half an update (a multi-register value never tears).
 */
import type { FillPolicy } from './map-schema.js';

const ADDRESSES = 0x10000;

export class RegisterImage {
  /** Registers: 2 bytes per address, big-endian. Bits: 1 byte (0/1) per address. */
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** For a mapped address: the end (exclusive) of the run of mapped addresses it is in; else 0. */
  private readonly runEnd: Int32Array;

  constructor(
    readonly bytesPerAddress: 1 | 2,
    readonly fill: FillPolicy,
    mappedRanges: ReadonlyArray<{ address: number; length: number }>,
  ) {
    this.bytes = new Uint8Array(ADDRESSES * bytesPerAddress);
    this.view = new DataView(this.bytes.buffer);
    this.runEnd = new Int32Array(ADDRESSES);
    const mapped = new Uint8Array(ADDRESSES);
    for (const r of mappedRanges) mapped.fill(1, r.address, r.address + r.length);
    let end = 0;
    for (let a = ADDRESSES - 1; a >= 0; a -= 1) {
      if (mapped[a] === 1) {
        if (end === 0) end = a + 1;
        this.runEnd[a] = end;
      } else {
        end = 0;
      }
    }
  }

  /** True when [address, address + quantity) may be read under the fill policy. */
  readable(address: number, quantity: number): boolean {
    const end = address + quantity;
    if (address < 0 || quantity < 1 || end > ADDRESSES) return false;
    return this.fill === 'zeros' || (this.runEnd[address] as number) >= end;
  }

  /** Copy registers [address, address + quantity) as big-endian words into target[offset..]. */
  copyWords(address: number, quantity: number, target: Uint8Array, offset: number): void {
    target.set(this.bytes.subarray(address * 2, (address + quantity) * 2), offset);
  }

  /** Pack bits [address, address + quantity) LSB-first into target[offset..] (already zeroed). */
  packBits(address: number, quantity: number, target: Uint8Array, offset: number): void {
    const bytes = this.bytes;
    for (let i = 0; i < quantity; i += 1) {
      if (bytes[address + i] === 1) {
        const at = offset + (i >> 3);
        target[at] = (target[at] as number) | (1 << (i & 7));
      }
    }
  }
}
