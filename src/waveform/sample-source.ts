/**
 * What every waveform source (synthetic generator, COMTRADE or CSV recording, looping wrapper)
 * offers the metrology: random access to a uniformly sampled three-phase record.
 */
import type { SampleBlock } from './sample-block.js';

export interface SampleSource {
  /** Human-readable description for logs ("synthetic:office", "comtrade:wisp-4.CFG"). */
  readonly description: string;
  /** Samples per second of every block this source returns. */
  readonly sampleRateHz: number;
  /** Number of samples available, or Infinity for generators and looping sources. */
  readonly lengthSamples: number;
  /** Nominal line frequency (50 or 60 Hz), so the metrology can pick 10 or 12 cycles per window. */
  readonly nominalFrequencyHz: number;
  /**
   * Samples [startSample, startSample + count). Sample n is at time startTimeS + n / sampleRateHz
   * of the source's clock (block.startTimeS says where the block starts). For finite sources the
   * range must lie inside [0, lengthSamples); a RangeError says otherwise.
   * The returned arrays may be views into the source's memory: treat them as read-only.
   */
  read(startSample: number, count: number): SampleBlock;
}

/** Checks a read request against a source's length; throws RangeError naming the source. */
export function checkReadRange(source: Pick<SampleSource, 'description' | 'lengthSamples'>, startSample: number, count: number): void {
  if (!Number.isInteger(startSample) || !Number.isInteger(count) || startSample < 0 || count < 0) {
    throw new RangeError(`${source.description}: read(${startSample}, ${count}) needs non-negative integers`);
  }
  if (startSample + count > source.lengthSamples) {
    throw new RangeError(
      `${source.description}: read(${startSample}, ${count}) goes past the end (${source.lengthSamples} samples)`,
    );
  }
}
