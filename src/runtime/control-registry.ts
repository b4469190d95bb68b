/** The faults layer's ControlRegistry over a panel: its meters, their endpoints and unit ids. */
import type { ControlledMeter, ControlRegistry } from '../control/control-registry.js';
import type { CommFaultPolicy } from '../modbus/faults/comm-fault-policy.js';
import { mbapFraming, rtuFraming } from '../modbus/index.js';
import type { PanelClock, PanelMeter } from './panel-meter.js';
import type { EndpointSpec, PanelSpec } from './panel-spec.js';
import { registerMapFor } from './meters/default-meter-factory.js';
import { servedRegisterRows } from './read/served-registers.js';
import type { RegisterMap } from '../registers/register-map.js';

/** The meter's register map when its profile is one of the maps (not a device of its own, like demo). */
function mapOf(profile: string, options: Readonly<Record<string, string | number>>): RegisterMap | undefined {
  try {
    return registerMapFor(profile, options);
  } catch {
    return undefined;
  }
}

/** Endpoint names the fault hooks are bound with: "tcp:127.0.0.1:1502", "rtu:/dev/ttyUSB0", "rtu-tcp:..."; "#n" when repeated (port 0). */
export function endpointNames(endpoints: readonly EndpointSpec[]): string[] {
  const seen = new Map<string, number>();
  return endpoints.map((endpoint) => {
    const base =
      endpoint.kind === 'rtu' ? `rtu:${endpoint.path}` : `${endpoint.kind === 'rtu-over-tcp' ? 'rtu-tcp' : endpoint.kind}:${endpoint.host}:${endpoint.port}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}#${count}`;
  });
}

export function controlRegistry(spec: PanelSpec, meters: readonly PanelMeter[], names: readonly string[], policy: CommFaultPolicy, clock: PanelClock): ControlRegistry {
  const controlled: ControlledMeter[] = [];
  for (const meter of meters) {
    const commands = meter.commands;
    if (commands === undefined) continue;
    const faultScopes = spec.endpoints.flatMap((endpoint, i) =>
      endpoint.units.filter((u) => u.meter === meter.spec.name).map((u) => ({ endpoint: names[i] ?? `endpoint-${i}`, unitId: u.unitId })),
    );
    const map = mapOf(meter.spec.profile, meter.spec.profileOptions);
    controlled.push({
      ...(map === undefined ? {} : { registers: () => servedRegisterRows(map, meter.device) }),
      id: meter.spec.name,
      description: `${meter.spec.profile} on ${meter.sourceDescription}, serial ${meter.spec.serialNumber}`,
      commands,
      faultScopes,
      ...(meter.physical === undefined ? {} : { physical: meter.physical }),
    });
  }
  return {
    clock,
    commFaults: policy,
    endpoints: spec.endpoints.map((endpoint, i) => ({ name: names[i] ?? `endpoint-${i}`, framing: (endpoint.kind === 'tcp' || endpoint.kind === 'tls' ? mbapFraming : rtuFraming).name })),
    meters: controlled,
  };
}
