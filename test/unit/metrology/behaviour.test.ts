/**
 * Behaviour of the windowing driver and the measurement definitions: partial records, streams,
 * FFT vs direct DFT, neutral and line-line quantities, sequences, quadrants, low sample rates,
 * and the MeasurementSource adapter.
 */
import { describe, expect, it } from 'vitest';
import { measureBlock, measureStream } from '../../../src/metrology/measure-block.js';
import { windowBoundsOf } from '../../../src/metrology/measure-block.js';
import { measureWindow } from '../../../src/metrology/window-measurement.js';
import { sampleMeasurementSource } from '../../../src/metrology/sample-measurement-source.js';
import type { SampleBlock } from '../../../src/waveform/sample-block.js';
import type { SampleSource } from '../../../src/waveform/sample-source.js';
import { BlockSampleSource } from '../../../src/waveform/block-source.js';
import {
  activePowerOf,
  distortedLoad,
  generateBlock,
  magnitudeAt,
  phaseAt,
  rmsOf,
} from '../../support/reference-signals.js';
import type { Harmonic, PhaseSignals } from '../../support/reference-signals.js';

/** RMS of a sum/difference of signals given as harmonic lists: phasor sum per order. */
function rmsOfCombination(parts: { harmonics: readonly Harmonic[]; sign: number }[]): number {
  const orders = new Set(parts.flatMap((p) => p.harmonics.map((h) => h.order)));
  let sum = 0;
  for (const order of orders) {
    let re = 0;
    let im = 0;
    for (const p of parts) {
      const m = magnitudeAt(p.harmonics, order);
      const a = phaseAt(p.harmonics, order);
      re += p.sign * m * Math.cos(a);
      im += p.sign * m * Math.sin(a);
    }
    sum += re * re + im * im;
  }
  return Math.sqrt(sum);
}

function sliceBlock(block: SampleBlock, from: number, count: number): SampleBlock {
  const s = (a: Float64Array): Float64Array => a.slice(from, from + count);
  return {
    sampleRateHz: block.sampleRateHz,
    startTimeS: block.startTimeS + from / block.sampleRateHz,
    length: count,
    voltage: [s(block.voltage[0]), s(block.voltage[1]), s(block.voltage[2])],
    current: [s(block.current[0]), s(block.current[1]), s(block.current[2])],
  };
}

