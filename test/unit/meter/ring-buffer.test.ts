import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../src/meter/ring-buffer.js';

describe('RingBuffer (storage grows as it fills)', () => {
  it('keeps the newest `capacity` items in order while filling, when full and after wrapping', () => {
    const ring = new RingBuffer<number>(5);
    const pushed: number[] = [];
    for (let n = 1; n <= 13; n += 1) {
      ring.push(n * 7);
      pushed.push(n * 7);
      const expected = pushed.slice(-5);
      expect(ring.size).toBe(expected.length);
      expect(ring.toArray()).toEqual(expected);
      expect(ring.fromNewest(0)).toBe(n * 7);
      expect(ring.fromNewest(expected.length - 1)).toBe(expected[0]);
      expect(ring.fromNewest(expected.length)).toBeUndefined();
    }
  });

  it('starts over after clear, full or not', () => {
    const ring = new RingBuffer<string>(3);
    for (const s of ['a', 'b', 'c', 'd']) ring.push(s);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
    ring.push('x');
    ring.push('y');
    expect(ring.toArray()).toEqual(['x', 'y']);
    for (const s of ['p', 'q', 'r']) ring.push(s);
    expect(ring.toArray()).toEqual(['p', 'q', 'r']);
  });
});
