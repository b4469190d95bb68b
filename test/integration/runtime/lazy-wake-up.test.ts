/**
 * A lazy meter in a running panel (startPanel with the default meter factory) records an event
 * when it happens although nobody observes it: a sag begun at run time moves the meter's wake-up
 * earlier (the fleet ticker is told, its cached due time was the next 5-minute boundary), and the
 * meter tells its event listener at the first window after the change, and again when it ends.
 */
import { EventEmitter, once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { MeterEventRecord } from '../../../src/meter/snapshot.js';
import { startPanel, type Panel } from '../../../src/runtime/panel.js';
import { manualClock, meterSpec } from '../../support/mqtt-panel.js';
import { panelsStoppedAfterEach, passes } from '../../support/panel-passes.js';

const panels = panelsStoppedAfterEach();


describe('a lazy meter in a running panel', () => {
  it('records a sag begun at run time at the first window after it, with nobody observing the meter', async () => {
    const clock = manualClock();
    const panel = await startPanel(
      { meters: [meterSpec('m1', 1001)], endpoints: [{ kind: 'tcp', host: '127.0.0.1', port: 0, units: [{ unitId: 1, meter: 'm1' }], gateway: false }], speed: 1 },
      { clock, tickMs: 50 },
    );
    panels.push(panel);
    const meter = panel.meter('m1');
    const setEventListener = meter?.commands?.setEventListener?.bind(meter.commands);
    const physical = meter?.physical;
    if (setEventListener === undefined || physical === undefined) throw new Error('m1 has no event listener or physical target');
    const told = new EventEmitter();
    const records: MeterEventRecord[] = [];
    setEventListener((record) => {
      records.push(record);
      told.emit('record');
    });
    const next = async (accept: (record: MeterEventRecord) => boolean): Promise<MeterEventRecord> => {
      for (;;) {
        const found = records.find(accept);
        if (found !== undefined) return found;
        await once(told, 'record');
      }
    };
    // The ticker has asked the meter for its due time (the next demand sub-period, minutes away).
    await passes(panel, 2);

    const changedAt = clock.nowMs();
    const before = meter?.commands?.snapshot().measurement.phases[1].voltageRms ?? Number.NaN;
    physical.begin({ kind: 'sag', phase: 2, depth: 0.4, durationMs: 1000 }, changedAt, changedAt + 1000);
    clock.advance(50);
    const start = await next((r) => r.kind === 'sag');
    expect(start).toMatchObject({ kind: 'sag', phase: 2, endMs: 0, startMs: changedAt + 50 });
    expect(start.extremeValue / before).toBeCloseTo(0.6, 9);

    clock.advance(1500);
    const end = await next((r) => r.kind === 'sag' && r.endMs !== 0);
    expect(end.sequence).toBe(start.sequence);
    expect(end.endMs).toBe(changedAt + 1000);
    expect(records.filter((r) => r.kind === 'sag')).toHaveLength(2);
  });
});
