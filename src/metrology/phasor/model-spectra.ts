/**
 * The constants of one scenario model on the phasor path: the complex spectrum of each of its six
 * channels (RMS phasors per order, 0 = DC) and their noise deviations. All the trigonometry of a
 * model is here, done once per model.
 */
import { channelPhasors, noiseSigma, type SyntheticModel, type WaveformSpec } from '../../waveform/synthetic/model.js';
import { HARMONIC_ORDERS } from '../measurement.js';

/** Re/im per order (0 = DC, real) of one channel's RMS phasors. */
export interface ChannelSpectrum {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

export interface ModelSpectra {
  /** Orders 0..size-1 are held. */
  readonly size: number;
  readonly voltage: readonly ChannelSpectrum[];
  readonly current: readonly ChannelSpectrum[];
  /** Noise standard deviations per phase (V, A). */
  readonly sigmaU: readonly number[];
  readonly sigmaI: readonly number[];
}

/** One channel's spectrum, into `re` and `im` (zeroed, `size` long). */
function spectrumOf(spec: WaveformSpec, re: Float64Array, im: Float64Array): ChannelSpectrum {
  re[0] = spec.dcOffset;
  for (const p of channelPhasors(spec)) {
    re[p.order] += p.rms * Math.cos(p.phaseRad);
    im[p.order] += p.rms * Math.sin(p.phaseRad);
  }
  return { re, im };
}

/** Orders 0..maxOrder of a model, maxOrder at least HARMONIC_ORDERS: maxOrder + 1. */
export function ordersOf(model: SyntheticModel): number {
  let maxOrder = HARMONIC_ORDERS;
  for (const phase of model.phases) {
    for (const h of phase.voltage.harmonics) maxOrder = Math.max(maxOrder, h.order);
    for (const h of phase.current.harmonics) maxOrder = Math.max(maxOrder, h.order);
  }
  return maxOrder + 1;
}

/** The spectra of a model's six channels over orders 0..size-1. */
export function modelSpectra(model: SyntheticModel, size: number): ModelSpectra {
  // The twelve arrays share one buffer (one allocation per model, not twelve).
  const backing = new Float64Array(12 * size);
  let next = 0;
  const view = (): Float64Array => backing.subarray(size * next, size * ++next);
  return {
    size,
    voltage: model.phases.map((p) => spectrumOf(p.voltage, view(), view())),
    current: model.phases.map((p) => spectrumOf(p.current, view(), view())),
    sigmaU: model.phases.map((p) => noiseSigma(model, p.voltage)),
    sigmaI: model.phases.map((p) => noiseSigma(model, p.current)),
  };
}
