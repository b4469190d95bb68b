/**
 * The COMTRADE configuration (.cfg), IEEE C37.111 1991, 1999 and 2013, and its parser.
 *
 * Layout (one record per line, comma-separated, fields trimmed):
 *   station_name, rec_dev_id[, rev_year]           rev_year absent: 1991
 *   TT, ##A, ##D                                   total, analog and digital channel counts
 *   An, ch_id, ph, ccbm, uu, a, b, skew, min, max[, primary, secondary, PS]   per analog channel
 *   Dn, ch_id, ph, ccbm, y   (1991: Dn, ch_id, y)  per digital channel
 *   lf                                             line frequency (Hz)
 *   nrates                                         number of sample rates (0: timestamps only)
 *   samp, endsamp                                  per rate (at least one line even when nrates = 0)
 *   dd/mm/yyyy, hh:mm:ss.ssssss                    first data point (1991: mm/dd/yy)
 *   dd/mm/yyyy, hh:mm:ss.ssssss                    trigger point
 *   ft                                             ASCII | BINARY | BINARY32 | FLOAT32 (1999+; 1991: ASCII/BINARY)
 *   timemult                                       timestamp multiplier (1999+; default 1)
 *   time_code, local_code                          2013 only (e.g. -5h30,-5h30)
 *   tmq_code, leapsec                              2013 only
 * Analog values: value = a * raw + b, in the unit `uu`, on the side (primary/secondary) named by PS.
 */
import { WaveformFileError } from '../waveform-file-error.js';
import { shortText } from '../../common/excerpt.js';
import { parseComtradeDateTime, type ComtradeDateTime } from './date-time.js';

export type ComtradeRevision = '1991' | '1999' | '2013';
export type ComtradeFileType = 'ASCII' | 'BINARY' | 'BINARY32' | 'FLOAT32';

export interface ComtradeAnalogChannel {
  /** An, as written (1-based). */
  readonly number: number;
  readonly name: string;
  /** Phase identification field `ph` (may be empty). */
  readonly phase: string;
  /** Circuit component being monitored. */
  readonly circuit: string;
  readonly unit: string;
  readonly multiplier: number;
  readonly offset: number;
  /** Time skew from the start of the sample period (s; written in microseconds). */
  readonly skewS: number;
  readonly min: number;
  readonly max: number;
  /** Transformer ratio primary:secondary (1:1 when absent). */
  readonly primary: number;
  readonly secondary: number;
  /** Whether a * raw + b gives primary ('P') or secondary ('S') values. */
  readonly recordedSide: 'P' | 'S';
}

export interface ComtradeDigitalChannel {
  readonly number: number;
  readonly name: string;
  readonly phase: string;
  readonly circuit: string;
  readonly normalState: number;
}

export interface ComtradeSampleRate {
  /** Samples per second (0: use the timestamps). */
  readonly rateHz: number;
  /** Last sample number (1-based, cumulative) at this rate. */
  readonly endSample: number;
}

export interface ComtradeConfig {
  readonly file: string;
  /** Encoding the .cfg text was decoded with (latin1 when it was not valid UTF-8). */
  readonly encoding: 'utf-8' | 'latin1';
  readonly stationName: string;
  readonly deviceId: string;
  /** rev_year as written ('1991' when absent). */
  readonly revisionYear: string;
  /** The standard the file follows: 1991 (and anything before 1999), 1999 (1999..2012) or 2013. */
  readonly revision: ComtradeRevision;
  readonly analog: readonly ComtradeAnalogChannel[];
  readonly digital: readonly ComtradeDigitalChannel[];
  readonly lineFrequencyHz: number;
  /** The declared rates; empty when nrates = 0. */
  readonly sampleRates: readonly ComtradeSampleRate[];
  /** The endsamp of the line that follows nrates = 0 (the declared sample count), if any. */
  readonly declaredSampleCount: number | undefined;
  readonly startTime: ComtradeDateTime;
  readonly triggerTime: ComtradeDateTime;
  readonly fileType: ComtradeFileType;
  readonly timeMultiplier: number;
  /** 2013: time_code and local_code (e.g. '-5h30'). */
  readonly timeCode: string | undefined;
  readonly localCode: string | undefined;
  /** 2013: time quality code and leap second indicator. */
  readonly timeQualityCode: string | undefined;
  readonly leapSecond: string | undefined;
  /**
   * Seconds per timestamp unit: 1e-6 (microseconds), or 1e-9 when the start time is written with
   * nanosecond precision (more than 6 fraction digits, C37.111-2013), times timemult.
   */
  readonly timestampUnitS: number;
}

