/**
 * A finite recording played forever: sample n of the loop is sample n mod length of the record.
 * Time keeps increasing (the k-th repetition starts k * length / rate after the first), so a meter
 * integrates energy over the loop as if the recording repeated. A read that crosses the seam is
 * copied (two slices joined); every other read is a view.
 */
import type { SampleBlock } from './sample-block.js';
import { concatSampleBlocks, createSampleBlock } from './sample-block-views.js';
import type { SampleSource } from './sample-source.js';

export class LoopingSource implements SampleSource {
  readonly description: string;
  readonly sampleRateHz: number;
  readonly lengthSamples = Number.POSITIVE_INFINITY;
  readonly nominalFrequencyHz: number;

  constructor(private readonly inner: SampleSource) {
    if (!Number.isFinite(inner.lengthSamples) || inner.lengthSamples <= 0) {
      throw new RangeError(`${inner.description}: only a finite, non-empty source can loop`);
    }
    this.description = `${inner.description} (looping)`;
    this.sampleRateHz = inner.sampleRateHz;
    this.nominalFrequencyHz = inner.nominalFrequencyHz;
  }

  read(startSample: number, count: number): SampleBlock {
    if (!Number.isInteger(startSample) || !Number.isInteger(count) || startSample < 0 || count < 0) {
      throw new RangeError(`${this.description}: read(${startSample}, ${count}) needs non-negative integers`);
    }
    const n = this.inner.lengthSamples;
    const parts: SampleBlock[] = [];
    let position = startSample;
    let remaining = count;
    do {
      const offset = position % n;
      const take = Math.min(remaining, n - offset);
      parts.push(this.inner.read(offset, take));
      position += take;
      remaining -= take;
    } while (remaining > 0);
    const joined = parts.length === 1 && parts[0] !== undefined ? parts[0] : concatSampleBlocks(parts);
    // Re-time: the loop's clock keeps running.
    const first = this.inner.read(0, 0);
    return createSampleBlock({
      sampleRateHz: this.sampleRateHz,
      startTimeS: first.startTimeS + startSample / this.sampleRateHz,
      voltage: joined.voltage,
      current: joined.current,
      ...(joined.neutralCurrent ? { neutralCurrent: joined.neutralCurrent } : {}),
    });
  }
}

/** Wraps a finite source so that it repeats forever. */
export function loopSource(source: SampleSource): SampleSource {
  return new LoopingSource(source);
}
