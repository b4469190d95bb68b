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
import { gaussianAt } from './seeded-random.js';

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
    const j = Math.ceil(t * sampleRateHz - startSample - 1e-9);
    if (j > (cuts[cuts.length - 1] ?? 0) && j < count) cuts.push(j);
  }
  cuts.push(count);
  for (let s = 0; s + 1 < cuts.length; s++) {
    generateSegment(timeline, sampleRateHz, startSample, cuts[s] ?? 0, cuts[s + 1] ?? 0, block);
  }
}

function generateSegment(
  timeline: ScenarioTimeline,
  fs: number,
  startSample: number,
  from: number,
  to: number,
  block: SampleBlock,
): void {
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
  const cosH = new Float64Array(maxOrder + 1);
  const sinH = new Float64Array(maxOrder + 1);

  const base = timeline.base.frequency;
  const steadyHz = model.frequency.nominalHz + model.frequency.offsetHz;
  const driftA = base.driftAmplitudeHz;
  const driftScale = (driftA * base.driftPeriodS) / (2 * Math.PI);
  const driftW = (2 * Math.PI) / base.driftPeriodS;
  const cos0 = Math.cos(driftW * t0);
  const cycles0 = timeline.cyclesAt(t0);
  const fraction0 = cycles0 - Math.floor(cycles0);
  const seed = model.noise?.seed ?? 0;

  for (let j = from; j < to; j++) {
    const k = j - from;
    const dt = k / fs;
    let cycles = fraction0 + steadyHz * dt;
    if (driftA !== 0) cycles += driftScale * (cos0 - Math.cos(driftW * (t0 + dt)));
    const theta = 2 * Math.PI * cycles;
    const c1 = Math.cos(theta);
    const s1 = Math.sin(theta);
    cosH[1] = c1;
    sinH[1] = s1;
    for (let h = 2; h <= maxOrder; h++) {
      const cp = cosH[h - 1];
      const sp = sinH[h - 1];
      cosH[h] = cp * c1 - sp * s1;
      sinH[h] = sp * c1 + cp * s1;
    }
    for (const plan of plans) {
      let x = plan.dc;
      const n = plan.orders.length;
      for (let q = 0; q < n; q++) {
        const h = plan.orders[q];
        x += plan.cosCoefficients[q] * cosH[h] + plan.sinCoefficients[q] * sinH[h];
      }
      if (plan.sigma !== 0) x += plan.sigma * gaussianAt(seed, plan.stream, firstIndex + k);
      plan.out[j] = x;
    }
  }
}
