/**
 * Messages waiting for the broker (away, reconnecting, or slower than we publish): a bounded
 * FIFO. Past its capacity the oldest message is dropped and counted, so a broker that is gone
 * for an hour costs a fixed amount of memory, and what it gets when it comes back is the newest.
 */

export interface OutboundMessage {
  topic: string;
  payload: string | Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** MQTT 5 correlation data of a response (echoed from the request). */
  correlationData?: Buffer | undefined;
}

/** Holds OutboundMessages, or what else a caller queues (T). */
export class OutboundQueue<T = OutboundMessage> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;
  private droppedCount = 0;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new RangeError(`queue capacity must be an integer >= 1, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Messages dropped (oldest first) because the queue was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  push(message: T): void {
    if (this.count === this.capacity) {
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.count -= 1;
      this.droppedCount += 1;
    }
    this.items[(this.head + this.count) % this.capacity] = message;
    this.count += 1;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const message = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count -= 1;
    return message;
  }
}
