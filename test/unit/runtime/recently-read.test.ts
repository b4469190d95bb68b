import { describe, expect, it } from 'vitest';
import { CacheHolder, LARGE_FLEET_CAPACITY, RecentlyRead, recentlyReadCapacity, WHOLE_FLEET_CACHED_UP_TO } from '../../../src/runtime/meters/recently-read.js';

function meter(name: string, released: string[]): CacheHolder {
  return new CacheHolder(() => released.push(name));
}

describe('RecentlyRead', () => {
  it('asks the least recently read meter beyond its capacity to release, once', () => {
    const released: string[] = [];
    const recent = new RecentlyRead(2);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => meter(n, released));
    recent.touch(a);
    recent.touch(b);
    recent.touch(a); // a is now more recent than b
    expect(released).toEqual([]);
    recent.touch(c);
    expect(released).toEqual(['b']);
    expect(recent.has(b)).toBe(false);
    expect(recent.has(a) && recent.has(c)).toBe(true);
    recent.touch(d);
    expect(released).toEqual(['b', 'a']);
    expect(recent.size).toBe(2);
  });

  it('forgets a closed meter without asking it to release', () => {
    const released: string[] = [];
    const recent = new RecentlyRead(1);
    const a = meter('a', released);
    recent.touch(a);
    recent.forget(a);
    recent.touch(meter('b', released));
    expect(released).toEqual([]);
    expect(() => new RecentlyRead(0)).toThrow(RangeError);
  });
});

describe('recentlyReadCapacity', () => {
  it('keeps a fleet of up to 10,000 wholly cached and 256 of a larger one', () => {
    expect(WHOLE_FLEET_CACHED_UP_TO).toBe(10_000);
    expect(LARGE_FLEET_CAPACITY).toBe(256);
    expect(recentlyReadCapacity(1)).toBe(10_000);
    expect(recentlyReadCapacity(10_000)).toBe(10_000);
    expect(recentlyReadCapacity(10_001)).toBe(256);
    expect(recentlyReadCapacity(100_000)).toBe(256);
  });
});

describe('RecentlyRead at scale', () => {
  it('evicts in order of last touch over many touches of a large fleet, keeping exactly the capacity', () => {
    const released: number[] = [];
    const recent = new RecentlyRead(1000);
    const meters = Array.from({ length: 5000 }, (_, i) => new CacheHolder(() => released.push(i)));
    // touch meters 0..4999, then touch 4000..4999 again (they stay the most recent), then 0..999 anew
    for (const m of meters) recent.touch(m);
    for (const m of meters.slice(4000)) recent.touch(m);
    for (const m of meters.slice(0, 1000)) recent.touch(m);
    expect(recent.size).toBe(1000);
    // 0..3999 were evicted first (in that order), then 4000..4999 when 0..999 came back
    expect(released.slice(0, 4000)).toEqual(Array.from({ length: 4000 }, (_, i) => i));
    expect(released.slice(4000)).toEqual(Array.from({ length: 1000 }, (_, i) => 4000 + i));
    expect(meters.slice(0, 1000).every((m) => recent.has(m))).toBe(true);
  });
});
