/** Unit ids and meters of an endpoint in one short phrase ("unit 1 -> incomer", "units 1..4 -> tenant-1..tenant-4"). */
import type { UnitBinding } from '../panel-spec.js';

export function describeUnits(units: readonly UnitBinding[]): string {
  const first = units[0];
  const last = units[units.length - 1];
  if (first === undefined || last === undefined) return 'no units';
  if (units.length === 1) return `unit ${first.unitId} -> ${first.meter}`;
  const consecutive = units.every((u, i) => u.unitId === first.unitId + i);
  if (consecutive && units.length > 3) return `units ${first.unitId}..${last.unitId} -> ${first.meter} .. ${last.meter}`;
  return `units ${units.map((u) => `${u.unitId} -> ${u.meter}`).join(', ')}`;
}
