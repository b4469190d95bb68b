/**
 * Band-limited resampling of a window onto a uniform grid of M points (M = 2^k per window of
 * whole cycles), so that an FFT bin falls exactly on every harmonic.
 *
 * Kernel: a Kaiser-windowed sinc with KERNEL_TAPS taps, tabulated at KERNEL_PHASES fractional
 * offsets (linear interpolation between neighbouring phases), each phase normalised to unit DC
 * gain. The weights for one output point are computed once and applied to every channel.
 */

export const KERNEL_TAPS = 24;
const HALF = KERNEL_TAPS / 2;
const KERNEL_PHASES = 1024;
const KAISER_BETA = 9;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 60; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Row p holds the taps for fractional offset mu = p / KERNEL_PHASES; tap t sits at sample floor(x) - HALF + 1 + t. */
function buildKernelTable(): Float64Array {
  const table = new Float64Array((KERNEL_PHASES + 1) * KERNEL_TAPS);
  const i0Beta = besselI0(KAISER_BETA);
  for (let p = 0; p <= KERNEL_PHASES; p++) {
    const mu = p / KERNEL_PHASES;
    let sum = 0;
    for (let t = 0; t < KERNEL_TAPS; t++) {
      const d = t - HALF + 1 - mu;
      const sinc = d === 0 ? 1 : Math.sin(Math.PI * d) / (Math.PI * d);
      const r = d / HALF;
      const win = Math.abs(r) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta;
      const value = sinc * win;
      table[p * KERNEL_TAPS + t] = value;
      sum += value;
    }
    for (let t = 0; t < KERNEL_TAPS; t++) table[p * KERNEL_TAPS + t] /= sum;
  }
  return table;
}

const kernelTable = buildKernelTable();

/**
 * Evaluates every input channel at positions start + j * step (fractional sample indices),
 * j = 0 .. outputs[c].length - 1, writing outputs[c][j]. Samples the kernel would need outside
 * the record are taken from the nearest edge sample.
 */
export function resampleChannels(
  inputs: readonly Float64Array[],
  outputs: readonly Float64Array[],
  start: number,
  step: number,
): void {
  const channels = inputs.length;
  if (channels === 0) return;
  const count = outputs[0].length;
  const length = inputs[0].length;
  const weights = new Float64Array(KERNEL_TAPS);
  for (let j = 0; j < count; j++) {
    const x = start + j * step;
    const n0 = Math.floor(x);
    const phase = (x - n0) * KERNEL_PHASES;
    const p = Math.min(KERNEL_PHASES - 1, Math.floor(phase));
    const f = phase - p;
    const rowA = p * KERNEL_TAPS;
    const rowB = rowA + KERNEL_TAPS;
    for (let t = 0; t < KERNEL_TAPS; t++) {
      weights[t] = kernelTable[rowA + t] + f * (kernelTable[rowB + t] - kernelTable[rowA + t]);
    }
    const first = n0 - HALF + 1;
    if (first >= 0 && first + KERNEL_TAPS <= length) {
      for (let c = 0; c < channels; c++) {
        const input = inputs[c];
        let acc = 0;
        for (let t = 0; t < KERNEL_TAPS; t++) acc += weights[t] * input[first + t];
        outputs[c][j] = acc;
      }
    } else {
      for (let c = 0; c < channels; c++) {
        const input = inputs[c];
        let acc = 0;
        for (let t = 0; t < KERNEL_TAPS; t++) {
          const idx = Math.min(length - 1, Math.max(0, first + t));
          acc += weights[t] * input[idx];
        }
        outputs[c][j] = acc;
      }
    }
  }
}
