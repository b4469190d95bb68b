import { describe, expect, it } from 'vitest';
import { phasorMeasurementSource } from '../../../src/metrology/phasor/phasor-measurement-source.js';
import { SyntheticSource } from '../../../src/waveform/synthetic/synthetic-source.js';
import { checkAgainstSamples, meanSquare } from '../../support/sample-domain-estimators.js';

describe('synthetic sources: frequency drift and phase integration', () => {
  it('phase is the exact integral of a drifting frequency', () => {
    const source = SyntheticSource.fromScenario('balanced-resistive', { sampleRateHz: 5000 });
    // f(t) = 50 + 0.02 sin(2 pi t / 120); integrate numerically (Simpson, fine steps) to t = 37.1234 s.
    const n = 185617; // t = n / 5000 = 37.1234 s
    const t = n / 5000;
    const steps = 200000;
    const hStep = t / steps;
    let integral = 0;
    for (let k = 0; k <= steps; k++) {
      const w = k === 0 || k === steps ? 1 : k % 2 === 1 ? 4 : 2;
      integral += w * (50 + 0.02 * Math.sin((2 * Math.PI * k * hStep) / 120));
    }
    integral *= hStep / 3;
    const expected = 230 * Math.SQRT2 * Math.cos(2 * Math.PI * integral);
    const sample = source.read(n, 1).voltage[0][0];
    expect(Math.abs(sample - expected)).toBeLessThan(1e-7);
  });

  it('window frequency under drift and after a deviation is whole cycles over their duration', () => {
    const source = SyntheticSource.fromScenario('balanced-resistive', { nominalFrequencyHz: 60 });
    const m = phasorMeasurementSource(source).measureAt(30); // drift peak: f = 60.02 Hz
    expect(m.cycles).toBe(12);
    expect(m.frequencyHz).toBeCloseTo(60.02, 6);
    source.apply({ kind: 'frequency', offsetHz: -1.5 }, 100);
    const after = phasorMeasurementSource(source).measureAt(150); // drift at 150 s: sin(2 pi 150 / 120) = 1
    expect(after.frequencyHz).toBeCloseTo(58.52, 6);
    // Phase stays continuous across the step: no jump between consecutive samples.
    const block = source.read(100 * 6400 - 2, 4).voltage[0];
    const maxStep = 2 * Math.PI * 60 * 230 * Math.SQRT2 / 6400;
    for (let k = 1; k < 4; k++) expect(Math.abs(block[k] - block[k - 1])).toBeLessThan(maxStep);
  });

  it('reads are reproducible and position-independent', () => {
    const source = SyntheticSource.fromScenario('office', { noiseSnrDb: 40, seed: 9 });
    const whole = source.read(1000, 64);
    const part = source.read(1032, 8);
    // Same values up to float rounding (the phase is re-anchored at each read's first sample);
    // the noise itself is a pure function of (seed, channel, sample index).
    const expected = whole.current[2].subarray(32, 40);
    part.current[2].forEach((v, k) => expect(Math.abs(v - expected[k])).toBeLessThan(1e-11));
  });
});

describe('synthetic sources: noise', () => {
  it('has the requested SNR and the phasor path includes its power', () => {
    const source = SyntheticSource.fromScenario('balanced-resistive', { noiseSnrDb: 40, drift: false, seed: 4 });
    const clean = SyntheticSource.fromScenario('balanced-resistive', { drift: false, seed: 4 });
    const count = 6400 * 5;
    const noisy = source.read(0, count).voltage[1];
    const ref = clean.read(0, count).voltage[1];
    const noise = noisy.map((v, k) => v - ref[k]);
    const signalRms = Math.sqrt(meanSquare(ref));
    const snr = 20 * Math.log10(signalRms / Math.sqrt(meanSquare(noise)));
    expect(Math.abs(snr - 40)).toBeLessThan(0.1);
    let mean = 0;
    for (const v of noise) mean += v;
    expect(Math.abs(mean / count)).toBeLessThan(0.05 * (signalRms / 100));
    const m = phasorMeasurementSource(source).measureAt(0);
    expect(m.phases[1].voltageRms).toBeCloseTo(signalRms * Math.sqrt(1 + 1e-4), 6);
  });
});

