/**
 * A tiny, independent three-phase signal generator and its truth, for metrology tests.
 * Signals are sums of cosines x(t) = sum_h sqrt(2) * rms_h * cos(2 pi h f t + phase_h); the
 * truth (RMS, P, Q1, PF, THD, sequence components) follows from the phasor formulas alone,
 * never from the code under test.
 */
import type { SampleBlock } from '../../src/waveform/sample-block.js';
import { SeededRandom } from '../../src/common/seeded-random.js';

export interface Harmonic {
  readonly order: number;
  /** RMS (V or A). */
  readonly rms: number;
  /** Phase at t = 0, radians (cosine reference). */
  readonly phase: number;
}

export interface PhaseSignals {
  readonly voltage: readonly Harmonic[];
  readonly current: readonly Harmonic[];
}

export interface SignalSpec {
  readonly frequencyHz: number;
  readonly sampleRateHz: number;
  readonly durationS: number;
  readonly startTimeS?: number;
  readonly phases: readonly [PhaseSignals, PhaseSignals, PhaseSignals];
  /** Gaussian noise (seeded), standard deviation per channel kind. */
  readonly noise?: { readonly seed: number; readonly voltageSigma: number; readonly currentSigma: number };
  /** Adds a measured neutral channel equal to -(ia + ib + ic) scaled by this factor. */
  readonly measuredNeutralScale?: number;
}

/** mulberry32 + Box-Muller: reproducible Gaussian noise. */
export function gaussianNoise(seed: number): () => number {
  const random = new SeededRandom(seed);
  const uniform = (): number => random.next();
  return () => {
    const u1 = Math.max(uniform(), 1e-300);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * uniform());
  };
}

function synthesize(harmonics: readonly Harmonic[], spec: SignalSpec, length: number, noise?: () => number, sigma = 0): Float64Array {
  const out = new Float64Array(length);
  const t0 = spec.startTimeS ?? 0;
  for (let n = 0; n < length; n++) {
    const t = t0 + n / spec.sampleRateHz;
    let x = 0;
    for (const h of harmonics) x += Math.SQRT2 * h.rms * Math.cos(2 * Math.PI * h.order * spec.frequencyHz * t + h.phase);
    out[n] = noise === undefined ? x : x + sigma * noise();
  }
  return out;
}

export function generateBlock(spec: SignalSpec): SampleBlock {
  const length = Math.floor(spec.durationS * spec.sampleRateHz);
  const noise = spec.noise === undefined ? undefined : gaussianNoise(spec.noise.seed);
  const vs = spec.noise?.voltageSigma ?? 0;
  const is = spec.noise?.currentSigma ?? 0;
  const voltage = [0, 1, 2].map((p) => synthesize(spec.phases[p].voltage, spec, length, noise, vs)) as [Float64Array, Float64Array, Float64Array];
  const current = [0, 1, 2].map((p) => synthesize(spec.phases[p].current, spec, length, noise, is)) as [Float64Array, Float64Array, Float64Array];
  const block: SampleBlock = { sampleRateHz: spec.sampleRateHz, startTimeS: spec.startTimeS ?? 0, length, voltage, current };
  if (spec.measuredNeutralScale === undefined) return block;
  const neutral = new Float64Array(length);
  for (let n = 0; n < length; n++) neutral[n] = -spec.measuredNeutralScale * (current[0][n] + current[1][n] + current[2][n]);
  return { ...block, neutralCurrent: neutral };
}

// ---- truth from phasors ----

export function rmsOf(harmonics: readonly Harmonic[]): number {
  return Math.sqrt(harmonics.reduce((s, h) => s + h.rms * h.rms, 0));
}

export function magnitudeAt(harmonics: readonly Harmonic[], order: number): number {
  return harmonics.find((h) => h.order === order)?.rms ?? 0;
}

export function phaseAt(harmonics: readonly Harmonic[], order: number): number {
  return harmonics.find((h) => h.order === order)?.phase ?? 0;
}

