/**
 * Plain CSV waveforms: a header row naming the columns, then one row per sample.
 * Required columns (any order, case-insensitive): time (s), ua, ub, uc (V), ia, ib, ic (A);
 * optional: in (A, measured neutral). Other columns are ignored. Lines starting with '#' and
 * empty lines are skipped. An empty field or NaN is a missing value (NaN in the block).
 * Times must increase. When they are uniform (every step within 1e-6 of the mean step, relative)
 * the rate is (n - 1) / (t_last - t_first); otherwise the record is resampled (4-point cubic Lagrange) to
 * its mean rate, or to `resampleRateHz`.
 */
import { readFileSync } from 'node:fs';
import { BlockSampleSource } from '../block-source.js';
import { resampleUniform, type Interpolation } from '../resample.js';
import { createSampleBlock } from '../sample-block-views.js';
import { decodeText } from '../text-decoding.js';
import { WaveformFileError } from '../waveform-file-error.js';
import { errorMessage } from '../../common/error-message.js';

const REQUIRED = ['time', 'ua', 'ub', 'uc', 'ia', 'ib', 'ic'] as const;

export interface CsvSourceOptions {
  /** Line frequency (default 50). */
  nominalFrequencyHz?: number;
  resampleRateHz?: number;
  interpolation?: Interpolation;
}

export interface CsvColumns {
  readonly time: Float64Array;
  readonly ua: Float64Array;
  readonly ub: Float64Array;
  readonly uc: Float64Array;
  readonly ia: Float64Array;
  readonly ib: Float64Array;
  readonly ic: Float64Array;
  readonly in: Float64Array | undefined;
}

/** Parses CSV text into columns; `file` is used in error messages. */
export function parseWaveformCsv(text: string, file: string): CsvColumns {
  const lines = text.split(/\r\n|\r|\n/);
  let headerLine = -1;
  for (let k = 0; k < lines.length; k++) {
    const l = (lines[k] ?? '').trim();
    if (l !== '' && !l.startsWith('#')) {
      headerLine = k;
      break;
    }
  }
  if (headerLine === -1) throw new WaveformFileError(file, undefined, 'header', 'no header row (time,ua,ub,uc,ia,ib,ic)');
  const names = (lines[headerLine] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const index = (name: string): number => names.indexOf(name);
  for (const name of REQUIRED) {
    if (index(name) === -1) {
      throw new WaveformFileError(file, headerLine + 1, name, `header has no '${name}' column (found: ${names.join(', ')})`);
    }
  }
  const hasNeutral = index('in') !== -1;
  const rows: number[][] = [];
  const wanted = [...REQUIRED, ...(hasNeutral ? ['in'] : [])];
  const columns = wanted.map(index);
  for (let k = headerLine + 1; k < lines.length; k++) {
    const raw = lines[k] ?? '';
    const l = raw.trim();
    if (l === '' || l.startsWith('#')) continue;
    const fields = raw.split(',');
    const row = columns.map((c, q) => {
      const name = wanted[q] ?? '';
      const f = (fields[c] ?? '').trim();
      if (c >= fields.length) throw new WaveformFileError(file, k + 1, name, `row has ${fields.length} fields, '${name}' is column ${c + 1}`);
      if (f === '' || f.toLowerCase() === 'nan') {
        if (name === 'time') throw new WaveformFileError(file, k + 1, name, 'empty time');
        return Number.NaN;
      }
      const v = Number(f);
      if (!Number.isFinite(v)) throw new WaveformFileError(file, k + 1, name, `not a number: '${f}'`);
      return v;
    });
    const previous = rows[rows.length - 1];
    if (previous !== undefined && (row[0] ?? 0) <= (previous[0] ?? 0)) {
      throw new WaveformFileError(file, k + 1, 'time', `time ${row[0]} does not increase (previous ${previous[0]})`);
    }
    rows.push(row);
  }
  if (rows.length < 2) throw new WaveformFileError(file, undefined, 'rows', `needs at least two samples, found ${rows.length}`);
  const column = (q: number): Float64Array => Float64Array.from(rows, (r) => r[q] ?? Number.NaN);
  return {
    time: column(0),
    ua: column(1),
    ub: column(2),
    uc: column(3),
    ia: column(4),
    ib: column(5),
    ic: column(6),
    in: hasNeutral ? column(7) : undefined,
  };
}

/** A CSV recording as a finite SampleSource (wrap with loopSource to repeat it). */
export class CsvSource extends BlockSampleSource {
  readonly resampled: boolean;

  constructor(
    readonly file: string,
    columns: CsvColumns,
    options: CsvSourceOptions = {},
  ) {
    const n = columns.time.length;
    const t0 = columns.time[0];
    const span = columns.time[n - 1] - t0;
    const step = span / (n - 1);
    let uniform = true;
    for (let k = 1; k < n; k++) {
      if (Math.abs(columns.time[k] - columns.time[k - 1] - step) > 1e-6 * step) {
        uniform = false;
        break;
      }
    }
    const channels = [columns.ua, columns.ub, columns.uc, columns.ia, columns.ib, columns.ic, ...(columns.in ? [columns.in] : [])];
    let rate = (n - 1) / span;
    let startTimeS = t0;
    let resampled = false;
    if (!uniform || options.resampleRateHz !== undefined) {
      rate = options.resampleRateHz ?? rate;
      const relative = columns.time.map((t) => t - t0);
      const result = resampleUniform(relative, channels, rate, options.interpolation ?? 'cubic');
      channels.splice(0, channels.length, ...result.channels);
      startTimeS = t0 + result.firstGridIndex / rate;
      resampled = true;
    }
    const [ua, ub, uc, ia, ib, ic, inn] = channels;
    if (ua === undefined || ub === undefined || uc === undefined || ia === undefined || ib === undefined || ic === undefined) {
      throw new Error('CSV channels lost');
    }
    const block = createSampleBlock({
      sampleRateHz: rate,
      startTimeS,
      voltage: [ua, ub, uc],
      current: [ia, ib, ic],
      ...(inn ? { neutralCurrent: inn } : {}),
    });
    super(block, `csv:${file}`, options.nominalFrequencyHz ?? 50);
    this.resampled = resampled;
  }
}

/** Reads a CSV file (UTF-8 or latin1) as a SampleSource. */
export function openCsvSource(file: string, options: CsvSourceOptions = {}): CsvSource {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new WaveformFileError(file, undefined, undefined, `cannot read: ${errorMessage(error)}`);
  }
  return new CsvSource(file, parseWaveformCsv(decodeText(bytes).text, file), options);
}
