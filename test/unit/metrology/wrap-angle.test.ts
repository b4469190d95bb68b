/** The one angle wrap: any angle to (-pi, pi], exact reduction at large angles. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wrapAngle } from '../../../src/metrology/wrap-angle.js';

describe('wrapAngle', () => {
  it('maps the ends of the circle to +pi and leaves (-pi, pi] alone', () => {
    expect(wrapAngle(Math.PI)).toBe(Math.PI);
    expect(wrapAngle(-Math.PI)).toBe(Math.PI);
    expect(wrapAngle(3 * Math.PI)).toBeCloseTo(Math.PI, 14);
    expect(wrapAngle(0)).toBe(0);
    expect(wrapAngle(-0.5)).toBe(-0.5);
    expect(wrapAngle(3)).toBe(3);
    expect(wrapAngle(-3)).toBe(-3);
  });

  it('reduces by whole turns', () => {
    expect(wrapAngle(2 * Math.PI + 0.25)).toBeCloseTo(0.25, 14);
    expect(wrapAngle(-2 * Math.PI - 0.25)).toBeCloseTo(-0.25, 14);
    expect(wrapAngle((3 * Math.PI) / 2)).toBeCloseTo(-Math.PI / 2, 14);
    expect(wrapAngle((-3 * Math.PI) / 2)).toBeCloseTo(Math.PI / 2, 14);
    // Harmonic 31 shifted by 31 times a reference of 2.9 rad: 89.9 rad.
    expect(wrapAngle(31 * 2.9)).toBeCloseTo(31 * 2.9 - 14 * 2 * Math.PI, 12);
  });

  it('property: in (-pi, pi], and the same direction (sine and cosine unchanged)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1000, max: 1000, noNaN: true }), (angle) => {
        const w = wrapAngle(angle);
        expect(w).toBeGreaterThan(-Math.PI);
        expect(w).toBeLessThanOrEqual(Math.PI);
        expect(Math.cos(w)).toBeCloseTo(Math.cos(angle), 10);
        expect(Math.sin(w)).toBeCloseTo(Math.sin(angle), 10);
      }),
      { seed: 20261130 },
    );
  });
});
