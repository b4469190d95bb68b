/**
 * What the MQTT output is told: the broker (a URL, credentials from the URL or the environment,
 * TLS files), the topic prefix, the telemetry interval, QoS and retain, the protocol version,
 * and per-meter overrides. `resolveMqttBroker` turns a URL into connect options and a printable
 * form that never carries the password.
 */

export type MqttProtocolVersion = 4 | 5;
export type MqttQos = 0 | 1 | 2;

/** Environment variables the credentials may come from (they override the URL's). */
export const MQTT_USERNAME_ENV = 'SUBMETER_MQTT_USERNAME';
export const MQTT_PASSWORD_ENV = 'SUBMETER_MQTT_PASSWORD';

export const DEFAULT_MQTT_PREFIX = 'submeter';
export const DEFAULT_MQTT_INTERVAL_S = 10;
export const DEFAULT_DISCOVERY_PREFIX = 'homeassistant';

/** Per-meter settings (panel config `mqtt:` under a meter); absent fields take the panel's. */
export interface MqttMeterOptions {
  /** Publish this meter at all (default true). */
  enabled?: boolean | undefined;
  /** Telemetry interval (s). */
  intervalS?: number | undefined;
  qos?: MqttQos | undefined;
  retain?: boolean | undefined;
}

export interface MqttOptions {
  /** mqtt://HOST:PORT or mqtts://HOST:PORT, optionally with user:password@ (never printed). */
  url: string;
  /** PEM files for mqtts:// (CA to trust; client certificate and key for mutual TLS). */
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  /** Topic prefix (default "submeter"): <prefix>/<meter>/state ... */
  prefix?: string | undefined;
  /** Telemetry interval (s, default 10). */
  intervalS?: number | undefined;
  /** QoS of telemetry and events (default 0). */
  qos?: MqttQos | undefined;
  /** Retain telemetry (default false; discovery and availability are always retained). */
  retain?: boolean | undefined;
  /** 4 = MQTT 3.1.1, 5 = MQTT 5 (default 5). */
  protocolVersion?: MqttProtocolVersion | undefined;
  /** Home Assistant discovery (default on) and its prefix (default "homeassistant"). */
  discovery?: boolean | undefined;
  discoveryPrefix?: string | undefined;
  /** MQTT client id (default submeter-<prefix>-<pid>). */
  clientId?: string | undefined;
  /** Messages held while the broker is away or slow; past it the oldest are dropped (default 10,000). */
  maxQueuedMessages?: number | undefined;
  /** Reconnect backoff: first delay and ceiling (ms; default 1,000 and 30,000). */
  reconnectMinMs?: number | undefined;
  reconnectMaxMs?: number | undefined;
  /** Per meter, by name. */
  meters?: Readonly<Record<string, MqttMeterOptions>> | undefined;
  /** Also publish as a Sparkplug B edge node (its own connection): spBv1.0/<groupId>/.../<edgeNodeId>/<meter>. */
  sparkplug?: { groupId: string; edgeNodeId: string } | undefined;
}

export interface MqttBroker {
  /** The URL without user name or password (safe to print). */
  displayUrl: string;
  protocol: 'mqtt' | 'mqtts';
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
}

/** A URL's broker, with credentials from `env` (SUBMETER_MQTT_USERNAME / _PASSWORD) taking precedence. Throws RangeError on a bad URL (the message never repeats the password). */
export function resolveMqttBroker(url: string, env: Readonly<Record<string, string | undefined>> = process.env): MqttBroker {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`the MQTT broker must be a URL like mqtt://HOST:1883 or mqtts://HOST:8883, got "${redactCredentials(url)}"`);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (scheme !== 'mqtt' && scheme !== 'mqtts') {
    throw new RangeError(`the MQTT broker URL must start with mqtt:// or mqtts://, got "${scheme}://"`);
  }
  if (parsed.hostname === '') throw new RangeError('the MQTT broker URL needs a host (mqtt://HOST:1883)');
  const port = parsed.port === '' ? (scheme === 'mqtts' ? 8883 : 1883) : Number(parsed.port);
  const fromUrl = (text: string): string | undefined => (text === '' ? undefined : decodeURIComponent(text));
  const username = nonEmpty(env[MQTT_USERNAME_ENV]) ?? fromUrl(parsed.username);
  const password = nonEmpty(env[MQTT_PASSWORD_ENV]) ?? fromUrl(parsed.password);
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  return {
    displayUrl: `${scheme}://${parsed.host}`,
    protocol: scheme,
    host,
    port,
    username,
    password,
  };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

/** "mqtt://user:secret@host" -> "mqtt://host" (for messages about a URL that did not parse). */
export function redactCredentials(text: string): string {
  return text.replace(/\/\/[^/@]*@/, '//');
}

/** A topic level (prefix, meter name) must not carry MQTT wildcards or be empty. */
export function checkTopicPrefix(prefix: string): string {
  if (prefix === '' || /[#+\u0000]/.test(prefix) || prefix.startsWith('/') || prefix.endsWith('/')) {
    throw new RangeError(`the MQTT topic prefix must be non-empty, without "#", "+" or a leading/trailing "/", got "${prefix}"`);
  }
  return prefix;
}
