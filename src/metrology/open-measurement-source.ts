/**
 * The meter's input for any waveform source, and the one place that chooses the measurement path:
 * - a synthetic scenario (SyntheticSource: its model is known) goes the analytic phasor path
 *   (phasor/, exact and without samples: what fleets of synthetic meters need);
 * - anything else (a COMTRADE or CSV recording, looped or not, any other SampleSource) goes the
 *   sample path (sample-measurement-source.ts: its samples through the metrology core).
 * Both paths cut the same windows and agree within the accuracy the tests hold them to.
 */
import type { SampleSource } from '../waveform/sample-source.js';
import { SyntheticSource } from '../waveform/synthetic/synthetic-source.js';
import type { MeasurementSource } from './measurement-source.js';
import { phasorMeasurementSource } from './phasor/phasor-measurement-source.js';
import { sampleMeasurementSource, type SampleMeasurementSourceOptions } from './sample-measurement-source.js';

/** `anchorTimeS` (meter time of sample 0) applies to both paths; `harmonicMethod` to the sample path. */
export type MeasurementSourceOptions = SampleMeasurementSourceOptions;

export function openMeasurementSource(source: SampleSource, options: MeasurementSourceOptions = {}): MeasurementSource {
  if (source instanceof SyntheticSource) {
    return phasorMeasurementSource(source, options.anchorTimeS === undefined ? {} : { anchorTimeS: options.anchorTimeS });
  }
  return sampleMeasurementSource(source, options);
}
