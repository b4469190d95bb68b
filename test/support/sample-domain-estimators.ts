/**
 * Independent sample-domain estimators (no code shared with the phasor path): with no drift and an
 * integer number of samples per cycle (6400 / 50 = 128), means over whole cycles are exact.
 * checkAgainstSamples holds a phasor-path WindowMeasurement to the means of the same samples.
 */
import { expect } from 'vitest';
import type { WindowMeasurement } from '../../src/metrology/measurement.js';
import type { SampleBlock } from '../../src/waveform/sample-block.js';

export function meanSquare(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return s / x.length;
}
function meanProduct(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k] * y[k];
  return s / x.length;
}
function combine(a: Float64Array, b: Float64Array, sign: number): Float64Array {
  return a.map((v, k) => v + sign * b[k]);
}
/** Direct DFT of order h over whole cycles: RMS magnitude of that harmonic. */
function harmonicRms(x: Float64Array, samplesPerCycle: number, h: number): number {
  let re = 0;
  let im = 0;
  for (let k = 0; k < x.length; k++) {
    const a = (2 * Math.PI * h * k) / samplesPerCycle;
    re += x[k] * Math.cos(a);
    im -= x[k] * Math.sin(a);
  }
  return (Math.SQRT2 * Math.hypot(re, im)) / x.length;
}

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

export function checkAgainstSamples(block: SampleBlock, m: WindowMeasurement, spc: number, tolerance: number): void {
  for (let p = 0; p < 3; p++) {
    const u = block.voltage[p];
    const i = block.current[p];
    const ph = m.phases[p];
    expect(relative(ph.voltageRms, Math.sqrt(meanSquare(u)))).toBeLessThan(tolerance);
    expect(relative(ph.currentRms, Math.sqrt(meanSquare(i)))).toBeLessThan(tolerance);
    const s = ph.apparentPower;
    expect(Math.abs(ph.activePower - meanProduct(u, i)) / s).toBeLessThan(tolerance);
    for (const h of [1, 3, 5, 7]) {
      expect(Math.abs(ph.currentHarmonics[h] - harmonicRms(i, spc, h)) / ph.currentHarmonics[1]).toBeLessThan(tolerance);
      expect(Math.abs(ph.voltageHarmonics[h] - harmonicRms(u, spc, h)) / ph.voltageHarmonics[1]).toBeLessThan(tolerance);
    }
  }
  const [ua, ub, uc] = block.voltage;
  const [ia, ib, ic] = block.current;
  expect(relative(m.lineVoltages[0], Math.sqrt(meanSquare(combine(ua, ub, -1))))).toBeLessThan(tolerance);
  expect(relative(m.lineVoltages[1], Math.sqrt(meanSquare(combine(ub, uc, -1))))).toBeLessThan(tolerance);
  expect(relative(m.lineVoltages[2], Math.sqrt(meanSquare(combine(uc, ua, -1))))).toBeLessThan(tolerance);
  const neutral = Math.sqrt(meanSquare(combine(combine(ia, ib, 1), ic, 1)));
  expect(Math.abs(m.neutralCurrent - neutral) / Math.max(m.phases[0].currentRms, 1)).toBeLessThan(tolerance);
}
