/**
 * The MQTT output of a running panel: one connection for every meter. On each connection it
 * announces the process (`<prefix>/status` online; the Last Will says offline), every meter's
 * availability and Home Assistant discovery config, and clears the configs of meters no longer
 * in the panel; then it publishes telemetry on each meter's interval (spread over the fleet),
 * events as they happen, and answers commands on `<prefix>/<meter>/result`.
 *
 * It never makes the panel wait: messages go through bounded queues (oldest dropped and counted)
 * and are written only while the connection keeps up (a bounded number in flight); telemetry is
 * built a meter at a time, yielding to the event loop in between, so a Modbus request waits
 * a fraction of a millisecond at most. QoS 0 telemetry is encoded here as whole PUBLISH packets
 * (publish-packet.ts) and its JSON made with little garbage (telemetry-payload.ts): the young
 * generation fills slowly and few scavenges pause the process. A broker that goes away is
 * reconnected with a doubling backoff.
 */
import mqtt, { type IClientOptions, type IPublishPacket, type IStream, type MqttClient } from 'mqtt';
import type { MeterEventRecord } from '../meter/snapshot.js';
import { energyFallPayload, eventPayload, eventPhase, isPowerLoss } from './event-payload.js';
import { discoveryConfig, discoveryObjectId } from './home-assistant-discovery.js';
import { MonotonicEnergy } from './monotonic-energy.js';
import { parseMqttCommand } from './mqtt-command.js';
import { baseClientOptions, connectUrl } from './mqtt-connection.js';
import {
  checkTopicPrefix,
  DEFAULT_DISCOVERY_PREFIX,
  DEFAULT_MQTT_INTERVAL_S,
  DEFAULT_MQTT_PREFIX,
  resolveMqttBroker,
  type MqttBroker,
  type MqttOptions,
  type MqttQos,
} from './mqtt-options.js';
import type { MqttCommandOutcome, MqttMeterView, MqttPanelView } from './mqtt-panel-view.js';
import { isTopicLevel, mqttTopics, type MqttTopics } from './mqtt-topics.js';
import { OutboundQueue, type OutboundMessage } from './outbound-queue.js';
import { qos0PublishPacket } from './publish-packet.js';
import { PublishSchedule } from './publish-schedule.js';
import { ReconnectBackoff } from './reconnect-backoff.js';
import { SparkplugEdgeNode } from './sparkplug/sparkplug-edge-node.js';
import { MONOTONIC_INDICES, MONOTONIC_KEYS, readTelemetryValues, TELEMETRY_QUANTITIES, telemetryObjectInPlace, TelemetryText } from './telemetry-payload.js';

/** The few logger methods the publisher uses (the runtime's Logger fits). */
export interface MqttLogger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export interface MqttPublisherStats {
  connected: boolean;
  /** Successful connections (1 after the first; more after reconnects). */
  connections: number;
  /** Messages handed to the connection. */
  published: number;
  telemetryPublished: number;
  /** Messages waiting in the queues. */
  queued: number;
  /** Messages dropped because a queue was full (oldest first). */
  dropped: number;
  commandsAccepted: number;
  commandsRefused: number;
}

/**
 * Meters whose telemetry is built (and written) in one go before yielding to the event loop (with
 * setImmediate: pending I/O is served first): about 0.07 ms each (catching a lazy meter up, its
 * values, the JSON, the packet). One: a Modbus request arriving meanwhile waits that long at most
 * (with two, the pooled p99 of three runs rose 1.17x; with one, 0.84x: docs/mqtt.md).
 */
const TELEMETRY_SLICE = 1;
/**
 * Building time (ms) after which the builder rests as long as it worked (a timer, not
 * setImmediate): at most half the process's time goes to telemetry, as the fleet ticker does, so a
 * fleet too large for its interval publishes late rather than slowing Modbus.
 */
