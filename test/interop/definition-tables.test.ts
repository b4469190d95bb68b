/**
 * The independent-definition harness: every table under test/fixtures/definitions (transcribed
 * from public sources, not from our maps) is read over a real TCP socket by modbus-serial, decoded
 * with the table's own types, word order, multipliers, scale factors and units, and compared with
 * the meter's SI snapshot (tolerances: see src/registers/definitions/definition-check.ts).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModbusTcpServer } from '../../src/modbus/tcp/tcp-server.js';
import { UnitRouter } from '../../src/modbus/unit-router.js';
import { checkDefinition } from '../../src/registers/definitions/definition-check.js';
import { loadDefinitionTable, type DefinitionTable } from '../../src/registers/definitions/definition-table.js';
import { RegisterMapDevice } from '../../src/registers/register-map-device.js';
import { loadRegisterMap } from '../../src/registers/profiles.js';
import { snapshotExpectation } from '../support/definition-snapshot-expectation.js';
import { FakeMeter } from '../support/fake-meter.js';
import { ModbusRTU } from '../support/modbus-serial.js';

const DIRECTORY = join(import.meta.dirname, '..', 'fixtures', 'definitions');
const tables: Array<[string, DefinitionTable]> = readdirSync(DIRECTORY)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => [f, loadDefinitionTable(join(DIRECTORY, f))]);

const meter = new FakeMeter();
const devices = new Map(tables.map(([, table], i) => [i + 1, new RegisterMapDevice(loadRegisterMap(table.profile, table.options ?? {}), meter)]));
const server = new ModbusTcpServer({ router: UnitRouter.gateway(devices) });
const client = new ModbusRTU();
const context = { snapshot: meter.snapshot(), eventIndex: 0, eventRecord: meter.eventRecord(0), profileIndex: 0, profileRecord: meter.profileRecord(0), unlocked: false };

beforeAll(async () => {
  const { port } = await server.listen(0, '127.0.0.1');
  await client.connectTCP('127.0.0.1', { port });
  client.setTimeout(2000);
});
afterAll(async () => {
  if (client.isOpen) await new Promise<void>((resolve) => client.close(() => resolve()));
  await server.close();
});

describe('independent definition tables, read by modbus-serial over TCP', () => {
  it('there is a table for each compatibility profile, each from at least two sources', () => {
    expect(tables.map(([file]) => file)).toEqual(expect.arrayContaining(['em24.yaml', 'sdm630.yaml', 'sunspec.yaml', 'sunspec-213.yaml']));
    for (const [file, table] of tables) expect(table.sources.length, file).toBeGreaterThanOrEqual(2);
  });

  tables.forEach(([file, table], i) => {
    it(`${file}: every register answers with the snapshot's value`, async () => {
      client.setID(i + 1);
      const results = await checkDefinition(
        table,
        async (functionCode, address, count) => {
          const answer = functionCode === 3 ? await client.readHoldingRegisters(address, count) : await client.readInputRegisters(address, count);
          return new Uint8Array(answer.buffer);
        },
        snapshotExpectation(context),
      );
      const failures = results.filter((r) => !r.ok).map((r) => `${r.register.name} @${r.register.address}: ${r.problem ?? ''} (read ${String(r.actual)}, expected ${String(r.expected)} +- ${r.tolerance})`);
      expect(failures).toEqual([]);
      expect(results).toHaveLength(table.registers.length);
    });
  });
});
