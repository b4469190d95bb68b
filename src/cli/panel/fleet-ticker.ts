/**
 * One timer for the whole panel: every `intervalMs` (one metrology window, ~200 ms) it ticks
 * every meter, in slices that yield to the event loop between them, so polls keep being answered
 * while a large fleet is ticked. No per-meter timers. If a pass takes longer than the interval,
 * the next one starts as soon as it ends (each meter integrates whatever time has passed).
 */
export interface Tickable {
  tick(): void;
}

export interface FleetTickerOptions {
  intervalMs: number;
  /** Meters ticked between two yields to the event loop. Default 200. */
  sliceSize?: number;
  /** Called when a meter's tick throws (the others keep ticking). */
  onError(index: number, error: unknown): void;
}

export class FleetTicker {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private passes = 0;
  private readonly sliceSize: number;

  constructor(
    private readonly meters: readonly Tickable[],
    private readonly options: FleetTickerOptions,
  ) {
    this.sliceSize = options.sliceSize ?? 200;
  }

  /** Completed passes over all meters. */
  get passCount(): number {
    return this.passes;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.options.intervalMs);
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Ticks every meter once, synchronously. */
  tickAll(): void {
    for (let i = 0; i < this.meters.length; i += 1) this.tickOne(i);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => this.pass(performance.now(), 0), Math.max(0, delayMs));
  }

  private pass(startedMs: number, from: number): void {
    if (!this.running) return;
    const end = Math.min(this.meters.length, from + this.sliceSize);
    for (let i = from; i < end; i += 1) this.tickOne(i);
    if (end < this.meters.length) {
      setImmediate(() => this.pass(startedMs, end));
      return;
    }
    this.passes += 1;
    this.schedule(this.options.intervalMs - (performance.now() - startedMs));
  }

  private tickOne(index: number): void {
    const meter = this.meters[index];
    if (meter === undefined) return;
    try {
      meter.tick();
    } catch (error) {
      this.options.onError(index, error);
    }
  }
}
