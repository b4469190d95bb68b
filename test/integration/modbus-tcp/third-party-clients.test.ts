import { once } from 'node:events';
import { Socket } from 'node:net';
import Modbus from 'jsmodbus';
import { ModbusRTU } from '../../support/modbus-serial.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { ModbusTcpServer } from '../../../src/modbus/tcp/tcp-server.js';

/** Input register i holds 40000 + 7i; holding registers and coils start cleared. */
function makeDevice(): MemoryDevice {
  const d = new MemoryDevice({
    inputRegisters: { start: 0, count: 300 },
    holdingRegisters: { start: 0, count: 300 },
    coils: { start: 0, count: 100 },
    discreteInputs: { start: 0, count: 100 },
    identification: new Map([[0, 'Acme'], [1, 'SM-3'], [2, 'v2.1'], [3, 'https://acme.example'], [0x80, 'serial 42']]),
  });
  for (let i = 0; i < 300; i += 1) d.setInputRegister(i, 40000 + 7 * i);
  for (const a of [1, 4, 9, 33]) d.setDiscreteInput(a, true);
  return d;
}

function modbusCodeOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'modbusCode' in error && typeof error.modbusCode === 'number' ? error.modbusCode : undefined;
}

describe('modbus-serial (ModbusRTU.connectTCP) against the submeter server', () => {
  const device = makeDevice();
  const server = new ModbusTcpServer({ router: device });
  const client = new ModbusRTU();

  beforeAll(async () => {
    const { port } = await server.listen(0);
    await client.connectTCP('127.0.0.1', { port });
    client.setID(1);
    client.setTimeout(5000);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => client.close(() => resolve()));
    await server.close();
  });

  it('reads input registers (FC04), 125 at once', async () => {
    const r = await client.readInputRegisters(100, 125);
    expect(r.data.length).toBe(125);
    expect(r.data[0]).toBe(40700);
    expect(r.data[124]).toBe(40000 + 7 * 224);
  });

  it('writes and reads holding registers (FC16, FC06, FC03, FC22)', async () => {
    await client.writeRegisters(10, [1, 2, 3, 0xffff]);
    await client.writeRegister(12, 0x1234);
    expect((await client.readHoldingRegisters(9, 6)).data).toEqual([0, 1, 2, 0x1234, 0xffff, 0]);
    await client.maskWriteRegister(10, 0xf2, 0x25);
    expect(device.getHoldingRegister(10)).toBe((1 & 0xf2) | (0x25 & ~0xf2 & 0xffff));
  });

  it('writes and reads coils (FC05, FC15, FC01) and reads discrete inputs (FC02)', async () => {
    await client.writeCoil(3, true);
    await client.writeCoils(20, [true, false, true, true]);
    const coils = await client.readCoils(0, 24);
    expect(coils.data.flatMap((on: boolean, i: number) => (on ? [i] : []))).toEqual([3, 20, 22, 23]);
    const inputs = await client.readDiscreteInputs(0, 40);
    expect(inputs.data.slice(0, 40).flatMap((on: boolean, i: number) => (on ? [i] : []))).toEqual([1, 4, 9, 33]);
  });

  it('reads device identification (FC43/14)', async () => {
    const r = await client.readDeviceIdentification(2, 0);
    expect(r.data).toEqual({ 0: 'Acme', 1: 'SM-3', 2: 'v2.1', 3: 'https://acme.example' });
    expect(r.conformityLevel).toBe(0x83);
  });

  it('receives exceptions 02 and 03 as errors with their codes', async () => {
    const outside = await client.readInputRegisters(299, 2).then(() => undefined, (e: unknown) => e);
    expect(modbusCodeOf(outside)).toBe(2);
    const tooMany = await client.readHoldingRegisters(0, 126).then(() => undefined, (e: unknown) => e);
    expect(modbusCodeOf(tooMany)).toBe(3);
  });
});

describe('jsmodbus (ModbusTCPClient) against the submeter server', () => {
  const device = makeDevice();
  const server = new ModbusTcpServer({ router: device });
  const socket = new Socket();
  const client = new Modbus.client.TCP(socket, 1, 5000);

  beforeAll(async () => {
    const { port } = await server.listen(0);
    socket.connect({ host: '127.0.0.1', port });
    await once(socket, 'connect');
  });
  afterAll(async () => {
    socket.destroy();
    await server.close();
  });

  it('reads input registers', async () => {
    const r = await client.readInputRegisters(5, 60);
    expect(r.response.body.values.length).toBe(60);
    expect(r.response.body.values[0]).toBe(40035);
    expect(r.response.body.values[59]).toBe(40000 + 7 * 64);
  });

  it('writes registers and coils and reads them back', async () => {
    await client.writeMultipleRegisters(50, [11, 22, 33]);
    await client.writeSingleRegister(53, 44);
    expect((await client.readHoldingRegisters(50, 4)).response.body.values).toEqual([11, 22, 33, 44]);
    await client.writeSingleCoil(7, true);
    await client.writeMultipleCoils(8, [false, true]);
    expect([7, 8, 9].map((a) => device.getCoil(a))).toEqual([true, false, true]);
    const coils = await client.readCoils(0, 10);
    expect(coils.response.body.valuesAsArray.slice(0, 10)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 1]);
  });

  it('pipelines many requests on one connection and gets each answer to its own request', async () => {
    const requests = [...Array(40).keys()].map((i) => client.readInputRegisters(i, 1));
    const answers = await Promise.all(requests);
    expect(answers.map((a) => a.response.body.values[0])).toEqual([...Array(40).keys()].map((i) => 40000 + 7 * i));
  });

  it('reads extended device identification', async () => {
    const r = await client.readDeviceIdentification(3, 0);
    const objects = r.response.body.objects.map((o: { id: number; value: Buffer }) => [o.id, o.value.toString()]);
    expect(objects).toEqual([[0, 'Acme'], [1, 'SM-3'], [2, 'v2.1'], [3, 'https://acme.example'], [0x80, 'serial 42']]);
  });

  it('receives an exception 02 for an address outside the map', async () => {
    const error = await client.readInputRegisters(9999, 2).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ err: 'ModbusException', response: { body: { code: 2 } } });
  });
});
