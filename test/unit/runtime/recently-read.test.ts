import { describe, expect, it } from 'vitest';
import { RecentlyRead } from '../../../src/runtime/meters/recently-read.js';

function meter(name: string, released: string[]) {
  return { name, release: () => released.push(name) };
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
