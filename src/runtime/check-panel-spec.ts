/**
 * The checks every PanelSpec passes before startPanel builds anything, whether it came from a
 * config file, from flags or from a library caller: the same cross-references the config loader
 * checks (with line numbers) there. Problems are collected and thrown as one SpecError.
 */
import type { EndpointSpec, PanelSpec } from './panel-spec.js';
import { SpecError } from './runtime-error.js';
import { roleTableWith } from './security/role-table.js';
import { excerpt, someNames } from '../common/excerpt.js';

function where(endpoint: EndpointSpec, index: number): string {
  const at = endpoint.origin === undefined ? '' : `${endpoint.origin.file}:${endpoint.origin.line}: `;
  return `${at}endpoints.${index}`;
}

function unitRange(endpoint: EndpointSpec): [number, number, string] {
  if (endpoint.kind === 'tcp' || endpoint.kind === 'tls') return endpoint.gateway ? [1, 247, 'gateway unit ids'] : [0, 255, 'TCP unit id'];
  return [1, 247, 'RTU addresses; 0 is broadcast'];
}

/** Every problem of a spec, one line each (empty when it is sound). */
export function panelSpecProblems(spec: PanelSpec): string[] {
  const problems: string[] = [];
  if (!(Number.isFinite(spec.speed) && spec.speed > 0)) problems.push(`speed must be a positive number, got ${spec.speed}`);
  if (spec.startTimeMs !== undefined && !Number.isFinite(spec.startTimeMs)) problems.push(`startTimeMs must be a finite time, got ${spec.startTimeMs}`);
  if (spec.meters.length === 0) problems.push('a panel needs at least one meter');
  const names = new Set<string>();
  const serials = new Map<number, string>();
  for (const meter of spec.meters) {
    if (names.has(meter.name)) problems.push(`meter name ${excerpt(meter.name)} is used twice`);
    names.add(meter.name);
    const other = serials.get(meter.serialNumber);
    if (other !== undefined) problems.push(`meters.${meter.name}: serial number ${meter.serialNumber} is already meter "${other}"'s`);
    serials.set(meter.serialNumber, meter.name);
  }
  const served = new Set<string>();
  const listening = new Map<string, string>();
  spec.endpoints.forEach((endpoint, i) => {
    const at = where(endpoint, i);
    if (endpoint.units.length === 0) problems.push(`${at}: an endpoint needs at least one unit`);
    if ((endpoint.kind === 'tcp' || endpoint.kind === 'tls') && !endpoint.gateway && endpoint.units.length > 1) problems.push(`${at}: several units on one TCP port need "gateway: true"`);
    const [min, max, what] = unitRange(endpoint);
    const units = new Set<number>();
    for (const binding of endpoint.units) {
      if (!names.has(binding.meter)) problems.push(`${at}: no meter named ${excerpt(binding.meter)} (meters: ${someNames(names, names.size)})`);
      if (!Number.isInteger(binding.unitId) || binding.unitId < min || binding.unitId > max) problems.push(`${at}: unit id ${binding.unitId} is outside ${min}..${max} (${what})`);
      if (units.has(binding.unitId)) problems.push(`${at}: unit id ${binding.unitId} is bound twice`);
      units.add(binding.unitId);
      served.add(binding.meter);
    }
    if (endpoint.kind !== 'rtu' && !(Number.isInteger(endpoint.port) && endpoint.port >= 0 && endpoint.port <= 65_535)) problems.push(`${at}: port ${endpoint.port} is outside 0..65535`);
    const key = endpoint.kind === 'rtu' ? `serial ${endpoint.path}` : endpoint.port === 0 ? undefined : `port ${endpoint.port}`;
    if (key !== undefined) {
      const previous = listening.get(key);
      if (previous !== undefined) problems.push(`${at}: ${key} is already used by ${previous}`);
      else listening.set(key, `endpoints.${i}`);
    }
  });
  const roles = roleTableWith(spec.roles);
  spec.endpoints.forEach((endpoint, i) => {
    if (endpoint.kind === 'tls' && endpoint.defaultRole !== undefined && roles[endpoint.defaultRole] === undefined) {
      problems.push(`${where(endpoint, i)}: default role "${endpoint.defaultRole}" is not in the role table (${Object.keys(roles).join(', ')})`);
    }
  });
  for (const meter of spec.meters) if (!served.has(meter.name)) problems.push(`meters.${meter.name}: meter "${meter.name}" is not served by any endpoint`);
  return problems;
}

/** Throws a SpecError naming the first problem (and how many more) when the spec is not sound. */
export function checkPanelSpec(spec: PanelSpec): void {
  throwProblems(panelSpecProblems(spec));
}

/** Throws a SpecError naming the first of `problems` (and how many more); nothing when there is none. */
export function throwProblems(problems: readonly string[]): void {
  const first = problems[0];
  if (first === undefined) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  throw new SpecError(first + more);
}