const BUILD_REST_AFTER_MS = 5;
/** Messages written in one go before yielding to the event loop. */
const WRITE_SLICE = 200;
/** Writes not yet acknowledged by the connection (QoS 0: not yet flushed to the socket). */
const MAX_IN_FLIGHT = 100;
/** Events, results and availability waiting (they are small; telemetry has its own queue). */
const PRIORITY_CAPACITY = 10_000;
/**
 * Least real time between two telemetry builds (ms): the meters that fall due meanwhile are built
 * and written together (one timer, one write to the socket), not one timer and one write per meter
 * (10,000 meters at 10 s fall due one per millisecond). A meter publishes at most this late.
 */
const MIN_BUILD_GAP_MS = 50;

interface PublishedMeter {
  view: MqttMeterView;
  intervalMs: number;
  qos: MqttQos;
  retain: boolean;
  energy: MonotonicEnergy;
  /** Without supply (an interruption): a meter that lost power publishes nothing. */
  powerLost: boolean;
  unsubscribe: () => void;
}

export class MqttPublisher {
  readonly broker: MqttBroker;
  readonly topics: MqttTopics;
  private readonly client: MqttClient;
  private readonly meters: PublishedMeter[];
  private readonly byName: Map<string, PublishedMeter>;
  private readonly priority = new OutboundQueue(PRIORITY_CAPACITY);
  private readonly schedule: PublishSchedule;
  private readonly backoff: ReconnectBackoff;
  private readonly prefix: string;
  private readonly qos: MqttQos;
  private readonly discovery: boolean;
  /** Next meter to announce (availability + discovery); meters.length = done. */
  private announceCursor: number;
  /** 0: its availability is next; 1: its discovery config. */
  private announcementStep = 0;
  private inFlight = 0;
  /**
   * The connection, corked while a telemetry build writes its packets (uncorked when the build
   * ends or rests): one write to the socket for the build, not one per slice.
   */
  private corked: IStream | undefined;
  private timer: NodeJS.Timeout | undefined;
  private building = false;
  /** performance.now() when the last telemetry build began. */
  private lastBuildMs = Number.NEGATIVE_INFINITY;
  /** Building time (ms) since the builder last rested. */
  private buildWorkedMs = 0;
  /** One message's values, reused (the JSON is made from them before the next). */
  private readonly values = new Float64Array(TELEMETRY_QUANTITIES.length);
  private readonly text = new TelemetryText();
  /** Telemetry ready to write: a whole QoS 0 PUBLISH packet (a Buffer), or a message for the client (QoS 1, 2). */
  private readonly telemetry: OutboundQueue<Buffer | OutboundMessage>;
  private pumping = false;
  private pumpScheduled = false;
  private stopped = false;
  private readonly counters = { connections: 0, published: 0, telemetryPublished: 0, commandsAccepted: 0, commandsRefused: 0 };
  private errorLogged = false;
  private readonly connectedWaiters: (() => void)[] = [];
  /** The Sparkplug B edge node, when asked for (options.sparkplug). */
  readonly sparkplug: SparkplugEdgeNode | undefined;

