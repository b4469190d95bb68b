/**
 * Loading a register map, a pipeline of named steps:
 *   read the file -> parse YAML (with a line for every node) -> validate against the schema ->
 *   select options and expand `each` -> check scale factors, names and overlaps -> compile.
 * Every problem names file, line and field (`registers["U L1"].quantity`); all the problems of a
 * step are collected and thrown together as one MapLoadError.
 */
import { FileTooLargeError, fileSizeLimits, readTextFileWithin } from '../common/bounded-file.js';
import { errorMessage } from '../common/error-message.js';
import { fieldPath } from '../common/source-problem.js';
import { parseYaml, schemaIssues, type YamlDocument } from '../common/yaml-document.js';
import { applyScaleFactors, checkOverlaps, checkUniqueNames, identificationTemplates } from './check-register-layout.js';
import { expandRegisters } from './expand-registers.js';
import { MapLoadError } from './map-load-error.js';
import { selectOptions, type MapOptions } from './map-options.js';
import { MapProblems, registerField } from './map-problems.js';
import { registerMapSchema, SPACES, type RegisterMapFile } from './map-schema.js';
import type { MappedRegister, RegisterMap, ReservedRange } from './register-map.js';
import { reservedRanges } from './reserved-ranges.js';

export type { MapOptions } from './map-options.js';

export function loadMapFile(path: string, options: MapOptions = {}, label: string = path): RegisterMap {
  return loadMapText(readMapFile(path, label), label, options);
}

export function loadMapText(text: string, file: string, requested: MapOptions = {}): RegisterMap {
  const document = parseMapYaml(text, file);
  const problems = new MapProblems(document);
  const map = validateSchema(document);
  const options = selectOptions(map, requested, problems);
  problems.throwIfAny();
  const expanded = expandRegisters(map, options, problems);
  applyScaleFactors(expanded, problems);
  checkUniqueNames(expanded.registers, problems);
  checkOverlaps(expanded.registers, problems);
  const identification = identificationTemplates(map, problems);
  const reserved = reservedRanges(map, problems);
  problems.throwIfAny();
  return compileRegisterMap(file, map, options, identification, expanded.registers, reserved);
}

function readMapFile(path: string, label: string): string {
  try {
    return readTextFileWithin(path, fileSizeLimits.registerMap, 'a register map');
  } catch (error) {
    if (error instanceof FileTooLargeError) throw new MapLoadError([{ file: label, line: 0, field: '', message: error.reason }]);
    throw new MapLoadError([{ file: label, line: 0, field: '', message: `cannot read: ${errorMessage(error)}` }]);
  }
}

function parseMapYaml(text: string, file: string): YamlDocument {
  const parsed = parseYaml(text, file);
  if (!parsed.ok) throw new MapLoadError(parsed.problems);
  return parsed.document;
}

/** The file against the schema; a problem inside a register names the register. */
function validateSchema(document: YamlDocument): RegisterMapFile {
  const parsed = registerMapSchema.safeParse(document.value);
  if (parsed.success) return parsed.data;
  const rawRegisters = (document.value as { registers?: unknown } | null)?.registers;
  const registerNameAt = (i: number): string | undefined => {
    const entry = Array.isArray(rawRegisters) ? (rawRegisters[i] as { name?: unknown } | undefined) : undefined;
    return typeof entry?.name === 'string' ? entry.name : undefined;
  };
  throw new MapLoadError(
    schemaIssues(parsed.error.issues, document.value).map(({ path, message }) => {
      const index = path[0] === 'registers' ? path[1] : undefined;
      const name = typeof index === 'number' ? registerNameAt(index) : undefined;
      const field = name === undefined ? fieldPath(path) : registerField(name, path.slice(2));
      return { file: document.file, line: document.lineOf(path), field, message };
    }),
  );
}

function compileRegisterMap(
  file: string,
  map: RegisterMapFile,
  options: Readonly<Record<string, string | number>>,
  identification: ReadonlyArray<{ id: number; template: string }>,
  registers: MappedRegister[],
  reserved: readonly ReservedRange[],
): RegisterMap {
  return {
    file,
    profile: map.profile,
    title: map.title,
    description: map.description ?? '',
    rtu: map.rtu,
    options,
    optionValues: Object.fromEntries(Object.entries(map.options ?? {}).map(([name, spec]) => [name, spec.values])),
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
