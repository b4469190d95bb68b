import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/meter/clock.js';
import { createMeter } from '../../../src/meter/create-meter.js';
import { FileStateStore, PREVIOUS_STATE_FILE, STATE_FILE, StateRefusedError } from '../../../src/meter/store/file-state-store.js';
import { LOCK_FILE } from '../../../src/meter/store/state-directory-lock.js';
import { encodeStateFile } from '../../../src/meter/store/state-file-format.js';
import { balancedLoad, SettableSource } from '../../support/phasor-measurement.js';
import { collectingLogger, scratchDirs } from '../../support/scratch-dirs.js';

const START = Date.UTC(2026, 4, 10, 8, 0);
const stateDir = scratchDirs('submeter-state-');

/** The meter "powers off": its store gives the directory's lock back, so the next one may take it. */
function powerOff(running: { store: FileStateStore | undefined }): void {
  running.store?.release();
}

/** Run a meter on a manual clock for `minutes`, one tick per 10 s, saving at the end. */
async function runFor(dir: string, clock: ManualClock, minutes: number, logger = collectingLogger()) {
  const source = new SettableSource(balancedLoad(230, 20, 0.3));
  const running = await createMeter({ source, stateDir: dir, clock, logger, configuration: { demandMethod: 'block' } });
  for (let i = 0; i < minutes * 6; i += 1) {
    clock.advance(10_000);
    running.tick();
  }
  await running.flush();
  return running;
}

