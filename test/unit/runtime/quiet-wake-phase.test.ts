/**
 * A fleet's quiet wake phases (the hash of each meter's name) are in [0, 1), the same for the same
 * name, and spread evenly over the period for the names `serve --count` gives, so the fleet's
 * boundary catch-ups are too.
 */
import { describe, expect, it } from 'vitest';
import { quietWakePhase } from '../../../src/runtime/meters/quiet-wake-phase.js';

describe('quiet wake phase', () => {
  it('spreads 100,000 fleet meters evenly over the period, the same phase for the same name', () => {
    const count = 100_000;
    const tenths = new Array<number>(10).fill(0);
    const hundredths = new Array<number>(100).fill(0);
    for (let i = 1; i <= count; i += 1) {
      const name = `meter-${String(i).padStart(6, '0')}`;
      const phase = quietWakePhase(name);
      expect(phase >= 0 && phase < 1, name).toBe(true);
      tenths[Math.floor(phase * 10)] = (tenths[Math.floor(phase * 10)] ?? 0) + 1;
      hundredths[Math.floor(phase * 100)] = (hundredths[Math.floor(phase * 100)] ?? 0) + 1;
    }
    // 10,000 expected per tenth, 1,000 per hundredth (3 s of a 5-minute period).
    for (const n of tenths) expect(Math.abs(n - 10_000)).toBeLessThan(500);
    for (const n of hundredths) expect(Math.abs(n - 1_000)).toBeLessThan(150);
    expect(quietWakePhase('meter-000042')).toBe(quietWakePhase('meter-000042'));
    expect(quietWakePhase('meter-000042')).not.toBe(quietWakePhase('meter-000043'));
  });
});
