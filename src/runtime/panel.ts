/**
 * A running panel: its meters, ticked by one shared timer (one tick per metrology window), their
 * stores flushed every half second, the endpoints that serve them and, when asked for, the control
 * API. `startPanel` is what `submeter serve` runs and what library users call (docs/runtime.md).
 * Errors are typed (runtime-error.ts): a SpecError for a spec that cannot run, a RunFailure when
 * running it fails; everything opened before a failure is closed again.
 */
import { RecentlyRead, recentlyReadCapacity } from './meters/recently-read.js';
import { RealClock, SimulatedClock, type Clock } from '../meter/clock.js';
import type { ModbusDevice } from '../modbus/device.js';
import { CommFaultPolicy } from '../modbus/faults/comm-fault-policy.js';
import { checkPanelSpec, throwProblems } from './check-panel-spec.js';
import { meterNameProblems } from './meters/meter-name-problems.js';
import { missingRoots, removeCreated } from './missing-directories.js';
import { bindControl, unbindControl, type ControlOptions, type PanelControl } from './control-binding.js';
import { endpointNames } from './control-registry.js';
import type { OpenEndpoint } from './endpoints/endpoint.js';
import { loggingDevice } from './endpoints/logging-device.js';
import { mbpollCommand } from './endpoints/mbpoll-command.js';
import { openRtuEndpoint } from './endpoints/open-rtu-endpoint.js';
import { openTcpEndpoint } from './endpoints/open-tcp-endpoint.js';
import { openTlsEndpoint } from './endpoints/open-tls-endpoint.js';
import { unitWriteTargets } from './security/unit-write-targets.js';
import { roleTableWith } from './security/role-table.js';
import { FleetTicker } from './fleet-ticker.js';
import { silentLogger, type Logger } from './log/logger.js';
import { defaultMeterFactory } from './meters/default-meter-factory.js';
import type { MeterFactory, PanelClock, PanelMeter } from './panel-meter.js';
import type { EndpointSpec, PanelSpec } from './panel-spec.js';
import { SpecError } from './runtime-error.js';
import { DEFAULT_FLUSH_MS, StateFlush, type StateFlushStatus } from './state-flush.js';

export { DEFAULT_FLUSH_MS };
import { mbapFraming, rtuFraming } from '../modbus/index.js';
import { errorMessage } from '../common/error-message.js';
import { MqttPublisher } from '../mqtt/mqtt-publisher.js';
import type { MqttOptions } from '../mqtt/mqtt-options.js';
import { panelMqttView } from './mqtt-panel-adapter.js';

/** One metrology window: 10 cycles at 50 Hz. */
export const DEFAULT_TICK_MS = 200;

export interface StartPanelOptions {
  /** Builds each meter; default: the meter, waveform and register layers (defaultMeterFactory). */
  meterFactory?: MeterFactory | undefined;
  /** Opens RTU and RTU-over-TCP endpoints (default: the rtu layer's serial and RTU-over-TCP servers). */
  openSerialEndpoint?: SerialEndpointOpener | undefined;
  logger?: Logger | undefined;
  /** Real time between ticks (ms). Default 200. */
  tickMs?: number | undefined;
  /** Real time between two flushes of the meters' stores (ms). Default 500 (a crash loses < 1 s). */
  flushMs?: number | undefined;
  /** Override the clock (tests). */
  clock?: PanelClock | undefined;
  /**
   * Lazy meters: a meter whose source allows it advances only when observed (a Modbus read, a
   * snapshot, a flush, a command) or when a boundary it must record arrives, and catches up exactly
   * as if ticked every tickMs (docs/meter.md, "Lazy meters"). false: every meter is measured every
   * tick. Default: lazy, also with MQTT on: a lazy meter wakes at the first window after a change
   * of its source and records its events then, and tells the outputs as it records them.
   */
  lazy?: boolean | undefined;
  /** Start the control API (faults, scenarios, timelines; see docs/control.md) on this address. */
  control?: ControlOptions | undefined;
  /** Publish the meters to an MQTT broker (telemetry, events, Home Assistant discovery, commands; see docs/mqtt.md). */
  mqtt?: MqttOptions | undefined;
}

export type SerialEndpointOpener = (
  spec: Exclude<EndpointSpec, { kind: 'tcp' | 'tls' }>,
  deviceOf: (meter: string, unitId: number) => ModbusDevice,
  logger: Logger,
) => Promise<OpenEndpoint>;

export interface PanelEndpoint {
  spec: EndpointSpec;
  open: OpenEndpoint;
  /** Ready-to-paste mbpoll command for its first unit, when mbpoll can speak its transport. */
  mbpoll: string | undefined;
}

/** Called after every pass of the ticker: each meter has measured a new window. */
export type PanelTickListener = () => void;

export class Panel {
  private stopped: Promise<void> | undefined;
  private readonly tickListeners = new Set<PanelTickListener>();
  /** Meters whose last save failed when the panel stopped (`serve` then exits non-zero). */
  unsaved = 0;
  private mqttPublisher: MqttPublisher | undefined;
  private closeMqttView: (() => void) | undefined;

