/**
 * Attacks on `--state DIR` against the built `submeter serve`: a second server on the same
 * directory, a holder killed with SIGKILL, a directory that cannot be written at start or that
 * becomes read-only while serving, and state files with impossible contents or a huge size.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STATE_FILE } from '../../src/meter/store/file-state-store.js';
import { LOCK_FILE } from '../../src/meter/store/state-directory-lock.js';
import { decodeStateFile, encodeStateFile } from '../../src/meter/store/state-file-format.js';
import { canDropPrivileges, giveToServer, killServers, runBuiltCli } from '../support/hostile-serve.js';
import { ModbusRTU } from '../support/modbus-serial.js';

const scratch = mkdtempSync(join(tmpdir(), 'submeter-hostile-state-'));
chmodSync(scratch, 0o755);
afterAll(() => {
  killServers();
  rmSync(scratch, { recursive: true, force: true });
});

let dirs = 0;
function stateDir(): string {
  dirs += 1;
  return join(scratch, `state-${dirs}`);
}

const serve = (dir: string, extra: string[] = []) => runBuiltCli(['serve', '--profile', 'titan', '--tcp', '127.0.0.1:0', '--speed', '600', '--state', dir, ...extra]);

describe('two servers, one state directory', () => {
  it('the second is refused with one line and exit 1, creates nothing, and the first keeps its state', async () => {
    const dir = stateDir();
    const first = serve(dir);
    await first.ready();
    const second = serve(dir);
    expect(await second.exit).toBe(1);
    const lines = second.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^submeter: meter: cannot start the meter: state directory ${dir} is in use by another submeter \\(pid ${first.child.pid} on \\S+ since \\S+Z\\): stop that server or use another --state directory$`),
    );
    expect(second.stdout()).toBe('');
    // The second server wrote nothing: the lock is still the first's, no stray files.
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: first.child.pid });
    expect(readdirSync(dir).filter((name) => ![STATE_FILE, 'meter-state.prev.json', LOCK_FILE].includes(name))).toEqual([]);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(readdirSync(dir)).not.toContain(LOCK_FILE);
  }, 60_000);

  it('a holder killed with SIGKILL does not block the next start: its lock is taken over and the state restored', async () => {
    const dir = stateDir();
    const first = serve(dir);
    await first.ready();
    // Wait for a first periodic save, then kill without warning.
    while (!readdirSync(dir).includes(STATE_FILE)) await new Promise((resolve) => setTimeout(resolve, 50));
    first.child.kill('SIGKILL');
    await first.exit;
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: first.child.pid });
    const second = serve(dir, ['--log-level', 'info']);
    await second.ready();
    expect(second.stderr()).toContain(`took over the stale lock ${join(dir, LOCK_FILE)} of pid ${first.child.pid}`);
    expect(second.stderr()).toContain(`state restored from ${dir}`);
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  }, 60_000);
});

describe('a panel that fails to start', () => {
  it('leaves nothing behind: the state directory its first meter created is removed again', async () => {
    const dir = stateDir();
    const holder = serve(join(dir, 'b')); // another server holds meter b's directory
    await holder.ready();
    const config = join(scratch, 'two-meters.yaml');
    writeFileSync(config, 'meters:\n  a: {}\n  b: {}\nendpoints:\n  - tcp: 127.0.0.1:0\n    units: { 1: a, 2: b }\n');
    const panel = runBuiltCli(['serve', '--config', config, '--state', dir]);
    expect(await panel.exit).toBe(1);
    expect(panel.stderr()).toMatch(/meters\.b: cannot start the meter: state directory .*\/b is in use by another submeter/);
    expect(readdirSync(dir)).toEqual(['b']);
    holder.child.kill('SIGTERM');
    expect(await holder.exit).toBe(0);
  }, 60_000);
});

describe.skipIf(!canDropPrivileges)('a state directory that cannot be written', () => {
  it('at start: refused with one line and exit 1, nothing created', async () => {
    const parent = stateDir();
    mkdirSync(parent);
    giveToServer(parent);
    chmodSync(parent, 0o555);
    const run = runBuiltCli(['serve', '--profile', 'titan', '--tcp', '127.0.0.1:0', '--state', join(parent, 'meter')], { unprivileged: true });
    expect(await run.exit).toBe(1);
    expect(run.stderr().trim().split('\n')).toEqual([`submeter: meter: cannot start the meter: state directory ${join(parent, 'meter')} cannot be created (EACCES)`]);
    const existing = stateDir();
    mkdirSync(existing);
    giveToServer(existing);
    chmodSync(existing, 0o555);
    const again = runBuiltCli(['serve', '--profile', 'titan', '--tcp', '127.0.0.1:0', '--state', existing], { unprivileged: true });
    expect(await again.exit).toBe(1);
    expect(again.stderr().trim().split('\n')).toEqual([`submeter: meter: cannot start the meter: state directory ${existing} is not writable (EACCES)`]);
    expect(readdirSync(existing)).toEqual([]);
  }, 60_000);

  it('read-only after start: the failure is logged once (not every second) and serve exits 1 when the last save fails', async () => {
    const dir = stateDir();
    mkdirSync(dir);
    giveToServer(dir);
    const run = runBuiltCli(['serve', '--profile', 'titan', '--tcp', '127.0.0.1:0', '--speed', '600', '--state', dir], { unprivileged: true });
    const port = await run.ready();
    chmodSync(dir, 0o555);
    await run.waitForStderr(/cannot save state: EACCES/);
    // A setting cannot be made durable now: the write is answered with exception 04, not acknowledged.
    const client = new ModbusRTU();
    await client.connectTCP('127.0.0.1', { port });
    client.setID(1);
    await client.writeRegisters(0x0000, [1234]); // the unlock is not persisted: accepted
    await expect(client.writeRegisters(0x0001, [0x4220, 0x0000])).rejects.toMatchObject({ modbusCode: 4 }); // CT ratio 40
    await new Promise<void>((resolve) => client.close(() => resolve()));
    // Five more flush periods (1 s each) fail the same way: nothing more is logged for them.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(1);
    const log = run.stderr();
    expect(log.match(/cannot save state: EACCES/g)).toHaveLength(1);
    expect(log).toMatch(/meter: cannot save state: last save failed 3 times, the state on disk is from before/);
    expect(log).toContain('submeter: stopped, but the state of 1 meter could not be saved (see above)');
  }, 60_000);
});

describe('state files that must not be trusted', () => {
  async function savedState(dir: string): Promise<Buffer> {
    const run = serve(dir);
    await run.ready();
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    return readFileSync(join(dir, STATE_FILE));
  }

  it.each([
    ['timeMs: -1', { timeMs: -1 }, 'field timeMs: Too small: expected number to be >=0 (got -1)'],
    ['energy 1e300', { energyWhole0: 1e300 }, 'field energy.whole[0]: Too big: expected int to be <=9007199254740991 (got 1e+300)'],
    ['relayClosed: "no"', { relayClosed: 'no' }, 'field relayClosed: Invalid input: expected boolean, received string (got "no")'],
  ])('%s with a valid checksum and no previous snapshot: refused with one line naming file and field', async (_label, change, message) => {
    const dir = stateDir();
    const bytes = await savedState(dir);
    const state = decodeStateFile(bytes, 'saved');
    const { energyWhole0, ...rest } = change as { energyWhole0?: number } & Record<string, unknown>;
    const damaged = { ...state, ...rest } as typeof state;
    if (energyWhole0 !== undefined) damaged.energy = { ...state.energy, whole: [energyWhole0, ...state.energy.whole.slice(1)] };
    rmSync(join(dir, 'meter-state.prev.json'), { force: true });
    writeFileSync(join(dir, STATE_FILE), encodeStateFile(damaged));
    const run = serve(dir);
    expect(await run.exit).toBe(1);
    const lines = run.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${join(dir, STATE_FILE)}: ${message}, and there is no usable previous snapshot`);
    expect(lines[0]).not.toMatch(/Cannot read properties|reading '/);
  }, 60_000);

  it('a 1 GiB state file is refused from its size, without reading it: the previous snapshot is used', async () => {
    const dir = stateDir();
    await savedState(dir);
    await savedState(dir); // now a previous snapshot exists too
    truncateSync(join(dir, STATE_FILE), 1024 ** 3);
    const run = serve(dir, ['--log-level', 'info']);
    await run.ready();
    expect(run.stderr()).toContain(`${join(dir, STATE_FILE)}: a state file is larger than the limit of 64 MiB (1024 MiB); not read`);
    expect(run.stderr()).toContain('falling back to the previous good snapshot');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  }, 60_000);
});