describe('synthetic sources: run-time changes', () => {
  it('phase loss, load change, reverse power and interruption reach samples and phasors', () => {
    const source = SyntheticSource.fromScenario('balanced-resistive', { drift: false });
    source.apply({ kind: 'phase-loss', phase: 2 }, 1, 1);
    source.apply({ kind: 'load', phases: [0], currentRms: 5, powerFactor: 0.5 }, 3);
    source.apply({ kind: 'reverse-power', phases: [1] }, 4);
    source.apply({ kind: 'interruption' }, 6, 0.4);
    const lost = phasorMeasurementSource(source).measureAt(1.2);
    expect(lost.phases[2].voltageRms).toBe(0);
    expect(lost.phases[2].currentRms).toBe(0);
    expect(lost.phaseSequence).toBe('abc');
    expect(Math.max(...Array.from(source.read(6400 + 100, 100).voltage[2]).map(Math.abs))).toBe(0);
    expect(phasorMeasurementSource(source).measureAt(2.5).phases[2].voltageRms).toBeCloseTo(230, 9);
    const loadChanged = phasorMeasurementSource(source).measureAt(3.5);
    expect(loadChanged.phases[0].activePower).toBeCloseTo(230 * 5 * 0.5, 6);
    expect(loadChanged.phases[0].reactivePower).toBeCloseTo(230 * 5 * Math.sin(Math.acos(0.5)), 6);
    const reversed = phasorMeasurementSource(source).measureAt(4.5);
    expect(reversed.phases[1].activePower).toBeCloseTo(-2300, 6);
    expect(reversed.phases[0].activePower).toBeCloseTo(575, 6);
    const out = phasorMeasurementSource(source).measureAt(6.1);
    expect(out.total.activePower).toBe(0);
    expect(out.phaseSequence).toBe('unknown');
    expect(phasorMeasurementSource(source).measureAt(6.5).total.activePower).toBeCloseTo(575 - 2300 + 2300, 6);
    checkAgainstSamples(source.read(Math.round(4.5 * 6400), 1280), reversed, 128, 1e-10);
  });

  it('end() stops a change early or drops one not yet begun', () => {
    const source = SyntheticSource.fromScenario('balanced-resistive', { drift: false, originTimeS: 1000 });
    const sag = source.apply({ kind: 'sag', phases: [1], residual: 0.5 }, 1010, 60);
    const loss = source.apply({ kind: 'phase-loss', phase: 0 }, 1020);
    const later = source.apply({ kind: 'frequency', offsetHz: 0.5 }, 1100);
    source.end(sag, 1015);
    source.end(loss, 1030);
    source.end(later, 1050);
    expect(phasorMeasurementSource(source).measureAt(1012).phases[1].voltageRms).toBeCloseTo(115, 9);
    expect(phasorMeasurementSource(source).measureAt(1016).phases[1].voltageRms).toBeCloseTo(230, 9);
    expect(phasorMeasurementSource(source).measureAt(1025).phases[0].voltageRms).toBe(0);
    expect(phasorMeasurementSource(source).measureAt(1031).phases[0].voltageRms).toBeCloseTo(230, 9);
    expect(phasorMeasurementSource(source).measureAt(1200).frequencyHz).toBeCloseTo(50, 9);
    // samples agree: L2 back to full voltage right after the early end
    const block = source.read(Math.round(16 * 6400), 1280);
    expect(Math.sqrt(meanSquare(block.voltage[1]))).toBeCloseTo(230, 6);
  });

  it('rejects bad changes with a clear error', () => {
    const source = SyntheticSource.fromScenario('office');
    expect(() => source.apply({ kind: 'load', powerFactor: 1.5 }, 0)).toThrow(/powerFactor/);
    expect(() => source.apply({ kind: 'frequency', offsetHz: 1 }, 0, 1, 5)).toThrow(/cannot repeat/);
    expect(() => SyntheticSource.fromScenario('nope')).toThrow(/scenarios: balanced-resistive/);
  });
});

describe('balancedModel for custom test sources', () => {
  it('off-nominal frequency, non-integer samples per cycle: phasor frequency and RMS are exact', async () => {
    const { balancedModel } = await import('../../../src/waveform/synthetic/scenarios.js');
    const model = balancedModel({
      frequencyHz: 59.97,
      displacementPowerFactor: 0.8,
      capacitive: true,
      currentHarmonics: [{ order: 3, ratio: 0.1, phaseRad: 0 }],
    });
    const source = new SyntheticSource(model, 'custom', { sampleRateHz: 7001 });
    const m = phasorMeasurementSource(source).measureAt(0);
    expect(m.cycles).toBe(12);
    expect(m.frequencyHz).toBeCloseTo(59.97, 10);
    expect(m.phases[2].reactivePower).toBeCloseTo(-230 * 10 * 0.6, 9);
    expect(m.phases[2].currentRms).toBeCloseTo(10 * Math.sqrt(1.01), 12);
    // Samples follow the model at an arbitrary instant (no drift: theta = 2 pi f t).
    const n = 12345;
    const t = n / 7001;
    const theta = 2 * Math.PI * 59.97 * t;
    const lag = -Math.acos(0.8);
    const expected = Math.SQRT2 * 10 * (Math.cos(theta - lag) + 0.1 * Math.cos(3 * (theta - lag)));
    expect(source.read(n, 1).current[0][0]).toBeCloseTo(expected, 9);
  });
});
