/**
 * A panel as `submeter serve --mqtt` runs it (startPanel with the default meter factory), on a
 * Modbus/TCP port chosen by the system, with a meter clock the test moves by hand (frozen unless
 * moved, so an MQTT message and a Modbus read see the same window), and a logger whose lines
 * the test can read.
 */
import { startPanel, type Panel } from '../../src/runtime/panel.js';
import type { MeterSpec } from '../../src/runtime/panel-spec.js';
import { EventEmitter, once } from 'node:events';
import type { Logger, LogLevel } from '../../src/runtime/log/logger.js';
import type { MqttOptions } from '../../src/mqtt/mqtt-options.js';

export interface ManualClock {
  nowMs(): number;
  advance(ms: number): void;
}

export function manualClock(startMs = Date.parse('2026-06-01T10:00:00Z')): ManualClock {
  let now = startMs;
  return { nowMs: () => now, advance: (ms) => (now += ms) };
}

export interface CollectingLogger extends Logger {
  /** "level message", in order. */
  lines: string[];
  /** The first line (logged so far or later) matching `pattern`. */
  next(pattern: RegExp): Promise<string>;
}

export function collectingLogger(): CollectingLogger {
  const lines: string[] = [];
  const events = new EventEmitter();
  const log = (level: LogLevel) => (message: string): void => {
    lines.push(`${level} ${message}`);
    events.emit('line');
  };
  const next = async (pattern: RegExp): Promise<string> => {
    for (;;) {
      const found = lines.find((l) => pattern.test(l));
      if (found !== undefined) return found;
      await once(events, 'line');
    }
  };
  return { level: 'debug', lines, next, enabled: () => true, error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
}

export function meterSpec(name: string, serialNumber: number, profile = 'titan'): MeterSpec {
  return { name, profile, profileOptions: {}, source: 'synthetic:office', serialNumber, seed: 0, settings: {}, stateDir: undefined };
}

export interface MqttPanel {
  panel: Panel;
  clock: ManualClock;
  logger: CollectingLogger;
  /** Modbus/TCP port of meter i (one port per meter, unit id 1). */
  portOf(meter: string): number;
}

export async function startMqttPanel(mqtt: MqttOptions, meters: MeterSpec[] = [meterSpec('m1', 1001)], clock: ManualClock = manualClock(), tickMs = 50): Promise<MqttPanel> {
  const logger = collectingLogger();
  const panel = await startPanel(
    {
      meters,
      endpoints: meters.map((m) => ({ kind: 'tcp', host: '127.0.0.1', port: 0, units: [{ unitId: 1, meter: m.name }], gateway: false })),
      speed: 1,
    },
    { clock, logger, mqtt, tickMs },
  );
  return {
    panel,
    clock,
    logger,
    portOf: (meter) => {
      const endpoint = panel.endpoints.find((e) => e.spec.units.some((u) => u.meter === meter));
      const port = endpoint?.open.port;
      if (port === undefined) throw new Error(`no TCP endpoint for ${meter}`);
      return port;
    },
  };
}
