/**
 * The compiler from a RegisterMap to register images: one image per Modbus table, constants
 * encoded once, and one encoder per live register that writes its current value (from a
 * ReadContext) into the image. Refreshing runs every encoder: all values of one snapshot.
 *
 * Everything that does not depend on the device is built once per loaded map and shared: the
 * address layout, a template image per table holding the constants (a device's image starts as
 * a copy of it), and the encoders, which take the device's image as an argument. A device holds
 * only its images and one refresh function, so a fleet of thousands of meters on one map does not
 * hold thousands of copies of a few hundred closures.
 */
import { SPACES, type Space } from './map-schema.js';
import type { ReadContext } from './read-context.js';
import { RegisterImage, RESERVED, TableLayout } from './register-image.js';
import type { MappedRegister, RegisterMap } from './register-map.js';
import { completedSteps, encodeNumber, encodeText, imageWriter, isIntegerType } from './value-codec.js';

export type Encoder = (context: ReadContext) => void;

/** Writes one live register of the map into a device's image of its table. */
type SharedEncoder = (context: ReadContext, view: DataView, bytes: Uint8Array) => void;

export interface CompiledMap {
  readonly map: RegisterMap;
  readonly images: Readonly<Record<Space, RegisterImage>>;
  /** Writes every live register of the map from one context. */
  readonly refresh: (context: ReadContext) => void;
  /**
   * Marks every live register stale: the next encodeRange over it encodes it from the context it
   * is given. A device calls this when its context changes (a new snapshot, an unlock), so a read
   * of two registers encodes two registers, not the whole map.
   */
  readonly invalidate: () => void;
  /** Encodes the stale live registers of `space` that overlap [address, address + quantity). */
  readonly encodeRange: (space: Space, address: number, quantity: number, context: ReadContext) => void;
  /** Per space: which addresses are mapped, by which register (shared by all devices of a map). */
  readonly layouts: Readonly<Record<Space, TableLayout>>;
}

/** What compileMap builds once per loaded map. */
interface MapProgram {
  layouts: Record<Space, TableLayout>;
  /** Per table: the image with every constant encoded and every live register zero. */
  templates: Record<Space, RegisterImage>;
  /** Per table: the encoders of its live registers, in map order. */
  encoders: Record<Space, SharedEncoder[]>;
  /** Per register (index in map.registers): its encoder, undefined for a constant or unmapped one. */
  encoderOf: Array<SharedEncoder | undefined>;
  /** Compiled images given back by devices that released them (recycleCompiledMap), for the next device that needs one. */
  free: CompiledMap[];
}

/** Released images kept per map for reuse: a fleet re-reading released meters allocates no new buffers. */
const MAX_FREE_PER_MAP = 65_536;

const layoutCache = new WeakMap<RegisterMap, Record<Space, TableLayout>>();
const programCache = new WeakMap<RegisterMap, MapProgram>();

/** The address layout of a map, computed once per loaded map (many devices may share one map). */
export function layoutOf(map: RegisterMap): Readonly<Record<Space, TableLayout>> {
  let layouts = layoutCache.get(map);
  if (layouts === undefined) {
    const built = {} as Record<Space, TableLayout>;
    for (const space of SPACES) {
      built[space] = new TableLayout([
        ...map.reserved.flatMap((r) => (r.space === space ? [{ address: r.from, length: r.to - r.from + 1, index: RESERVED }] : [])),
        ...map.registers.flatMap((r, index) => (r.space === space ? [{ address: r.address, length: r.length, index }] : [])),
      ]);
    }
    layouts = built;
    layoutCache.set(map, layouts);
  }
  return layouts;
}

