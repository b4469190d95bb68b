/**
 * What the MQTT output needs from a running panel, and nothing more: the meters (name, identity
 * for discovery, the live snapshot, their events as they happen) and a command sink that applies
 * a command with the same operations, validation and password rules as the control API and
 * Modbus writes. The runtime implements it over its panel (an adapter beside the panel); tests
 * implement it over a plain Meter.
 */
import type { MeterEventRecord, MeterIdentity, MeterSnapshot } from '../meter/snapshot.js';
import type { MqttCommand } from './mqtt-command.js';

export interface MqttMeterView {
  /** Unique in the panel; one topic level. */
  readonly name: string;
  /** Register-map profile (titan, sdm630 ...): shown as the Home Assistant model id. */
  readonly profile: string;
  readonly identity: MeterIdentity;
  /** The meter's state now (what its registers show this window). */
  snapshot(): MeterSnapshot;
  /**
   * Calls `listener` with every event record logged from now on, and again when an open one
   * ends (same sequence, endMs set). Returns the unsubscribe function.
   */
  onEvent(listener: (record: MeterEventRecord) => void): () => void;
}

/** The answer to a command: accepted (with what it did) or refused (with the reason). */
export type MqttCommandOutcome = { ok: true; detail: string; data?: unknown } | { ok: false; error: string };

export interface MqttCommandSink {
  apply(meter: string, command: MqttCommand): MqttCommandOutcome;
}

export interface MqttPanelView {
  readonly meters: readonly MqttMeterView[];
  readonly commands: MqttCommandSink;
}
