/** serve --control: the faults layer's control API over a panel; a sag through the API shows in the registers of that meter only. */
import { afterAll, describe, expect, it } from 'vitest';
import { panelFromFlags, readMeter, startPanel, type Panel } from '../../../src/index.js';

const panels: Panel[] = [];
afterAll(async () => {
  await Promise.all(panels.map((p) => p.stop()));
});

describe('panel control API', () => {
  it('lists the fleet, and a sag on meter-2 L2 is read on meter-2 only', async () => {
    const panel = await startPanel(panelFromFlags({ profile: 'sdm630', count: 2, gateway: true, tcp: '127.0.0.1:0' }), { control: { port: 0 }, tickMs: 50 });
    panels.push(panel);
    const url = panel.controlUrl ?? '';
    const port = panel.endpoints[0]?.open.port ?? 0;
    const list = (await (await fetch(`${url}/meters`)).json()) as { meters: Array<{ id: string; faultScopes: Array<{ unitId: number }> }> };
    expect(list.meters.map((m) => [m.id, m.faultScopes[0]?.unitId])).toEqual([['meter-1', 1], ['meter-2', 2]]);
    const before = await readMeter({ tcp: `127.0.0.1:${port}`, unit: 2, profile: 'sdm630', match: 'volts' });
    const response = await fetch(`${url}/meters/meter-2/scenarios`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'sag', phase: 2, depth: 0.5, durationMs: 60_000 }) });
    expect(response.status).toBe(201);
    // Wait for a tick to measure a window inside the sag: poll until it shows (the ticker runs every 50 ms).
    let l2 = NaN;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const read = await readMeter({ tcp: `127.0.0.1:${port}`, unit: 2, profile: 'sdm630', match: 'volts' });
      l2 = Number(read.values.find((v) => v.quantity === 'voltage.l2')?.value);
      if (l2 < 200) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const l2Before = Number(before.values.find((v) => v.quantity === 'voltage.l2')?.value);
    expect(l2 / l2Before).toBeCloseTo(0.5, 2);
    const other = await readMeter({ tcp: `127.0.0.1:${port}`, unit: 1, profile: 'sdm630', match: 'volts' });
    expect(Number(other.values.find((v) => v.quantity === 'voltage.l2')?.value)).toBeGreaterThan(200);
  });
});