describe('windowing driver', () => {
  it('measures a record shorter than one window over its whole cycles and flags it partial', () => {
    const phases = distortedLoad(1.1);
    const block = generateBlock({ frequencyHz: 50.2, sampleRateHz: 6400, durationS: 0.13, phases });
    const windows = measureBlock(block);
    expect(windows).toHaveLength(1);
    const [w] = windows;
    expect(w.partial).toBe(true);
    expect(w.cycles).toBeGreaterThanOrEqual(3);
    expect(w.cycles).toBeLessThan(10);
    expect(w.durationS).toBeCloseTo(w.cycles / 50.2, 6);
    expect(Math.abs(w.phases[0].voltageRms / rmsOf(phases[0].voltage) - 1)).toBeLessThan(1e-4);
    expect(Math.abs(w.phases[2].activePower - activePowerOf(phases[2])) / w.phases[2].apparentPower).toBeLessThan(1e-4);
  });

  it('leaves out the windows that hold a missing sample (NaN) and measures the rest', () => {
    const phases = distortedLoad(0.5);
    const block = generateBlock({ frequencyHz: 50, sampleRateHz: 6400, durationS: 1.2, phases });
    const complete = measureBlock(block);
    const holed = generateBlock({ frequencyHz: 50, sampleRateHz: 6400, durationS: 1.2, phases });
    const middle = complete[2];
    expect(middle).toBeDefined();
    if (middle === undefined) return;
    const at = Math.round((middle.startTimeS + middle.durationS / 2) * 6400);
    holed.current[1][at] = Number.NaN;
    const measured = measureBlock(holed);
    expect(measured.length).toBe(complete.length - 1);
    expect(measured.some((w) => Math.abs(w.startTimeS - middle.startTimeS) < 1e-9)).toBe(false);
    for (const w of measured) {
      expect(Number.isFinite(w.total.activePower)).toBe(true);
      expect(Math.abs(w.phases[1].currentRms / rmsOf(phases[1].current) - 1)).toBeLessThan(1e-4);
    }
    // A missing sample in the reference voltage does not stop the cycles after it being found.
    holed.voltage[0][at + 3] = Number.NaN;
    expect(measureBlock(holed).length).toBe(complete.length - 1);
  });

  it('finds nothing to measure in a silent record', () => {
    const zero = new Float64Array(3200);
    const block: SampleBlock = { sampleRateHz: 6400, startTimeS: 0, length: 3200, voltage: [zero, zero, zero], current: [zero, zero, zero] };
    expect(measureBlock(block)).toEqual([]);
  });

  it('chooses 12 cycles at 60 Hz and 10 at 50 Hz, or what the nominal frequency says', () => {
    const at60 = generateBlock({ frequencyHz: 60, sampleRateHz: 7200.5, durationS: 0.5, phases: distortedLoad(0) });
    expect(windowBoundsOf(at60)[0]?.cycles).toBe(12);
    expect(windowBoundsOf(at60, { nominalFrequencyHz: 50 })[0]?.cycles).toBe(10);
    const at50 = generateBlock({ frequencyHz: 50, sampleRateHz: 7200.5, durationS: 0.5, phases: distortedLoad(0) });
    expect(windowBoundsOf(at50)[0]?.cycles).toBe(10);
  });

  it('streams contiguous windows from blocks of arbitrary size, agreeing with the truth', async () => {
    const phases = distortedLoad(0.3);
    const whole = generateBlock({ frequencyHz: 49.93, sampleRateHz: 6400, durationS: 1.5, phases });
    const blocks: SampleBlock[] = [];
    for (let from = 0; from < whole.length; from += 777) blocks.push(sliceBlock(whole, from, Math.min(777, whole.length - from)));
    const streamed: Awaited<ReturnType<typeof measureBlock>> = [];
    for await (const w of measureStream(blocks)) streamed.push(w);
    const direct = measureBlock(whole);
    expect(streamed.length).toBe(direct.length);
    for (let k = 1; k < streamed.length; k++) {
      expect(Math.abs(streamed[k].startTimeS - (streamed[k - 1].startTimeS + streamed[k - 1].durationS))).toBeLessThan(1e-9);
    }
    for (const w of streamed) {
      expect(Math.abs(w.frequencyHz - 49.93)).toBeLessThan(0.5e-3);
      expect(Math.abs(w.phases[1].currentRms / rmsOf(phases[1].current) - 1)).toBeLessThan(1e-4);
    }
    // A consecutive window starts where the previous ended in measureBlock too.
    for (let k = 1; k < direct.length; k++) {
      expect(Math.abs(direct[k].startTimeS - (direct[k - 1].startTimeS + direct[k - 1].durationS))).toBeLessThan(1e-12);
    }
  });
});

