/**
 * Loading a register map: YAML -> schema check -> option selection and `each` expansion ->
 * semantic checks (overlaps, unknown quantities/settings/commands, type and word-order rules,
 * bounds on writes) -> a RegisterMap. Every problem names file, line, register and field;
 * all problems are collected and thrown together as one MapLoadError.
 */
import { readFileSync } from 'node:fs';
import { isCollection, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { MapLoadError, type MapProblem } from './map-load-error.js';
import {
  registerMapSchema,
  SPACES,
  type RegisterEntry,
  type RegisterMapFile,
  type RegisterType,
  type Space,
} from './map-schema.js';
import { QUANTITIES } from './quantity-catalogue.js';
import type { MappedRegister, RegisterMap, RegisterSource } from './register-map.js';
import { COMMANDS, SETTINGS, type CommandName } from './setting-catalogue.js';
import { isIntegerType, typeLength } from './value-codec.js';
import { combinationCount, combinations, substitute, TEMPLATE } from './register-expansion.js';
import { suggestion } from './name-suggestion.js';
import { reservedRanges } from './reserved-ranges.js';

export type MapOptions = Readonly<Record<string, string | number>>;

type Path = ReadonlyArray<string | number>;

class LineFinder {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Line of the node at `path`, or of its nearest existing ancestor. */
  lineOf(path: Path): number {
    for (let n = path.length; n >= 0; n -= 1) {
      const node: unknown = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      if ((isScalar(node) || isCollection(node)) && node.range) {
        return this.lines.linePos(node.range[0]).line;
      }
    }
    return 0;
  }
}

function bitSpace(space: Space): boolean {
  return space === 'coil' || space === 'discrete';
}

export function loadMapText(text: string, file: string, requested: MapOptions = {}): RegisterMap {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: MapProblem[] = [];
  const fail = (): never => {
    throw new MapLoadError(problems);
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      problems.push({ file, line: lineCounter.linePos(e.pos[0]).line, message: `YAML: ${e.message.split('\n')[0] ?? e.message}` });
    }
    fail();
  }
  const finder = new LineFinder(doc, lineCounter);
  const raw: unknown = doc.toJS();
  const rawRegisters = (raw as { registers?: unknown } | null)?.registers;
  const registerNameAt = (i: number): string | undefined => {
    const entry = Array.isArray(rawRegisters) ? (rawRegisters[i] as { name?: unknown } | undefined) : undefined;
    return typeof entry?.name === 'string' ? entry.name : `#${i + 1}`;
  };

  const parsed = registerMapSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      let path: Array<string | number> = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      let message = issue.message;
      if (issue.code === 'invalid_type' && issue.input === undefined) message = 'required field is missing';
      if (issue.code === 'unrecognized_keys') {
        path = [...path, issue.keys[0] ?? ''];
        message = `unknown field (${issue.keys.join(', ')})`;
      }
      const inRegister = path[0] === 'registers' && typeof path[1] === 'number';
      problems.push({
        file,
        line: finder.lineOf(path),
        register: inRegister ? registerNameAt(path[1] as number) : undefined,
        field: (inRegister ? path.slice(2) : path).join('.') || undefined,
        message,
      });
    }
    fail();
  }
  const map = parsed.data as RegisterMapFile;

  // Options: declared values, defaults, and what the caller asked for.
  const declared = map.options ?? {};
  const options: Record<string, string | number> = {};
  for (const [name, spec] of Object.entries(declared)) {
    if (!spec.values.includes(spec.default)) {
      problems.push({ file, line: finder.lineOf(['options', name, 'default']), field: `options.${name}.default`, message: `default ${spec.default} is not one of ${spec.values.join(', ')}` });
    }
    options[name] = spec.default;
  }
  for (const [name, value] of Object.entries(requested)) {
    const spec = declared[name];
    if (spec === undefined) {
      problems.push({ file, line: finder.lineOf(['options']), field: 'options', message: `profile ${map.profile} has no option "${name}" (options: ${Object.keys(declared).join(', ') || 'none'})` });
      continue;
    }
    const match = spec.values.find((v) => String(v) === String(value));
    if (match === undefined) {
      problems.push({ file, line: finder.lineOf(['options', name]), field: `options.${name}`, message: `option ${name}=${value} is not one of ${spec.values.join(', ')}` });
      continue;
    }
    options[name] = match;
  }
  if (problems.length > 0) fail();

  const defaults = map.defaults ?? {};
  const registers: MappedRegister[] = [];
  const sunssfValues = new Map<string, number>();
  const pendingScaleFactors: Array<{ register: MappedRegister; path: Path }> = [];

  map.registers.forEach((entry, index) => {
    const basePath: Path = ['registers', index];
    const problem = (register: string, field: string | undefined, message: string): void => {
      const fieldPath = field === undefined ? basePath : [...basePath, ...field.split('.')];
      problems.push({ file, line: finder.lineOf(fieldPath), register, field, message });
    };
    if (entry.when !== undefined) {
      let included = true;
      for (const [name, value] of Object.entries(entry.when)) {
        if (!(name in declared)) {
          problem(entry.name, `when.${name}`, `unknown option "${name}"`);
          included = false;
        } else if (String(options[name]) !== String(value)) included = false;
      }
      if (!included) return;
    }
    const count = combinationCount(entry.each);
    if (count > 0x10000 || count === 0) {
      problem(entry.name, 'each', count === 0 ? 'expands to no register' : `expands to ${count} registers (at most 65536)`);
      return;
    }
    const combos = combinations(entry.each);
    combos.forEach((vars, iteration) => {
      const name = substitute(entry.name, vars);
      const space = entry.space ?? defaults.space;
      if (space === undefined) {
        problem(name, 'space', 'missing (no defaults.space)');
        return;
      }
      const type: RegisterType | undefined = entry.type ?? (bitSpace(space) ? 'bool' : defaults.type);
      if (type === undefined) {
        problem(name, 'type', 'missing (no defaults.type)');
        return;
      }
      if (bitSpace(space) !== (type === 'bool')) {
        problem(name, 'type', bitSpace(space) ? `a ${space} holds one bit: type must be bool, not ${type}` : `bool is only for coil and discrete spaces, not ${space}`);
        return;
      }
      if (type === 'string' && entry.length === undefined) {
        problem(name, 'length', 'a string needs a length (in registers)');
        return;
      }
      if (entry.length !== undefined && type !== 'string' && type !== 'bitfield') {
        problem(name, 'length', `length only applies to string and bitfield, not ${type}`);
        return;
      }
      if (type === 'bitfield' && (entry.length ?? 1) > 4) {
        problem(name, 'length', 'a bitfield is at most 4 registers (64 bits)');
        return;
      }
      const length = typeLength(type, entry.length);
      const wordOrder = entry.wordOrder ?? defaults.wordOrder ?? 'ABCD';
      if (entry.wordOrder !== undefined && length === 1 && (wordOrder === 'CDAB')) {
        problem(name, 'wordOrder', `word order CDAB needs a multi-register type, ${type} is one register`);
        return;
      }
      const address = entry.address + iteration * (entry.stride ?? length);
      if (address + length > 0x10000) {
        problem(name, 'address', `register ends at ${address + length - 1}, beyond 65535`);
        return;
      }

      // Source: quantity, constant or nothing.
      let source: RegisterSource = { kind: 'none' };
      if (entry.quantity !== undefined && entry.value !== undefined) {
        problem(name, 'value', 'give either quantity or value, not both');
        return;
      }
      if (entry.quantity !== undefined) {
        const quantityName = substitute(entry.quantity, vars);
        const quantity = QUANTITIES.get(quantityName);
        if (quantity === undefined) {
          problem(name, 'quantity', `unknown quantity "${quantityName}"${suggestion(quantityName, QUANTITIES.keys())}`);
          return;
        }
        if ((quantity.kind === 'text') !== (type === 'string')) {
          problem(name, 'quantity', quantity.kind === 'text' ? `"${quantityName}" is text: type must be string` : `"${quantityName}" is a number: type ${type} cannot hold it`);
          return;
        }
        source = { kind: 'quantity', quantity };
      } else if (entry.value !== undefined) {
        const value = typeof entry.value === 'string' ? substitute(entry.value, vars) : entry.value;
        if ((typeof value === 'string') !== (type === 'string')) {
          problem(name, 'value', type === 'string' ? 'a string register needs a text value' : `a ${type} register needs a numeric value`);
          return;
        }
        source = { kind: 'constant', value };
      }
      if (type === 'sunssf') {
        if (source.kind !== 'constant' || typeof source.value !== 'number' || !Number.isInteger(source.value) || source.value < -10 || source.value > 10) {
          problem(name, 'value', 'a sunssf register needs a constant integer exponent in -10..10');
          return;
        }
        sunssfValues.set(name, source.value);
      }

      // Writes.
      const access = entry.access ?? 'read';
      let setting;
      let command: CommandName | undefined;
      if (entry.setting !== undefined || entry.command !== undefined || entry.min !== undefined || entry.max !== undefined || entry.protected === true) {
        if (access !== 'write') {
          const field = entry.setting !== undefined ? 'setting' : entry.command !== undefined ? 'command' : entry.min !== undefined ? 'min' : entry.max !== undefined ? 'max' : 'protected';
          problem(name, field, 'only a register with access: write takes setting, command, min, max or protected');
          return;
        }
      }
      if (access === 'write') {
        if (space === 'input' || space === 'discrete') {
          problem(name, 'access', `${space} registers are read-only on the protocol`);
          return;
        }
        if (entry.setting !== undefined && entry.command !== undefined) {
          problem(name, 'command', 'give either setting or command, not both');
          return;
        }
        if (entry.setting !== undefined) {
          const settingName = substitute(entry.setting, vars);
          setting = SETTINGS.get(settingName);
          if (setting === undefined) {
            problem(name, 'setting', `unknown setting "${settingName}"${suggestion(settingName, SETTINGS.keys())}`);
            return;
          }
        } else if (entry.command !== undefined) {
          const commandName = entry.command;
          command = COMMANDS.find((c) => c === commandName);
          if (command === undefined) {
            problem(name, 'command', `unknown command "${commandName}" (commands: ${COMMANDS.join(', ')})`);
            return;
          }
        } else {
          problem(name, 'access', 'a writable register needs a setting or a command');
          return;
        }
        if (type === 'string') {
          problem(name, 'type', 'string registers cannot be written');
          return;
        }
        if (!bitSpace(space)) {
          if (entry.min === undefined || entry.max === undefined) {
            problem(name, entry.min === undefined ? 'min' : 'max', 'a writable register needs bounds: min and max');
            return;
          }
          if (entry.min > entry.max) {
            problem(name, 'min', `min ${entry.min} is above max ${entry.max}`);
            return;
          }
        }
        if (command === 'unlock' && map.security === undefined) {
          problem(name, 'command', 'an unlock register needs a security section (password, timeout)');
          return;
        }
        if (entry.protected === true && map.security === undefined) {
          problem(name, 'protected', 'a protected register needs a security section (password, timeout)');
          return;
        }
      }
      if (entry.scaleFactor !== undefined && !isIntegerType(type)) {
        problem(name, 'scaleFactor', `a scale factor applies to integer types, not ${type}`);
        return;
      }

      const register: MappedRegister = {
        name,
        space,
        address,
        length,
        type,
        wordOrder,
        scale: entry.scale ?? 1,
        offset: entry.offset ?? 0,
        scaleFactor: entry.scaleFactor === undefined ? undefined : substitute(entry.scaleFactor, vars),
        unit: entry.unit ?? (source.kind === 'quantity' && (entry.scale ?? 1) === 1 ? source.quantity.unit : ''),
        description: entry.description === undefined ? (source.kind === 'quantity' ? source.quantity.description : '') : substitute(entry.description, vars),
        source,
        access,
        setting,
        command,
        min: entry.min,
        max: entry.max,
        protected: entry.protected ?? false,
        line: finder.lineOf(basePath),
      };
      if (register.scaleFactor !== undefined) pendingScaleFactors.push({ register, path: [...basePath, 'scaleFactor'] });
      registers.push(register);
    });
  });

  // Scale factors name sunssf registers.
  for (const { register, path } of pendingScaleFactors) {
    const sf = register.scaleFactor === undefined ? undefined : sunssfValues.get(register.scaleFactor);
    if (sf === undefined) {
      problems.push({ file, line: finder.lineOf(path), register: register.name, field: 'scaleFactor', message: `no sunssf register named "${register.scaleFactor}"` });
      continue;
    }
    register.scale *= 10 ** -sf;
  }

  // Unique names, no overlaps.
  const byName = new Map<string, MappedRegister>();
  for (const r of registers) {
    const other = byName.get(r.name);
    if (other !== undefined) {
      problems.push({ file, line: r.line, register: r.name, field: 'name', message: `duplicate name (also on line ${other.line})` });
    }
    byName.set(r.name, r);
  }
  for (const space of SPACES) {
    const inSpace = registers.filter((r) => r.space === space).sort((a, b) => a.address - b.address);
    for (let i = 1; i < inSpace.length; i += 1) {
      const prev = inSpace[i - 1] as MappedRegister;
      const cur = inSpace[i] as MappedRegister;
      if (cur.address < prev.address + prev.length) {
        problems.push({
          file,
          line: cur.line,
          register: cur.name,
          field: 'address',
          message: `${space} ${cur.address}..${cur.address + cur.length - 1} overlaps "${prev.name}" (${prev.address}..${prev.address + prev.length - 1}, line ${prev.line})`,
        });
      }
    }
  }

  // Identification templates name text quantities.
  const identification = (map.identification ?? []).map((o, i) => {
    for (const m of o.value.matchAll(TEMPLATE)) {
      const q = QUANTITIES.get(m[1] ?? '');
      if (q === undefined) {
        problems.push({ file, line: finder.lineOf(['identification', i, 'value']), field: `identification.${i}.value`, message: `unknown quantity "${m[1]}"` });
      }
    }
    return { id: o.id, template: o.value };
  });
  const reserved = reservedRanges(map, file, finder, problems);
  if (problems.length > 0) fail();

  return {
    file,
    profile: map.profile,
    title: map.title,
    description: map.description ?? '',
    rtu: map.rtu,
    options,
    optionValues: Object.fromEntries(Object.entries(declared).map(([name, spec]) => [name, spec.values])),
    fill: {
      input: map.fill?.input ?? 'exception',
      holding: map.fill?.holding ?? 'exception',
      coil: map.fill?.coil ?? 'exception',
      discrete: map.fill?.discrete ?? 'exception',
    },
    reserved,
    security: map.security === undefined ? undefined : {
      password: map.security.password,
      timeoutS: map.security.timeout,
      lockedException: map.security.lockedException ?? 3,
    },
    identification,
    registers: registers.sort((a, b) => SPACES.indexOf(a.space) - SPACES.indexOf(b.space) || a.address - b.address),
  };
}

export function loadMapFile(path: string, options: MapOptions = {}, label: string = path): RegisterMap {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new MapLoadError([{ file: label, line: 0, message: `cannot read: ${(error as Error).message}` }]);
  }
  return loadMapText(text, label, options);
}