  constructor(
    private readonly view: MqttPanelView,
    options: MqttOptions,
    private readonly logger: MqttLogger,
  ) {
    this.broker = resolveMqttBroker(options.url);
    this.prefix = checkTopicPrefix(options.prefix ?? DEFAULT_MQTT_PREFIX);
    const discoveryPrefix = checkTopicPrefix(options.discoveryPrefix ?? DEFAULT_DISCOVERY_PREFIX);
    this.topics = mqttTopics(this.prefix, discoveryPrefix);
    this.qos = options.qos ?? 0;
    this.discovery = options.discovery ?? true;
    const intervalS = options.intervalS ?? DEFAULT_MQTT_INTERVAL_S;
    checkInterval(intervalS, 'the MQTT interval');
    this.telemetry = new OutboundQueue<Buffer | OutboundMessage>(options.maxQueuedMessages ?? 10_000);
    this.meters = [];
    for (const meter of view.meters) {
      if (!isTopicLevel(meter.name)) throw new RangeError(`meter name "${meter.name}" cannot be an MQTT topic level (no "/", "#" or "+")`);
      const own = options.meters?.[meter.name];
      if (own?.enabled === false) continue;
      const meterInterval = own?.intervalS ?? intervalS;
      checkInterval(meterInterval, `meters.${meter.name}.mqtt.interval`);
      this.meters.push({
        view: meter,
        intervalMs: meterInterval * 1000,
        qos: own?.qos ?? this.qos,
        retain: own?.retain ?? options.retain ?? false,
        energy: new MonotonicEnergy(MONOTONIC_KEYS, MONOTONIC_INDICES),
        powerLost: false,
        unsubscribe: () => undefined,
      });
    }
    this.byName = new Map(this.meters.map((m) => [m.view.name, m] as const));
    this.announceCursor = this.meters.length;
    this.schedule = new PublishSchedule(this.meters.map((m) => m.intervalMs), performance.now());
    this.backoff = new ReconnectBackoff(options.reconnectMinMs ?? 1000, options.reconnectMaxMs ?? 30_000);
    const clientOptions: IClientOptions = {
      ...baseClientOptions(this.broker, options),
      clientId: options.clientId ?? `submeter-${this.prefix.replace(/[^A-Za-z0-9]/g, '-')}-${process.pid}`,
      will: { topic: this.topics.status, payload: Buffer.from('offline'), qos: 1, retain: true },
    };
    this.client = mqtt.connect(connectUrl(this.broker), clientOptions);
    this.client.on('connect', () => this.onConnect());
    this.client.on('reconnect', () => {
      // Read by mqtt.js when it schedules the attempt after this one fails.
      this.client.options.reconnectPeriod = this.backoff.next();
    });
    this.client.on('close', () => {
      if (this.stopped) return;
      this.inFlight = 0;
      this.corked = undefined;
      this.logger.debug(`MQTT: connection to ${this.broker.displayUrl} closed; reconnecting`);
    });
    this.client.on('offline', () => {
      if (!this.stopped) this.logger.warn(`MQTT: broker ${this.broker.displayUrl} is unreachable; telemetry is queued (at most ${this.telemetry.capacity} messages) until it is back`);
    });
    this.client.on('error', (error) => {
      if (this.errorLogged) this.logger.debug(`MQTT: ${error.message}`);
      else this.logger.warn(`MQTT: ${error.message}`);
      this.errorLogged = true;
    });
    this.client.on('message', (topic, payload, packet) => this.onMessage(topic, payload, packet));
    for (const meter of this.meters) meter.unsubscribe = meter.view.onEvent((record) => this.onEvent(meter, record));
    this.sparkplug =
      options.sparkplug === undefined
        ? undefined
        : new SparkplugEdgeNode(view, options.sparkplug, this.broker, options, new Map(this.meters.map((m) => [m.view.name, m.intervalMs] as const)), logger);
    this.logger.info(`MQTT: publishing ${this.meters.length} meter${this.meters.length === 1 ? '' : 's'} to ${this.broker.displayUrl} as ${this.prefix}/<meter>/state every ${intervalS} s${this.discovery ? ` (Home Assistant discovery under ${discoveryPrefix}/)` : ''}`);
    this.arm();
  }

  get stats(): MqttPublisherStats {
    return {
      connected: this.client.connected,
      ...this.counters,
      queued: this.priority.length + this.telemetry.length,
      dropped: this.priority.dropped + this.telemetry.dropped,
    };
  }

