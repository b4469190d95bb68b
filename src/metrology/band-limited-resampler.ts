/**
 * Band-limited resampling of a window onto a uniform grid of M points (M = 2^k per window of
 * whole cycles), so that an FFT bin falls exactly on every harmonic.
 *
 * Kernel: a Kaiser-windowed sinc, 16 taps (beta 8); 12 taps (beta 7) when every reported
 * harmonic lies below 0.32 fs; 8 taps (beta 6.5) when every one lies below 0.25 fs (6.4 kS/s at
 * up to 51.6 Hz: a 50 Hz meter; half the work of the 16-tap kernel, and over a window as accurate
 * as the 12-tap kernel there: see docs/metrology.md). Tabulated at KERNEL_PHASES fractional
 * offsets; the nearest offset is used (at most 1/(2 * KERNEL_PHASES)
 * of a sample of timing error, which averages out over a window) and every offset is normalised
 * to unit DC gain. One output point's weights serve every channel.
 * Measured pointwise on a sinusoid at 6.4 kS/s: about 2.5e-5 of the amplitude at 65 Hz and 1e-4
 * at 1.5 kHz; after the FFT over a window the harmonic errors are far smaller (see
 * test/unit/metrology/accuracy.test.ts and docs/metrology.md).
 */

/** The long kernel: flat to about 0.4 fs. */
export const KERNEL_TAPS = 16;
/** The short kernel, enough when every harmonic reported lies below 0.32 fs (6.4 kS/s at up to 65 Hz). */
export const SHORT_KERNEL_TAPS = 12;
/** The shortest kernel, enough when every harmonic reported lies below 0.25 fs (6.4 kS/s at up to 51.6 Hz). */
export const SHORTEST_KERNEL_TAPS = 8;
const KERNEL_PHASES = 2048;
const KAISER_BETA: Readonly<Record<number, number>> = { 8: 6.5, 12: 7, 16: 8 };

/** Kernel length for a window whose highest reported harmonic is at `highestHz`. */
export function kernelTapsFor(highestHz: number, sampleRateHz: number): number {
  if (highestHz <= 0.25 * sampleRateHz) return SHORTEST_KERNEL_TAPS;
  return highestHz <= 0.32 * sampleRateHz ? SHORT_KERNEL_TAPS : KERNEL_TAPS;
}

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

/** Row p holds the taps for fractional offset mu = (p + 0.5) / KERNEL_PHASES; tap t sits at sample floor(x) - taps/2 + 1 + t. */
function buildKernelTable(taps: number): Float64Array {
  const half = taps / 2;
  const beta = KAISER_BETA[taps] ?? 8;
  const table = new Float64Array(KERNEL_PHASES * taps);
  const i0Beta = besselI0(beta);
  for (let p = 0; p < KERNEL_PHASES; p++) {
    const mu = (p + 0.5) / KERNEL_PHASES;
    let sum = 0;
    for (let t = 0; t < taps; t++) {
      const d = t - half + 1 - mu;
      const sinc = d === 0 ? 1 : Math.sin(Math.PI * d) / (Math.PI * d);
      const r = d / half;
      const win = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
      const value = sinc * win;
      table[p * taps + t] = value;
      sum += value;
    }
    for (let t = 0; t < taps; t++) table[p * taps + t] /= sum;
  }
  return table;
}

const kernelTables = new Map<number, Float64Array>();

function kernelTable(taps: number): Float64Array {
  let table = kernelTables.get(taps);
  if (table === undefined) {
    if (KAISER_BETA[taps] === undefined) throw new RangeError(`no ${taps}-tap kernel`);
    table = buildKernelTable(taps);
    kernelTables.set(taps, table);
  }
  return table;
}

function resampleAtEdge(
  inputs: readonly Float64Array[],
  outputs: readonly Float64Array[],
  j: number,
  first: number,
  row: number,
  table: Float64Array,
  taps: number,
): void {
  const length = inputs[0].length;
  for (let c = 0; c < inputs.length; c++) {
    const input = inputs[c];
    let acc = 0;
    for (let t = 0; t < taps; t++) {
      const idx = Math.min(length - 1, Math.max(0, first + t));
      acc += table[row + t] * input[idx];
    }
    outputs[c][j] = acc;
  }
}

/**
 * Interleaved copy of six channels over the samples a window's kernel reaches (sample lo + k,
 * channel c at 6 k + c), grown as needed and overwritten by every call; nothing read from it
 * outlives the call. One array walked forwards costs less than six.
 */
let interleaved = new Float64Array(0);

/**
 * Evaluates every input channel at positions start + j * step (fractional sample indices),
 * j = 0 .. outputs[c].length - 1, writing outputs[c][j]. Samples the kernel would need outside
 * the record are taken from the nearest edge sample. Six channels (three voltages, three
 * currents) are first interleaved, then take a fused loop that loads each weight once.
 */
export function resampleChannels(
  inputs: readonly Float64Array[],
  outputs: readonly Float64Array[],
  start: number,
  step: number,
  taps: number = KERNEL_TAPS,
): void {
  const channels = inputs.length;
  if (channels === 0) return;
  const count = outputs[0].length;
  const length = inputs[0].length;
  const table = kernelTable(taps);
  const half = taps / 2;
  if (channels !== 6) {
    for (let j = 0; j < count; j++) {
      const x = start + j * step;
      const n0 = Math.floor(x);
      const row = Math.min(KERNEL_PHASES - 1, Math.floor((x - n0) * KERNEL_PHASES)) * taps;
      resampleAtEdge(inputs, outputs, j, n0 - half + 1, row, table, taps);
    }
    return;
  }
  const [x0, x1, x2, x3, x4, x5] = inputs;
  const [y0, y1, y2, y3, y4, y5] = outputs;
  // Samples lo .. hi hold every tap of every point whose kernel lies inside the record.
  const lo = Math.max(0, Math.floor(start) - half + 1);
  const hi = Math.min(length - 1, Math.floor(start + (count - 1) * step) - half + taps);
  const span = hi - lo + 1;
  if (span > 0) {
    if (interleaved.length < 6 * span) interleaved = new Float64Array(6 * span * 2);
    const z = interleaved;
    for (let k = 0, n = lo; k < 6 * span; k += 6, n++) {
      z[k] = x0[n]; z[k + 1] = x1[n]; z[k + 2] = x2[n];
      z[k + 3] = x3[n]; z[k + 4] = x4[n]; z[k + 5] = x5[n];
    }
  }
  const z = interleaved;
  for (let j = 0; j < count; j++) {
    const x = start + j * step;
    const n0 = Math.floor(x);
    const row = Math.min(KERNEL_PHASES - 1, Math.floor((x - n0) * KERNEL_PHASES)) * taps;
    const first = n0 - half + 1;
    if (first < 0 || first + taps > length) {
      resampleAtEdge(inputs, outputs, j, first, row, table, taps);
      continue;
    }
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0;
    for (let t = 0, k = 6 * (first - lo); t < taps; t++, k += 6) {
      const w = table[row + t];
      a0 += w * z[k];
      a1 += w * z[k + 1];
      a2 += w * z[k + 2];
      a3 += w * z[k + 3];
      a4 += w * z[k + 4];
      a5 += w * z[k + 5];
    }
    y0[j] = a0; y1[j] = a1; y2[j] = a2; y3[j] = a3; y4[j] = a4; y5[j] = a5;
  }
}
