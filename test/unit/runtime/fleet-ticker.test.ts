/**
 * The fleet ticker ticks an eager meter every pass and a lazy one (dueAtMs) only once its due
 * time has come on the ticker's clock, then asks it for the next due time; a lazy meter whose due
 * time moved earlier between ticks (a scenario begun) says so, and is ticked then.
 */
import { describe, expect, it } from 'vitest';
import { FleetTicker } from '../../../src/runtime/fleet-ticker.js';

describe('FleetTicker', () => {
  it('skips a lazy meter until it is due, every pass ticks an eager one', async () => {
    let now = 1000;
    let lazyTicks = 0;
    let lazyDue = 1003;
    const lazyTickTimes: number[] = [];
    let eagerTicks = 0;
    let done: () => void = () => undefined;
    const sixPasses = new Promise<void>((resolve) => (done = resolve));
    const eager = {
      tick: () => {
        eagerTicks += 1;
        if (eagerTicks === 6) done();
      },
    };
    const lazy = {
      tick: () => {
        lazyTicks += 1;
        lazyTickTimes.push(now);
        lazyDue = now + 3;
      },
      dueAtMs: () => lazyDue,
    };
    // Each pass advances the clock by 1 ms (beforePass), so passes see now = 1001, 1002, ...
    const ticker = new FleetTicker([lazy, eager], { intervalMs: 1, now: () => now, beforePass: () => (now += 1), onError: (_, error) => { throw error; } });
    ticker.start();
    await sixPasses;
    ticker.stop();
    expect(eagerTicks).toBe(6);
    // Pass 1 (now 1001): never asked yet, due by default -> ticked, next due 1004; then due at 1004 (pass 4), 1007 ...
    expect(lazyTickTimes).toEqual([1001, 1004]);
    expect(lazyTicks).toBe(2);
  });

  it('asks a lazy meter for its due time again when it says it changed, instead of waiting for the cached one', async () => {
    let now = 1000;
    let due = 1003;
    const tickTimes: number[] = [];
    let rearm: () => void = () => undefined;
    let passes = 0;
    let done: () => void = () => undefined;
    const sixPasses = new Promise<void>((resolve) => (done = resolve));
    const lazy = {
      tick: () => {
        tickTimes.push(now);
        due = now + 100;
      },
      dueAtMs: () => due,
      onDueChanged: (listener: () => void) => {
        rearm = listener;
      },
    };
    const ticker = new FleetTicker([lazy], {
      intervalMs: 1,
      now: () => now,
      beforePass: () => {
        now += 1;
        // Pass 3 (now 1003): a scenario begun makes the meter due at 1005, long before the cached 1101.
        if (now === 1003) {
          due = 1005;
          rearm();
        }
      },
      afterPass: () => {
        passes += 1;
        if (passes === 6) done();
      },
      onError: (_, error) => {
        throw error;
      },
    });
    ticker.start();
    await sixPasses;
    ticker.stop();
    expect(tickTimes).toEqual([1001, 1005]);
  });
});
