/**
 * The lazy meters observed most recently (caught up for a Modbus read, an MQTT message, a wake-up,
 * a flush), up to a capacity: they keep what makes their next observation cheap (register images,
 * the read context, the demand arrays, the last window). When a meter falls out (the least
 * recently observed beyond the capacity), it is asked to release all that; its next observation
 * rebuilds it with the same results. So a fleet's memory for caches is bounded by the capacity,
 * not by the fleet: 100,000 meters polled round-robin do not all hold images.
 */
/**
 * A member of a RecentlyRead: what drops its caches (nothing observable changes), and its latest
 * touch number (0: it holds none), kept on the member itself so that a touch or an eviction of one
 * of 100,000 meters reads no hash table (each lookup of a cold key was a cache miss, ~10 % of a read).
 * A holder belongs to one RecentlyRead.
 */
export class CacheHolder {
  /** Written by RecentlyRead only. */
  stamp = 0;

  constructor(readonly release: () => void) {}
}

/**
 * A fleet of up to this many meters keeps every meter's caches (about 20-27 KB each, so ~270 MB
 * at most, docs/scale.md): an output that observes every meter in turn (MQTT telemetry every 10 s)
 * then finds each one warm. Also the default capacity.
 */
export const WHOLE_FLEET_CACHED_UP_TO = 10_000;
/**
 * A larger fleet keeps its 256 most recently observed: a head-end reads a meter's few register
 * blocks one after the other (a meter stays cached across them, with 255 others read in between),
 * while polls spread over 100,000 meters would hit a cache of 10,000 only 10 % of the time. A
 * small cache also lets what a cold read builds die young: with 2,000, each read's caches outlived
 * the young generation (under uniform polls of 100,000 meters: ~29 us a read against ~22 us with
 * 256, measured in one process).
 */
export const LARGE_FLEET_CAPACITY = 256;

/** The capacity for a panel of `fleetSize` lazy meters. */
export function recentlyReadCapacity(fleetSize: number): number {
  return fleetSize <= WHOLE_FLEET_CACHED_UP_TO ? WHOLE_FLEET_CACHED_UP_TO : LARGE_FLEET_CAPACITY;
}

export class RecentlyRead {
  private held = 0;
  /**
   * Touches in order (member and touch number), oldest at `head`: a member's older entries are
   * stale (its stamp moved on) and skipped; compacted when stale entries pile up.
   */
  private queue: CacheHolder[] = [];
  private queueStamps: number[] = [];
  private head = 0;
  private clock = 0;

  constructor(readonly capacity: number = WHOLE_FLEET_CACHED_UP_TO) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.held;
  }

  has(member: CacheHolder): boolean {
    return member.stamp !== 0;
  }

  /** `member` was just observed: it becomes the most recent; the least recent beyond the capacity releases. */
  touch(member: CacheHolder): void {
    // Touched again before any other (the ticks of one catch-up, the observers of one read): it
    // is the most recent already, and a second queue entry would only be skipped later.
    if (member.stamp === this.clock && member.stamp !== 0) return;
    if (member.stamp === 0) this.held += 1;
    const stamp = ++this.clock;
    member.stamp = stamp;
    this.queue.push(member);
    this.queueStamps.push(stamp);
    while (this.held > this.capacity) this.evictOldest();
    if (this.queue.length - this.head > 2 * this.capacity + 1024 || this.head > this.capacity + 1024) this.compact();
  }

  /** Forget `member` (closed) without asking it to release. */
  forget(member: CacheHolder): void {
    if (member.stamp === 0) return;
    member.stamp = 0;
    this.held -= 1;
  }

  private evictOldest(): void {
    while (this.head < this.queue.length) {
      const member = this.queue[this.head];
      const stamp = this.queueStamps[this.head];
      this.head += 1;
      if (member !== undefined && member.stamp === stamp) {
        member.stamp = 0;
        this.held -= 1;
        member.release();
        return;
      }
    }
  }

  /** Drop the stale and the consumed entries (amortised: at most once per `capacity` touches). */
  private compact(): void {
    const queue: CacheHolder[] = [];
    const stamps: number[] = [];
    for (let i = this.head; i < this.queue.length; i += 1) {
      const member = this.queue[i];
      const stamp = this.queueStamps[i];
      if (member !== undefined && member.stamp === stamp) {
        queue.push(member);
        stamps.push(stamp as number);
      }
    }
    this.queue = queue;
    this.queueStamps = stamps;
    this.head = 0;
  }
}
