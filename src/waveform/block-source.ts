/**
 * A finite SampleSource over one in-memory block (a decoded recording): read() returns views.
 */
import type { SampleBlock } from './sample-block.js';
import { sliceSampleBlock } from './sample-block-views.js';
import { checkReadRange, type SampleSource } from './sample-source.js';

export class BlockSampleSource implements SampleSource {
  readonly sampleRateHz: number;
  readonly lengthSamples: number;

  constructor(
    readonly block: SampleBlock,
    readonly description: string,
    readonly nominalFrequencyHz: number,
  ) {
    this.sampleRateHz = block.sampleRateHz;
    this.lengthSamples = block.length;
  }

  read(startSample: number, count: number): SampleBlock {
    checkReadRange(this, startSample, count);
    return sliceSampleBlock(this.block, startSample, count);
  }
}
