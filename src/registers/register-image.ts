/**
 * The register image of one Modbus table: big-endian words (or bits, one byte each, for coils
 * and discrete inputs) of the mapped addresses only, plus which addresses the map covers (shared
 * by every device of the same map).
 *
 * The image is sparse: the map's mapped addresses fall into segments (runs of mapped addresses,
 * merged across gaps shorter than MERGE_GAP so that a handful of scattered registers do not make
 * a handful of segments), and the segments are packed one after the other into one Uint8Array per
 * device. A map with a serial number at 0xFC00 and measurements at 0..400 therefore costs ~800
 * bytes, not the 129 KB of an image spanning 0..0xFC02.
 *
 * A read is a bounds check, two lookups in the map's shared per-address tables and a copy of a
 * contiguous range (under fill: exception a readable range lies inside one run, hence inside one
 * segment; under fill: zeros a range may span segments and gaps: one copy per segment, zeros for
 * the gaps). The
 * image is rewritten whole, synchronously, once per metrology window, so a read never sees half
 * an update (a multi-register value never tears).
 */
import type { FillPolicy } from './map-schema.js';

export const ADDRESS_SPACE = 0x10000;

/**
 * Owner index of an address in a reserved range of the map (no register, reads as zero): it
 * counts as covered for reads, and as unmapped for writes (ownerAt callers look for index >= 0).
 */
export const RESERVED = -2;

/**
 * Runs of mapped addresses closer than this are stored as one segment (the gap is stored, and
 * stays zero): a gap shorter than one maximal read (125 registers) costs at most 250 bytes per
 * device, and saves block reads over it (fill: zeros) from being assembled piece by piece.
 */
export const MERGE_GAP = 125;

/**
 * Which addresses of one table a map covers, and where each lives in a packed image; computed
 * once per map and shared by all its devices, so its per-address tables (up to the highest mapped
 * address) cost once per map, not per meter, and make a read's lookups O(1).
 */
export class TableLayout {
  /** One past the highest mapped address (0 when nothing is mapped). */
  readonly extent: number;
  /** For a mapped address: the end (exclusive) of the run of mapped addresses it is in; else 0. */
  readonly runEnd: Int32Array;
  /** Index of the register covering each address, RESERVED in a reserved gap, or -1. */
  readonly owners: Int32Array;
  /** Packed position (in addresses) of each address inside a storage segment, or -1. */
  readonly packed: Int32Array;
  /** Storage segments, sorted: [segmentStart[i], segmentEnd[i]) lives at packed position segmentOffset[i]. */
  readonly segmentStart: Int32Array;
  readonly segmentEnd: Int32Array;
  readonly segmentOffset: Int32Array;
  /** Addresses stored in a packed image (sum of the segments' lengths). */
  readonly packedLength: number;

  constructor(registers: ReadonlyArray<{ address: number; length: number; index: number }>) {
    this.extent = registers.reduce((max, r) => Math.max(max, r.address + r.length), 0);
    this.runEnd = new Int32Array(this.extent);
    this.owners = new Int32Array(this.extent).fill(-1);
    for (const r of registers) this.owners.fill(r.index, r.address, r.address + r.length);
    const runStarts: number[] = [];
    let end = 0;
    for (let a = this.extent - 1; a >= 0; a -= 1) {
      if ((this.owners[a] as number) !== -1) {
        if (end === 0) end = a + 1;
        this.runEnd[a] = end;
        if (a === 0 || (this.owners[a - 1] as number) === -1) runStarts.push(a);
      } else {
        end = 0;
      }
    }
    runStarts.reverse();
    // storage segments: runs merged across short gaps (the gap is stored, and stays zero)
    const segStarts: number[] = [];
    const segEnds: number[] = [];
    for (const start of runStarts) {
      const runEnd = this.runEnd[start] as number;
      const last = segEnds.length - 1;
      if (last >= 0 && start - (segEnds[last] as number) < MERGE_GAP) segEnds[last] = runEnd;
      else {
        segStarts.push(start);
        segEnds.push(runEnd);
      }
    }
    this.segmentStart = Int32Array.from(segStarts);
    this.segmentEnd = Int32Array.from(segEnds);
    this.segmentOffset = new Int32Array(segStarts.length);
    this.packed = new Int32Array(this.extent).fill(-1);
    let packed = 0;
    segStarts.forEach((start, i) => {
      this.segmentOffset[i] = packed;
      for (let a = start; a < (segEnds[i] as number); a += 1) this.packed[a] = packed + a - start;
      packed += (segEnds[i] as number) - start;
    });
    this.packedLength = packed;
  }

