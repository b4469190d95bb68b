/**
 * Loading a panel config file: YAML (with line numbers) -> zod schema -> cross-references ->
 * PanelSpec. Every problem names the file, the line and the field; all problems are collected
 * and thrown together as one ConfigError.
 */
import { FileTooLargeError, fileSizeLimits, readTextFileWithin } from '../../common/bounded-file.js';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import type { EndpointSpec, MeterSpec, PanelSpec, UnitBinding } from '../panel-spec.js';
import { errorMessage } from '../../common/error-message.js';
import { excerpt, someNames } from '../../common/excerpt.js';
import { fieldPath, type FieldPath } from '../../common/source-problem.js';
import { parseYaml, schemaIssues } from '../../common/yaml-document.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { parseTcpEndpoint as parseHostPort, parseTlsEndpoint } from '../endpoints/tcp-address.js';
import type { RoleTable } from '../security/role-table.js';
import { endpointSchemas, panelConfigSchema, type EndpointEntry, type MeterEntry } from './panel-config-schema.js';
import { DEFAULT_PROFILE, DEFAULT_RTU_LINE, DEFAULT_SOURCE, defaultSerialNumber } from './meter-defaults.js';
import { mqttOptionsFromConfig } from './mqtt-config.js';

type Path = FieldPath;

