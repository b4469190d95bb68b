/**
 * Expansion: each map entry that its `when` selects becomes one register per `each`
 * combination, with its layout (space, type, length, word order, address), its source
 * (quantity, constant or none) and its write rules checked. A register with a problem is left out
 * and the problem is reported; expansion goes on so that every problem is found.
 */
import type { RegisterEntry, RegisterMapFile, RegisterType, Space, WordOrder } from './map-schema.js';
import type { MapProblems } from './map-problems.js';
import { QUANTITIES } from './quantity-catalogue.js';
import type { MappedRegister, RegisterSource } from './register-map.js';
import { combinationCount, combinations, substitute } from './register-expansion.js';
import { COMMANDS, SETTINGS, type CommandName, type Setting } from './setting-catalogue.js';
import { isIntegerType, typeLength, wireRange } from './value-codec.js';
import { suggestion } from '../common/name-suggestion.js';

export interface ExpandedRegisters {
  registers: MappedRegister[];
  /** sunssf register name -> its exponent. */
  sunssfValues: Map<string, number>;
  /** Registers naming a scale factor, with their entry's index (for the line of a problem). */
  scaledRegisters: Array<{ register: MappedRegister; index: number }>;
}

type Vars = Readonly<Record<string, string | number>>;
type Report = (field: string, message: string) => void;

interface Layout {
  space: Space;
  type: RegisterType;
  length: number;
  wordOrder: WordOrder;
  address: number;
}

interface WriteRules {
  access: 'read' | 'write';
  setting: Setting | undefined;
  command: CommandName | undefined;
}

function bitSpace(space: Space): boolean {
  return space === 'coil' || space === 'discrete';
}

export function expandRegisters(
  map: RegisterMapFile,
  options: Readonly<Record<string, string | number>>,
  problems: MapProblems,
): ExpandedRegisters {
  const expanded: ExpandedRegisters = { registers: [], sunssfValues: new Map(), scaledRegisters: [] };
  map.registers.forEach((entry, index) => {
    const entryReport: Report = (field, message) => problems.inRegister(index, entry.name, field, message);
    if (!selected(entry, map, options, entryReport)) return;
    const count = combinationCount(entry.each);
    if (count > 0x10000 || count === 0) {
      entryReport('each', count === 0 ? 'expands to no register' : `expands to ${count} registers (at most 65536)`);
      return;
    }
    combinations(entry.each).forEach((vars, iteration) => {
      const name = substitute(entry.name, vars);
      const report: Report = (field, message) => problems.inRegister(index, name, field, message);
      const register = expandOne(entry, name, vars, iteration, map, expanded.sunssfValues, report);
      if (register === undefined) return;
      register.line = problems.document.lineOf(['registers', index]);
      if (register.scaleFactor !== undefined) expanded.scaledRegisters.push({ register, index });
      expanded.registers.push(register);
    });
  });
  return expanded;
}

/** Whether the entry's `when` matches the selected options (unknown options are reported). */
function selected(entry: RegisterEntry, map: RegisterMapFile, options: Readonly<Record<string, string | number>>, report: Report): boolean {
  if (entry.when === undefined) return true;
  const declared = map.options ?? {};
  let included = true;
  for (const [name, value] of Object.entries(entry.when)) {
    if (!(name in declared)) {
      report(`when.${name}`, `unknown option "${name}"`);
      included = false;
    } else if (String(options[name]) !== String(value)) included = false;
  }
  return included;
}

