/**
 * Reading a whole COMTRADE record (.cfg + .dat, or one .cff) into memory: configuration, sample
 * times, analog values on the chosen side (primary or secondary), digital states.
 *
 * Sample times (seconds after the first sample):
 * - nrates >= 1 with every samp > 0: from the rates. Segment i holds samples endsamp(i-1)+1 ..
 *   endsamp(i); inside it samples are 1/samp(i) apart, and its first sample is 1/samp(i) after the
 *   previous segment's last. Timestamps in the data are then ignored (the standard's rule).
 * - nrates = 0, or a rate of 0: from the timestamps, t = timestamp * timemult * unit (unit 1 us, or
 *   1 ns when the start time has nanosecond precision). Empty/missing timestamps are interpolated
 *   linearly from their neighbours by sample position.
 * Values: `values: 'primary'` (default) converts secondary recordings by primary/secondary,
 * 'secondary' converts primary recordings by secondary/primary, 'recorded' leaves them.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { readdirSync } from 'node:fs';
import { decodeText } from '../text-decoding.js';
import { WaveformFileError } from '../waveform-file-error.js';
import { splitCff } from './cff.js';
import { parseComtradeConfig, type ComtradeConfig } from './config.js';
import { readAsciiData, readBinaryData, type ComtradeData } from './data.js';
import { errorMessage } from '../../common/error-message.js';

export type ValueSide = 'primary' | 'secondary' | 'recorded';

export interface ComtradeSegment {
  /** 0-based index of the segment's first sample. */
  readonly firstIndex: number;
  readonly count: number;
  /** Declared rate, or the mean rate of the timestamps (fromTimestamps). */
  readonly rateHz: number;
  readonly fromTimestamps: boolean;
}

export interface ComtradeRecord {
  /** Path of the .cfg or .cff. */
  readonly file: string;
  readonly config: ComtradeConfig;
  readonly sampleCount: number;
  readonly sampleNumbers: Float64Array;
  /** Seconds after the first sample. */
  readonly timesS: Float64Array;
  /** Per analog channel (config.analog order), on `side`; NaN = missing value. */
  readonly analog: readonly Float64Array[];
  readonly digital: readonly Uint8Array[];
  readonly segments: readonly ComtradeSegment[];
  readonly side: ValueSide;
  /** The rate when the record is uniformly sampled at one declared rate, else undefined. */
  readonly uniformRateHz: number | undefined;
  readonly headerText: string | undefined;
  readonly warnings: readonly string[];
}

export interface ReadComtradeOptions {
  values?: ValueSide;
}

function findSibling(file: string, extension: string): string | undefined {
  const dir = dirname(file);
  const stem = basename(file, extname(file));
  const wanted = `${stem}.${extension}`.toLowerCase();
  const found = readdirSync(dir).find((name) => name.toLowerCase() === wanted);
  return found === undefined ? undefined : join(dir, found);
}

function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    const reason = errorMessage(error);
    throw new WaveformFileError(file, undefined, undefined, `cannot read: ${reason}`);
  }
}

/** Reads a COMTRADE record from a .cfg (with its .dat beside it, any letter case) or a .cff. */
export function readComtrade(file: string, options: ReadComtradeOptions = {}): ComtradeRecord {
  const extension = extname(file).toLowerCase();
  let config: ComtradeConfig;
  let data: ComtradeData;
  let headerText: string | undefined;
  if (extension === '.cff') {
    const sections = splitCff(readBytes(file), file);
    try {
      config = parseComtradeConfig(sections.cfg.text, file, sections.cfg.encoding);
    } catch (error) {
      throw shiftLine(error, sections.cfg.firstLine - 1);
    }
    headerText = sections.hdr;
    if (config.fileType === 'ASCII') {
      data = readAsciiData(config, decodeText(sections.dat.bytes).text, file, sections.dat.firstLine);
    } else {
      data = readBinaryData(config, sections.dat.bytes, file);
    }
  } else {
    const cfgFile = extension === '.dat' ? (findSibling(file, 'cfg') ?? file) : file;
    const cfgText = decodeText(readBytes(cfgFile));
    config = parseComtradeConfig(cfgText.text, cfgFile, cfgText.encoding);
    const datFile = findSibling(cfgFile, 'dat');
    if (datFile === undefined) throw new WaveformFileError(cfgFile, undefined, 'DAT', 'no .dat file beside the .cfg');
    const hdrFile = findSibling(cfgFile, 'hdr');
    headerText = hdrFile === undefined ? undefined : decodeText(readBytes(hdrFile)).text;
    const bytes = readBytes(datFile);
    data = config.fileType === 'ASCII' ? readAsciiData(config, decodeText(bytes).text, datFile) : readBinaryData(config, bytes, datFile);
    file = cfgFile;
  }
  return assembleRecord(file, config, data, options.values ?? 'primary', headerText);
}

