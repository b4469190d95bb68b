/**
 * The meter factory `submeter serve` uses: a waveform source (synthetic scenarios on the phasor
 * path, recordings through the metrology), a Meter with its state store (meter layer), and the
 * profile's register map as a RegisterMapDevice refreshed after every tick (register layer).
 * Register maps are loaded once per profile and shared by every meter using them.
 */
import { physicalTargetFor } from '../../control/synthetic-physical-target.js';
import { createMeter } from '../../meter/create-meter.js';
import { openMeasurementSource } from '../../metrology/open-measurement-source.js';
import { loadRegisterMap } from '../../registers/profiles.js';
import type { RegisterMap } from '../../registers/register-map.js';
import { RegisterMapDevice } from '../../registers/register-map-device.js';
import { openWaveformSource } from '../../waveform/open-waveform-source.js';
import type { SyntheticSource } from '../../waveform/synthetic/synthetic-source.js';
import { RunFailure } from '../runtime-error.js';
import { withDemoProfile } from './demo-meter-factory.js';
import type { MeterFactory, PanelMeter } from '../panel-meter.js';
import type { MeterSpec } from '../panel-spec.js';
import { registerProbe } from './register-probe.js';
import { rearmingPhysicalTarget } from './rearming-physical-target.js';
import { quietWakePhase } from './quiet-wake-phase.js';
import { CacheHolder, RecentlyRead } from './recently-read.js';
import { ImageTime } from './image-time.js';
import { errorMessage } from '../../common/error-message.js';

/** "panel.yaml:12: meters.incomer: " when the meter came from a config file, else "meter-3: ". */
function where(spec: MeterSpec): string {
  return spec.origin === undefined ? `${spec.name}: ` : `${spec.origin.file}:${spec.origin.line}: meters.${spec.name}: `;
}

function failure(spec: MeterSpec, what: string, error: unknown): RunFailure {
  const message = errorMessage(error);
  return new RunFailure(`${where(spec)}${what}: ${message.split('\n')[0] ?? message}`, { cause: error });
}

const maps = new Map<string, RegisterMap>();

/** The lazy meters that keep their read caches (recently-read.ts), for a factory called without a panel's own bound. */
const processRecentlyRead = new RecentlyRead();

/** A profile's register map, loaded once per (profile, options). */
export function registerMapFor(profile: string, options: Readonly<Record<string, string | number>> = {}): RegisterMap {
  const key = `${profile}\u0000${JSON.stringify(Object.entries(options).sort())}`;
  let map = maps.get(key);
  if (map === undefined) {
    map = loadRegisterMap(profile, options);
    maps.set(key, map);
  }
  return map;
}

const realMeter: MeterFactory = async (spec, { clock, speed, logger, tickMs, lazy, recentlyRead = processRecentlyRead }) => {
  let map: RegisterMap;
  try {
    map = registerMapFor(spec.profile, spec.profileOptions);
  } catch (error) {
    throw failure(spec, `profile "${spec.profile}"`, error);
  }
  const startS = clock.nowMs() / 1000;
  let measurementSource;
  let sourceDescription: string;
  let synthetic: SyntheticSource | undefined;
  try {
    const opened = openWaveformSource(spec.source, { seed: spec.seed === 0 ? undefined : spec.seed, originTimeS: startS, loop: true });
    measurementSource = openMeasurementSource(opened.source, { anchorTimeS: startS });
    sourceDescription = measurementSource.description;
    if (opened.kind === 'synthetic') synthetic = opened.synthetic;
  } catch (error) {
    throw failure(spec, `source "${spec.source}"`, error);
  }
  let device: RegisterMapDevice | undefined;
  // After every tick: an eager meter's image is re-encoded; a lazy meter (its image is encoded when
  // read) becomes the most recently observed (recently-read.ts), set below.
  let afterTick: () => void = () => device?.refresh();
  let running;
  try {
    running = await createMeter({
      source: measurementSource,
      ...(spec.stateDir === undefined ? {} : { stateDir: spec.stateDir }),
      // Simulated time with a state directory: the meter resumes at its stored time, on its own clock.
      ...(speed !== 1 && spec.stateDir !== undefined ? { speed } : { clock }),
      configuration: spec.settings,
      identity: { serialNumber: spec.serialNumber },
      logger: { warn: (message: string) => logger.warn(`${spec.name}: ${message.replace(/^submeter: /, '')}`) },
      onTick: () => afterTick(),
      ...(lazy === true ? { lazy: { gridMs: tickMs ?? 200 } } : {}),
    });
  } catch (error) {
    throw failure(spec, 'cannot start the meter', error);
  }
  const meter = running.meter;
  if (running.lazy) meter.setQuietWakePhase(quietWakePhase(spec.name));
  const image = new ImageTime(meter.timeMs);
  const windowMs = tickMs ?? 200;
  // A lazy meter observed lately (read, published, woken) keeps its caches; one that falls out of
  // the recently observed drops them.
  const caches = new CacheHolder(() => {
    device?.release();
    meter.releaseCaches();
  });
  if (running.lazy) afterTick = () => recentlyRead.touch(caches);
  device = new RegisterMapDevice(
    map,
    meter,
    running.lazy
      ? {
          // A read catches the meter up at most once per metrology window (an eagerly ticked meter's
          // image also changes once per window), and re-encodes the image only when the meter has
          // moved since it was encoded (by this read, or by another observer: a flush, an output).
          beforeRead: () => {
            if (!image.encoded || running.clock.nowMs() - image.ms >= windowMs) running.tick();
            const timeMs = meter.timeMs;
            if (timeMs === undefined ? !image.encoded : image.encoded && timeMs === image.ms) return false;
            image.set(timeMs);
            return true;
          },
        }
      : {},
  );
  // A lazy meter's wake-up moves earlier when a command changes how it judges its windows or a
  // scenario changes its source: the ticker is told, so the event is recorded when it happens.
  let dueChanged: () => void = () => undefined;
  if (spec.stateDir !== undefined || running.lazy) {
    // A setting written over Modbus is on disk (fsync) before its answer; when the save fails the
    // write answers exception 04 (the error propagates out of the command).
    meter.setChangeListener(() => {
      dueChanged();
      if (spec.stateDir !== undefined) running.flushSync();
    });
    if (running.restored) logger.info(`${spec.name}: state restored from ${spec.stateDir}`);
  }
  const physical = physicalTargetFor(synthetic, meter);
  const served: PanelMeter = {
    spec,
    device,
    sourceDescription,
    probe: registerProbe(map),
    commands: meter,
    physical: running.lazy ? rearmingPhysicalTarget(physical, () => dueChanged()) : physical,
    tick: () => running.tickIfDue(),
    // On the panel's clock (a simulated meter with a state directory runs on its own, offset one).
    dueAtMs: running.lazy ? () => clock.nowMs() + (meter.wakeAtMs(windowMs) - running.clock.nowMs()) : undefined,
    onDueChanged: running.lazy
      ? (listener) => {
          dueChanged = listener;
        }
      : undefined,
    flush: () => running.flush(),
    close: async () => {
      recentlyRead.forget(caches);
      meter.setChangeListener(undefined);
      await running.stop();
    },
    abandon: () => {
      recentlyRead.forget(caches);
      running.abandon();
    },
  };
  return served;
};

export const defaultMeterFactory: MeterFactory = withDemoProfile(realMeter);
