import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../src/modbus/memory-device.js';
import { ModbusTcpServer } from '../../src/modbus/tcp/tcp-server.js';
import { runTool, skipWithoutTool, toolAvailable } from '../support/external-tool.js';

const hasMbpoll = toolAvailable('mbpoll', ['-V']);

/** mbpoll prints one "[ref]: \tvalue" line per register or bit. */
function polledValues(stdout: string): Map<number, number> {
  const values = new Map<number, number>();
  for (const match of stdout.matchAll(/^\[(\d+)\]:\s+(-?\d+)/gm)) values.set(Number(match[1]), Number(match[2]));
  return values;
}

describe.skipIf(skipWithoutTool(hasMbpoll))('mbpoll (libmodbus master) against the submeter server', () => {
  const device = new MemoryDevice({ inputRegisters: { start: 0, count: 100 }, holdingRegisters: { start: 0, count: 100 }, coils: { start: 0, count: 64 } });
  for (let i = 0; i < 100; i += 1) device.setInputRegister(i, 30000 + 11 * i);
  const server = new ModbusTcpServer({ router: device });
  let base: string[] = [];

  beforeAll(async () => {
    const { port } = await server.listen(0);
    base = ['-m', 'tcp', '-p', String(port), '-a', '1', '-1', '-0'];
  });
  afterAll(async () => {
    await server.close();
  });

  it('reads input registers (-t 3), 0-based with -0', async () => {
    const run = await runTool('mbpoll', [...base, '-r', '5', '-c', '4', '-t', '3', '127.0.0.1']);
    expect(run.code).toBe(0);
    expect([...polledValues(run.stdout)]).toEqual([[5, 30055], [6, 30066], [7, 30077], [8, 30088]]);
  });

  it('1-based by default: -r 1 is address 0', async () => {
    const run = await runTool('mbpoll', ['-m', 'tcp', '-p', base[3], '-a', '1', '-1', '-r', '1', '-c', '2', '-t', '3', '127.0.0.1']);
    expect([...polledValues(run.stdout)]).toEqual([[1, 30000], [2, 30011]]);
  });

  it('writes holding registers (-t 4) and reads them back', async () => {
    const write = await runTool('mbpoll', [...base, '-r', '20', '-t', '4', '127.0.0.1', '1234', '5678', '91']);
    expect(write.code).toBe(0);
    expect(write.stdout).toMatch(/Written 3 references/);
    expect([20, 21, 22].map((a) => device.getHoldingRegister(a))).toEqual([1234, 5678, 91]);
    const read = await runTool('mbpoll', [...base, '-r', '20', '-c', '3', '-t', '4', '127.0.0.1']);
    expect([...polledValues(read.stdout).values()]).toEqual([1234, 5678, 91]);
  });

  it('writes and reads a coil (-t 0)', async () => {
    const write = await runTool('mbpoll', [...base, '-r', '9', '-t', '0', '127.0.0.1', '1']);
    expect(write.code).toBe(0);
    expect(device.getCoil(9)).toBe(true);
    const read = await runTool('mbpoll', [...base, '-r', '8', '-c', '3', '-t', '0', '127.0.0.1']);
    expect([...polledValues(read.stdout)]).toEqual([[8, 0], [9, 1], [10, 0]]);
  });

  it('reports the illegal data address exception for a read outside the map', async () => {
    const run = await runTool('mbpoll', [...base, '-r', '98', '-c', '5', '-t', '3', '127.0.0.1']);
    expect(`${run.stdout}${run.stderr}`).toMatch(/Illegal data address/i);
    expect(polledValues(run.stdout).size).toBe(0);
  });
});
