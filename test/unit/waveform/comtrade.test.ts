/**
 * Every recording in examples/recordings parses; the facts asserted are computed here from
 * the raw bytes (a tiny independent decoder using Buffer reads) or from the ASCII text.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readComtrade } from '../../../src/waveform/comtrade/record.js';
import { openComtradeSource } from '../../../src/waveform/comtrade/comtrade-source.js';
import { WaveformFileError } from '../../../src/waveform/waveform-file-error.js';
import { COMTRADE_DIR } from '../../support/shared-data.js';

const DATA = COMTRADE_DIR;
const at = (name: string): string => join(DATA, name);
const scratch = mkdtempSync(join(tmpdir(), 'comtrade-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Minimal independent binary record reader: returns [n, ts, analog raw..., digital words...]. */
function rawRecord(bytes: Buffer, recordBytes: number, index: number, analogs: number, width: 2 | 4 | 'f'): number[] {
  const base = index * recordBytes;
  const out = [bytes.readUInt32LE(base), bytes.readUInt32LE(base + 4)];
  for (let a = 0; a < analogs; a++) {
    const p = base + 8 + a * (width === 2 ? 2 : 4);
    out.push(width === 2 ? bytes.readInt16LE(p) : width === 4 ? bytes.readInt32LE(p) : bytes.readFloatLE(p));
  }
  return out;
}

function asciiRows(file: string): string[][] {
  return readFileSync(file, 'latin1')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(','));
}

describe('COMTRADE: pycomtrade fixtures', () => {
  it('ASCII 2013 (.cfg + .dat): header fields, 2013 extra lines, values on the primary side', () => {
    const r = readComtrade(at('pycomtrade-sample_ascii.cfg'));
    expect(r.config.stationName).toBe('SMARTSTATION');
    expect(r.config.deviceId).toBe('IED123');
    expect(r.config.revision).toBe('2013');
    expect(r.config.analog.map((c) => c.name)).toEqual(['IA', 'IB', 'IC', '3I0']);
    expect(r.config.digital.map((c) => c.name)).toEqual(['51A', '51B', '51C', '51N']);
    expect(r.config.lineFrequencyHz).toBe(60);
    expect([r.config.timeCode, r.config.localCode, r.config.timeQualityCode, r.config.leapSecond]).toEqual(['-5h30', '-5h30', 'B', '3']);
    expect(r.config.startTime.epochS).toBeCloseTo(Date.UTC(2011, 0, 12, 5, 55, 30) / 1000 + 0.075011, 6);
    expect(r.sampleCount).toBe(40);
    expect(r.segments).toEqual([{ firstIndex: 0, count: 40, rateHz: 1200, fromTimestamps: false }]);
    expect(r.timesS[39]).toBeCloseTo(39 / 1200, 12);
    const rows = asciiRows(at('pycomtrade-sample_ascii.dat'));
    const a = 0.1138916015625;
    const b = 0.05694580078125;
    // recorded on the secondary (s), primary 933 : secondary 1
    expect(r.analog[0][0]).toBeCloseTo((a * Number(rows[0][2]) + b) * 933, 9);
    expect(r.analog[3][39]).toBeCloseTo((a * Number(rows[39][5]) + b) * 933, 9);
    expect(Array.from(r.digital[3].subarray(9, 12))).toEqual([0, 1, 1]);
    const secondary = readComtrade(at('pycomtrade-sample_ascii.cfg'), { values: 'secondary' });
    expect(secondary.analog[1][5]).toBeCloseTo(a * Number(rows[5][3]) + b, 12);
  });

  it('the single-file .cff gives the same record as .cfg + .dat', () => {
    const pair = readComtrade(at('pycomtrade-sample_ascii.cfg'));
    const single = readComtrade(at('pycomtrade-sample_ascii.cff'));
    expect(single.sampleCount).toBe(pair.sampleCount);
    for (let c = 0; c < 4; c++) expect(Array.from(single.analog[c])).toEqual(Array.from(pair.analog[c]));
    expect(single.config.stationName).toBe('SMARTSTATION');
  });

  it('ASCII missing values (99999) become NaN', () => {
    copyFileSync(at('pycomtrade-sample_ascii.cfg'), join(scratch, 'missing.cfg'));
    copyFileSync(at('pycomtrade-sample_ascii_missing.dat'), join(scratch, 'missing.dat'));
    const r = readComtrade(join(scratch, 'missing.cfg'));
    // rows 2..5 carry 99999 in IA, IB, IC, 3I0 respectively
    expect(Number.isNaN(r.analog[0][1])).toBe(true);
    expect(Number.isNaN(r.analog[1][2])).toBe(true);
    expect(Number.isNaN(r.analog[2][3])).toBe(true);
    expect(Number.isNaN(r.analog[3][4])).toBe(true);
    expect(Number.isNaN(r.analog[0][2])).toBe(false);
  });

  it('BINARY 1999 in kV on the primary side; the source scales to volts', () => {
    const r = readComtrade(at('pycomtrade-sample_bin.cfg'));
    const bytes = readFileSync(at('pycomtrade-sample_bin.dat'));
    const recordBytes = 8 + 4 * 2 + 2;
    expect(r.sampleCount).toBe(bytes.length / recordBytes);
    expect(r.sampleCount).toBe(5);
    const first = rawRecord(bytes, recordBytes, 0, 4, 2);
    const last = rawRecord(bytes, recordBytes, 4, 4, 2);
    expect(r.analog[0][0]).toBeCloseTo(0.000361849 * first[2], 12);
    expect(r.analog[3][4]).toBeCloseTo(0.000016493 * last[5], 12);
    const source = openComtradeSource(at('pycomtrade-sample_bin.cfg'));
    expect(source.sampleRateHz).toBe(15360);
    expect(source.nominalFrequencyHz).toBe(60);
    expect(source.read(0, 5).voltage[2][4]).toBeCloseTo(1000 * 0.000371569 * last[4], 9);
  });

  it('FLOAT32 in a .cff with a byte-counted binary DAT section', () => {
    const r = readComtrade(at('pycomtrade-sample_float32.cff'));
    expect(r.config.fileType).toBe('FLOAT32');
    expect(r.config.stationName).toBe('EXAMPLE');
    expect(r.config.startTime.fractionDigits).toBe(9);
    expect(r.sampleCount).toBe(301);
    expect(r.segments[0]?.rateHz).toBe(100);
    const whole = readFileSync(at('pycomtrade-sample_float32.cff'));
    const marker = '--- file type: DAT FLOAT32: 4214 ---';
    const start = whole.indexOf(marker) + marker.length + 2; // CRLF
    const dat = whole.subarray(start, start + 4214);
    const recordBytes = 8 + 4 + 2;
    expect(r.analog[0][0]).toBe(Math.fround(rawRecord(dat, recordBytes, 0, 1, 'f')[2]));
    expect(r.analog[0][300]).toBe(Math.fround(rawRecord(dat, recordBytes, 300, 1, 'f')[2]));
    expect(r.digital[0][300]).toBe(dat.readUInt16LE(300 * recordBytes + 12) & 1);
  });
});

