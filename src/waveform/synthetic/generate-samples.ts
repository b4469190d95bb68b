/**
 * Sample generation for a scenario timeline: fills a block with
 *   x[n] = dc + sum_h sqrt(2) X_h cos(h theta_n + phi_h) + sigma * noise(seed, channel, n)
 * at t_n = n / fs. theta_n = 2 pi cycles(t_n) is integrated exactly (see ScenarioTimeline); within
 * a block the phase is taken relative to the block's (or segment's) first sample, so the float64
 * argument stays below one cycle plus the block's length and never loses precision with run time.
 * cos(h theta) and sin(h theta) come from the angle-addition recurrence on cos theta, sin theta
 * (one cos and one sin per sample whatever the number of harmonics and channels).
 */
import type { SampleBlock } from '../sample-block.js';
import { channelPhasors, noiseSigma, type SyntheticModel, type WaveformSpec } from './model.js';
import type { ScenarioTimeline } from './scenario-timeline.js';
import { gaussianAt } from './gaussian-noise.js';

interface ChannelPlan {
  readonly out: Float64Array;
  readonly orders: Int32Array;
  /** sqrt(2) X_h cos(phi_h) */
  readonly cosCoefficients: Float64Array;
  /** -sqrt(2) X_h sin(phi_h) */
  readonly sinCoefficients: Float64Array;
  readonly dc: number;
  readonly sigma: number;
  readonly stream: number;
}

function planChannel(model: SyntheticModel, spec: WaveformSpec, out: Float64Array, stream: number): ChannelPlan {
  const phasors = channelPhasors(spec).filter((p) => p.rms !== 0);
  return {
    out,
    orders: Int32Array.from(phasors, (p) => p.order),
    cosCoefficients: Float64Array.from(phasors, (p) => Math.SQRT2 * p.rms * Math.cos(p.phaseRad)),
    sinCoefficients: Float64Array.from(phasors, (p) => -Math.SQRT2 * p.rms * Math.sin(p.phaseRad)),
    dc: spec.dcOffset,
    sigma: noiseSigma(model, spec),
    stream,
  };
}

/**
 * Writes samples [startSample, startSample + block.length) of the timeline into `block`'s arrays
 * (which must have been allocated with block.length samples each).
 */
export function generateSamplesInto(
  timeline: ScenarioTimeline,
  sampleRateHz: number,
  startSample: number,
  block: SampleBlock,
): void {
  const count = block.length;
  if (count === 0) return;
  const tStart = startSample / sampleRateHz;
  const tEnd = (startSample + count) / sampleRateHz;
  // Segment boundaries as sample offsets: the first sample at or after each breakpoint.
  const cuts = [0];
  for (const t of timeline.breakpointsIn(tStart, tEnd)) {
    const j = Math.ceil((t - tStart) * sampleRateHz - 1e-6);
    if (j > (cuts[cuts.length - 1] ?? 0) && j < count) cuts.push(j);
  }
  cuts.push(count);
  for (let s = 0; s + 1 < cuts.length; s++) {
    generateSegment(timeline, sampleRateHz, startSample, cuts[s] ?? 0, cuts[s + 1] ?? 0, block);
  }
}

/** cos x and sin x: Taylor series for |x| < 0.05 (error below 1e-19), Math otherwise. */
function cosSmall(x: number): number {
  if (Math.abs(x) >= 0.05) return Math.cos(x);
  const x2 = x * x;
  return 1 - (x2 / 2) * (1 - (x2 / 12) * (1 - (x2 / 30) * (1 - x2 / 56)));
}
function sinSmall(x: number): number {
  if (Math.abs(x) >= 0.05) return Math.sin(x);
  const x2 = x * x;
  return x * (1 - (x2 / 6) * (1 - (x2 / 20) * (1 - (x2 / 42) * (1 - x2 / 72))));
}

const REANCHOR = 64;

/**
 * c1[k] = cos theta_k, s1[k] = sin theta_k for
 *   theta_k / (2 pi) = fraction0 + steadyHz k / fs + driftScale (cos(w0) - cos(w0 + k dw)),
 * without a transcendental call per sample: the linear part rotates by e^{j 2 pi steadyHz / fs}
 * (re-anchored exactly every REANCHOR samples, so rounding cannot accumulate), and the drift part
 *   2 pi driftScale (cos w0 - cos(w0 + x)) = 2 pi driftScale (cos w0 (1 - cos x) + sin w0 sin x),
 * x = k dw, is a small angle for blocks much shorter than the drift period (Taylor series).
 */
