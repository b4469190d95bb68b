import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCsvSource } from '../../../src/waveform/csv/csv-source.js';
import { openWaveformSource } from '../../../src/waveform/open-waveform-source.js';
import { resampleUniform } from '../../../src/waveform/resample.js';
import { WaveformFileError } from '../../../src/waveform/waveform-file-error.js';
import { COMTRADE_DIR } from '../../support/shared-data.js';

const scratch = mkdtempSync(join(tmpdir(), 'waveform-csv-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function csvFile(name: string, rows: string[]): string {
  const file = join(scratch, name);
  writeFileSync(file, rows.join('\n'));
  return file;
}

function sineRows(count: number, rate: number, jitter = 0): string[] {
  const rows = ['# a comment line', 'time,ua,ub,uc,ia,ib,ic,in'];
  for (let k = 0; k < count; k++) {
    const t = k / rate + (k % 2 === 1 ? jitter : 0);
    const w = 2 * Math.PI * 50 * t;
    const v = (shift: number): number => 325 * Math.cos(w + shift);
    const i = (shift: number): number => 14 * Math.cos(w + shift - 0.3);
    rows.push([t, v(0), v(-2.0944), v(2.0944), i(0), i(-2.0944), i(2.0944), 0.5].join(','));
  }
  return rows;
}

describe('CSV sources', () => {
  it('reads a uniform CSV as is', () => {
    const source = openCsvSource(csvFile('uniform.csv', sineRows(640, 6400)));
    expect(source.lengthSamples).toBe(640);
    expect(source.sampleRateHz).toBeCloseTo(6400, 6);
    expect(source.resampled).toBe(false);
    const block = source.read(0, 640);
    expect(block.voltage[0][0]).toBe(325);
    expect(block.current[1][10]).toBeCloseTo(14 * Math.cos((2 * Math.PI * 50 * 10) / 6400 - 2.0944 - 0.3), 9);
    expect(block.neutralCurrent?.[5]).toBe(0.5);
  });

  it('resamples jittered times (cubic) onto the mean rate', () => {
    const source = openCsvSource(csvFile('jitter.csv', sineRows(1281, 6400, 2e-6)));
    expect(source.resampled).toBe(true);
    const block = source.read(0, source.lengthSamples);
    let worst = 0;
    for (let k = 0; k < block.length; k++) {
      const t = block.startTimeS + k / block.sampleRateHz;
      worst = Math.max(worst, Math.abs(block.voltage[0][k] - 325 * Math.cos(2 * Math.PI * 50 * t)));
    }
    expect(worst / 325).toBeLessThan(1e-5);
  });

  it('names file, line and field on bad input; empty fields are missing values', () => {
    expect(() => openCsvSource(csvFile('noheader.csv', ['time,ua,ub,uc,ia,ib', '0,1,2,3,4,5']))).toThrow(
      /noheader\.csv:1 \(ic\): header has no 'ic' column/,
    );
    const bad = csvFile('bad.csv', ['time,ua,ub,uc,ia,ib,ic', '0,1,1,1,1,1,1', '0.001,1,abc,1,1,1,1']);
    expect(() => openCsvSource(bad)).toThrow(WaveformFileError);
    expect(() => openCsvSource(bad)).toThrow(/bad\.csv:3 \(ub\): not a number: 'abc'/);
    expect(() => openCsvSource(csvFile('back.csv', ['time,ua,ub,uc,ia,ib,ic', '0,1,1,1,1,1,1', '0,1,1,1,1,1,1']))).toThrow(
      /back\.csv:3 \(time\): time 0 does not increase/,
    );
    const gaps = openCsvSource(csvFile('gaps.csv', ['time,ua,ub,uc,ia,ib,ic', '0,1,,1,1,1,1', '0.001,1,NaN,1,1,1,1']));
    expect(Number.isNaN(gaps.read(0, 2).voltage[1][1])).toBe(true);
    expect(() => openCsvSource(join(scratch, 'absent.csv'))).toThrow(/absent\.csv: cannot read/);
  });
});

describe('resampleUniform', () => {
  it('interpolates a multi-rate sine with 4-point Lagrange cubics (linear is much worse)', () => {
    const times: number[] = [];
    let t = 0;
    for (let k = 0; k < 500; k++) {
      times.push(t);
      t += k < 250 ? 1 / 2400 : 1 / 2395.5;
    }
    const tt = Float64Array.from(times);
    const x = tt.map((v) => Math.sin(2 * Math.PI * 50 * v + 0.4));
    const err = (kind: 'cubic' | 'linear'): number => {
      const { firstGridIndex, channels } = resampleUniform(tt, [x], 2400, kind);
      let worst = 0;
      channels[0]?.forEach((y, j) => {
        worst = Math.max(worst, Math.abs(y - Math.sin(2 * Math.PI * 50 * ((firstGridIndex + j) / 2400) + 0.4)));
      });
      return worst;
    };
    expect(err('cubic')).toBeLessThan(1e-5);
    expect(err('linear')).toBeGreaterThan(1e-3);
  });
});

describe('openWaveformSource', () => {
  it('opens synthetic, comtrade and csv specs; recorded sources can loop', () => {
    const synthetic = openWaveformSource('synthetic:vsd', { seed: 2 });
    expect(synthetic.kind).toBe('synthetic');
    expect(synthetic.source.lengthSamples).toBe(Number.POSITIVE_INFINITY);
    if (synthetic.kind === 'synthetic') expect(synthetic.synthetic).toBe(synthetic.source);

    const once = openWaveformSource(`comtrade:${COMTRADE_DIR}/wisp-4.CFG`);
    expect(once.source.lengthSamples).toBe(2400);
    const looped = openWaveformSource(`${COMTRADE_DIR}/wisp-4.CFG`, { loop: true });
    expect(looped.kind).toBe('comtrade');
    expect(looped.source.lengthSamples).toBe(Number.POSITIVE_INFINITY);
    const seam = looped.source.read(2398, 4);
    const start = once.source.read(0, 2);
    expect(seam.current[0][2]).toBe(start.current[0][0]);
    expect(seam.startTimeS).toBeCloseTo(2398 / 600, 12);

    const csv = openWaveformSource(`csv:${csvFile('f.csv', sineRows(64, 6400))}`);
    expect(csv.kind).toBe('csv');
    expect(csv.source.lengthSamples).toBe(64);
    expect(() => openWaveformSource('recording.wav')).toThrow(/expected synthetic:NAME/);
    expect(() => openWaveformSource('synthetic:nope')).toThrow(/unknown synthetic scenario "nope" \(scenarios: balanced-resistive, office/);
  });
});
