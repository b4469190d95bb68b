/**
 * `submeter serve --mqtt ...` as a user runs it (the built CLI), against a real Mosquitto with a
 * password, watched by Debian's mosquitto_sub: a fleet publishes, telemetry equals what
 * `submeter read` decodes from the registers in the same window (the meter clock is frozen with
 * --speed 1e-9), the credentials never appear in the output, and a SIGKILLed process is
 * announced offline by the broker (the Last Will). The panel config's mqtt: block, per meter.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipWithoutTool } from '../support/external-tool.js';
import { mosquittoAvailable, mosquittoSub, startMosquitto, type Mosquitto, type MosquittoSub } from '../support/mosquitto.js';
import { subscribe } from '../support/mqtt-subscriber.js';
import { asNumber, tahu } from '../support/sparkplug-tahu.js';
import { killCliChildren, readJson, runBuilt } from '../support/cli-runner.js';

const scratch = mkdtempSync(join(tmpdir(), 'submeter-e2e-mqtt-'));
const brokers: Mosquitto[] = [];
const subs: MosquittoSub[] = [];
afterAll(async () => {
  killCliChildren();
  for (const sub of subs) await sub.stop();
  for (const broker of brokers) await broker.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

const USER = 'panel';
const PASSWORD = 'Very-s3cret-word';

describe.skipIf(skipWithoutTool(mosquittoAvailable()))('submeter serve --mqtt (built CLI, Mosquitto, mosquitto_sub)', () => {
  it('publishes a fleet, equal to the registers, never prints the password, and is offline by Last Will after SIGKILL', async () => {
    const broker = await startMosquitto({ credentials: { username: USER, password: PASSWORD } });
    brokers.push(broker);
    const sub = mosquittoSub(['-h', '127.0.0.1', '-p', String(broker.port), '-u', USER, '-P', PASSWORD, '-V', 'mqttv311', '-t', 'e2e/#']);
    subs.push(sub);
    const serve = runBuilt([
      'serve', '--count', '3', '--tcp', '127.0.0.1:0', '--speed', '1e-9',
      '--mqtt', `mqtt://${USER}:${PASSWORD}@127.0.0.1:${broker.port}`, '--mqtt-prefix', 'e2e', '--mqtt-interval', '0.3', '--log-level', 'info',
    ]);
    const [, port] = await serve.waitFor(/modbus\/tcp 127\.0\.0\.1:(\d+) unit 1 -> meter-1/);
    await serve.waitFor(/^ready in \d+ ms/m);
    expect(serve.stdout()).toContain(`MQTT mqtt://127.0.0.1:${broker.port}: e2e/<meter>/state`);
    await sub.next(/^e2e\/status online$/m);
    for (const meter of ['meter-1', 'meter-2', 'meter-3']) await sub.next(new RegExp(`^e2e/${meter}/state \\{`, 'm'));

    const [, text] = await sub.next(/^e2e\/meter-1\/state (\{.*\})$/m);
    const state = JSON.parse(text ?? '{}') as Record<string, number>;
    const read = await readJson(['--tcp', `127.0.0.1:${port}`, '--profile', 'titan']);
    let compared = 0;
    for (const value of read.values) {
      const published = state[value.quantity];
      if (typeof value.value !== 'number' || published === undefined || !['V', 'A', 'W', 'var', 'VA', 'Hz'].includes(value.unit)) continue;
      expect(Math.abs(value.value - published), `${value.quantity}: read ${value.value}, MQTT ${published}`).toBeLessThanOrEqual(Math.abs(published) * 2 ** -23 + 1e-9);
      compared += 1;
    }
    expect(compared).toBeGreaterThanOrEqual(20);

    serve.child.kill('SIGKILL');
    await serve.exit;
    await sub.next(/^e2e\/status offline$/m);
    const printed = serve.stdout() + serve.stderr();
    expect(printed).not.toContain(PASSWORD);
    expect(printed).toMatch(/MQTT: connected to mqtt:\/\/127\.0\.0\.1:\d+ \(MQTT 5\)/);
  });

  it('takes the mqtt: block of a panel config: per-meter interval, a meter left out, the index of meters published', async () => {
    const broker = await startMosquitto();
    brokers.push(broker);
    const config = join(scratch, 'panel.yaml');
    writeFileSync(config, [
      'mqtt:',
      `  url: mqtt://127.0.0.1:${broker.port}`,
      '  prefix: site/panel-1',
      '  interval: 30',
      '  version: "3.1.1"',
      'meters:',
      '  incomer:',
      '    mqtt: { interval: 0.2, qos: 1 }',
      '  spare:',
      '    mqtt: false',
      'endpoints:',
      '  - tcp: 127.0.0.1:0',
      '    gateway: true',
      '    units: { 1: incomer, 2: spare }',
      '',
    ].join('\n'));
    const sub = mosquittoSub(['-h', '127.0.0.1', '-p', String(broker.port), '-t', 'site/panel-1/#']);
    subs.push(sub);
    const serve = runBuilt(['serve', '--config', config, '--log-level', 'info']);
    await serve.waitFor(/^ready in \d+ ms/m);
    await sub.next(/^site\/panel-1\/meters \["incomer"\]$/m);
    // Two telemetry messages of the incomer within its 0.2 s interval (the panel default is 30 s).
    await sub.next(/^site\/panel-1\/incomer\/state \{.*\n[\s\S]*^site\/panel-1\/incomer\/state \{/m);
    expect(sub.output()).not.toMatch(/^site\/panel-1\/spare\//m);
    expect(serve.stderr()).toMatch(/MQTT: connected to mqtt:\/\/127\.0\.0\.1:\d+ \(MQTT 3\.1\.1\)/);
    expect(await serve.stop('SIGTERM')).toBe(0);
    await sub.next(/^site\/panel-1\/status offline$/m);
    await sub.next(/^site\/panel-1\/incomer\/availability offline$/m);
  });

  it('--mqtt-sparkplug: a SIGKILLed edge node is declared dead by the broker with the bdSeq of its NBIRTH (NDEATH as Will)', async () => {
    const broker = await startMosquitto();
    brokers.push(broker);
    const sub = await subscribe(broker.url, ['spBv1.0/#']);
    try {
      const serve = runBuilt(['serve', '--tcp', '127.0.0.1:0', '--mqtt', broker.url, '--mqtt-sparkplug', 'Plant/line-2', '--mqtt-interval', '0.5', '--log-level', 'warn']);
      await serve.waitFor(/^ready in \d+ ms/m);
      const birth = tahu.decodePayload(new Uint8Array((await sub.next('spBv1.0/Plant/NBIRTH/line-2')).payload));
      const bdSeq = asNumber(birth.metrics?.find((m) => m.name === 'bdSeq')?.value);
      await sub.next('spBv1.0/Plant/DDATA/line-2/meter');
      serve.child.kill('SIGKILL');
      await serve.exit;
      const death = tahu.decodePayload(new Uint8Array((await sub.next('spBv1.0/Plant/NDEATH/line-2')).payload));
      expect(asNumber(death.metrics?.find((m) => m.name === 'bdSeq')?.value)).toBe(bdSeq);
    } finally {
      await sub.close();
    }
  });
});
