/**
 * A fixed-capacity ring: pushing beyond capacity drops the oldest item. The storage grows as
 * items arrive (a 45-day load-profile ring of 4320 slots costs nothing until it fills), so a
 * fleet of thousands of young meters does not hold thousands of empty rings.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private length = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.items = [];
  }

  get size(): number {
    return this.length;
  }

  push(item: T): void {
    // while filling, next === items.length: append; once full, overwrite the oldest
    if (this.items.length < this.capacity) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.length < this.capacity) this.length += 1;
  }

  /** Item by age: 0 = newest; undefined beyond what the ring holds. */
  fromNewest(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    return this.items[(this.next - 1 - index + this.capacity * 2) % this.capacity];
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = this.length - 1; i >= 0; i -= 1) {
      const item = this.fromNewest(i);
      if (item !== undefined) out.push(item);
    }
    return out;
  }

  clear(): void {
    this.items.length = 0;
    this.next = 0;
    this.length = 0;
  }
}
