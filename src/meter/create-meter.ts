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
 */
import { RealClock, SimulatedClock, type Clock } from './clock.js';
import type { MeasurementSource } from '../metrology/measurement-source.js';
import type { MeterConfiguration } from './meter-configuration.js';
import type { MeterState } from './meter-state.js';
import { Meter } from './meter.js';
import type { MeterIdentity } from './snapshot.js';
import { FileStateStore, StateRefusedError, type StoreLogger } from './store/file-state-store.js';

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
  /** Lazy meters: tick() if a boundary the meter must record has arrived; eager ones: tick(). */
  tickIfDue(): void;
  /** Write a snapshot now (resolves when it is durable). */
  flush(): Promise<void>;
  /** Write a snapshot synchronously (for exit paths). */
  flushSync(): void;
  /** Tick once more and write a last snapshot (after any save in flight). */
  stop(): Promise<void>;
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
  if (state === undefined) {
    meter.tick(clock.nowMs());
  } else {
    try {
      meter.restore(state, clock.nowMs());
    } catch (error) {
      throw new StateRefusedError(`${store?.currentPath ?? 'state'}: ${(error as Error).message}; refusing to start over it`);
    }
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

  const gridMs = options.lazy?.gridMs;
  const lazy = gridMs !== undefined && meter.canCatchUp;
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
      if (!lazy || clock.nowMs() >= meter.nextBoundaryMs) tick();
    },
    flush,
    flushSync() {
      const snapshot = meter.exportState();
      if (store !== undefined && snapshot !== undefined) {
        store.saveSync(snapshot);
        options.onSaved?.(snapshot);
      }
    },
    async stop() {
      meter.setChangeListener(undefined);
      tick();
      if (saving !== undefined) await saving.catch(() => undefined);
      await flush();
    },
  };
}
