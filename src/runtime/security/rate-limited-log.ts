/**
 * A log line that cannot flood the log: the first occurrence is written at once, later ones at
 * most once per interval, with how many were left out in between. A client hammering a port with
 * refused requests costs one line a second.
 */
export class RateLimitedLog {
  private lastMs = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly write: (line: string) => void,
    private readonly intervalMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  note(line: string): void {
    const now = this.now();
    if (now - this.lastMs < this.intervalMs) {
      this.suppressed += 1;
      return;
    }
    const more = this.suppressed > 0 ? ` (and ${this.suppressed} more since the last line)` : '';
    this.suppressed = 0;
    this.lastMs = now;
    this.write(line + more);
  }
}
