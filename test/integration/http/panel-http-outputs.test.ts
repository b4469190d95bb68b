/**
 * The outputs `serve --control` mounts, over a running panel and real HTTP: /healthz (ok, then
 * 503 when an endpoint is closed), /metrics (per-meter series only for the first `perMeterLimit`
 * meters, fleet totals for all, energy in joules), the dashboard's assets with a strict CSP, the
 * live stream (Server-Sent Events, one message per tick at most), the panel's tick event, and the
 * control routes the dashboard's controls use (relay, reset, registers, load profile).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountHttpOutputs } from '../../../src/cli/http-outputs.js';
import { createControlClient, type ControlClient } from '../../../src/control/http/control-client.js';
import { panelFromFlags } from '../../../src/runtime/config/panel-from-flags.js';
import { startPanel, type Panel } from '../../../src/runtime/panel.js';

describe('HTTP outputs over a running panel', () => {
  let panel: Panel;
  let url = '';
  let api: ControlClient;
  let unmount: () => void = () => undefined;

  beforeAll(async () => {
    panel = await startPanel(panelFromFlags({ profile: 'sdm630', count: 3, gateway: true, tcp: '127.0.0.1:0' }), { control: { port: 0 }, tickMs: 50 });
    const server = panel.control?.server;
    if (server === undefined) throw new Error('no control server');
    unmount = mountHttpOutputs(panel, server, { perMeterLimit: 2 });
    url = server.url;
    api = createControlClient({ url });
  });
  afterAll(async () => {
    unmount();
    await panel.stop();
  });

  it('emits a tick event after each pass of the ticker', async () => {
    let ticks = 0;
    const off = panel.on('tick', () => (ticks += 1));
    await expect.poll(() => ticks, { timeout: 2000 }).toBeGreaterThanOrEqual(3);
    off();
    const frozen = ticks;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(ticks).toBe(frozen);
  });

  it('/healthz: ok with every endpoint open and no state to flush', async () => {
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', checks: { endpoints: 1, endpointsOpen: 1, stateFlush: 'off', meters: 3 } });
  });

  it('/metrics: per-meter series for the first 2 meters only, fleet totals for all 3, energy in joules', async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const voltageSeries = text.split('\n').filter((line) => line.startsWith('submeter_meter_voltage_volts{'));
    expect(voltageSeries).toHaveLength(2 * 3);
    expect(text).not.toMatch(/meter="meter-3"/);
    expect(text).toMatch(/^submeter_meters 3$/m);
    expect(text).toMatch(/^submeter_meters_with_series 2$/m);
    const fleetPower = Number(/^submeter_fleet_active_power_watts (\S+)$/m.exec(text)?.[1]);
    const perPhase = text.split('\n').filter((line) => line.startsWith('submeter_meter_active_power_watts{')).map((line) => Number(line.split(' ')[1]));
    const { snapshot } = await api.snapshot({ params: { id: 'meter-3' } });
    expect(fleetPower).toBeCloseTo(perPhase.reduce((a, b) => a + b, 0) + snapshot.measurement.total.activePower, -2);
    const joules = Number(/^submeter_meter_active_energy_import_joules_total\{meter="meter-1"\} (\S+)$/m.exec(text)?.[1]);
    const wh = (await api.snapshot({ params: { id: 'meter-1' } })).snapshot.energy.total.activeImportWh;
    expect(joules / 3600).toBeGreaterThan(0);
    expect(joules / 3600).toBeLessThanOrEqual(wh + 1e-9);
  });

  it('serves the dashboard with a Content-Security-Policy that forbids inline scripts', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline/);
    const html = await page.text();
    expect(html).toMatch(/<script type="module" src="\/assets\/app\.js"><\/script>/);
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect((await fetch(`${url}/assets/app.js`)).headers.get('content-type')).toMatch(/text\/javascript/);
    expect((await fetch(`${url}/assets/../../package.json`)).status).toBe(404);
    expect((await fetch(`${url}/`, { method: 'POST' })).status).toBe(405);
  });

  it('streams a meter view over Server-Sent Events, throttled to the asked interval', async () => {
    const messages: string[] = [];
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const req = request(`${url}/live/meter?id=meter-2&interval=250`, (res) => {
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (event.startsWith('data: ')) messages.push(event.slice(6));
          }
          if (messages.length >= 4) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', (error) => (messages.length >= 4 ? resolve() : reject(error)));
      req.end();
    });
    const elapsed = performance.now() - started;
    // the first message at once, then one per 250 ms at most (ticks every 50 ms)
    expect(elapsed).toBeGreaterThan(3 * 250 - 80);
    const view = JSON.parse(messages[3] ?? '{}') as { id: string; phases: { v: number; ih: number[] }[] };
    expect(view.id).toBe('meter-2');
    expect(view.phases).toHaveLength(3);
    expect(view.phases[0]?.v).toBeGreaterThan(200);
    expect(view.phases[0]?.ih).toHaveLength(32);
  });

  it('opens and closes the relay, resets energy, reads the register map and the load profile through the control routes', async () => {
    expect(await api.setRelay({ params: { id: 'meter-1' }, body: { closed: false } })).toEqual({ closed: false });
    expect((await api.snapshot({ params: { id: 'meter-1' } })).snapshot.relayClosed).toBe(false);
    expect(await api.setRelay({ params: { id: 'meter-1' }, body: { closed: true } })).toEqual({ closed: true });
    await expect(api.request('POST', '/meters/meter-1/relay', '{"closed":"no"}', 'application/json')).rejects.toMatchObject({ status: 400 });
    const before = (await api.snapshot({ params: { id: 'meter-1' } })).snapshot;
    const resetAt = performance.now();
    expect(await api.reset({ params: { id: 'meter-1' }, body: { what: 'energy' } })).toEqual({ reset: 'energy' });
    const after = (await api.snapshot({ params: { id: 'meter-1' } })).snapshot;
    // What the meter counted since the reset: at most its power over the time since (a lazy meter
    // is caught up to the moment it is read), far below what it had counted before.
    const sinceS = (performance.now() - resetAt) / 1000;
    const powerW = Math.max(before.measurement.total.apparentPower, 1);
    expect(before.energy.total.activeImportWh).toBeGreaterThan(0);
    expect(after.energy.total.activeImportWh).toBeLessThanOrEqual((powerW * (sinceS + 0.2)) / 3600);
    const { registers } = await api.registers({ params: { id: 'meter-1' } });
    const l1 = registers.find((r) => r.quantity === 'voltage.l1');
    expect(l1).toMatchObject({ space: 'input', address: 0, unit: 'V' });
    const words = l1?.words ?? [];
    const bytes = Buffer.alloc(4);
    bytes.writeUInt16BE(words[0] ?? 0, 0);
    bytes.writeUInt16BE(words[1] ?? 0, 2);
    expect(bytes.readFloatBE(0)).toBeCloseTo(Number(l1?.value), 3);
    expect(Number(l1?.value)).toBeGreaterThan(200);
    expect((await api.profile({ params: { id: 'meter-1' }, query: { count: 4 } })).records.length).toBeLessThanOrEqual(4);
  });

  it('/healthz: 503 naming the problem when an endpoint is closed', async () => {
    await panel.endpoints[0]?.open.close();
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'failing', problems: ['1 of 1 endpoints closed'] });
  });
});
