/**
 * One timer for the whole panel: every `intervalMs` (one metrology window, ~200 ms) it ticks
 * every meter, in slices that yield to the event loop between them, so polls keep being answered
 * while a large fleet is ticked. No per-meter timers.
 *
 * A fleet too large to tick every meter within the interval is not allowed to take the whole
 * core: after a pass that took T ms the next starts no sooner than T * (1 / maxDutyCycle - 1) ms
 * later (by default as long again), so polls keep their share of the CPU. Nothing is lost by
 * ticking less often: each tick integrates the meter's power over all the time since its last one.
 */
export interface Tickable {
  tick(): void;
  /**
   * A lazy meter: the clock time (ms) of the next boundary it must record. The ticker then calls
   * tick() only once that time has come (it keeps the due times in one typed array, so an idle
   * fleet costs a comparison per meter per pass, not a call). Absent: ticked every pass.
   */
  dueAtMs?: (() => number) | undefined;
  /**
   * A lazy meter whose due time can move earlier between its ticks (a scenario begun at run time,
   * a command) registers the ticker's listener here and calls it then: the ticker asks dueAtMs
   * again instead of waiting for the time it cached.
   */
  onDueChanged?: ((listener: () => void) => void) | undefined;
}

export interface FleetTickerOptions {
  intervalMs: number;
  /** Meters ticked between two yields to the event loop. Default 200. */
  sliceSize?: number;
  /** Largest share of the time spent ticking (0 < d <= 1). Default 0.5. */
  maxDutyCycle?: number;
  /** Called before each pass (e.g. the fault controller applies due scenario steps). */
  beforePass?: (() => void) | undefined;
  /** The clock lazy meters' due times are on (ms); default Date.now. */
  now?: (() => number) | undefined;
  /** Called after each complete pass (every meter ticked): the panel's 'tick' event. */
  afterPass?: (() => void) | undefined;
  /** Called when a meter's tick throws (the others keep ticking). */
  onError(index: number, error: unknown): void;
}

export class FleetTicker {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private passes = 0;
  private readonly sliceSize: number;
  /** Per meter: when a lazy meter is next due (ms), -Infinity for an eager one (always due). */
  private readonly due: Float64Array;
  private readonly now: () => number;

  constructor(
    private readonly meters: readonly Tickable[],
    private readonly options: FleetTickerOptions,
  ) {
    this.sliceSize = options.sliceSize ?? 200;
    this.due = new Float64Array(meters.length).fill(Number.NEGATIVE_INFINITY);
    this.now = options.now ?? Date.now;
    meters.forEach((meter, index) => {
      meter.onDueChanged?.(() => {
        if (meter.dueAtMs !== undefined) this.due[index] = meter.dueAtMs();
      });
    });
    this.maxDutyCycle = options.maxDutyCycle ?? 0.5;
    if (!(this.maxDutyCycle > 0 && this.maxDutyCycle <= 1)) throw new RangeError(`maxDutyCycle must be in (0, 1], got ${this.maxDutyCycle}`);
  }

  private readonly maxDutyCycle: number;
  private lastPassMs = 0;

  /** Real time the last complete pass took (ms), yields included. */
  get lastPassDurationMs(): number {
    return this.lastPassMs;
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
    this.timer = setTimeout(() => {
      try {
        this.options.beforePass?.();
      } catch (error) {
        this.options.onError(-1, error);
      }
      this.pass(performance.now(), 0);
    }, Math.max(0, delayMs));
  }

  private pass(startedMs: number, from: number): void {
    if (!this.running) return;
    const end = Math.min(this.meters.length, from + this.sliceSize);
    const now = this.now();
    const due = this.due;
    for (let i = from; i < end; i += 1) if (due[i] <= now) this.tickOne(i);
    if (end < this.meters.length) {
      setImmediate(() => this.pass(startedMs, end));
      return;
    }
    this.passes += 1;
    try {
      this.options.afterPass?.();
    } catch (error) {
      this.options.onError(-1, error);
    }
    const tookMs = performance.now() - startedMs;
    this.lastPassMs = tookMs;
    this.schedule(Math.max(this.options.intervalMs - tookMs, tookMs * (1 / this.maxDutyCycle - 1)));
  }

  private tickOne(index: number): void {
    const meter = this.meters[index];
    if (meter === undefined) return;
    try {
      meter.tick();
    } catch (error) {
      this.options.onError(index, error);
    }
    if (meter.dueAtMs !== undefined) this.due[index] = meter.dueAtMs();
  }
}
