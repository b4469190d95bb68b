/**
 * Monotonic accumulators that do not drift: each counter keeps a whole part (an integer held
 * exactly in a double up to 2^53) and a fractional part in [0, 1). An increment is added to the
 * fraction and the carry moved to the whole part, so the rounding error of one addition is about
 * 1e-16 of one unit whatever the counter's size, instead of 1e-16 of the counter's value as with a
 * plain running sum. A year of 200 ms ticks (1.6e8 additions) stays exact to about 1e-8 units.
 */

export interface CounterBankState {
  whole: number[];
  fraction: number[];
}

export class CounterBank {
  private readonly whole: Float64Array;
  private readonly fraction: Float64Array;

  constructor(readonly size: number) {
    // One buffer for both parts (one allocation per meter).
    const storage = new Float64Array(2 * size);
    this.whole = storage.subarray(0, size);
    this.fraction = storage.subarray(size);
  }

  /** Add a non-negative amount to counter `index` (negative or non-finite amounts are ignored). */
  add(index: number, amount: number): void {
    if (!(amount > 0) || amount === Infinity) return;
    let fraction = this.fraction[index] + amount;
    if (fraction >= 1) {
      const carry = Math.floor(fraction);
      this.whole[index] += carry;
      fraction -= carry;
    }
    this.fraction[index] = fraction;
  }

  /** The counter's value as one number (what registers expose). */
  value(index: number): number {
    return this.whole[index] + this.fraction[index];
  }

  reset(): void {
    this.whole.fill(0);
    this.fraction.fill(0);
  }

  exportState(): CounterBankState {
    return { whole: Array.from(this.whole), fraction: Array.from(this.fraction) };
  }

  importState(state: CounterBankState): void {
    if (state.whole.length !== this.size || state.fraction.length !== this.size) {
      throw new RangeError(`counter bank holds ${this.size} counters, state has ${state.whole.length}`);
    }
    for (let i = 0; i < this.size; i += 1) {
      const whole = state.whole[i];
      const fraction = state.fraction[i];
      if (!Number.isInteger(whole) || whole < 0 || !(fraction >= 0 && fraction < 1)) {
        throw new RangeError(`counter ${i} in the state is not a valid counter (${whole} + ${fraction})`);
      }
      this.whole[i] = whole;
      this.fraction[i] = fraction;
    }
  }
}
