import { describe, expect, it } from 'vitest';
import { mulberry32, SeededRandom, seededRandom, SequentialRandom } from '../../../src/common/seeded-random.js';

describe('seeded random (one mulberry32)', () => {
  it('is mulberry32: seed 1 starts 0.6270739405881613 (2693262067 / 2^32), as the reference implementation', () => {
    const word = mulberry32(1);
    expect([word(), word(), word()]).toEqual([2693262067, 11749833, 2265367787]);
    expect(new SeededRandom(1).next()).toBe(0.6270739405881613);
  });

  it('keeps the sequences the fault policy and the scenarios were built on', () => {
    const faults = seededRandom(42);
    expect([faults.next(), faults.next(), faults.next()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    const scenario = new SequentialRandom(7);
    expect([scenario.next(), scenario.next(), scenario.next()]).toEqual([0.5157214130007711, 0.9296735185427808, 0.8365718535018613]);
  });

  it('replays from its seed, and draws integers, picks and bytes in range', () => {
    const a = new SeededRandom(99);
    const b = new SeededRandom(99);
    const draws = Array.from({ length: 1000 }, () => a.int(3, 9));
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b.int(3, 9)));
    expect(Math.min(...draws)).toBe(3);
    expect(Math.max(...draws)).toBe(9);
    expect(a.bytes(64).every((x) => Number.isInteger(x) && x >= 0 && x <= 255)).toBe(true);
    expect(['x', 'y']).toContain(a.pick(['x', 'y']));
    const between = new SequentialRandom(5).between(10, 12);
    expect(between).toBeGreaterThanOrEqual(10);
    expect(between).toBeLessThan(12);
  });
});
