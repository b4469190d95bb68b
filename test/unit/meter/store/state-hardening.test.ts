/**
 * The state store against impossible contents, huge files, a second user of the directory and
 * failing saves.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/meter/clock.js';
import { createMeter, type RunningMeter } from '../../../../src/meter/create-meter.js';
import type { MeasurementSource } from '../../../../src/metrology/measurement-source.js';
import type { MeterState } from '../../../../src/meter/meter-state.js';
import { FileStateStore, MAX_STATE_FILE_BYTES, PREVIOUS_STATE_FILE, STATE_FILE, StateRefusedError } from '../../../../src/meter/store/file-state-store.js';
import { SaveFailureLog } from '../../../../src/meter/store/save-failure-log.js';
import { HEARTBEAT_STALE_MS, LOCK_FILE } from '../../../../src/meter/store/state-directory-lock.js';
import { encodeStateFile } from '../../../../src/meter/store/state-file-format.js';
import { balancedLoad, SettableSource } from '../../../support/phasor-measurement.js';
import { collectingLogger, scratchDirs } from '../../../support/scratch-dirs.js';

const START = Date.UTC(2026, 4, 10, 8, 0);
const scratch = scratchDirs('submeter-hardening-');

const source = (): SettableSource => new SettableSource(balancedLoad(230, 20, 0.3));

/** Two saved snapshots (latest and previous) one minute apart, the directory released. */
async function twoSnapshots(dir: string): Promise<{ latest: MeterState; previous: MeterState }> {
  const clock = new ManualClock(START);
  const running = await createMeter({ source: source(), stateDir: dir, clock, logger: collectingLogger() });
  clock.advance(60_000);
  running.tick();
  await running.flush();
  const previous = running.meter.exportState();
  clock.advance(60_000);
  running.tick();
  await running.flush();
  const latest = running.meter.exportState();
  running.store?.release(); // powered off: no last save

  if (latest === undefined || previous === undefined) throw new Error('no state');
  return { latest, previous };
}

type Damage = (state: MeterState) => unknown;

const impossible: Array<[string, Damage, string]> = [
  ['timeMs: -1', (s) => ({ ...s, timeMs: -1 }), 'field timeMs: Too small'],
  ['energy 1e300', (s) => ({ ...s, energy: { ...s.energy, whole: s.energy.whole.map((w, i) => (i === 0 ? 1e300 : w)) } }), 'field energy.whole[0]: Too big'],
  ['relayClosed: "no"', (s) => ({ ...s, relayClosed: 'no' }), 'field relayClosed: Invalid input: expected boolean, received string (got "no")'],
  ['energy missing', (s) => ({ ...s, energy: undefined }), 'field energy: Invalid input: expected object, received undefined'],
  ['demand arrays too short', (s) => ({ ...s, demand: { ...s.demand, max: [1] } }), 'field demand.max: expected 14 values'],
  ['unknown event kind', (s) => ({ ...s, events: { count: 1, records: [{ sequence: 1, kind: 'boom', phase: 0, startMs: 0, endMs: 0, extremeValue: 0 }] } }), 'field events.records[0].kind: Invalid option'],
  ['event sequence going back', (s) => ({ ...s, events: { count: 5, records: [{ sequence: 2, kind: 'sag', phase: 1, startMs: 0, endMs: 1, extremeValue: 1 }, { sequence: 1, kind: 'sag', phase: 1, startMs: 0, endMs: 1, extremeValue: 1 }] } }), 'field events.records[1].sequence: 1 does not follow 2'],
];