export function activePowerOf(p: PhaseSignals): number {
  let sum = 0;
  for (const u of p.voltage) {
    for (const i of p.current) if (u.order === i.order) sum += u.rms * i.rms * Math.cos(u.phase - i.phase);
  }
  return sum;
}

export function fundamentalReactivePowerOf(p: PhaseSignals): number {
  return magnitudeAt(p.voltage, 1) * magnitudeAt(p.current, 1) * Math.sin(phaseAt(p.voltage, 1) - phaseAt(p.current, 1));
}

export function thdOf(harmonics: readonly Harmonic[]): number {
  const h1 = magnitudeAt(harmonics, 1);
  return Math.sqrt(harmonics.filter((h) => h.order >= 2).reduce((s, h) => s + h.rms * h.rms, 0)) / h1;
}

/** |negative| / |positive| of three fundamental phasors, via explicit complex arithmetic. */
export function unbalanceOf(fundamentals: readonly [Harmonic[] | readonly Harmonic[], readonly Harmonic[], readonly Harmonic[]]): number {
  const ph = fundamentals.map((hs) => ({ re: magnitudeAt(hs, 1) * Math.cos(phaseAt(hs, 1)), im: magnitudeAt(hs, 1) * Math.sin(phaseAt(hs, 1)) }));
  const a = { re: -0.5, im: Math.sqrt(3) / 2 };
  const mul = (x: { re: number; im: number }, y: { re: number; im: number }) => ({ re: x.re * y.re - x.im * y.im, im: x.re * y.im + x.im * y.re });
  const a2 = mul(a, a);
  const pos = [ph[0], mul(a, ph[1]), mul(a2, ph[2])].reduce((s, z) => ({ re: s.re + z.re, im: s.im + z.im }), { re: 0, im: 0 });
  const neg = [ph[0], mul(a2, ph[1]), mul(a, ph[2])].reduce((s, z) => ({ re: s.re + z.re, im: s.im + z.im }), { re: 0, im: 0 });
  return Math.hypot(neg.re, neg.im) / Math.hypot(pos.re, pos.im);
}

/** A distorted, unbalanced three-phase load: voltages ~230 V with a few %, currents with rich harmonics to the 31st. */
export function distortedLoad(startPhase: number, sequence: 'abc' | 'acb' = 'abc'): [PhaseSignals, PhaseSignals, PhaseSignals] {
  const shift = sequence === 'abc' ? -(2 * Math.PI) / 3 : (2 * Math.PI) / 3;
  const make = (p: number, u1: number, i1: number, phi: number): PhaseSignals => {
    const base = startPhase + p * shift;
    const uh: Harmonic[] = [
      { order: 1, rms: u1, phase: base },
      { order: 3, rms: 0.02 * u1, phase: 3 * base + 0.3 },
      { order: 5, rms: 0.03 * u1, phase: 5 * base - 1.1 },
      { order: 7, rms: 0.01 * u1, phase: 7 * base + 2.0 },
      { order: 31, rms: 0.003 * u1, phase: 31 * base + 0.5 },
    ];
    const ih: Harmonic[] = [
      { order: 1, rms: i1, phase: base - phi },
      { order: 2, rms: 0.01 * i1, phase: 0.7 },
      { order: 3, rms: 0.2 * i1, phase: 3 * base - 0.4 },
      { order: 5, rms: 0.1 * i1, phase: 5 * base + 1.2 },
      { order: 7, rms: 0.05 * i1, phase: 7 * base - 2.2 },
      { order: 11, rms: 0.03 * i1, phase: 11 * base + 0.1 },
      { order: 13, rms: 0.02 * i1, phase: 13 * base + 2.9 },
      { order: 23, rms: 0.012 * i1, phase: 23 * base - 0.8 },
      { order: 31, rms: 0.01 * i1, phase: 31 * base + 1.9 },
    ];
    return { voltage: uh, current: ih };
  };
  return [make(0, 230, 10, 0.52), make(1, 228, 7, 0.3), make(2, 233, 12, -0.4)];
}
