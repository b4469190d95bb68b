/**
 * The MQTT adapter's event feed: a Meter tells the feed as it records (start, then end with the
 * same sequence), and the feed holds the meter's listener only while it has listeners of its own;
 * a MeterCommands without setEventListener is polled instead, with the same records in the same
 * order.
 */
import { EventEmitter, once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { MeterCommands } from '../../../src/meter/commands.js';
import { Meter } from '../../../src/meter/meter.js';
import type { MeterEventRecord } from '../../../src/meter/snapshot.js';
import { meterEventFeed } from '../../../src/runtime/meter-event-feed.js';
import { balancedLoad, SettableSource } from '../../support/phasor-measurement.js';

const START = Date.UTC(2026, 3, 1, 12, 0);

function meterAt(nowMs: number): Meter {
  const meter = new Meter({ source: new SettableSource(balancedLoad(230, 10, 0.2)) });
  meter.tick(nowMs);
  return meter;
}

describe('meterEventFeed', () => {
  it('passes on what the meter tells as it records, and only while someone listens', () => {
    const meter = meterAt(START);
    const feed = meterEventFeed(meter, 1000);
    const first: MeterEventRecord[] = [];
    const second: MeterEventRecord[] = [];
    const offFirst = feed.add((record) => first.push(record));
    const offSecond = feed.add((record) => second.push(record));
    meter.setRelay(false);
    meter.tick(START + 1000);
    meter.setRelay(true);
    expect(first.map((r) => [r.sequence, r.kind, r.startMs, r.endMs])).toEqual([
      [1, 'relay-open', START, 0],
      [1, 'relay-open', START, START + 1000],
    ]);
    expect(second).toEqual(first);
    offFirst();
    meter.resetDemand();
    expect(first).toHaveLength(2);
    expect(second.map((r) => r.kind)).toEqual(['relay-open', 'relay-open', 'demand-reset']);
    offSecond();
    meter.resetEnergy();
    expect(second).toHaveLength(3);
    feed.close();
  });

  it('polls a MeterCommands that cannot tell: new records in order, and an open one again when it ends', async () => {
    const meter = meterAt(START);
    const commands: MeterCommands = {
      snapshot: () => meter.snapshot(),
      updateSettings: (change) => meter.updateSettings(change),
      resetDemand: () => meter.resetDemand(),
      resetEnergy: () => meter.resetEnergy(),
      setRelay: (closed) => meter.setRelay(closed),
      eventRecord: (index) => meter.eventRecord(index),
      profileRecord: (index) => meter.profileRecord(index),
    };
    const feed = meterEventFeed(commands, 5);
    const told = new EventEmitter();
    const records: MeterEventRecord[] = [];
    feed.add((record) => {
      records.push(record);
      told.emit('record');
    });
    const count = async (n: number): Promise<void> => {
      while (records.length < n) await once(told, 'record');
    };
    meter.setRelay(false);
    meter.resetDemand();
    await count(2);
    meter.tick(START + 1000);
    meter.setRelay(true);
    await count(3);
    feed.close();
    expect(records.map((r) => [r.sequence, r.kind, r.endMs])).toEqual([
      [1, 'relay-open', 0],
      [2, 'demand-reset', START],
      [1, 'relay-open', START + 1000],
    ]);
  });
});
