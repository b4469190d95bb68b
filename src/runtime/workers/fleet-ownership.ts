/**
 * Which worker of `serve --workers N` serves what: the same shard function the workers slice the
 * panel with (shardPanelSpec), so the primary's answer is the workers' own by construction. A
 * meter belongs to the worker whose slice holds it; an endpoint name (as the control API names it:
 * endpointNames over that worker's slice) to the worker that binds it. The panel's meter order is
 * the order one process lists its meters in.
 */
import { endpointNames } from '../control-registry.js';
import { shardPanelSpec } from '../config/shard.js';
import type { PanelSpec } from '../panel-spec.js';

export class FleetOwnership {
  private readonly meterWorker = new Map<string, number>();
  private readonly endpointWorker = new Map<string, number>();
  private readonly meterIndex = new Map<string, number>();
  private readonly scopeCount = new Map<string, number>();
  /** Every endpoint name of the fleet, worker by worker (what one process would list). */
  readonly endpointNames: readonly string[];

  /** `spec` is the panel the workers slice (after --shard); `count` the number of workers. */
  constructor(
    spec: PanelSpec,
    readonly count: number,
  ) {
    spec.meters.forEach((meter, i) => this.meterIndex.set(meter.name, i));
    const names: string[] = [];
    for (let w = 1; w <= count; w += 1) {
      const slice = shardPanelSpec(spec, { index: w, count }, '--workers');
      for (const meter of slice.meters) this.meterWorker.set(meter.name, w);
      for (const endpoint of slice.endpoints) for (const unit of endpoint.units) this.scopeCount.set(unit.meter, (this.scopeCount.get(unit.meter) ?? 0) + 1);
      for (const name of endpointNames(slice.endpoints)) {
        names.push(name);
        if (!this.endpointWorker.has(name)) this.endpointWorker.set(name, w);
      }
    }
    this.endpointNames = names;
  }

  /** The worker (1..count) that serves meter `name`, or undefined for a meter the panel does not have. */
  workerOfMeter(name: string): number | undefined {
    return this.meterWorker.get(name);
  }

  /** The worker that binds the endpoint called `name` (e.g. "tcp:127.0.0.1:1502"), or undefined. */
  workerOfEndpoint(name: string): number | undefined {
    return this.endpointWorker.get(name);
  }

  /** How many (endpoint, unit id) pairs serve meter `name`: the faults a fault "for this meter" makes. */
  faultScopeCount(name: string): number {
    return this.scopeCount.get(name) ?? 0;
  }

  /** The meter's position in the panel (for listing in one process's order); unknown names last. */
  orderOf(name: string): number {
    return this.meterIndex.get(name) ?? Number.MAX_SAFE_INTEGER;
  }
}
