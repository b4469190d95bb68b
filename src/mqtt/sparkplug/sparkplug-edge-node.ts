/**
 * Sparkplug B (Eclipse Sparkplug 3.0) for SCADA platforms (Ignition, ...): the process is one edge
 * node `spBv1.0/<group>/.../<edge node>`, each meter a device. Its own connection, whose Will is
 * the NDEATH carrying the session's bdSeq; on every connection NBIRTH (seq 0, bdSeq, Node
 * Control/Rebirth) and one DBIRTH per meter (every telemetry quantity as a Double metric with its
 * alias, plus identity properties), then DDATA per meter on its interval (aliases only), seq
 * counting 0..255 across them. NCMD `Node Control/Rebirth` re-sends every birth; DCMD
 * `relay.closed` (Boolean) switches a meter's relay through the same command sink as the JSON
 * topics; `Device Control/Rebirth` re-sends one meter's DBIRTH. A clean stop sends NDEATH.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { baseClientOptions, connectUrl } from '../mqtt-connection.js';
import type { MqttBroker, MqttOptions } from '../mqtt-options.js';
import type { MqttMeterView, MqttPanelView } from '../mqtt-panel-view.js';
import { PublishSchedule } from '../publish-schedule.js';
import { ReconnectBackoff } from '../reconnect-backoff.js';
import { TELEMETRY_QUANTITIES, telemetryValues } from '../telemetry-payload.js';
import { decodeSparkplugMetrics, encodeSparkplugPayload, type SparkplugMetric } from './sparkplug-payload.js';

export interface SparkplugOptions {
  groupId: string;
  edgeNodeId: string;
}

export interface SparkplugLogger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

const NAMESPACE = 'spBv1.0';
const MAX_IN_FLIGHT = 100;
const SLICE = 100;

/** A Sparkplug id element: no "/", "+" or "#". */
function checkId(id: string, what: string): string {
  if (id === '' || /[/+#]/.test(id)) throw new RangeError(`Sparkplug ${what} must be non-empty without "/", "+" or "#", got "${id}"`);
  return id;
}

/** "GROUP/EDGE-NODE" (the --mqtt-sparkplug flag). */
export function parseSparkplugIds(text: string): SparkplugOptions {
  const parts = text.split('/');
  if (parts.length !== 2) throw new RangeError(`Sparkplug ids must be GROUP/EDGE-NODE, got "${text}"`);
  return { groupId: checkId(parts[0] ?? '', 'group id'), edgeNodeId: checkId(parts[1] ?? '', 'edge node id') };
}

export class SparkplugEdgeNode {
  private readonly client: MqttClient;
  private readonly meters: { view: MqttMeterView; intervalMs: number }[];
  private readonly byName: Map<string, MqttMeterView>;
  private readonly schedule: PublishSchedule;
  private readonly backoff: ReconnectBackoff;
  private bdSeq = 0;
  private seq = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** NBIRTH sent on this connection: no DDATA before it (its seq would not follow the birth's). */
  private born = false;
  /** Messages sent (births, data, deaths) and data skipped because the connection was down or behind. */
  readonly counters = { births: 0, data: 0, skipped: 0, commands: 0 };

  constructor(
    private readonly view: MqttPanelView,
    private readonly ids: SparkplugOptions,
    broker: MqttBroker,
    options: MqttOptions,
    intervalsMs: ReadonlyMap<string, number>,
    private readonly logger: SparkplugLogger,
  ) {
    checkId(ids.groupId, 'group id');
    checkId(ids.edgeNodeId, 'edge node id');
    this.meters = view.meters.filter((m) => intervalsMs.has(m.name)).map((m) => ({ view: m, intervalMs: intervalsMs.get(m.name) ?? 10_000 }));
    for (const meter of this.meters) checkId(meter.view.name, `device id (meter name)`);
    this.byName = new Map(this.meters.map((m) => [m.view.name, m.view] as const));
    this.schedule = new PublishSchedule(this.meters.map((m) => m.intervalMs), performance.now());
    this.backoff = new ReconnectBackoff(options.reconnectMinMs ?? 1000, options.reconnectMaxMs ?? 30_000);
    this.client = mqtt.connect(connectUrl(broker), {
      ...baseClientOptions(broker, options),
      clientId: `submeter-sparkplug-${ids.groupId}-${ids.edgeNodeId}-${process.pid}`.replace(/[^A-Za-z0-9-]/g, '-'),
      will: { topic: this.topic('NDEATH'), payload: this.deathPayload(), qos: 1, retain: false },
    });
    this.client.on('connect', () => this.onConnect());
    this.client.on('reconnect', () => {
      // A new session: the next NBIRTH and this Will carry the next bdSeq.
      this.bdSeq = (this.bdSeq + 1) % 256;
      const will = this.client.options.will;
      if (will !== undefined) will.payload = this.deathPayload();
      this.client.options.reconnectPeriod = this.backoff.next();
    });
    this.client.on('error', (error) => this.logger.debug(`Sparkplug: ${error.message}`));
    this.client.on('close', () => (this.born = false));
    this.client.on('message', (topic, payload) => this.onMessage(topic, payload));
    this.arm();
  }

  get connected(): boolean {
    return this.client.connected;
  }

  get sessionBdSeq(): number {
    return this.bdSeq;
  }

  /** Clean stop: NDEATH (the broker would send it anyway as the Will), then disconnect. */
  async stop(timeoutMs = 3000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const client = this.client;
    const bounded = <T>(promise: Promise<T>): Promise<unknown> => Promise.race([promise.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, timeoutMs / 2))]);
    if (client.connected) await bounded(client.publishAsync(this.topic('NDEATH'), this.deathPayload(), { qos: 1 }));
    await bounded(client.endAsync(false));
    if (!client.disconnected) await client.endAsync(true).catch(() => undefined);
  }

  private topic(type: string, device?: string): string {
    return `${NAMESPACE}/${this.ids.groupId}/${type}/${this.ids.edgeNodeId}${device === undefined ? '' : `/${device}`}`;
  }

  private deathPayload(): Buffer {
    return Buffer.from(encodeSparkplugPayload({ timestampMs: Date.now(), metrics: [{ name: 'bdSeq', value: { type: 'UInt64', value: this.bdSeq } }] }));
  }

  private nextSeq(): number {
    const seq = this.seq;
    this.seq = (this.seq + 1) % 256;
    return seq;
  }

  private onConnect(): void {
    this.born = false;
    this.backoff.reset();
    this.client.options.reconnectPeriod = this.backoff.next();
    this.inFlight = 0;
    this.logger.info(`Sparkplug: edge node ${this.ids.groupId}/${this.ids.edgeNodeId} online (bdSeq ${this.bdSeq}, ${this.meters.length} devices)`);
    this.client.subscribe([this.topic('NCMD'), `${this.topic('DCMD')}/+`], { qos: 1 }, (error) => {
      if (error !== null && error !== undefined) this.logger.warn(`Sparkplug: cannot subscribe to commands: ${error.message}`);
      this.birth();
    });
  }

  /** NBIRTH (seq 0) and every DBIRTH. */
  private birth(): void {
    this.seq = 0;
    const metrics: SparkplugMetric[] = [
      { name: 'bdSeq', value: { type: 'UInt64', value: this.bdSeq } },
      { name: 'Node Control/Rebirth', value: { type: 'Boolean', value: false } },
      { name: 'Properties/Devices', value: { type: 'UInt64', value: this.meters.length } },
    ];
    this.send(this.topic('NBIRTH'), { timestampMs: Date.now(), seq: this.nextSeq(), metrics });
    this.counters.births += 1;
    for (const meter of this.meters) this.deviceBirth(meter.view);
    this.born = true;
  }

  private deviceBirth(meter: MqttMeterView): void {
    const snapshot = meter.snapshot();
    const values = telemetryValues(snapshot);
    const metrics: SparkplugMetric[] = TELEMETRY_QUANTITIES.map((q, i) => ({ name: q.name, alias: i + 1, value: { type: 'Double', value: values[i] ?? Number.NaN } }));
    metrics.push(
      { name: 'Properties/Manufacturer', value: { type: 'String', value: meter.identity.vendor } },
      { name: 'Properties/Model', value: { type: 'String', value: meter.identity.model } },
      { name: 'Properties/Serial number', value: { type: 'String', value: String(meter.identity.serialNumber) } },
      { name: 'Properties/Firmware', value: { type: 'String', value: meter.identity.firmware } },
      { name: 'Properties/Profile', value: { type: 'String', value: meter.profile } },
      { name: 'Device Control/Rebirth', value: { type: 'Boolean', value: false } },
    );
    this.send(this.topic('DBIRTH', meter.name), { timestampMs: snapshot.timeMs, seq: this.nextSeq(), metrics });
    this.counters.births += 1;
  }

  private send(topic: string, payload: Parameters<typeof encodeSparkplugPayload>[0]): void {
    this.inFlight += 1;
    this.client.publish(topic, Buffer.from(encodeSparkplugPayload(payload)), { qos: 0, retain: false }, () => {
      this.inFlight = Math.max(0, this.inFlight - 1);
    });
  }

  private onMessage(topic: string, payload: Buffer): void {
    let metrics;
    try {
      metrics = decodeSparkplugMetrics(payload);
    } catch (error) {
      this.logger.warn(`Sparkplug: ignoring a malformed command on ${topic}: ${(error as Error).message}`);
      return;
    }
    this.counters.commands += 1;
    if (topic === this.topic('NCMD')) {
      if (metrics.some((m) => m.name === 'Node Control/Rebirth' && m.value === true)) {
        this.logger.info('Sparkplug: rebirth requested');
        this.birth();
      }
      return;
    }
    const device = topic.slice(this.topic('DCMD').length + 1);
    const meter = this.byName.get(device);
    if (meter === undefined) return;
    // A protected operation carries the meter's password as a `password` metric of the same DCMD.
    const passwordMetric = metrics.find((m) => m.name === 'password')?.value;
    const password = typeof passwordMetric === 'number' && Number.isInteger(passwordMetric) ? passwordMetric : undefined;
    for (const metric of metrics) {
      if (metric.name === 'Device Control/Rebirth' && metric.value === true) this.deviceBirth(meter);
      else if (metric.name === 'relay.closed' && (typeof metric.value === 'boolean' || typeof metric.value === 'number')) {
        const closed = metric.value === true || metric.value === 1;
        const outcome = this.view.commands.apply(device, { kind: 'relay', closed, password });
        this.logger.info(`Sparkplug: ${device}: relay: ${outcome.ok ? outcome.detail : `refused: ${outcome.error}`}`);
        if (outcome.ok) this.data(meter);
      }
    }
  }

  private arm(): void {
    if (this.stopped) return;
    const next = this.schedule.nextDueMs;
    if (next === undefined) return;
    this.timer = setTimeout(() => this.publishDue(), Math.max(0, next - performance.now()));
  }

  private publishDue(): void {
    if (this.stopped) return;
    const due = this.schedule.takeDue(performance.now(), SLICE);
    for (const index of due) {
      const meter = this.meters[index];
      if (meter !== undefined) this.data(meter.view);
    }
    if (due.length === SLICE) setImmediate(() => this.publishDue());
    else this.arm();
  }

  /** DDATA with every metric by alias; skipped (not queued) while offline or behind: a birth follows every reconnection. */
  private data(meter: MqttMeterView): void {
    if (!this.client.connected || !this.born || this.inFlight >= MAX_IN_FLIGHT) {
      this.counters.skipped += 1;
      return;
    }
    const snapshot = meter.snapshot();
    if (snapshot.timeMs === 0) return;
    const values = telemetryValues(snapshot);
    const metrics: SparkplugMetric[] = [];
    for (let i = 0; i < values.length; i += 1) metrics.push({ alias: i + 1, value: { type: 'Double', value: values[i] ?? Number.NaN } });
    this.send(this.topic('DDATA', meter.name), { timestampMs: snapshot.timeMs, seq: this.nextSeq(), metrics });
    this.counters.data += 1;
  }
}
