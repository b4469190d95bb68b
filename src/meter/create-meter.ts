/**
 * A meter opened from its state directory: a Meter on a clock, restored from its store (or fresh),
 * with tick() and flush() for whoever runs it. It has no timers: the runtime's one fleet ticker
 * ticks it and the runtime's state flush saves it (src/runtime, docs/runtime.md), exactly as
 * `submeter serve` does; tests drive it by hand on a ManualClock.
 *
 * Clock: `clock` if given; otherwise real time, unless `speed` or `startTimeMs` is given, in which
 * case simulated time at `speed` (default 1) starting from the stored state's time (a simulated
 * meter resumes where it stopped), else from `startTimeMs`, else from now.
 * Settings: a stored state's settings win over `configuration` (they may have been changed over
 * Modbus since); `configuration` configures a fresh meter.
 *
 * A failing flush() rejects (the runtime's state flush retries it and logs each kind of failure
 * once); stop() retries the last save FINAL_SAVE_ATTEMPTS times and rejects when it still fails,
 * then gives the state directory's lock back. abandon() is for a start that failed: no save, the
 * lock given back and a directory created by this start removed. flushSync() is what a command
 * calls to be on disk before it is answered (the runtime sets it as the meter's change listener).
 */
import { RealClock, SimulatedClock, type Clock } from './clock.js';
import type { MeasurementSource } from '../metrology/measurement-source.js';
import type { MeterConfiguration } from './meter-configuration.js';
import type { MeterState } from './meter-state.js';
import { Meter } from './meter.js';
import type { MeterIdentity } from './snapshot.js';
import { FileStateStore, StateRefusedError, type StoreLogger } from './store/file-state-store.js';

/** Attempts of the last save before stop() gives up, and the pause between them (ms). */
export const FINAL_SAVE_ATTEMPTS = 3;
const FINAL_SAVE_RETRY_MS = 100;

export interface CreateMeterOptions {
  source: MeasurementSource;
  /** Directory for persistent state; none = nothing persisted. */
  stateDir?: string;
  clock?: Clock;
  speed?: number;
  startTimeMs?: number;
  configuration?: Partial<MeterConfiguration>;
  identity?: Partial<MeterIdentity>;
  logger?: StoreLogger;
  /** Called after each durable snapshot with what it holds. */
  onSaved?: (state: MeterState) => void;
  /** Called after every tick (refresh a register image here). */
  onTick?: (meter: Meter) => void;
  /**
   * Lazy: the meter advances only when observed (snapshot, records, a command, a flush, tick())
   * or when tickIfDue() finds a boundary it must record has arrived, catching up as a meter
   * ticked every `gridMs` would (Meter.catchUp). Ignored for a source that cannot say how long it
   * stays steady (recordings): that meter ticks eagerly as before. onTick is called after each
   * catch-up.
   */
  lazy?: { gridMs: number };
}

export interface RunningMeter {
  readonly meter: Meter;
  readonly clock: Clock;
  readonly store: FileStateStore | undefined;
  /** True when the meter was restored from a stored state. */
  readonly restored: boolean;
  /** True when the meter is lazy (options.lazy and a source that allows it). */
  readonly lazy: boolean;
  /** Advance to the clock's now (a bad window is logged once and skipped). */
  tick(): void;
  /** Lazy meters: tick() once the meter's wake-up (Meter.wakeAtMs: a boundary, a change of its source) has come; eager ones: tick(). */
  tickIfDue(): void;
  /** Write a snapshot now (resolves when it is durable). */
  flush(): Promise<void>;
  /** Write a snapshot synchronously and durably (exit paths; a setting before its Modbus answer). Throws when it fails. */
  flushSync(): void;
  /** Tick once more and write a last snapshot (after any save in flight; rejects when it cannot be saved); release the state directory. */
  stop(): Promise<void>;
  /** A start that failed: write nothing, release the state directory (and remove it if this start created it). */
  abandon(): void;
}

