/**
 * Connect options shared by every connection the MQTT output opens (the JSON publisher, the
 * Sparkplug edge node): the broker's address, credentials and TLS files, a backoff for reconnects.
 */
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import type { MqttBroker, MqttOptions } from './mqtt-options.js';

/** The URL handed to the client: scheme, host and port only (credentials go in the options). */
export function connectUrl(broker: MqttBroker): string {
  const host = broker.host.includes(':') ? `[${broker.host}]` : broker.host;
  return `${broker.protocol}://${host}:${broker.port}`;
}

function readPem(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new RangeError(`${flag}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** Options every connection shares: credentials, TLS files (read now: a missing file is an error at start), reconnect period. */
export function baseClientOptions(broker: MqttBroker, options: MqttOptions): IClientOptions {
  return {
    protocolVersion: options.protocolVersion ?? 5,
    clean: true,
    resubscribe: false,
    reconnectPeriod: options.reconnectMinMs ?? 1000,
    connectTimeout: 10_000,
    queueQoSZero: false,
    ...(broker.username === undefined ? {} : { username: broker.username }),
    ...(broker.password === undefined ? {} : { password: broker.password }),
    ...(options.caFile === undefined ? {} : { ca: readPem(options.caFile, '--mqtt-ca') }),
    ...(options.certFile === undefined ? {} : { cert: readPem(options.certFile, '--mqtt-cert') }),
    ...(options.keyFile === undefined ? {} : { key: readPem(options.keyFile, '--mqtt-key') }),
  };
}
