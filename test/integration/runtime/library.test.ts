/** Library use: `import { startPanel, panelFromFlags, readMeter } from 'submeter'` does what the command does. */
import { afterAll, describe, expect, it } from 'vitest';
import { panelFromFlags, readMeter, startPanel, type Panel } from '../../../src/index.js';

const panels: Panel[] = [];
afterAll(async () => {
  await Promise.all(panels.map((p) => p.stop()));
});

describe('library: startPanel + readMeter', () => {
  it('serves a gateway of three meters and reads each back, each with its own serial and load', async () => {
    const panel = await startPanel(panelFromFlags({ profile: 'sdm630', count: 3, gateway: true, tcp: '127.0.0.1:0', serial: 900 }));
    panels.push(panel);
    const port = panel.endpoints[0]?.open.port;
    expect(port).toBeGreaterThan(0);
    expect(panel.summary().join('\n')).toMatch(/3 meters on 1 endpoint/);
    const totals: number[] = [];
    for (const unit of [1, 2, 3]) {
      const result = await readMeter({ tcp: `127.0.0.1:${port ?? 0}`, unit, profile: 'sdm630', match: 'total system power' });
      expect(result.errors).toEqual([]);
      const power = result.values.find((v) => v.quantity === 'power.active.total')?.value;
      expect(typeof power).toBe('number');
      totals.push(power as number);
      const serial = await readMeter({ tcp: `127.0.0.1:${port ?? 0}`, unit, profile: 'sdm630', match: 'serial' });
      expect(serial.values[0]?.value).toBe(899 + unit);
    }
    expect(new Set(totals).size).toBe(3);
    await panel.stop();
    await expect(readMeter({ tcp: `127.0.0.1:${port ?? 0}`, profile: 'sdm630' })).rejects.toThrow(/connection refused/);
  });
});