/** Encodes a constant register into the template now; returns the encoder of a live one. */
function encoderFor(register: MappedRegister, template: RegisterImage): SharedEncoder | undefined {
  const { source, type, wordOrder, length, scale, offset } = register;
  if (register.space === 'coil' || register.space === 'discrete') {
    const at = template.byteOffsetOf(register.address);
    if (source.kind === 'constant') {
      template.bytes[at] = source.value !== 0 ? 1 : 0;
      return undefined;
    }
    if (source.kind === 'none') return undefined;
    if (source.quantity.kind !== 'number') return undefined;
    const get = source.quantity.get;
    return (c, _view, bytes) => {
      bytes[at] = get(c) !== 0 ? 1 : 0;
    };
  }
  const byteOffset = template.byteOffsetOf(register.address);
  if (source.kind === 'none') {
    encodeNumber(type === 'string' ? 'u16' : type, 'ABCD', type === 'string' ? 1 : length, 0, template.view, template.bytes, byteOffset);
    return undefined;
  }
  if (source.kind === 'constant') {
    if (typeof source.value === 'string') encodeText(source.value, wordOrder, length, template.bytes, byteOffset);
    else encodeNumber(type, wordOrder, length, type === 'sunssf' ? source.value : source.value * scale + offset, template.view, template.bytes, byteOffset);
    return undefined;
  }
  const quantity = source.quantity;
  if (quantity.kind === 'text') {
    const get = quantity.get;
    return (c, _view, bytes) => encodeText(get(c), wordOrder, length, bytes, byteOffset);
  }
  const get = quantity.get;
  const write = imageWriter(type, wordOrder, length, byteOffset);
  if (quantity.accumulates && isIntegerType(type)) return (c, view, bytes) => write(view, bytes, completedSteps(get(c) * scale + offset));
  if (scale === 1 && offset === 0) return (c, view, bytes) => write(view, bytes, get(c));
  return (c, view, bytes) => write(view, bytes, get(c) * scale + offset);
}

function programOf(map: RegisterMap): MapProgram {
  let program = programCache.get(map);
  if (program === undefined) {
    const layouts = layoutOf(map) as Record<Space, TableLayout>;
    const templates = {} as Record<Space, RegisterImage>;
    const encoders = {} as Record<Space, SharedEncoder[]>;
    for (const space of SPACES) {
      templates[space] = new RegisterImage(space === 'coil' || space === 'discrete' ? 1 : 2, map.fill[space], layouts[space]);
      encoders[space] = [];
    }
    const encoderOf: Array<SharedEncoder | undefined> = [];
    for (const register of map.registers) {
      const encoder = encoderFor(register, templates[register.space]);
      encoderOf.push(encoder);
      if (encoder !== undefined) encoders[register.space].push(encoder);
    }
    program = { layouts, templates, encoders, encoderOf, free: [] };
    programCache.set(map, program);
  }
  return program;
}

/**
 * A device's images of `map`: a released one when there is one (every live register marked stale;
 * the constants are the map's, the same for every device), else new ones.
 */
export function compileMap(map: RegisterMap): CompiledMap {
  const program = programOf(map);
  const reused = program.free.pop();
  if (reused !== undefined) {
    reused.invalidate();
    return reused;
  }
  return newCompiledMap(map, program);
}

/** Give back images a device no longer needs (it must not use them again). */
export function recycleCompiledMap(compiled: CompiledMap): void {
  const free = programOf(compiled.map).free;
  if (free.length < MAX_FREE_PER_MAP) free.push(compiled);
}

function newCompiledMap(map: RegisterMap, program: MapProgram): CompiledMap {
  const { layouts, templates, encoders, encoderOf } = program;
  const images = {} as Record<Space, RegisterImage>;
  for (const space of SPACES) images[space] = RegisterImage.copyOf(templates[space]);
  const tables = SPACES.filter((space) => encoders[space].length > 0).map((space) => ({ image: images[space], encoders: encoders[space] }));
  // Per register: the generation of the context it was last encoded from (0: never).
  const encodedIn = new Uint32Array(map.registers.length);
  let generation = 1;
  const refresh = (context: ReadContext): void => {
    for (const { image, encoders: list } of tables) {
      const { view, bytes } = image;
      for (const encode of list) encode(context, view, bytes);
    }
    generation += 1;
    encodedIn.fill(generation);
  };
  const invalidate = (): void => {
    generation += 1;
  };
  const registers = map.registers;
  const encodeRange = (space: Space, address: number, quantity: number, context: ReadContext): void => {
    const layout = layouts[space];
    const image = images[space];
    const end = address + quantity;
    for (let a = address; a < end; ) {
      const index = layout.ownerAt(a);
      const register = index >= 0 ? registers[index] : undefined;
      if (register === undefined) {
        a += 1;
        continue;
      }
      const encode = encoderOf[index];
      if (encode !== undefined && encodedIn[index] !== generation) {
        encode(context, image.view, image.bytes);
        encodedIn[index] = generation;
      }
      a = register.address + register.length;
    }
  };
  return { map, images, refresh, invalidate, encodeRange, layouts };
}
