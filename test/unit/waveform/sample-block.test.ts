import { describe, expect, it } from 'vitest';
import {
  allocateSampleBlock,
  concatSampleBlocks,
  createSampleBlock,
  sliceSampleBlock,
} from '../../../src/waveform/sample-block-views.js';
import { BlockSampleSource } from '../../../src/waveform/block-source.js';
import { loopSource } from '../../../src/waveform/looping-source.js';

function ramp(n: number, base: number): Float64Array {
  return Float64Array.from({ length: n }, (_, k) => base + k);
}

function rampBlock(n: number): ReturnType<typeof createSampleBlock> {
  return createSampleBlock({
    sampleRateHz: 1000,
    startTimeS: 5,
    voltage: [ramp(n, 0), ramp(n, 100), ramp(n, 200)],
    current: [ramp(n, 300), ramp(n, 400), ramp(n, 500)],
  });
}

describe('SampleBlock helpers', () => {
  it('slices as views sharing memory, advancing the start time', () => {
    const block = rampBlock(10);
    const slice = sliceSampleBlock(block, 3, 4);
    expect(slice.length).toBe(4);
    expect(slice.startTimeS).toBeCloseTo(5.003, 12);
    expect(Array.from(slice.voltage[1])).toEqual([103, 104, 105, 106]);
    expect(slice.current[2].buffer).toBe(block.current[2].buffer);
    block.current[2][4] = -1;
    expect(slice.current[2][1]).toBe(-1);
  });

  it('rejects inconsistent channel lengths and out-of-range slices', () => {
    expect(() =>
      createSampleBlock({
        sampleRateHz: 1000,
        startTimeS: 0,
        voltage: [new Float64Array(3), new Float64Array(3), new Float64Array(2)],
        current: [new Float64Array(3), new Float64Array(3), new Float64Array(3)],
      }),
    ).toThrow(/differ in length/);
    expect(() => sliceSampleBlock(rampBlock(5), 3, 3)).toThrow(RangeError);
  });

  it('concatenates blocks into fresh arrays', () => {
    const a = sliceSampleBlock(rampBlock(6), 0, 2);
    const b = sliceSampleBlock(rampBlock(6), 4, 2);
    const joined = concatSampleBlocks([a, b]);
    expect(Array.from(joined.current[0])).toEqual([300, 301, 304, 305]);
    expect(joined.startTimeS).toBe(5);
    expect(allocateSampleBlock(3, 10, 0, true).neutralCurrent?.length).toBe(3);
  });

  it('loops a finite source with a continuing clock', () => {
    const source = new BlockSampleSource(rampBlock(10), 'ramp', 50);
    expect(() => source.read(8, 3)).toThrow(/past the end/);
    const looped = loopSource(source);
    expect(looped.lengthSamples).toBe(Number.POSITIVE_INFINITY);
    const block = looped.read(28, 5);
    expect(Array.from(block.voltage[0])).toEqual([8, 9, 0, 1, 2]);
    expect(block.startTimeS).toBeCloseTo(5 + 28 / 1000, 12);
    expect(Array.from(looped.read(1000, 2).voltage[2])).toEqual([200, 201]);
  });
});