  constructor(
    readonly spec: PanelSpec,
    readonly meters: readonly PanelMeter[],
    readonly endpoints: readonly PanelEndpoint[],
    readonly clock: PanelClock,
    private readonly ticker: FleetTicker,
    private readonly logger: Logger,
    private readonly stateFlush: StateFlush,
    /** The control API, when started (options.control). */
    readonly control: PanelControl | undefined,
  ) {}

  /** Base URL of the control API (http://127.0.0.1:8502), when started. */
  get controlUrl(): string | undefined {
    return this.control?.server.url;
  }

  /** The MQTT output, when started (options.mqtt or spec.mqtt; see docs/mqtt.md). */
  get mqtt(): MqttPublisher | undefined {
    return this.mqttPublisher;
  }

  /** @internal started by startPanel */
  attachMqtt(publisher: MqttPublisher, closeView: () => void): void {
    this.mqttPublisher = publisher;
    this.closeMqttView = closeView;
  }

  /** @internal started by startPanel */
  run(): void {
    this.ticker.start();
    this.stateFlush.start();
  }

  /**
   * Subscribe to the panel's tick (after each ticker pass, ~every 200 ms): what outputs
   * (dashboard, metrics, MQTT) use to publish each new window. Returns the unsubscribe.
   */
  on(event: 'tick', listener: PanelTickListener): () => void {
    if (event !== 'tick') throw new RangeError(`unknown panel event ${String(event)}`);
    this.tickListeners.add(listener);
    return () => this.tickListeners.delete(listener);
  }

  /** @internal called by the ticker after each pass */
  emitTick(): void {
    for (const listener of this.tickListeners) {
      try {
        listener();
      } catch (error) {
        this.logger.error(`tick listener failed: ${errorMessage(error)}`);
      }
    }
  }

  /** Whether the state flush is keeping up (for /healthz). */
  get stateFlushStatus(): StateFlushStatus {
    return this.stateFlush.status;
  }

  meter(name: string): PanelMeter | undefined {
    return this.meters.find((m) => m.spec.name === name);
  }

  /** Persists every meter with a state directory (one flush at a time). */
  flush(): Promise<void> {
    return this.stateFlush.flush();
  }

  /** Stops ticking, persists every meter, closes every endpoint. Idempotent. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.ticker.stop();
      if (this.mqtt !== undefined) await this.mqtt.stop();
      this.closeMqttView?.();
      if (this.control !== undefined) await unbindControl(this.control);
      await this.stateFlush.stop();
      await Promise.all(this.endpoints.map((e) => e.open.close()));
      for (const meter of this.meters) {
        try {
          await meter.close();
        } catch (error) {
          this.unsaved += 1;
          this.logger.error(`${meter.spec.name}: cannot save state: ${errorMessage(error)}`);
        }
      }
    })();
    return this.stopped;
  }

  /** The startup summary: every endpoint (abridged past `maxLines`) and an mbpoll command. */
  summary(maxLines = 12): string[] {
    const lines: string[] = [];
    const meterWord = this.meters.length === 1 ? 'meter' : 'meters';
    const speed = this.spec.speed === 1 ? 'real time' : `simulated time x${this.spec.speed}`;
    lines.push(`${this.meters.length} ${meterWord} on ${this.endpoints.length} endpoint${this.endpoints.length === 1 ? '' : 's'}, ${speed}`);
    const first = this.meters[0];
    if (first !== undefined) {
      const profiles = [...new Set(this.meters.map((m) => m.spec.profile))].join(', ');
      lines.push(`  profile ${profiles}; source ${first.sourceDescription}${this.meters.length > 1 ? ' (each meter its own seed)' : ''}; serial ${first.spec.serialNumber}${this.meters.length > 1 ? `..${this.meters[this.meters.length - 1]?.spec.serialNumber ?? ''}` : ''}`);
    }
    const shown = this.endpoints.length <= maxLines ? this.endpoints : [...this.endpoints.slice(0, maxLines - 2), ...this.endpoints.slice(-1)];
    shown.forEach((endpoint, i) => {
      if (this.endpoints.length > maxLines && i === shown.length - 1) lines.push(`  ... ${this.endpoints.length - shown.length} more endpoints ...`);
      lines.push(`  ${endpoint.open.summary}`);
    });
    if (this.mqtt !== undefined) lines.push(`  MQTT ${this.mqtt.broker.displayUrl}: ${this.mqtt.topics.state('<meter>')}`);
    if (this.control !== undefined) lines.push(`  control API ${this.control.server.url} (submeter ctl --url ${this.control.server.url} meters)`);
    const example = this.endpoints.find((e) => e.mbpoll !== undefined);
    if (example?.mbpoll !== undefined) lines.push(`try: ${example.mbpoll}`);
    return lines;
  }
}

/** The panel's clock: real time at speed 1, else simulated time `speed` times faster from the start time (default now). */
export function panelClock(speed: number, startTimeMs?: number): Clock {
  if (speed === 1 && startTimeMs === undefined) return new RealClock();
  return new SimulatedClock(startTimeMs ?? Date.now(), speed);
}

