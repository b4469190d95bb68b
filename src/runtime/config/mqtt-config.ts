/** The panel config's `mqtt:` block (and each meter's `mqtt:`) as MqttOptions; certificate paths are relative to the config file. */
import type { z } from 'zod';
import type { MqttMeterOptions, MqttOptions } from '../../mqtt/mqtt-options.js';
import type { panelMqttSchema } from './panel-config-schema.js';

type PanelMqtt = z.infer<typeof panelMqttSchema>;
type MeterMqtt = boolean | { interval?: number | undefined; qos?: 0 | 1 | 2 | undefined; retain?: boolean | undefined } | undefined;

export function mqttOptionsFromConfig(block: PanelMqtt, meters: Readonly<Record<string, MeterMqtt>>, resolvePath: (path: string) => string): MqttOptions {
  const perMeter: Record<string, MqttMeterOptions> = {};
  for (const [name, entry] of Object.entries(meters)) {
    if (entry === undefined || entry === true) continue;
    perMeter[name] = entry === false ? { enabled: false } : { intervalS: entry.interval, qos: entry.qos, retain: entry.retain };
  }
  return {
    url: block.url,
    caFile: block.ca === undefined ? undefined : resolvePath(block.ca),
    certFile: block.cert === undefined ? undefined : resolvePath(block.cert),
    keyFile: block.key === undefined ? undefined : resolvePath(block.key),
    prefix: block.prefix,
    intervalS: block.interval,
    qos: block.qos,
    retain: block.retain,
    protocolVersion: block.version === undefined ? undefined : block.version === '3.1.1' ? 4 : 5,
    discovery: block.discovery,
    discoveryPrefix: block.discoveryPrefix,
    meters: perMeter,
    sparkplug: block.sparkplug === undefined ? undefined : { groupId: block.sparkplug.group, edgeNodeId: block.sparkplug.edgeNode },
  };
}
