/**
 * One control API for `serve --workers 2` (the built command): the primary binds --control with
 * the token, routes each meter's request to the worker that serves it and merges fleet-wide
 * answers. Driven through `submeter ctl` and plain HTTP; what changed is read back over Modbus
 * with modbus-serial, a third-party client.
 *
 * 20 meters on 20 TCP ports (one per meter): worker 1 serves meter-01..10 on base..base+9,
 * worker 2 meter-11..20 on base+10..base+19. (A 20-meter --gateway fleet is one port, which two
 * processes cannot share: --workers refuses it.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killCliChildren, runBuilt, runBuiltToEnd, type CliRun } from '../support/cli-runner.js';
import { freePortRange } from '../support/free-port-range.js';
import { ModbusRTU } from '../support/modbus-serial.js';
import { scratchDirs } from '../support/scratch-dirs.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

afterAll(killCliChildren);
const scratch = scratchDirs('submeter-workers-control-');

const COUNT = 20;
const TOKEN = 'fleet-token-7d1c';

type ModbusClient = InstanceType<typeof ModbusRTU>;

interface MeterList {
  meters: { id: string; description: string; faultScopes: { endpoint: string; unitId: number }[] }[];
}
interface FaultList {
  faults: { id: string; spec: { kind: string; scope?: { endpoint?: string; unitId?: number } } }[];
}
interface FleetHealth {
  status: string;
  checks: { endpoints: number; endpointsOpen: number; meters: number };
  workers: { worker: number; pid: number; ready: boolean; status: string }[];
}

const meterName = (i: number): string => `meter-${String(i).padStart(2, '0')}`;

describe('serve --workers 2 --control: one control API for the fleet', () => {
  let base = 0;
  let url = '';
  let serve: CliRun;

  const http = async (method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: unknown }> => {
    const headers: Record<string, string> = { Authorization: `Bearer ${options.token ?? TOKEN}`, ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const ctl = (...args: string[]) => runBuiltToEnd(['ctl', '--url', url, '--token', TOKEN, ...args]);

  /** A modbus-serial client on meter i's port (unit 1). */
  const clientOf = async (i: number): Promise<ModbusClient> => {
    const client = new ModbusRTU();
    await client.connectTCP('127.0.0.1', { port: base + i - 1 });
    client.setID(1);
    client.setTimeout(2000);
    return client;
  };
  /** Titan: total active import energy, input registers 0x0100..0x0103 (f64, big-endian). */
  const energyWh = async (i: number): Promise<number> => {
    const client = await clientOf(i);
    try {
      return (await client.readInputRegisters(0x0100, 4)).buffer.readDoubleBE(0);
    } finally {
      client.close(() => undefined);
    }
  };
  /** Titan: relay state, discrete input 0. */
  const relayClosed = async (i: number): Promise<boolean> => {
    const client = await clientOf(i);
    try {
      return (await client.readDiscreteInputs(0, 1)).data[0] === true;
    } finally {
      client.close(() => undefined);
    }
  };
  /** The Modbus exception code a read of meter i's voltage answers with, or 'answered'. */
  const readOutcome = async (i: number): Promise<number | 'answered'> => {
    const client = await clientOf(i);
    try {
      await client.readInputRegisters(0, 2);
      return 'answered';
    } catch (error) {
      return (error as { modbusCode?: number }).modbusCode ?? -1;
    } finally {
      client.close(() => undefined);
    }
  };

  beforeAll(async () => {
    base = await freePortRange(COUNT);
    serve = runBuilt(['serve', '--count', String(COUNT), '--tcp', `127.0.0.1:${base}`, '--speed', '60', '--workers', '2', '--control', '127.0.0.1:0', '--control-token', TOKEN, '--log-level', 'warn']);
    await serve.waitFor(/^2 workers; ready in \d+ ms/m);
    const announced = /^control API (http:\/\/127\.0\.0\.1:\d+) /m.exec(serve.stdout());
    url = announced?.[1] ?? '';
    expect(url).not.toBe('');
  }, 60_000);

  it('prints one control API (the primary\'s), not the workers\' own', () => {
    expect(serve.stdout().match(/control API/g)).toHaveLength(1);
    expect(serve.stdout()).not.toContain(TOKEN);
  });

  it('lists all 20 meters in the panel\'s order, through `submeter ctl` and plain HTTP', async () => {
    const listed = await ctl('meters', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const viaCtl = JSON.parse(listed.stdout) as MeterList;
    expect(viaCtl.meters.map((m) => m.id)).toEqual(Array.from({ length: COUNT }, (_, i) => meterName(i + 1)));
    expect(viaCtl.meters.map((m) => m.faultScopes[0]?.endpoint)).toEqual(Array.from({ length: COUNT }, (_, i) => `tcp:127.0.0.1:${base + i}`));
    expect(viaCtl.meters[14]?.description).toMatch(/serial 24000015$/);
    const viaHttp = await http('GET', '/meters');
    expect(viaHttp.status).toBe(200);
    expect(viaHttp.body).toEqual(viaCtl);
  });

  it('a fault posted on a meter of worker 2 makes its Modbus reads fail, and only its; its id routes back to clear it', async () => {
    expect(await readOutcome(15)).toBe('answered');
    const posted = await ctl('fault', 'exception', '--code', '6', '--meter', 'meter-15', '--json');
    expect(posted.code, posted.stderr).toBe(0);
    const faults = (JSON.parse(posted.stdout) as FaultList).faults;
    expect(faults).toHaveLength(1);
    const id = faults[0]?.id ?? '';
    expect(id).toMatch(/^w2-f\d+$/);
    expect(faults[0]?.spec.scope).toEqual({ endpoint: `tcp:127.0.0.1:${base + 14}`, unitId: 1 });
    expect(await readOutcome(15)).toBe(6);
    expect(await readOutcome(16)).toBe('answered');
    expect(await readOutcome(5)).toBe('answered');
    // Fleet-wide list: the same fault, under its fleet id; scoped to the meter: the same.
    expect(((await http('GET', '/faults')).body as FaultList).faults.map((f) => f.id)).toEqual([id]);
    expect(((await http('GET', '/faults?meter=meter-15')).body as FaultList).faults.map((f) => f.id)).toEqual([id]);
    expect(((await http('GET', '/faults?meter=meter-05')).body as FaultList).faults).toEqual([]);
    const cleared = await ctl('clear', id);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout).toBe('1 fault(s) cleared\n');
    expect(await readOutcome(15)).toBe('answered');
    expect(await http('DELETE', `/faults/${id}`)).toEqual({ status: 404, body: { error: `no active fault "${id}"` } });
  });

  it('an unscoped fault is applied in every worker: one fault per worker, all cleared by DELETE /faults', async () => {
    const applied = await http('POST', '/faults', { body: { kind: 'exception', code: 4 } });
    expect(applied.status).toBe(201);
    expect((applied.body as FaultList).faults.map((f) => f.id.slice(0, 3))).toEqual(['w1-', 'w2-']);
    expect(await readOutcome(3)).toBe(4);
    expect(await readOutcome(18)).toBe(4);
    expect(await http('DELETE', '/faults')).toEqual({ status: 200, body: { cleared: 2 } });
    expect(await readOutcome(3)).toBe('answered');
    expect(await readOutcome(18)).toBe('answered');
  });

  it('`submeter ctl timeline` plays one file in both workers: a fault on meter-02 and meter-19 at once', async () => {
    const file = join(scratch(), 'both.yaml');
    writeFileSync(file, 'steps:\n  - at: 0s\n    meter: meter-02\n    exception: {code: 6}\n  - at: 0s\n    meter: meter-19\n    exception: {code: 6}\n  - at: 1h\n    clear: faults\n');
    const started = await ctl('timeline', file);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/^timeline both\.yaml: 2\/3 steps applied, running\n  line 2: ok w1-f\d+\n  line 5: ok w2-f\d+\n$/);
    expect(await readOutcome(2)).toBe(6);
    expect(await readOutcome(19)).toBe(6);
    expect(await readOutcome(1)).toBe('answered');
    const stopped = await ctl('timeline', '--stop');
    expect(stopped.stdout).toBe('timeline stopped\n');
    expect(await http('DELETE', '/faults')).toEqual({ status: 200, body: { cleared: 2 } });
    expect(await readOutcome(2)).toBe('answered');
  });

  it('relay and energy reset on a meter of worker 1 change what Modbus answers', async () => {
    expect(await relayClosed(3)).toBe(true);
    expect(await http('POST', '/meters/meter-03/relay', { body: { closed: false } })).toEqual({ status: 200, body: { closed: false } });
    expect(await relayClosed(3)).toBe(false);
    expect(await relayClosed(4)).toBe(true);
    expect(await http('POST', '/meters/meter-03/relay', { body: { closed: true } })).toEqual({ status: 200, body: { closed: true } });
    expect(await relayClosed(3)).toBe(true);

    // At --speed 60 an office meter imports ~100 Wh per real second: seconds have passed since ready.
    const before = await energyWh(7);
    expect(before).toBeGreaterThan(50);
    expect(await http('POST', '/meters/meter-07/reset', { body: { what: 'energy' } })).toEqual({ status: 200, body: { reset: 'energy' } });
    const after = await energyWh(7);
    expect(after).toBeGreaterThanOrEqual(0);
    expect(after).toBeLessThan(before / 4);
    expect(await energyWh(8)).toBeGreaterThan(50);
  });

  it('the primary applies the same rules: 401 for a bad token, 403 for a foreign Origin, 415, 404 for an unknown meter, 400 for a bad fault', async () => {
    expect(await http('GET', '/meters', { token: 'wrong' })).toEqual({ status: 401, body: { error: 'missing or wrong bearer token' } });
    const refused = await runBuiltToEnd(['ctl', '--url', url, '--token', 'wrong', 'meters']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('submeter ctl: missing or wrong bearer token\n');
    const foreign = await http('GET', '/meters', { headers: { Origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    const plain = await fetch(`${url}/meters/meter-03/relay`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'text/plain' }, body: '{"closed":false}' });
    expect(plain.status).toBe(415);
    expect(await relayClosed(3)).toBe(true);
    expect(await http('GET', '/meters/meter-21')).toEqual({ status: 404, body: { error: 'no meter "meter-21"' } });
    const bad = await http('POST', '/faults?meter=meter-12', { body: { kind: 'exception', code: 0 } });
    expect(bad.status).toBe(400);
    expect(((await http('GET', '/faults')).body as FaultList).faults).toEqual([]);
    // The per-process pages are not merged: the primary says so instead of a bare "no route".
    const metrics = await http('GET', '/metrics');
    expect(metrics.status).toBe(404);
    expect(String((metrics.body as { error: string }).error)).toMatch(/^\/metrics: with --workers 2 the dashboard and \/metrics are not served yet/);
  });

  it('/healthz is 200 with every worker ready; a killed worker is reported and stops the fleet', async () => {
    const health = await http('GET', '/healthz');
    expect(health.status).toBe(200);
    const report = health.body as FleetHealth;
    expect(report.checks).toMatchObject({ endpoints: COUNT, endpointsOpen: COUNT, meters: COUNT });
    expect(report.workers.map((w) => [w.worker, w.ready, w.status])).toEqual([
      [1, true, 'ok'],
      [2, true, 'ok'],
    ]);
    const second = report.workers[1]?.pid ?? 0;
    expect(second).toBeGreaterThan(0);
    process.kill(second, 'SIGKILL');
    await serve.waitFor(/worker 2\/2 exited \(code 1\); stopping the others/, 'stderr');
    expect(await serve.exit).toBe(1);
  });
});
