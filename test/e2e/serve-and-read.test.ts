/**
 * A user's first minute: `submeter serve --profile sdm630 --tcp ...` serves the real meter; it is
 * read back with `submeter read --json` and with mbpoll, and stops cleanly on SIGTERM/SIGINT.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runTool, skipWithoutTool, toolAvailable } from '../support/external-tool.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killCliChildren, readJson, runBuilt, valueOf } from '../support/cli-runner.js';

const scratch = mkdtempSync(join(tmpdir(), 'submeter-e2e-serve-'));
afterAll(() => {
  killCliChildren();
  rmSync(scratch, { recursive: true, force: true });
});

const mbpollAvailable = toolAvailable('mbpoll', ['-V']);
const socatAvailable = toolAvailable('socat', ['-V']);

describe('submeter serve --profile sdm630, read back', () => {
  it('serves physically consistent values that submeter read decodes, exits 0 on SIGTERM', async () => {
    const serve = runBuilt(['serve', '--profile', 'sdm630', '--tcp', '127.0.0.1:0', '--source', 'synthetic:office', '--log-level', 'warn']);
    const [, port] = await serve.waitFor(/modbus\/tcp 127\.0\.0\.1:(\d+) unit 1 -> meter/);
    await serve.waitFor(/^ready in \d+ ms/m);
    expect(serve.stdout()).toMatch(new RegExp(`try: mbpoll -m tcp -p ${port} -a 1 -t 3:float -B -r 1 -c 6 -1 127\\.0\\.0\\.1`));

    const read = await readJson(['--tcp', `127.0.0.1:${port}`, '--profile', 'sdm630']);
    expect(read.errors).toEqual([]);
    const u = valueOf(read, 'voltage.l1');
    const i = valueOf(read, 'current.l1');
    const p = valueOf(read, 'power.active.l1');
    const s = valueOf(read, 'power.apparent.l1');
    const pf = valueOf(read, 'powerFactor.l1');
    expect(u).toBeGreaterThan(200);
    expect(u).toBeLessThan(260);
    expect(i).toBeGreaterThan(1);
    // The registers agree with each other as a meter's must: S = U I, PF = P / S.
    expect(Math.abs(s - u * i) / s).toBeLessThan(1e-4);
    expect(Math.abs(pf - p / s)).toBeLessThan(1e-4);
    const total = valueOf(read, 'power.active.total');
    const sum = p + valueOf(read, 'power.active.l2') + valueOf(read, 'power.active.l3');
    expect(Math.abs(total - sum) / total).toBeLessThan(1e-4);
    expect(read.values.find((v) => v.name === 'Serial number')?.value).toBe(24000001);

    expect(await serve.stop('SIGTERM')).toBe(0);
    expect(serve.stderr()).not.toMatch(/\n\s+at /);
  });

  it.skipIf(skipWithoutTool(mbpollAvailable))('mbpoll reads the same voltages as submeter read (the summary command works as printed)', async () => {
    const serve = runBuilt(['serve', '--profile', 'sdm630', '--tcp', '127.0.0.1:0', '--log-level', 'warn']);
    const [command] = await serve.waitFor(/mbpoll -m tcp .*$/m);
    const args = command.split(' ').slice(1);
    const mbpoll = await runTool('mbpoll', args);
    expect(mbpoll.code).toBe(0);
    const polled = [...mbpoll.stdout.matchAll(/^\[(\d+)\]:\s+(-?[\d.]+)/gm)].map((m) => [Number(m[1]), Number(m[2])] as const);
    expect(polled.map(([ref]) => ref)).toEqual([1, 3, 5, 7, 9, 11]);
    const port = /-p (\d+)/.exec(command)?.[1] ?? '';
    const read = await readJson(['--tcp', `127.0.0.1:${port}`, '--profile', 'sdm630', '--match', 'volts']);
    const l1 = valueOf(read, 'voltage.l1');
    // synthetic:office has a steady voltage: both clients see the same 230-ish volts (mbpoll prints 6 digits).
    expect(Math.abs((polled[0]?.[1] ?? 0) - l1)).toBeLessThan(0.01);
    expect(await serve.stop('SIGINT')).toBe(0);
  });

  it('read --watch polls until SIGINT, one JSON line per poll', async () => {
    const serve = runBuilt(['serve', '--profile', 'titan', '--tcp', '127.0.0.1:0', '--speed', '60', '--log-level', 'warn']);
    const [, port] = await serve.waitFor(/modbus\/tcp 127\.0\.0\.1:(\d+)/);
    const watch = runBuilt(['read', '--tcp', `127.0.0.1:${port}`, '--profile', 'titan', '--match', 'energy.total.activeImport', '--json', '--watch', '--interval', '0.3']);
    await watch.waitFor(/\n.*\n.*\n/); // three polls
    expect(await watch.stop('SIGINT')).toBe(0);
    const polls = watch.stdout().trim().split('\n').map((line) => JSON.parse(line) as { values: Array<{ quantity: string; value: number }> });
    const energy = polls.map((poll) => poll.values.find((v) => v.quantity === 'energy.total.activeImportWh')?.value ?? NaN);
    expect(energy.length).toBeGreaterThanOrEqual(3);
    // At 60x, energy grows between polls and never goes back.
    for (let k = 1; k < energy.length; k += 1) expect(energy[k]).toBeGreaterThanOrEqual(energy[k - 1] ?? Infinity);
    expect(energy[energy.length - 1]).toBeGreaterThan(energy[0] ?? Infinity);
    expect(await serve.stop()).toBe(0);
  });

  it.skipIf(skipWithoutTool(socatAvailable && mbpollAvailable))('on RTU: serve --rtu and read --rtu agree on the profile\'s line (sdm630: 9600 8N1); so does mbpoll -m rtu', async () => {
    const meterEnd = join(scratch, 'meter');
    const masterEnd = join(scratch, 'master');
    const vpair = runBuilt(['vpair', '--link-a', meterEnd, '--link-b', masterEnd, '--json']);
    await vpair.waitFor(/^\{.*\}$/m);
    const serve = runBuilt(['serve', '--profile', 'sdm630', '--rtu', meterEnd, '--unit', '7', '--log-level', 'warn']);
    await serve.waitFor(/^ready in/m);
    expect(serve.stdout()).toMatch(/modbus\/rtu .*meter 9600 8N1 unit 7 -> meter/);
    expect(serve.stdout()).toMatch(/try: mbpoll -m rtu -a 7 -b 9600 -d 8 -s 1 -P none -t 3:float -B -r 1 -c 6 -1 <the other end of .*meter>/);
    const read = await readJson(['--rtu', masterEnd, '--unit', '7', '--profile', 'sdm630', '--match', 'volts', '--timeout', '2000']);
    const l1 = valueOf(read, 'voltage.l1');
    expect(l1).toBeGreaterThan(200);
    const mbpoll = await runTool('mbpoll', ['-m', 'rtu', '-a', '7', '-b', '9600', '-d', '8', '-s', '1', '-P', 'none', '-t', '3:float', '-B', '-r', '1', '-c', '1', '-1', masterEnd]);
    expect(mbpoll.code).toBe(0);
    const polled = Number(/^\[1\]:\s+(-?[\d.]+)/m.exec(mbpoll.stdout)?.[1]);
    expect(Math.abs(polled - l1)).toBeLessThan(0.01);
    expect(await serve.stop('SIGTERM')).toBe(0);
    expect(await vpair.stop('SIGINT')).toBe(0);
  });
});
