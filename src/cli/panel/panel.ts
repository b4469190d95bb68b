/**
 * A running panel: its meters, ticked by one shared timer (one tick per metrology window), their
 * stores flushed every second, and the endpoints that serve them. `startPanel` is what
 * `submeter serve` runs and what library users call.
 */
import type { ModbusDevice } from '../../modbus/device.js';
import { CommFaultPolicy } from '../../modbus/faults/comm-fault-policy.js';
import { FaultController } from '../../faults/fault-controller.js';
import { DEFAULT_CONTROL_PORT, startControlServer, type ControlServer } from '../../faults/http/control-server.js';
import { errorCode, systemError } from '../system-error.js';
import { controlRegistry, endpointNames } from './control-registry.js';
import { CliError } from '../cli-error.js';
import { silentLogger, type Logger } from '../log/logger.js';
import type { OpenEndpoint } from './endpoint.js';
import { defaultMeterFactory } from './default-meter-factory.js';
import { FleetTicker } from './fleet-ticker.js';
import { loggingDevice } from './logging-device.js';
import { mbpollCommand } from './mbpoll-command.js';
import { panelClock } from './panel-clock.js';
import type { MeterFactory, PanelClock, PanelMeter } from './panel-meter.js';
import type { EndpointSpec, PanelSpec } from './panel-spec.js';
import { openRtuEndpoint } from './open-rtu-endpoint.js';
import { openTcpEndpoint } from './open-tcp-endpoint.js';
import { MqttPublisher } from '../../mqtt/mqtt-publisher.js';
import type { MqttOptions } from '../../mqtt/mqtt-options.js';
import { panelMqttView } from './mqtt-panel-adapter.js';

/** One metrology window: 10 cycles at 50 Hz. */
export const DEFAULT_TICK_MS = 200;
export const DEFAULT_FLUSH_MS = 1000;

export interface StartPanelOptions {
  /** Builds each meter; default: the meter, waveform and register layers (defaultMeterFactory). */
  meterFactory?: MeterFactory | undefined;
  /** Opens RTU and RTU-over-TCP endpoints (default: the rtu layer's serial and RTU-over-TCP servers). */
  openSerialEndpoint?: SerialEndpointOpener | undefined;
  logger?: Logger | undefined;
  /** Real time between ticks (ms). Default 200. */
  tickMs?: number | undefined;
  /** Real time between two flushes of the meters' stores (ms). Default 1000. */
  flushMs?: number | undefined;
  /** Override the clock (tests). */
  clock?: PanelClock | undefined;
  /** Start the control API (faults, scenarios, timelines; see docs/faults.md) on this address. */
  control?: { host?: string | undefined; port?: number | undefined; token?: string | undefined; seed?: number | undefined } | undefined;
  /** Publish the meters to an MQTT broker (telemetry, events, Home Assistant discovery, commands; see docs/mqtt.md). */
  mqtt?: MqttOptions | undefined;
}

export type SerialEndpointOpener = (
  spec: Exclude<EndpointSpec, { kind: 'tcp' }>,
  deviceOf: (meter: string, unitId: number) => ModbusDevice,
  logger: Logger,
) => Promise<OpenEndpoint>;

export interface PanelControl {
  controller: FaultController;
  server: ControlServer;
  policy: CommFaultPolicy;
}

export interface PanelEndpoint {
  spec: EndpointSpec;
  open: OpenEndpoint;
  /** Ready-to-paste mbpoll command for its first unit, when mbpoll can speak its transport. */
  mbpoll: string | undefined;
}

export class Panel {
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;
  private mqttPublisher: MqttPublisher | undefined;
  private closeMqttView: (() => void) | undefined;

  constructor(
    readonly spec: PanelSpec,
    readonly meters: readonly PanelMeter[],
    readonly endpoints: readonly PanelEndpoint[],
    readonly clock: PanelClock,
    private readonly ticker: FleetTicker,
    private readonly logger: Logger,
    private readonly flushMs: number,
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
    if (this.meters.some((m) => m.spec.stateDir !== undefined)) {
      this.flushTimer = setInterval(() => void this.flush(), this.flushMs);
    }
  }

  meter(name: string): PanelMeter | undefined {
    return this.meters.find((m) => m.spec.name === name);
  }