  /** Resolves once connected (at once when connected now). */
  whenConnected(): Promise<void> {
    if (this.client.connected) return Promise.resolve();
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  /**
   * Says every meter offline, then the process (clean stop: the Will is not sent), and
   * disconnects; waits at most `timeoutMs` for the broker (a stalled one is then dropped).
   */
  async stop(timeoutMs = 3000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.uncork();
    for (const meter of this.meters) meter.unsubscribe();
    const sparkplug = this.sparkplug?.stop(timeoutMs);
    const client = this.client;
    if (client.connected) {
      const sent: Promise<unknown>[] = [];
      for (const meter of this.meters) sent.push(client.publishAsync(this.topics.availability(meter.view.name), 'offline', { qos: 1, retain: true }));
      sent.push(client.publishAsync(this.topics.status, 'offline', { qos: 1, retain: true }));
      await withTimeout(Promise.allSettled(sent), timeoutMs / 2);
    }
    await withTimeout(client.endAsync(false), timeoutMs / 2).catch(() => undefined);
    if (!client.disconnected) await client.endAsync(true).catch(() => undefined);
    await sparkplug;
  }

  // ---- connection -------------------------------------------------------------------------

  private onConnect(): void {
    this.counters.connections += 1;
    this.backoff.reset();
    this.client.options.reconnectPeriod = this.backoff.next();
    this.errorLogged = false;
    this.inFlight = 0;
    this.logger.info(`MQTT: connected to ${this.broker.displayUrl} (MQTT ${this.client.options.protocolVersion === 5 ? '5' : '3.1.1'})`);
    this.client.publish(this.topics.status, 'online', { qos: 1, retain: true });
    const filters: Record<string, { qos: MqttQos }> = { [this.topics.commandFilter]: { qos: 1 }, [this.topics.meterIndex]: { qos: 1 } };
    if (this.discovery) filters[this.topics.homeAssistantStatus] = { qos: 1 };
    this.client.subscribe(filters, (error) => {
      if (error !== null && error !== undefined) {
        this.logger.warn(`MQTT: cannot subscribe to commands: ${error.message}`);
        return;
      }
      // After the SUBACK: the broker has sent the previous meter list (retained) before this one.
      this.client.publish(this.topics.meterIndex, JSON.stringify(this.meters.map((m) => m.view.name)), { qos: 1, retain: true });
    });
    this.restartAnnouncements();
    for (const waiter of this.connectedWaiters.splice(0)) waiter();
    this.pump();
  }

  private onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    if (topic === this.topics.homeAssistantStatus) {
      if (payload.toString() === 'online') {
        this.logger.info('MQTT: Home Assistant is online: announcing the meters again');
        this.restartAnnouncements();
        this.pump();
      }
      return;
    }
    if (topic === this.topics.meterIndex) {
      if (packet.retain) this.forgetRemovedMeters(payload.toString());
      return;
    }
    const command = this.topics.parseCommand(topic);
    if (command !== undefined) this.onCommand(command.meter, command.name, payload.toString(), packet);
  }

  /** Meters of a previous run that are not in this panel: clear their retained discovery, availability and state. */
  private forgetRemovedMeters(text: string): void {
    let previous: unknown;
    try {
      previous = JSON.parse(text);
    } catch {
      return;
    }
    if (!Array.isArray(previous)) return;
    for (const name of previous) {
      if (typeof name !== 'string' || this.byName.has(name) || !isTopicLevel(name)) continue;
      this.logger.info(`MQTT: meter "${name}" is no longer in the panel: removing its Home Assistant device`);
      for (const topic of [this.topics.discoveryConfig(discoveryObjectId(this.prefix, name)), this.topics.availability(name), this.topics.state(name)]) {
        this.priority.push({ topic, payload: '', qos: 1, retain: true });
      }
    }
    this.pump();
  }

  // ---- commands -----------------------------------------------------------------------------

