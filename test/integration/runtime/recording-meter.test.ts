/**
 * A meter on a recording (a sample source: it cannot be caught up lazily, so it ticks every
 * window) in a panel whose other meters are lazy: its registers follow its ticks. Its image is
 * re-encoded after every tick, as an eager meter's is; a read shows the meter's clock at its latest
 * tick, not at its start.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startPanel, type Panel } from '../../../src/runtime/panel.js';
import { manualClock, meterSpec } from '../../support/mqtt-panel.js';
import { panelsStoppedAfterEach, passes } from '../../support/panel-passes.js';

const recording = fileURLToPath(new URL('../../../examples/recordings/wisp-1.cfg', import.meta.url));
const panels = panelsStoppedAfterEach();


/** titan's clock register (input 0x0500, u32 Unix seconds). */
function clockS(panel: Panel, name: string): number {
  const out = new Uint8Array(4);
  panel.meter(name)?.device.readInputRegisters(0x500, 2, out, 0);
  return new DataView(out.buffer).getUint32(0);
}

describe('a recording meter in a panel of lazy meters', () => {
  it('shows the time of its latest tick in its registers', async () => {
    const clock = manualClock();
    const meters = [meterSpec('lazy', 1), { ...meterSpec('recorded', 2), source: `comtrade:${recording}` }];
    const panel = await startPanel(
      {
        meters,
        endpoints: [{ kind: 'tcp', host: '127.0.0.1', port: 0, units: [{ unitId: 1, meter: 'lazy' }, { unitId: 2, meter: 'recorded' }], gateway: true }],
        speed: 1,
      },
      { clock, tickMs: 50 },
    );
    panels.push(panel);
    const first = clockS(panel, 'recorded');
    expect(first).toBe(Math.floor(clock.nowMs() / 1000));
    for (let i = 0; i < 4; i += 1) {
      clock.advance(60_000);
      await passes(panel, 1);
    }
    const timeMs = panel.meter('recorded')?.commands?.snapshot().timeMs ?? 0;
    expect(timeMs).toBe(clock.nowMs());
    expect(clockS(panel, 'recorded')).toBe(first + 240);
  });
});
