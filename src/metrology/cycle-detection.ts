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
 * The reference filter in one pass: two cascaded moving sums of `length` samples (unnormalised:
 * crossings do not depend on scale), then span times the difference from a centred moving
 * average of `span` = 2m + 1 samples of the cascade (rejects DC, keeps linear phase). Each
 * stage's running sum is updated in the same order as a stage-by-stage computation would.
 * Writes the output to `filtered` (length N - 2 length + 2 - span + 1) and returns its largest
 * magnitude; output sample k is centred on input sample k + (length - 1) + m.
 */
function referenceFilter(signal: Float64Array, length: number, m: number, stage1: Float64Array, stage2: Float64Array, filtered: Float64Array): number {
  const span = 2 * m + 1;
  // Stage 1, its first `length` outputs.
  let sum1 = 0;
  for (let n = 0; n < length; n++) sum1 += signal[n];
  stage1[0] = sum1;
  for (let n = length; n < 2 * length - 1; n++) {
    sum1 += signal[n] - signal[n - length];
    stage1[n - length + 1] = sum1;
  }
  // Stage 2, its first output.
  let sum2 = 0;
  for (let i = 0; i < length; i++) sum2 += stage1[i];
  stage2[0] = sum2;
  // Stages 1 and 2 together until stage 2 holds `span` outputs.
  let n = 2 * length - 1;
  for (; n < signal.length && n - 2 * length + 2 < span; n++) {
    sum1 += signal[n] - signal[n - length];
    const i = n - length + 1;
    stage1[i] = sum1;
    sum2 += sum1 - stage1[i - length];
    stage2[i - length + 1] = sum2;
  }
  if (2 * length - 2 + span > signal.length) return 0;
  // Stage 3's first output, then all three stages together.
  let sum3 = 0;
  for (let q = 0; q < span; q++) sum3 += stage2[q];
  let value = span * stage2[m] - sum3;
  filtered[0] = value;
  let peak = 0;
  if (value > peak) peak = value;
  else if (-value > peak) peak = -value;
  for (; n < signal.length; n++) {
    sum1 += signal[n] - signal[n - length];
    const i = n - length + 1;
    stage1[i] = sum1;
    sum2 += sum1 - stage1[i - length];
    const q = i - length + 1;
    stage2[q] = sum2;
    const k = q - span + 1;
    sum3 += sum2 - stage2[k - 1];
    value = span * stage2[k + m] - sum3;
    filtered[k] = value;
    if (value > peak) peak = value;
    else if (-value > peak) peak = -value;
  }
  return peak;
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
  // Reject DC: subtract a centred moving average one nominal cycle (2m + 1 samples, ~20 ms) long.
  // Both terms are symmetric about the same sample, so the result keeps linear phase.
  const m = Math.max(1, Math.round(smoothingS * sampleRateHz));
  const span = 2 * m + 1;
  const cascadeLength = signal.length - 2 * length + 2;
  if (cascadeLength < span + 4) return new Float64Array(0);
  const stage1 = scratchBuffer(0, signal.length - length + 1);
  const stage2 = scratchBuffer(1, cascadeLength);
  const filtered = scratchBuffer(2, cascadeLength - span + 1);
  const peak = referenceFilter(signal, length, m, stage1, stage2, filtered);
  return crossingsOf(filtered, length - 1 + m, peak);
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