  /** The register index at `address`, RESERVED in a reserved gap, or -1. */
  ownerAt(address: number): number {
    return address >= 0 && address < this.extent ? (this.owners[address] as number) : -1;
  }

  /** The end (exclusive) of the run of mapped addresses `address` is in, or 0 when unmapped. */
  runEndAt(address: number): number {
    return address >= 0 && address < this.extent ? (this.runEnd[address] as number) : 0;
  }

  /** Index of the segment holding `address`, or -1 (an address outside every segment). */
  segmentAt(address: number): number {
    if (this.packedAt(address) < 0) return -1;
    return lastAtOrBefore(this.segmentStart, address);
  }

  /** Packed position (in addresses) of `address`; -1 when it is outside every segment. */
  packedAt(address: number): number {
    return address >= 0 && address < this.extent ? (this.packed[address] as number) : -1;
  }
}

/** Index of the last element <= value in a sorted array, or -1. */
function lastAtOrBefore(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export class RegisterImage {
  /** The packed segments. Registers: 2 bytes per address, big-endian. Bits: 1 byte (0/1) per address. */
  readonly bytes: Uint8Array;
  readonly view: DataView;

  constructor(
    readonly bytesPerAddress: 1 | 2,
    readonly fill: FillPolicy,
    readonly layout: TableLayout,
    initial?: Uint8Array,
  ) {
    this.bytes = initial ?? new Uint8Array(layout.packedLength * bytesPerAddress);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  /** A new image with its own bytes, starting as a copy of `image`'s (e.g. a map's constants). */
  static copyOf(image: RegisterImage): RegisterImage {
    return new RegisterImage(image.bytesPerAddress, image.fill, image.layout, image.bytes.slice());
  }

  /** Byte offset in `bytes` of a mapped address (throws for an address the map does not cover: a compiler bug). */
  byteOffsetOf(address: number): number {
    const packed = this.layout.packedAt(address);
    if (packed < 0) throw new Error(`address ${address} is not in the register image`);
    return packed * this.bytesPerAddress;
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
    const layout = this.layout;
    const end = address + quantity;
    if (end <= layout.extent) {
      const first = layout.packed[address] as number;
      // packed positions advance with addresses inside a segment and jump less across a gap
      if (first >= 0 && (layout.packed[end - 1] as number) - first === quantity - 1) {
        // the common case (always, under fill: exception): one contiguous copy
        target.set(this.bytes.subarray(first * 2, (first + quantity) * 2), offset);
        return;
      }
    }
    // fill: zeros, a range over gaps and segments: zeros, then one copy per overlapping segment
    target.fill(0, offset, offset + quantity * 2);
    const starts = layout.segmentStart;
    for (let s = Math.max(0, lastAtOrBefore(starts, address)); s < starts.length; s += 1) {
      const start = starts[s] as number;
      if (start >= end) break;
      const from = Math.max(start, address);
      const to = Math.min(layout.segmentEnd[s] as number, end);
      if (to <= from) continue;
      const packed = (layout.segmentOffset[s] as number) + from - start;
      target.set(this.bytes.subarray(packed * 2, (packed + to - from) * 2), offset + (from - address) * 2);
    }
  }

  /** Pack bits [address, address + quantity) LSB-first into target[offset..] (already zeroed). */
  packBits(address: number, quantity: number, target: Uint8Array, offset: number): void {
    const layout = this.layout;
    const bytes = this.bytes;
    const n = Math.min(quantity, layout.extent - address);
    for (let i = 0; i < n; i += 1) {
      const at = layout.packed[address + i] as number;
      if (at >= 0 && bytes[at] === 1) {
        const byte = offset + (i >> 3);
        target[byte] = (target[byte] as number) | (1 << (i & 7));
      }
    }
  }
}
