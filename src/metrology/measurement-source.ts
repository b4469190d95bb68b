/**
 * Where a meter's measurements come from: a synthetic scenario measured from its phasors,
 * or a waveform source (synthetic samples, COMTRADE, CSV) run through the metrology core.
 * The meter calls measureAt once per tick and integrates the result over the tick.
 */
import type { WindowMeasurement } from './measurement.js';

export interface MeasurementSource {
  /** Human-readable description for logs ("synthetic:office", "comtrade:wisp-4.cfg (looping)"). */
  readonly description: string;
  /**
   * Measure the window that starts at `timeS` (meter clock, seconds since the Unix epoch).
   * The result is read-only for the caller: a source may share parts of it between calls (the
   * phasor path shares its harmonic arrays between windows under the same scenario model).
   */
  measureAt(timeS: number): WindowMeasurement;
}
