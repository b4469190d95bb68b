import { describe, expect, it } from 'vitest';
import { checkTopicPrefix, MQTT_PASSWORD_ENV, MQTT_USERNAME_ENV, redactCredentials, resolveMqttBroker } from '../../../src/mqtt/mqtt-options.js';

describe('resolveMqttBroker', () => {
  it('reads host, port and credentials from the URL, and prints it without them', () => {
    const broker = resolveMqttBroker('mqtt://meter%40site:p%3Ass@broker.example:1884', {});
    expect(broker).toEqual({ displayUrl: 'mqtt://broker.example:1884', protocol: 'mqtt', host: 'broker.example', port: 1884, username: 'meter@site', password: 'p:ss' });
  });

  it('defaults the port by scheme: 1883 for mqtt, 8883 for mqtts', () => {
    expect(resolveMqttBroker('mqtt://10.0.0.2', {}).port).toBe(1883);
    expect(resolveMqttBroker('mqtts://10.0.0.2', {}).port).toBe(8883);
    expect(resolveMqttBroker('mqtts://[::1]:8884', {})).toMatchObject({ host: '::1', port: 8884, displayUrl: 'mqtts://[::1]:8884' });
  });

  it('takes SUBMETER_MQTT_USERNAME / _PASSWORD over the URL', () => {
    const broker = resolveMqttBroker('mqtt://url-user:url-pass@h:1', { [MQTT_USERNAME_ENV]: 'env-user', [MQTT_PASSWORD_ENV]: 'env-pass' });
    expect(broker.username).toBe('env-user');
    expect(broker.password).toBe('env-pass');
    expect(resolveMqttBroker('mqtt://h:1', { [MQTT_PASSWORD_ENV]: '' }).password).toBeUndefined();
  });

  it('refuses other schemes and garbage without repeating a password', () => {
    expect(() => resolveMqttBroker('http://u:hunter2@h:1', {})).toThrow('the MQTT broker URL must start with mqtt:// or mqtts://, got "http://"');
    let message = '';
    try {
      resolveMqttBroker('mqtt://u:hunter2@', {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^the MQTT broker/);
    expect(message).not.toContain('hunter2');
    expect(redactCredentials('mqtt://u:hunter2@h:1/x')).toBe('mqtt://h:1/x');
  });

  it('checks topic prefixes', () => {
    expect(checkTopicPrefix('site/panel-1')).toBe('site/panel-1');
    for (const bad of ['', '/a', 'a/', 'a/#', 'a+b']) expect(() => checkTopicPrefix(bad), bad).toThrow(RangeError);
  });
});