describe('persistence', () => {
  it('round-trips registers, demand maxima, billing, profile, events and settings', async () => {
    const dir = stateDir();
    const clock = new ManualClock(START);
    const first = await runFor(dir, clock, 95);
    first.meter.updateSettings({ ctRatio: 2 });
    first.meter.setCoverOpen(true);
    first.meter.resetDemand();
    clock.advance(20 * 60_000);
    first.tick();
    await first.flush();
    const before = first.meter.snapshot();
    powerOff(first);
    const again = await createMeter({ source: first.meter.source, stateDir: dir, clock, logger: collectingLogger() });
    const after = again.meter.snapshot();
    expect(after.energy).toEqual(before.energy);
    expect(after.demand.activeImport.max).toBe(before.demand.activeImport.max);
    expect(after.demand.activeImport.maxTimeMs).toBe(before.demand.activeImport.maxTimeMs);
    expect(after.settings.ctRatio).toBe(2);
    expect(after.profileCount).toBe(before.profileCount);
    expect(again.meter.profileRecords()).toEqual(first.meter.profileRecords());
    expect(again.meter.eventRecords().slice(0, before.eventCount).map((e) => e.kind)).toEqual(
      first.meter.eventRecords().map((e) => e.kind),
    );
    expect(after.billingPeriodCount).toBe(before.billingPeriodCount);
    // Counting continues from the stored registers: never twice, never backwards.
    clock.advance(3_600_000);
    again.tick();
    const perHour = 3 * 230 * 20 * Math.cos(0.3) * 2; // CT ratio 2
    expect(again.meter.activeImportWh()).toBeCloseTo(before.energy.total.activeImportWh + perHour, 6);
  });

  it('logs the power failure (last gasp) from the last snapshot to power-up and counts nothing in between', async () => {
    const dir = stateDir();
    const clock = new ManualClock(START);
    const first = await runFor(dir, clock, 10);
    const savedAt = first.meter.timeMs ?? 0;
    const saved = first.meter.activeImportWh();
    clock.advance(3 * 3_600_000);
    powerOff(first);
    const again = await createMeter({ source: first.meter.source, stateDir: dir, clock, logger: collectingLogger() });
    expect(again.meter.eventRecord(0)).toMatchObject({ kind: 'power-fail', startMs: savedAt, endMs: clock.nowMs(), extremeValue: 3 * 3600 });
    expect(again.meter.activeImportWh()).toBe(saved);
    // The profile intervals of the outage are closed with the power-fail flag and no energy.
    const last = again.meter.profileRecord(0);
    expect(last?.activeImportWh).toBe(0);
    expect((last?.status ?? 0) & 1).toBe(1);
    // A restart within 2 s is not a power failure.
    await again.flush();
    powerOff(again);
    clock.advance(1500);
    const third = await createMeter({ source: first.meter.source, stateDir: dir, clock, logger: collectingLogger() });
    expect(third.meter.eventRecord(0)?.kind).toBe('power-fail');
    expect(third.meter.snapshot().eventCount).toBe(again.meter.snapshot().eventCount);
  });

  it('writes atomically: a checksummed file, the previous snapshot kept, no temporary files left', async () => {
    const dir = stateDir();
    const clock = new ManualClock(START);
    const running = await runFor(dir, clock, 1);
    clock.advance(10_000);
    running.tick();
    await running.flush();
    expect(readdirSync(dir).sort()).toEqual([STATE_FILE, PREVIOUS_STATE_FILE, LOCK_FILE].sort());
    powerOff(running);
    expect(readdirSync(dir).sort()).toEqual([STATE_FILE, PREVIOUS_STATE_FILE].sort());
    const text = readFileSync(join(dir, STATE_FILE), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^submeter-state v1 bytes=\d+ sha256=[0-9a-f]{64}$/);
    const previous = readFileSync(join(dir, PREVIOUS_STATE_FILE), 'utf8');
    expect(JSON.parse(previous.slice(previous.indexOf('\n') + 1)).timeMs).toBe(START + 60_000);
    expect(JSON.parse(text.slice(text.indexOf('\n') + 1)).timeMs).toBe(START + 70_000);
  });

  it.each([
    ['corrupted (a flipped byte)', (bytes: Buffer) => { bytes[bytes.length - 20] ^= 0x01; return bytes; }, /does not match the header/],
    ['truncated', (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2)), /truncated/],
    ['empty', () => Buffer.alloc(0), /no header line/],
  ])('falls back to the previous good snapshot when the latest is %s, and says so', async (_label, damage, reason) => {
    const dir = stateDir();
    const clock = new ManualClock(START);
    const running = await runFor(dir, clock, 2);
    const previousEnergy = running.meter.activeImportWh();
    clock.advance(60_000);
    running.tick();
    await running.flush();
    const path = join(dir, STATE_FILE);
    writeFileSync(path, damage(readFileSync(path)));
    powerOff(running);
    const logger = collectingLogger();
    const again = await createMeter({ source: running.meter.source, stateDir: dir, clock, logger });
    expect(again.meter.activeImportWh()).toBe(previousEnergy);
    expect(logger.messages).toHaveLength(1);
    expect(logger.messages[0]).toMatch(reason);
    expect(logger.messages[0]).toContain(`falling back to the previous good snapshot ${join(dir, PREVIOUS_STATE_FILE)}`);
    // The damaged file is kept aside for inspection.
    expect(readdirSync(dir).some((n) => n.startsWith(`${STATE_FILE}.corrupt-`))).toBe(true);
  });

  it('refuses a newer format with a message naming the file, and never overwrites it', async () => {
    const dir = stateDir();
    const clock = new ManualClock(START);
    const running = await runFor(dir, clock, 1);
    const path = join(dir, STATE_FILE);
    powerOff(running);
    const newer = readFileSync(path, 'utf8').replace(/^submeter-state v1 /, 'submeter-state v2 ');
    writeFileSync(path, newer);
    const mtime = statSync(path).mtimeMs;
    const attempt = createMeter({ source: running.meter.source, stateDir: dir, clock, logger: collectingLogger() });
    await expect(attempt).rejects.toThrow(StateRefusedError);
    await expect(createMeter({ source: running.meter.source, stateDir: dir, clock })).rejects.toThrow(
      `${path}: state format v2 is newer than this submeter understands (v1); refusing to use or overwrite it`,
    );
    expect(readFileSync(path, 'utf8')).toBe(newer);
    expect(statSync(path).mtimeMs).toBe(mtime);
    // A store that refused will not write either.
    const store = new FileStateStore(dir, collectingLogger());
    await expect(store.load()).rejects.toThrow(/newer/);
    const state = running.meter.exportState();
    if (state === undefined) throw new Error('no state');
    expect(() => store.saveSync(state)).toThrow(/not saving over refused state/);
    await expect(store.save(state)).rejects.toThrow(/not saving over refused state/);
  });

  it('refuses when both snapshots are damaged, or a state file cannot be read', async () => {
    const dir = stateDir();
    const clock = new ManualClock(START);
    powerOff(await runFor(dir, clock, 1));
    clock.advance(10_000);
    const running = await runFor(dir, clock, 1);
    powerOff(running);
    writeFileSync(join(dir, STATE_FILE), 'garbage');
    writeFileSync(join(dir, PREVIOUS_STATE_FILE), 'submeter-state v1 bytes=3 sha256=' + '0'.repeat(64) + '\n{}x');
    await expect(createMeter({ source: running.meter.source, stateDir: dir, clock, logger: collectingLogger() })).rejects.toThrow(
      /no usable previous snapshot/,
    );
    expect(readFileSync(join(dir, STATE_FILE), 'utf8')).toBe('garbage');
    const unreadable = stateDir();
    mkdirSync(join(unreadable, STATE_FILE));
    await expect(createMeter({ source: running.meter.source, stateDir: unreadable, clock })).rejects.toThrow(
      `cannot read state file ${join(unreadable, STATE_FILE)} (EISDIR)`,
    );
  });

  it('refuses a checksummed state whose content is invalid, naming the file', async () => {
    const dir = stateDir();
    const clock = new ManualClock(START);
    const running = await runFor(dir, clock, 1);
    powerOff(running);
    const state = running.meter.exportState();
    if (state === undefined) throw new Error('no state');
    writeFileSync(join(dir, STATE_FILE), encodeStateFile({ ...state, configuration: { ...state.configuration, ctRatio: -5 } }));
    await expect(createMeter({ source: running.meter.source, stateDir: dir, clock })).rejects.toThrow(
      `${join(dir, STATE_FILE)}: field configuration: ctRatio must be a number between 1 and 10000, got -5, and there is no usable previous snapshot`,
    );
  });
});

describe('store ordering', () => {
  it('a synchronous save made while an asynchronous one is in flight wins; the overtaken one is dropped', async () => {
    const dir = stateDir();
    const clock = new ManualClock(START);
    const running = await runFor(dir, clock, 1);
    const older = running.meter.exportState();
    clock.advance(60_000);
    running.tick();
    const newer = running.meter.exportState();
    if (older === undefined || newer === undefined) throw new Error('no state');
    powerOff(running);
    const store = new FileStateStore(dir, collectingLogger());
    const inFlight = store.save(older);
    store.saveSync(newer);
    await inFlight;
    store.release();
    const loaded = await new FileStateStore(dir, collectingLogger()).load();
    expect(loaded?.timeMs).toBe(newer.timeMs);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('removes temporary files left by a crash mid-save when loading', async () => {
    const dir = stateDir();
    const clock = new ManualClock(START);
    powerOff(await runFor(dir, clock, 1));
    writeFileSync(join(dir, `${STATE_FILE}.7.tmp`), 'half a snap');
    const loaded = await new FileStateStore(dir, collectingLogger()).load();
    expect(loaded?.timeMs).toBe(START + 60_000);
    expect(readdirSync(dir).sort()).toEqual([STATE_FILE, LOCK_FILE].sort());
  });
});
