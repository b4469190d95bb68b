/**
 * `submeter ctl` as a user runs it (the CLI in a child process) against a control API served by
 * this test: list, apply a fault, begin a scenario, play a timeline, and the errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServer } from '../../../src/control/http/control-server.js';
import { runCliToEnd } from '../../support/cli-runner.js';
import { oneMeterFaultController } from '../../support/one-meter-fault-controller.js';
import { mbapFraming } from '../../../src/modbus/framing/mbap-framing.js';

const T0 = 1_700_000_000_000;

async function ctl(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCliToEnd(['ctl', ...args], { env });
}

describe('submeter ctl', () => {
  const { meter, policy, controller } = oneMeterFaultController(T0, 'tcp:127.0.0.1:1502');
  meter.tick(T0);
  const dir = mkdtempSync(join(tmpdir(), 'submeter-ctl-'));
  let server: ControlServer;

  beforeAll(async () => {
    server = await startControlServer(controller, { port: 0, token: 'tok' });
  });
  afterAll(async () => {
    await server.close();
    controller.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists meters, applies a fault and a scenario, reads live values (URL and token from the environment)', async () => {
    const env = { SUBMETER_CONTROL_URL: server.url, SUBMETER_CONTROL_TOKEN: 'tok' };
    const [meters, fault, scenario] = await Promise.all([
      ctl(['meters'], env),
      ctl(['fault', 'no-response', '--meter', 'm1', '--count', '2', '--fc', '3,4'], env),
      ctl(['scenario', 'm1', 'sag', '--phase', '2', '--depth', '0.5', '--duration', '200ms', '--json'], env),
    ]);
    expect(meters).toMatchObject({ code: 0 });
    expect(meters.stdout).toMatch(/m1\s+tcp:127\.0\.0\.1:1502#1\s+yes\s+sdm630 on synthetic:balanced-resistive/);
    expect(fault.stdout).toMatch(/f1\s+no-response\s+endpoint=tcp:127\.0\.0\.1:1502 unitId=1 functionCodes=3,4\s+count=2\s+0\s+2/);
    expect(policy.decide('tcp:127.0.0.1:1502', mbapFraming, { unitId: 1, functionCode: 4 })?.outcome).toBe('silence');
    expect(JSON.parse(scenario.stdout)).toMatchObject({ scenario: { scenario: { kind: 'sag', phase: 2, depth: 0.5, durationMs: 200 }, startMs: T0, endMs: T0 + 200 } });

    meter.tick(T0 + 200); // measures the window [T0+200, T0+400): after the sag
    const read = await ctl(['read', 'm1', '--json'], env);
    expect(JSON.parse(read.stdout).measurement.phases[1].voltageRms).toBeCloseTo(230, 6);
  });

  it('plays a timeline file and reports a bad one with its line', async () => {
    const good = join(dir, 'storm.yaml');
    writeFileSync(good, '- at: 0s\n  delay: {ms: 300ms, requests: 4}\n- at: 10s\n  clear: faults\n');
    const started = await ctl(['--url', server.url, '--token', 'tok', 'timeline', good]);
    expect(started.stdout).toMatch(/timeline storm\.yaml: 1\/2 steps applied, running\n {2}line 1: ok f\d+/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, '- at: 1s\n  exception: {code: 300}\n');
    const refused = await ctl(['--url', server.url, '--token', 'tok', 'timeline', bad]);
    expect(refused.code).toBe(2); // a bad file: the request is wrong
    expect(refused.stderr).toMatch(/^submeter ctl: bad\.yaml:2: \[0\]\.exception\.code: /);
  });

  it('says why it failed: wrong token, unknown meter, no server', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const [token, unknown, down] = await Promise.all([
      ctl(['--url', server.url, '--token', 'nope', 'meters']),
      ctl(['--url', server.url, '--token', 'tok', 'read', 'm9']),
      ctl(['--url', `http://127.0.0.1:${port}`, 'meters']),
    ]);
    expect([token.code, token.stderr]).toEqual([2, 'submeter ctl: missing or wrong bearer token\n']);
    expect([unknown.code, unknown.stderr]).toEqual([2, 'submeter ctl: no meter "m9"\n']);
    expect(down.code).toBe(1); // no server: a run-time failure
    expect(down.stderr).toBe(`submeter ctl: cannot reach the control API at http://127.0.0.1:${port} (ECONNREFUSED); is \`submeter serve\` running with its control API?\n`);
  });
});
