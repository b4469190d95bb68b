/**
 * The windowing driver: from a SampleBlock (or a stream of contiguous blocks) to consecutive
 * WindowMeasurements, windows sharing their boundary crossings so that no time is lost between
 * them (energy integrates over the whole record).
 */
import type { SampleBlock } from '../waveform/sample-block.js';
import type { WindowMeasurement } from './measurement.js';
import { fundamentalCrossings } from './cycle-detection.js';
import { cyclesPerWindowFor, medianCycleSamples, planWindows } from './window-plan.js';
import { measureWindow } from './window-measurement.js';
import type { WindowBounds, WindowMeasurementOptions } from './window-measurement.js';

export interface BlockMeasurementOptions extends WindowMeasurementOptions {
  /** Nominal system frequency (50 or 60 Hz): sets 10 or 12 cycles per window. Detected when absent. */
  readonly nominalFrequencyHz?: number;
  /** Called after each window of `measureBlock` with the windows measured and the total (a progress line). */
  readonly onWindow?: (done: number, total: number) => void;
}

/** Mean square estimated from every 7th sample: enough to tell a live channel from a dead one. */
function meanSquare(signal: Float64Array): number {
  let sum = 0;
  let count = 0;
  for (let n = 0; n < signal.length; n += 7) {
    const x = signal[n];
    if (!Number.isFinite(x)) continue;
    sum += x * x;
    count += 1;
  }
  return count > 0 ? sum / count : 0;
}

/**
 * The channel whose fundamental sets the cycles: the phase-A voltage unless it is much weaker
 * than another voltage (a dead phase), then the strongest voltage, else the strongest current.
 */
export function referenceChannel(block: SampleBlock): Float64Array {
  const voltagePower = block.voltage.map(meanSquare);
  const strongestVoltage = Math.max(...voltagePower);
  if (strongestVoltage > 0) {
    if (voltagePower[0] >= 0.01 * strongestVoltage) return block.voltage[0];
    return block.voltage[voltagePower.indexOf(strongestVoltage)];
  }
  const currentPower = block.current.map(meanSquare);
  return block.current[currentPower.indexOf(Math.max(...currentPower))];
}

function hasMissing(signal: Float64Array): boolean {
  let sum = 0;
  for (let n = 0; n < signal.length; n++) sum += signal[n];
  return !Number.isFinite(sum);
}

/**
 * False when a missing (NaN, as COMTRADE missing-value markers decode) or infinite sample fell
 * inside the window or the reach of its resampler: every sum over it is then NaN, which one
 * check on the aggregates finds without scanning the samples again.
 */
export function isComplete(m: WindowMeasurement): boolean {
  let sum = m.neutralCurrent + m.lineVoltages[0] + m.lineVoltages[1] + m.lineVoltages[2] + m.total.activePower;
  for (const p of m.phases) sum += p.voltageRms + p.currentRms + p.voltageHarmonics[1] + p.currentHarmonics[1] + p.reactivePower;
  return Number.isFinite(sum);
}

function withoutMissing(signal: Float64Array): Float64Array {
  return signal.map((x) => (Number.isFinite(x) ? x : 0));
}

/**
 * Window bounds (fractional sample indices) of a block. Missing samples in the reference count
 * as zero for finding cycles; windows holding them are dropped after measuring (isComplete).
 * With `resumeAt` (a fractional sample index where the previous window ended), crossings before
 * it are dropped and the first window starts exactly there, so consecutive windows of a stream
 * share their boundary; `cyclesPerWindow` keeps a stream's window length fixed.
 */
export function windowBoundsOf(
  block: SampleBlock,
  options: BlockMeasurementOptions = {},
  resumeAt?: number,
  cyclesPerWindow?: number,
): WindowBounds[] {
  const raw = referenceChannel(block);
  const reference = hasMissing(raw) ? withoutMissing(raw) : raw;
  let crossings = fundamentalCrossings(reference, block.sampleRateHz);
  if (crossings.length < 3 && resumeAt === undefined) {
    // Too short for the filter's margins (it needs about 25 ms at each end): crossings of the raw
    // reference (mean removed) still find the whole cycles of a short record.
    crossings = fundamentalCrossings(reference, block.sampleRateHz, { smoothingS: 0 });
  }
  const typical = medianCycleSamples(crossings);
  if (typical === undefined) return [];
  const cycles = cyclesPerWindow ?? cyclesPerWindowFor(options.nominalFrequencyHz ?? block.sampleRateHz / typical);
  if (resumeAt !== undefined) {
    const kept = Array.from(crossings).filter((c) => c > resumeAt - 0.5 * typical);
    if (kept.length > 0 && Math.abs(kept[0] - resumeAt) < 0.5 * typical) kept[0] = resumeAt;
    crossings = Float64Array.from(kept);
  }
  return planWindows(crossings, cycles);
}

