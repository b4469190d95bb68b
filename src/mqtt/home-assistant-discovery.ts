/**
 * Home Assistant MQTT discovery, device-based: one retained config per meter on
 * <discovery>/device/<objectId>/config carrying the device and all its components (sensors for
 * V, I, P, Q, S, PF, f, THD per phase and total; energy import/export in total and per tariff;
 * a relay switch; a demand-reset button).
 *
 * Why device-based rather than one config per entity: a meter is one device with ~70 entities;
 * one message per meter instead of ~70 keeps a fleet's retained store and start-up burst 70 times
 * smaller (10,000 meters: 10,000 retained messages, not 700,000), the device appears complete in
 * one step, and removing it is one empty retained message. It needs Home Assistant 2024.12 or later.
 *
 * Values come from the telemetry topic (SI units); templates convert only where Home Assistant
 * wants another unit: Wh -> kWh for energy (`total_increasing`, never decreasing: see
 * monotonic-energy.ts), ratio -> % for THD.
 */
import type { MeterIdentity } from '../meter/snapshot.js';
import type { MqttTopics } from './mqtt-topics.js';

export const SUBMETER_VERSION = '0.1.0';

export interface DiscoveryComponent {
  platform: 'sensor' | 'switch' | 'button';
  name: string;
  unique_id: string;
  [option: string]: unknown;
}

export interface DiscoveryConfig {
  device: {
    identifiers: string[];
    name: string;
    manufacturer: string;
    model: string;
    model_id: string;
    serial_number: string;
    sw_version: string;
  };
  origin: { name: string; sw_version: string };
  state_topic: string;
  availability: { topic: string }[];
  availability_mode: 'all';
  qos: number;
  components: Record<string, DiscoveryComponent>;
}

/** The discovery object id of a meter: letters, digits, "_" and "-" only. */
export function discoveryObjectId(prefix: string, meter: string): string {
  return `submeter_${prefix}_${meter}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

interface SensorSpec {
  key: string;
  name: string;
  deviceClass: string | undefined;
  unit: string | undefined;
  stateClass: 'measurement' | 'total_increasing';
  /** Multiply the SI value by this in the template (1/1000: Wh -> kWh; 100: ratio -> %). */
  factor: number;
}

const PHASES = [
  ['l1', 'L1'],
  ['l2', 'L2'],
  ['l3', 'L3'],
] as const;

function sensors(tariffs: number): SensorSpec[] {
  const list: SensorSpec[] = [];
  const add = (key: string, name: string, deviceClass: string | undefined, unit: string | undefined, factor = 1, stateClass: SensorSpec['stateClass'] = 'measurement'): void => {
    list.push({ key, name, deviceClass, unit, stateClass, factor });
  };
  for (const [key, label] of PHASES) add(`voltage.${key}`, `Voltage ${label}`, 'voltage', 'V');
  for (const [key, label] of [['l12', 'L1-L2'], ['l23', 'L2-L3'], ['l31', 'L3-L1']] as const) add(`voltage.${key}`, `Voltage ${label}`, 'voltage', 'V');
  for (const [key, label] of PHASES) add(`current.${key}`, `Current ${label}`, 'current', 'A');
  add('current.neutral', 'Current N', 'current', 'A');
  const powers = [
    ['power.active', 'Active power', 'power', 'W'],
    ['power.reactive', 'Reactive power', 'reactive_power', 'var'],
    ['power.apparent', 'Apparent power', 'apparent_power', 'VA'],
    ['powerFactor', 'Power factor', 'power_factor', undefined],
  ] as const;
  for (const [base, label, deviceClass, unit] of powers) {
    for (const [key, phase] of PHASES) add(`${base}.${key}`, `${label} ${phase}`, deviceClass, unit);
    add(`${base}.total`, `${label}`, deviceClass, unit);
  }
  add('frequency', 'Frequency', 'frequency', 'Hz');
  for (const [signal, label] of [['voltage', 'Voltage'], ['current', 'Current']] as const) {
    for (const [key, phase] of PHASES) add(`thd.${signal}.${key}`, `${label} THD ${phase}`, undefined, '%', 100);
    add(`thd.${signal}.average`, `${label} THD`, undefined, '%', 100);
  }
  add('energy.total.activeImportWh', 'Energy import', 'energy', 'kWh', 1 / 1000, 'total_increasing');
  add('energy.total.activeExportWh', 'Energy export', 'energy', 'kWh', 1 / 1000, 'total_increasing');
  for (let t = 1; t <= tariffs; t += 1) {
    add(`tariff.${t}.activeImportWh`, `Energy import T${t}`, 'energy', 'kWh', 1 / 1000, 'total_increasing');
    add(`tariff.${t}.activeExportWh`, `Energy export T${t}`, 'energy', 'kWh', 1 / 1000, 'total_increasing');
  }
  return list;
}

function valueTemplate(key: string, factor: number): string {
  if (factor === 1) return `{{ value_json['${key}'] }}`;
  return factor < 1 ? `{{ value_json['${key}'] / ${Math.round(1 / factor)} }}` : `{{ value_json['${key}'] * ${factor} }}`;
}

/** The component id of a telemetry key inside a device config ("voltage.l1" -> "voltage_l1"). */
export function componentId(key: string): string {
  return key.replace(/[^A-Za-z0-9]/g, '_');
}

export interface DiscoveryMeter {
  name: string;
  profile: string;
  identity: MeterIdentity;
}

/** The device config of one meter (retained on topics.discoveryConfig(objectId)). */
export function discoveryConfig(meter: DiscoveryMeter, topics: MqttTopics, prefix: string, qos: number, tariffs = 8): DiscoveryConfig {
  const objectId = discoveryObjectId(prefix, meter.name);
  const components: Record<string, DiscoveryComponent> = {};
  for (const sensor of sensors(tariffs)) {
    const id = componentId(sensor.key);
    components[id] = {
      platform: 'sensor',
      name: sensor.name,
      unique_id: `${objectId}_${id}`,
      ...(sensor.deviceClass === undefined ? {} : { device_class: sensor.deviceClass }),
      ...(sensor.unit === undefined ? {} : { unit_of_measurement: sensor.unit }),
      state_class: sensor.stateClass,
      value_template: valueTemplate(sensor.key, sensor.factor),
    };
  }
  components.relay = {
    platform: 'switch',
    name: 'Load relay',
    unique_id: `${objectId}_relay`,
    command_topic: topics.command(meter.name, 'relay'),
    payload_on: 'ON',
    payload_off: 'OFF',
    value_template: "{{ 'ON' if value_json['relay.closed'] == 1 else 'OFF' }}",
  };
  components.reset_demand = {
    platform: 'button',
    name: 'Reset maximum demand',
    unique_id: `${objectId}_reset_demand`,
    command_topic: topics.command(meter.name, 'reset-demand'),
    payload_press: 'PRESS',
  };
  return {
    device: {
      identifiers: [objectId],
      name: meter.name,
      manufacturer: meter.identity.vendor,
      model: meter.identity.model,
      model_id: meter.profile,
      serial_number: String(meter.identity.serialNumber),
      sw_version: meter.identity.firmware,
    },
    origin: { name: 'submeter', sw_version: SUBMETER_VERSION },
    state_topic: topics.state(meter.name),
    availability: [{ topic: topics.status }, { topic: topics.availability(meter.name) }],
    availability_mode: 'all',
    qos,
    components,
  };
}
