/**
 * The lazy meters observed most recently (caught up for a Modbus read, an MQTT message, a wake-up,
 * a flush), up to a capacity: they keep what makes their next observation cheap (register images,
 * the read context, their model's unpacked parts, the demand arrays, the last window). When a
 * meter falls out (the least recently observed beyond the capacity), it is asked to release all
 * that; its next observation rebuilds it with the same results. So a fleet's memory for caches is bounded by
 * the capacity, not by the fleet: 100,000 meters polled round-robin do not all hold images.
 */
export interface Releasable {
  /** Drop caches; nothing observable changes. */
  release(): void;
}

/**
 * A fleet of up to this many meters keeps every meter's caches (about 20-27 KB each, so ~270 MB
 * at most, docs/scale.md): an output that observes every meter in turn (MQTT telemetry every 10 s)
 * then finds each one warm. Also the default capacity.
 */
export const WHOLE_FLEET_CACHED_UP_TO = 10_000;
/**
 * A larger fleet keeps its 2,000 most recently observed: a head-end reads a meter's few register
 * blocks one after the other (a meter stays cached across them), while polls spread over 100,000
 * meters would hit a cache of 10,000 only 10 % of the time (2,000: 2 %), not worth ~220 MB more.
 */
export const LARGE_FLEET_CAPACITY = 2_000;

/** The capacity for a panel of `fleetSize` lazy meters. */
export function recentlyReadCapacity(fleetSize: number): number {
  return fleetSize <= WHOLE_FLEET_CACHED_UP_TO ? WHOLE_FLEET_CACHED_UP_TO : LARGE_FLEET_CAPACITY;
}

export class RecentlyRead {
  /** Each member's latest touch number. */
  private readonly stamps = new Map<Releasable, number>();
  /**
   * Touches in order (member and touch number), oldest at `head`: a member's older entries are
   * stale (its stamp moved on) and skipped. Never iterated from a Map's front (deleted Map entries
   * make that slow), compacted when stale entries pile up.
   */
  private queue: Releasable[] = [];
  private queueStamps: number[] = [];
  private head = 0;
  private clock = 0;

  constructor(readonly capacity: number = WHOLE_FLEET_CACHED_UP_TO) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.stamps.size;
  }

  has(meter: Releasable): boolean {
    return this.stamps.has(meter);
  }

  /** `meter` was just observed: it becomes the most recent; the least recent beyond the capacity releases. */
  touch(meter: Releasable): void {
    const stamp = ++this.clock;
    this.stamps.set(meter, stamp);
    this.queue.push(meter);
    this.queueStamps.push(stamp);
    while (this.stamps.size > this.capacity) this.evictOldest();
    if (this.queue.length - this.head > 2 * this.capacity + 1024 || this.head > this.capacity + 1024) this.compact();
  }

  /** Forget `meter` (closed) without asking it to release. */
  forget(meter: Releasable): void {
    this.stamps.delete(meter);
  }

  private evictOldest(): void {
    while (this.head < this.queue.length) {
      const meter = this.queue[this.head];
      const stamp = this.queueStamps[this.head];
      this.head += 1;
      if (meter !== undefined && this.stamps.get(meter) === stamp) {
        this.stamps.delete(meter);
        meter.release();
        return;
      }
    }
  }

  /** Drop the stale and the consumed entries (amortised: at most once per `capacity` touches). */
  private compact(): void {
    const queue: Releasable[] = [];
    const stamps: number[] = [];
    for (let i = this.head; i < this.queue.length; i += 1) {
      const meter = this.queue[i];
      const stamp = this.queueStamps[i];
      if (meter !== undefined && stamp !== undefined && this.stamps.get(meter) === stamp) {
        queue.push(meter);
        stamps.push(stamp);
      }
    }
    this.queue = queue;
    this.queueStamps = stamps;
    this.head = 0;
  }
}
