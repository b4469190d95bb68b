/**
 * Reads and writes past each map's last register answer exception 02 on every transport (Modbus/
 * TCP, RTU on a pty, RTU over TCP), for every profile, as the real meters do; the last register
 * itself answers (so the probe is not vacuous). modbus-serial is the client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtuBus } from '../../../src/modbus/rtu/rtu-bus.js';
import { RtuOverTcpServer } from '../../../src/modbus/rtu/rtu-over-tcp-server.js';
import { ModbusTcpServer } from '../../../src/modbus/tcp/tcp-server.js';
import { UnitRouter } from '../../../src/modbus/unit-router.js';
import type { Space } from '../../../src/registers/map-schema.js';
import type { RegisterMap } from '../../../src/registers/register-map.js';
import { RegisterMapDevice } from '../../../src/registers/register-map-device.js';
import { loadRegisterMap, profileNames } from '../../../src/registers/profiles.js';
import { skipWithoutTool } from '../../support/external-tool.js';
import { FakeMeter } from '../../support/fake-meter.js';
import { ModbusRTU } from '../../support/modbus-serial.js';
import { serveRtuOnPty, socatAvailable, type RtuOnPty } from '../../support/rtu-pty.js';

type Client = InstanceType<typeof ModbusRTU>;

const variants: Array<[string, Record<string, number>]> = [...profileNames().map((n): [string, Record<string, number>] => [n, {}]), ['sunspec', { model: 213 }]];
const meter = new FakeMeter();
const devices: Array<[number, RegisterMapDevice]> = variants.map(([profile, options], i) => [i + 1, new RegisterMapDevice(loadRegisterMap(profile, options), meter)]);

/** One past the last address the map answers in a table (registers and reserved ranges). */
function endOf(map: RegisterMap, space: Space): number {
  let end = 0;
  for (const r of map.registers) if (r.space === space) end = Math.max(end, r.address + r.length);
  for (const r of map.reserved) if (r.space === space) end = Math.max(end, r.to + 1);
  return end;
}

/** The last register of a table (to check it answers). */
function lastOf(map: RegisterMap, space: Space): { address: number; length: number } | undefined {
  const inSpace = map.registers.filter((r) => r.space === space);
  return inSpace[inSpace.length - 1];
}

async function exceptionOf(action: () => Promise<unknown>): Promise<number | undefined> {
  try {
    await action();
  } catch (error) {
    const code = (error as { modbusCode?: number }).modbusCode;
    if (code === undefined) throw error;
    return code;
  }
  return undefined;
}

async function probeEveryProfile(client: Client): Promise<number> {
  let probes = 0;
  for (const [unit, device] of devices) {
    client.setID(unit);
    const map = device.map;
    for (const space of ['input', 'holding'] as const) {
      const last = lastOf(map, space);
      if (last === undefined) continue;
      const read = (address: number, quantity: number): Promise<unknown> =>
        space === 'input' ? client.readInputRegisters(address, quantity) : client.readHoldingRegisters(address, quantity);
      const label = `${map.profile} ${JSON.stringify(map.options)} ${space}`;
      expect(await exceptionOf(() => read(last.address, last.length)), `${label}: last register ${last.address}`).toBeUndefined();
      const end = endOf(map, space);
      expect(await exceptionOf(() => read(end, 1)), `${label}: read at ${end}`).toBe(2);
      expect(await exceptionOf(() => read(end - 1, 2)), `${label}: read across ${end}`).toBe(2);
      if (end + 100 < 0x10000) expect(await exceptionOf(() => read(end + 100, 2)), `${label}: read at ${end + 100}`).toBe(2);
      probes += 4;
      if (space === 'holding') {
        expect(await exceptionOf(() => client.writeRegisters(end, [0, 0])), `${label}: write at ${end}`).toBe(2);
        expect(await exceptionOf(() => client.writeRegister(end, 0)), `${label}: write single at ${end}`).toBe(2);
        probes += 2;
      }
    }
  }
  return probes;
}

async function closeClient(client: Client): Promise<void> {
  if (client.isOpen) await new Promise<void>((resolve) => client.close(() => resolve()));
}

describe('Modbus/TCP', () => {
  const server = new ModbusTcpServer({ router: UnitRouter.gateway(new Map(devices)) });
  const client = new ModbusRTU();
  beforeAll(async () => {
    const { port } = await server.listen(0, '127.0.0.1');
    await client.connectTCP('127.0.0.1', { port });
    client.setTimeout(2000);
  });
  afterAll(async () => {
    await closeClient(client);
    await server.close();
  });
  it('every profile answers 02 past its map', async () => {
    expect(await probeEveryProfile(client)).toBeGreaterThanOrEqual(variants.length * 4);
  });
});

describe('RTU over TCP', () => {
  let server: RtuOverTcpServer;
  const client = new ModbusRTU();
  beforeAll(async () => {
    server = await RtuOverTcpServer.listen(new RtuBus(devices), { port: 0 });
    await client.connectTelnet('127.0.0.1', { port: server.address.port });
    client.setTimeout(2000);
  });
  afterAll(async () => {
    await closeClient(client);
    await server.close();
  });
  it('every profile answers 02 past its map', async () => {
    expect(await probeEveryProfile(client)).toBeGreaterThanOrEqual(variants.length * 4);
  });
});

describe.skipIf(skipWithoutTool(socatAvailable))('RTU on a pty', () => {
  let rtu: RtuOnPty | undefined;
  const client = new ModbusRTU();
  beforeAll(async () => {
    rtu = await serveRtuOnPty(devices, { baudRate: 115200, parity: 'none' });
    await client.connectRTUBuffered(rtu.clientPath, { baudRate: 115200, parity: 'none' });
    client.setTimeout(2000);
  });
  afterAll(async () => {
    await closeClient(client);
    await rtu?.close();
  });
  it('every profile answers 02 past its map', async () => {
    expect(await probeEveryProfile(client)).toBeGreaterThanOrEqual(variants.length * 4);
  });
});