function fillFundamental(
  c1: Float64Array,
  s1: Float64Array,
  count: number,
  fs: number,
  fraction0: number,
  steadyHz: number,
  driftScale: number,
  w0: number,
  dw: number,
): void {
  const stepAngle = (2 * Math.PI * steadyHz) / fs;
  const stepCos = Math.cos(stepAngle);
  const stepSin = Math.sin(stepAngle);
  const cosW0 = Math.cos(w0);
  const sinW0 = Math.sin(w0);
  const driftRad = 2 * Math.PI * driftScale;
  let c = 1;
  let s = 0;
  for (let k = 0; k < count; k++) {
    if (k % REANCHOR === 0) {
      const angle = 2 * Math.PI * (fraction0 + (steadyHz * k) / fs);
      c = Math.cos(angle);
      s = Math.sin(angle);
    } else {
      const cn = c * stepCos - s * stepSin;
      s = s * stepCos + c * stepSin;
      c = cn;
    }
    if (driftScale === 0) {
      c1[k] = c;
      s1[k] = s;
      continue;
    }
    const x = k * dw;
    const delta = driftRad * (cosW0 * (1 - cosSmall(x)) + sinW0 * sinSmall(x));
    const cd = cosSmall(delta);
    const sd = sinSmall(delta);
    c1[k] = c * cd - s * sd;
    s1[k] = s * cd + c * sd;
  }
}

/** Scratch arrays reused between calls (grown on demand). */
let scratch = new Float64Array(0);

function generateSegment(
  timeline: ScenarioTimeline,
  fs: number,
  startSample: number,
  from: number,
  to: number,
  block: SampleBlock,
): void {
  const count = to - from;
  const firstIndex = startSample + from;
  const t0 = firstIndex / fs;
  const model = timeline.modelAt(t0);
  const plans: ChannelPlan[] = [];
  for (let p = 0; p < 3; p++) {
    const phase = model.phases[p];
    plans.push(planChannel(model, phase.voltage, block.voltage[p], p));
    plans.push(planChannel(model, phase.current, block.current[p], 3 + p));
  }
  let maxOrder = 1;
  for (const plan of plans) for (const o of plan.orders) maxOrder = Math.max(maxOrder, o);

  if (scratch.length < 6 * count) scratch = new Float64Array(6 * count);
  const c1 = scratch.subarray(0, count);
  const s1 = scratch.subarray(count, 2 * count);
  let cosPrev = scratch.subarray(2 * count, 3 * count);
  let sinPrev = scratch.subarray(3 * count, 4 * count);
  let cosNext = scratch.subarray(4 * count, 5 * count);
  let sinNext = scratch.subarray(5 * count, 6 * count);

  // theta_j relative to the segment's first sample (see the module comment).
  const base = timeline.base.frequency;
  const steadyHz = model.frequency.nominalHz + model.frequency.offsetHz;
  const driftA = base.driftAmplitudeHz;
  const driftScale = (driftA * base.driftPeriodS) / (2 * Math.PI);
  const driftW = (2 * Math.PI) / base.driftPeriodS;
  const cycles0 = timeline.cyclesAt(t0);
  const fraction0 = cycles0 - Math.floor(cycles0);
  fillFundamental(c1, s1, count, fs, fraction0, steadyHz, driftA === 0 ? 0 : driftScale, driftW * t0, driftW / fs);
  for (const plan of plans) plan.out.fill(plan.dc, from, to);
  cosPrev.set(c1);
  sinPrev.set(s1);
  // Order by order: cos/sin(h theta) from order h - 1 by angle addition, then every channel's term.
  for (let h = 1; h <= maxOrder; h++) {
    if (h > 1) {
      for (let k = 0; k < count; k++) {
        const c = cosPrev[k];
        const s = sinPrev[k];
        cosNext[k] = c * c1[k] - s * s1[k];
        sinNext[k] = s * c1[k] + c * s1[k];
      }
      [cosPrev, cosNext] = [cosNext, cosPrev];
      [sinPrev, sinNext] = [sinNext, sinPrev];
    }
    for (const plan of plans) {
      for (let q = 0; q < plan.orders.length; q++) {
        if (plan.orders[q] !== h) continue;
        const a = plan.cosCoefficients[q];
        const b = plan.sinCoefficients[q];
        const out = plan.out;
        for (let k = 0; k < count; k++) out[from + k] += a * cosPrev[k] + b * sinPrev[k];
      }
    }
  }
  const seed = model.noise?.seed ?? 0;
  for (const plan of plans) {
    if (plan.sigma === 0) continue;
    for (let k = 0; k < count; k++) plan.out[from + k] += plan.sigma * gaussianAt(seed, plan.stream, firstIndex + k);
  }
}
