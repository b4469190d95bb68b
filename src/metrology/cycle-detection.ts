/**
 * Cycle boundaries from the fundamental's positive-going zero crossings.
 *
 * The reference signal is low-passed by two cascaded moving sums 10 ms long (nulls at 100, 200,
 * 300 ... Hz; over 45..65 Hz the 2nd harmonic is attenuated 40 times or more relative to the
 * fundamental, the 3rd 9 times or more, higher orders more). The cascade is symmetric (linear phase), so the
 * filtered crossing, shifted back by the filter's constant delay, is the fundamental's crossing.
 * A centred moving average one cycle long is then subtracted (rejects DC and offsets, keeps linear
 * phase). Each crossing is located to a small fraction of a sample by solving the cubic through the four
 * filtered samples around the sign change (the filtered signal is nearly sinusoidal, so the
 * cubic's error at the crossing is of fourth order in the sample step).
 */

export interface CycleDetectionOptions {
  /** Length of each moving sum (s); 10 ms suits 45..65 Hz systems. 0: no filter (raw crossings, mean removed). */
  readonly smoothingS?: number;
}

/**
 * Scratch buffers for the filter stages, grown as needed and overwritten by every call (nothing
 * computed from them escapes except the crossings): large records then cost no garbage.
 */
const scratch: Float64Array[] = [new Float64Array(0), new Float64Array(0), new Float64Array(0)];

function scratchBuffer(slot: number, length: number): Float64Array {
  if (scratch[slot].length < length) scratch[slot] = new Float64Array(Math.max(length, 2 * scratch[slot].length));
  return scratch[slot].subarray(0, length);
}

/**
 * Two cascaded moving sums of `length` samples (unnormalised: crossings do not depend on scale);
 * returns the output and its delay (samples).
 */
function cascadedMovingSum(signal: Float64Array, length: number): { filtered: Float64Array; delay: number } {
  let current = signal;
  for (let stage = 0; stage < 2; stage++) {
    const next = scratchBuffer(stage, current.length - length + 1);
    let sum = 0;
    for (let n = 0; n < length; n++) sum += current[n];
    next[0] = sum;
    for (let n = length; n < current.length; n++) {
      sum += current[n] - current[n - length];
      next[n - length + 1] = sum;
    }
    current = next;
  }
  // Output sample k of the cascade is centred on input sample k + 2 * (length - 1) / 2.
  return { filtered: current, delay: length - 1 };
}

/** The cubic through (-1, y0), (0, y1), (1, y2), (2, y3) at s (Lagrange form). */
function cubicAt(y0: number, y1: number, y2: number, y3: number, s: number): number {
  const l0 = (-s * (s - 1) * (s - 2)) / 6;
  const l1 = ((s + 1) * (s - 1) * (s - 2)) / 2;
  const l2 = (-(s + 1) * s * (s - 2)) / 2;
  const l3 = ((s + 1) * s * (s - 1)) / 6;
  return y0 * l0 + y1 * l1 + y2 * l2 + y3 * l3;
}

/** Root in [0, 1] of the cubic through (-1, y0), (0, y1), (1, y2), (2, y3), with y1 < 0 <= y2. */
function cubicCrossing(y0: number, y1: number, y2: number, y3: number): number {
  // Derivative of the cubic: c1 + 2 c2 s + 3 c3 s^2 (power-form coefficients of the same cubic).
  const c1 = -y0 / 3 - y1 / 2 + y2 - y3 / 6;
  const c2 = y0 / 2 - y1 + y2 / 2;
  const c3 = (-y0 + 3 * y1 - 3 * y2 + y3) / 6;
  // Start from the linear estimate, then Newton with a bisection safeguard.
  let lo = 0;
  let hi = 1;
  let s = y2 === y1 ? 0.5 : -y1 / (y2 - y1);
  for (let iter = 0; iter < 30; iter++) {
    const v = cubicAt(y0, y1, y2, y3, s);
    if (v < 0) lo = s;
    else hi = s;
    const slope = c1 + s * (2 * c2 + 3 * c3 * s);
    let next = slope > 0 ? s - v / slope : (lo + hi) / 2;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - s) < 1e-13) return next;
    s = next;
  }
  return s;
}

