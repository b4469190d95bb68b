import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parsePanelConfig } from '../../../../src/runtime/config/load-panel-config.js';
import { ConfigError } from '../../../../src/runtime/config/config-error.js';
import { mqttOptionsFrom } from '../../../../src/runtime/config/mqtt-flags.js';
import { SpecError } from '../../../../src/runtime/runtime-error.js';

const endpoints = ['endpoints:', '  - tcp: 127.0.0.1:0', '    units: { 1: a, 2: b }'];

describe('panel config mqtt: block', () => {
  it('becomes MqttOptions: certificate paths relative to the file, per-meter interval, a meter left out', () => {
    const spec = parsePanelConfig(
      [
        'mqtt:',
        '  url: mqtts://broker:8883',
        '  ca: certs/ca.pem',
        '  prefix: site/panel-1',
        '  interval: 5',
        '  version: "3.1.1"',
        'meters:',
        '  a: { mqtt: { interval: 1, qos: 1, retain: true } }',
        '  b: { mqtt: false }',
        ...endpoints,
      ].join('\n'),
      '/etc/submeter/panel.yaml',
    );
    expect(spec.mqtt).toMatchObject({
      url: 'mqtts://broker:8883',
      caFile: join('/etc/submeter', 'certs/ca.pem'),
      prefix: 'site/panel-1',
      intervalS: 5,
      protocolVersion: 4,
      meters: { a: { intervalS: 1, qos: 1, retain: true }, b: { enabled: false } },
    });
  });

  it('refuses per-meter mqtt settings without a broker, and a bad prefix, naming the line', () => {
    expect(() => parsePanelConfig(['meters:', '  a: { mqtt: { interval: 1 } }', '  b:', ...endpoints].join('\n'), 'p.yaml')).toThrow(ConfigError);
    try {
      parsePanelConfig(['mqtt: { url: "mqtt://h", prefix: "a/#" }', 'meters:', '  a:', '  b:', ...endpoints].join('\n'), 'p.yaml');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/p\.yaml:1: mqtt\.prefix: a topic prefix without/);
    }
  });

  it('lets serve flags override the block, and refuses --mqtt-* without a broker', () => {
    const merged = mqttOptionsFrom({ mqttInterval: 2, mqttVersion: '5', mqttDiscovery: false }, { url: 'mqtt://h', intervalS: 10, protocolVersion: 4, prefix: 'p' });
    expect(merged).toMatchObject({ url: 'mqtt://h', intervalS: 2, protocolVersion: 5, prefix: 'p', discovery: false });
    expect(mqttOptionsFrom({}, undefined)).toBeUndefined();
    expect(() => mqttOptionsFrom({ mqttPrefix: 'x' }, undefined)).toThrow(SpecError);
  });

  it('MQTT over TLS reuses the meter\'s --tls certificate files when it has none of its own', () => {
    const device = { caFile: 'ca.pem', certFile: 'meter.pem', keyFile: 'meter.key' };
    expect(mqttOptionsFrom({ mqtt: 'mqtts://broker:8883' }, undefined, device)).toMatchObject({ caFile: 'ca.pem', certFile: 'meter.pem', keyFile: 'meter.key' });
    // its own files win, and plain mqtt:// never presents a certificate
    expect(mqttOptionsFrom({ mqtt: 'mqtts://broker:8883', mqttCa: 'broker-ca.pem' }, undefined, device)).toMatchObject({ caFile: 'broker-ca.pem', certFile: undefined, keyFile: undefined });
    expect(mqttOptionsFrom({ mqtt: 'mqtt://broker:1883' }, undefined, device)).toMatchObject({ caFile: undefined, certFile: undefined });
  });
});
