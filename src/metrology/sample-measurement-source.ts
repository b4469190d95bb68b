/**
 * Turns a waveform SampleSource into the meter's MeasurementSource (measurement-source.ts).
 *
 * - A finite source (a recording) is measured once, window by window; the meter then replays
 *   those windows in a loop (the loop is cut at window boundaries, never mid-cycle, so the
 *   seam of the recording never produces a distorted window).
 * - An endless source (a synthetic generator) is measured on demand: each call reads the samples
 *   from `timeS` on and measures the first whole window there. Give a recording itself, not a
 *   LoopingSource over it: the loop here never cuts a cycle, a LoopingSource's seam would.
 */
import type { MeasurementSource } from './measurement-source.js';
import type { SampleSource } from '../waveform/sample-source.js';
import type { WindowMeasurement } from './measurement.js';
import { measureBlock } from './measure-block.js';
import type { WindowMeasurementOptions } from './window-measurement.js';

export interface SampleMeasurementSourceOptions extends WindowMeasurementOptions {
  /**
   * Meter time (s) that corresponds to sample 0 of the source. Default: the source's own time of
   * sample 0 (a SyntheticSource's originTimeS; 0 for a recording).
   */
  readonly anchorTimeS?: number;
}

/** Seconds of samples read per on-demand measurement: 12 cycles at 45 Hz plus the filter's margins. */
const ON_DEMAND_SPAN_S = 0.4;

function retimed(window: WindowMeasurement, timeS: number): WindowMeasurement {
  return { ...window, startTimeS: timeS };
}

export function sampleMeasurementSource(
  source: SampleSource,
  options: SampleMeasurementSourceOptions = {},
): MeasurementSource {
  const anchorTimeS = options.anchorTimeS ?? source.read(0, 0).startTimeS;
  const blockOptions = { ...options, nominalFrequencyHz: source.nominalFrequencyHz };
  if (Number.isFinite(source.lengthSamples)) {
    const windows = measureBlock(source.read(0, source.lengthSamples), blockOptions);
    if (windows.length === 0) {
      throw new RangeError(`${source.description}: the record holds no whole cycle to measure`);
    }
    const offsets = new Float64Array(windows.length + 1);
    for (let k = 0; k < windows.length; k++) offsets[k + 1] = offsets[k] + windows[k].durationS;
    const loopS = offsets[windows.length];
    return {
      description: `${source.description} (looping, ${windows.length} windows)`,
      measureAt(timeS: number): WindowMeasurement {
        const position = (((timeS - anchorTimeS) % loopS) + loopS) % loopS;
        let lo = 0;
        let hi = windows.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (offsets[mid] <= position) lo = mid;
          else hi = mid - 1;
        }
        return retimed(windows[lo], timeS);
      },
    };
  }
  const span = Math.ceil(ON_DEMAND_SPAN_S * source.sampleRateHz);
  return {
    description: source.description,
    measureAt(timeS: number): WindowMeasurement {
      const start = Math.max(0, Math.floor((timeS - anchorTimeS) * source.sampleRateHz));
      const windows = measureBlock(source.read(start, span), blockOptions);
      const first = windows[0];
      if (first === undefined) {
        throw new RangeError(`${source.description}: no whole cycle in the samples at ${timeS} s`);
      }
      return retimed(first, timeS);
    },
  };
}
