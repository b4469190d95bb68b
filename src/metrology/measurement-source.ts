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
  /**
   * Analytic sources only (absent on sample-based ones): a time (s) up to which every window
   * starting in [timeS, result] has exactly the electrical values (voltages, currents, powers,
   * harmonics) of the window starting at `timeS`; only its timing and frequency may differ.
   * Returns `timeS` when the window at `timeS` is itself cut by a change. A lazy meter uses it to
   * integrate a long steady span in one step (src/meter/meter.ts, catchUp).
   */
  steadyUntilS?(timeS: number): number;
  /** Analytic sources only: the signal's exact mean frequency (Hz) over [fromS, toS] (toS > fromS). */
  meanFrequencyHz?(fromS: number, toS: number): number;
}
