/**
 * The state flush: every `intervalMs` of real time (default 500 ms) each meter with a state
 * directory writes a durable snapshot, one flush at a time. A SIGKILL then loses at most the
 * interval, plus the tick not yet in the snapshot (one metrology window, 200 ms) and the write:
 * under the promised second (docs/runtime.md). A meter whose save fails is retried by the next
 * flush and logged once per kind of failure (SaveFailureLog: EACCES, ENOSPC ..., and once when it
 * works again), not at every flush; the others are still saved.
 */
import type { Logger } from './log/logger.js';
import type { PanelMeter } from './panel-meter.js';
import { SaveFailureLog } from '../meter/store/save-failure-log.js';

/** Real time between two flushes (ms): with the 200 ms tick and the write, a crash loses < 1 s. */
export const DEFAULT_FLUSH_MS = 500;

/** How the state flush is doing, for /healthz. */
export interface StateFlushStatus {
  /** Whether any meter has a state directory (else nothing is flushed, and that is healthy). */
  readonly enabled: boolean;
  readonly intervalMs: number;
  /** Wall-clock time (ms) of the last flush in which every meter was saved; undefined before the first. */
  readonly lastSuccessMs: number | undefined;
  /** Whether the last flush had a meter that could not be saved. */
  readonly lastFailed: boolean;
}

export class StateFlush {
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private lastSuccessMs: number | undefined;
  private lastFailed = false;
  private readonly failures = new Map<PanelMeter, SaveFailureLog>();

  constructor(
    private readonly meters: readonly PanelMeter[],
    private readonly logger: Logger,
    private readonly intervalMs: number = DEFAULT_FLUSH_MS,
  ) {}

  /** Starts the periodic flush when any meter has a state directory. */
  start(): void {
    if (this.timer !== undefined || !this.meters.some((m) => m.spec.stateDir !== undefined)) return;
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
  }

  /** Persists every meter with a state directory (joins a flush already in progress). */
  flush(): Promise<void> {
    if (this.flushing !== undefined) return this.flushing;
    this.flushing = (async () => {
      let failed = false;
      for (const meter of this.meters) {
        let failures = this.failures.get(meter);
        try {
          await meter.flush();
        } catch (error) {
          failed = true;
          if (failures === undefined) this.failures.set(meter, (failures = new SaveFailureLog()));
          const line = failures.failed(error);
          if (line !== undefined) this.logger.error(`${meter.spec.name}: ${line}`);
          continue;
        }
        const line = failures?.succeeded();
        if (line !== undefined) this.logger.warn(`${meter.spec.name}: ${line}`);
      }
      this.lastFailed = failed;
      if (!failed) this.lastSuccessMs = Date.now();
    })().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  get status(): StateFlushStatus {
    return { enabled: this.meters.some((m) => m.spec.stateDir !== undefined), intervalMs: this.intervalMs, lastSuccessMs: this.lastSuccessMs, lastFailed: this.lastFailed };
  }

  /** Stops the timer and waits for a flush in progress. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.flushing !== undefined) await this.flushing;
  }
}
