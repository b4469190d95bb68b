/**
 * A window's state on the phasor path, summed over its pieces (the spans between scheduled
 * changes, each under one model, weighted by its share w_s of the window):
 *   mean squares and P are exact time averages:  Urms^2 = sum_s w_s Urms_s^2,  P = sum_s w_s P_s;
 *   harmonic phasors are time-weighted complex averages  X_h = sum_s w_s X_h,s  (what a DFT over the
 *   window sees, ignoring the spectral leakage of the step itself).
 * Harmonics are orthogonal over whole cycles and noise is uncorrelated with everything, so:
 *   mean square of a channel = sum_h |X_h|^2 + sigma^2;  P = sum_h Re(U_h conj(I_h));
 *   line-to-line j - k: sum_h |U_j,h - U_k,h|^2 + sigma_j^2 + sigma_k^2;
 *   neutral: sum_h |I_a,h + I_b,h + I_c,h|^2 + sigma_a^2 + sigma_b^2 + sigma_c^2.
 */
import type { ModelSpectra } from './model-spectra.js';

/** A channel's accumulated spectrum and mean square (including noise and orders above the arrays). */
export interface AccumulatedSpectrum {
  readonly re: Float64Array;
  readonly im: Float64Array;
  meanSquare: number;
}

export interface WindowAccumulator {
  readonly size: number;
  readonly voltage: readonly AccumulatedSpectrum[];
  readonly current: readonly AccumulatedSpectrum[];
  readonly activePower: number[];
  /** Mean squares of L1-L2, L2-L3, L3-L1. */
  readonly lineMeanSquare: number[];
  neutralMeanSquare: number;
}

let scratch: { readonly backing: Float64Array; readonly acc: WindowAccumulator } | undefined;

/**
 * An empty accumulator of `size` orders. It is the module's one scratch accumulator, zeroed: it is
 * valid until the next call (a window's parts are derived from it at once), so measuring a window
 * allocates no typed arrays for it (a fleet measures thousands of windows a second).
 */
export function newWindowAccumulator(size: number): WindowAccumulator {
  if (scratch === undefined || scratch.acc.size !== size) {
    const backing = new Float64Array(12 * size);
    let next = 0;
    const view = (): Float64Array => backing.subarray(size * next, size * ++next);
    const spectrum = (): AccumulatedSpectrum => ({ re: view(), im: view(), meanSquare: 0 });
    scratch = {
      backing,
      acc: {
        size,
        voltage: [spectrum(), spectrum(), spectrum()],
        current: [spectrum(), spectrum(), spectrum()],
        activePower: [0, 0, 0],
        lineMeanSquare: [0, 0, 0],
        neutralMeanSquare: 0,
      },
    };
    return scratch.acc;
  }
  const { backing, acc } = scratch;
  backing.fill(0);
  for (const channel of acc.voltage) channel.meanSquare = 0;
  for (const channel of acc.current) channel.meanSquare = 0;
  acc.activePower.fill(0);
  acc.lineMeanSquare.fill(0);
  acc.neutralMeanSquare = 0;
  return acc;
}

function sumSquares(re: Float64Array, im: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let h = from; h <= to && h < re.length; h++) s += re[h] * re[h] + im[h] * im[h];
  return s;
}

/** Add one piece (a model's spectra, `weight` = its share of the window) to the accumulator. */
export function accumulatePiece(acc: WindowAccumulator, spectra: ModelSpectra, weight: number): void {
  const size = acc.size;
  if (spectra.size !== size) throw new Error(`spectra of ${spectra.size} orders in a window of ${size}`);
  const { voltage: u, current: i, sigmaU, sigmaI } = spectra;
  for (let p = 0; p < 3; p++) {
    const up = u[p];
    const ip = i[p];
    const accU = acc.voltage[p];
    const accI = acc.current[p];
    for (let h = 0; h < size; h++) {
      accU.re[h] += weight * up.re[h];
      accU.im[h] += weight * up.im[h];
      accI.re[h] += weight * ip.re[h];
      accI.im[h] += weight * ip.im[h];
    }
    accU.meanSquare += weight * (sumSquares(up.re, up.im, 0, size - 1) + sigmaU[p] ** 2);
    accI.meanSquare += weight * (sumSquares(ip.re, ip.im, 0, size - 1) + sigmaI[p] ** 2);
    // P = sum over orders of Re(U_h conj(I_h)); for DC (im = 0) this is U_0 I_0.
    let power = 0;
    for (let h = 0; h < size; h++) power += up.re[h] * ip.re[h] + up.im[h] * ip.im[h];
    acc.activePower[p] += weight * power;
    // Line-to-line j - k with (j, k) = (0, 1), (1, 2), (2, 0).
    const k = (p + 1) % 3;
    const uk = u[k];
    let line = sigmaU[p] ** 2 + sigmaU[k] ** 2;
    for (let h = 0; h < size; h++) line += (up.re[h] - uk.re[h]) ** 2 + (up.im[h] - uk.im[h]) ** 2;
    acc.lineMeanSquare[p] += weight * line;
  }
  let neutral = sigmaI[0] ** 2 + sigmaI[1] ** 2 + sigmaI[2] ** 2;
  for (let h = 0; h < size; h++) {
    const re = i[0].re[h] + i[1].re[h] + i[2].re[h];
    const im = i[0].im[h] + i[1].im[h] + i[2].im[h];
    neutral += re * re + im * im;
  }
  acc.neutralMeanSquare += weight * neutral;
}
