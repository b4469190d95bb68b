/** The one symmetrical-components routine (both measurement paths): values and the 5 % tie rule. */
import { describe, expect, it } from 'vitest';
import {
  SEQUENCE_MARGIN,
  sequenceComponents,
  sequenceComponentsOf,
  windowPhaseSequence,
} from '../../../src/metrology/symmetrical-components.js';

const DEG = Math.PI / 180;
const polar = (magnitude: number, deg: number) => ({ magnitude, phase: deg * DEG });

describe('sequenceComponents', () => {
  it('balanced abc: all positive; acb: all negative', () => {
    const abc = sequenceComponents(polar(230, 0), polar(230, -120), polar(230, 120));
    expect(abc.positive).toBeCloseTo(230, 12);
    expect(abc.negative).toBeCloseTo(0, 12);
    expect(abc.unbalance).toBeCloseTo(0, 14);
    expect(abc.sequence).toBe('abc');
    const acb = sequenceComponents(polar(230, 0), polar(230, 120), polar(230, -120));
    expect(acb.negative).toBeCloseTo(230, 12);
    expect(acb.sequence).toBe('acb');
  });

  it('polar and rectangular forms give the same components', () => {
    const a = polar(231, 3);
    const b = polar(226, -118);
    const c = polar(229, 121);
    const xy = (p: { magnitude: number; phase: number }): [number, number] => [p.magnitude * Math.cos(p.phase), p.magnitude * Math.sin(p.phase)];
    expect(sequenceComponentsOf(...xy(a), ...xy(b), ...xy(c))).toStrictEqual(sequenceComponents(a, b, c));
  });

  it('unbalance of a 10 % low L1: |X-| / |X+| = 0.1 / 2.9', () => {
    const s = sequenceComponents(polar(207, 0), polar(230, -120), polar(230, 120));
    expect(s.unbalance).toBeCloseTo(23 / 667, 12);
  });

  it('three phases in phase: no positive sequence, unbalance 0 (not rounding noise over rounding noise)', () => {
    const s = sequenceComponents(polar(230, 10), polar(230, 10), polar(230, 10));
    expect(s.unbalance).toBe(0);
    expect(s.sequence).toBe('unknown');
  });

  it('tie rule: a sequence only when |X+ - X-| exceeds 5 % of the largest phase', () => {
    expect(SEQUENCE_MARGIN).toBe(0.05);
    // Va = 1, Vb = r at -120 deg, Vc = 0: X+ = (1 + r) / 3, X- = |1 + r e^{j120}| / 3.
    const difference = (r: number): number => (1 + r - Math.hypot(1 - r / 2, (r * Math.sqrt(3)) / 2)) / 3;
    const below = sequenceComponents(polar(1, 0), polar(0.09, -120), polar(0, 0));
    const above = sequenceComponents(polar(1, 0), polar(0.11, -120), polar(0, 0));
    expect(difference(0.09)).toBeLessThan(0.05);
    expect(difference(0.11)).toBeGreaterThan(0.05);
    expect(below.sequence).toBe('unknown');
    expect(above.sequence).toBe('abc');
    expect(sequenceComponents(polar(0, 0), polar(0, 0), polar(0, 0)).sequence).toBe('unknown');
  });

  it("a window's sequence is the voltages', else the currents'", () => {
    const abc = sequenceComponents(polar(10, 0), polar(10, -120), polar(10, 120));
    const dead = sequenceComponents(polar(0, 0), polar(0, 0), polar(0, 0));
    const acb = sequenceComponents(polar(10, 0), polar(10, 120), polar(10, -120));
    expect(windowPhaseSequence(acb, abc)).toBe('acb');
    expect(windowPhaseSequence(dead, abc)).toBe('abc');
    expect(windowPhaseSequence(dead, dead)).toBe('unknown');
  });
});
