/**
 * Energy totals in telemetry never go down: Home Assistant's `state_class: total_increasing`
 * (and every billing consumer) reads a lower value as a meter swap. When a register falls (an
 * energy reset by command, a replaced state file), the published value keeps counting from where
 * it was: from then on it is the register plus a carried offset, and the fall is reported once so
 * the publisher can send it as an event. Offsets live as long as the process.
 */

export interface EnergyFall {
  key: string;
  /** The last value published before the fall. */
  publishedBefore: number;
  /** The register's new (lower) value. */
  registerNow: number;
}

export class MonotonicEnergy {
  private readonly offsets = new Map<string, number>();
  private readonly lastPublished = new Map<string, number>();

  constructor(private readonly keys: readonly string[]) {}

  /** Rewrites `values` in place so no key in `keys` is below its last published value; returns the falls seen. */
  apply(values: Record<string, number>): EnergyFall[] {
    const falls: EnergyFall[] = [];
    for (const key of this.keys) {
      const register = values[key];
      if (register === undefined || !Number.isFinite(register)) continue;
      let offset = this.offsets.get(key) ?? 0;
      const previous = this.lastPublished.get(key);
      if (previous !== undefined && register + offset < previous) {
        falls.push({ key, publishedBefore: previous, registerNow: register });
        offset = previous - register;
        this.offsets.set(key, offset);
      }
      const published = register + offset;
      values[key] = published;
      this.lastPublished.set(key, published);
    }
    return falls;
  }

  /** The offset added to a key's register (0 until it fell). */
  offset(key: string): number {
    return this.offsets.get(key) ?? 0;
  }
}
