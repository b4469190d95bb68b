/**
 * Checking a meter against an independent definition table: read every register the table lists,
 * decode it with the table's own type, word order, multiplier, scale factor and unit (nothing
 * from our register maps), convert to SI, and compare with what the meter should show. The
 * expectation is given by the caller: the meter's SI snapshot in tests, or the served map's own
 * reading of the same bytes for `submeter map --check-definition` against a running meter.
 *
 * Tolerances: a float32 value carries 24 significant bits, so it may differ from the SI value by
 * 2^-24 relative, plus the rounding of the multiplier and unit conversion (we allow 2^-23); an
 * integer register holds whole steps of multiplier x 10^sf: a counter shows the completed steps
 * (up to one step below the true value) and an instantaneous value the nearest step (half a step
 * off), so one step is allowed. A wrong register (another quantity, another scale) misses by far
 * more than either.
 */
import type { DefinitionRegister, DefinitionTable } from './definition-table.js';
import { wordsOf } from './definition-table.js';

/** Reads `count` registers with function 3 or 4; rejects with `modbusCode` for an exception. */
export type ReadRegisters = (functionCode: 3 | 4, address: number, count: number) => Promise<Uint8Array>;

/** What the register should read (SI, or text), or a reason it cannot be told. */
export type Expected = { value: number | string } | { problem: string };

/** The expected reading of a table register; `bytes` are the words the meter answered. */
export type Expectation = (register: DefinitionRegister, bytes: Uint8Array) => Expected;

export interface CheckedRegister {
  register: DefinitionRegister;
  /** The value decoded per the table, in SI (or the table's own unit for a constant `value`). */
  actual: number | string | undefined;
  expected: number | string | undefined;
  tolerance: number;
  ok: boolean;
  problem: string | undefined;
}

/** Factor from a unit the sources use to the SI unit of our quantities. */
const UNIT_TO_SI: Readonly<Record<string, number>> = {
  '': 1, V: 1, A: 1, W: 1, var: 1, VA: 1, Hz: 1, Wh: 1, varh: 1, VAh: 1, Ah: 1, s: 1,
  kW: 1000, kvar: 1000, kVA: 1000, kWh: 1000, kvarh: 1000, kVAh: 1000,
  mA: 0.001, ms: 0.001, '%': 0.01, deg: Math.PI / 180, min: 60, h: 3600,
};

export function unitFactor(unit: string | undefined): number | undefined {
  return UNIT_TO_SI[unit ?? ''];
}

/** Big-endian words of a value sent in `order` (CDAB = low word first). */
function bigEndian(bytes: Uint8Array, order: 'ABCD' | 'CDAB'): DataView {
  const words = bytes.length / 2;
  const out = new Uint8Array(bytes.length);
  for (let w = 0; w < words; w += 1) {
    const from = order === 'CDAB' ? words - 1 - w : w;
    out[2 * w] = bytes[2 * from] ?? 0;
    out[2 * w + 1] = bytes[2 * from + 1] ?? 0;
  }
  return new DataView(out.buffer);
}

/** The raw number of a register (before multiplier), per the table's type and order. */
export function rawNumber(register: DefinitionRegister, bytes: Uint8Array): number {
  const v = bigEndian(bytes, register.order ?? 'ABCD');
  switch (register.type) {
    case 'uint16': return v.getUint16(0);
    case 'int16': case 'sunssf': return v.getInt16(0);
    case 'uint32': case 'acc32': return v.getUint32(0);
    case 'int32': return v.getInt32(0);
    case 'uint64': return Number(v.getBigUint64(0));
    case 'int64': return Number(v.getBigInt64(0));
    case 'float32': return v.getFloat32(0);
    case 'float64': return v.getFloat64(0);
    case 'string': throw new Error(`${register.name}: a string is not a number`);
  }
}

function text(bytes: Uint8Array): string {
  let end = bytes.indexOf(0);
  if (end < 0) end = bytes.length;
  return String.fromCharCode(...bytes.subarray(0, end));
}

function errorText(error: unknown): string {
  const code = (error as { modbusCode?: number }).modbusCode;
  return code !== undefined ? `exception ${String(code).padStart(2, '0')}` : (error as Error).message;
}

/** Check every register of `table` read through `read` against `expect`. */
export async function checkDefinition(table: DefinitionTable, read: ReadRegisters, expect: Expectation): Promise<CheckedRegister[]> {
  const results: CheckedRegister[] = [];
  const scaleFactors = new Map<string, number>();
  const scaleFactor = async (functionCode: 3 | 4, address: number): Promise<number> => {
    const key = `${functionCode}:${address}`;
    let sf = scaleFactors.get(key);
    if (sf === undefined) {
      const bytes = await read(functionCode, address, 1);
      sf = new DataView(bytes.buffer, bytes.byteOffset, 2).getInt16(0);
      scaleFactors.set(key, sf);
    }
    return sf;
  };
  for (const register of table.registers) {
    const fail = (problem: string, actual?: number | string, expected?: number | string): void => {
      results.push({ register, actual, expected, tolerance: 0, ok: false, problem });
    };
    let bytes: Uint8Array;
    try {
      bytes = await read(register.function, register.address, wordsOf(register));
    } catch (error) {
      fail(`no answer: ${errorText(error)}`);
      continue;
    }
    if (register.type === 'string') {
      const actual = text(bytes);
      const expected: Expected = register.value !== undefined ? { value: String(register.value) } : expect(register, bytes);
      if ('problem' in expected) fail(expected.problem, actual);
      else {
        const ok = actual === String(expected.value);
        results.push({ register, actual, expected: String(expected.value), tolerance: 0, ok, problem: ok ? undefined : 'text differs' });
      }
      continue;
    }
    let sf = 0;
    if (register.scaleFactorAt !== undefined) {
      try {
        sf = await scaleFactor(register.function, register.scaleFactorAt);
      } catch (error) {
        fail(`scale factor at ${register.scaleFactorAt}: ${errorText(error)}`);
        continue;
      }
    }
    const step = (register.multiplier ?? 1) * 10 ** sf;
    const inUnit = rawNumber(register, bytes) * step + (register.offset ?? 0);
    const integer = register.type !== 'float32' && register.type !== 'float64';
    if (register.value !== undefined) {
      const ok = inUnit === register.value;
      results.push({ register, actual: inUnit, expected: register.value, tolerance: 0, ok, problem: ok ? undefined : 'constant differs' });
      continue;
    }
    const factor = unitFactor(register.unit);
    if (factor === undefined) {
      fail(`unknown unit "${register.unit}"`, inUnit);
      continue;
    }
    const actual = inUnit * factor;
    const expected = expect(register, bytes);
    if ('problem' in expected) {
      fail(expected.problem, actual);
      continue;
    }
    if (typeof expected.value !== 'number') {
      fail('expected a number', actual, expected.value);
      continue;
    }
    const relative = register.type === 'float32' ? 2 ** -23 : register.type === 'float64' ? 2 ** -51 : 0;
    const tolerance = (integer ? Math.abs(step * factor) : Math.abs(expected.value) * relative) + 1e-12 * Math.max(1, Math.abs(expected.value));
    const ok = Math.abs(actual - expected.value) <= tolerance;
    results.push({ register, actual, expected: expected.value, tolerance, ok, problem: ok ? undefined : 'value differs' });
  }
  return results;
}