function expandOne(
  entry: RegisterEntry,
  name: string,
  vars: Vars,
  iteration: number,
  map: RegisterMapFile,
  sunssfValues: Map<string, number>,
  report: Report,
): MappedRegister | undefined {
  const layout = layoutOf(entry, map, iteration, report);
  if (layout === undefined) return undefined;
  const source = sourceOf(entry, vars, layout.type, layout.length, report);
  if (source === undefined) return undefined;
  if (layout.type === 'sunssf' && source.kind === 'constant' && typeof source.value === 'number') sunssfValues.set(name, source.value);
  const write = writeRulesOf(entry, vars, layout, map, report);
  if (write === undefined) return undefined;
  if (entry.scaleFactor !== undefined && !isIntegerType(layout.type)) {
    report('scaleFactor', `a scale factor applies to integer types, not ${layout.type}`);
    return undefined;
  }
  return {
    name,
    ...layout,
    scale: entry.scale ?? 1,
    offset: entry.offset ?? 0,
    scaleFactor: entry.scaleFactor === undefined ? undefined : substitute(entry.scaleFactor, vars),
    unit: entry.unit ?? (source.kind === 'quantity' && (entry.scale ?? 1) === 1 ? source.quantity.unit : ''),
    description: entry.description === undefined ? (source.kind === 'quantity' ? source.quantity.description : '') : substitute(entry.description, vars),
    source,
    ...write,
    min: entry.min,
    max: entry.max,
    protected: entry.protected ?? false,
    line: 0,
  };
}

/** Space, type, length, word order and address of the `iteration`-th register of an entry. */
function layoutOf(entry: RegisterEntry, map: RegisterMapFile, iteration: number, report: Report): Layout | undefined {
  const defaults = map.defaults ?? {};
  const space = entry.space ?? defaults.space;
  if (space === undefined) {
    report('space', 'missing (no defaults.space)');
    return undefined;
  }
  const type: RegisterType | undefined = entry.type ?? (bitSpace(space) ? 'bool' : defaults.type);
  if (type === undefined) {
    report('type', 'missing (no defaults.type)');
    return undefined;
  }
  if (bitSpace(space) !== (type === 'bool')) {
    report('type', bitSpace(space) ? `a ${space} holds one bit: type must be bool, not ${type}` : `bool is only for coil and discrete spaces, not ${space}`);
    return undefined;
  }
  if (type === 'string' && entry.length === undefined) {
    report('length', 'a string needs a length (in registers)');
    return undefined;
  }
  if (entry.length !== undefined && type !== 'string' && type !== 'bitfield') {
    report('length', `length only applies to string and bitfield, not ${type}`);
    return undefined;
  }
  if (type === 'bitfield' && (entry.length ?? 1) > 4) {
    report('length', 'a bitfield is at most 4 registers (64 bits)');
    return undefined;
  }
  const length = typeLength(type, entry.length);
  const wordOrder = entry.wordOrder ?? defaults.wordOrder ?? 'ABCD';
  if (entry.wordOrder !== undefined && length === 1 && wordOrder === 'CDAB') {
    report('wordOrder', `word order CDAB needs a multi-register type, ${type} is one register`);
    return undefined;
  }
  const address = entry.address + iteration * (entry.stride ?? length);
  if (address + length > 0x10000) {
    report('address', `register ends at ${address + length - 1}, beyond 65535`);
    return undefined;
  }
  return { space, type, length, wordOrder, address };
}

