/**
 * A COMTRADE record as a SampleSource: the mapped channels, in SI units (kV and kA scaled to V
 * and A), on a uniform time grid. A record with one declared rate is used as is (views, no
 * resampling); several rate segments or timestamp-only timing are resampled (4-point cubic Lagrange, see
 * resample.ts) to `resampleRateHz` (default: the highest segment rate, or the timestamps' mean rate).
 * Sample 0 is the record's first sample; block times are record-relative seconds.
 */
import { BlockSampleSource } from '../block-source.js';
import { createSampleBlock } from '../sample-block-views.js';
import type { SampleBlock } from '../sample-block.js';
import { resampleUniform, type Interpolation } from '../resample.js';
import { mapChannels, type ChannelMapping, type ChannelMappingOverride, type ChannelSlot } from './channel-mapping.js';
import { readComtrade, type ComtradeRecord, type ReadComtradeOptions } from './record.js';

export interface ComtradeSourceOptions extends ReadComtradeOptions {
  /** Override the channel-to-phase mapping (slot -> channel name or 1-based number; null = none). */
  mapping?: ChannelMappingOverride;
  /** Uniform rate for non-uniform records (default: highest segment rate / mean timestamp rate). */
  resampleRateHz?: number;
  interpolation?: Interpolation;
  /** Nominal frequency when the .cfg's lf is not 50 or 60 (default 50). */
  nominalFrequencyHz?: number;
}

/** Multiplier to SI for a unit with an optional k/m prefix (kV -> 1000, mA -> 0.001, V -> 1). */
export function unitScale(unit: string): number {
  const u = unit.trim();
  if (/^k[VA]$/i.test(u)) return 1000;
  if (/^m[VA]$/.test(u)) return 0.001;
  return 1;
}

export interface RecordBlock {
  readonly block: SampleBlock;
  readonly mapping: ChannelMapping;
  readonly resampled: boolean;
  readonly notes: readonly string[];
}

/** Builds the uniform three-phase block of a record (see the module comment). */
export function recordToSampleBlock(record: ComtradeRecord, options: ComtradeSourceOptions = {}): RecordBlock {
  const mapping = mapChannels(record.config.analog, options.mapping ?? {});
  const notes = [...mapping.notes, ...record.warnings];
  const n = record.sampleCount;
  const zeros = new Float64Array(n);
  const channel = (index: number | undefined): Float64Array => {
    if (index === undefined) return zeros;
    const values = record.analog[index] ?? zeros;
    const scale = unitScale(record.config.analog[index]?.unit ?? '');
    return scale === 1 ? values : values.map((v) => v * scale);
  };
  const slot = (s: ChannelSlot): Float64Array => channel(mapping.slots[s]);
  let voltage: [Float64Array, Float64Array, Float64Array] = [slot('ua'), slot('ub'), slot('uc')];
  if (mapping.derivedPhaseVoltages) {
    const line = (pair: 'u12' | 'u23' | 'u31'): Float64Array | undefined => {
      const found = mapping.lineVoltages[pair];
      if (found === undefined) return undefined;
      const values = channel(found.index);
      return found.sign === 1 ? values : values.map((v) => -v);
    };
    const u12 = line('u12');
    const u23 = line('u23');
    const u31 = line('u31');
    // Any two pairs give the third: u12 + u23 + u31 = 0.
    const a = u12 ?? (u23 && u31 ? u23.map((v, k) => -v - u31[k]) : zeros);
    const b = u23 ?? (u12 && u31 ? u12.map((v, k) => -v - u31[k]) : zeros);
    const ua = a.map((v, k) => (2 * v + b[k]) / 3);
    const ub = ua.map((v, k) => v - a[k]);
    const uc = ub.map((v, k) => v - b[k]);
    voltage = [ua, ub, uc];
  }
  const current: [Float64Array, Float64Array, Float64Array] = [slot('ia'), slot('ib'), slot('ic')];
  const neutral = mapping.slots.in === undefined ? undefined : slot('in');
  const skewed = record.config.analog.filter((c) => c.skewS !== 0);
  if (skewed.length > 0) notes.push(`channel skew ignored for ${skewed.map((c) => c.name.trim()).join(', ')}`);

  if (record.uniformRateHz !== undefined && options.resampleRateHz === undefined) {
    return {
      block: createSampleBlock({
        sampleRateHz: record.uniformRateHz,
        startTimeS: 0,
        voltage,
        current,
        ...(neutral ? { neutralCurrent: neutral } : {}),
      }),
      mapping,
      resampled: false,
      notes,
    };
  }
  const rate = options.resampleRateHz ?? Math.max(...record.segments.map((s) => s.rateHz));
  const all = [...voltage, ...current, ...(neutral ? [neutral] : [])];
  const { firstGridIndex, channels } = resampleUniform(record.timesS, all, rate, options.interpolation ?? 'cubic');
  const [ua, ub, uc, ia, ib, ic, inn] = channels;
  if (ua === undefined || ub === undefined || uc === undefined || ia === undefined || ib === undefined || ic === undefined) {
    throw new Error('resampling lost channels');
  }
  notes.push(
    `resampled from ${record.segments.length} segment(s)${record.segments[0]?.fromTimestamps ? ' (timestamps)' : ''} to ${rate} Hz (${options.interpolation ?? 'cubic'})`,
  );
  return {
    block: createSampleBlock({
      sampleRateHz: rate,
      startTimeS: firstGridIndex / rate,
      voltage: [ua, ub, uc],
      current: [ia, ib, ic],
      ...(inn ? { neutralCurrent: inn } : {}),
    }),
    mapping,
    resampled: true,
    notes,
  };
}

/** A COMTRADE recording as a finite SampleSource (wrap with loopSource to repeat it). */
export class ComtradeSource extends BlockSampleSource {
  readonly mapping: ChannelMapping;
  readonly notes: readonly string[];
  readonly resampled: boolean;

  constructor(
    readonly record: ComtradeRecord,
    options: ComtradeSourceOptions = {},
  ) {
    const built = recordToSampleBlock(record, options);
    const lf = record.config.lineFrequencyHz;
    const nominal = options.nominalFrequencyHz ?? (lf === 50 || lf === 60 ? lf : 50);
    super(built.block, `comtrade:${record.file}`, nominal);
    this.mapping = built.mapping;
    this.resampled = built.resampled;
    this.notes = lf === 50 || lf === 60 || options.nominalFrequencyHz !== undefined ? built.notes : [...built.notes, `line frequency '${lf}' in the .cfg: assuming ${nominal} Hz`];
  }
}

/** Reads a .cfg/.dat pair or a .cff and returns it as a SampleSource. */
export function openComtradeSource(file: string, options: ComtradeSourceOptions = {}): ComtradeSource {
  return new ComtradeSource(readComtrade(file, options), options);
}
