/**
 * The expectation of a definition table taken from a register map: what the map says the same
 * bytes mean. Used against a running meter (`submeter map --check-definition`), where no snapshot
 * is at hand: each table row must find a register of the map at its address, with its quantity,
 * and both readings of the answered bytes must agree. So a map written from a manual can be
 * checked against a table transcribed from another source.
 */
import type { Space } from '../map-schema.js';
import type { MappedRegister, RegisterMap } from '../register-map.js';
import { decodeNumber, decodeText } from '../value-codec.js';
import type { Expectation } from './definition-check.js';
import { wordsOf } from './definition-table.js';

function spaceOf(functionCode: 3 | 4): Space {
  return functionCode === 3 ? 'holding' : 'input';
}

export function mapExpectation(map: RegisterMap): Expectation {
  const byAddress = new Map<string, MappedRegister>();
  for (const r of map.registers) byAddress.set(`${r.space}:${r.address}`, r);
  return (row, bytes) => {
    const space = spaceOf(row.function);
    const register = byAddress.get(`${space}:${row.address}`);
    if (register === undefined) return { problem: `no register of map ${map.profile} starts at ${space} ${row.address}` };
    if (register.length !== wordsOf(row)) return { problem: `${register.name} is ${register.length} registers in the map, ${wordsOf(row)} in the table` };
    const source = register.source;
    if (row.quantity !== undefined && (source.kind !== 'quantity' || source.quantity.name !== row.quantity)) {
      const has = source.kind === 'quantity' ? source.quantity.name : source.kind === 'constant' ? `the constant ${source.value}` : 'nothing';
      return { problem: `the map serves ${has} here, the table ${row.quantity}` };
    }
    if (register.type === 'string') return { value: decodeText(bytes, 0, register.length, register.wordOrder) };
    const wire = decodeNumber(register.type, register.wordOrder, register.length, bytes, 0);
    return { value: (wire - register.offset) / register.scale };
  };
}
