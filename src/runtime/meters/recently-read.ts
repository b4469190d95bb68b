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

/** Default capacity: about 27 KB of caches each, so at most ~270 MB (docs/scale.md). */
export const RECENTLY_READ_CAPACITY = 10_000;

export class RecentlyRead {
  /** Insertion order = recency: the first key is the least recently read. */
  private readonly order = new Map<Releasable, true>();

  constructor(readonly capacity: number = RECENTLY_READ_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.order.size;
  }

  has(meter: Releasable): boolean {
    return this.order.has(meter);
  }

  /** `meter` was just read: it becomes the most recent; the least recent beyond the capacity releases. */
  touch(meter: Releasable): void {
    if (this.order.delete(meter)) {
      this.order.set(meter, true);
      return;
    }
    this.order.set(meter, true);
    if (this.order.size <= this.capacity) return;
    for (const oldest of this.order.keys()) {
      this.order.delete(oldest);
      oldest.release();
      break;
    }
  }

  /** Forget `meter` (closed) without asking it to release. */
  forget(meter: Releasable): void {
    this.order.delete(meter);
  }
}
