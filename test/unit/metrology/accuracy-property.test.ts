/**
 * Property: for any frequency in 45..65 Hz, any sample rate in 3..12 kS/s, any phase angles and
 * any harmonic content (orders below 0.3 fs), the measurements meet the accuracy bounds.
 * fast-check shrinks a failure to the smallest case.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureBlock } from '../../../src/metrology/measure-block.js';
import { activePowerOf, fundamentalReactivePowerOf, generateBlock, magnitudeAt, rmsOf, thdOf } from '../../support/reference-signals.js';
import type { Harmonic, PhaseSignals } from '../../support/reference-signals.js';

const harmonicArb = (maxRatio: number) =>
  fc.record({ order: fc.integer({ min: 2, max: 31 }), ratio: fc.double({ min: 0, max: maxRatio, noNaN: true }), phase: fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }) });

const caseArb = fc.record({
  frequencyHz: fc.double({ min: 45, max: 65, noNaN: true }),
  sampleRateHz: fc.double({ min: 3000, max: 12000, noNaN: true }),
  start: fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
  voltage: fc.double({ min: 50, max: 400, noNaN: true }),
  current: fc.double({ min: 0.5, max: 100, noNaN: true }),
  phi: fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
  voltageHarmonics: fc.array(harmonicArb(0.05), { maxLength: 4 }),
  currentHarmonics: fc.array(harmonicArb(0.3), { maxLength: 6 }),
});

function signal(fundamental: number, phase: number, extra: { order: number; ratio: number; phase: number }[], f: number, fs: number): Harmonic[] {
  const list: Harmonic[] = [{ order: 1, rms: fundamental, phase }];
  for (const h of extra) {
    if (h.order * f >= 0.3 * fs || list.some((x) => x.order === h.order)) continue;
    list.push({ order: h.order, rms: h.ratio * fundamental, phase: h.phase });
  }
  return list;
}

describe('accuracy holds for arbitrary frequency, sample rate and harmonic content', () => {
  it('RMS 0.01 %, P and Q1 0.01 % of S, PF 0.0002, f 0.5 mHz, harmonics 0.05 % of h1, THD 0.05 pp', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const phase: PhaseSignals = {
          voltage: signal(c.voltage, c.start, c.voltageHarmonics, c.frequencyHz, c.sampleRateHz),
          current: signal(c.current, c.start - c.phi, c.currentHarmonics, c.frequencyHz, c.sampleRateHz),
        };
        const shift = (p: PhaseSignals, by: number): PhaseSignals => ({
          voltage: p.voltage.map((h) => ({ ...h, phase: h.phase + h.order * by })),
          current: p.current.map((h) => ({ ...h, phase: h.phase + h.order * by })),
        });
        const phases: [PhaseSignals, PhaseSignals, PhaseSignals] = [phase, shift(phase, (-2 * Math.PI) / 3), shift(phase, (2 * Math.PI) / 3)];
        const windows = measureBlock(generateBlock({ frequencyHz: c.frequencyHz, sampleRateHz: c.sampleRateHz, durationS: 0.5, phases }));
        expect(windows.length).toBeGreaterThanOrEqual(1);
        for (const w of windows) {
          expect(Math.abs(w.frequencyHz - c.frequencyHz)).toBeLessThan(0.5e-3);
          for (let p = 0; p < 3; p++) {
            const truth = phases[p];
            const m = w.phases[p];
            const s = rmsOf(truth.voltage) * rmsOf(truth.current);
            expect(Math.abs(m.voltageRms / rmsOf(truth.voltage) - 1)).toBeLessThan(1e-4);
            expect(Math.abs(m.currentRms / rmsOf(truth.current) - 1)).toBeLessThan(1e-4);
            expect(Math.abs(m.activePower - activePowerOf(truth)) / s).toBeLessThan(1e-4);
            expect(Math.abs(m.reactivePower - fundamentalReactivePowerOf(truth)) / s).toBeLessThan(1e-4);
            expect(Math.abs(m.powerFactor - activePowerOf(truth) / s)).toBeLessThan(2e-4);
            expect(Math.abs(m.currentThd - thdOf(truth.current))).toBeLessThan(5e-4);
            for (let h = 1; h <= 31; h++) {
              expect(Math.abs(m.currentHarmonics[h] - magnitudeAt(truth.current, h)) / magnitudeAt(truth.current, 1)).toBeLessThan(5e-4);
              expect(Math.abs(m.voltageHarmonics[h] - magnitudeAt(truth.voltage, h)) / magnitudeAt(truth.voltage, 1)).toBeLessThan(5e-4);
            }
          }
        }
      }),
      { numRuns: 25, seed: 20261123 },
    );
  });
});