function resolveFrom(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/** Source paths (comtrade:FILE, csv:FILE) are relative to the config file. */
function resolveSource(baseDir: string, source: string): string {
  const colon = source.indexOf(':');
  const kind = source.slice(0, colon);
  if (kind === 'synthetic') return source;
  return `${kind}:${resolveFrom(baseDir, source.slice(colon + 1))}`;
}

/** Parses and validates a config file's text; `file` names it in messages and anchors relative paths. */
export function parsePanelConfig(text: string, file: string): PanelSpec {
  const yaml = parseYaml(text, file);
  if (!yaml.ok) throw new ConfigError(yaml.problems);
  const lines = yaml.document;
  const problems: ConfigProblem[] = [];
  const problem = (path: Path, message: string): void => {
    problems.push(lines.problemAt(path, message));
  };
  const addIssues = (error: z.ZodError, data: unknown, prefix: Path): void => {
    for (const issue of schemaIssues(error.issues, data, prefix)) problem(issue.path, issue.message);
  };

  const parsed = panelConfigSchema.safeParse(lines.value);
  if (!parsed.success) {
    addIssues(parsed.error, lines.value, []);
    throw new ConfigError(problems);
  }
  const config = parsed.data;
  const baseDir = dirname(resolve(file));
  const stateRoot = config.state === undefined ? undefined : resolveFrom(baseDir, config.state);
  const defaults = config.defaults ?? {};

  // Meters.
  const meters: MeterSpec[] = [];
  const byName = new Map<string, MeterSpec>();
  const serials = new Map<number, string>();
  let index = 0;
  for (const [name, rawEntry] of Object.entries(config.meters)) {
    index += 1;
    const entry: MeterEntry = rawEntry ?? {};
    const serialNumber = entry.serialNumber ?? defaultSerialNumber(index);
    const other = serials.get(serialNumber);
    if (other !== undefined) problem(['meters', name, 'serialNumber'], `serial number ${serialNumber} is already meter "${other}"'s`);
    serials.set(serialNumber, name);
    const meter: MeterSpec = {
      name,
      profile: entry.profile ?? defaults.profile ?? DEFAULT_PROFILE,
      profileOptions: { ...defaults.profileOptions, ...entry.profileOptions },
      source: resolveSource(baseDir, entry.source ?? defaults.source ?? DEFAULT_SOURCE),
      serialNumber,
      seed: entry.seed ?? index,
      settings: { ...defaults.settings, ...entry.settings },
      stateDir: stateRoot === undefined ? undefined : join(stateRoot, name),
      origin: { file, line: lines.lineOf(['meters', name]) },
    };
    meters.push(meter);
    byName.set(name, meter);
  }
  if (meters.length === 0) problem(['meters'], 'a panel needs at least one meter');

  // Endpoints.
  const endpoints: EndpointSpec[] = [];
  const served = new Set<string>();
  const listening = new Map<string, string>();
  config.endpoints.forEach((raw, i) => {
    const at: Path = ['endpoints', i];
    const kind = endpointKind(raw);
    if (kind === undefined) {
      problem(at, 'an endpoint needs one of "tcp: HOST:PORT", "rtu: DEVICE", "rtuOverTcp: HOST:PORT" or "tls: HOST[:PORT]"');
      return;
    }
    const result = endpointSchemas[kind].safeParse(raw);
    if (!result.success) {
      addIssues(result.error, raw, at);
      return;
    }
    const entry: EndpointEntry = result.data;
    const units = unitBindings(entry, at, problem);
    for (const binding of units) {
      if (!byName.has(binding.meter)) {
        problem(bindingPath(entry, at, binding), `no meter named ${excerpt(binding.meter)} (meters: ${someNames(byName.keys(), byName.size)})`);
      }
      served.add(binding.meter);
    }
    const origin = { file, line: lines.lineOf(at) };
    const endpoint = toEndpoint(entry, units, origin, at, problem, baseDir);
    if (endpoint === undefined) return;
    if (endpoint.kind === 'tls' && endpoint.defaultRole !== undefined) {
      const known = [...new Set(['reader', 'operator', 'admin', ...Object.keys(config.roles ?? {})])];
      if (!known.includes(endpoint.defaultRole)) problem([...at, 'defaultRole'], `no role named "${endpoint.defaultRole}" (roles: ${known.join(', ')})`);
    }
    const key = endpoint.kind === 'rtu' ? `serial ${endpoint.path}` : endpoint.port === 0 ? undefined : `port ${endpoint.port}`;
    if (key !== undefined) {
      const previous = listening.get(key);
      if (previous !== undefined) problem(at, `${key} is already used by ${previous}`);
      else listening.set(key, fieldPath(at));
    }
    endpoints.push(endpoint);
  });
  const endpointProblems = problems.some((p) => p.field.startsWith('endpoints'));
  for (const meter of meters) {
    if (!endpointProblems && !served.has(meter.name)) problem(['meters', meter.name], `meter "${meter.name}" is not served by any endpoint`);
  }
  const mqttMeters = Object.fromEntries(Object.entries(config.meters).map(([name, entry]) => [name, entry?.mqtt ?? defaults.mqtt]));
  if (config.mqtt === undefined && Object.values(mqttMeters).some((m) => m !== undefined)) {
    problem(['mqtt'], 'meters have mqtt settings but the panel has no "mqtt: { url: ... }" block');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    meters,
    endpoints,
    ...(config.roles === undefined ? {} : { roles: roleTable(config.roles) }),
    speed: config.speed ?? 1,
    startTimeMs: config.startTime === undefined ? undefined : Date.parse(config.startTime),
    mqtt: config.mqtt === undefined ? undefined : mqttOptionsFromConfig(config.mqtt, mqttMeters, (path) => resolveFrom(baseDir, path)),
  };
}

/** Reads and validates a config file. */
export function loadPanelConfig(file: string): PanelSpec {
  let text: string;
  try {
    text = readTextFileWithin(file, fileSizeLimits.panelConfig, 'a panel config');
  } catch (error) {
    if (error instanceof FileTooLargeError) throw new ConfigError([{ file, line: 0, field: '', message: error.reason }]);
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(error);
    throw new ConfigError([{ file, line: 0, field: '', message: `cannot read config: ${reason}` }]);
  }
  return parsePanelConfig(text, file);
}

type Kind = keyof typeof endpointSchemas;

function endpointKind(raw: unknown): Kind | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const present = (['tcp', 'rtu', 'rtuOverTcp', 'tls'] as const).filter((k) => k in raw);
  return present.length === 1 ? present[0] : undefined;
}

/** With `meters: [a, b, ...]` a binding's unit id is its position + 1 (no search: a problem per binding stays linear). */
function bindingPath(entry: EndpointEntry, at: Path, binding: UnitBinding): Path {
  if (entry.units !== undefined) return [...at, 'units', String(binding.unitId)];
  return [...at, 'meters', binding.unitId - 1];
}

