/**
 * Communication faults on a real Modbus/TCP socket, observed by an independent client
 * (modbus-serial). Each case opens a fresh client: a damaged answer may leave a client's stream
 * out of step, which is the point of the fault, not of the next case.
 */
import { ModbusRTU } from '../../support/modbus-serial.js';

type ModbusClient = InstanceType<typeof ModbusRTU>;
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CommFaultPolicy } from '../../../src/modbus/faults/comm-fault-policy.js';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { ModbusTcpServer } from '../../../src/modbus/tcp/tcp-server.js';
import { UnitRouter } from '../../../src/modbus/unit-router.js';
import { RawTcpClient } from '../../support/raw-tcp-client.js';
import { mbapFraming } from '../../../src/modbus/framing/mbap-framing.js';

interface ClientError {
  name?: string;
  message: string;
  modbusCode?: number;
  errno?: string;
}

function device(base: number): MemoryDevice {
  const d = new MemoryDevice({ inputRegisters: { start: 0, count: 100 }, holdingRegisters: { start: 0, count: 100 } });
  for (let i = 0; i < 100; i++) d.setInputRegister(i, base + i);
  return d;
}

describe('comm faults over Modbus/TCP, seen by modbus-serial', () => {
  const policy = new CommFaultPolicy({ seed: 3 });
  const server = new ModbusTcpServer({
    router: UnitRouter.gateway([
      [1, device(1000)],
      [2, device(2000)],
    ]),
    faults: policy.forEndpoint('tcp-a', mbapFraming),
  });
  let port = 0;
  const clients: ModbusClient[] = [];

  const client = async (unit = 1, timeoutMs = 1500): Promise<ModbusClient> => {
    const c = new ModbusRTU();
    await c.connectTCP('127.0.0.1', { port });
    c.setID(unit);
    c.setTimeout(timeoutMs);
    clients.push(c);
    return c;
  };
  const failure = async (promise: Promise<unknown>): Promise<ClientError> => {
    try {
      await promise;
    } catch (error) {
      return error as ClientError;
    }
    throw new Error('the request succeeded but a fault was expected');
  };

  beforeAll(async () => {
    port = (await server.listen(0)).port;
  });
  afterEach(async () => {
    policy.clearAll();
    for (const c of clients.splice(0)) await new Promise<void>((resolve) => (c.isOpen ? c.close(() => resolve()) : resolve()));
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers normally with no fault', async () => {
    const c = await client();
    expect((await c.readInputRegisters(5, 2)).data).toEqual([1005, 1006]);
  });

  it('no response for the next 2 requests: the client times out twice, then reads again', async () => {
    policy.apply({ kind: 'no-response', count: 2 });
    const c = await client(1, 150);
    expect((await failure(c.readInputRegisters(0, 1))).errno).toBe('ETIMEDOUT');
    expect((await failure(c.readInputRegisters(0, 1))).errno).toBe('ETIMEDOUT');
    expect((await c.readInputRegisters(7, 1)).data).toEqual([1007]);
    expect(policy.list()).toEqual([]);
  });

  it.each([2, 4, 6])('exception %i: the client sees that exception code', async (code) => {
    policy.apply({ kind: 'exception', code, count: 1 });
    const c = await client();
    expect((await failure(c.readInputRegisters(0, 1))).modbusCode).toBe(code);
    expect((await c.readInputRegisters(1, 1)).data).toEqual([1001]);
  });

  it('a fault scoped to unit 2 leaves unit 1 alone', async () => {
    policy.apply({ kind: 'exception', code: 6, scope: { endpoint: 'tcp-a', unitId: 2 } });
    const one = await client(1);
    const two = await client(2);
    expect((await one.readInputRegisters(3, 1)).data).toEqual([1003]);
    expect((await failure(two.readInputRegisters(3, 1))).modbusCode).toBe(6);
    policy.apply({ kind: 'exception', code: 4, scope: { endpoint: 'tcp-b' } });
    expect((await one.readInputRegisters(4, 1)).data).toEqual([1004]);
  });

  it('a delay longer than the client timeout is a timeout; a short one is a late answer', async () => {
    policy.apply({ kind: 'delay', delayMs: 600, count: 1 });
    const impatient = await client(1, 100);
    expect((await failure(impatient.readInputRegisters(0, 1))).errno).toBe('ETIMEDOUT');
    policy.apply({ kind: 'delay', delayMs: 30, jitterMs: 20, count: 3 });
    const patient = await client(1, 3000);
    for (let i = 0; i < 3; i++) expect((await patient.readInputRegisters(10 + i, 1)).data).toEqual([1010 + i]);
  });

  it('a wrong unit id in the answer is rejected by the client', async () => {
    policy.apply({ kind: 'wrong-unit-id', count: 1 });
    const c = await client(1);
    expect((await failure(c.readInputRegisters(0, 1))).message).toMatch(/expected address 1 got 2/);
    expect((await c.readInputRegisters(2, 1)).data).toEqual([1002]);
  });

  it('a wrong transaction id is not matched to the request: the client times out', async () => {
    policy.apply({ kind: 'wrong-transaction-id', count: 1 });
    const c = await client(1, 200);
    expect((await failure(c.readInputRegisters(0, 1))).errno).toBe('ETIMEDOUT');
    expect((await c.readInputRegisters(9, 1)).data).toEqual([1009]);
  });

  it('a truncated answer never completes: the client times out', async () => {
    policy.apply({ kind: 'truncate', bytes: 2, count: 1 });
    const c = await client(1, 200);
    expect((await failure(c.readInputRegisters(0, 1))).errno).toBe('ETIMEDOUT');
  });

  it('extra bytes after an answer throw the client out of step on the next exchange', async () => {
    policy.apply({ kind: 'extra-bytes', bytes: 3, count: 1 });
    const c = await client(1, 200);
    expect((await c.readInputRegisters(0, 2)).data).toEqual([1000, 1001]);
    expect((await failure(c.readInputRegisters(0, 2))).errno).toBe('ETIMEDOUT');
  });

  it('a dropped connection: the client sees it closed, reconnects and reads', async () => {
    policy.apply({ kind: 'disconnect', count: 1 });
    const c = await client(1, 300);
    const closed = new Promise<void>((resolve) => c.on('close', () => resolve()));
    await failure(c.readInputRegisters(0, 1));
    await closed;
    expect(c.isOpen).toBe(false);
    const again = await client(1);
    expect((await again.readInputRegisters(11, 1)).data).toEqual([1011]);
    expect(server.connectionCount).toBeGreaterThanOrEqual(1);
  });

  it('on the wire: an exception answer to a bare function code, a shifted transaction id', async () => {
    const raw = await RawTcpClient.connect(port);
    try {
      policy.apply({ kind: 'exception', code: 6, count: 1 });
      const busy = await raw.request(0x0102, 1, [0x04]);
      expect([busy.transactionId, busy.unit, ...busy.pdu]).toEqual([0x0102, 1, 0x84, 0x06]);
      policy.apply({ kind: 'wrong-transaction-id', count: 1 });
      const shifted = await raw.request(0xffff, 2, [0x04, 0, 1, 0, 1]);
      expect([shifted.transactionId, ...shifted.pdu]).toEqual([0x0000, 0x04, 2, 2001 >> 8, 2001 & 0xff]);
    } finally {
      raw.close();
    }
  });
});
