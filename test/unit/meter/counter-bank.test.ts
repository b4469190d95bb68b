import { describe, expect, it } from 'vitest';
import { CounterBank } from '../../../src/meter/counter-bank.js';

describe('CounterBank', () => {
  it('adds ten million increments of 0.1 without the drift of a plain float sum', () => {
    const bank = new CounterBank(1);
    let naive = 0;
    for (let i = 0; i < 10_000_000; i += 1) {
      bank.add(0, 0.1);
      naive += 0.1;
    }
    // The plain sum is visibly off (about 1.6e-4); the counter is exact to rounding of 0.1 itself.
    expect(Math.abs(naive - 1_000_000)).toBeGreaterThan(1e-5);
    expect(Math.abs(bank.value(0) - 1_000_000)).toBeLessThan(1e-6);
  });

  it('keeps small increments exact on a counter holding 1e12', () => {
    const bank = new CounterBank(1);
    bank.add(0, 1e12);
    for (let i = 0; i < 1000; i += 1) bank.add(0, 0.001);
    expect(bank.value(0) - 1e12).toBeCloseTo(1, 6);
  });

  it('ignores negative and non-finite amounts and round-trips its state', () => {
    const bank = new CounterBank(2);
    bank.add(0, 5.25);
    bank.add(0, -3);
    bank.add(1, Number.NaN);
    bank.add(1, Infinity);
    expect(bank.value(0)).toBe(5.25);
    expect(bank.value(1)).toBe(0);
    const copy = new CounterBank(2);
    copy.importState(bank.exportState());
    expect(copy.value(0)).toBe(5.25);
    expect(() => copy.importState({ whole: [1.5, 0], fraction: [0, 0] })).toThrow(/counter 0/);
    expect(() => copy.importState({ whole: [1], fraction: [0] })).toThrow(/holds 2 counters/);
  });
});
