/**
 * The control API over real HTTP: meters, live values, faults, scenarios, timelines, errors,
 * the bearer token, the loopback rule and the OpenAPI description (served and committed).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultController } from '../../../src/control/fault-controller.js';
import { ControlClientError, createControlClient, UncheckedBody, type ControlClient } from '../../../src/control/http/control-client.js';
import { startControlServer, type ControlServer } from '../../../src/control/http/control-server.js';
import { controlOpenApiText } from '../../../src/control/http/openapi.js';
import { isLoopbackHost } from '../../../src/control/http/loopback.js';
import { physicalTargetFor } from '../../../src/control/synthetic-physical-target.js';
import { ManualClock } from '../../../src/meter/clock.js';
import { Meter } from '../../../src/meter/meter.js';
import { CommFaultPolicy } from '../../../src/modbus/faults/comm-fault-policy.js';
import { phasorMeasurementSource } from '../../../src/metrology/phasor/phasor-measurement-source.js';
import { SyntheticSource } from '../../../src/waveform/synthetic/synthetic-source.js';
import { mbapFraming } from '../../../src/modbus/framing/mbap-framing.js';

const T0 = 1_700_000_000_000;
const CONTROL_OPENAPI_PATH = fileURLToPath(new URL('../../../docs/control-api.openapi.json', import.meta.url));

function controller(): { controller: FaultController; clock: ManualClock; policy: CommFaultPolicy } {
  const clock = new ManualClock(T0);
  const office = SyntheticSource.fromScenario('office', { originTimeS: T0 / 1000, drift: false });
  const solar = SyntheticSource.fromScenario('solar-export', { originTimeS: T0 / 1000, drift: false });
  const m1 = new Meter({ source: phasorMeasurementSource(office) });
  const m2 = new Meter({ source: phasorMeasurementSource(solar) });
  m1.tick(T0);
  m2.tick(T0);
  const policy = new CommFaultPolicy({ now: () => clock.nowMs() });
  return {
    clock,
    policy,
    controller: new FaultController(
      {
        clock,
        commFaults: policy,
        endpoints: [
          { name: 'tcp:a', framing: 'mbap' },
          { name: 'rtu:bus', framing: 'rtu' },
        ],
        meters: [
          {
            id: 'm1',
            description: 'office',
            commands: m1,
            faultScopes: [
              { endpoint: 'tcp:a', unitId: 1 },
              { endpoint: 'rtu:bus', unitId: 5 },
            ],
            physical: physicalTargetFor(office, m1),
          },
          // as a meter on a recording would be registered: no physical target
          { id: 'm2', description: 'solar (no physical control)', commands: m2, faultScopes: [] },
        ],
      },
      { tickMs: 0 },
    ),
  };
}

async function status(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ControlClientError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('control API', () => {
  const { controller: control, policy } = controller();
  let server: ControlServer;
  let api: ControlClient;

  beforeAll(async () => {
    server = await startControlServer(control, { port: 0 });
    api = createControlClient({ url: server.url });
  });
  afterAll(async () => {
    await server.close();
    control.close();
  });

  it('binds to 127.0.0.1 by default and lists the meters', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { meters } = await api.listMeters();
    expect(meters.map((m) => [m.id, m.physical, m.faultScopes.length])).toEqual([
      ['m1', true, 2],
      ['m2', false, 0],
    ]);
  });

  it('serves live values with harmonics as arrays', async () => {
    const { snapshot } = await api.snapshot({ params: { id: 'm2' } });
    const l1 = snapshot.measurement.phases[0];
    expect(l1.activePower).toBeLessThan(0); // solar exports
    expect(Array.isArray(l1.currentHarmonics)).toBe(true);
    expect(l1.currentHarmonics).toHaveLength(32);
    expect(snapshot.timeMs).toBe(T0);
  });

  it('applies a fault to a meter on each of its endpoints, lists and clears it', async () => {
    const { faults } = await api.applyFault({ query: { meter: 'm1' }, body: { kind: 'exception', code: 6, count: 3 } });
    expect(faults.map((f) => f.spec.scope)).toEqual([
      { endpoint: 'tcp:a', unitId: 1 },
      { endpoint: 'rtu:bus', unitId: 5 },
    ]);
    expect(policy.decide('tcp:a', mbapFraming, { unitId: 1, functionCode: 4 })?.exceptionCode).toBe(6);
    expect(policy.decide('tcp:a', mbapFraming, { unitId: 2, functionCode: 4 })).toBeUndefined();
    expect((await api.listFaults({ query: { meter: 'm1' } })).faults).toHaveLength(2);
    await api.clearFault({ params: { faultId: faults[0].id } });
    expect((await api.listFaults()).faults.map((f) => f.id)).toEqual([faults[1].id]);
    expect(await api.clearFaults()).toEqual({ cleared: 1 });
  });

  it('refuses bad requests with the status and a message that names the problem', async () => {
    expect(await status(api.applyFault({ body: new UncheckedBody({ kind: 'delay' }) }))).toMatchObject({ status: 400, message: expect.stringMatching(/delayMs/) });
    expect(await status(api.applyFault({ body: { kind: 'no-response', scope: { endpoint: 'tcp:zz' } } }))).toMatchObject({ status: 404, message: expect.stringMatching(/tcp:zz/) });
    expect(await status(api.applyFault({ query: { meter: 'm2' }, body: { kind: 'no-response' } }))).toMatchObject({ status: 409 });
    expect(await status(api.applyFault({ query: { meter: 'm9' }, body: { kind: 'no-response' } }))).toMatchObject({ status: 404, message: 'no meter "m9"' });
    expect(await status(api.clearFault({ params: { faultId: 'f999' } }))).toMatchObject({ status: 404 });
    expect(await status(api.beginScenario({ params: { id: 'm2' }, body: { kind: 'sag', depth: 0.3, durationMs: 100 } }))).toMatchObject({ status: 409 });
    expect(await status(api.beginScenario({ params: { id: 'm1' }, body: { kind: 'sag', depth: 3, durationMs: 100 } }))).toMatchObject({ status: 400, message: expect.stringMatching(/depth/) });
    expect(await status(api.request('POST', '/faults', '{"kind":', 'application/json'))).toMatchObject({ status: 400, message: expect.stringMatching(/not JSON/) });
    expect(await status(api.request('GET', '/nowhere'))).toMatchObject({ status: 404 });
    expect(await status(api.request('DELETE', '/meters'))).toMatchObject({ status: 405 });
    expect(await status(api.request('GET', '/meters/%E0%A4%A'))).toMatchObject({ status: 400, message: expect.stringMatching(/malformed path/) });
  });

  it('begins and ends a scenario on a meter', async () => {
    const { scenario } = await api.beginScenario({ params: { id: 'm1' }, body: { kind: 'phase-loss', phase: 3 } });
    expect(scenario.endMs).toBeUndefined();
    expect((await api.listScenarios({ params: { id: 'm1' } })).scenarios.map((s) => s.id)).toEqual([scenario.id]);
    expect(await api.endScenarios({ params: { id: 'm1' } })).toEqual({ ended: 1 });
    expect(await status(api.endScenario({ params: { id: 'm1', scenarioId: scenario.id } }))).toMatchObject({ status: 404 });
  });

  it('refuses a timeline with errors that name the line, before running any of it', async () => {
    const bad = await status(api.startTimeline({ query: { name: 'bad.yaml' }, body: '- at: 1s\n  drop: {responses: 2}\n- at: 2s\n  sag: {phase: 2, depth: 0.5}\n' }));
    expect(bad).toMatchObject({ status: 400, message: expect.stringMatching(/^bad\.yaml:4: \[1\]\.sag\.duration/) });
    const unknown = await status(api.startTimeline({ query: { name: 't.yaml' }, body: '- at: 1s\n  meter: m7\n  drop: {responses: 2}\n' }));
    expect(unknown).toMatchObject({ status: 400, message: 't.yaml:1: no meter "m7"' });
    const recording = await status(api.startTimeline({ query: { name: 't.yaml' }, body: '- at: 1s\n  meter: m2\n  swell: {rise: 0.2, duration: 1s}\n' }));
    expect(recording.message).toMatch(/t\.yaml:1: meter "m2" cannot play physical scenarios/);
    expect(policy.list()).toEqual([]);
  });

  it('serves the OpenAPI description, equal to the committed file, covering every route', async () => {
    const served = await api.openApi();
    expect(`${JSON.stringify(served, null, 2)}\n`).toBe(readFileSync(CONTROL_OPENAPI_PATH, 'utf8'));
    expect(readFileSync(CONTROL_OPENAPI_PATH, 'utf8')).toBe(controlOpenApiText());
    expect(served.openapi).toBe('3.1.0');
    const operations = Object.entries(served.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        'GET /meters',
        'GET /meters/{id}',
        'GET /meters/{id}/events',
        'GET /meters/{id}/profile',
        'GET /meters/{id}/registers',
        'POST /meters/{id}/relay',
        'POST /meters/{id}/reset',
        'GET /faults',
        'POST /faults',
        'DELETE /faults',
        'DELETE /faults/{faultId}',
        'GET /meters/{id}/scenarios',
        'POST /meters/{id}/scenarios',
        'DELETE /meters/{id}/scenarios',
        'DELETE /meters/{id}/scenarios/{scenarioId}',
        'POST /timeline',
        'GET /timeline',
        'DELETE /timeline',
        'GET /openapi.json',
      ].sort(),
    );
  });
});

describe('control API security', () => {
  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.3.4.5', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com'].some(isLoopbackHost)).toBe(false);
  });

  it('refuses a non-loopback bind without a token', async () => {
    const { controller: control } = controller();
    await expect(startControlServer(control, { host: '0.0.0.0', port: 0 })).rejects.toThrow(/refusing to bind the control API to 0\.0\.0\.0 without a token/);
    control.close();
  });

  it('with a token, every request needs Authorization: Bearer <token>', async () => {
    const { controller: control } = controller();
    const server = await startControlServer(control, { host: '0.0.0.0', port: 0, token: 's3cret' });
    try {
      const url = server.url.replace('0.0.0.0', '127.0.0.1');
      expect(await status(createControlClient({ url }).listMeters())).toMatchObject({ status: 401 });
      expect(await status(createControlClient({ url, token: 's3cre' }).listMeters())).toMatchObject({ status: 401 });
      const raw = await fetch(`${url}/meters`, { headers: { Authorization: 'Basic czNjcmV0' } });
      expect(raw.status).toBe(401);
      expect(raw.headers.get('www-authenticate')).toBe('Bearer');
      const { meters } = await createControlClient({ url, token: 's3cret' }).listMeters();
      expect(meters).toHaveLength(2);
    } finally {
      await server.close();
      control.close();
    }
  });
});
