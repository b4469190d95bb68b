/**
 * `--count 500`: a fleet from one command, as unit ids behind gateway ports and on 500
 * consecutive TCP ports. Every meter answers with its own serial number, and the loads differ
 * between meters (each its own seed). The meters are polled with submeter's own client.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { connectTcp } from '../../src/modbus/client/connect.js';
import { ModbusClient } from '../../src/modbus/client/modbus-client.js';
import { killCliChildren, runBuilt } from '../support/cli-runner.js';
import { freePortRange } from '../support/free-port-range.js';

afterAll(killCliChildren);

/** sdm630: total system power (float32 ABCD, input 52) and serial number (u32, holding 64512). */
async function pollSdm630(client: ModbusClient, unit: number): Promise<{ power: number; serial: number }> {
  client.unitId = unit;
  const power = Buffer.from(await client.readInputRegisters(52, 2)).readFloatBE(0);
  const serial = Buffer.from(await client.readHoldingRegisters(64512, 2)).readUInt32BE(0);
  return { power, serial };
}

describe('submeter serve --count 500', () => {
  it('--gateway: 500 unit ids on 3 ports (247 per port), every one answers with its own serial number and load', async () => {
    const serve = runBuilt(['serve', '--profile', 'sdm630', '--count', '500', '--gateway', '--tcp', '127.0.0.1:0', '--serial', '41000001', '--log-level', 'warn']);
    await serve.waitFor(/^ready in/m);
    expect(serve.stdout()).toMatch(/^500 meters on 3 endpoints/m);
    const ports = [...serve.stdout().matchAll(/modbus\/tcp 127\.0\.0\.1:(\d+) gateway units (\d+)\.\.(\d+)/g)].map((m) => ({ port: Number(m[1]), first: Number(m[2]), last: Number(m[3]) }));
    expect(ports.map((p) => [p.first, p.last])).toEqual([[1, 247], [1, 247], [1, 6]]);
    const serials: number[] = [];
    const powers: number[] = [];
    for (const { port, first, last } of ports) {
      const client = new ModbusClient(await connectTcp('127.0.0.1', port), { timeoutMs: 3000 });
      for (let unit = first; unit <= last; unit += 1) {
        const { power, serial } = await pollSdm630(client, unit);
        serials.push(serial);
        powers.push(power);
      }
      await client.close();
    }
    expect(serials).toEqual(Array.from({ length: 500 }, (_, i) => 41000001 + i));
    for (const p of powers) expect(p).toBeGreaterThan(0);
    // Seeded variation: the load scale alone spans 0.5..1.5 of the scenario; practically all differ.
    expect(new Set(powers.map((p) => p.toFixed(1))).size).toBeGreaterThan(490);
    expect(Math.max(...powers) / Math.min(...powers)).toBeGreaterThan(1.5);
    expect(await serve.stop()).toBe(0);
  });

  it('consecutive ports: meter k on port base + k - 1, unit 1', async () => {
    const base = await freePortRange(500);
    const serve = runBuilt(['serve', '--profile', 'sdm630', '--count', '500', '--tcp', `127.0.0.1:${base}`, '--log-level', 'warn']);
    await serve.waitFor(/^ready in/m);
    expect(serve.stdout()).toMatch(/^500 meters on 500 endpoints/m);
    expect(serve.stdout()).toContain(`modbus/tcp 127.0.0.1:${base + 499} unit 1 -> meter-500`);
    const powers: number[] = [];
    for (let k = 0; k < 500; k += 1) {
      const client = new ModbusClient(await connectTcp('127.0.0.1', base + k), { timeoutMs: 3000 });
      const { power, serial } = await pollSdm630(client, 1);
      expect(serial).toBe(24000001 + k);
      powers.push(power);
      await client.close();
    }
    expect(new Set(powers.map((p) => p.toFixed(1))).size).toBeGreaterThan(490);
    expect(await serve.stop()).toBe(0);
  });
});
