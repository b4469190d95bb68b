/**
 * A synthetic source's measurements on the phasor path: the meter's MeasurementSource computed
 * from the scenario's phasors, without samples (fleets of thousands of meters). It reads the
 * source's live timeline, so run-time changes (SyntheticSource.apply/end) reach it as they reach
 * the samples. Per-model constants are cached (PhasorWindowMeasurer): each call returns a fresh
 * measurement, but parts of it are shared between windows under the same model: read-only.
 */
import type { SyntheticSource } from '../../waveform/synthetic/synthetic-source.js';
import type { WindowMeasurement } from '../measurement.js';
import type { MeasurementSource } from '../measurement-source.js';
import { PhasorWindowMeasurer } from './phasor-window-measurer.js';

export interface PhasorMeasurementSourceOptions {
  /**
   * Meter time (s) that corresponds to the scenario's time 0 (sample 0). Default: the source's
   * originTimeS.
   */
  readonly anchorTimeS?: number;
}

export class PhasorMeasurementSource implements MeasurementSource {
  readonly description: string;
  private readonly measurer: PhasorWindowMeasurer;
  private readonly anchorTimeS: number;

  constructor(source: SyntheticSource, options: PhasorMeasurementSourceOptions = {}) {
    this.description = source.description;
    this.measurer = new PhasorWindowMeasurer(source.timeline);
    this.anchorTimeS = options.anchorTimeS ?? source.originTimeS;
  }

  /** The exact measurement of the window starting at `timeS` (meter clock). */
  measureAt(timeS: number): WindowMeasurement {
    return this.measurer.measure(timeS - this.anchorTimeS, timeS);
  }

  /**
   * Windows are measured wholly under one model when no scheduled change falls inside them, and
   * then their electrical parts are that model's alone (PhasorWindowMeasurer). So from `timeS` to
   * the next change, less the longest window (STEADY_MARGIN_S), every window equals this one.
   */
  steadyUntilS(timeS: number): number {
    const t0 = timeS - this.anchorTimeS;
    const timeline = this.measurer.timeline;
    // Three windows' length at this model's frequency (a slow network has long windows), at least 0.5 s.
    const margin = Math.max(STEADY_MARGIN_S, 36 / Math.max(1, timeline.frequencyAt(t0)));
    const next = timeline.breakpointsIn(t0, t0 + STEADY_HORIZON_S)[0];
    if (next === undefined) return timeS + STEADY_HORIZON_S - margin;
    return next - t0 <= margin ? timeS : this.anchorTimeS + next - margin;
  }

  meanFrequencyHz(fromS: number, toS: number): number {
    const timeline = this.measurer.timeline;
    return (timeline.cyclesAt(toS - this.anchorTimeS) - timeline.cyclesAt(fromS - this.anchorTimeS)) / (toS - fromS);
  }
}

/** The least margin before a change (s): over twice a 10- or 12-cycle window at 50 or 60 Hz. */
const STEADY_MARGIN_S = 0.5;
/** How far ahead steadyUntilS looks for a change (a bound on the work per call). */
const STEADY_HORIZON_S = 900;

export function phasorMeasurementSource(source: SyntheticSource, options: PhasorMeasurementSourceOptions = {}): MeasurementSource {
  return new PhasorMeasurementSource(source, options);
}
