/**
 * A running meter: a Meter on a clock, ticked by a timer, snapshotted to a state directory at
 * least once a second and after every command. This is what `submeter serve --source ... --speed N
 * --state DIR` needs; the CLI adds the signal handlers (call flushSync() or stop() on SIGINT/SIGTERM).
 *
 * Clock: `clock` if given; otherwise real time, unless `speed` or `startTimeMs` is given, in which
 * case simulated time at `speed` (default 1) starting from the stored state's time (a simulated
 * meter resumes where it stopped), else from `startTimeMs`, else from now.
 * Settings: a stored state's settings win over `configuration` (they may have been changed over
 * Modbus since); `configuration` configures a fresh meter.
 */
import { RealClock, SimulatedClock, type Clock } from './clock.js';
import type { MeasurementSource } from './measurement-source.js';
import type { MeterConfiguration } from './meter-configuration.js';
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
  /** Real milliseconds between ticks (default 200: one metrology window). */
  tickIntervalMs?: number;
  /** Real milliseconds between snapshots (default 1000). */
  saveIntervalMs?: number;
  logger?: StoreLogger;
}

export interface RunningMeter {
  readonly meter: Meter;
  readonly clock: Clock;
  readonly store: FileStateStore | undefined;
  /** Tick now (also done by the timer once started). */
  tick(): void;
  /** Start the tick and snapshot timers. */
  start(): void;
  /** Write a snapshot now (resolves when it is durable). */
  flush(): Promise<void>;
  /** Write a snapshot synchronously (for exit paths). */
  flushSync(): void;
  /** Stop the timers and write a last snapshot. */
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

  let tickTimer: NodeJS.Timeout | undefined;
  let saveTimer: NodeJS.Timeout | undefined;
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
        if (snapshot !== undefined) await store.save(snapshot);
      } while (saveAgain);
    })().finally(() => {
      saving = undefined;
    });
    return saving;
  };

  const reportSaveError = (error: unknown): void => logger.warn(`submeter: snapshot failed: ${(error as Error).message}`);
  const tick = (): void => meter.tick(clock.nowMs());

  return {
    meter,
    clock,
    store,
    tick,
    start() {
      if (tickTimer !== undefined) return;
      tickTimer = setInterval(tick, options.tickIntervalMs ?? 200);
      if (store !== undefined) {
        saveTimer = setInterval(() => flush().catch(reportSaveError), options.saveIntervalMs ?? 1000);
        meter.setChangeListener(() => flush().catch(reportSaveError));
      }
    },
    flush,
    flushSync() {
      const snapshot = meter.exportState();
      if (store !== undefined && snapshot !== undefined) store.saveSync(snapshot);
    },
    async stop() {
      clearInterval(tickTimer);
      clearInterval(saveTimer);
      tickTimer = undefined;
      saveTimer = undefined;
      meter.setChangeListener(undefined);
      tick();
      if (saving !== undefined) await saving.catch(() => undefined);
      await flush();
    },
  };
}