function unitBindings(entry: EndpointEntry, at: Path, problem: (path: Path, message: string) => void): UnitBinding[] {
  if (entry.units !== undefined && entry.meters !== undefined) {
    problem(at, 'give either "units" (unit id -> meter) or "meters" (unit ids 1, 2 ...), not both');
    return [];
  }
  if (entry.units !== undefined) {
    const bindings = Object.entries(entry.units).map(([unit, meter]) => ({ unitId: Number(unit), meter }));
    if (bindings.length === 0) problem([...at, 'units'], 'an endpoint needs at least one unit');
    return bindings.sort((a, b) => a.unitId - b.unitId);
  }
  if (entry.meters !== undefined) return entry.meters.map((meter, i) => ({ unitId: i + 1, meter }));
  problem(at, 'an endpoint needs "units: { 1: METER }" or "meters: [METER, ...]"');
  return [];
}

function toEndpoint(
  entry: EndpointEntry,
  units: UnitBinding[],
  origin: { file: string; line: number },
  at: Path,
  problem: (path: Path, message: string) => void,
  baseDir: string,
): EndpointSpec | undefined {
  const checkUnits = (min: number, max: number, what: string): void => {
    for (const binding of units) {
      if (binding.unitId < min || binding.unitId > max) problem(bindingPath(entry, at, binding), `unit id ${binding.unitId} is outside ${min}..${max} (${what})`);
    }
  };
  if ('rtu' in entry) {
    checkUnits(1, 247, 'RTU addresses; 0 is broadcast');
    return {
      kind: 'rtu',
      path: entry.rtu,
      baudRate: entry.baud ?? DEFAULT_RTU_LINE.baudRate,
      parity: entry.parity ?? DEFAULT_RTU_LINE.parity,
      stopBits: entry.stopBits ?? DEFAULT_RTU_LINE.stopBits,
      responseDelayMs: entry.responseDelayMs ?? 0,
      units,
      origin,
    };
  }
  if ('tls' in entry) {
    let address;
    try {
      address = parseTlsEndpoint(entry.tls);
    } catch (error) {
      problem([...at, 'tls'], errorMessage(error).replace(/^--tls /, ''));
      return undefined;
    }
    const gateway = entry.gateway ?? units.length > 1;
    if (!gateway && units.length > 1) problem([...at, 'gateway'], 'several units on one TLS port need "gateway: true"');
    checkUnits(gateway ? 1 : 0, gateway ? 247 : 255, gateway ? 'gateway unit ids' : 'TCP unit id');
    return {
      kind: 'tls',
      host: address.host,
      port: address.port,
      units,
      gateway,
      credentials: { certFile: resolveFrom(baseDir, entry.cert), keyFile: resolveFrom(baseDir, entry.key), caFile: resolveFrom(baseDir, entry.ca) },
      defaultRole: entry.defaultRole,
      origin,
    };
  }
  const address = 'tcp' in entry ? entry.tcp : entry.rtuOverTcp;
  const field = 'tcp' in entry ? 'tcp' : 'rtuOverTcp';
  let hostPort;
  try {
    hostPort = parseHostPort(address);
  } catch (error) {
    problem([...at, field], errorMessage(error));
    return undefined;
  }
  if ('tcp' in entry) {
    const gateway = entry.gateway ?? units.length > 1;
    if (!gateway && units.length > 1) problem([...at, 'gateway'], 'several units on one TCP port need "gateway: true"');
    checkUnits(gateway ? 1 : 0, gateway ? 247 : 255, gateway ? 'gateway unit ids' : 'TCP unit id');
    return { kind: 'tcp', host: hostPort.host, port: hostPort.port, units, gateway, origin };
  }
  checkUnits(1, 247, 'RTU addresses; 0 is broadcast');
  return { kind: 'rtu-over-tcp', host: hostPort.host, port: hostPort.port, units, origin };
}

type ConfiguredRoles = NonNullable<z.infer<typeof panelConfigSchema>['roles']>;

function roleTable(roles: ConfiguredRoles): RoleTable {
  const table: Record<string, RoleTable[string]> = {};
  for (const [name, role] of Object.entries(roles)) {
    table[name] = { functions: role.functions, writes: role.writes ?? [], ranges: role.ranges ?? [] };
  }
  return table;
}