function shiftLine(error: unknown, by: number): unknown {
  if (error instanceof WaveformFileError && error.line !== undefined) {
    return new WaveformFileError(error.file, error.line + by, error.field, error.detail);
  }
  return error;
}

/** Combines a parsed configuration and data into a record (exported for in-memory use and tests). */
export function assembleRecord(
  file: string,
  config: ComtradeConfig,
  data: ComtradeData,
  side: ValueSide,
  headerText?: string,
): ComtradeRecord {
  const warnings = [...data.warnings];
  const n = data.sampleNumbers.length;
  if (n === 0) throw new WaveformFileError(file, undefined, 'DAT', 'the data holds no samples');
  if (config.declaredSampleCount !== undefined && config.declaredSampleCount !== n) {
    warnings.push(`${file}: the configuration declares ${config.declaredSampleCount} samples, the data holds ${n}`);
  }
  const useRates = config.sampleRates.length > 0 && config.sampleRates.every((r) => r.rateHz > 0);
  const timesS = new Float64Array(n);
  const segments: ComtradeSegment[] = [];
  if (useRates) {
    let first = 0;
    let t = 0;
    config.sampleRates.forEach((rate, k) => {
      const last = k === config.sampleRates.length - 1 ? n : Math.min(n, rate.endSample);
      if (last <= first) return;
      for (let i = first; i < last; i++) {
        if (i > 0) t += 1 / rate.rateHz;
        timesS[i] = t;
      }
      segments.push({ firstIndex: first, count: last - first, rateHz: rate.rateHz, fromTimestamps: false });
      first = last;
    });
  } else {
    fillTimesFromTimestamps(file, config, data, timesS);
    const span = (timesS[n - 1] ?? 0) - (timesS[0] ?? 0);
    segments.push({ firstIndex: 0, count: n, rateHz: n > 1 && span > 0 ? (n - 1) / span : 0, fromTimestamps: true });
  }
  const analog = config.analog.map((channel, a) => {
    const values = data.analog[a] ?? new Float64Array(n);
    let factor = 1;
    if (side === 'primary' && channel.recordedSide === 'S') factor = channel.primary / channel.secondary;
    if (side === 'secondary' && channel.recordedSide === 'P') factor = channel.secondary / channel.primary;
    if (factor !== 1) for (let i = 0; i < n; i++) values[i] *= factor;
    return values;
  });
  const only = segments.length === 1 ? segments[0] : undefined;
  return {
    file,
    config,
    sampleCount: n,
    sampleNumbers: data.sampleNumbers,
    timesS,
    analog,
    digital: data.digital,
    segments,
    side,
    uniformRateHz: only !== undefined && !only.fromTimestamps ? only.rateHz : undefined,
    headerText,
    warnings,
  };
}

function fillTimesFromTimestamps(file: string, config: ComtradeConfig, data: ComtradeData, timesS: Float64Array): void {
  const n = timesS.length;
  const known: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(data.timestamps[i])) known.push(i);
  if (known.length < 2) {
    throw new WaveformFileError(file, undefined, 'timestamp', 'nrates = 0 (or samp = 0) but fewer than two samples carry a timestamp');
  }
  for (let k = 1; k < known.length; k++) {
    const a = known[k - 1] ?? 0;
    const b = known[k] ?? 0;
    if ((data.timestamps[b] ?? 0) <= (data.timestamps[a] ?? 0)) {
      throw new WaveformFileError(file, b + 1, 'timestamp', `timestamp ${data.timestamps[b]} does not increase (previous ${data.timestamps[a]})`);
    }
  }
  const unit = config.timestampUnitS;
  const origin = data.timestamps[known[0] ?? 0] ?? 0;
  let right = 1; // index into `known` of the first known sample after i (kept >= 1)
  for (let i = 0; i < n; i++) {
    const ts = data.timestamps[i];
    if (ts !== undefined && !Number.isNaN(ts)) {
      timesS[i] = (ts - origin) * unit;
      continue;
    }
    // Interpolate (or extrapolate at the ends) from the nearest known neighbours.
    while (right < known.length - 1 && (known[right] ?? 0) < i) right++;
    const ia = known[right - 1] ?? 0;
    const ib = known[right] ?? 0;
    const ta = (data.timestamps[ia] ?? 0) - origin;
    const tb = (data.timestamps[ib] ?? 0) - origin;
    timesS[i] = (ta + ((tb - ta) * (i - ia)) / (ib - ia)) * unit;
  }
}