describe('COMTRADE: Wisp.Comtrade recordings', () => {
  it('wisp-1: ASCII 2000, 83 rate segments, latin1 device id, resampled to a uniform grid', () => {
    const r = readComtrade(at('wisp-1.cfg'));
    const cfgBytes = readFileSync(at('wisp-1.cfg'));
    const firstLine = cfgBytes.subarray(0, cfgBytes.indexOf(0x0d)).toString('latin1').split(',');
    expect(r.config.encoding).toBe('latin1');
    expect(r.config.stationName).toBe('11');
    expect(r.config.deviceId).toBe(firstLine[1]?.trim());
    expect(r.config.revisionYear).toBe('2000');
    expect(r.config.revision).toBe('1999');
    expect(r.segments.length).toBe(83);
    expect(r.segments[0]).toEqual({ firstIndex: 0, count: 708, rateHz: 2401.509521, fromTimestamps: false });
    expect(r.segments[82]).toEqual({ firstIndex: 5232, count: 84, rateHz: 2401.646729, fromTimestamps: false });
    expect(r.sampleCount).toBe(5316);
    // t(last) = sum over segments of (count / rate) minus the first sample's own interval
    let t = 0;
    for (const s of r.config.sampleRates.map((x, k, all) => ({ rate: x.rateHz, count: x.endSample - (all[k - 1]?.endSample ?? 0) }))) {
      t += s.count / s.rate;
    }
    expect(r.timesS[5315]).toBeCloseTo(t - 1 / 2401.509521, 9);
    const rows = asciiRows(at('wisp-1.dat'));
    expect(rows.length).toBe(5316);
    // UA is recorded on the secondary (S), primary 100 : secondary 1
    expect(r.analog[0][0]).toBeCloseTo(0.016552 * Number(rows[0][2]) * 100, 9);
    expect(r.analog[3][5315]).toBeCloseTo(0.016552 * Number(rows[5315][5]) * 100, 9);
    const source = openComtradeSource(at('wisp-1.cfg'));
    expect(source.resampled).toBe(true);
    expect(source.mapping.slots).toMatchObject({ ua: 0, ub: 1, uc: 2, ia: undefined });
    expect(source.notes.some((n) => n.includes('ia: no channel'))).toBe(true);
    expect(source.sampleRateHz).toBe(2410.745117);
    // Resampled values stay on the recorded curve: grid point 0 is sample 0.
    expect(source.read(0, 1).voltage[0][0]).toBeCloseTo(r.analog[0][0], 9);
  });

  it('wisp-3: GE C60, BINARY, nrates = 0 (timestamps), 24 analog + 64 digital', () => {
    const r = readComtrade(at('wisp-3.cfg'));
    const bytes = readFileSync(at('wisp-3.dat'));
    const recordBytes = 8 + 24 * 2 + 4 * 2;
    expect(r.config.analog.length).toBe(24);
    expect(r.config.digital.length).toBe(64);
    expect(r.config.stationName).toBe('W2D-C60-1');
    expect(r.config.sampleRates).toEqual([]);
    expect(r.sampleCount).toBe(bytes.length / recordBytes);
    expect(r.sampleCount).toBe(1360);
    const last = rawRecord(bytes, recordBytes, 1359, 24, 2);
    const first = rawRecord(bytes, recordBytes, 0, 24, 2);
    expect(r.timesS[1359]).toBeCloseTo((last[1] - first[1]) * 1e-6, 12);
    expect(r.segments[0]?.fromTimestamps).toBe(true);
    // F5-VA: secondary, ratio 190740 : 57.8
    expect(r.analog[4][0]).toBeCloseTo(0.012207 * first[6] * (190740 / 57.8), 6);
    const source = openComtradeSource(at('wisp-3.cfg'));
    expect(source.mapping.slots).toEqual({ ua: 4, ub: 5, uc: 6, ia: 0, ib: 1, ic: 2, in: undefined });
    // The relay's own phasor ("SRC 1 Vag Mag", kV) against a one-cycle DFT of F5-VA (16 samples/cycle):
    // they agree to about 0.6 % in the steady pre-fault part (the relay reads ~0.6 % high).
    const va = r.analog[4];
    let re = 0;
    let im = 0;
    for (let k = 0; k < 16; k++) {
      re += va[100 + k] * Math.cos((2 * Math.PI * k) / 16);
      im -= va[100 + k] * Math.sin((2 * Math.PI * k) / 16);
    }
    const fundamental = (Math.SQRT2 * Math.hypot(re, im)) / 16;
    expect(Math.abs(fundamental / (r.analog[8][115] * 1000) - 1)).toBeLessThan(0.01);
  });

  it('wisp-4: Sepam 1997, BINARY at 600 Hz, missing timestamps, phase voltages derived from U21/U32', () => {
    const r = readComtrade(at('wisp-4.CFG'));
    const bytes = readFileSync(at('wisp-4.DAT'));
    const recordBytes = 8 + 6 * 2 + 2;
    expect(r.config.revision).toBe('1991');
    expect(r.config.revisionYear).toBe('1997');
    expect(r.sampleCount).toBe(2400);
    expect(r.warnings.some((w) => w.includes('declares 2399 samples'))).toBe(true);
    expect(bytes.readUInt32LE(4)).toBe(0xffffffff);
    expect(r.segments).toEqual([{ firstIndex: 0, count: 2400, rateHz: 600, fromTimestamps: false }]);
    const first = rawRecord(bytes, recordBytes, 0, 6, 2);
    expect(r.analog[0][0]).toBeCloseTo(2.836798 * first[2] - 102.1247, 9);
    const source = openComtradeSource(at('wisp-4.CFG'));
    expect(source.mapping.derivedPhaseVoltages).toBe(true);
    expect(source.mapping.lineVoltages).toEqual({ u12: { index: 3, sign: -1 }, u23: { index: 4, sign: -1 } });
    expect(source.mapping.slots).toMatchObject({ ia: 0, ib: 1, ic: 2, ua: undefined });
    const block = source.read(0, 2400);
    for (const k of [0, 1000, 2399]) {
      // ua - ub = U12 = -U21 and ub - uc = U23 = -U32 exactly; ua + ub + uc = 0
      expect(block.voltage[0][k] - block.voltage[1][k]).toBeCloseTo(-r.analog[3][k], 9);
      expect(block.voltage[1][k] - block.voltage[2][k]).toBeCloseTo(-r.analog[4][k], 9);
      expect(block.voltage[0][k] + block.voltage[1][k] + block.voltage[2][k]).toBeCloseTo(0, 9);
    }
    expect(block.current[1][7]).toBe(r.analog[1][7]);
  });

  it('wisp-5: 2013 BINARY32, 37 analog + 300 digital at 2 kHz', () => {
    const r = readComtrade(at('wisp-5.cfg'));
    const bytes = readFileSync(at('wisp-5.dat'));
    const recordBytes = 8 + 37 * 4 + Math.ceil(300 / 16) * 2;
    expect(r.config.analog.length).toBe(37);
    expect(r.config.digital.length).toBe(300);
    expect(r.sampleCount).toBe(bytes.length / recordBytes);
    expect(r.sampleCount).toBe(202);
    expect(r.sampleNumbers[0]).toBe(0);
    expect(r.segments[0]?.rateHz).toBe(2000);
    const last = rawRecord(bytes, recordBytes, 201, 37, 4);
    // Ub (channel 8): secondary, 0.000001 per count, ratio 10000 : 100
    expect(r.analog[7][201]).toBeCloseTo(0.000001 * last[9] * 100, 12);
    const digitalBase = 201 * recordBytes + 8 + 37 * 4;
    expect(r.digital[17][201]).toBe((bytes.readUInt16LE(digitalBase + 2) >> 1) & 1);
    const source = openComtradeSource(at('wisp-5.cfg'));
    expect(source.mapping.slots).toEqual({ ua: 6, ub: 7, uc: 8, ia: 0, ib: 1, ic: 2, in: 5 });
    expect(source.read(0, 202).neutralCurrent?.length).toBe(202);
  });
});

