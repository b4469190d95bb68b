import { describe, expect, it } from 'vitest';
import { OutboundQueue } from '../../../src/mqtt/outbound-queue.js';
import { PublishSchedule } from '../../../src/mqtt/publish-schedule.js';
import { ReconnectBackoff } from '../../../src/mqtt/reconnect-backoff.js';

describe('PublishSchedule', () => {
  it('spreads 10,000 meters at 10 s evenly: 1,000 per second, never a burst, each once per interval', () => {
    const schedule = new PublishSchedule(new Array<number>(10_000).fill(10_000), 0);
    const perSecond: number[] = [];
    const seen = new Map<number, number>();
    for (let second = 1; second <= 20; second += 1) {
      const due = schedule.takeDue(second * 1000 - 1);
      perSecond.push(due.length);
      for (const i of due) seen.set(i, (seen.get(i) ?? 0) + 1);
    }
    expect(perSecond).toEqual(new Array<number>(20).fill(1000));
    expect([...seen.values()].every((n) => n === 2)).toBe(true);
    expect(seen.size).toBe(10_000);
  });

  it('keeps each meter on its own interval, honours a limit, and does not burst to catch up after a stall', () => {
    const schedule = new PublishSchedule([1000, 250, 0], 0);
    expect(schedule.size).toBe(2);
    expect(schedule.takeDue(0)).toEqual([0]);
    expect(schedule.nextDueMs).toBe(125); // the second of two meters starts half an interval later
    expect(schedule.takeDue(130)).toEqual([1]);
    expect(schedule.takeDue(380)).toEqual([1]);
    expect(schedule.takeDue(1000, 1)).toEqual([1]); // the limit: the earliest (due at 625) only
    expect(schedule.takeDue(1000)).toEqual([0]);
    // Stalled for 10 s: each meter publishes once, then one interval from now.
    expect(schedule.takeDue(11_000).sort()).toEqual([0, 1]);
    expect(schedule.nextDueMs).toBe(11_250);
  });
});

describe('OutboundQueue', () => {
  it('holds at most its capacity, dropping and counting the oldest', () => {
    const queue = new OutboundQueue(3);
    for (let i = 0; i < 5; i += 1) queue.push({ topic: `t${i}`, payload: '', qos: 0, retain: false });
    expect(queue.length).toBe(3);
    expect(queue.dropped).toBe(2);
    expect([queue.shift()?.topic, queue.shift()?.topic, queue.shift()?.topic, queue.shift()]).toEqual(['t2', 't3', 't4', undefined]);
  });
});

describe('ReconnectBackoff', () => {
  it('doubles from the minimum to the ceiling, with at most 20 % jitter, and starts again after a connection', () => {
    const noJitter = new ReconnectBackoff(500, 8000, () => 0);
    expect([1, 2, 3, 4, 5, 6].map(() => noJitter.next())).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    noJitter.reset();
    expect(noJitter.next()).toBe(500);
    const jitter = new ReconnectBackoff(500, 8000, () => 0.999);
    expect(jitter.next()).toBe(600);
    expect(() => new ReconnectBackoff(0, 10)).toThrow(RangeError);
  });
});