class LineReader {
  private index = 0;
  constructor(
    private readonly file: string,
    private readonly lines: readonly string[],
  ) {}

  get lineNumber(): number {
    return this.index + 1;
  }

  /** The next line's fields, or an error naming what was expected. */
  next(what: string): { fields: string[]; line: number } {
    const text = this.lines[this.index];
    if (text === undefined) throw new WaveformFileError(this.file, this.index + 1, what, `file ends before ${what}`);
    this.index += 1;
    return { fields: text.split(',').map((f) => f.trim()), line: this.index };
  }

  /** The next line if there is a non-empty one, without failing at the end. */
  optional(): { fields: string[]; line: number } | undefined {
    const text = this.lines[this.index];
    if (text === undefined || text.trim() === '') return undefined;
    this.index += 1;
    return { fields: text.split(',').map((f) => f.trim()), line: this.index };
  }
}

function number(file: string, line: number, field: string, text: string | undefined, fallback?: number): number {
  if (text === undefined || text === '') {
    if (fallback !== undefined) return fallback;
    throw new WaveformFileError(file, line, field, 'missing number');
  }
  const value = Number(text);
  if (!Number.isFinite(value)) throw new WaveformFileError(file, line, field, `not a number: '${shortText(text, 20)}'`);
  return value;
}

function count(file: string, line: number, field: string, text: string | undefined, suffix: string): number {
  const match = /^(\d+)\s*([A-Za-z]?)$/.exec(text ?? '');
  if (match === null || (match[2] !== '' && match[2]?.toUpperCase() !== suffix)) {
    throw new WaveformFileError(file, line, field, `expected a count like '4${suffix}', got '${shortText(text ?? '', 20)}'`);
  }
  return Number(match[1]);
}

function revisionOf(year: string): ComtradeRevision {
  const y = Number(year);
  if (!Number.isFinite(y) || y < 1999) return '1991';
  return y >= 2013 ? '2013' : '1999';
}

const FILE_TYPES: readonly ComtradeFileType[] = ['ASCII', 'BINARY', 'BINARY32', 'FLOAT32'];