describe('measurement definitions', () => {
  it('fft.js on the resampled window and the direct DFT give the same harmonics', () => {
    const block = generateBlock({ frequencyHz: 51.7, sampleRateHz: 6400, durationS: 0.5, phases: distortedLoad(2.2) });
    const [bounds] = windowBoundsOf(block);
    expect(bounds).toBeDefined();
    if (bounds === undefined) return;
    const viaFft = measureWindow(block, bounds, { harmonicMethod: 'fft' });
    const viaDft = measureWindow(block, bounds, { harmonicMethod: 'dft' });
    for (let p = 0; p < 3; p++) {
      for (let h = 0; h <= 31; h++) {
        expect(viaDft.phases[p].currentHarmonics[h]).toBeCloseTo(viaFft.phases[p].currentHarmonics[h], 9);
        expect(viaDft.phases[p].voltageHarmonics[h]).toBeCloseTo(viaFft.phases[p].voltageHarmonics[h], 9);
      }
      expect(viaDft.phases[p].reactivePower).toBeCloseTo(viaFft.phases[p].reactivePower, 6);
    }
  });

  it('computes line-line voltages and the neutral current from the instantaneous samples', () => {
    const phases = distortedLoad(0.9);
    const block = generateBlock({ frequencyHz: 50, sampleRateHz: 6001, durationS: 0.6, phases });
    const [w] = measureBlock(block);
    const v = phases.map((p) => p.voltage);
    const pairs: [number, number][] = [[0, 1], [1, 2], [2, 0]];
    pairs.forEach(([x, y], k) => {
      const truth = rmsOfCombination([{ harmonics: v[x], sign: 1 }, { harmonics: v[y], sign: -1 }]);
      expect(Math.abs(w.lineVoltages[k] / truth - 1)).toBeLessThan(1e-4);
    });
    const neutral = rmsOfCombination(phases.map((p) => ({ harmonics: p.current, sign: 1 })));
    expect(Math.abs(w.neutralCurrent / neutral - 1)).toBeLessThan(1e-4);
    // With a measured neutral channel, that channel is reported.
    const measured = generateBlock({ frequencyHz: 50, sampleRateHz: 6001, durationS: 0.6, phases, measuredNeutralScale: 1.5 });
    const [m] = measureBlock(measured);
    expect(Math.abs(m.neutralCurrent / (1.5 * neutral) - 1)).toBeLessThan(1e-4);
  });

  it('tells the phase sequence and the unbalance of a single-phase supply', () => {
    const acb = generateBlock({ frequencyHz: 50, sampleRateHz: 6400, durationS: 0.5, phases: distortedLoad(0.1, 'acb') });
    expect(measureBlock(acb)[0]?.phaseSequence).toBe('acb');
    const abc = generateBlock({ frequencyHz: 50, sampleRateHz: 6400, durationS: 0.5, phases: distortedLoad(0.1, 'abc') });
    expect(measureBlock(abc)[0]?.phaseSequence).toBe('abc');
    const onlyA = distortedLoad(0.1);
    const single: [PhaseSignals, PhaseSignals, PhaseSignals] = [onlyA[0], { voltage: [], current: [] }, { voltage: [], current: [] }];
    const [w] = measureBlock(generateBlock({ frequencyHz: 50, sampleRateHz: 6400, durationS: 0.5, phases: single }));
    expect(w.phaseSequence).toBe('unknown');
    // Only phase A: positive and negative sequence are both Va/3.
    expect(w.voltageUnbalance).toBeCloseTo(1, 4);
    expect(w.phases[1].powerFactor).toBe(1);
    expect(w.phases[1].voltageRms).toBe(0);
  });

  it('signs P, Q and PF by quadrant (export, capacitive)', () => {
    const make = (phi: number, sign: number): PhaseSignals => ({
      voltage: [{ order: 1, rms: 230, phase: 0 }],
      current: [{ order: 1, rms: 10, phase: -phi + (sign < 0 ? Math.PI : 0) }],
    });
    const cases = [
      { phi: 0.5, sign: 1, p: 1, q: 1 }, // QI import inductive
      { phi: 0.5, sign: -1, p: -1, q: -1 }, // QIII
      { phi: -0.5, sign: 1, p: 1, q: -1 }, // QIV import capacitive
      { phi: -0.5, sign: -1, p: -1, q: 1 }, // QII
    ];
    for (const c of cases) {
      const phase = make(c.phi, c.sign);
      const [w] = measureBlock(generateBlock({ frequencyHz: 50, sampleRateHz: 6400, durationS: 0.5, phases: [phase, phase, phase] }));
      const m = w.phases[0];
      expect(Math.sign(m.activePower)).toBe(c.p);
      expect(Math.sign(m.reactivePower)).toBe(c.q);
      expect(m.powerFactor).toBeCloseTo(c.p * Math.cos(0.5), 5);
      expect(m.displacementPowerFactor).toBeCloseTo(c.p * Math.cos(0.5), 5);
      expect(Math.abs(Math.abs(m.reactivePower) - 2300 * Math.sin(0.5)) / 2300).toBeLessThan(1e-5);
      expect(m.nonActivePower).toBeCloseTo(2300 * Math.sin(0.5), 2);
    }
  });

  it('finds the cycles under a DC offset twice the amplitude (a drifting sensor)', () => {
    const phases = distortedLoad(0.25).map((p): PhaseSignals => ({
      voltage: [...p.voltage, { order: 0, rms: 2 * 230, phase: 0 }],
      current: p.current,
    })) as [PhaseSignals, PhaseSignals, PhaseSignals];
    const windows = measureBlock(generateBlock({ frequencyHz: 61.3, sampleRateHz: 6400, durationS: 0.8, phases }));
    expect(windows.length).toBeGreaterThanOrEqual(2);
    for (const w of windows) {
      expect(Math.abs(w.frequencyHz - 61.3)).toBeLessThan(0.5e-3);
      expect(w.phases[0].voltageHarmonics[0]).toBeCloseTo(2 * 230 * Math.SQRT2, 2);
      expect(Math.abs(w.phases[0].voltageHarmonics[1] / 230 - 1)).toBeLessThan(1e-4);
    }
  });

  it('separates DC from the fundamental and measures at 16 samples per cycle (a relay record)', () => {
    const phases = distortedLoad(0.6).map((p): PhaseSignals => ({
      voltage: [...p.voltage.filter((h) => h.order <= 7), { order: 0, rms: 5, phase: 0 }],
      current: p.current.filter((h) => h.order <= 7),
    })) as [PhaseSignals, PhaseSignals, PhaseSignals];
    const block = generateBlock({ frequencyHz: 50, sampleRateHz: 800, durationS: 1.0, phases });
    const windows = measureBlock(block);
    expect(windows.length).toBeGreaterThanOrEqual(3);
    for (const w of windows) {
      expect(Math.abs(w.frequencyHz - 50)).toBeLessThan(0.5e-3);
      const m = w.phases[0];
      // A cosine of order 0 with rms 5 and phase 0 is a DC of sqrt(2) * 5.
      expect(m.voltageHarmonics[0]).toBeCloseTo(Math.SQRT2 * 5, 3);
      expect(Math.abs(m.voltageHarmonics[1] / 230 - 1)).toBeLessThan(1e-4);
      expect(Math.abs(m.currentRms / rmsOf(phases[0].current) - 1)).toBeLessThan(1e-4);
      expect(m.currentHarmonics[9]).toBe(0); // above the record's Nyquist frequency (400 Hz)
    }
  });
});

