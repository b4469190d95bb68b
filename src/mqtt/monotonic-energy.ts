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
  private readonly offsets: Float64Array;
  private readonly lastPublished: Float64Array;

  /** `indices[k]`: where the value named `keys[k]` sits in the values passed to apply(). */
  constructor(
    private readonly keys: readonly string[],
    private readonly indices: readonly number[],
  ) {
    if (keys.length !== indices.length) throw new RangeError('MonotonicEnergy needs one index per key');
    this.offsets = new Float64Array(keys.length);
    this.lastPublished = new Float64Array(keys.length).fill(Number.NaN);
  }

  /** Rewrites `values` in place so no guarded value is below its last published one; returns the falls seen. */
  apply(values: Float64Array): EnergyFall[] {
    let falls: EnergyFall[] | undefined;
    for (let k = 0; k < this.indices.length; k += 1) {
      const index = this.indices[k] ?? -1;
      const register = values[index];
      if (register === undefined || !Number.isFinite(register)) continue;
      let offset = this.offsets[k] ?? 0;
      const previous = this.lastPublished[k] ?? Number.NaN;
      if (register + offset < previous) {
        (falls ??= []).push({ key: this.keys[k] ?? '', publishedBefore: previous, registerNow: register });
        offset = previous - register;
        this.offsets[k] = offset;
      }
      const published = register + offset;
      values[index] = published;
      this.lastPublished[k] = published;
    }
    return falls ?? NO_FALLS;
  }

  /** The offset added to a key's register (0 until it fell). */
  offset(key: string): number {
    const k = this.keys.indexOf(key);
    return k < 0 ? 0 : (this.offsets[k] ?? 0);
  }
}

const NO_FALLS: EnergyFall[] = [];