/** Parses .cfg text. `file` is used in error messages. */
export function parseComtradeConfig(text: string, file: string, encoding: 'utf-8' | 'latin1' = 'utf-8'): ComtradeConfig {
  const lines = text.split(/\r\n|\r|\n/);
  const reader = new LineReader(file, lines);

  const first = reader.next('station_name,rec_dev_id,rev_year');
  const stationName = first.fields[0] ?? '';
  const deviceId = first.fields[1] ?? '';
  const revisionYear = first.fields[2] !== undefined && first.fields[2] !== '' ? first.fields[2] : '1991';
  const revision = revisionOf(revisionYear);

  const counts = reader.next('TT,##A,##D');
  if (counts.fields.length < 3 || !/^\d+$/.test(counts.fields[0] ?? '')) {
    // Not a COMTRADE file at all (a wrong path, /etc/passwd): say so without quoting its content.
    throw new WaveformFileError(file, counts.line, 'TT,##A,##D', 'not a COMTRADE configuration: line 2 should hold the channel counts, like "4,4A,0D"');
  }
  const total = number(file, counts.line, 'TT', counts.fields[0]);
  const analogCount = count(file, counts.line, '##A', counts.fields[1], 'A');
  const digitalCount = count(file, counts.line, '##D', counts.fields[2], 'D');
  if (total !== analogCount + digitalCount) {
    throw new WaveformFileError(file, counts.line, 'TT', `total ${total} is not ${analogCount}A + ${digitalCount}D`);
  }

  const analog: ComtradeAnalogChannel[] = [];
  for (let k = 0; k < analogCount; k++) {
    const { fields, line } = reader.next(`analog channel ${k + 1}`);
    if (fields.length < 10) {
      throw new WaveformFileError(file, line, `analog channel ${k + 1}`, `expected at least 10 fields, got ${fields.length}`);
    }
    const field = (name: string): string => `analog channel ${k + 1} ${name}`;
    const side = (fields[12] ?? 'P').toUpperCase();
    if (side !== 'P' && side !== 'S' && side !== '') {
      throw new WaveformFileError(file, line, field('PS'), `expected P or S, got '${fields[12] ?? ''}'`);
    }
    const primary = number(file, line, field('primary'), fields[10], 1);
    const secondary = number(file, line, field('secondary'), fields[11], 1);
    analog.push({
      number: number(file, line, field('An'), fields[0]),
      name: fields[1] ?? '',
      phase: fields[2] ?? '',
      circuit: fields[3] ?? '',
      unit: fields[4] ?? '',
      multiplier: number(file, line, field('a'), fields[5]),
      offset: number(file, line, field('b'), fields[6], 0),
      skewS: number(file, line, field('skew'), fields[7], 0) * 1e-6,
      min: number(file, line, field('min'), fields[8], Number.NEGATIVE_INFINITY),
      max: number(file, line, field('max'), fields[9], Number.POSITIVE_INFINITY),
      primary: primary === 0 ? 1 : primary,
      secondary: secondary === 0 ? 1 : secondary,
      recordedSide: side === 'S' ? 'S' : 'P',
    });
  }
  const digital: ComtradeDigitalChannel[] = [];
  for (let k = 0; k < digitalCount; k++) {
    const { fields, line } = reader.next(`digital channel ${k + 1}`);
    const short = fields.length <= 3; // 1991: Dn, ch_id, y
    digital.push({
      number: number(file, line, `digital channel ${k + 1} Dn`, fields[0]),
      name: fields[1] ?? '',
      phase: short ? '' : (fields[2] ?? ''),
      circuit: short ? '' : (fields[3] ?? ''),
      normalState: number(file, line, `digital channel ${k + 1} y`, short ? fields[2] : fields[4], 0),
    });
  }

  const lf = reader.next('lf');
  const lineFrequencyHz = number(file, lf.line, 'lf', lf.fields[0], 0);
  const nratesLine = reader.next('nrates');
  const nrates = number(file, nratesLine.line, 'nrates', nratesLine.fields[0]);
  if (!Number.isInteger(nrates) || nrates < 0) {
    throw new WaveformFileError(file, nratesLine.line, 'nrates', `expected a count, got '${nratesLine.fields[0] ?? ''}'`);
  }
  const sampleRates: ComtradeSampleRate[] = [];
  let declaredSampleCount: number | undefined;
  for (let k = 0; k < Math.max(nrates, 1); k++) {
    const { fields, line } = reader.next(`samp,endsamp ${k + 1}`);
    // A date in place of samp,endsamp: nrates = 0 files that omit the line.
    if (nrates === 0 && (fields[0] ?? '').includes('/')) {
      throw new WaveformFileError(file, line, 'samp,endsamp', 'nrates = 0 must still be followed by a "0,endsamp" line');
    }
    const rateHz = number(file, line, `samp ${k + 1}`, fields[0]);
    const endSample = number(file, line, `endsamp ${k + 1}`, fields[1]);
    if (rateHz < 0) throw new WaveformFileError(file, line, `samp ${k + 1}`, `negative sample rate ${rateHz}`);
    if (nrates === 0) declaredSampleCount = endSample;
    else {
      const previous = sampleRates[sampleRates.length - 1];
      if (previous !== undefined && endSample < previous.endSample) {
        throw new WaveformFileError(file, line, `endsamp ${k + 1}`, `endsamp ${endSample} is before the previous ${previous.endSample}`);
      }
      sampleRates.push({ rateHz, endSample });
      declaredSampleCount = endSample;
    }
  }
  const startLine = reader.next('start date');
  const startTime = parseComtradeDateTime(file, startLine.line, 'start date', startLine.fields);
  const triggerLine = reader.next('trigger date');
  const triggerTime = parseComtradeDateTime(file, triggerLine.line, 'trigger date', triggerLine.fields);
  const ftLine = reader.optional();
  const ftText = (ftLine?.fields[0] ?? 'ASCII').toUpperCase();
  const fileType = FILE_TYPES.find((t) => t === ftText);
  if (fileType === undefined) {
    throw new WaveformFileError(file, ftLine?.line ?? reader.lineNumber, 'ft', `unknown file type '${ftLine?.fields[0] ?? ''}' (ASCII, BINARY, BINARY32, FLOAT32)`);
  }
  const multLine = reader.optional();
  const timeMultiplier = multLine === undefined ? 1 : number(file, multLine.line, 'timemult', multLine.fields[0], 1);
  const codes = reader.optional();
  const quality = codes === undefined ? undefined : reader.optional();
  const nanoseconds = startTime.fractionDigits > 6;
  return {
    file,
    encoding,
    stationName,
    deviceId,
    revisionYear,
    revision,
    analog,
    digital,
    lineFrequencyHz,
    sampleRates,
    declaredSampleCount,
    startTime,
    triggerTime,
    fileType,
    timeMultiplier: timeMultiplier === 0 ? 1 : timeMultiplier,
    timeCode: codes?.fields[0],
    localCode: codes?.fields[1],
    timeQualityCode: quality?.fields[0],
    leapSecond: quality?.fields[1],
    timestampUnitS: (nanoseconds ? 1e-9 : 1e-6) * (timeMultiplier === 0 ? 1 : timeMultiplier),
  };
}
