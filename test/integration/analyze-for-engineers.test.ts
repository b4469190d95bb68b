/**
 * `submeter analyze` on odd recordings, as an engineer reads it: wisp-4 is declared 50 Hz, measures
 * about 81 Hz, is sampled at 600 Hz (orders above 3 cannot be measured), and its currents are
 * almost pure DC with THD above 100 %. The command must say so instead of printing confident numbers.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliCommand } from '../support/cli-runner.js';
import { COMTRADE_DIR } from '../support/shared-data.js';

const wisp4 = join(COMTRADE_DIR, 'wisp-4.CFG');

function analyze(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, cliCommand(['analyze', ...args]), { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface PhaseJson {
  voltageDc: number;
  currentDc: number;
  currentRms: number;
  powerFactor: number | null;
  displacementPowerFactor: number | null;
  voltageHarmonics: (number | null)[];
  currentHarmonics: (number | null)[];
  quality: { voltage: string; current: string };
}

describe('submeter analyze for engineers (wisp-4)', () => {
  const table = analyze(wisp4);
  const json = analyze(wisp4, '--json');

  it('warns on stderr that the measured frequency is far off the declared 50 Hz', () => {
    expect(table.status).toBe(0);
    const warning = table.stderr.split('\n').find((l) => l.startsWith('warning: measured frequency'));
    expect(warning).toMatch(/^warning: measured frequency 8\d\.\d\d Hz is \+6\d\.\d % off the nominal 50 Hz/);
    const doc = JSON.parse(json.stdout) as { warnings: string[]; summary: { frequencyHz: number } };
    expect(doc.summary.frequencyHz).toBeGreaterThan(78);
    expect(doc.summary.frequencyHz).toBeLessThan(85);
    expect(doc.warnings[0]).toMatch(/off the nominal 50 Hz/);
  });

  it('aligns every column whatever the magnitude (a THD of hundreds of percent does not run into its neighbour)', () => {
    const lines = table.stdout.split('\n');
    const header = lines.findIndex((l) => l.includes('start s'));
    const rows = lines.slice(header, lines.findIndex((l, i) => i > header && l.trim() === ''));
    expect(rows.length).toBeGreaterThan(30);
    // Right-aligned columns: every row is as long as the header, and each cell ends where every other row's does.
    const cellEnds = (line: string): number[] => [...line.matchAll(/\S+/g)].map((m) => (m.index ?? 0) + m[0].length);
    const first = cellEnds(rows[1] ?? '');
    expect(first).toHaveLength(15);
    for (const row of rows.slice(1)) {
      expect(row.length).toBe(rows[0]?.length);
      expect(cellEnds(row)).toEqual(first);
    }
    const thdI = rows.slice(1).map((row) => Number(row.trim().split(/\s+/)[14]));
    expect(Math.max(...thdI)).toBeGreaterThan(100);
  });

  it('reports orders above the Nyquist limit as not measured: null in JSON, "-" in the table', () => {
    const doc = JSON.parse(json.stdout) as { summary: { highestOrder: number; phases: PhaseJson[] }; windows: { highestOrder: number }[] };
    // 600 Hz sampling at ~81 Hz: 3 * 81 = 243 Hz < 300 Hz <= 4 * 81.
    expect(doc.summary.highestOrder).toBe(3);
    for (const phase of doc.summary.phases) {
      expect(phase.currentHarmonics[2]).toBeGreaterThan(0);
      expect(phase.currentHarmonics[3]).toBeGreaterThan(0);
      expect(phase.currentHarmonics.slice(4).every((h) => h === null)).toBe(true);
      expect(phase.voltageHarmonics[0]).toBeNull(); // DC is its own field
    }
    const l1Current = table.stdout.split('\n').find((l) => /^\s+L1 I\s/.test(l)) ?? '';
    const cells = l1Current.trim().split(/\s+/);
    expect(cells.slice(2, 4).every((c) => Number(c) > 0)).toBe(true); // h2, h3
    expect(cells.slice(4)).toEqual(Array<string>(12).fill('-')); // h4..h15
    expect(table.stderr).toMatch(/warning: harmonic orders above 3 are not measured \(600 Hz sampling resolves up to 300 Hz\)/);
  });

  it('labels DC on its own and notes DC-only currents, leaving out their meaningless PF and DPF', () => {
    const doc = JSON.parse(json.stdout) as { summary: { phases: PhaseJson[]; total: { powerFactor: number | null; displacementPowerFactor: number | null } } };
    for (const phase of doc.summary.phases) {
      expect(phase.currentDc).toBeGreaterThan(0.9 * phase.currentRms);
      expect(phase.quality.current).toBe('dc only');
      expect(phase.powerFactor).toBeNull();
      expect(phase.displacementPowerFactor).toBeNull();
    }
    expect(doc.summary.total.displacementPowerFactor).toBeNull();
    const l1 = table.stdout.split('\n').find((l) => /^\s+L1\s+\d/.test(l)) ?? '';
    expect(l1).toMatch(/\s-\s+-\s.*I dc only$/);
    expect(table.stdout).toMatch(/PF -, DPF -/);
    expect(table.stderr).toMatch(/^warning: L1: current dc only: its PF and DPF are not reported$/m);
  });

  it('a clean recording (wisp-3) gets no warning but the unmeasured orders, and every PF', () => {
    const run = analyze(join(COMTRADE_DIR, 'wisp-3.cfg'), '--json');
    const doc = JSON.parse(run.stdout) as { warnings: string[]; summary: { phases: PhaseJson[] } };
    expect(doc.warnings).toEqual(['harmonic orders above 7 are not measured (800 Hz sampling resolves up to 400 Hz)']);
    for (const phase of doc.summary.phases) {
      expect(phase.quality).toEqual({ voltage: 'ok', current: 'ok' });
      expect(phase.displacementPowerFactor).not.toBeNull();
    }
  });

  it('--progress prints a progress line on stderr (not a terminal: one line per tenth)', () => {
    const run = analyze(wisp4, '--progress', '--csv');
    const progress = run.stderr.split('\n').filter((l) => l.startsWith('analyze: '));
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(progress.at(-1)).toBe('analyze: 32/32 windows (100 %)');
    expect(table.stderr).not.toMatch(/^analyze: /m); // not asked, not a terminal
  });
});
