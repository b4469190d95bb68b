/**
 * Building, slicing and joining SampleBlocks. Slices are subarray views over the same memory
 * (no copy); only joining blocks (concatSampleBlocks) copies.
 */
import type { SampleBlock } from './sample-block.js';

export type ChannelTriple = readonly [Float64Array, Float64Array, Float64Array];

export interface SampleBlockParts {
  sampleRateHz: number;
  startTimeS: number;
  voltage: ChannelTriple;
  current: ChannelTriple;
  neutralCurrent?: Float64Array;
}

/** Wraps existing arrays as a block (no copy). Throws a RangeError when lengths or the rate are inconsistent. */
export function createSampleBlock(parts: SampleBlockParts): SampleBlock {
  const length = parts.voltage[0].length;
  const all = [...parts.voltage, ...parts.current, ...(parts.neutralCurrent ? [parts.neutralCurrent] : [])];
  for (const channel of all) {
    if (channel.length !== length) {
      throw new RangeError(`SampleBlock channels differ in length (${channel.length} vs ${length})`);
    }
  }
  if (!(parts.sampleRateHz > 0) || !Number.isFinite(parts.sampleRateHz)) {
    throw new RangeError(`SampleBlock sample rate must be a positive number, got ${parts.sampleRateHz}`);
  }
  const block: SampleBlock = {
    sampleRateHz: parts.sampleRateHz,
    startTimeS: parts.startTimeS,
    length,
    voltage: parts.voltage,
    current: parts.current,
    ...(parts.neutralCurrent ? { neutralCurrent: parts.neutralCurrent } : {}),
  };
  return block;
}

/** A zero-filled block of `length` samples (one fresh buffer per channel). */
export function allocateSampleBlock(
  length: number,
  sampleRateHz: number,
  startTimeS: number,
  withNeutral = false,
): SampleBlock {
  const make = (): Float64Array => new Float64Array(length);
  return createSampleBlock({
    sampleRateHz,
    startTimeS,
    voltage: [make(), make(), make()],
    current: [make(), make(), make()],
    ...(withNeutral ? { neutralCurrent: make() } : {}),
  });
}

/**
 * Samples [start, start + count) of a block as a view sharing the block's memory (subarray).
 * The slice's startTimeS is advanced by start / sampleRateHz.
 */
export function sliceSampleBlock(block: SampleBlock, start: number, count: number): SampleBlock {
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > block.length) {
    throw new RangeError(`slice [${start}, ${start + count}) is outside the block of ${block.length} samples`);
  }
  const view = (a: Float64Array): Float64Array => a.subarray(start, start + count);
  return createSampleBlock({
    sampleRateHz: block.sampleRateHz,
    startTimeS: block.startTimeS + start / block.sampleRateHz,
    voltage: [view(block.voltage[0]), view(block.voltage[1]), view(block.voltage[2])],
    current: [view(block.current[0]), view(block.current[1]), view(block.current[2])],
    ...(block.neutralCurrent ? { neutralCurrent: view(block.neutralCurrent) } : {}),
  });
}

/**
 * Joins blocks end to end into fresh arrays (copies). All blocks must share the sample rate;
 * the result starts at the first block's start time. The neutral channel is kept only when
 * every block has one.
 */
export function concatSampleBlocks(blocks: readonly SampleBlock[]): SampleBlock {
  const first = blocks[0];
  if (first === undefined) throw new RangeError('concatSampleBlocks needs at least one block');
  const length = blocks.reduce((n, b) => n + b.length, 0);
  const withNeutral = blocks.every((b) => b.neutralCurrent !== undefined);
  const out = allocateSampleBlock(length, first.sampleRateHz, first.startTimeS, withNeutral);
  let offset = 0;
  for (const b of blocks) {
    if (b.sampleRateHz !== first.sampleRateHz) {
      throw new RangeError(`cannot join blocks at ${b.sampleRateHz} Hz and ${first.sampleRateHz} Hz`);
    }
    for (let k = 0; k < 3; k++) {
      out.voltage[k].set(b.voltage[k], offset);
      out.current[k].set(b.current[k], offset);
    }
    if (withNeutral && out.neutralCurrent && b.neutralCurrent) out.neutralCurrent.set(b.neutralCurrent, offset);
    offset += b.length;
  }
  return out;
}