  private onCommand(meterName: string, name: string, text: string, packet: IPublishPacket): void {
    let outcome: MqttCommandOutcome;
    if (!this.byName.has(meterName)) {
      outcome = { ok: false, error: `no meter "${meterName}"` };
    } else {
      try {
        outcome = this.view.commands.apply(meterName, parseMqttCommand(name, text));
      } catch (error) {
        outcome = { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    }
    if (outcome.ok) this.counters.commandsAccepted += 1;
    else this.counters.commandsRefused += 1;
    this.logger.info(`MQTT: ${meterName}: ${name}: ${outcome.ok ? outcome.detail : `refused: ${outcome.error}`}`);
    const answer = JSON.stringify({ command: name, ...requestId(text), ...outcome, time: new Date().toISOString() });
    this.priority.push({ topic: this.topics.result(meterName), payload: answer, qos: this.qos, retain: false });
    const responseTopic = packet.properties?.responseTopic;
    if (responseTopic !== undefined && responseTopic !== '' && !/[#+]/.test(responseTopic)) {
      const correlation = packet.properties?.correlationData;
      this.priority.push({ topic: responseTopic, payload: answer, qos: this.qos, retain: false, ...(correlation === undefined ? {} : { correlationData: correlation }) });
    }
    this.pump();
  }

  // ---- events -------------------------------------------------------------------------------

  private onEvent(meter: PublishedMeter, record: MeterEventRecord): void {
    const name = meter.view.name;
    this.priority.push({ topic: this.topics.event(name), payload: eventPayload(record), qos: meter.qos, retain: false });
    if (isPowerLoss(record)) {
      const lost = eventPhase(record) === 'start';
      if (lost !== meter.powerLost) {
        meter.powerLost = lost;
        this.priority.push({ topic: this.topics.availability(name), payload: lost ? 'offline' : 'online', qos: 1, retain: true });
      }
    }
    this.pump();
  }

  // ---- telemetry ----------------------------------------------------------------------------

  private arm(): void {
    if (this.stopped || this.building) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const next = this.schedule.nextDueMs;
    if (next === undefined) return;
    const now = performance.now();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastBuildMs = performance.now();
      this.buildDue();
    }, Math.max(0, next - now, this.lastBuildMs + MIN_BUILD_GAP_MS - now));
  }

  /**
   * Builds the due meters' telemetry, a slice at a time, yielding to the event loop after each
   * (setImmediate: I/O first). After BUILD_REST_AFTER_MS of building it rests as long as it worked
   * (at most half the process's time goes to telemetry, as the fleet ticker does), so a fleet too
   * large for its interval publishes late rather than slowing Modbus.
   */
  private buildDue(): void {
    if (this.stopped) return;
    this.building = true;
    const started = performance.now();
    const due = this.schedule.takeDue(started, TELEMETRY_SLICE);
    for (const index of due) {
      const meter = this.meters[index];
      if (meter === undefined || meter.powerLost) continue;
      const message = this.telemetryMessage(meter);
      if (message !== undefined) this.telemetry.push(message);
    }
    this.pump();
    this.buildWorkedMs += performance.now() - started;
    if (due.length === TELEMETRY_SLICE) {
      if (this.buildWorkedMs < BUILD_REST_AFTER_MS) {
        setImmediate(() => this.buildDue());
      } else {
        this.uncork();
        setTimeout(() => this.buildDue(), this.buildWorkedMs);
        this.buildWorkedMs = 0;
      }
      return;
    }
    this.buildWorkedMs = 0;
    this.building = false;
    this.uncork();
    this.arm();
  }

  /**
   * The meter's telemetry: a whole PUBLISH packet at QoS 0, else a message for the client.
   * Undefined before the meter's first window (nothing measured yet), and when taking the snapshot
   * brought a lazy meter up to an outage (its event came in while it caught up).
   */
  private telemetryMessage(meter: PublishedMeter): Buffer | OutboundMessage | undefined {
    const snapshot = meter.view.snapshot();
    if (snapshot.timeMs === 0 || meter.powerLost) return undefined;
    const values = readTelemetryValues(snapshot, this.values);
    for (const fall of meter.energy.apply(values)) {
      this.priority.push({ topic: this.topics.event(meter.view.name), payload: energyFallPayload(snapshot.timeMs, fall, meter.energy.offset(fall.key)), qos: meter.qos, retain: false });
    }
    const text = this.text.arrayText(snapshot.timeMs, values);
    const topic = this.topics.state(meter.view.name);
    if (meter.qos === 0) {
      // The text is ASCII (TelemetryText): one byte per character.
      const packet = qos0PublishPacket(topic, text, meter.retain, this.client.options.protocolVersion === 5, 'latin1');
      telemetryObjectInPlace(packet, packet.length - text.length, text);
      return packet;
    }
    const payload = Buffer.from(text, 'latin1');
    telemetryObjectInPlace(payload, 0, text);
    return { topic, payload, qos: meter.qos, retain: meter.retain };
  }

  // ---- writing ------------------------------------------------------------------------------

  /**
   * Writes queued messages while connected and the connection keeps up, at most WRITE_SLICE at a
   * time (then it yields and goes on). Events, results and announcements go through the client;
   * QoS 0 telemetry packets are written to its connection as they are, corked together (one write
   * to the socket per pump, or per build while one runs). A QoS 0 write's callback may run inside
   * client.publish: `pumping` keeps that from recursing.
   */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const client = this.client;
    let written = 0;
    try {
      while (client.connected && this.inFlight < MAX_IN_FLIGHT && !this.stopped) {
        if (written === WRITE_SLICE) {
          this.schedulePump();
          return;
        }
        const urgent = this.priority.shift() ?? this.nextAnnouncement();
        const message = urgent ?? this.telemetry.shift();
        if (message === undefined) return;
        written += 1;
        this.inFlight += 1;
        this.counters.published += 1;
        if (urgent === undefined) this.counters.telemetryPublished += 1;
        if (Buffer.isBuffer(message)) {
          const stream = client.stream;
          if (this.corked !== stream) {
            stream.cork();
            this.corked = stream;
          }
          // As the client does for QoS 0: done once written, or once the socket drains.
          if (stream.write(message)) this.writeDone();
          else stream.once('drain', this.writeDone);
          continue;
        }
        const properties = message.correlationData === undefined ? undefined : { correlationData: message.correlationData };
        client.publish(message.topic, message.payload, { qos: message.qos, retain: message.retain, ...(properties === undefined ? {} : { properties }) }, this.writeDone);
      }
    } finally {
      this.pumping = false;
      if (!this.building) this.uncork();
    }
  }

