/**
 * The compiler from a RegisterMap to register images: one image per Modbus table, constants
 * encoded once, and one encoder per live register that writes its current value (from a
 * ReadContext) into the image. Refreshing runs every encoder: all values of one snapshot.
 */
import { SPACES, type Space } from './map-schema.js';
import type { ReadContext } from './read-context.js';
import { RegisterImage, TableLayout } from './register-image.js';
import type { MappedRegister, RegisterMap } from './register-map.js';
import { encodeNumber, encodeText, numberWriter } from './value-codec.js';

export type Encoder = (context: ReadContext) => void;

export interface CompiledMap {
  readonly map: RegisterMap;
  readonly images: Readonly<Record<Space, RegisterImage>>;
  /** Writes every live register of the map from one context. */
  readonly refresh: (context: ReadContext) => void;
  /** Per space: which addresses are mapped, by which register (shared by all devices of a map). */
  readonly layouts: Readonly<Record<Space, TableLayout>>;
}

const layoutCache = new WeakMap<RegisterMap, Record<Space, TableLayout>>();

/** The address layout of a map, computed once per loaded map (many devices may share one map). */
export function layoutOf(map: RegisterMap): Readonly<Record<Space, TableLayout>> {
  let layouts = layoutCache.get(map);
  if (layouts === undefined) {
    const built = {} as Record<Space, TableLayout>;
    for (const space of SPACES) {
      built[space] = new TableLayout(
        map.registers.flatMap((r, index) => (r.space === space ? [{ address: r.address, length: r.length, index }] : [])),
      );
    }
    layouts = built;
    layoutCache.set(map, layouts);
  }
  return layouts;
}

function encoderFor(register: MappedRegister, image: RegisterImage): Encoder | undefined {
  const { source, type, wordOrder, length, scale, offset } = register;
  const { bytes, view } = image;
  if (register.space === 'coil' || register.space === 'discrete') {
    const at = image.byteOffsetOf(register.address);
    if (source.kind === 'constant') {
      bytes[at] = source.value !== 0 ? 1 : 0;
      return undefined;
    }
    if (source.kind === 'none') return undefined;
    const get = source.quantity.get;
    if (source.quantity.kind !== 'number') return undefined;
    return (c) => {
      bytes[at] = (get as (c: ReadContext) => number)(c) !== 0 ? 1 : 0;
    };
  }
  const byteOffset = image.byteOffsetOf(register.address);
  if (source.kind === 'none') {
    encodeNumber(type === 'string' ? 'u16' : type, 'ABCD', type === 'string' ? 1 : length, 0, view, bytes, byteOffset);
    return undefined;
  }
  if (source.kind === 'constant') {
    if (typeof source.value === 'string') encodeText(source.value, wordOrder, length, bytes, byteOffset);
    else encodeNumber(type, wordOrder, length, type === 'sunssf' ? source.value : source.value * scale + offset, view, bytes, byteOffset);
    return undefined;
  }
  const quantity = source.quantity;
  if (quantity.kind === 'text') {
    const get = quantity.get;
    return (c) => encodeText(get(c), wordOrder, length, bytes, byteOffset);
  }
  const get = quantity.get;
  const write = numberWriter(type, wordOrder, length, view, bytes, byteOffset);
  if (scale === 1 && offset === 0) return (c) => write(get(c));
  return (c) => write(get(c) * scale + offset);
}

export function compileMap(map: RegisterMap): CompiledMap {
  const layouts = layoutOf(map);
  const images = {} as Record<Space, RegisterImage>;
  for (const space of SPACES) {
    images[space] = new RegisterImage(space === 'coil' || space === 'discrete' ? 1 : 2, map.fill[space], layouts[space]);
  }
  const encoders: Encoder[] = [];
  map.registers.forEach((register) => {
    const encoder = encoderFor(register, images[register.space]);
    if (encoder !== undefined) encoders.push(encoder);
  });
  const refresh = (context: ReadContext): void => {
    for (const encode of encoders) encode(context);
  };
  return { map, images, refresh, layouts };
}
