/**
 * `submeter analyze` as a user runs it: a real child process, its stdout, stderr and exit code.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliCommand } from '../support/cli-runner.js';
import { COMTRADE_DIR } from '../support/shared-data.js';

const dataDir = COMTRADE_DIR;
const scratch = mkdtempSync(join(tmpdir(), 'submeter-analyze-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function analyze(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, cliCommand(['analyze', ...args]), { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('submeter analyze', () => {
  it('--json prints exactly the documented shape', () => {
    const run = analyze(join(dataDir, 'wisp-3.cfg'), '--json');
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['warnings', 'summary', 'windows']);
    const summary = doc.summary as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(['frequencyHz', 'highestOrder', 'phases', 'total']);
    const phases = summary.phases as Record<string, unknown>[];
    expect(phases).toHaveLength(3);
    expect(Object.keys(phases[0] ?? {})).toEqual([
      'phase', 'voltageRms', 'currentRms', 'voltageDc', 'currentDc', 'activePower', 'reactivePower', 'apparentPower',
      'powerFactor', 'displacementPowerFactor', 'voltageThd', 'currentThd', 'voltageHarmonics', 'currentHarmonics', 'quality',
    ]);
    const harmonics = phases[0]?.voltageHarmonics as (number | null)[];
    expect(harmonics).toHaveLength(32);
    expect(harmonics[0]).toBeNull(); // DC is voltageDc, not a harmonic
    // wisp-3 is sampled at 800 Hz: orders up to 7 at 50 Hz are measured, 8 and above are not.
    expect(summary.highestOrder).toBe(7);
    expect(harmonics[7]).not.toBeNull();
    expect(harmonics[8]).toBeNull();
    expect(harmonics[1]).toBeCloseTo(100, 9); // percent of the fundamental
    // SI units: wisp-3 is a 330 kV line (about 190 kV phase-to-neutral, primary values).
    expect(phases[0]?.voltageRms as number).toBeGreaterThan(180e3);
    expect(phases[0]?.voltageRms as number).toBeLessThan(200e3);
    const windows = doc.windows as Record<string, unknown>[];
    expect(windows.length).toBeGreaterThanOrEqual(4);
    expect(Object.keys(windows[0] ?? {}).slice(0, 5)).toEqual(['startTimeS', 'durationS', 'cycles', 'partial', 'frequencyHz']);
  });

  it('prints a table with a summary by default, and CSV with --csv', () => {
    const table = analyze(join(dataDir, 'wisp-1.cfg'));
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/summary over 10 window\(s\)/);
    expect(table.stdout).toMatch(/f = 50\.0\d+ Hz/);
    const csv = analyze(join(dataDir, 'wisp-1.cfg'), '--csv');
    expect(csv.status).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]?.startsWith('startTimeS,durationS,cycles,partial,frequencyHz,L1.voltageRms')).toBe(true);
    expect(lines).toHaveLength(11);
  });

  it('names file, line and field of a bad file in one line and exits non-zero', () => {
    const cfg = join(scratch, 'broken.cfg');
    writeFileSync(cfg, 'STATION,DEVICE,1999\n3,two-analog,1D\n');
    writeFileSync(join(scratch, 'broken.dat'), '');
    const run = analyze(cfg);
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('broken.cfg:2');
    expect(run.stdout).toBe('');
  });

  it('refuses a missing file and an unknown format with a one-line error', () => {
    const missing = analyze(join(scratch, 'nothing.cfg'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nothing\.cfg/);
    const unknown = analyze(join(scratch, 'data.xyz'));
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  });
});
