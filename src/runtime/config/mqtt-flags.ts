/**
 * `submeter serve --mqtt URL [--mqtt-ca F --mqtt-cert F --mqtt-key F --mqtt-interval S
 * --mqtt-prefix P --mqtt-qos N --mqtt-retain --mqtt-version 3.1.1|5 --mqtt-sparkplug G/E
 * --no-mqtt-discovery]`, merged
 * over the config file's `mqtt:` block (flags win).
 */
import { SpecError } from '../runtime-error.js';
import { errorMessage } from '../../common/error-message.js';
import type { MqttOptions, MqttQos } from '../../mqtt/mqtt-options.js';
import { parseSparkplugIds } from '../../mqtt/sparkplug/sparkplug-edge-node.js';

function sparkplugIds(text: string): MqttOptions['sparkplug'] {
  try {
    return parseSparkplugIds(text);
  } catch (error) {
    throw new SpecError(`--mqtt-sparkplug: ${errorMessage(error)}`);
  }
}

export interface MqttFlags {
  mqtt?: string | undefined;
  mqttCa?: string | undefined;
  mqttCert?: string | undefined;
  mqttKey?: string | undefined;
  mqttInterval?: number | undefined;
  mqttPrefix?: string | undefined;
  mqttQos?: number | undefined;
  mqttRetain?: boolean | undefined;
  mqttVersion?: '3.1.1' | '5' | undefined;
  /** GROUP/EDGE-NODE: also publish as a Sparkplug B edge node. */
  mqttSparkplug?: string | undefined;
  /** commander's --no-mqtt-discovery (true unless given). */
  mqttDiscovery?: boolean | undefined;
}

/** The meter's own certificate files (`--tls-ca/--tls-cert/--tls-key`), which MQTT over TLS reuses when given no others. */
export interface DeviceCertificateFiles {
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
}

export function mqttOptionsFrom(flags: MqttFlags, fromConfig: MqttOptions | undefined, device: DeviceCertificateFiles = {}): MqttOptions | undefined {
  const url = flags.mqtt ?? fromConfig?.url;
  const given = [flags.mqttCa, flags.mqttCert, flags.mqttKey, flags.mqttInterval, flags.mqttPrefix, flags.mqttQos, flags.mqttRetain, flags.mqttVersion, flags.mqttSparkplug].some((v) => v !== undefined);
  if (url === undefined) {
    if (given || flags.mqttDiscovery === false) throw new SpecError('the --mqtt-* options need --mqtt URL (or an mqtt: block with url in the config file)');
    return undefined;
  }
  const pick = <T>(flag: T | undefined, config: T | undefined): T | undefined => flag ?? config;
  // mqtts:// with no MQTT certificates of its own: the meter's Modbus/TCP Security identity, as a
  // real meter presents one device certificate on every TLS connection it makes.
  const reuse = url.startsWith('mqtts://') && [flags.mqttCa, flags.mqttCert, flags.mqttKey, fromConfig?.caFile, fromConfig?.certFile, fromConfig?.keyFile].every((v) => v === undefined);
  return {
    ...fromConfig,
    url,
    caFile: pick(flags.mqttCa, fromConfig?.caFile) ?? (reuse ? device.caFile : undefined),
    certFile: pick(flags.mqttCert, fromConfig?.certFile) ?? (reuse ? device.certFile : undefined),
    keyFile: pick(flags.mqttKey, fromConfig?.keyFile) ?? (reuse ? device.keyFile : undefined),
    intervalS: pick(flags.mqttInterval, fromConfig?.intervalS),
    prefix: pick(flags.mqttPrefix, fromConfig?.prefix),
    qos: pick(flags.mqttQos as MqttQos | undefined, fromConfig?.qos),
    retain: pick(flags.mqttRetain, fromConfig?.retain),
    protocolVersion: flags.mqttVersion === undefined ? fromConfig?.protocolVersion : flags.mqttVersion === '5' ? 5 : 4,
    discovery: flags.mqttDiscovery === false ? false : fromConfig?.discovery,
    sparkplug: flags.mqttSparkplug === undefined ? fromConfig?.sparkplug : sparkplugIds(flags.mqttSparkplug),
  };
}
