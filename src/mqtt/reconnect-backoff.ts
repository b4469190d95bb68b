/**
 * Delay before the next reconnect attempt: doubling from `minMs` up to `maxMs`, with up to 20 %
 * random jitter so a fleet of processes that lost the same broker does not come back in step.
 * Reset after a successful connection.
 */
export class ReconnectBackoff {
  private attempt = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {
    if (!(minMs > 0 && maxMs >= minMs)) throw new RangeError(`reconnect backoff needs 0 < min <= max, got ${minMs}..${maxMs}`);
  }

  /** The delay before the next attempt (ms); each call counts one more failed attempt. */
  next(): number {
    const base = Math.min(this.maxMs, this.minMs * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    return Math.round(Math.min(this.maxMs, base * (1 + 0.2 * this.random())));
  }

  reset(): void {
    this.attempt = 0;
  }
}