/**
 * Checks the spec (SpecError), builds the meters, opens the endpoints and the control API, and
 * starts ticking and flushing. On failure everything opened so far is closed.
 */
export async function startPanel(spec: PanelSpec, options: StartPanelOptions = {}): Promise<Panel> {
  checkPanelSpec(spec);
  const meterFactory = options.meterFactory ?? defaultMeterFactory;
  if (meterFactory === defaultMeterFactory) throwProblems(meterNameProblems(spec));
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? panelClock(spec.speed, spec.startTimeMs);
  const tickMs = options.tickMs ?? DEFAULT_TICK_MS;
  const meters: PanelMeter[] = [];
  const endpoints: PanelEndpoint[] = [];
  const policy = options.control === undefined ? undefined : new CommFaultPolicy({ now: () => clock.nowMs(), seed: options.control.seed ?? 1 });
  const names = endpointNames(spec.endpoints);
  let control: PanelControl | undefined;
  const created = missingRoots(spec.meters.flatMap((m) => (m.stateDir === undefined ? [] : [m.stateDir])));
  const release = async (): Promise<void> => {
    if (control !== undefined) await unbindControl(control);
    await Promise.allSettled(endpoints.map((e) => e.open.close()));
    await Promise.allSettled(meters.map((m) => (m.abandon === undefined ? m.close() : Promise.resolve(m.abandon()))));
    removeCreated(created);
  };
  try {
    // One bound per panel on the lazy meters that keep their caches, sized by its fleet.
    const recentlyRead = new RecentlyRead(recentlyReadCapacity(spec.meters.length));
    for (const meterSpec of spec.meters) meters.push(await meterFactory(meterSpec, { clock, speed: spec.speed, logger, tickMs, lazy: options.lazy ?? true, recentlyRead }));
    const byName = new Map(meters.map((m) => [m.spec.name, m] as const));
    const logExceptions = logger.enabled('info');
    const deviceOf = (name: string, unitId: number): ModbusDevice => {
      const meter = byName.get(name);
      if (meter === undefined) throw new SpecError(`no meter named "${name}"`);
      return logExceptions ? loggingDevice(meter.device, `unit ${unitId} (${name})`, logger) : meter.device;
    };
    const roles = roleTableWith(spec.roles);
    const targetsOf = unitWriteTargets(byName);
    const opened = await Promise.allSettled(
      spec.endpoints.map(async (endpoint, i) => {
        const name = names[i] ?? `endpoint-${i}`;
        if (endpoint.kind === 'tcp') return openTcpEndpoint(endpoint, deviceOf, logger, spec, policy?.forEndpoint(name, mbapFraming));
        if (endpoint.kind === 'tls') return openTlsEndpoint(endpoint, deviceOf, targetsOf, roles, logger, spec, policy?.forEndpoint(name, mbapFraming));
        if (options.openSerialEndpoint !== undefined) return options.openSerialEndpoint(endpoint, deviceOf, logger);
        return openRtuEndpoint(endpoint, deviceOf, logger, policy?.forEndpoint(name, rtuFraming), spec);
      }),
    );
    let failure: unknown;
    opened.forEach((result, i) => {
      const endpointSpec = spec.endpoints[i];
      if (result.status === 'rejected') failure ??= result.reason;
      else if (endpointSpec !== undefined) {
        const probe = byName.get(endpointSpec.units[0]?.meter ?? '')?.probe;
        endpoints.push({ spec: endpointSpec, open: result.value, mbpoll: mbpollCommand(endpointSpec, result.value.port, probe) });
      }
    });
    if (failure !== undefined) throw failure;
    if (policy !== undefined && options.control !== undefined) control = await bindControl(spec, meters, names, policy, clock, options.control);
  } catch (error) {
    await release();
    throw error;
  }
  const controller = control?.controller;
  let onPass: () => void = () => undefined;
  const ticker = new FleetTicker(meters, {
    intervalMs: tickMs,
    now: () => clock.nowMs(),
    beforePass: controller === undefined ? undefined : () => controller.tick(),
    afterPass: () => onPass(),
    onError: (index, error) => logger.error(`${meters[index]?.spec.name ?? index}: tick failed: ${errorMessage(error)}`),
  });
  const panel = new Panel(spec, meters, endpoints, clock, ticker, logger, new StateFlush(meters, logger, options.flushMs ?? DEFAULT_FLUSH_MS), control);
  onPass = () => panel.emitTick();
  const mqttOptions = options.mqtt ?? spec.mqtt;
  if (mqttOptions !== undefined) {
    const view = panelMqttView(meters, controller, clock, options.tickMs ?? DEFAULT_TICK_MS);
    try {
      panel.attachMqtt(new MqttPublisher(view, mqttOptions, logger), view.close);
    } catch (error) {
      view.close();
      await release();
      throw error instanceof RangeError ? new SpecError(`MQTT: ${error.message}`) : error;
    }
  }
  panel.run();
  return panel;
}