describe('restored state is validated field by field', () => {
  it.each(impossible)('%s in the latest snapshot: falls back to the previous good one, naming the file and field', async (_label, damage, message) => {
    const dir = scratch();
    const { latest, previous } = await twoSnapshots(dir);
    writeFileSync(join(dir, STATE_FILE), encodeStateFile(damage(latest) as MeterState));
    const logger = collectingLogger();
    const again = await createMeter({ source: source(), stateDir: dir, clock: new ManualClock(START + 180_000), logger });
    expect(again.meter.activeImportWh()).toBeCloseTo(previous.energy.whole[0] + previous.energy.fraction[0], 9);
    expect(logger.messages[0]).toContain(`${join(dir, STATE_FILE)}: ${message}`);
    expect(logger.messages[0]).toContain(`falling back to the previous good snapshot ${join(dir, PREVIOUS_STATE_FILE)}`);
    await again.stop();
  });

  it.each(impossible)('%s with no previous snapshot: refused, naming the file and field, without JavaScript internals', async (_label, damage, message) => {
    const dir = scratch();
    const { latest } = await twoSnapshots(dir);
    rmSync(join(dir, PREVIOUS_STATE_FILE));
    writeFileSync(join(dir, STATE_FILE), encodeStateFile(damage(latest) as MeterState));
    const attempt = createMeter({ source: source(), stateDir: dir, clock: new ManualClock(START), logger: collectingLogger() });
    await expect(attempt).rejects.toThrow(StateRefusedError);
    const error = await attempt.catch((e: unknown) => e as Error);
    expect(String(error)).toContain(`${join(dir, STATE_FILE)}: ${message}`);
    expect(String(error)).not.toMatch(/Cannot read properties|undefined \(reading|is not a function|Infinity/);
    // The refused directory is left as it was (and unlocked).
    expect(readdirSync(dir).sort()).toEqual([STATE_FILE]);
  });

  it(`a state file over ${MAX_STATE_FILE_BYTES / 1024 / 1024} MiB is not read: the previous snapshot is used`, async () => {
    const dir = scratch();
    const { previous } = await twoSnapshots(dir);
    truncateSync(join(dir, STATE_FILE), 1024 ** 3); // a sparse 1 GiB file
    const logger = collectingLogger();
    const memoryBefore = process.memoryUsage().rss;
    const again = await createMeter({ source: source(), stateDir: dir, clock: new ManualClock(START + 180_000), logger });
    expect(process.memoryUsage().rss - memoryBefore).toBeLessThan(256 * 1024 * 1024);
    expect(again.meter.timeMs).toBeGreaterThanOrEqual(previous.timeMs);
    expect(logger.messages[0]).toContain(`${join(dir, STATE_FILE)}: a state file is larger than the limit of 64 MiB (1024 MiB); not read`);
    await again.stop();
  });
});

describe('one server per state directory', () => {
  it('a second store in this process is refused while the first holds the directory, and admitted after it stops', async () => {
    const dir = scratch();
    const first = await createMeter({ source: source(), stateDir: dir, clock: new ManualClock(START), logger: collectingLogger() });
    await expect(new FileStateStore(dir, collectingLogger()).load()).rejects.toThrow(`state directory ${dir} is already used by another meter of this server`);
    await first.stop();
    const second = await createMeter({ source: source(), stateDir: dir, clock: new ManualClock(START + 1000), logger: collectingLogger() });
    expect(second.restored).toBe(true);
    await second.stop();
    expect(readdirSync(dir)).not.toContain(LOCK_FILE);
  });

  it('a lock held by a live process is respected, naming its pid', async () => {
    const dir = scratch();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: hostname(), sinceMs: START }));
    await expect(new FileStateStore(dir, collectingLogger()).load()).rejects.toThrow(
      `state directory ${dir} is in use by another submeter (pid ${process.ppid} on ${hostname()} since 2026-05-10T08:00:00.000Z): stop that server or use another --state directory`,
    );
  });

  it('a lock left by a process that died (SIGKILL) is taken over, with a warning', async () => {
    const dir = scratch();
    const dead = spawnSync(process.execPath, ['-e', 'process.kill(process.pid, "SIGKILL")']);
    expect(dead.signal).toBe('SIGKILL');
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: dead.pid, host: hostname(), sinceMs: START }));
    const logger = collectingLogger();
    const store = new FileStateStore(dir, logger);
    expect(await store.load()).toBeUndefined();
    expect(logger.messages).toEqual([`submeter: took over the stale lock ${join(dir, LOCK_FILE)} of pid ${dead.pid} on ${hostname()} since 2026-05-10T08:00:00.000Z, no longer running`]);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    store.release();
  });

  it('a lock of our own pid from an earlier process (PID 1 in a restarted container) is stale', async () => {
    const dir = scratch();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), sinceMs: START, startTicks: '1' }));
    const store = new FileStateStore(dir, collectingLogger());
    await store.load();
    store.release();
  });

  it('a lock written on another host (or PID namespace) is judged by its heartbeat: respected while fresh, taken over when stale', async () => {
    const dir = scratch();
    const lock = join(dir, LOCK_FILE);
    writeFileSync(lock, JSON.stringify({ pid: 42, host: 'elsewhere.example', sinceMs: START }));
    await expect(new FileStateStore(dir, collectingLogger()).load()).rejects.toThrow(
      `state directory ${dir} is in use by another submeter (pid 42 on elsewhere.example since 2026-05-10T08:00:00.000Z): its lock was refreshed 0 s ago; if that server is gone, it is taken over ${HEARTBEAT_STALE_MS / 1000} s after its last refresh (or delete ${lock})`,
    );
    // Same host, another PID namespace (a container sharing the volume): the PID cannot be checked either.
    writeFileSync(lock, JSON.stringify({ pid: 999_999, host: hostname(), sinceMs: START, pidNamespace: 'pid:[1]' }));
    await expect(new FileStateStore(dir, collectingLogger()).load()).rejects.toThrow(/is in use by another submeter \(pid 999999/);
    const old = new Date(Date.now() - HEARTBEAT_STALE_MS - 1000);
    utimesSync(lock, old, old);
    const logger = collectingLogger();
    const store = new FileStateStore(dir, logger);
    await store.load();
    expect(logger.messages[0]).toContain('took over the stale lock');
    store.release();
  });

  it('the owner refreshes its lock at every save (the heartbeat)', async () => {
    const dir = scratch();
    const clock = new ManualClock(START);
    const running = await createMeter({ source: source(), stateDir: dir, clock, logger: collectingLogger() });
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, LOCK_FILE), old, old);
    clock.advance(1000);
    running.tick();
    await running.flush();
    expect(Date.now() - statSync(join(dir, LOCK_FILE)).mtimeMs).toBeLessThan(10_000);
    await running.stop();
  });
});

