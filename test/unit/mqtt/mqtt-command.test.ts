import { describe, expect, it } from 'vitest';
import { parseMqttCommand } from '../../../src/mqtt/mqtt-command.js';
import { mqttTopics } from '../../../src/mqtt/mqtt-topics.js';

describe('parseMqttCommand', () => {
  it('reads the relay as Home Assistant and people write it', () => {
    for (const [payload, closed] of [['ON', true], ['off', false], ['close', true], ['open', false], ['1', true], ['0', false], ['{"value": true}', true], ['{"value": "OFF"}', false]] as const) {
      expect(parseMqttCommand('relay', payload), payload).toEqual({ kind: 'relay', closed, password: undefined });
    }
    expect(() => parseMqttCommand('relay', 'half')).toThrow('relay takes ON or OFF (close/open, 1/0), got "half"');
  });

  it('takes settings as a number in SI units, with an optional password', () => {
    expect(parseMqttCommand('settings.ctRatio', ' 100 ')).toEqual({ kind: 'setting', name: 'settings.ctRatio', value: 100, password: undefined });
    expect(parseMqttCommand('settings.ctRatio', '{"value": 40, "password": 1234}')).toEqual({ kind: 'setting', name: 'settings.ctRatio', value: 40, password: 1234 });
    expect(() => parseMqttCommand('settings.ctRatio', 'lots')).toThrow('settings.ctRatio takes a number, got "lots"');
    expect(() => parseMqttCommand('settings.ctRatio', '{"value": 4, "password": "1234"}')).toThrow('"password" must be an integer');
  });

  it('passes scenarios on as data (the control layer validates them), and refuses what is not a command', () => {
    expect(parseMqttCommand('scenario', '{"kind": "sag", "depth": 0.3, "durationMs": 2000}')).toEqual({ kind: 'scenario', scenario: { kind: 'sag', depth: 0.3, durationMs: 2000 } });
    expect(() => parseMqttCommand('scenario', 'sag')).toThrow(/^scenario takes a JSON object/);
    expect(() => parseMqttCommand('scenario', '{"kind": ')).toThrow(/^the payload is not valid JSON/);
    expect(parseMqttCommand('reset-demand', 'PRESS')).toEqual({ kind: 'reset-demand', password: undefined });
    expect(parseMqttCommand('reset-energy', '{"password": 7}')).toEqual({ kind: 'reset-energy', password: 7 });
    expect(() => parseMqttCommand('settings.', '1')).toThrow(/^unknown command "settings\."/);
    expect(() => parseMqttCommand('format-disk', '')).toThrow(/^unknown command "format-disk"/);
  });
});

describe('mqttTopics', () => {
  it('names every topic under the prefix and parses command topics back', () => {
    const topics = mqttTopics('site/panel-1', 'homeassistant');
    expect(topics.state('m1')).toBe('site/panel-1/m1/state');
    expect(topics.commandFilter).toBe('site/panel-1/+/set/#');
    expect(topics.parseCommand('site/panel-1/m1/set/settings.ctRatio')).toEqual({ meter: 'm1', name: 'settings.ctRatio' });
    expect(topics.parseCommand('site/panel-1/m1/state')).toBeUndefined();
    expect(topics.parseCommand('site/panel-2/m1/set/relay')).toBeUndefined();
    expect(topics.parseCommand('site/panel-1/m1/set')).toBeUndefined();
    expect(topics.discoveryConfig('submeter_x')).toBe('homeassistant/device/submeter_x/config');
  });
});
