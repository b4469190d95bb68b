/**
 * Resampling a non-uniformly sampled record (several rate segments, or timestamps) onto a uniform
 * grid t_k = k / rateHz, k = 0 .. floor(lastTime * rateHz), for the metrology.
 *
 * Method: cubic Hermite interpolation. Between samples i and i+1 (times t_i < t_i+1) the value is
 * the cubic matching x and its slope at both ends; slopes are the three-point non-uniform
 * derivative estimate  m_i = (h_l d_r + h_r d_l) / (h_l + h_r)  with d_l, d_r the neighbouring
 * divided differences and h_l, h_r their spacings (one-sided at the ends). For a sine at 48
 * samples per cycle the interpolation error is about 1e-5 of the amplitude (linear: about 2e-3).
 * A missing value (NaN) poisons only the output points whose interpolant touches it.
 */

export type Interpolation = 'cubic' | 'linear';

function slopes(times: Float64Array, x: Float64Array): Float64Array {
  const n = x.length;
  const m = new Float64Array(n);
  if (n < 2) return m;
  for (let i = 0; i < n; i++) {
    if (i === 0) m[i] = (x[1] - x[0]) / (times[1] - times[0]);
    else if (i === n - 1) m[i] = (x[i] - x[i - 1]) / (times[i] - times[i - 1]);
    else {
      const hl = times[i] - times[i - 1];
      const hr = times[i + 1] - times[i];
      const dl = (x[i] - x[i - 1]) / hl;
      const dr = (x[i + 1] - x[i]) / hr;
      m[i] = (hl * dr + hr * dl) / (hl + hr);
    }
  }
  return m;
}

/**
 * Resamples each channel from strictly increasing `times` (seconds, first at 0 or later) onto
 * t_k = k / rateHz for t_k in [times[0], times[last]]. Returns the grid start index offset k0
 * (so t_k = (k0 + j) / rateHz for output j) and the channels.
 */
export function resampleUniform(
  times: Float64Array,
  channels: readonly Float64Array[],
  rateHz: number,
  interpolation: Interpolation = 'cubic',
): { firstGridIndex: number; channels: Float64Array[] } {
  const n = times.length;
  if (!(rateHz > 0)) throw new RangeError(`resampling rate must be > 0, got ${rateHz}`);
  if (n === 0) return { firstGridIndex: 0, channels: channels.map(() => new Float64Array(0)) };
  const k0 = Math.ceil(times[0] * rateHz - 1e-9);
  const k1 = Math.floor(times[n - 1] * rateHz + 1e-9);
  const count = Math.max(0, k1 - k0 + 1);
  // Interval index for each output point (shared by all channels).
  const interval = new Int32Array(count);
  const fraction = new Float64Array(count);
  let i = 0;
  for (let j = 0; j < count; j++) {
    const t = (k0 + j) / rateHz;
    while (i < n - 2 && times[i + 1] <= t) i++;
    interval[j] = i;
    const h = n > 1 ? times[i + 1] - times[i] : 1;
    fraction[j] = n > 1 ? Math.min(1, Math.max(0, (t - times[i]) / h)) : 0;
  }
  const out = channels.map((x) => {
    const y = new Float64Array(count);
    if (n === 1) {
      y.fill(x[0]);
      return y;
    }
    const m = interpolation === 'cubic' ? slopes(times, x) : undefined;
    for (let j = 0; j < count; j++) {
      const a = interval[j];
      const s = fraction[j];
      if (m === undefined) {
        y[j] = x[a] + s * (x[a + 1] - x[a]);
        continue;
      }
      const h = times[a + 1] - times[a];
      const s2 = s * s;
      const s3 = s2 * s;
      y[j] =
        (2 * s3 - 3 * s2 + 1) * x[a] +
        (s3 - 2 * s2 + s) * h * m[a] +
        (-2 * s3 + 3 * s2) * x[a + 1] +
        (s3 - s2) * h * m[a + 1];
    }
    return y;
  });
  return { firstGridIndex: k0, channels: out };
}
