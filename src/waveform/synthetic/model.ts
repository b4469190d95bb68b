/**
 * The parameters of a synthetic three-phase waveform. Every channel is
 *
 *   x(t) = dcOffset + sum over harmonics h of sqrt(2) * X_h * cos(h * theta(t) + phi_h)
 *
 * where theta(t) = 2 * pi * integral of f(t) dt is the fundamental's running phase, shared by all
 * six channels, and f(t) = nominalHz + offsetHz + drift.amplitudeHz * sin(2 * pi * t / drift.periodS).
 * The fundamental (h = 1) has RMS X_1 = `rms` and phase phi_1 = `phaseRad`; each listed harmonic h
 * has RMS X_h = ratio * X_1 and phase phi_h = h * phi_1 + phaseRad(h), i.e. harmonic phases are
 * given relative to the channel's own fundamental, so a harmonic pattern keeps its shape when the
 * fundamental moves (triplens of a balanced load are then in phase on all three lines).
 * Angles are radians, cosine reference; a current lagging its voltage has a smaller phase.
 */

export interface Harmonic {
  /** Harmonic order, integer >= 2. */
  readonly order: number;
  /** RMS of this harmonic as a ratio of the channel's fundamental RMS (0.3 = 30 %). */
  readonly ratio: number;
  /** Phase relative to the channel's fundamental (phi_h - h * phi_1), radians. */
  readonly phaseRad: number;
}

export interface WaveformSpec {
  /** Fundamental RMS (V or A). */
  readonly rms: number;
  /** Fundamental phase at theta = 0 (radians, cosine reference). */
  readonly phaseRad: number;
  readonly harmonics: readonly Harmonic[];
  /** DC component (V or A). */
  readonly dcOffset: number;
}

export interface PhaseSpec {
  readonly voltage: WaveformSpec;
  readonly current: WaveformSpec;
}

export interface FrequencySpec {
  /** Nominal line frequency (50 or 60 Hz); decides 10 or 12 cycles per metrology window. */
  readonly nominalHz: number;
  /** Steady deviation from nominal (Hz). */
  readonly offsetHz: number;
  /** Slow sinusoidal drift around nominal + offset; amplitude 0 for none. */
  readonly driftAmplitudeHz: number;
  readonly driftPeriodS: number;
}

export interface NoiseSpec {
  /**
   * Signal-to-noise ratio in dB, per channel: white Gaussian noise of standard deviation
   * sigma = (noise-free RMS of the channel) / 10^(snrDb / 20).
   */
  readonly snrDb: number;
  /** Seed of the counter-based generator: the same seed and sample index give the same noise. */
  readonly seed: number;
}

export interface SyntheticModel {
  readonly frequency: FrequencySpec;
  readonly phases: readonly [PhaseSpec, PhaseSpec, PhaseSpec];
  /** Absent: noise-free. */
  readonly noise?: NoiseSpec;
}

export type PhaseIndex = 0 | 1 | 2;

/** Absolute harmonic phasors of a channel: order, RMS, absolute phase phi_h. Order 1 first. */
export interface ChannelPhasor {
  readonly order: number;
  readonly rms: number;
  readonly phaseRad: number;
}

/** The fundamental plus harmonics of a waveform as absolute phasors (orders summed if repeated). */
export function channelPhasors(spec: WaveformSpec): ChannelPhasor[] {
  const out: ChannelPhasor[] = [{ order: 1, rms: spec.rms, phaseRad: spec.phaseRad }];
  for (const h of spec.harmonics) {
    if (!Number.isInteger(h.order) || h.order < 2) {
      throw new RangeError(`harmonic order must be an integer >= 2, got ${h.order}`);
    }
    out.push({ order: h.order, rms: h.ratio * spec.rms, phaseRad: h.order * spec.phaseRad + h.phaseRad });
  }
  return out;
}

/** Total RMS of a noise-free waveform: sqrt(DC^2 + sum of X_h^2) (harmonics are orthogonal). */
export function waveformRms(spec: WaveformSpec): number {
  let sum = spec.dcOffset * spec.dcOffset + spec.rms * spec.rms;
  for (const h of spec.harmonics) sum += (h.ratio * spec.rms) ** 2;
  return Math.sqrt(sum);
}

/** Standard deviation of the noise added to a channel (0 when the model is noise-free). */
export function noiseSigma(model: SyntheticModel, spec: WaveformSpec): number {
  if (model.noise === undefined) return 0;
  return waveformRms(spec) / 10 ** (model.noise.snrDb / 20);
}

export function degrees(deg: number): number {
  return (deg * Math.PI) / 180;
}
