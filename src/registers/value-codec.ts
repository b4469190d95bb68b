/**
 * Encoding of one register value into big-endian Modbus words, and back: type, word order,
 * clamping. Integers are rounded to the nearest step and clamped to the type's range (acc32
 * wraps modulo 2^32 like a SunSpec accumulator); NaN becomes 0 for integers.
 */
import type { RegisterType, WordOrder } from './map-schema.js';

/** Registers a type occupies (string and bitfield take their length from the map). */
export function typeLength(type: RegisterType, length: number | undefined): number {
  switch (type) {
    case 'u16': case 'i16': case 'sunssf': case 'bool': return 1;
    case 'u32': case 'i32': case 'f32': case 'acc32': return 2;
    case 'u64': case 'i64': case 'f64': return 4;
    case 'string': case 'bitfield': return length ?? 1;
  }
}

export function isIntegerType(type: RegisterType): boolean {
  return type !== 'f32' && type !== 'f64' && type !== 'string' && type !== 'bool';
}

const INTEGER_RANGES: Partial<Record<RegisterType, [number, number]>> = {
  u16: [0, 0xffff],
  i16: [-0x8000, 0x7fff],
  sunssf: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
  bool: [0, 1],
};

/**
 * The wire values a register of `type` (`words` registers long) can hold: a constant outside them
 * would be clamped or wrapped when encoded, so a map giving one is refused at load.
 */
export function wireRange(type: RegisterType, words: number): readonly [number, number] {
  switch (type) {
    case 'f32':
      return [-3.4028234663852886e38, 3.4028234663852886e38];
    case 'f64':
      return [-Number.MAX_VALUE, Number.MAX_VALUE];
    case 'u64':
      return [0, 2 ** 64 - 1];
    case 'i64':
      return [-(2 ** 63), 2 ** 63 - 1];
    case 'acc32':
      return [0, 0xffffffff];
    case 'bitfield':
      return [0, 2 ** (16 * words) - 1];
    default:
      return INTEGER_RANGES[type] ?? [0, 0xffff];
  }
}

/** Permute the big-endian bytes at bytes[start..start+2n] into the requested word order, in place. */
export function applyWordOrder(bytes: Uint8Array, start: number, words: number, order: WordOrder): void {
  if (order === 'CDAB' || order === 'DCBA') {
    for (let i = 0, j = words - 1; i < j; i += 1, j -= 1) {
      const a = start + 2 * i;
      const b = start + 2 * j;
      const a0 = bytes[a] as number;
      const a1 = bytes[a + 1] as number;
      bytes[a] = bytes[b] as number;
      bytes[a + 1] = bytes[b + 1] as number;
      bytes[b] = a0;
      bytes[b + 1] = a1;
    }
  }
  if (order === 'BADC' || order === 'DCBA') {
    for (let i = 0; i < words; i += 1) {
      const a = start + 2 * i;
      const t = bytes[a] as number;
      bytes[a] = bytes[a + 1] as number;
      bytes[a + 1] = t;
    }
  }
}

/** The inverse permutation (every word order is its own inverse). */
export const undoWordOrder = applyWordOrder;

function clampBigInt(value: number, min: bigint, max: bigint): bigint {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 0n : value > 0 ? max : min;
  const v = BigInt(Math.round(value));
  return v < min ? min : v > max ? max : v;
}

/**
 * The whole steps a counter has completed: `wire` truncated toward zero, except that a value a
 * hair below a whole step through binary rounding (899.9999999 Wh in 0.1 kWh) counts as reached.
 */
export function completedSteps(wire: number): number {
  if (!Number.isFinite(wire)) return wire;
  const nearest = Math.round(wire);
  return Math.abs(wire - nearest) <= 1e-9 * Math.max(1, Math.abs(wire)) ? nearest : Math.trunc(wire);
}

/**
 * Write `wire` (the value as the client sees it: already scaled) as `words` registers at
 * view[byteOffset..] in big-endian, then in `order`.
 */
export function encodeNumber(
  type: RegisterType,
  order: WordOrder,
  words: number,
  wire: number,
  view: DataView,
  bytes: Uint8Array,
  byteOffset: number,
): void {
  switch (type) {
    case 'f32': view.setFloat32(byteOffset, wire); break;
    case 'f64': view.setFloat64(byteOffset, wire); break;
    case 'u64': view.setBigUint64(byteOffset, clampBigInt(wire, 0n, 0xffffffffffffffffn)); break;
    case 'i64': view.setBigInt64(byteOffset, clampBigInt(wire, -0x8000000000000000n, 0x7fffffffffffffffn)); break;
    case 'acc32': {
      const r = Number.isFinite(wire) ? Math.round(wire) : 0;
      view.setUint32(byteOffset, ((r % 0x100000000) + 0x100000000) % 0x100000000);
      break;
    }
    case 'bitfield': {
      // Unsigned, `words` registers wide (up to 64 bits).
      const bits = BigInt(words * 16);
      let v = clampBigInt(wire, 0n, (1n << bits) - 1n);
      for (let i = words - 1; i >= 0; i -= 1) {
        view.setUint16(byteOffset + 2 * i, Number(v & 0xffffn));
        v >>= 16n;
      }
      break;
    }
    case 'string':
      throw new Error('encodeNumber: string is not a number type');
    default: {
      const range = INTEGER_RANGES[type] ?? [0, 0xffff];
      let r = Number.isFinite(wire) ? Math.round(wire) : Number.isNaN(wire) ? 0 : wire > 0 ? range[1] : range[0];
      if (type === 'bool') r = wire !== 0 && !Number.isNaN(wire) ? 1 : 0;
      r = Math.min(range[1], Math.max(range[0], r));
      if (words === 1) view.setUint16(byteOffset, r & 0xffff);
      else if (range[0] < 0) view.setInt32(byteOffset, r);
      else view.setUint32(byteOffset, r);
    }
  }
  applyWordOrder(bytes, byteOffset, words, order);
}

