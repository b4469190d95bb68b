/**
 * The registry: what the control API controls. Whoever serves meters (the `serve` command, a
 * library user, a test) builds one and hands it to a FaultController; the control layer needs
 * nothing else. Every field is plain data or an existing contract, so building it is wiring only:
 *
 *   const policy = new CommFaultPolicy({ now: () => clock.nowMs(), seed });
 *   // each transport gets policy.forEndpoint(name, framing) as its fault hook
 *   const registry: ControlRegistry = {
 *     clock,
 *     commFaults: policy,
 *     endpoints: [{ name: 'tcp:127.0.0.1:1502', framing: 'mbap' }],
 *     meters: [{ id: 'm1', description: 'sdm630 on synthetic:office', commands: meter,
 *                faultScopes: [{ endpoint: 'tcp:127.0.0.1:1502', unitId: 1 }],
 *                physical: sourcePhysicalTarget(source, meter) }],
 *   };
 */
import type { MeterCommands } from '../meter/commands.js';
import type { CommFaultPolicy } from '../modbus/faults/comm-fault-policy.js';
import type { FramingName } from '../modbus/index.js';
import type { PhysicalTarget } from './physical-target.js';

/** Where a meter is reachable: an endpoint name (as its transport's hook is bound) and a unit id. */
export interface MeterFaultScope {
  endpoint: string;
  unitId: number;
}

export interface ControlledMeter {
  /** Stable name used in URLs and timelines ("m1", "panel-a/3"); unique in the registry. */
  readonly id: string;
  /** One line for humans: profile, source, serial number. */
  readonly description: string;
  readonly commands: MeterCommands;
  /** Endpoints and unit ids the meter answers on; comm faults "for this meter" are scoped to these. */
  readonly faultScopes: readonly MeterFaultScope[];
  /** Physical scenarios; absent when the meter's source cannot be changed (e.g. a recording). */
  readonly physical?: PhysicalTarget;
  /** The live register map as Modbus serves it (address, raw words, decoded value); absent for plain devices. */
  readonly registers?: () => RegisterRow[];
}

/** One register (or value spanning several registers) of a meter's map, as served now. */
export interface RegisterRow {
  readonly name: string;
  readonly space: 'input' | 'holding' | 'coil' | 'discrete';
  /** 0-based protocol address of the first register (or bit). */
  readonly address: number;
  /** The 16-bit words as served (a bit: 0 or 1). */
  readonly words: number[];
  /** Decoded to SI (text for strings). */
  readonly value: number | string;
  /** SI unit of `value`. */
  readonly unit: string;
  /** The meter quantity behind it ("voltage.l1"), or "constant". */
  readonly quantity: string;
}

export interface ServedEndpoint {
  /** Name the transport's fault hook is bound with, e.g. "tcp:127.0.0.1:1502", "rtu:/dev/ttyUSB0". */
  readonly name: string;
  readonly framing: FramingName;
}

export interface ControlRegistry {
  /** The meters' clock (ms since the Unix epoch): scenarios and timelines run on it. */
  readonly clock: { nowMs(): number };
  /** The policy every transport consults (through policy.forEndpoint(name, framing)). */
  readonly commFaults: CommFaultPolicy;
  readonly endpoints: readonly ServedEndpoint[];
  readonly meters: readonly ControlledMeter[];
}