describe('a start that fails leaves nothing behind', () => {
  it('removes the directory it created and its lock when the meter cannot start', async () => {
    const parent = scratch();
    const dir = join(parent, 'new', 'meter');
    const broken: MeasurementSource = {
      description: 'broken',
      measureAt: () => {
        throw new RangeError('no samples');
      },
    } as unknown as MeasurementSource;
    await expect(createMeter({ source: broken, stateDir: dir, clock: new ManualClock(START), logger: collectingLogger() })).rejects.toThrow('no samples');
    expect(existsSync(join(parent, 'new'))).toBe(false);
  });

  it.skipIf(!existsSync('/proc/self'))('a directory that cannot be created under /proc is refused (Node\'s recursive mkdir would loop forever)', async () => {
    await expect(new FileStateStore('/proc/no-such-process/meter', collectingLogger()).load()).rejects.toThrow(
      'state directory /proc/no-such-process/meter cannot be created (ENOENT)',
    );
  });

  it('abandon() writes nothing and gives the directory back', async () => {
    const dir = join(scratch(), 'fresh');
    const running = await createMeter({ source: source(), stateDir: dir, clock: new ManualClock(START), logger: collectingLogger() });
    running.abandon();
    expect(existsSync(dir)).toBe(false);
  });
});

describe('failing saves', () => {
  it('are logged once per kind of failure, and once when saving works again', () => {
    const log = new SaveFailureLog();
    const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const lines = [full, full, full, denied, denied, full].map((e) => log.failed(e));
    expect(lines.filter((l) => l !== undefined)).toEqual([
      'cannot save state: ENOSPC: no space left on device (retrying every flush; logged once per kind of failure)',
      'cannot save state: EACCES: permission denied (retrying every flush; logged once per kind of failure)',
      'cannot save state: ENOSPC: no space left on device (retrying every flush; logged once per kind of failure)',
    ]);
    expect(log.succeeded()).toBe('state saved again after 6 failed attempts');
    expect(log.succeeded()).toBeUndefined();
  });

  it('a meter whose directory vanishes: every flush rejects (the runtime retries and logs), stop() retries 3 times and rejects', async () => {
    const dir = join(scratch(), 'meter');
    const clock = new ManualClock(START);
    const running: RunningMeter = await createMeter({ source: source(), stateDir: dir, clock, logger: collectingLogger() });
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'not a directory');
    for (let i = 0; i < 3; i += 1) {
      clock.advance(1000);
      running.tick();
      await expect(running.flush()).rejects.toThrow(/ENOTDIR/);
    }
    await expect(running.stop()).rejects.toThrow(/last save failed 3 times, the state on disk is from before: ENOTDIR/);
    // A setting cannot be made durable either: the synchronous save throws (the register layer answers 04).
    expect(() => running.flushSync()).toThrow();
  });
});
