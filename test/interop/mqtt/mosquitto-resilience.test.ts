/**
 * The MQTT output when the broker misbehaves: it goes away and comes back (reconnect with backoff,
 * a bounded queue that drops the oldest and counts them, Modbus served all along), and it wants
 * credentials (from the URL or the environment; never in the log or the summary).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MQTT_PASSWORD_ENV, MQTT_USERNAME_ENV } from '../../../src/mqtt/mqtt-options.js';
import { skipWithoutTool } from '../../support/external-tool.js';
import { ModbusRTU } from '../../support/modbus-serial.js';
import { mosquittoAvailable, startMosquitto, type Mosquitto } from '../../support/mosquitto.js';
import { startMqttPanel, type MqttPanel } from '../../support/mqtt-panel.js';
import { subscribe, type TestSubscriber } from '../../support/mqtt-subscriber.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function broker(options: Parameters<typeof startMosquitto>[0] = {}): Promise<Mosquitto> {
  const started = await startMosquitto(options);
  cleanup.push(() => started.dispose());
  return started;
}

async function panel(...args: Parameters<typeof startMqttPanel>): Promise<MqttPanel> {
  const started = await startMqttPanel(...args);
  cleanup.push(() => started.panel.stop());
  return started;
}

async function subscriber(...args: Parameters<typeof subscribe>): Promise<TestSubscriber> {
  const sub = await subscribe(...args);
  cleanup.push(() => sub.close());
  return sub;
}

describe.skipIf(skipWithoutTool(mosquittoAvailable()))('MQTT output when the broker goes away or wants credentials', () => {
  it('survives a broker restart: queues at most its capacity (oldest dropped, counted), reconnects with backoff, and Modbus is served all along', async () => {
    const mosquitto = await broker();
    const run = await panel({ url: mosquitto.url, prefix: 'rs', intervalS: 0.1, maxQueuedMessages: 5, reconnectMinMs: 50, reconnectMaxMs: 400 });
    const publisher = run.panel.mqtt;
    if (publisher === undefined) throw new Error('no publisher');
    const sub = await subscriber(mosquitto.url, ['rs/m1/state']);
    await sub.next('rs/m1/state');
    await sub.close();

    await mosquitto.stop();
    // While the broker is down: telemetry piles up to the bound and no further; Modbus answers.
    const client = new ModbusRTU();
    await client.connectTCP('127.0.0.1', { port: run.portOf('m1') });
    client.setID(1);
    try {
      while (publisher.stats.dropped < 10) {
        const { data } = await client.readInputRegisters(0, 2);
        expect(data).toHaveLength(2);
      }
      expect(publisher.stats.connected).toBe(false);
      expect(publisher.stats.queued).toBeLessThanOrEqual(5 + 2);
      expect(run.logger.lines.filter((l) => l.startsWith('warn MQTT: broker')).length).toBeGreaterThanOrEqual(1);
    } finally {
      client.close(() => undefined);
    }

    await mosquitto.start();
    await publisher.whenConnected();
    expect(publisher.stats.connections).toBe(2);
    const after = await subscriber(mosquitto.url, ['rs/m1/state', 'rs/status', 'rs/m1/availability']);
    await after.next('rs/m1/state');
    expect((await after.next('rs/status')).text).toBe('online');
    expect((await after.next('rs/m1/availability')).text).toBe('online');
    expect(run.logger.lines.filter((l) => l.startsWith('info MQTT: connected')).length).toBe(2);
  });

  it('logs in with the credentials of the URL, and never prints them', async () => {
    const mosquitto = await broker({ credentials: { username: 'meter-user', password: 's3cr3t-Pa55' } });
    const url = `mqtt://meter-user:s3cr3t-Pa55@127.0.0.1:${mosquitto.port}`;
    const run = await panel({ url, prefix: 'cred', intervalS: 0.2 });
    const sub = await subscriber(mosquitto.url, ['cred/m1/state'], { username: 'meter-user', password: 's3cr3t-Pa55' });
    await sub.next('cred/m1/state');
    const printed = [...run.logger.lines, ...run.panel.summary()].join('\n');
    expect(printed).toContain(`MQTT mqtt://127.0.0.1:${mosquitto.port}`);
    expect(printed).not.toContain('s3cr3t');
    expect(printed).not.toContain('meter-user');
  });

  it('takes the credentials from the environment over the URL, and reports a refusal without them', async () => {
    const mosquitto = await broker({ credentials: { username: 'env-user', password: 'env-Pa55word' } });
    const saved = { user: process.env[MQTT_USERNAME_ENV], password: process.env[MQTT_PASSWORD_ENV] };
    process.env[MQTT_USERNAME_ENV] = 'env-user';
    process.env[MQTT_PASSWORD_ENV] = 'env-Pa55word';
    let run: MqttPanel;
    try {
      run = await panel({ url: `mqtt://wrong:wrong@127.0.0.1:${mosquitto.port}`, prefix: 'env', intervalS: 0.2 });
    } finally {
      if (saved.user === undefined) delete process.env[MQTT_USERNAME_ENV];
      else process.env[MQTT_USERNAME_ENV] = saved.user;
      if (saved.password === undefined) delete process.env[MQTT_PASSWORD_ENV];
      else process.env[MQTT_PASSWORD_ENV] = saved.password;
    }
    await run.panel.mqtt?.whenConnected();
    expect(run.logger.lines.join('\n')).not.toContain('env-Pa55word');

    const refused = await panel({ url: `mqtt://env-user:not-the-password@127.0.0.1:${mosquitto.port}`, prefix: 'bad', intervalS: 0.2, reconnectMinMs: 50 });
    expect(await refused.logger.next(/^warn MQTT: /)).toMatch(/^warn MQTT: Connection refused: (Not authorized|Bad User Name or Password)/);
    expect(refused.panel.mqtt?.stats.connected).toBe(false);
    expect(refused.logger.lines.join('\n')).not.toContain('not-the-password');
  });
});
