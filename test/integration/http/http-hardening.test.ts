/**
 * Hardening of the runtime's HTTP server (issue 13, item 5 and the HTTP items of 13 and 8), over
 * real sockets with node:http (fetch cannot set Host): DNS rebinding (Host), cross-site requests
 * (Origin, a text/plain body), a body over the limit (413), the bearer scheme in any case, the cap
 * on active faults (429) and a per-request cost that stays flat with many faults, and no state
 * change on GET.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ACTIVE_FAULTS } from '../../../src/control/fault-controller.js';
import { startControlServer, type ControlServer } from '../../../src/control/http/control-server.js';
import { controlRouteList } from '../../../src/control/http/control-routes.js';
import { mbapFraming } from '../../../src/modbus/framing/mbap-framing.js';
import { oneMeterFaultController, type OneMeterFaultFixture } from '../../support/one-meter-fault-controller.js';

const T0 = 1_700_000_000_000;
const ENDPOINT = 'tcp:127.0.0.1:1502';

interface Answer {
  status: number;
  body: string;
}

function send(url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('HTTP hardening', () => {
  let fixture: OneMeterFaultFixture;
  let server: ControlServer;
  let host: string;

  beforeAll(async () => {
    fixture = oneMeterFaultController(T0, ENDPOINT);
    server = await startControlServer(fixture.controller, { port: 0 });
    host = new URL(server.url).host;
  });
  afterAll(async () => {
    await server.close();
    fixture.controller.close();
  });

  const json = { 'Content-Type': 'application/json' };
  const fault = '{"kind":"no-response","count":1}';

  it('answers a Host naming the bound address or a loopback name, 403 for any other (DNS rebinding)', async () => {
    const port = new URL(server.url).port;
    for (const name of [host, `localhost:${port}`, `[::1]:${port}`, '127.0.0.1']) expect((await send(server.url, 'GET', '/meters', { Host: name })).status).toBe(200);
    const rebound = await send(server.url, 'GET', '/meters', { Host: `rebind.evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toMatch(/rebind\.evil\.example/);
    expect((await send(server.url, 'GET', '/meters', {})).status).toBe(400); // no Host at all: node:http refuses it first
  });

  it('refuses a present foreign Origin (403) and accepts its own', async () => {
    expect((await send(server.url, 'POST', '/faults', { Host: host, Origin: 'https://evil.example', ...json }, fault)).status).toBe(403);
    expect((await send(server.url, 'GET', '/faults', { Host: host, Origin: 'null' })).status).toBe(403);
    expect(fixture.policy.activeCount).toBe(0);
    const own = await send(server.url, 'POST', '/faults', { Host: host, Origin: `http://${host}`, ...json }, fault);
    expect(own.status).toBe(201);
    fixture.policy.clearAll();
  });

  it('refuses a state-changing body that is not application/json (415): the no-preflight text/plain POST', async () => {
    const plain = await send(server.url, 'POST', '/faults', { Host: host, 'Content-Type': 'text/plain' }, fault);
    expect(plain.status).toBe(415);
    expect(plain.body).toMatch(/application\/json/);
    expect((await send(server.url, 'POST', '/faults', { Host: host }, fault)).status).toBe(415);
    expect((await send(server.url, 'POST', '/faults', { Host: host, 'Content-Type': 'application/x-www-form-urlencoded' }, fault)).status).toBe(415);
    expect(fixture.policy.activeCount).toBe(0);
    expect((await send(server.url, 'POST', '/faults', { Host: host, 'Content-Type': 'application/json; charset=utf-8' }, fault)).status).toBe(201);
    fixture.policy.clearAll();
    // the timeline takes YAML, not text/plain
    const timeline = '- at: 1s\n  drop: {responses: 1}\n';
    expect((await send(server.url, 'POST', '/timeline', { Host: host, 'Content-Type': 'text/plain' }, timeline)).status).toBe(415);
    expect((await send(server.url, 'POST', '/timeline', { Host: host, 'Content-Type': 'text/yaml' }, timeline)).status).toBe(201);
    expect((await send(server.url, 'DELETE', '/timeline', { Host: host })).status).toBe(200);
  });

  it('answers a YAML alias bomb in a timeline with 400 naming the file (was 500)', async () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 9; i++) {
      const previous = String.fromCharCode(97 + i);
      const name = String.fromCharCode(98 + i);
      lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(', ')}]`);
    }
    const answer = await send(server.url, 'POST', '/timeline?name=bomb.yaml', { Host: host, 'Content-Type': 'application/yaml' }, `${lines.join('\n')}\n`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/bomb\.yaml.*alias/i);
  });

  it('answers a body over the limit with 413 (not 400)', async () => {
    const big = JSON.stringify({ kind: 'no-response', pad: 'x'.repeat((1 << 20) + 10) });
    const answer = await send(server.url, 'POST', '/faults', { Host: host, ...json }, big);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatch(/1048576 bytes/);
  });

  it('caps the active faults at 1,000 (then 429); a request costs as little with 1,000 faults on other units as with none', async () => {
    for (let i = 0; i < MAX_ACTIVE_FAULTS; i++) fixture.policy.apply({ kind: 'exception', code: 4, scope: { endpoint: ENDPOINT, unitId: 2 + (i % 200) } });
    const refused = await send(server.url, 'POST', '/faults', { Host: host, ...json }, fault);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatch(/at most 1000/);
    expect(fixture.policy.activeCount).toBe(MAX_ACTIVE_FAULTS);

    const hook = fixture.policy.forEndpoint(ENDPOINT, mbapFraming);
    const perRequestNs = (): number => {
      let best = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 5; round++) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < 20_000; i++) hook.decide({ unitId: 1, functionCode: 4 });
        best = Math.min(best, Number(process.hrtime.bigint() - start) / 20_000);
      }
      return best;
    };
    const withFaults = perRequestNs();
    expect(hook.decide({ unitId: 7, functionCode: 4 })?.exceptionCode).toBe(4); // a unit the faults are for still gets them
    fixture.policy.clearAll();
    fixture.policy.apply({ kind: 'exception', code: 4, scope: { endpoint: ENDPOINT, unitId: 2 } });
    const withOne = perRequestNs();
    fixture.policy.clearAll();
    // Before: every request walked all active faults (50,000 faults: 123 us -> 2,031 us per request).
    expect(withFaults).toBeLessThan(Math.max(1_000, withOne * 5));
  });

  it('changes no state on GET: every GET route leaves faults, scenarios and the timeline as they were', async () => {
    const before = JSON.stringify([fixture.policy.list(), fixture.controller.listScenarios('m1'), fixture.controller.timelineStatus()]);
    for (const route of controlRouteList.filter((r) => r.method === 'GET')) {
      const path = route.path.replace('{id}', 'm1');
      const answer = await send(server.url, 'GET', `${path}?meter=m1&count=2`, { Host: host });
      expect([200, 409], path).toContain(answer.status); // 409: this fixture meter has no register map
    }
    expect(JSON.stringify([fixture.policy.list(), fixture.controller.listScenarios('m1'), fixture.controller.timelineStatus()])).toBe(before);
    // GET on a state-changing path is 405, never an action
    expect((await send(server.url, 'GET', '/meters/m1/scenarios/s1', { Host: host })).status).toBe(405);
  });
});

describe('HTTP hardening with a token', () => {
  it('takes the Bearer scheme in any case; a wildcard bind accepts IP literals but not a foreign name', async () => {
    const fixture = oneMeterFaultController(T0, ENDPOINT);
    const server = await startControlServer(fixture.controller, { host: '0.0.0.0', port: 0, token: 's3cret' });
    try {
      const url = server.url.replace('0.0.0.0', '127.0.0.1');
      const host = new URL(url).host;
      for (const scheme of ['Bearer', 'bearer', 'BEARER']) expect((await send(url, 'GET', '/meters', { Host: host, Authorization: `${scheme} s3cret` })).status).toBe(200);
      expect((await send(url, 'GET', '/meters', { Host: host, Authorization: 'bearer s3cre' })).status).toBe(401);
      expect((await send(url, 'GET', '/meters', { Host: '192.168.1.20:8502', Authorization: 'Bearer s3cret' })).status).toBe(200);
      expect((await send(url, 'GET', '/meters', { Host: 'rebind.evil.example', Authorization: 'Bearer s3cret' })).status).toBe(403);
    } finally {
      await server.close();
      fixture.controller.close();
    }
  });
});
