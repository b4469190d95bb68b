/**
 * A log line that a client can provoke at will (a refused or evicted connection) is written at most
 * once per interval: the first at once, the rest counted and summed up in one line when the
 * interval ends ("... and 4996 more in the last 10 s"). One unref'd timer per interval, only
 * while lines are being suppressed.
 */
export class RateLimitedLog {
  private windowEndsAtMs = Number.NEGATIVE_INFINITY;
  private suppressed = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly write: (message: string) => void,
    /** What the summary line says after the count, e.g. "more connections refused". */
    private readonly summary: string,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  log(message: string): void {
    const nowMs = this.now();
    if (nowMs >= this.windowEndsAtMs) {
      this.flush();
      this.windowEndsAtMs = nowMs + this.intervalMs;
      this.write(message);
      return;
    }
    this.suppressed += 1;
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, Math.max(1, this.windowEndsAtMs - nowMs));
      this.timer.unref();
    }
  }

  /** Writes the summary of suppressed lines, if any, and stops the timer. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.suppressed === 0) return;
    this.write(`${this.suppressed} ${this.summary} in the last ${Math.round(this.intervalMs / 1000)} s`);
    this.suppressed = 0;
  }
}
