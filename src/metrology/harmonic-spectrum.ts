/**
 * Harmonic phasors of a window resampled to M = 2^k points over exactly `cycles` cycles:
 * harmonic h sits in DFT bin h * cycles (IEC 61000-4-7 bins on the 10/12-cycle window).
 *
 * Two implementations of the same bins: fft.js on the whole window (the default: the benchmark
 * measures it several times faster) and a direct DFT of just the harmonic bins (the reference).
 * Both write RMS magnitudes (index = order, 0 = DC) and phases (radians, cosine reference, at the
 * window's start) for orders 0 .. maxOrder.
 */
import FFT from 'fft.js';

export type HarmonicMethod = 'fft' | 'dft';

export interface HarmonicPhasors {
  readonly magnitudes: Float64Array;
  readonly phases: Float64Array;
}

const fftCache = new Map<number, { fft: FFT; out: Float64Array; packed: Float64Array }>();

function fftFor(size: number): { fft: FFT; out: Float64Array; packed: Float64Array } {
  let entry = fftCache.get(size);
  if (entry === undefined) {
    entry = { fft: new FFT(size), out: new Float64Array(2 * size), packed: new Float64Array(2 * size) };
    fftCache.set(size, entry);
  }
  return entry;
}

const cosTables = new Map<number, { cos: Float64Array; sin: Float64Array }>();

function twiddles(size: number): { cos: Float64Array; sin: Float64Array } {
  let entry = cosTables.get(size);
  if (entry === undefined) {
    const cos = new Float64Array(size);
    const sin = new Float64Array(size);
    for (let j = 0; j < size; j++) {
      cos[j] = Math.cos((2 * Math.PI * j) / size);
      sin[j] = Math.sin((2 * Math.PI * j) / size);
    }
    entry = { cos, sin };
    cosTables.set(size, entry);
  }
  return entry;
}

function store(re: number, im: number, order: number, size: number, result: HarmonicPhasors): void {
  if (order === 0) {
    result.magnitudes[0] = Math.abs(re) / size;
    result.phases[0] = re < 0 ? Math.PI : 0;
    return;
  }
  // x_j = A cos(2 pi k j / M + phi)  ->  X_k = (M / 2) A e^{i phi};  RMS = A / sqrt 2.
  result.magnitudes[order] = (Math.SQRT2 * Math.sqrt(re * re + im * im)) / size;
  result.phases[order] = Math.atan2(im, re);
}

/**
 * Harmonic phasors of `window` (length M = 2^k, exactly `cycles` cycles) up to `maxOrder`
 * (orders whose bin reaches M/2 are left at zero). Results go to `result` (length >= maxOrder + 1).
 */
export function harmonicPhasors(
  window: Float64Array,
  cycles: number,
  maxOrder: number,
  method: HarmonicMethod,
  result: HarmonicPhasors,
): void {
  const size = window.length;
  result.magnitudes.fill(0);
  result.phases.fill(0);
  const highest = Math.min(maxOrder, Math.floor((size / 2 - 1) / cycles));
  if (method === 'fft') {
    const { fft, out } = fftFor(size);
    fft.realTransform(out, window);
    for (let h = 0; h <= highest; h++) {
      const bin = h * cycles;
      store(out[2 * bin], out[2 * bin + 1], h, size, result);
    }
    return;
  }
  const { cos, sin } = twiddles(size);
  const mask = size - 1;
  for (let h = 0; h <= highest; h++) {
    const bin = h * cycles;
    let re = 0;
    let im = 0;
    let index = 0;
    for (let j = 0; j < size; j++) {
      const x = window[j];
      re += x * cos[index];
      im -= x * sin[index];
      index = (index + bin) & mask;
    }
    store(re, im, h, size, result);
  }
}

/**
 * Largest power of two dividing `cycles` such that size / fold keeps at least 64 points: every
 * harmonic bin h * cycles is then a multiple of `fold`, and those bins of the M-point DFT equal
 * the bins h * cycles / fold of the (M / fold)-point DFT of the window folded onto itself
 * (x_j + x_{j + M/fold} + ...), exactly: W_M^{j k} has period M / fold in j when fold divides k.
 */
export function foldFactor(cycles: number, size: number): number {
  let fold = 1;
  while (cycles % (2 * fold) === 0 && size / (2 * fold) >= 64) fold *= 2;
  return fold;
}

/**
 * Harmonic phasors of two real windows of the same length (a phase's voltage and current) from
 * one complex FFT of x + i y: X[k] = (Z[k] + conj Z[M-k]) / 2, Y[k] = (Z[k] - conj Z[M-k]) / 2i.
 * When `cycles` is even the window is first folded (foldFactor): 10 cycles take a 512-point
 * transform instead of 1024, 12 cycles a 256-point one; the harmonic bins are the same numbers.
 * Same results as two calls of harmonicPhasors(..., 'fft', ...), in a fraction of the time.
 */
export function harmonicPhasorPair(
  x: Float64Array,
  y: Float64Array,
  cycles: number,
  maxOrder: number,
  resultX: HarmonicPhasors,
  resultY: HarmonicPhasors,
): void {
  const size = x.length;
  resultX.magnitudes.fill(0);
  resultX.phases.fill(0);
  resultY.magnitudes.fill(0);
  resultY.phases.fill(0);
  const highest = Math.min(maxOrder, Math.floor((size / 2 - 1) / cycles));
  const fold = foldFactor(cycles, size);
  const folded = size / fold;
  const foldedCycles = cycles / fold;
  const { fft, out, packed } = fftFor(folded);
  if (fold === 1) {
    for (let j = 0; j < size; j++) {
      packed[2 * j] = x[j];
      packed[2 * j + 1] = y[j];
    }
  } else {
    for (let j = 0; j < folded; j++) {
      let sx = x[j];
      let sy = y[j];
      for (let m = j + folded; m < size; m += folded) {
        sx += x[m];
        sy += y[m];
      }
      packed[2 * j] = sx;
      packed[2 * j + 1] = sy;
    }
  }
  fft.transform(out, packed);
  for (let h = 0; h <= highest; h++) {
    const k = h * foldedCycles;
    const mirror = k === 0 ? 0 : folded - k;
    const ar = out[2 * k];
    const ai = out[2 * k + 1];
    const br = out[2 * mirror];
    const bi = out[2 * mirror + 1];
    // Magnitudes scale with the full window length M (store divides by `size`).
    store((ar + br) / 2, (ai - bi) / 2, h, size, resultX);
    store((ai + bi) / 2, (br - ar) / 2, h, size, resultY);
  }
}