describe('MeasurementSource adapter', () => {
  it('replays a recording window by window in a loop', () => {
    const phases = distortedLoad(0.4);
    const block = generateBlock({ frequencyHz: 50, sampleRateHz: 6400, durationS: 1.0, phases });
    const source = sampleMeasurementSource(new BlockSampleSource(block, 'test:record', 50), { anchorTimeS: 1000 });
    const windows = measureBlock(block, { nominalFrequencyHz: 50 });
    const loopS = windows.reduce((s, w) => s + w.durationS, 0);
    const first = source.measureAt(1000.01);
    expect(first.startTimeS).toBe(1000.01);
    expect(first.phases[0].activePower).toBe(windows[0].phases[0].activePower);
    const later = source.measureAt(1000 + 3 * loopS + windows[0].durationS + 0.01);
    expect(later.phases[0].activePower).toBe(windows[1].phases[0].activePower);
    expect(source.description).toContain('looping');
  });

  it('measures an endless source on demand at the requested time', () => {
    const phases = distortedLoad(0.8);
    const fs = 6400;
    const endless: SampleSource = {
      description: 'test:endless',
      sampleRateHz: fs,
      lengthSamples: Number.POSITIVE_INFINITY,
      nominalFrequencyHz: 50,
      read(startSample: number, count: number): SampleBlock {
        const b = generateBlock({ frequencyHz: 50.05, sampleRateHz: fs, durationS: count / fs, startTimeS: startSample / fs, phases });
        return b;
      },
    };
    const source = sampleMeasurementSource(endless);
    const w = source.measureAt(3600.25);
    expect(w.startTimeS).toBe(3600.25);
    expect(Math.abs(w.frequencyHz - 50.05)).toBeLessThan(0.5e-3);
    expect(Math.abs(w.total.activePower - phases.reduce((s, p) => s + activePowerOf(p), 0)) / w.total.apparentPower).toBeLessThan(1e-4);
  });
});
