/**
 * A meter process killed with SIGKILL and restarted from its state directory loses at most the
 * last second of counting, never goes backwards and never counts twice. The runner
 * (scripts/run-meter.ts) meters a constant 6900 W in simulated time at 60x and reports each tick
 * and each durable snapshot on stdout; the test waits on those lines, never on timers.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const SPEED = 60;
const POWER_W = 3 * 230 * 10;
const START_MS = Date.parse('2026-01-01T00:00:00Z');
const RUNNER = join(import.meta.dirname, '../../scripts/run-meter.ts');

interface Report {
  type: 'ready' | 'tick' | 'saved';
  timeMs: number;
  energyWh: number;
  restored?: boolean;
}

/** A runner process and its reports, with a way to wait for the n-th report of a type. */
class MeterProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly reports: Report[] = [];
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  readonly exited: Promise<NodeJS.Signals | number | null>;
  stderr = '';

  constructor(stateDir: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', RUNNER, '--state', stateDir, '--speed', String(SPEED)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve(signal ?? code)));
    createInterface({ input: this.child.stdout }).on('line', (text) => {
      this.reports.push(JSON.parse(text) as Report);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test()) return true;
        w.resolve();
        return false;
      });
    });
  }

  of(type: Report['type']): Report[] {
    return this.reports.filter((r) => r.type === type);
  }

  until(type: Report['type'], count: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const test = () => this.of(type).length >= count;
      if (test()) return resolve();
      this.waiters.push({ test, resolve });
      void this.exited.then((how) => reject(new Error(`runner exited (${String(how)}) before ${count} ${type} reports: ${this.stderr}`)));
    });
  }

  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

const running: MeterProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) await p.kill();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('meter crash safety', () => {
  it('SIGKILL and restart, three times: loses at most the last second, never backwards, never twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'submeter-crash-'));
    dirs.push(dir);
    let previous: MeterProcess | undefined;
    for (let round = 0; round < 3; round += 1) {
      const meter = new MeterProcess(dir);
      running.push(meter);
      await meter.until('ready', 1);
      const ready = meter.of('ready')[0];
      if (previous === undefined) {
        expect(ready.restored).toBe(false);
        expect(ready.energyWh).toBe(0);
      } else {
        const lastTick = previous.of('tick').at(-1);
        const lastSaved = previous.of('saved').at(-1);
        if (lastTick === undefined || lastSaved === undefined) throw new Error('no reports before the kill');
        expect(ready.restored).toBe(true);
        // Never counts twice: the restored register is at most what was counted before the kill.
        expect(ready.energyWh).toBeLessThanOrEqual(lastTick.energyWh + 1e-9);
        // Never backwards from what was durably saved.
        expect(ready.energyWh).toBeGreaterThanOrEqual(lastSaved.energyWh - 1e-9);
        // Loses at most the last second of real time (SPEED seconds of meter time).
        const lostMeterMs = lastTick.timeMs - ready.timeMs;
        expect(lostMeterMs).toBeGreaterThanOrEqual(0);
        expect(lostMeterMs).toBeLessThanOrEqual(1000 * SPEED);
        expect(lastTick.energyWh - ready.energyWh).toBeLessThanOrEqual((POWER_W * SPEED) / 3600 + 1e-6);
      }
      // Run until two snapshots are durable, then crash at an arbitrary point of a tick.
      await meter.until('saved', 2);
      await meter.until('tick', meter.of('tick').length + 3);
      await meter.kill();
      // Every report of this run: monotonic, and exactly the integral of a constant power over
      // meter time since the first start (the simulated clock resumes at the stored time).
      // (A "saved" report describes the state taken when that save began, so it may trail ticks.)
      const last = { ready: 0, tick: ready.energyWh, saved: ready.energyWh };
      for (const r of meter.reports) {
        expect(r.energyWh).toBeGreaterThanOrEqual(last[r.type] - 1e-9);
        last[r.type] = r.energyWh;
        const expected = (POWER_W * (r.timeMs - ready.timeMs)) / 3_600_000 + ready.energyWh;
        expect(r.energyWh).toBeCloseTo(expected, 6);
      }
      previous = meter;
    }
    // After three crashes the register still equals P x (meter time counted) with no double count.
    const final = previous?.of('tick').at(-1);
    expect(final?.energyWh).toBeGreaterThan(0);
  });
});
