/**
 * The fleet control API's routing and merging (src/runtime/workers/fleet-answerer.ts) over two
 * real panels in this process, each one slice of an 8-meter fleet (what the two workers of
 * `serve --workers 2` run) with its control API on loopback behind its own secret, and the
 * primary's control server over real sockets in front of them. What needs the panels' insides is
 * done to them directly (599 + 400 faults straight into their policies, to show the 1,000 limit
 * is counted over the fleet); everything else goes through HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServer } from '../../../src/control/http/control-server.js';
import { panelFromFlags } from '../../../src/runtime/config/panel-from-flags.js';
import { shardPanelSpec } from '../../../src/runtime/config/shard.js';
import { startPanel, type Panel } from '../../../src/runtime/panel.js';
import { fleetAnswerer, type WorkerLinks } from '../../../src/runtime/workers/fleet-answerer.js';
import { FleetOwnership } from '../../../src/runtime/workers/fleet-ownership.js';
import { newWorkerSecret } from '../../../src/runtime/workers/worker-control-announcement.js';
import { WorkerLink } from '../../../src/runtime/workers/worker-link.js';
import { freePortRange } from '../../support/free-port-range.js';

const COUNT = 8;
const TOKEN = 'primary-token';

interface TimelineBody {
  running: boolean;
  total: number;
  applied: number;
  history: { atMs: number; line: number; ok: boolean; result: string }[];
}
interface FaultList {
  faults: { id: string; appliedAtMs: number; spec: { kind: string; scope?: { endpoint?: string; unitId?: number } } }[];
}

describe('the fleet control API over two worker panels', () => {
  let base = 0;
  const panels: Panel[] = [];
  const links = new Map<number, WorkerLink>();
  let primary: ControlServer;

  const http = async (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: unknown }> => {
    const headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` };
    if (body !== undefined) headers['Content-Type'] = contentType;
    const response = await fetch(`${primary.url}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const policyOf = (worker: number) => {
    const policy = panels[worker - 1]?.control?.policy;
    if (policy === undefined) throw new Error(`worker ${worker} has no control API`);
    return policy;
  };

  beforeAll(async () => {
    base = await freePortRange(COUNT);
    const spec = panelFromFlags({ profile: 'sdm630', count: COUNT, tcp: `127.0.0.1:${base}` });
    for (let w = 1; w <= 2; w += 1) {
      const token = newWorkerSecret();
      const panel = await startPanel(shardPanelSpec(spec, { index: w, count: 2 }, '--workers'), { control: { port: 0, token }, tickMs: 50 });
      panels.push(panel);
      links.set(w, new WorkerLink(w, 2, panel.controlUrl ?? '', token));
    }
    const fleet: WorkerLinks = { count: 2, link: (w) => links.get(w) };
    primary = await startControlServer(fleetAnswerer(new FleetOwnership(spec, 2), fleet), { port: 0, token: TOKEN });
  });
  afterAll(async () => {
    await primary.close();
    for (const panel of panels) await panel.stop();
  });

  it('a worker\'s own API refuses anyone without its secret', async () => {
    const response = await fetch(`${panels[0]?.controlUrl ?? ''}/meters`);
    expect(response.status).toBe(401);
  });

  it('an endpoint-scoped fault goes to the worker that binds the endpoint; an unknown endpoint is 404 naming every endpoint', async () => {
    const applied = await http('POST', '/faults', { kind: 'no-response', scope: { endpoint: `tcp:127.0.0.1:${base + 6}` } });
    expect(applied.status).toBe(201);
    const faults = (applied.body as FaultList).faults;
    expect(faults.map((f) => f.id)).toEqual(['w2-f1']);
    expect(policyOf(2).activeCount).toBe(1);
    expect(policyOf(1).activeCount).toBe(0);
    const unknown = await http('POST', '/faults', { kind: 'no-response', scope: { endpoint: 'tcp:127.0.0.1:1' } });
    expect(unknown.status).toBe(404);
    const every = Array.from({ length: COUNT }, (_, i) => `tcp:127.0.0.1:${base + i}`).join(', ');
    expect(unknown.body).toEqual({ error: `no endpoint "tcp:127.0.0.1:1"; endpoints: ${every}` });
    expect(await http('DELETE', '/faults/w2-f1')).toEqual({ status: 200, body: { cleared: 1 } });
    expect(await http('DELETE', '/faults/f1')).toEqual({ status: 404, body: { error: 'no active fault "f1"' } });
    expect(await http('DELETE', '/faults/w3-f1')).toEqual({ status: 404, body: { error: 'no active fault "w3-f1"' } });
  });

  it('GET /faults merges the workers\' lists in the order the faults were applied', async () => {
    const first = await http('POST', '/faults?meter=meter-7', { kind: 'exception', code: 6 });
    // The second is applied on a later millisecond (the order is by appliedAtMs).
    const appliedAt = (first.body as FaultList).faults[0]?.appliedAtMs ?? 0;
    while (Date.now() <= appliedAt) await new Promise((resolve) => setImmediate(resolve));
    const second = await http('POST', '/faults?meter=meter-2', { kind: 'exception', code: 4 });
    const ids = [...(first.body as FaultList).faults, ...(second.body as FaultList).faults].map((f) => f.id);
    expect(ids[0]).toMatch(/^w2-/);
    expect(ids[1]).toMatch(/^w1-/);
    expect(((await http('GET', '/faults')).body as FaultList).faults.map((f) => f.id)).toEqual(ids);
    expect(await http('DELETE', '/faults')).toEqual({ status: 200, body: { cleared: 2 } });
  });

  it('the 1,000-active-faults limit is counted over the whole fleet', async () => {
    for (let i = 0; i < 599; i += 1) policyOf(1).apply({ kind: 'delay', delayMs: 1 });
    for (let i = 0; i < 400; i += 1) policyOf(2).apply({ kind: 'delay', delayMs: 1 });
    const last = await http('POST', '/faults?meter=meter-8', { kind: 'exception', code: 6 });
    expect(last.status).toBe(201);
    const over = await http('POST', '/faults?meter=meter-1', { kind: 'exception', code: 6 });
    expect(over).toEqual({ status: 429, body: { error: 'at most 1000 communication faults may be active (1000 are); clear some first' } });
    expect(policyOf(1).activeCount).toBe(599);
    // The fault is checked before the limit, as in one process.
    expect((await http('POST', '/faults', { kind: 'exception', code: 0 })).status).toBe(400);
    expect(await http('DELETE', '/faults')).toEqual({ status: 200, body: { cleared: 1000 } });
  });

  it('a timeline in one worker: its history names the faults by their fleet ids', async () => {
    const one = 'meter: meter-6\nsteps:\n  - at: 0s\n    exception: {code: 6}\n  - at: 1h\n    drop: {responses: 5}\n';
    const started = await http('POST', '/timeline?name=storm.yaml', one, 'application/yaml');
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ running: true, name: 'storm.yaml', total: 2, applied: 1 });
    const result = (started.body as TimelineBody).history[0]?.result ?? '';
    expect(result).toMatch(/^w2-f\d+$/);
    expect(((await http('GET', '/faults')).body as FaultList).faults.map((f) => f.id)).toEqual([result]);
    expect((await http('GET', '/timeline')).body).toMatchObject({ running: true, name: 'storm.yaml', history: [{ result }] });
    expect(await http('DELETE', '/timeline')).toEqual({ status: 200, body: { stopped: true } });
    expect(await http('DELETE', `/faults/${result}`)).toEqual({ status: 200, body: { cleared: 1 } });
  });

  it('a timeline across both workers: each plays its steps, on the lines of the file, and the status is one', async () => {
    const text = [
      'steps:', //                                  1
      '  - at: 0s', //                              2
      '    meter: meter-1', //                      3
      '    exception: {code: 6}', //                4
      '  - at: 0s', //                              5
      '    meter: meter-5', //                      6
      '    exception: {code: 4}', //                7
      '  - at: 0s', //                              8
      '    delay: {ms: 5ms}', //  every meter:      9
      '  - at: 1h', //                             10
      '    meter: meter-5', //                     11
      '    drop: {responses: 5}', //               12
      '',
    ].join('\n');
    const started = await http('POST', '/timeline?name=both.yaml', text, 'application/yaml');
    expect(started.status).toBe(201);
    const status = started.body as TimelineBody;
    expect(status).toMatchObject({ running: true, name: 'both.yaml', total: 4, applied: 3 });
    expect(status.history.map((h) => [h.line, h.ok])).toEqual([
      [2, true],
      [5, true],
      [8, true],
    ]);
    expect(status.history[0]?.result).toMatch(/^w1-f\d+$/);
    expect(status.history[1]?.result).toMatch(/^w2-f\d+$/);
    // The step for every meter: one fault in each worker, one history entry naming both.
    expect(status.history[2]?.result).toMatch(/^w1-f\d+ w2-f\d+$/);
    expect(policyOf(1).activeCount).toBe(2);
    expect(policyOf(2).activeCount).toBe(2);
    const faults = ((await http('GET', '/faults')).body as FaultList).faults.map((f) => f.id).sort();
    expect(faults).toEqual([status.history[0]?.result, status.history[1]?.result, ...(status.history[2]?.result ?? '').split(' ')].sort());
    expect((await http('GET', '/timeline')).body).toMatchObject({ running: true, total: 4, applied: 3, nextAtMs: expect.any(Number) as number });
    // A clear step for every meter: the counts of both workers summed.
    const clear = await http('POST', '/timeline?name=clear.yaml', '- at: 0s\n  clear: faults\n', 'application/yaml');
    expect(clear.status).toBe(201);
    expect((clear.body as TimelineBody).history).toMatchObject([{ line: 1, ok: true, result: '4 faults cleared' }]);
    expect(await http('DELETE', '/timeline')).toEqual({ status: 200, body: { stopped: false } });
  });

  it('a timeline naming an unknown meter is 400 with its line; one in flow style across workers is 409', async () => {
    const unknown = await http('POST', '/timeline?name=t.yaml', 'steps:\n  - at: 1s\n    meter: meter-99\n    drop: {responses: 1}\n', 'application/yaml');
    expect(unknown).toEqual({ status: 400, body: { error: 't.yaml:2: no meter "meter-99"' } });
    const flow = await http('POST', '/timeline', 'steps: [{at: 1h, meter: meter-1, drop: {responses: 1}}, {at: 1h, meter: meter-8, drop: {responses: 1}}]\n', 'application/yaml');
    expect(flow.status).toBe(409);
  });

  it('a worker that has not reported is 503 for what needs it; a worker that is gone is 502', async () => {
    const reported = links.get(2);
    links.delete(2);
    expect(await http('GET', '/meters')).toEqual({ status: 503, body: { error: 'worker 2/2 is not ready yet' } });
    expect((await http('GET', '/meters/meter-1')).status).toBe(200);
    if (reported !== undefined) links.set(2, reported);
    await panels[1]?.stop();
    const gone = await http('GET', '/meters/meter-8');
    expect(gone.status).toBe(502);
    expect(gone.body).toEqual({ error: 'worker 2/2 did not answer (ECONNREFUSED)' });
  });
});
