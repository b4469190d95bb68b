/**
 * A block of simultaneous three-phase samples, in SI units (V, A), at one sample rate.
 * Readers and generators produce it; the metrology reads the typed arrays directly (no copies).
 */
export interface SampleBlock {
  /** Samples per second. */
  readonly sampleRateHz: number;
  /** Time of sample 0, in seconds (record-relative for recordings, meter clock for live sources). */
  readonly startTimeS: number;
  /** Number of samples in every channel. */
  readonly length: number;
  /** Phase-to-neutral voltages L1, L2, L3 (V). */
  readonly voltage: readonly [Float64Array, Float64Array, Float64Array];
  /** Line currents L1, L2, L3 (A). */
  readonly current: readonly [Float64Array, Float64Array, Float64Array];
  /** Measured neutral current (A), when the source has a fourth current channel. */
  readonly neutralCurrent?: Float64Array;
}