/** ASCII (Latin-1) text, two characters per register, padded with NUL, cut at the length. */
export function encodeText(text: string, order: WordOrder, words: number, bytes: Uint8Array, byteOffset: number): void {
  const n = words * 2;
  for (let i = 0; i < n; i += 1) {
    const code = i < text.length ? text.charCodeAt(i) : 0;
    bytes[byteOffset + i] = code > 0xff ? 0x3f : code;
  }
  if (order === 'BADC' || order === 'DCBA') applyWordOrder(bytes, byteOffset, words, 'BADC');
}

/** Decode `words` registers from src[byteOffset..] (in `order`) to the wire value. */
export function decodeNumber(type: RegisterType, order: WordOrder, words: number, src: Uint8Array, byteOffset: number): number {
  const scratch = new Uint8Array(words * 2);
  scratch.set(src.subarray(byteOffset, byteOffset + words * 2));
  undoWordOrder(scratch, 0, words, order);
  const view = new DataView(scratch.buffer);
  switch (type) {
    case 'f32': return view.getFloat32(0);
    case 'f64': return view.getFloat64(0);
    case 'u64': return Number(view.getBigUint64(0));
    case 'i64': return Number(view.getBigInt64(0));
    case 'u32': case 'acc32': return view.getUint32(0);
    case 'i32': return view.getInt32(0);
    case 'i16': case 'sunssf': return view.getInt16(0);
    case 'u16': case 'bool': return view.getUint16(0);
    case 'bitfield': {
      let v = 0;
      for (let i = 0; i < words; i += 1) v = v * 65536 + view.getUint16(2 * i);
      return v;
    }
    case 'string':
      throw new Error('decodeNumber: string is not a number type');
  }
}

export function decodeText(src: Uint8Array, byteOffset: number, words: number, order: WordOrder): string {
  const scratch = src.slice(byteOffset, byteOffset + words * 2);
  if (order === 'BADC' || order === 'DCBA') applyWordOrder(scratch, 0, words, 'BADC');
  let end = scratch.indexOf(0);
  if (end < 0) end = scratch.length;
  return String.fromCharCode(...scratch.subarray(0, end));
}

/**
 * A writer of one register's wire value at a fixed place, specialised for the common big-endian
 * cases (one DataView call) and falling back to encodeNumber for the others.
 */
export function numberWriter(
  type: RegisterType,
  order: WordOrder,
  words: number,
  view: DataView,
  bytes: Uint8Array,
  byteOffset: number,
): (wire: number) => void {
  if (order === 'ABCD' || (words === 1 && order === 'CDAB')) {
    switch (type) {
      case 'f32': return (wire) => view.setFloat32(byteOffset, wire);
      case 'f64': return (wire) => view.setFloat64(byteOffset, wire);
      case 'u16': return (wire) => view.setUint16(byteOffset, wire >= 0xffff ? 0xffff : wire > 0 ? Math.round(wire) : 0);
      case 'u32': return (wire) => view.setUint32(byteOffset, wire >= 0xffffffff ? 0xffffffff : wire > 0 ? Math.round(wire) : 0);
      default: break;
    }
  }
  return (wire) => encodeNumber(type, order, words, wire, view, bytes, byteOffset);
}

/** A writer of one register's wire value into any device's image of the same map (view and bytes per call). */
export type ImageWriter = (view: DataView, bytes: Uint8Array, wire: number) => void;

/**
 * numberWriter for a register at a fixed byteOffset in every image of one map: built once per
 * map and shared by all its devices (a fleet of thousands holds one writer per register, not one
 * per register per device).
 */
export function imageWriter(type: RegisterType, order: WordOrder, words: number, byteOffset: number): ImageWriter {
  if (order === 'ABCD' || (words === 1 && order === 'CDAB')) {
    switch (type) {
      case 'f32': return (view, _bytes, wire) => view.setFloat32(byteOffset, wire);
      case 'f64': return (view, _bytes, wire) => view.setFloat64(byteOffset, wire);
      case 'u16': return (view, _bytes, wire) => view.setUint16(byteOffset, wire >= 0xffff ? 0xffff : wire > 0 ? Math.round(wire) : 0);
      case 'u32': return (view, _bytes, wire) => view.setUint32(byteOffset, wire >= 0xffffffff ? 0xffffffff : wire > 0 ? Math.round(wire) : 0);
      default: break;
    }
  }
  return (view, bytes, wire) => encodeNumber(type, order, words, wire, view, bytes, byteOffset);
}
