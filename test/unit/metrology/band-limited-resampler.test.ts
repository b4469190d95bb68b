import { describe, expect, it } from 'vitest';
import { kernelTapsFor, resampleChannels } from '../../../src/metrology/band-limited-resampler.js';

describe('band-limited resampler', () => {
  it('picks 8, 12 or 16 taps by the highest harmonic as a fraction of the sample rate', () => {
    expect(kernelTapsFor(31 * 50, 6400)).toBe(8);
    expect(kernelTapsFor(31 * 51.6, 6400)).toBe(8);
    expect(kernelTapsFor(31 * 60, 6400)).toBe(12);
    expect(kernelTapsFor(31 * 65, 6400)).toBe(12);
    expect(kernelTapsFor(31 * 50, 4000.7)).toBe(16);
  });

  for (const taps of [8, 12, 16]) {
    it(`${taps} taps: six interleaved channels give the one-channel (edge-path) values, near the sinusoid, up to the record's edges`, () => {
      const length = 600;
      const inputs = Array.from({ length: 6 }, (_, c) => {
        const x = new Float64Array(length);
        for (let n = 0; n < length; n++) x[n] = Math.cos(2 * Math.PI * 0.0078 * n + c) + 0.1 * Math.cos(2 * Math.PI * 0.2 * n + 2 * c);
        return x;
      });
      const count = 700;
      const start = -2.3;
      const step = 603 / count;
      const six = Array.from({ length: 6 }, () => new Float64Array(count));
      resampleChannels(inputs, six, start, step, taps);
      for (let c = 0; c < 6; c++) {
        const one = [new Float64Array(count)];
        resampleChannels([inputs[c]], one, start, step, taps);
        for (let j = 0; j < count; j++) expect(six[c][j]).toBe(one[0][j]);
        // Away from the edges the value is the band-limited signal's (kernel ripple and phase table: within 2e-4 of the amplitude).
        for (let j = 20; j < count - 20; j++) {
          const t = start + j * step;
          const truth = Math.cos(2 * Math.PI * 0.0078 * t + c) + 0.1 * Math.cos(2 * Math.PI * 0.2 * t + 2 * c);
          expect(Math.abs(six[c][j] - truth)).toBeLessThan(2e-4);
        }
      }
    });
  }
});