  /** Sends what the corked connection holds. */
  private uncork(): void {
    const stream = this.corked;
    this.corked = undefined;
    stream?.uncork();
  }

  /** A write left the process (or its QoS 1/2 exchange ended): one fewer in flight. */
  private readonly writeDone = (): void => {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight < MAX_IN_FLIGHT / 2) this.schedulePump();
  };

  private schedulePump(): void {
    if (this.pumpScheduled || this.stopped) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Announce every meter again, from the first (after a connection, or when Home Assistant restarts). */
  private restartAnnouncements(): void {
    this.announceCursor = 0;
    this.announcementStep = 0;
  }

  /** The next announcement of the current round: a meter's availability, then its discovery config. */
  private nextAnnouncement(): OutboundMessage | undefined {
    const meter = this.meters[this.announceCursor];
    if (meter === undefined) return undefined;
    const name = meter.view.name;
    if (this.announcementStep === 0) {
      this.announcementStep = this.discovery ? 1 : 0;
      if (!this.discovery) this.announceCursor += 1;
      return { topic: this.topics.availability(name), payload: meter.powerLost ? 'offline' : 'online', qos: 1, retain: true };
    }
    this.announcementStep = 0;
    this.announceCursor += 1;
    const config = discoveryConfig({ name, profile: meter.view.profile, identity: meter.view.identity }, this.topics, this.prefix, meter.qos);
    return { topic: this.topics.discoveryConfig(discoveryObjectId(this.prefix, name)), payload: JSON.stringify(config), qos: 1, retain: true };
  }
}

function checkInterval(seconds: number, what: string): void {
  if (!(Number.isFinite(seconds) && seconds >= 0.1 && seconds <= 86_400)) throw new RangeError(`${what} must be 0.1..86400 s, got ${seconds}`);
}

/** A command payload's "id" (string or number), echoed in its result so a caller can match them. */
function requestId(text: string): { id?: string | number } {
  if (!text.trimStart().startsWith('{')) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && 'id' in value) {
      const id: unknown = value.id;
      if (typeof id === 'string' || typeof id === 'number') return { id };
    }
  } catch {
    // not JSON: the command parser says so in the result
  }
  return {};
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