describe('COMTRADE: errors name file, line and field', () => {
  const cfg = readFileSync(at('pycomtrade-sample_ascii.cfg'), 'latin1');

  function write(name: string, text: string, dat?: string): string {
    const file = join(scratch, name);
    writeFileSync(file, text, 'latin1');
    if (dat !== undefined) writeFileSync(file.replace(/\.cfg$/, '.dat'), dat);
    return file;
  }

  it('a bad multiplier', () => {
    const file = write('bad-a.cfg', cfg.replace('1,IA ,,Line123, A,0.1138916015625', '1,IA ,,Line123, A,zero'));
    copyFileSync(at('pycomtrade-sample_ascii.dat'), file.replace(/\.cfg$/, '.dat'));
    const error = (() => {
      try {
        readComtrade(file);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(WaveformFileError);
    expect(error).toMatchObject({ file, line: 3, field: 'analog channel 1 a' });
  });

  it('a bad channel count, an unknown file type, a truncated file', () => {
    expect(() => readComtrade(write('bad-count.cfg', cfg.replace('8,4A,4D', '8,4X,4D')))).toThrow(/bad-count\.cfg:2 \(##A\)/);
    expect(() => readComtrade(write('bad-ft.cfg', cfg.replace('ASCII', 'EBCDIC'), ''))).toThrow(/bad-ft\.cfg:16 \(ft\): unknown file type/);
    expect(() => readComtrade(write('short.cfg', cfg.split('\n').slice(0, 5).join('\n')))).toThrow(/short\.cfg:6 \(analog channel 4\): file ends/);
  });

  it('a bad data row names the .dat line and the channel', () => {
    const dat = readFileSync(at('pycomtrade-sample_ascii.dat'), 'latin1').replace('3,74167,55,', '3,74167,5x5,');
    const file = write('bad-row.cfg', cfg, dat);
    expect(() => readComtrade(file)).toThrow(/bad-row\.dat:3 \(analog 1 \(IA\)\): not a number: '5x5'/);
  });

  it('a missing .dat and a .cff whose byte count overruns', () => {
    expect(() => readComtrade(write('alone.cfg', cfg))).toThrow(/alone\.cfg \(DAT\): no \.dat file/);
    const cff = readFileSync(at('pycomtrade-sample_float32.cff'));
    const broken = join(scratch, 'broken.cff');
    writeFileSync(broken, Buffer.from(cff.toString('latin1').replace('FLOAT32: 4214', 'FLOAT32: 9999'), 'latin1'));
    expect(() => readComtrade(broken)).toThrow(/broken\.cff:23 \(DAT byte count\)/);
  });
});

describe('COMTRADE: timestamps, timemult, missing markers, 1991 dates (crafted from the fixtures)', () => {
  const cfg = readFileSync(at('pycomtrade-sample_ascii.cfg'), 'latin1');

  it('nrates = 0 uses the timestamps times timemult; empty timestamps are interpolated', () => {
    const text = cfg.replace('\n1\n1200,40\n', '\n0\n0,40\n').replace('ASCII\n1\n', 'ASCII\n2\n');
    writeFileSync(join(scratch, 'stamps.cfg'), text, 'latin1');
    const rows = readFileSync(at('pycomtrade-sample_ascii.dat'), 'latin1').split('\n');
    rows[4] = rows[4]?.replace(/^5,75833,/, '5,,') ?? '';
    writeFileSync(join(scratch, 'stamps.dat'), rows.join('\n'), 'latin1');
    const r = readComtrade(join(scratch, 'stamps.cfg'));
    expect(r.config.sampleRates).toEqual([]);
    expect(r.config.timeMultiplier).toBe(2);
    expect(r.segments[0]?.fromTimestamps).toBe(true);
    // timestamps 72500, 73333, 74167, 75000, (empty), 76667 us, times 2
    expect(r.timesS[1]).toBeCloseTo((73333 - 72500) * 2e-6, 12);
    expect(r.timesS[4]).toBeCloseTo(((75000 + 76667) / 2 - 72500) * 2e-6, 12);
    expect(r.timesS[39]).toBeCloseTo((Number(rows[39]?.split(',')[1]) - 72500) * 2e-6, 12);
  });

  it('BINARY 0x8000 and BINARY32 0x80000000 are missing values (NaN)', () => {
    const bin = Buffer.from(readFileSync(at('pycomtrade-sample_bin.dat')));
    bin.writeInt16LE(-32768, 18 * 2 + 8 + 2); // sample 3, VB
    copyFileSync(at('pycomtrade-sample_bin.cfg'), join(scratch, 'gap16.cfg'));
    writeFileSync(join(scratch, 'gap16.dat'), bin);
    const r16 = readComtrade(join(scratch, 'gap16.cfg'));
    expect(Number.isNaN(r16.analog[1][2])).toBe(true);
    expect(Number.isNaN(r16.analog[1][1])).toBe(false);

    const b32 = Buffer.from(readFileSync(at('wisp-5.dat')));
    const recordBytes = 8 + 37 * 4 + 19 * 2;
    b32.writeInt32LE(-2147483648, 10 * recordBytes + 8 + 6 * 4); // sample 11, Ua
    copyFileSync(at('wisp-5.cfg'), join(scratch, 'gap32.cfg'));
    writeFileSync(join(scratch, 'gap32.dat'), b32);
    const r32 = readComtrade(join(scratch, 'gap32.cfg'));
    expect(Number.isNaN(r32.analog[6][10])).toBe(true);
    expect(Number.isNaN(openComtradeSource(join(scratch, 'gap32.cfg')).read(10, 1).voltage[0][0])).toBe(true);
  });

  it('1991: no rev year, mm/dd/yy dates, 1991 digital lines, no ft/timemult lines', () => {
    const text = [
      'OLD STATION,7',
      '4,3A,1D',
      '1,VA,A,,V,0.5,0,0,-32767,32767',
      '2,VB,B,,V,0.5,0,0,-32767,32767',
      '3,VC,C,,V,0.5,0,0,-32767,32767',
      '1,TRIP,0',
      '60',
      '1',
      '960,3',
      '07/04/95,10:00:00.000000',
      '07/04/95,10:00:00.001000',
    ].join('\r\n');
    writeFileSync(join(scratch, 'old.cfg'), text, 'latin1');
    writeFileSync(join(scratch, 'old.dat'), ['1,0,10,20,30,1', '2,1042,11,21,31,0', '3,2083,12,22,32,1'].join('\r\n'));
    const r = readComtrade(join(scratch, 'old.cfg'));
    expect(r.config.revision).toBe('1991');
    expect(r.config.fileType).toBe('ASCII');
    expect(r.config.startTime.epochS).toBe(Date.UTC(1995, 6, 4, 10, 0, 0) / 1000);
    expect(r.config.digital[0]).toMatchObject({ name: 'TRIP', normalState: 0 });
    expect(Array.from(r.analog[2])).toEqual([15, 15.5, 16]);
    expect(Array.from(r.digital[0])).toEqual([1, 0, 1]);
  });
});