/** Where the value comes from: a quantity, a constant, or nothing. */
function sourceOf(entry: RegisterEntry, vars: Vars, type: RegisterType, length: number, report: Report): RegisterSource | undefined {
  let source: RegisterSource = { kind: 'none' };
  if (entry.quantity !== undefined && entry.value !== undefined) {
    report('value', 'give either quantity or value, not both');
    return undefined;
  }
  if (entry.quantity !== undefined) {
    const quantityName = substitute(entry.quantity, vars);
    const quantity = QUANTITIES.get(quantityName);
    if (quantity === undefined) {
      report('quantity', `unknown quantity "${quantityName}"${suggestion(quantityName, QUANTITIES.keys())}`);
      return undefined;
    }
    if ((quantity.kind === 'text') !== (type === 'string')) {
      report('quantity', quantity.kind === 'text' ? `"${quantityName}" is text: type must be string` : `"${quantityName}" is a number: type ${type} cannot hold it`);
      return undefined;
    }
    source = { kind: 'quantity', quantity };
  } else if (entry.value !== undefined) {
    const value = typeof entry.value === 'string' ? substitute(entry.value, vars) : entry.value;
    if ((typeof value === 'string') !== (type === 'string')) {
      report('value', type === 'string' ? 'a string register needs a text value' : `a ${type} register needs a numeric value`);
      return undefined;
    }
    if (typeof value === 'number' && type !== 'sunssf') {
      // A constant outside what its type holds would be clamped or wrapped on the wire.
      const wire = value * (entry.scale ?? 1) + (entry.offset ?? 0);
      const [low, high] = wireRange(type, length);
      if (!Number.isFinite(wire) || wire < low || wire > high) {
        const scaled = wire === value ? '' : ` (wire value ${wire} after scale and offset)`;
        report('value', `${value}${scaled} does not fit a ${type} register (${low}..${high})`);
        return undefined;
      }
    }
    source = { kind: 'constant', value };
  }
  if (type === 'sunssf') {
    if (source.kind !== 'constant' || typeof source.value !== 'number' || !Number.isInteger(source.value) || source.value < -10 || source.value > 10) {
      report('value', 'a sunssf register needs a constant integer exponent in -10..10');
      return undefined;
    }
  }
  return source;
}

/** Access, and for a writable register the setting or command it drives, with its bounds and protection checked. */
function writeRulesOf(entry: RegisterEntry, vars: Vars, layout: Layout, map: RegisterMapFile, report: Report): WriteRules | undefined {
  const { space, type } = layout;
  const access = entry.access ?? 'read';
  if (entry.setting !== undefined || entry.command !== undefined || entry.min !== undefined || entry.max !== undefined || entry.protected === true) {
    if (access !== 'write') {
      const field = entry.setting !== undefined ? 'setting' : entry.command !== undefined ? 'command' : entry.min !== undefined ? 'min' : entry.max !== undefined ? 'max' : 'protected';
      report(field, 'only a register with access: write takes setting, command, min, max or protected');
      return undefined;
    }
  }
  if (access !== 'write') return { access, setting: undefined, command: undefined };
  if (space === 'input' || space === 'discrete') {
    report('access', `${space} registers are read-only on the protocol`);
    return undefined;
  }
  if (entry.setting !== undefined && entry.command !== undefined) {
    report('command', 'give either setting or command, not both');
    return undefined;
  }
  let setting: Setting | undefined;
  let command: CommandName | undefined;
  if (entry.setting !== undefined) {
    const settingName = substitute(entry.setting, vars);
    setting = SETTINGS.get(settingName);
    if (setting === undefined) {
      report('setting', `unknown setting "${settingName}"${suggestion(settingName, SETTINGS.keys())}`);
      return undefined;
    }
  } else if (entry.command !== undefined) {
    const commandName = entry.command;
    command = COMMANDS.find((c) => c === commandName);
    if (command === undefined) {
      report('command', `unknown command "${commandName}" (commands: ${COMMANDS.join(', ')})`);
      return undefined;
    }
  } else {
    report('access', 'a writable register needs a setting or a command');
    return undefined;
  }
  if (type === 'string') {
    report('type', 'string registers cannot be written');
    return undefined;
  }
  if (!bitSpace(space)) {
    if (entry.min === undefined || entry.max === undefined) {
      report(entry.min === undefined ? 'min' : 'max', 'a writable register needs bounds: min and max');
      return undefined;
    }
    if (entry.min > entry.max) {
      report('min', `min ${entry.min} is above max ${entry.max}`);
      return undefined;
    }
  }
  if (command === 'unlock' && map.security === undefined) {
    report('command', 'an unlock register needs a security section (password, timeout)');
    return undefined;
  }
  if (entry.protected === true && map.security === undefined) {
    report('protected', 'a protected register needs a security section (password, timeout)');
    return undefined;
  }
  if ((command === 'relay' || command === 'resetEnergy') && entry.protected !== true) {
    report('protected', `a ${command === 'relay' ? 'relay' : 'energy-reset'} command must be protected: true (it needs the password)`);
    return undefined;
  }
  return { access, setting, command };
}
