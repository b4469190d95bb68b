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
 * A read is a bounds check, a binary search for the segment and a copy of a contiguous range
 * (under fill: exception a readable range lies inside one run, hence inside one segment; under
 * fill: zeros a range may span segments and gaps: one copy per segment, zeros for the gaps). The
 * image is rewritten whole, synchronously, once per metrology window, so a read never sees half
 * an update (a multi-register value never tears).
 */
import type { FillPolicy } from './map-schema.js';

export const ADDRESS_SPACE = 0x10000;

/** Runs of mapped addresses closer than this are stored as one segment (the gap stays zero). */
export const MERGE_GAP = 32;

/** Which addresses of one table a map covers, and where each lives in a packed image; computed once per map. */
export class TableLayout {
  /** One past the highest mapped address (0 when nothing is mapped). */
  readonly extent: number;
  /** Storage segments, sorted: [segmentStart[i], segmentEnd[i]) lives at packed address segmentOffset[i]. */
  readonly segmentStart: Int32Array;
  readonly segmentEnd: Int32Array;
  readonly segmentOffset: Int32Array;
  /** Addresses stored in a packed image (sum of the segments' lengths). */
  readonly packedLength: number;
  /** Runs of mapped addresses, sorted: [runStart[i], runEnd[i]). */
  private readonly runStart: Int32Array;
  private readonly runEnds: Int32Array;
  /** Per run: its registers' indices by address offset from the run start. */
  private readonly runOwners: Int32Array[];

  constructor(registers: ReadonlyArray<{ address: number; length: number; index: number }>) {
    const sorted = [...registers].sort((a, b) => a.address - b.address);
    this.extent = sorted.reduce((max, r) => Math.max(max, r.address + r.length), 0);
    // runs of mapped addresses (registers may overlap or touch)
    const starts: number[] = [];
    const ends: number[] = [];
    for (const r of sorted) {
      const last = ends.length - 1;
      if (last >= 0 && r.address <= (ends[last] as number)) ends[last] = Math.max(ends[last] as number, r.address + r.length);
      else {
        starts.push(r.address);
        ends.push(r.address + r.length);
      }
    }
    this.runStart = Int32Array.from(starts);
    this.runEnds = Int32Array.from(ends);
    this.runOwners = starts.map((start, i) => new Int32Array((ends[i] as number) - start).fill(-1));
    for (const r of registers) {
      const run = this.runIndex(r.address);
      const owners = this.runOwners[run];
      if (owners !== undefined) owners.fill(r.index, r.address - (starts[run] as number), r.address - (starts[run] as number) + r.length);
    }
    // storage segments: runs merged across short gaps
    const segStarts: number[] = [];
    const segEnds: number[] = [];
    starts.forEach((start, i) => {
      const last = segEnds.length - 1;
      if (last >= 0 && start - (segEnds[last] as number) < MERGE_GAP) segEnds[last] = ends[i] as number;
      else {
        segStarts.push(start);
        segEnds.push(ends[i] as number);
      }
    });
    this.segmentStart = Int32Array.from(segStarts);
    this.segmentEnd = Int32Array.from(segEnds);
    this.segmentOffset = new Int32Array(segStarts.length);
    let packed = 0;
    segStarts.forEach((start, i) => {
      this.segmentOffset[i] = packed;
      packed += (segEnds[i] as number) - start;
    });
    this.packedLength = packed;
  }

  /** Index of the last run starting at or before `address`, or -1. */
  private runIndex(address: number): number {
    return lastAtOrBefore(this.runStart, address);
  }

  /** The register index at `address`, or -1. */
  ownerAt(address: number): number {
    const run = this.runIndex(address);
    if (run < 0 || address >= (this.runEnds[run] as number)) return -1;
    return (this.runOwners[run] as Int32Array)[address - (this.runStart[run] as number)] as number;
  }

  /** The end (exclusive) of the run of mapped addresses `address` is in, or 0 when unmapped. */
  runEndAt(address: number): number {
    const run = this.runIndex(address);
    return run >= 0 && address < (this.runEnds[run] as number) ? (this.runEnds[run] as number) : 0;
  }

  /** Index of the segment holding `address`, or -1 (an unmapped address outside every segment). */
  segmentAt(address: number): number {
    const segment = lastAtOrBefore(this.segmentStart, address);
    return segment >= 0 && address < (this.segmentEnd[segment] as number) ? segment : -1;
  }

  /** Packed position (in addresses) of a mapped `address`; -1 when it is outside every segment. */
  packedAt(address: number): number {
    const segment = this.segmentAt(address);
    return segment < 0 ? -1 : (this.segmentOffset[segment] as number) + address - (this.segmentStart[segment] as number);
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
    return this.layout.runEndAt(address) >= end;
  }

  /** Copy registers [address, address + quantity) as big-endian words into target[offset..]. */
  copyWords(address: number, quantity: number, target: Uint8Array, offset: number): void {
    const layout = this.layout;
    const end = address + quantity;
    const segment = layout.segmentAt(address);
    if (segment >= 0 && end <= (layout.segmentEnd[segment] as number)) {
      // the common case (always, under fill: exception): one contiguous copy
      const from = ((layout.segmentOffset[segment] as number) + address - (layout.segmentStart[segment] as number)) * 2;
      target.set(this.bytes.subarray(from, from + quantity * 2), offset);
      return;
    }
    // fill: zeros, a range over gaps and segments
    target.fill(0, offset, offset + quantity * 2);
    this.forEachSegmentPart(address, end, (from, length, at) => target.set(this.bytes.subarray(from * 2, (from + length) * 2), offset + at * 2));
  }

  /** Pack bits [address, address + quantity) LSB-first into target[offset..] (already zeroed). */
  packBits(address: number, quantity: number, target: Uint8Array, offset: number): void {
    const bytes = this.bytes;
    this.forEachSegmentPart(address, address + quantity, (from, length, at) => {
      for (let i = 0; i < length; i += 1) {
        if (bytes[from + i] === 1) {
          const bit = at + i;
          const byte = offset + (bit >> 3);
          target[byte] = (target[byte] as number) | (1 << (bit & 7));
        }
      }
    });
  }

  /** For every segment overlapping [address, end): (packed start, length, position relative to address). */
  private forEachSegmentPart(address: number, end: number, visit: (from: number, length: number, at: number) => void): void {
    const layout = this.layout;
    let segment = Math.max(0, lastAtOrBefore(layout.segmentStart, address));
    for (; segment < layout.segmentStart.length; segment += 1) {
      const start = layout.segmentStart[segment] as number;
      if (start >= end) break;
      const from = Math.max(start, address);
      const to = Math.min(layout.segmentEnd[segment] as number, end);
      if (to > from) visit((layout.segmentOffset[segment] as number) + from - start, to - from, from - address);
    }
  }
}
