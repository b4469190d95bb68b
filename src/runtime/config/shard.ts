/**
 * One slice of a panel: `--shard K/N` (and each worker of `--workers`) serves the K-th of N
 * contiguous slices of the panel's endpoints, and the meters they serve. The panel is described
 * whole first, so every identity (meter name, serial number, seed, port, unit id, state
 * directory) is a function of the meter's global index, never of the slice: a meter is the same
 * whichever process or pod serves it, and the slices are disjoint and together complete.
 */
import type { MeterSpec, PanelSpec } from '../panel-spec.js';
import { SpecError } from '../runtime-error.js';

/** The K-th (1-based) of N slices. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** "K/N" with 1 <= K <= N. */
export function parseShard(text: string, flag = '--shard'): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !(count >= 1) || !(index >= 1) || index > count) {
    throw new SpecError(`${flag} must be K/N with 1 <= K <= N (e.g. 2/4), got "${text}"`);
  }
  return { index, count };
}

/** The endpoint indices [from, to) of slice `shard` of `endpoints` endpoints. */
export function shardRange(endpoints: number, shard: Shard): { from: number; to: number } {
  return {
    from: Math.floor((endpoints * (shard.index - 1)) / shard.count),
    to: Math.floor((endpoints * shard.index) / shard.count),
  };
}

/**
 * The slice of `spec` that `shard` serves: its endpoints, and every meter they serve (in the
 * panel's order). Throws SpecError when a slice would be empty or a meter is served by endpoints
 * in two slices.
 */
export function shardPanelSpec(spec: PanelSpec, shard: Shard, flag = '--shard'): PanelSpec {
  if (shard.count === 1) return spec;
  const { from, to } = shardRange(spec.endpoints.length, shard);
  if (to <= from) {
    throw new SpecError(`${flag} ${shard.index}/${shard.count}: the panel has only ${spec.endpoints.length} endpoint(s), fewer than ${shard.count} slices`);
  }
  const sliceOf = new Map<string, number>();
  spec.endpoints.forEach((endpoint, e) => {
    const slice = e >= from && e < to ? 0 : e < from ? -1 : 1;
    for (const unit of endpoint.units) {
      const known = sliceOf.get(unit.meter);
      if (known !== undefined && known !== slice && (known === 0 || slice === 0)) {
        throw new SpecError(`${flag}: meter "${unit.meter}" is served by endpoints in two slices; serve it from one endpoint or use fewer slices`);
      }
      sliceOf.set(unit.meter, slice);
    }
  });
  const meters: MeterSpec[] = spec.meters.filter((meter) => sliceOf.get(meter.name) === 0);
  return { ...spec, meters, endpoints: spec.endpoints.slice(from, to) };
}
