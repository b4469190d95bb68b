/**
 * A 1,000-meter gateway fleet (5 ports of up to 247 unit ids) split two ways: `--shard 1/2` and
 * `--shard 2/2` in two processes answer disjoint sets of serial numbers that together are the
 * whole fleet, on the ports and unit ids the whole fleet has; `--workers 2` (one command, two
 * worker processes) answers all 1,000 and stops cleanly.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { connectTcp } from '../../src/modbus/client/connect.js';
import { ModbusClient } from '../../src/modbus/client/modbus-client.js';
import { killCliChildren, runBuilt } from '../support/cli-runner.js';
import { freePortRange } from '../support/free-port-range.js';

afterAll(killCliChildren);

const COUNT = 1000;
const FIRST_SERIAL = 51_000_001;
const PORTS = Math.ceil(COUNT / 247);

/** Serial number (sdm630 holding 64512, u32) of every unit that answers on the fleet's ports, by "port/unit". */
async function serialsOn(base: number): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (let k = 0; k < PORTS; k += 1) {
    let client: ModbusClient;
    try {
      client = new ModbusClient(await connectTcp('127.0.0.1', base + k), { timeoutMs: 3000 });
    } catch {
      continue; // not this process's port
    }
    const units = Math.min(247, COUNT - k * 247);
    for (let unit = 1; unit <= units; unit += 1) {
      client.unitId = unit;
      found.set(`${base + k}/${unit}`, Buffer.from(await client.readHoldingRegisters(64512, 2)).readUInt32BE(0));
    }
    await client.close();
  }
  return found;
}

function fleetArgs(base: number): string[] {
  return ['serve', '--profile', 'sdm630', '--count', String(COUNT), '--gateway', '--tcp', `127.0.0.1:${base}`, '--serial', String(FIRST_SERIAL), '--log-level', 'warn'];
}

/** What the whole fleet answers: port base + k, unit u -> serial FIRST_SERIAL + 247 k + u - 1. */
function expectedSerial(base: number, key: string): number {
  const [port, unit] = key.split('/').map(Number);
  return FIRST_SERIAL + 247 * ((port ?? 0) - base) + (unit ?? 0) - 1;
}

describe('submeter serve --shard and --workers', () => {
  it('--shard 1/2 and 2/2: disjoint slices that together answer every serial number of the fleet', async () => {
    const base = await freePortRange(PORTS);
    const first = runBuilt([...fleetArgs(base), '--shard', '1/2']);
    const second = runBuilt([...fleetArgs(base), '--shard', '2/2']);
    await first.waitFor(/^ready in/m);
    await second.waitFor(/^ready in/m);
    expect(first.stdout()).toMatch(/^494 meters on 2 endpoints/m);
    expect(second.stdout()).toMatch(/^506 meters on 3 endpoints/m);
    const all = await serialsOn(base);
    expect(all.size).toBe(COUNT);
    for (const [key, serial] of all) expect(serial, key).toBe(expectedSerial(base, key));
    // Which process answered which: stop the first, and only the second's meters still answer.
    expect(await first.stop()).toBe(0);
    const secondOnly = await serialsOn(base);
    expect(secondOnly.size).toBe(506);
    const firstSerials = [...all.entries()].filter(([key]) => !secondOnly.has(key)).map(([, serial]) => serial);
    expect(firstSerials).toEqual(Array.from({ length: 494 }, (_, i) => FIRST_SERIAL + i));
    expect([...secondOnly.values()].sort((x, y) => x - y)).toEqual(Array.from({ length: 506 }, (_, i) => FIRST_SERIAL + 494 + i));
    expect(await second.stop()).toBe(0);
  }, 120_000);

  it('--workers 2: one command answers all 1,000 on the same ports and unit ids, and stops cleanly', async () => {
    const base = await freePortRange(PORTS);
    const serve = runBuilt([...fleetArgs(base), '--workers', '2']);
    await serve.waitFor(/^2 workers; ready in \d+ ms/m);
    expect(serve.stdout()).toMatch(/^\[worker 1\/2\] 494 meters on 2 endpoints/m);
    expect(serve.stdout()).toMatch(/^\[worker 2\/2\] 506 meters on 3 endpoints/m);
    const all = await serialsOn(base);
    expect(all.size).toBe(COUNT);
    for (const [key, serial] of all) expect(serial, key).toBe(expectedSerial(base, key));
    expect(await serve.stop()).toBe(0);
  }, 120_000);
});