export async function createMeter(options: CreateMeterOptions): Promise<RunningMeter> {
  const logger = options.logger ?? { warn: (message: string) => console.warn(message) };
  const store = options.stateDir === undefined ? undefined : new FileStateStore(options.stateDir, logger);
  const state = store === undefined ? undefined : await store.load();
  const clock =
    options.clock ??
    (options.speed === undefined && options.startTimeMs === undefined
      ? new RealClock()
      : new SimulatedClock(state?.timeMs ?? options.startTimeMs ?? Date.now(), options.speed ?? 1));
  const meter = new Meter({
    source: options.source,
    configuration: options.configuration,
    identity: state?.identity ?? options.identity,
  });
  const gridMs = options.lazy?.gridMs;
  const lazy = gridMs !== undefined && meter.canCatchUp;
  try {
    if (state === undefined && lazy) meter.deferStart(clock.nowMs());
    else if (state === undefined) meter.tick(clock.nowMs());
    else meter.restore(state, clock.nowMs());
  } catch (error) {
    store?.discard();
    if (state === undefined) throw error;
    // A TypeError is JavaScript tripping over a missing or mistyped field: say that, not its internals.
    const why = error instanceof TypeError || !(error instanceof Error) ? 'the state does not fit this meter (a field is missing or of the wrong type)' : error.message;
    throw new StateRefusedError(`${store?.currentPath ?? 'state'}: ${why}; refusing to start over it`);
  }

  let saving: Promise<void> | undefined;
  let saveAgain = false;

  const flush = async (): Promise<void> => {
    if (store === undefined) return;
    if (saving !== undefined) {
      // A save is in flight: one more after it, with the newest state.
      saveAgain = true;
      return saving;
    }
    saving = (async () => {
      do {
        saveAgain = false;
        const snapshot = meter.exportState();
        if (snapshot !== undefined) {
          await store.save(snapshot);
          options.onSaved?.(snapshot);
        }
      } while (saveAgain);
    })().finally(() => {
      saving = undefined;
    });
    return saving;
  };

  const flushSync = (): void => {
    const snapshot = meter.exportState();
    if (store !== undefined && snapshot !== undefined) {
      store.saveSync(snapshot);
      options.onSaved?.(snapshot);
    }
  };

  let lastTickError = '';
  const tick = (): void => {
    try {
      const now = clock.nowMs();
      if (lazy) {
        if (Math.floor(now) === meter.timeMs) return;
        meter.catchUp(now, gridMs);
      } else meter.tick(now);
      lastTickError = '';
    } catch (error) {
      // A bad window from the source is reported (once per distinct message), not fatal.
      const message = (error as Error).message;
      if (message !== lastTickError) logger.warn(`submeter: tick skipped: ${message}`);
      lastTickError = message;
      return;
    }
    options.onTick?.(meter);
  };

  if (lazy) meter.setObserver(tick);

  return {
    meter,
    clock,
    store,
    restored: state !== undefined,
    lazy,
    tick,
    tickIfDue() {
      if (!lazy || gridMs === undefined || clock.nowMs() >= meter.wakeAtMs(gridMs)) tick();
    },
    flush,
    flushSync,
    async stop() {
      meter.setChangeListener(undefined);
      tick();
      if (saving !== undefined) await saving.catch(() => undefined);
      try {
        for (let attempt = 1; ; attempt += 1) {
          try {
            await flush();
            return;
          } catch (error) {
            if (attempt >= FINAL_SAVE_ATTEMPTS) {
              throw new Error(`last save failed ${FINAL_SAVE_ATTEMPTS} times, the state on disk is from before: ${(error as Error).message}`);
            }
            await new Promise((resolve) => setTimeout(resolve, FINAL_SAVE_RETRY_MS));
          }
        }
      } finally {
        store?.release();
      }
    },
    abandon() {
      meter.setChangeListener(undefined);
      store?.discard();
    },
  };
}
