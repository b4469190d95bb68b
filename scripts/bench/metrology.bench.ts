/**
 * Metrology throughput (target: at least 1,000x real time per core, a 200 ms window in 200 us): one three-phase meter sampled at 6.4 kS/s (50 Hz, 128 samples/cycle;
 * and 49.8 Hz, 128.5 samples/cycle), currents with harmonics to the 31st. Measures windows per
 * second and "times real time" on one core for:
 *   - the whole driver (cycle detection + every window) with fft.js on the resampled window,
 *   - the same with a direct DFT of the same harmonic bins,
 *   - one window alone (bounds known), both ways,
 * all in the same run, and prints the ratios. Numbers on a shared 2-core machine are noisy.
 */
import { performance } from 'node:perf_hooks';
import { measureBlock, windowBoundsOf } from '../../src/metrology/measure-block.js';
import { measureWindow } from '../../src/metrology/window-measurement.js';
import type { HarmonicMethod } from '../../src/metrology/harmonic-spectrum.js';
import type { SampleBlock } from '../../src/waveform/sample-block.js';

const SAMPLE_RATE = 6400;
const DURATION_S = 10;

function signal(frequencyHz: number): SampleBlock {
  const length = Math.round(DURATION_S * SAMPLE_RATE);
  const channel = (amplitude: number, shift: number, distorted: boolean): Float64Array => {
    const out = new Float64Array(length);
    for (let n = 0; n < length; n++) {
      const w = 2 * Math.PI * frequencyHz * (n / SAMPLE_RATE);
      let x = Math.cos(w + shift);
      if (distorted) for (let h = 3; h <= 31; h += 2) x += (0.3 / h) * Math.cos(h * (w + shift) + 0.1 * h);
      else x += 0.02 * Math.cos(5 * (w + shift));
      out[n] = amplitude * x;
    }
    return out;
  };
  const shifts = [0, (-2 * Math.PI) / 3, (2 * Math.PI) / 3];
  return {
    sampleRateHz: SAMPLE_RATE,
    startTimeS: 0,
    length,
    voltage: shifts.map((s) => channel(325, s, false)) as [Float64Array, Float64Array, Float64Array],
    current: shifts.map((s) => channel(14, s - 0.5, true)) as [Float64Array, Float64Array, Float64Array],
  };
}

/**
 * Median of `runs` timings (ms) of fn, after `warmup` untimed calls: process CPU time (user +
 * system; what one core spends, robust when other processes share the machine) and wall time.
 */
function time(fn: () => void, runs: number, warmup: number): { cpuMs: number; wallMs: number; bestCpuMs: number } {
  for (let k = 0; k < warmup; k++) fn();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let k = 0; k < runs; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1];
  return { cpuMs: median(cpu), wallMs: median(wall), bestCpuMs: Math.min(...cpu) };
}

interface Row {
  name: string;
  /** CPU microseconds per window. */
  usPerWindow: number;
  wallUsPerWindow: number;
  /** Fastest run (CPU): closest to an uncontended machine. */
  bestUsPerWindow: number;
  windowsPerS: number;
  timesRealTime: number;
}

const rows: Row[] = [];
let sink = 0;
const blocks = new Map([50, 49.8].map((f) => [f, signal(f)]));
// Warm every path up first (JIT tiers, FFT tables, kernel tables), so no case pays for it.
for (let round = 0; round < 4; round++) {
  for (const block of blocks.values()) {
    for (const method of ['fft', 'dft'] as HarmonicMethod[]) sink += measureBlock(block, { harmonicMethod: method }).length;
  }
}
for (const frequencyHz of [50, 49.8]) {
  const block = blocks.get(frequencyHz) ?? signal(frequencyHz);
  const bounds = windowBoundsOf(block);
  const windowS = bounds.reduce((s, b) => s + (b.end - b.start), 0) / bounds.length / SAMPLE_RATE;
  for (const method of ['fft', 'dft'] as HarmonicMethod[]) {
    const driver = time(() => {
      sink += measureBlock(block, { harmonicMethod: method }).length;
    }, 9, 3);
    const perWindowUs = (driver.cpuMs * 1000) / bounds.length;
    rows.push({
      name: `${frequencyHz} Hz driver (detect + measure), ${method}`,
      usPerWindow: perWindowUs,
      wallUsPerWindow: (driver.wallMs * 1000) / bounds.length,
      bestUsPerWindow: (driver.bestCpuMs * 1000) / bounds.length,
      windowsPerS: 1e6 / perWindowUs,
      timesRealTime: (windowS * 1e6) / perWindowUs,
    });
    const one = time(() => {
      for (const b of bounds) sink += measureWindow(block, b, { harmonicMethod: method }).frequencyHz;
    }, 9, 3);
    const oneUs = (one.cpuMs * 1000) / bounds.length;
    rows.push({
      name: `${frequencyHz} Hz window only, ${method}`,
      usPerWindow: oneUs,
      wallUsPerWindow: (one.wallMs * 1000) / bounds.length,
      bestUsPerWindow: (one.bestCpuMs * 1000) / bounds.length,
      windowsPerS: 1e6 / oneUs,
      timesRealTime: (windowS * 1e6) / oneUs,
    });
  }
}

console.log(`metrology: one three-phase meter, ${SAMPLE_RATE} S/s, harmonics to 31, ${DURATION_S} s of samples per run, median of 9 runs`);
console.log('per core: median CPU time of this process per window (wall time and the fastest run beside it; they differ when the machine is shared)');
console.log('case                                     cpu us/window  wall us/window  best cpu us   windows/s   x real time  best x real time');
for (const r of rows) {
  console.log(
    `${r.name.padEnd(40)} ${r.usPerWindow.toFixed(1).padStart(14)} ${r.wallUsPerWindow.toFixed(1).padStart(15)} ${r.bestUsPerWindow.toFixed(1).padStart(12)} ${r.windowsPerS.toFixed(0).padStart(11)} ${r.timesRealTime.toFixed(0).padStart(13)} ${((r.timesRealTime * r.usPerWindow) / r.bestUsPerWindow).toFixed(0).padStart(17)}`,
  );
}
for (const frequencyHz of [50, 49.8]) {
  const get = (name: string): number => rows.find((r) => r.name === name)?.usPerWindow ?? Number.NaN;
  const driver = get(`${frequencyHz} Hz driver (detect + measure), dft`) / get(`${frequencyHz} Hz driver (detect + measure), fft`);
  const window = get(`${frequencyHz} Hz window only, dft`) / get(`${frequencyHz} Hz window only, fft`);
    console.log(`${frequencyHz} Hz: direct DFT / fft.js CPU time ratio: driver ${driver.toFixed(2)}x, window only ${window.toFixed(2)}x`);
}
if (sink === 42) console.log('');