  /** Persists every meter with a state directory (one flush at a time). */
  flush(): Promise<void> {
    if (this.flushing !== undefined) return this.flushing;
    this.flushing = (async () => {
      for (const meter of this.meters) {
        try {
          await meter.flush();
        } catch (error) {
          this.logger.error(`${meter.spec.name}: cannot save state: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Stops ticking, persists every meter, closes every endpoint. Idempotent. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.ticker.stop();
      if (this.mqtt !== undefined) await this.mqtt.stop();
      this.closeMqttView?.();
      if (this.control !== undefined) {
        await this.control.server.close();
        this.control.controller.close();
      }
      if (this.flushTimer !== undefined) clearInterval(this.flushTimer);
      if (this.flushing !== undefined) await this.flushing;
      await Promise.all(this.endpoints.map((e) => e.open.close()));
      for (const meter of this.meters) {
        try {
          await meter.close();
        } catch (error) {
          this.logger.error(`${meter.spec.name}: cannot save state: ${error instanceof Error ? error.message : String(error)}`);
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

/** Builds the meters, opens the endpoints and starts ticking. On failure everything opened so far is closed. */
export async function startPanel(spec: PanelSpec, options: StartPanelOptions = {}): Promise<Panel> {
  const meterFactory = options.meterFactory ?? defaultMeterFactory;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? panelClock(spec.speed, spec.startTimeMs);
  const meters: PanelMeter[] = [];
  const endpoints: PanelEndpoint[] = [];
  const policy = options.control === undefined ? undefined : new CommFaultPolicy({ now: () => clock.nowMs(), seed: options.control.seed ?? 1 });
  const names = endpointNames(spec.endpoints);
  let control: PanelControl | undefined;
  const release = async (): Promise<void> => {
    if (control !== undefined) {
      await control.server.close();
      control.controller.close();
    }
    await Promise.allSettled(endpoints.map((e) => e.open.close()));
    await Promise.allSettled(meters.map((m) => m.close()));
  };
  try {
    for (const meterSpec of spec.meters) meters.push(await meterFactory(meterSpec, { clock, speed: spec.speed, logger }));
    const byName = new Map(meters.map((m) => [m.spec.name, m] as const));
    const logExceptions = logger.enabled('info');
    const deviceOf = (name: string, unitId: number): ModbusDevice => {
      const meter = byName.get(name);
      if (meter === undefined) throw new CliError(`no meter named "${name}"`, 2);
      return logExceptions ? loggingDevice(meter.device, `unit ${unitId} (${name})`, logger) : meter.device;
    };
    const opened = await Promise.allSettled(
      spec.endpoints.map(async (endpoint, i) => {
        const name = names[i] ?? `endpoint-${i}`;
        if (endpoint.kind === 'tcp') return openTcpEndpoint(endpoint, deviceOf, logger, spec, policy?.forEndpoint(name, 'mbap'));
        if (options.openSerialEndpoint !== undefined) return options.openSerialEndpoint(endpoint, deviceOf, logger);
        return openRtuEndpoint(endpoint, deviceOf, logger, policy?.forEndpoint(name, 'rtu'));
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
    if (policy !== undefined && options.control !== undefined) {
      const registry = controlRegistry(spec, meters, names, policy, clock);
      const controller = new FaultController(registry, { tickMs: 0 });
      try {
        const server = await startControlServer(controller, {
          host: options.control.host ?? '127.0.0.1',
          port: options.control.port ?? DEFAULT_CONTROL_PORT,
          ...(options.control.token === undefined ? {} : { token: options.control.token }),
        });
        control = { controller, server, policy };
      } catch (error) {
        controller.close();
        const where = `${options.control.host ?? '127.0.0.1'}:${options.control.port ?? DEFAULT_CONTROL_PORT}`;
        throw errorCode(error) === undefined ? new CliError(`control API: ${error instanceof Error ? error.message : String(error)}`) : systemError(`cannot start the control API on ${where}`, error);
      }
    }
  } catch (error) {
    await release();
    throw error;
  }
  const controller = control?.controller;
  const ticker = new FleetTicker(meters, {
    intervalMs: options.tickMs ?? DEFAULT_TICK_MS,
    beforePass: controller === undefined ? undefined : () => controller.tick(),
    onError: (index, error) => logger.error(`${meters[index]?.spec.name ?? index}: tick failed: ${error instanceof Error ? error.message : String(error)}`),
  });
  const panel = new Panel(spec, meters, endpoints, clock, ticker, logger, options.flushMs ?? DEFAULT_FLUSH_MS, control);
  const mqttOptions = options.mqtt ?? spec.mqtt;
  if (mqttOptions !== undefined) {
    const view = panelMqttView(meters, controller, clock, options.tickMs ?? DEFAULT_TICK_MS);
    try {
      panel.attachMqtt(new MqttPublisher(view, mqttOptions, logger), view.close);
    } catch (error) {
      view.close();
      await release();
      throw error instanceof RangeError ? new CliError(`MQTT: ${error.message}`, 2) : error;
    }
  }
  panel.run();
  return panel;
}
