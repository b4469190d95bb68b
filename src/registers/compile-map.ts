/**
 * The compiler from a RegisterMap to register images: one image per Modbus table, constants
 * encoded once, and one encoder per live register that writes its current value (from a
 * ReadContext) into the image. Refreshing runs every encoder: all values of one snapshot.
 */
import { SPACES, type Space } from './map-schema.js';
import type { ReadContext } from './read-context.js';
import { RegisterImage } from './register-image.js';
import type { MappedRegister, RegisterMap } from './register-map.js';
import { encodeNumber, encodeText } from './value-codec.js';

export type Encoder = (context: ReadContext) => void;

export interface CompiledMap {
  readonly map: RegisterMap;
  readonly images: Readonly<Record<Space, RegisterImage>>;
  /** Writes every live register of the map from one context. */
  readonly refresh: (context: ReadContext) => void;
  /** Per space: index into map.registers of the register covering each address, or -1. */
  readonly owners: Readonly<Record<Space, Int32Array>>;
}

function encoderFor(register: MappedRegister, image: RegisterImage): Encoder | undefined {
  const { source, type, wordOrder, length, scale, offset } = register;
  const { bytes, view } = image;
  if (register.space === 'coil' || register.space === 'discrete') {
    const at = register.address;
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
  const byteOffset = register.address * 2;
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
  if (scale === 1 && offset === 0) return (c) => encodeNumber(type, wordOrder, length, get(c), view, bytes, byteOffset);
  return (c) => encodeNumber(type, wordOrder, length, get(c) * scale + offset, view, bytes, byteOffset);
}

export function compileMap(map: RegisterMap): CompiledMap {
  const images = {} as Record<Space, RegisterImage>;
  const owners = {} as Record<Space, Int32Array>;
  for (const space of SPACES) {
    const ranges = map.registers.filter((r) => r.space === space);
    images[space] = new RegisterImage(space === 'coil' || space === 'discrete' ? 1 : 2, map.fill[space], ranges);
    owners[space] = new Int32Array(0x10000).fill(-1);
  }
  const encoders: Encoder[] = [];
  map.registers.forEach((register, index) => {
    owners[register.space].fill(index, register.address, register.address + register.length);
    const encoder = encoderFor(register, images[register.space]);
    if (encoder !== undefined) encoders.push(encoder);
  });
  const refresh = (context: ReadContext): void => {
    for (const encode of encoders) encode(context);
  };
  return { map, images, refresh, owners };
}
