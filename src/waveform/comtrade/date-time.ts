/**
 * COMTRADE date/time fields: 1999/2013 `dd/mm/yyyy,hh:mm:ss.ssssss` (up to 9 fraction digits in
 * 2013), 1991 `mm/dd/yy,hh:mm:ss.ssssss`. The year's digit count tells the two apart.
 */
import { WaveformFileError } from '../waveform-file-error.js';

export interface ComtradeDateTime {
  /** As written ("25/05/2017,08:13:16.587000"). */
  readonly text: string;
  /** Seconds since the Unix epoch, reading the fields as UTC (COMTRADE local time: see timeCode). */
  readonly epochS: number;
  /** Digits after the seconds' decimal point (6 = microseconds, 9 = nanoseconds). */
  readonly fractionDigits: number;
}

export function parseComtradeDateTime(file: string, line: number, field: string, fields: readonly string[]): ComtradeDateTime {
  const date = fields[0] ?? '';
  const time = fields[1] ?? '';
  const text = `${date},${time}`;
  const d = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(date);
  const t = /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?$/.exec(time);
  if (d === null || t === null) {
    // Some recorders leave the dates empty or zero: keep going with the epoch.
    if (date === '' || /^0+\/0+\/0+$/.test(date)) return { text, epochS: 0, fractionDigits: 6 };
    throw new WaveformFileError(file, line, field, `expected dd/mm/yyyy,hh:mm:ss.ssssss, got '${text}'`);
  }
  const [, p1, p2, y] = d;
  const fourDigitYear = (y ?? '').length === 4;
  const day = Number(fourDigitYear ? p1 : p2);
  const month = Number(fourDigitYear ? p2 : p1);
  const year = fourDigitYear ? Number(y) : 1900 + Number(y) + (Number(y) < 70 ? 100 : 0);
  const fraction = t[4] ?? '';
  const seconds = Number(t[3]) + (fraction === '' ? 0 : Number(`0.${fraction}`));
  const epochS = Date.UTC(year, month - 1, day, Number(t[1]), Number(t[2]), 0) / 1000 + seconds;
  if (!Number.isFinite(epochS)) throw new WaveformFileError(file, line, field, `invalid date '${text}'`);
  return { text, epochS, fractionDigits: fraction.length === 0 ? 6 : fraction.length };
}
