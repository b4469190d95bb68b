/**
 * Decoding register bytes the way a client does, written independently of src/registers'
 * encoder: reorder the words to big-endian, then read with a DataView. Plus the resolution a
 * register's value can be trusted to.
 */
import type { MappedRegister } from '../../src/registers/register-map.js';
import type { ReadContext } from '../../src/registers/read-context.js';

/** Big-endian bytes of a value sent in `order` ('ABCD' | 'CDAB' | 'BADC' | 'DCBA'). */
export function toBigEndian(bytes: Uint8Array, order: string): Uint8Array {
  const words = bytes.length / 2;
  const out = new Uint8Array(bytes.length);
  for (let w = 0; w < words; w += 1) {
    const from = order === 'CDAB' || order === 'DCBA' ? words - 1 - w : w;
    const swap = order === 'BADC' || order === 'DCBA';
    out[2 * w] = bytes[2 * from + (swap ? 1 : 0)] as number;
    out[2 * w + 1] = bytes[2 * from + (swap ? 0 : 1)] as number;
  }
  return out;
}

/** The number a client reads from the register's bytes (before the map's scale). */
export function wireValue(type: string, bytes: Uint8Array, order: string): number {
  const be = toBigEndian(bytes, order);
  const v = new DataView(be.buffer);
  switch (type) {
    case 'u16': case 'bool': return v.getUint16(0);
    case 'i16': case 'sunssf': return v.getInt16(0);
    case 'u32': case 'acc32': case 'bitfield': return be.length === 4 ? v.getUint32(0) : v.getUint16(0);
    case 'i32': return v.getInt32(0);
    case 'u64': return Number(v.getBigUint64(0));
    case 'i64': return Number(v.getBigInt64(0));
    case 'f32': return v.getFloat32(0);
    case 'f64': return v.getFloat64(0);
    default: throw new Error(`no numeric decoding for ${type}`);
  }
}

/** Largest error expected between the decoded SI value and the true one. */
export function resolution(register: MappedRegister, si: number): number {
  // integers: half a step when rounded, a whole step for a counter (it shows completed steps)
  const integerStep = register.source.kind === 'quantity' && register.source.quantity.kind === 'number' && register.source.quantity.accumulates ? 1 : 0.5;
  const step = register.type === 'f32' ? Math.abs(si * register.scale) * 2 ** -23 : register.type === 'f64' ? Math.abs(si * register.scale) * 2 ** -52 : integerStep;
  return step / Math.abs(register.scale) + 1e-9 * Math.max(1, Math.abs(si));
}

export function siValue(register: MappedRegister, wire: number): number {
  return (wire - register.offset) / register.scale;
}

export function expectedSi(register: MappedRegister, context: ReadContext): number | string | undefined {
  if (register.source.kind === 'quantity') return register.source.quantity.get(context);
  if (register.source.kind === 'constant') return register.source.value;
  return undefined;
}
