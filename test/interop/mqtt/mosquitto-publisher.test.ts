/**
 * The MQTT output of a panel (startPanel as `serve --mqtt` runs it) against a real Mosquitto
 * broker started by the test, watched by an independent subscriber (npm mqtt) and by
 * modbus-serial reading the same meter over Modbus/TCP. The meter clock is frozen unless the test
 * moves it, so telemetry and registers are the same window.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parsePhysicalScenario } from '../../../src/control/scenario-runner.js';
import { registerMapFor } from '../../../src/runtime/meters/default-meter-factory.js';
import type { MappedRegister } from '../../../src/registers/register-map.js';
import { skipWithoutTool } from '../../support/external-tool.js';
import { ModbusRTU } from '../../support/modbus-serial.js';
import { mosquittoAvailable, startMosquitto, type Mosquitto } from '../../support/mosquitto.js';
import { manualClock, meterSpec, startMqttPanel, type MqttPanel } from '../../support/mqtt-panel.js';
import { subscribe, type ReceivedMessage, type TestSubscriber } from '../../support/mqtt-subscriber.js';
import { resolution, siValue, wireValue } from '../../support/register-decoding.js';

type Json = Record<string, unknown>;

function json(message: ReceivedMessage): Json {
  return JSON.parse(message.text) as Json;
}

function numberAt(object: Json, key: string): number {
  const value = object[key];
  if (typeof value !== 'number') throw new Error(`${key} is not a number in ${JSON.stringify(object).slice(0, 200)}`);
  return value;
}

const running: { panels: MqttPanel[]; subscribers: TestSubscriber[] } = { panels: [], subscribers: [] };

async function panelWith(...args: Parameters<typeof startMqttPanel>): Promise<MqttPanel> {
  const started = await startMqttPanel(...args);
  running.panels.push(started);
  return started;
}

async function subscriber(url: string, filters: string[], options: Parameters<typeof subscribe>[2] = {}): Promise<TestSubscriber> {
  const sub = await subscribe(url, filters, options);
  running.subscribers.push(sub);
  return sub;
}

async function modbusClient(port: number): Promise<InstanceType<typeof ModbusRTU>> {
  const client = new ModbusRTU();
  await client.connectTCP('127.0.0.1', { port });
  client.setID(1);
  client.setTimeout(2000);
  return client;
}

async function readRegister(client: InstanceType<typeof ModbusRTU>, register: MappedRegister): Promise<number> {
  const read = register.space === 'input' ? client.readInputRegisters(register.address, register.length) : client.readHoldingRegisters(register.address, register.length);
  const { buffer } = await read;
  return siValue(register, wireValue(register.type, new Uint8Array(buffer), register.wordOrder));
}

function titanRegister(quantity: string, space: 'input' | 'holding' = 'input'): MappedRegister {
  const found = registerMapFor('titan').registers.find((r) => r.space === space && r.source.kind === 'quantity' && r.source.quantity.name === quantity);
  if (found === undefined) throw new Error(`titan has no ${space} register for ${quantity}`);
  return found;
}

afterEach(async () => {
  for (const run of running.panels.splice(0)) await run.panel.stop();
  for (const sub of running.subscribers.splice(0)) await sub.close();
});

describe.skipIf(skipWithoutTool(mosquittoAvailable()))('MQTT output against a real Mosquitto broker', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto({ tls: true });
  });
  afterAll(async () => {
    await broker.dispose();
  });

  it('announces one Home Assistant device per meter, retained, with every entity wired to the telemetry', async () => {
    const sub = await subscriber(broker.url, ['homeassistant/device/+/config', 'd1/#']);
    await panelWith({ url: broker.url, prefix: 'd1', intervalS: 0.2 });
    const config = json(await sub.next('homeassistant/device/submeter_d1_m1/config'));
    expect(config.device).toEqual({
      identifiers: ['submeter_d1_m1'],
      name: 'm1',
      manufacturer: 'submeter',
      model: 'SM-3P4Q',
      model_id: 'titan',
      serial_number: '1001',
      sw_version: '0.1.0',
    });
    expect(config.origin).toEqual({ name: 'submeter', sw_version: '0.1.0' });
    expect(config.state_topic).toBe('d1/m1/state');
    expect(config.availability).toEqual([{ topic: 'd1/status' }, { topic: 'd1/m1/availability' }]);
    expect(config.availability_mode).toBe('all');
    const components = config.components as Record<string, Json>;
    expect(components.voltage_l1).toEqual({
      platform: 'sensor',
      name: 'Voltage L1',
      unique_id: 'submeter_d1_m1_voltage_l1',
      device_class: 'voltage',
      unit_of_measurement: 'V',
      state_class: 'measurement',
      value_template: "{{ value_json['voltage.l1'] }}",
    });
    expect(components.energy_total_activeImportWh).toEqual({
      platform: 'sensor',
      name: 'Energy import',
      unique_id: 'submeter_d1_m1_energy_total_activeImportWh',
      device_class: 'energy',
      unit_of_measurement: 'kWh',
      state_class: 'total_increasing',
      value_template: "{{ value_json['energy.total.activeImportWh'] / 1000 }}",
    });
    for (let t = 1; t <= 8; t += 1) {
      for (const direction of ['Import', 'Export']) {
        const sensor = components[`tariff_${t}_active${direction}Wh`];
        expect(sensor?.device_class, `T${t} ${direction}`).toBe('energy');
        expect(sensor?.state_class).toBe('total_increasing');
        expect(sensor?.unit_of_measurement).toBe('kWh');
      }
    }
    const expectedClasses: Array<[string, string | undefined, string | undefined]> = [
      ['current_l2', 'current', 'A'],
      ['power_active_total', 'power', 'W'],
      ['power_reactive_l3', 'reactive_power', 'var'],
      ['power_apparent_total', 'apparent_power', 'VA'],
      ['powerFactor_l1', 'power_factor', undefined],
      ['frequency', 'frequency', 'Hz'],
      ['thd_voltage_l1', undefined, '%'],
      ['thd_current_average', undefined, '%'],
    ];
    for (const [id, deviceClass, unit] of expectedClasses) {
      expect(components[id]?.device_class, id).toBe(deviceClass);
      expect(components[id]?.unit_of_measurement, id).toBe(unit);
    }
    expect(components.thd_voltage_l1?.value_template).toBe("{{ value_json['thd.voltage.l1'] * 100 }}");
    expect(components.relay).toMatchObject({ platform: 'switch', command_topic: 'd1/m1/set/relay', payload_on: 'ON', payload_off: 'OFF' });
    expect(components.reset_demand).toMatchObject({ platform: 'button', command_topic: 'd1/m1/set/reset-demand', payload_press: 'PRESS' });
    const uniqueIds = Object.values(components).map((c) => c.unique_id);
    expect(new Set(uniqueIds).size).toBe(uniqueIds.length);

    // Every template reads a key the telemetry carries.
    const state = json(await sub.next('d1/m1/state'));
    for (const [id, component] of Object.entries(components)) {
      const template = component.value_template;
      if (typeof template !== 'string') continue;
      const key = /value_json\['([^']+)'\]/.exec(template)?.[1];
      expect(key !== undefined && key in state, `${id} reads ${String(key)}`).toBe(true);
    }
    expect(state['relay.closed']).toBe(1);

    // Retained: a client subscribing later gets the config and the availability at once.
    const late = await subscriber(broker.url, ['homeassistant/device/submeter_d1_m1/config', 'd1/m1/availability', 'd1/status']);
    expect((await late.next('homeassistant/device/submeter_d1_m1/config')).retain).toBe(true);
    expect(await late.next('d1/m1/availability')).toMatchObject({ text: 'online', retain: true });
    expect(await late.next('d1/status')).toMatchObject({ text: 'online', retain: true });
  });

  it('publishes telemetry equal to the Modbus registers of the same meter in the same window', async () => {
    const sub = await subscriber(broker.url, ['t1/m1/state']);
    const run = await panelWith({ url: broker.url, prefix: 't1', intervalS: 0.2 });
    run.clock.advance(60_000); // a minute of load: energy registers are non-zero
    const client = await modbusClient(run.portOf('m1'));
    try {
      const first = await sub.next('t1/m1/state', (m) => numberAt(json(m), 'timeMs') === run.clock.nowMs());
      const state = json(first);
      expect(state.time).toBe(new Date(run.clock.nowMs()).toISOString());
      const map = registerMapFor('titan');
      const compared: string[] = [];
      for (const register of map.registers) {
        if (register.space !== 'input' || register.source.kind !== 'quantity' || register.type === 'string') continue;
        const key = register.source.quantity.name;
        if (!(key in state)) continue;
        const expected = numberAt(state, key);
        const read = await readRegister(client, register);
        expect(Math.abs(read - expected), `${key}: Modbus ${read}, MQTT ${expected}`).toBeLessThanOrEqual(resolution(register, expected));
        compared.push(key);
      }
      for (const key of ['voltage.l1', 'current.l3', 'power.active.total', 'powerFactor.total', 'frequency', 'energy.total.activeImportWh', 'thd.current.l1']) {
        expect(compared).toContain(key);
      }
      expect(compared.length).toBeGreaterThanOrEqual(40);
      expect(numberAt(state, 'energy.total.activeImportWh')).toBeGreaterThan(0);
      expect(numberAt(state, 'voltage.l1')).toBeGreaterThan(200);
    } finally {
      client.close(() => undefined);
    }
  });

  it('applies commands as Modbus writes and the control API do, and answers every one on <prefix>/<meter>/result', async () => {
    const sub = await subscriber(broker.url, ['c1/+/result', 'c1/m1/event', 'c1/response']);
    const run = await panelWith({ url: broker.url, prefix: 'c1', intervalS: 0.2 });
    await run.panel.mqtt?.whenConnected();
    const client = await modbusClient(run.portOf('m1'));
    let mark = 0;
    const command = async (name: string, payload: string, meter = 'm1'): Promise<Json> => {
      const from = sub.messages.length;
      await sub.publish(`c1/${meter}/set/${name}`, payload, { qos: 1 });
      const result = await sub.next(`c1/${meter}/result`, (m) => (json(m).command as string) === name, Math.max(from, mark));
      mark = result.index + 1;
      return json(result);
    };
    try {
      const relayRegister = titanRegister('relay.closed', 'holding');
      // titan protects its load relay: the password rides in the JSON payload, as for settings.
      expect(await command('relay', 'OFF')).toMatchObject({ command: 'relay', ok: false, error: expect.stringContaining('protected') as unknown });
      expect(await command('relay', '{"value": "OFF", "password": 1234}')).toMatchObject({ command: 'relay', ok: true, detail: 'relay open' });
      expect(await readRegister(client, relayRegister)).toBe(0);
      expect(json(await sub.next('c1/m1/event', (m) => json(m).kind === 'relay-open'))).toMatchObject({ kind: 'relay-open', state: 'start' });
      expect(await command('relay', '{"value": "ON", "password": 1234}')).toMatchObject({ ok: true, detail: 'relay closed' });
      expect(await readRegister(client, relayRegister)).toBe(1);
      expect((await command('relay', 'MAYBE')).error).toBe('relay takes ON or OFF (close/open, 1/0), got "MAYBE"');

      const ctRegister = titanRegister('settings.ctRatio', 'holding');
      expect(await command('settings.ctRatio', '100')).toMatchObject({ ok: false, error: expect.stringContaining('settings.ctRatio is protected') as unknown });
      expect(await command('settings.ctRatio', '{"value": 100, "password": 4321}')).toMatchObject({ ok: false, error: 'wrong password' });
      expect(await readRegister(client, ctRegister)).toBe(1);
      expect(await command('settings.ctRatio', '{"value": 100, "password": 1234, "id": "req-7"}')).toMatchObject({ ok: true, id: 'req-7', detail: 'settings.ctRatio = 100' });
      expect(await readRegister(client, ctRegister)).toBe(100);
      expect((await command('settings.ctRatio', '{"value": 0, "password": 1234}')).error).toMatch(/^ctRatio must be a number between 1 and \d+, got 0$/);
      expect(await command('settings.demandPeriod', '600')).toMatchObject({ ok: true });
      expect(await readRegister(client, titanRegister('settings.demandPeriod', 'holding'))).toBe(600);
      expect(await command('settings.nosuch', '1')).toMatchObject({ ok: false, error: expect.stringContaining('unknown setting "settings.nosuch"') as unknown });

      expect(await command('reset-demand', 'PRESS')).toMatchObject({ ok: true, detail: 'maximum demand reset' });
      expect(json(await sub.next('c1/m1/event', (m) => json(m).kind === 'demand-reset'))).toMatchObject({ state: 'instant' });

      // Scenarios: the control layer's own validation, word for word.
      const badScenario = { kind: 'sag', depth: 2, durationMs: 100 };
      let expected = '';
      try {
        parsePhysicalScenario(badScenario);
      } catch (error) {
        expected = (error as Error).message;
      }
      expect(expected).toMatch(/^invalid scenario/);
      expect(await command('scenario', JSON.stringify(badScenario))).toMatchObject({ ok: false, error: expected });
      expect(await command('scenario', '{not json')).toMatchObject({ ok: false, error: expect.stringContaining('not valid JSON') as unknown });
      const started = await command('scenario', JSON.stringify({ kind: 'frequency', hz: 51.5 }));
      expect(started).toMatchObject({ ok: true, data: { id: 's1', scenario: { kind: 'frequency', hz: 51.5 } } });
      expect(await command('end-scenarios', '')).toMatchObject({ ok: true, data: { ended: 1 } });
      expect((await command('open-sesame', '1')).error).toMatch(/^unknown command "open-sesame"/);
      expect(await command('relay', 'OFF', 'nosuch')).toMatchObject({ ok: false, error: 'no meter "nosuch"' });

      // MQTT 5 request/response: the answer also goes to the response topic, with the correlation data.
      await sub.publish('c1/m1/set/relay', '{"value": "ON", "password": 1234}', { qos: 1, properties: { responseTopic: 'c1/response', correlationData: Buffer.from('abc') } });
      const response = await sub.next('c1/response');
      expect(json(response)).toMatchObject({ command: 'relay', ok: true });
      expect(run.panel.mqtt?.stats.commandsRefused).toBe(10);
      expect(run.panel.mqtt?.stats.commandsAccepted).toBe(8);
      expect(run.logger.lines).toContain('info MQTT: m1: settings.ctRatio: refused: wrong password');
    } finally {
      client.close(() => undefined);
    }
  });

  it('sends events as they happen: a sag start and end, an outage with a last gasp and the meter offline until the supply returns', async () => {
    const sub = await subscriber(broker.url, ['e1/m1/event', 'e1/m1/availability', 'e1/m1/result', 'e1/m1/state']);
    const run = await panelWith({ url: broker.url, prefix: 'e1', intervalS: 0.2 });
    await sub.next('e1/m1/availability', (m) => m.text === 'online');
    // The meters are lazy: the scenario wakes the meter at the first window (50 ms grid) after the
    // change, so the clock is moved one window past it once the command is in.
    const changedAt = run.clock.nowMs();
    await sub.publish('e1/m1/set/scenario', JSON.stringify({ kind: 'sag', phase: 2, depth: 0.4, durationMs: 1000 }));
    expect(json(await sub.next('e1/m1/result'))).toMatchObject({ ok: true });
    run.clock.advance(50);
    const sagStart = json(await sub.next('e1/m1/event', (m) => json(m).kind === 'sag'));
    expect(sagStart).toMatchObject({ kind: 'sag', state: 'start', phase: 2, end: null });
    expect(numberAt(sagStart, 'extremeValue')).toBeCloseTo(230 * 0.6, 0);
    // The meter had measured the window at changedAt before the sag began: the next one sees it.
    expect(Date.parse(String(sagStart.start))).toBe(changedAt + 50);
    run.clock.advance(1500);
    const sagEnd = json(await sub.next('e1/m1/event', (m) => json(m).kind === 'sag' && json(m).state === 'end'));
    expect(sagEnd.sequence).toBe(sagStart.sequence);
    // Ended by the first window after the sag's 1000 ms, as a meter ticked every 50 ms ends it.
    expect(Date.parse(String(sagEnd.end))).toBe(changedAt + 1000);

    const before = sub.messages.length;
    await sub.publish('e1/m1/set/scenario', JSON.stringify({ kind: 'interruption', durationMs: 5000 }));
    expect(json(await sub.next('e1/m1/result', () => true, before))).toMatchObject({ ok: true });
    run.clock.advance(50);
    const gasp = await sub.next('e1/m1/event', (m) => json(m).kind === 'interruption', before);
    expect(json(gasp)).toMatchObject({ state: 'start', lastGasp: true });
    const offline = await sub.next('e1/m1/availability', (m) => m.text === 'offline', before);
    expect(offline.index).toBeGreaterThan(gasp.index);
    run.clock.advance(6000);
    const back = await sub.next('e1/m1/availability', (m) => m.text === 'online', offline.index);
    const end = await sub.next('e1/m1/event', (m) => json(m).kind === 'interruption' && json(m).state === 'end', before);
    expect(end.index).toBeLessThan(back.index);
    // No telemetry while the meter had no supply.
    const statesDuringOutage = sub.messages.filter((m) => m.topic === 'e1/m1/state' && m.index > offline.index && m.index < back.index);
    expect(statesDuringOutage).toEqual([]);
    await sub.next('e1/m1/state', () => true, back.index);
  });

  it('never lets a published energy total decrease: a reset is an event, and the total keeps counting from where it was', async () => {
    const sub = await subscriber(broker.url, ['r1/m1/state', 'r1/m1/event', 'r1/m1/result']);
    const run = await panelWith({ url: broker.url, prefix: 'r1', intervalS: 0.1 });
    run.clock.advance(3_600_000);
    const now = run.clock.nowMs();
    const before = json(await sub.next('r1/m1/state', (m) => numberAt(json(m), 'timeMs') === now));
    const importedWh = numberAt(before, 'energy.total.activeImportWh');
    expect(importedWh).toBeGreaterThan(1000);
    await sub.publish('r1/m1/set/reset-energy', '{"password": 1234}');
    expect(json(await sub.next('r1/m1/result'))).toMatchObject({ ok: true, detail: 'energy registers reset' });
    const event = json(await sub.next('r1/m1/event', (m) => json(m).kind === 'energy-register-reset' && json(m).quantity === 'energy.total.activeImportWh'));
    expect(numberAt(event, 'publishedBefore')).toBe(importedWh);
    expect(numberAt(event, 'registerNow')).toBe(0);
    expect(numberAt(event, 'offset')).toBe(importedWh);
    const client = await modbusClient(run.portOf('m1'));
    try {
      expect(await readRegister(client, titanRegister('energy.total.activeImportWh'))).toBe(0);
    } finally {
      client.close(() => undefined);
    }
    run.clock.advance(60_000);
    const later = run.clock.nowMs();
    const after = json(await sub.next('r1/m1/state', (m) => numberAt(json(m), 'timeMs') === later));
    expect(numberAt(after, 'energy.total.activeImportWh')).toBeGreaterThan(importedWh);
    const series = sub.messages.filter((m) => m.topic === 'r1/m1/state').map((m) => numberAt(json(m), 'energy.total.activeImportWh'));
    for (let i = 1; i < series.length; i += 1) expect(series[i] ?? 0).toBeGreaterThanOrEqual(series[i - 1] ?? 0);
  });

  it('announces again when Home Assistant comes online, and removes the device of a meter no longer in the panel', async () => {
    const sub = await subscriber(broker.url, ['homeassistant/device/+/config', 'h1/#']);
    const first = await panelWith({ url: broker.url, prefix: 'h1', intervalS: 5 }, [meterSpec('a', 11), meterSpec('b', 12)]);
    const configB = await sub.next('homeassistant/device/submeter_h1_b/config', (m) => m.text !== '');
    await sub.publish('homeassistant/status', 'online');
    const again = await sub.next('homeassistant/device/submeter_h1_a/config', () => true, configB.index + 1);
    expect(json(again).state_topic).toBe('h1/a/state');
    await first.panel.stop();
    running.panels.splice(running.panels.indexOf(first), 1);
    expect((await sub.next('h1/b/availability', (m) => m.text === 'offline')).text).toBe('offline');
    expect((await sub.next('h1/status', (m) => m.text === 'offline')).text).toBe('offline');

    const mark = sub.messages.length;
    await panelWith({ url: broker.url, prefix: 'h1', intervalS: 5 }, [meterSpec('a', 11)]);
    const removed = await sub.next('homeassistant/device/submeter_h1_b/config', (m) => m.text === '', mark);
    expect(removed.text).toBe('');
    await sub.next('h1/b/availability', (m) => m.text === '', mark);
    // A new subscriber sees no retained config for b any more, and a's is there.
    const late = await subscriber(broker.url, ['homeassistant/device/submeter_h1_a/config', 'h1/meters']);
    await late.next('homeassistant/device/submeter_h1_a/config');
    expect(JSON.parse((await late.next('h1/meters', (m) => m.text === '["a"]')).text)).toEqual(['a']);
    const check = await subscriber(broker.url, ['homeassistant/device/submeter_h1_b/config', 'h1/status']);
    await check.next('h1/status');
    expect(check.messages.filter((m) => m.topic.includes('submeter_h1_b'))).toEqual([]);
  });

  it('speaks MQTT 3.1.1 as well as 5: telemetry and a command', async () => {
    const sub = await subscriber(broker.url, ['v4/#'], { protocolVersion: 4 });
    const run = await panelWith({ url: broker.url, prefix: 'v4', intervalS: 0.2, protocolVersion: 4, clientId: 'submeter-v4-test' });
    await sub.next('v4/m1/state');
    await sub.publish('v4/m1/set/relay', '{"value": "OFF", "password": 1234}');
    expect(json(await sub.next('v4/m1/result'))).toMatchObject({ ok: true, detail: 'relay open' });
    // Mosquitto logs its protocol enum: p2 = MQTT 3.1.1, p5 = MQTT 5.
    expect(broker.log()).toMatch(/as submeter-v4-test \(p2,/);
    expect(run.logger.lines.some((l) => l.includes('(MQTT 3.1.1)'))).toBe(true);
  });

  it('publishes over TLS with a client certificate (mqtts://, the test CA)', async () => {
    const files = broker.tlsFiles;
    if (files === undefined || broker.tlsUrl === undefined) throw new Error('no TLS listener');
    const sub = await subscriber(broker.tlsUrl, ['tls/m1/state'], { ca: readFileSync(files.ca), cert: readFileSync(files.clientCert), key: readFileSync(files.clientKey) });
    await panelWith({ url: broker.tlsUrl, prefix: 'tls', intervalS: 0.2, caFile: files.ca, certFile: files.clientCert, keyFile: files.clientKey, clientId: 'submeter-tls-test' });
    expect(numberAt(json(await sub.next('tls/m1/state')), 'frequency')).toBeCloseTo(50, 3);
    expect(broker.log()).toMatch(new RegExp(`New connection from 127\\.0\\.0\\.1:\\d+ on port ${broker.tlsPort}`));
  });
});
