/**
 * COMTRADE data (.dat) readers for the four file types. Each returns, per sample (row/record):
 * the sample number, the raw timestamp (NaN when empty or missing), the analog values already
 * scaled by a * raw + b (NaN for missing values), and the digital states.
 *
 * ASCII: one row per sample, `n, timestamp, A1..An, D1..Dm`; empty lines are ignored; an analog
 *   field that is empty or holds 99999 is missing; an empty timestamp is missing.
 * BINARY / BINARY32 / FLOAT32 (little-endian records): uint32 n, uint32 timestamp
 *   (0xFFFFFFFF = missing), per analog int16 / int32 / float32 (missing: 0x8000 / 0x80000000 / NaN),
 *   then ceil(D / 16) uint16 words of digital states (bit k of word w = channel 16 w + k).
 */
import { WaveformFileError } from '../waveform-file-error.js';
import { shortText } from '../../common/excerpt.js';
import type { ComtradeConfig } from './config.js';

export interface ComtradeData {
  readonly sampleNumbers: Float64Array;
  /** Raw timestamps in the file's unit (see ComtradeConfig.timestampUnitS); NaN when missing. */
  readonly timestamps: Float64Array;
  /** a * raw + b per analog channel, on the recorded side; NaN for missing values. */
  readonly analog: Float64Array[];
  readonly digital: Uint8Array[];
  readonly warnings: string[];
}

const ASCII_MISSING = 99999;

/** Reads ASCII data. `firstLine` is the line number of text's first line in its file (for .cff). */
export function readAsciiData(config: ComtradeConfig, text: string, file: string, firstLine = 1): ComtradeData {
  const analogCount = config.analog.length;
  const digitalCount = config.digital.length;
  const lines = text.split(/\r\n|\r|\n/);
  const rows: { fields: string[]; line: number }[] = [];
  lines.forEach((l, k) => {
    if (l.trim() !== '' && l !== '\u001a') rows.push({ fields: l.split(','), line: firstLine + k });
  });
  const n = rows.length;
  const sampleNumbers = new Float64Array(n);
  const timestamps = new Float64Array(n);
  const analog = config.analog.map(() => new Float64Array(n));
  const digital = config.digital.map(() => new Uint8Array(n));
  const expected = 2 + analogCount + digitalCount;
  rows.forEach(({ fields, line }, r) => {
    if (fields.length < expected) {
      throw new WaveformFileError(file, line, `sample ${r + 1}`, `expected ${expected} fields, got ${fields.length}`);
    }
    const parse = (text: string | undefined, field: string): number => {
      const value = Number(text);
      if (text === undefined || text.trim() === '' || !Number.isFinite(value)) {
        throw new WaveformFileError(file, line, field, `not a number: '${shortText(text ?? '', 20)}'`);
      }
      return value;
    };
    sampleNumbers[r] = parse(fields[0], 'n');
    const ts = (fields[1] ?? '').trim();
    timestamps[r] = ts === '' ? Number.NaN : parse(ts, 'timestamp');
    for (let a = 0; a < analogCount; a++) {
      const channel = config.analog[a];
      const raw = (fields[2 + a] ?? '').trim();
      const column = analog[a];
      if (channel === undefined || column === undefined) continue;
      if (raw === '') {
        column[r] = Number.NaN;
        continue;
      }
      const value = parse(raw, `analog ${a + 1} (${channel.name})`);
      column[r] = value === ASCII_MISSING ? Number.NaN : channel.multiplier * value + channel.offset;
    }
    for (let d = 0; d < digitalCount; d++) {
      const raw = (fields[2 + analogCount + d] ?? '').trim();
      const column = digital[d];
      if (column === undefined) continue;
      column[r] = raw === '' ? 0 : parse(raw, `digital ${d + 1} (${config.digital[d]?.name ?? ''})`) === 0 ? 0 : 1;
    }
  });
  return { sampleNumbers, timestamps, analog, digital, warnings: [] };
}

/** Reads BINARY, BINARY32 or FLOAT32 data from bytes. */
export function readBinaryData(config: ComtradeConfig, bytes: Uint8Array, file: string): ComtradeData {
  const type = config.fileType;
  const width = type === 'BINARY' ? 2 : 4;
  const analogCount = config.analog.length;
  const digitalWords = Math.ceil(config.digital.length / 16);
  const recordBytes = 8 + analogCount * width + digitalWords * 2;
  const warnings: string[] = [];
  const n = Math.floor(bytes.length / recordBytes);
  const trailing = bytes.length - n * recordBytes;
  if (trailing !== 0) {
    if (n === 0) {
      throw new WaveformFileError(file, 1, 'record', `${bytes.length} bytes is less than one ${recordBytes}-byte ${type} record`);
    }
    warnings.push(`${file}: ${trailing} trailing bytes after ${n} records of ${recordBytes} bytes ignored`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sampleNumbers = new Float64Array(n);
  const timestamps = new Float64Array(n);
  const analog = config.analog.map(() => new Float64Array(n));
  const digital = config.digital.map(() => new Uint8Array(n));
  const scale = config.analog.map((c) => c.multiplier);
  const offset = config.analog.map((c) => c.offset);
  for (let r = 0; r < n; r++) {
    const base = r * recordBytes;
    sampleNumbers[r] = view.getUint32(base, true);
    const ts = view.getUint32(base + 4, true);
    timestamps[r] = ts === 0xffffffff ? Number.NaN : ts;
    for (let a = 0; a < analogCount; a++) {
      const at = base + 8 + a * width;
      let value: number;
      if (type === 'BINARY') {
        const raw = view.getInt16(at, true);
        value = raw === -32768 ? Number.NaN : raw;
      } else if (type === 'BINARY32') {
        const raw = view.getInt32(at, true);
        value = raw === -2147483648 ? Number.NaN : raw;
      } else {
        value = view.getFloat32(at, true);
      }
      analog[a][r] = scale[a] * value + offset[a];
    }
    for (let d = 0; d < config.digital.length; d++) {
      const word = view.getUint16(base + 8 + analogCount * width + 2 * Math.floor(d / 16), true);
      digital[d][r] = (word >> d % 16) & 1;
    }
  }
  return { sampleNumbers, timestamps, analog, digital, warnings };
}
