/**
 * Slowloris against the built `submeter serve`, over real sockets: 31 connections that each send a
 * request one byte at a time and never finish it, plus one well-behaved poller, fill the limit of
 * 32. A new well-behaved client must be answered within 1 s, every time (issue 13, defect 6: on
 * the old server every new client was refused while the slow connections lasted).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { killCliChildren, runBuilt, type CliRun } from '../support/cli-runner.js';
import { adu, RawTcpClient } from '../support/raw-tcp-client.js';
import { rtuFrame } from '../support/rtu-frames.js';
import { startSlowloris, timeToAnswer } from '../support/slowloris.js';

afterAll(() => killCliChildren());

const trials = 10;
const readOneInput = [0x04, 0x00, 0x00, 0x00, 0x01];

async function startServe(args: string[], endpoint: RegExp): Promise<{ run: CliRun; port: number }> {
  const run = runBuilt(['serve', '--profile', 'demo', ...args]);
  const [, port] = await run.waitFor(endpoint);
  await run.waitFor(/^ready/m);
  return { run, port: Number(port) };
}

describe('slowloris (31 slow connections + 1 poller = the limit of 32)', () => {
  it('Modbus/TCP: a new client is answered within 1 s in every one of 10 trials, the poller throughout', async () => {
    const { run, port } = await startServe(['--tcp', '127.0.0.1:0'], /modbus\/tcp 127\.0\.0\.1:(\d+)/);
    const poller = await RawTcpClient.connect(port);
    expect((await poller.request(1, 1, readOneInput)).pdu.readUInt16BE(2)).toBe(1000);
    const attack = startSlowloris(port, 31, adu(7, 1, readOneInput), 1000);
    await attack.ready();
    const times: Array<number | undefined> = [];
    for (let trial = 0; trial < trials; trial += 1) {
      await attack.ready();
      times.push(await timeToAnswer(port, adu(trial, 1, readOneInput), 11, 1000));
      expect((await poller.request(100 + trial, 1, readOneInput)).pdu.readUInt16BE(2)).toBe(1000);
    }
    attack.stop();
    poller.close();
    expect(times.filter((t) => t !== undefined && t < 1000)).toHaveLength(trials);
    expect(attack.closedByServer).toBeGreaterThanOrEqual(trials);
    expect(await run.stop()).toBe(0);
  });

  it('RTU over TCP: the same, with RTU frames', async () => {
    const { run, port } = await startServe(['--rtu-tcp', '127.0.0.1:0'], /modbus\/rtu-over-tcp 127\.0\.0\.1:(\d+)/);
    const request = rtuFrame(1, ...readOneInput);
    expect(await timeToAnswer(port, request, 7, 5000)).toBeDefined();
    const attack = startSlowloris(port, 32, request, 1000);
    await attack.ready();
    const times: Array<number | undefined> = [];
    for (let trial = 0; trial < trials; trial += 1) {
      await attack.ready();
      times.push(await timeToAnswer(port, request, 7, 1000));
    }
    attack.stop();
    expect(times.filter((t) => t !== undefined && t < 1000)).toHaveLength(trials);
    expect(await run.stop()).toBe(0);
  });
});

describe('refused connections', () => {
  it('are logged at most once per 10 s, with a count, however many arrive', async () => {
    const { run, port } = await startServe(['--tcp', '127.0.0.1:0', '--max-connections', '1'], /modbus\/tcp 127\.0\.0\.1:(\d+)/);
    const busy = await RawTcpClient.connect(port);
    await busy.request(1, 1, readOneInput);
    const attempts = 300;
    for (let i = 0; i < attempts; i += 1) expect(await timeToAnswer(port, adu(i, 1, readOneInput), 11, 1000)).toBeUndefined();
    expect((await busy.request(2, 1, readOneInput)).pdu.readUInt16BE(2)).toBe(1000);
    busy.close();
    expect(await run.stop()).toBe(0);
    const lines = run.stderr().split('\n').filter((line) => /refused/.test(line));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(lines.join('\n')).toMatch(/\b(299|\d{2,3}) more connections refused or closed at the limit in the last 10 s/);
  });
});
