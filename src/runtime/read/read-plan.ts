/**
 * What `submeter read` polls: the readable registers of a profile's map, grouped into as few
 * requests as possible (contiguous addresses of one table, at most 125 registers or 2000 bits),
 * and how each value is decoded back to SI (value = (wire - offset) / scale).
 */
import type { MappedRegister, RegisterMap } from '../../registers/register-map.js';
import { SPACES, type Space } from '../../registers/map-schema.js';
import { decodeNumber, decodeText } from '../../registers/value-codec.js';

export interface ReadBlock {
  space: Space;
  address: number;
  /** Registers (or bits). */
  quantity: number;
  registers: MappedRegister[];
}

export interface DecodedValue {
  name: string;
  space: Space;
  address: number;
  /** Meter quantity behind the register ("voltage.l1"), or "constant". */
  quantity: string;
  /** Physical value in SI units (text for strings). */
  value: number | string;
  /** SI unit of `value` ('' for ratios, counts and text). */
  unit: string;
  /** The value as it is on the wire (after word order, before scale), in the map's unit. */
  raw: number | string;
  rawUnit: string;
}

const maxQuantity: Record<Space, number> = { input: 125, holding: 125, coil: 2000, discrete: 2000 };

function quantityName(register: MappedRegister): string {
  if (register.source.kind === 'quantity') return register.source.quantity.name;
  return register.source.kind;
}

/** The quantities a map's readable registers carry ("voltage.l1", ...), each once, in map order. */
export function readableQuantities(map: RegisterMap): string[] {
  return [...new Set(map.registers.filter((r) => r.source.kind !== 'none' && r.type !== 'sunssf').map(quantityName))];
}

/** The requests that read the registers matching `match` (name or quantity, case-insensitive) and, if given, carrying one of `quantities`. */
export function planReads(map: RegisterMap, match?: string, quantities?: readonly string[]): ReadBlock[] {
  const needle = match?.toLowerCase();
  const wanted = map.registers
    .filter((r) => r.source.kind !== 'none' && r.type !== 'sunssf')
    .filter((r) => needle === undefined || r.name.toLowerCase().includes(needle) || quantityName(r).toLowerCase().includes(needle))
    .filter((r) => quantities === undefined || quantities.includes(quantityName(r)))
    .sort((a, b) => (a.space === b.space ? a.address - b.address : SPACES.indexOf(a.space) - SPACES.indexOf(b.space)));
  const blocks: ReadBlock[] = [];
  for (const register of wanted) {
    const last = blocks[blocks.length - 1];
    const end = last === undefined ? -1 : last.address + last.quantity;
    if (last !== undefined && last.space === register.space && register.address === end && last.quantity + register.length <= maxQuantity[register.space]) {
      last.quantity += register.length;
      last.registers.push(register);
    } else {
      blocks.push({ space: register.space, address: register.address, quantity: register.length, registers: [register] });
    }
  }
  return blocks;
}

/** Decodes a block's answer: register bytes (big-endian words) or bits. */
export function decodeBlock(block: ReadBlock, data: Uint8Array | boolean[]): DecodedValue[] {
  return block.registers.map((register) => {
    const at = register.address - block.address;
    const source = register.source;
    const unit = source.kind === 'quantity' ? source.quantity.unit : '';
    let raw: number | string;
    if (Array.isArray(data)) raw = data[at] === true ? 1 : 0;
    else if (register.type === 'string') raw = decodeText(data, at * 2, register.length, register.wordOrder);
    else raw = decodeNumber(register.type, register.wordOrder, register.length, data, at * 2);
    const value = typeof raw === 'string' ? raw : (raw - register.offset) / register.scale;
    return { name: register.name, space: register.space, address: register.address, quantity: quantityName(register), value, unit: typeof raw === 'string' ? '' : unit, raw, rawUnit: register.unit };
  });
}
