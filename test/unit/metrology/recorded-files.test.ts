/**
 * Every COMTRADE record in the shared data set goes through `analyze`: measured, or refused
 * with a one-line reason naming the file when it holds no whole cycle of any phase channel.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../../../src/cli/analyze.js';
import type { AnalyzeDocument } from '../../../src/cli/analyze-report.js';
import { activePowerOf, distortedLoad, fundamentalReactivePowerOf, generateBlock, rmsOf, thdOf } from '../../support/reference-signals.js';
import { COMTRADE_DIR } from '../../support/shared-data.js';

const dataDir = COMTRADE_DIR;
const records = readdirSync(dataDir).filter((f) => /\.(cfg|cff)$/i.test(f)).sort();

/** Records with nothing a meter could measure, and why. */
const unmeasurable: Record<string, string> = {
  'pycomtrade-sample_bin.cfg': '5 samples at 15.36 kHz: less than a cycle',
  'pycomtrade-sample_float32.cff': 'one channel "test/out1" (unit none): no voltage or current',
  'wisp-5.cfg': 'a dead feeder: Ua and currents exactly zero, Ub/Uc about 1 V of noise',
};

function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (value !== null && typeof value === 'object') return Object.values(value).every(allFinite);
  return true;
}

describe('analyze on every recorded COMTRADE file', () => {
  it('finds the data set', () => {
    expect(records.length).toBeGreaterThanOrEqual(7);
  });
  for (const name of records) {
    const reason = unmeasurable[name];
    if (reason !== undefined) {
      it(`${name}: refused with a reason naming the file (${reason})`, () => {
        expect(() => analyzeFile(join(dataDir, name), { json: true })).toThrow(new RegExp(`${name.replace('.', '\\.')}: no whole cycle`));
      });
      continue;
    }
    it(`${name}: measured, every number finite`, () => {
      const outcome = analyzeFile(join(dataDir, name), { json: true });
      const doc = JSON.parse(outcome.output) as AnalyzeDocument;
      expect(doc.windows.length).toBeGreaterThanOrEqual(1);
      expect(allFinite(doc)).toBe(true);
      expect(doc.summary.phases.map((p) => p.phase)).toEqual(['L1', 'L2', 'L3']);
      const measuredS = doc.windows.reduce((s, w) => s + w.durationS, 0);
      // Energy of the summary = sum of the windows' energies.
      const windowsWh = doc.windows.reduce((s, w) => s + w.total.activeEnergyWh, 0);
      expect(doc.summary.total.activeEnergyWh).toBeCloseTo(windowsWh, 6);
      expect(measuredS).toBeGreaterThan(0);
    });
  }
  it('wisp-1 (83 frequency-tracking rate segments, resampled): 50 Hz, voltages only', () => {
    const doc = JSON.parse(analyzeFile(join(dataDir, 'wisp-1.cfg'), { json: true }).output) as AnalyzeDocument;
    expect(Math.abs(doc.summary.frequencyHz - 50)).toBeLessThan(0.1);
    expect(doc.windows.every((w) => w.cycles === 10 && !w.partial)).toBe(true);
    expect(doc.summary.total.phaseSequence).toBe('abc');
    for (const p of doc.summary.phases) expect(p.currentRms).toBe(0);
  });
  it('--map overrides the channel mapping (wisp-3 with VA and VB swapped runs in acb sequence)', () => {
    const doc = JSON.parse(analyzeFile(join(dataDir, 'wisp-3.cfg'), { json: true, map: ['ua=F6-VB', 'ub=5'] }).output) as AnalyzeDocument;
    expect(doc.windows[0]?.total.phaseSequence).toBe('acb');
  });
  it('pycomtrade ascii (two cycles at 60 Hz): one partial window over the whole cycle it holds', () => {
    const doc = JSON.parse(analyzeFile(join(dataDir, 'pycomtrade-sample_ascii.cfg'), { json: true }).output) as AnalyzeDocument;
    expect(doc.windows).toHaveLength(1);
    expect(doc.windows[0]?.partial).toBe(true);
    expect(doc.windows[0]?.cycles).toBeGreaterThanOrEqual(1);
    expect(Math.abs(doc.summary.frequencyHz - 60)).toBeLessThan(3);
  });
});

describe('analyze on a CSV recording', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'submeter-metrology-csv-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('measures a CSV written from phasors to the same accuracy (SI units, percent harmonics)', () => {
    const phases = distortedLoad(0.7);
    const block = generateBlock({ frequencyHz: 59.97, sampleRateHz: 7680, durationS: 1.0, phases });
    const rows = ['time,ua,ub,uc,ia,ib,ic'];
    for (let n = 0; n < block.length; n++) {
      const v = [n / 7680, block.voltage[0][n], block.voltage[1][n], block.voltage[2][n], block.current[0][n], block.current[1][n], block.current[2][n]];
      rows.push(v.map((x) => x.toPrecision(17)).join(','));
    }
    const file = join(scratch, 'load.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    // No --nominal-frequency: a CSV has no line frequency, 12-cycle windows come from detection.
    const doc = JSON.parse(analyzeFile(file, { json: true }).output) as AnalyzeDocument;
    expect(doc.windows.length).toBeGreaterThanOrEqual(4);
    expect(doc.windows.every((w) => w.cycles === 12)).toBe(true);
    expect(Math.abs(doc.summary.frequencyHz - 59.97)).toBeLessThan(0.5e-3);
    doc.summary.phases.forEach((p, k) => {
      const truth = phases[k];
      if (truth === undefined) return;
      const s = rmsOf(truth.voltage) * rmsOf(truth.current);
      expect(Math.abs(p.voltageRms / rmsOf(truth.voltage) - 1)).toBeLessThan(1e-4);
      expect(Math.abs(p.activePower - activePowerOf(truth)) / s).toBeLessThan(1e-4);
      expect(Math.abs(p.reactivePower - fundamentalReactivePowerOf(truth)) / s).toBeLessThan(1e-4);
      expect(Math.abs(p.currentThd - 100 * thdOf(truth.current))).toBeLessThan(0.05);
      // Percent of the fundamental: the 3rd current harmonic is 20 % in distortedLoad.
      expect(p.currentHarmonics[3]).toBeCloseTo(20, 1);
    });
  });
});
