/**
 * submeter's own Modbus client (src/modbus/client) against the servers over real sockets:
 * Modbus/TCP and RTU over TCP, reads and writes of every table, exceptions, a silent unit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { RtuBus } from '../../../src/modbus/rtu/rtu-bus.js';
import { RtuOverTcpServer } from '../../../src/modbus/rtu/rtu-over-tcp-server.js';
import { ModbusTcpServer } from '../../../src/modbus/tcp/tcp-server.js';
import { connectRtuOverTcp, connectTcp } from '../../../src/modbus/client/connect.js';
import { ModbusClient } from '../../../src/modbus/client/modbus-client.js';
import { ModbusExceptionResponse } from '../../../src/modbus/client/modbus-exception-response.js';
import { ModbusTimeoutError } from '../../../src/modbus/client/client-transport.js';

function device(seed: number): MemoryDevice {
  const d = new MemoryDevice({ inputRegisters: { start: 0, count: 100 }, holdingRegisters: { start: 0, count: 50 }, coils: { start: 0, count: 20 }, discreteInputs: { start: 0, count: 20 } });
  for (let a = 0; a < 100; a += 1) d.setInputRegister(a, seed * 1000 + a);
  d.setDiscreteInput(3, true);
  return d;
}

const tcpDevice = device(1);
const tcp = new ModbusTcpServer({ router: tcpDevice });
let rtu: RtuOverTcpServer;
let tcpPort = 0;

beforeAll(async () => {
  tcpPort = (await tcp.listen(0)).port;
  rtu = await RtuOverTcpServer.listen(new RtuBus([[5, device(5)], [6, device(6)]]), { port: 0 });
});
afterAll(async () => {
  await tcp.close();
  await rtu.close();
});

describe('ModbusClient over Modbus/TCP', () => {
  it('reads and writes the four tables', async () => {
    const client = new ModbusClient(await connectTcp('127.0.0.1', tcpPort));
    const words = Buffer.from(await client.readInputRegisters(10, 3));
    expect([words.readUInt16BE(0), words.readUInt16BE(2), words.readUInt16BE(4)]).toEqual([1010, 1011, 1012]);
    await client.writeRegisters(7, Uint8Array.of(0x12, 0x34, 0xab, 0xcd));
    expect(tcpDevice.getHoldingRegister(7)).toBe(0x1234);
    expect(Buffer.from(await client.readHoldingRegisters(7, 2)).readUInt32BE(0)).toBe(0x1234abcd);
    await client.writeCoil(9, true);
    expect(await client.readCoils(8, 3)).toEqual([false, true, false]);
    expect((await client.readDiscreteInputs(0, 5)).map(Number)).toEqual([0, 0, 0, 1, 0]);
    // Requests made together are answered in turn, each matched to its transaction.
    const together = await Promise.all([10, 20, 30].map((a) => client.readInputRegisters(a, 1)));
    expect(together.map((b) => Buffer.from(b).readUInt16BE(0))).toEqual([1010, 1020, 1030]);
    await client.close();
  });

  it('raises the exception the server answers', async () => {
    const client = new ModbusClient(await connectTcp('127.0.0.1', tcpPort));
    await expect(client.readInputRegisters(99, 2)).rejects.toMatchObject({ exceptionCode: 2, functionCode: 4 });
    await expect(client.readInputRegisters(99, 2)).rejects.toBeInstanceOf(ModbusExceptionResponse);
    await client.close();
  });
});

describe('ModbusClient over RTU over TCP', () => {
  it('addresses each unit of the bus; an absent unit is silent (a timeout)', async () => {
    const client = new ModbusClient(await connectRtuOverTcp('127.0.0.1', rtu.address.port), { timeoutMs: 300 });
    for (const unit of [5, 6]) {
      client.unitId = unit;
      expect(Buffer.from(await client.readInputRegisters(1, 1)).readUInt16BE(0)).toBe(unit * 1000 + 1);
    }
    client.unitId = 7;
    await expect(client.readInputRegisters(1, 1)).rejects.toBeInstanceOf(ModbusTimeoutError);
    client.unitId = 6;
    expect(Buffer.from(await client.readInputRegisters(2, 1)).readUInt16BE(0)).toBe(6002);
    await expect(client.readHoldingRegisters(60, 1)).rejects.toMatchObject({ exceptionCode: 2 });
    await client.close();
  });
});
