import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool, skipWithoutTool, toolAvailable } from '../support/external-tool.js';
import { daisyChainDevices, serveRtuOnPty, socatAvailable, type RtuOnPty } from '../support/rtu-pty.js';

const hasMbpoll = toolAvailable('mbpoll', ['-V']);

/** mbpoll prints one "[ref]: \tvalue" line per register or bit. */
function polledValues(stdout: string): Array<[number, number]> {
  return [...stdout.matchAll(/^\[(\d+)\]:\s+(-?\d+)/gm)].map((match) => [Number(match[1]), Number(match[2])]);
}

describe.skipIf(skipWithoutTool(hasMbpoll && socatAvailable))('mbpoll -m rtu (libmodbus) on a pty, 19200 8E1, four meters', () => {
  const devices = daisyChainDevices();
  let rtu: RtuOnPty;
  let line: string[] = [];

  beforeAll(async () => {
    rtu = await serveRtuOnPty(devices, { baudRate: 19200, parity: 'even' });
    line = ['-m', 'rtu', '-b', '19200', '-P', 'even', '-s', '1', '-1', '-0', '-o', '2'];
  });
  afterAll(async () => {
    await rtu?.close();
  });

  it('reads holding registers (-t 4) of each unit from that unit', async () => {
    for (const unit of [2, 4]) {
      const run = await runTool('mbpoll', [...line, '-a', String(unit), '-r', '10', '-c', '3', '-t', '4', rtu.clientPath]);
      expect(run.code).toBe(0);
      expect(polledValues(run.stdout)).toEqual([[10, 1000 * unit + 10], [11, 1000 * unit + 11], [12, 1000 * unit + 12]]);
    }
  });

  it('reads input registers (-t 3) and discrete inputs (-t 1)', async () => {
    const input = await runTool('mbpoll', [...line, '-a', '3', '-r', '0', '-c', '2', '-t', '3', rtu.clientPath]);
    expect(polledValues(input.stdout)).toEqual([[0, 6000], [1, 6001]]);
    const bits = await runTool('mbpoll', [...line, '-a', '3', '-r', '0', '-c', '5', '-t', '1', rtu.clientPath]);
    expect(polledValues(bits.stdout)).toEqual([[0, 0], [1, 0], [2, 0], [3, 1], [4, 0]]);
  });

  it('writes registers on one unit only and reads them back', async () => {
    const write = await runTool('mbpoll', [...line, '-a', '1', '-r', '40', '-t', '4', rtu.clientPath, '4242', '17']);
    expect(write.code).toBe(0);
    expect(write.stdout).toMatch(/Written 2 references/);
    const [, one] = devices[0];
    const [, two] = devices[1];
    expect([one.getHoldingRegister(40), one.getHoldingRegister(41)]).toEqual([4242, 17]);
    expect(two.getHoldingRegister(40)).toBe(2040);
  });

  it('reports exception 02 for a read beyond the map', async () => {
    const run = await runTool('mbpoll', [...line, '-a', '1', '-r', '198', '-c', '5', '-t', '4', rtu.clientPath]);
    expect(`${run.stdout}${run.stderr}`).toMatch(/Illegal data address/i);
    expect(polledValues(run.stdout)).toEqual([]);
  });

  it('times out on a unit id that is not on the bus (the bus stays silent)', async () => {
    const run = await runTool('mbpoll', ['-m', 'rtu', '-b', '19200', '-P', 'even', '-1', '-0', '-o', '0.3', '-a', '9', '-r', '0', '-c', '1', '-t', '4', rtu.clientPath]);
    expect(`${run.stdout}${run.stderr}`).toMatch(/timed out/i);
    expect(rtu.server.framerCounters.otherUnit).toBeGreaterThanOrEqual(1);
  });
});
