import { describe, expect, it } from 'vitest';
import { ManualClock, RealClock, SimulatedClock } from '../../../src/meter/clock.js';

describe('clocks', () => {
  it('simulated time runs speed times faster than the real clock it reads, from its start', () => {
    let real = 1000;
    const clock = new SimulatedClock(Date.UTC(2026, 0, 1), 1440, () => real);
    expect(clock.nowMs()).toBe(Date.UTC(2026, 0, 1));
    real += 60_000; // a real minute
    expect(clock.nowMs()).toBe(Date.UTC(2026, 0, 2)); // a simulated day
    real += 0.3;
    expect(clock.nowMs()).toBe(Date.UTC(2026, 0, 2) + 432); // whole milliseconds
    expect(() => new SimulatedClock(0, 0)).toThrow('clock speed must be a positive number, got 0');
    expect(() => new SimulatedClock(Number.NaN, 1)).toThrow(/finite/);
  });

  it('a manual clock moves only when told; the real clock follows Date.now', () => {
    const clock = new ManualClock(5000);
    expect(clock.advance(250)).toBe(5250);
    clock.set(42.9);
    expect(clock.nowMs()).toBe(42);
    const before = Date.now();
    const now = new RealClock().nowMs();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