/**
 * Every window of a block, in order. A record shorter than one window gives one partial window.
 * Windows holding missing samples are left out (a meter cannot measure what was not recorded).
 */
export function measureBlock(block: SampleBlock, options: BlockMeasurementOptions = {}): WindowMeasurement[] {
  const bounds = windowBoundsOf(block, options);
  const onWindow = options.onWindow;
  return bounds
    .map((window, i) => {
      const measurement = measureWindow(block, window, options);
      onWindow?.(i + 1, bounds.length);
      return measurement;
    })
    .filter(isComplete);
}

function sliceBlock(block: SampleBlock, from: number): SampleBlock {
  const sub = (a: Float64Array): Float64Array => a.subarray(from);
  return {
    sampleRateHz: block.sampleRateHz,
    startTimeS: block.startTimeS + from / block.sampleRateHz,
    length: block.length - from,
    voltage: [sub(block.voltage[0]), sub(block.voltage[1]), sub(block.voltage[2])],
    current: [sub(block.current[0]), sub(block.current[1]), sub(block.current[2])],
    ...(block.neutralCurrent === undefined ? {} : { neutralCurrent: sub(block.neutralCurrent) }),
  };
}

function concatBlocks(first: SampleBlock, second: SampleBlock): SampleBlock {
  if (first.sampleRateHz !== second.sampleRateHz) {
    throw new RangeError(`sample rate changed from ${first.sampleRateHz} Hz to ${second.sampleRateHz} Hz within a stream`);
  }
  const join = (a: Float64Array, b: Float64Array): Float64Array => {
    const out = new Float64Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  };
  const neutral =
    first.neutralCurrent !== undefined && second.neutralCurrent !== undefined
      ? { neutralCurrent: join(first.neutralCurrent, second.neutralCurrent) }
      : {};
  return {
    sampleRateHz: first.sampleRateHz,
    startTimeS: first.startTimeS,
    length: first.length + second.length,
    voltage: [join(first.voltage[0], second.voltage[0]), join(first.voltage[1], second.voltage[1]), join(first.voltage[2], second.voltage[2])],
    current: [join(first.current[0], second.current[0]), join(first.current[1], second.current[1]), join(first.current[2], second.current[2])],
    ...neutral,
  };
}

/**
 * Consecutive windows from a stream of contiguous blocks. Samples are carried over between
 * blocks; each window ends where the next starts. When the stream ends without one full window,
 * the whole cycles it held are measured as one partial window.
 */
export async function* measureStream(
  blocks: AsyncIterable<SampleBlock> | Iterable<SampleBlock>,
  options: BlockMeasurementOptions = {},
): AsyncGenerator<WindowMeasurement> {
  let pending: SampleBlock | undefined;
  let emitted = 0;
  let cycles: number | undefined;
  /** Time of the previous window's end: the next window starts exactly there. */
  let lastEndTimeS: number | undefined;
  for await (const block of blocks) {
    pending = pending === undefined ? block : concatBlocks(pending, block);
    const fs = pending.sampleRateHz;
    const resumeAt = lastEndTimeS === undefined ? undefined : (lastEndTimeS - pending.startTimeS) * fs;
    const bounds = windowBoundsOf(pending, options, resumeAt, cycles).filter((b) => !b.partial);
    let lastEnd: number | undefined;
    for (const window of bounds) {
      cycles = window.cycles;
      const measurement = measureWindow(pending, window, options);
      if (isComplete(measurement)) {
        yield measurement;
        emitted += 1;
      }
      lastEnd = window.end;
      lastEndTimeS = pending.startTimeS + window.end / fs;
    }
    if (lastEnd !== undefined) {
      // Keep enough before the last boundary for the filter to settle and the resampler's taps.
      const keep = Math.ceil(0.04 * fs) + 32;
      const from = Math.max(0, Math.floor(lastEnd) - keep);
      if (from > 0) pending = sliceBlock(pending, from);
    }
  }
  if (emitted === 0 && pending !== undefined) {
    for (const measurement of measureBlock(pending, options)) yield measurement;
  }
}