/**
 * Positive-going zero crossings of the fundamental of `signal`, as fractional sample indices
 * (ascending). Crossings closer than 60 % of the previous cycle are ignored as noise, so a
 * distorted or noisy reference still yields one crossing per cycle.
 */
export function fundamentalCrossings(
  signal: Float64Array,
  sampleRateHz: number,
  options: CycleDetectionOptions = {},
): Float64Array {
  const smoothingS = options.smoothingS ?? 0.01;
  if (smoothingS === 0) {
    const centred = withoutMean(signal);
    return crossingsOf(centred, 0, peakOf(centred));
  }
  const length = Math.max(1, Math.round(smoothingS * sampleRateHz));
  if (signal.length < 2 * length + 4) return new Float64Array(0);
  const smoothed = cascadedMovingSum(signal, length);
  // Reject DC: subtract a centred moving average one nominal cycle (2m + 1 samples, ~20 ms) long.
  // Both terms are symmetric about the same sample, so the result keeps linear phase.
  const m = Math.max(1, Math.round(smoothingS * sampleRateHz));
  const span = 2 * m + 1;
  const source = smoothed.filtered;
  if (source.length < span + 4) return new Float64Array(0);
  const filtered = scratchBuffer(2, source.length - span + 1);
  let sum = 0;
  for (let n = 0; n < span; n++) sum += source[n];
  // span * (x - mean): the scale does not move a crossing. The peak is tracked on the way.
  let value = span * source[m] - sum;
  filtered[0] = value;
  let peak = 0;
  if (value > peak) peak = value;
  else if (-value > peak) peak = -value;
  for (let k = 1; k < filtered.length; k++) {
    sum += source[k + span - 1] - source[k - 1];
    value = span * source[k + m] - sum;
    filtered[k] = value;
    if (value > peak) peak = value;
    else if (-value > peak) peak = -value;
  }
  return crossingsOf(filtered, smoothed.delay + m, peak);
}

function withoutMean(signal: Float64Array): Float64Array {
  let mean = 0;
  for (let n = 0; n < signal.length; n++) mean += signal[n];
  mean /= Math.max(1, signal.length);
  return signal.map((x) => x - mean);
}

/** Largest magnitude of a signal. */
function peakOf(signal: Float64Array): number {
  let peak = 0;
  for (let n = 0; n < signal.length; n++) {
    const value = signal[n];
    if (value > peak) peak = value;
    else if (-value > peak) peak = -value;
  }
  return peak;
}

/** Positive-going crossings of a zero-mean signal whose largest magnitude is `peak`, shifted by `delay` samples. */
function crossingsOf(filtered: Float64Array, delay: number, peak: number): Float64Array {
  if (!(peak > 0)) return new Float64Array(0);
  // Hysteresis: a crossing counts only after the signal went below -threshold since the last one.
  const threshold = peak * 0.05;
  const crossings: number[] = [];
  let armed = false;
  for (let n = 1; n + 2 < filtered.length; n++) {
    const y1 = filtered[n];
    if (y1 < -threshold) armed = true;
    const y2 = filtered[n + 1];
    if (armed && y1 < 0 && y2 >= 0) {
      const s = cubicCrossing(filtered[n - 1], y1, y2, filtered[n + 2]);
      const at = n + s + delay;
      const previous = crossings.length > 0 ? crossings[crossings.length - 1] : undefined;
      const previousGap = crossings.length > 1 ? crossings[crossings.length - 1] - crossings[crossings.length - 2] : undefined;
      if (previous === undefined || previousGap === undefined || at - previous > 0.6 * previousGap) {
        crossings.push(at);
        armed = false;
      }
    }
  }
  return Float64Array.from(crossings);
}
