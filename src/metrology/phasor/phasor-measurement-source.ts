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
}

export function phasorMeasurementSource(source: SyntheticSource, options: PhasorMeasurementSourceOptions = {}): MeasurementSource {
  return new PhasorMeasurementSource(source, options);
}
