/**
 * Communication faults on Modbus RTU, observed by independent clients over a real socat pty pair
 * (modbus-serial and pymodbus) and over RTU-over-TCP (modbus-serial): the bad CRC rejected, the
 * exception code, the timeout, the foreign unit id.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CommFaultPolicy } from '../../../src/modbus/faults/comm-fault-policy.js';
import { RtuBus } from '../../../src/modbus/rtu/rtu-bus.js';
import { RtuOverTcpServer } from '../../../src/modbus/rtu/rtu-over-tcp-server.js';
import { skipWithoutTool } from '../../support/external-tool.js';
import { PYTHON3, pythonHas, pythonScript } from '../../support/python.js';
import { ModbusRTU } from '../../support/modbus-serial.js';
import { daisyChainDevices, serveRtuOnPty, socatAvailable, type RtuOnPty } from '../../support/rtu-pty.js';
import { rtuFraming } from '../../../src/modbus/framing/rtu-framing.js';

const run = promisify(execFile);
const pymodbusAvailable = await pythonHas('pymodbus');

interface ClientError {
  message: string;
  modbusCode?: number;
  errno?: string;
}

async function failure(promise: Promise<unknown>): Promise<ClientError> {
  try {
    await promise;
  } catch (error) {
    return error as ClientError;
  }
  throw new Error('the request succeeded but a fault was expected');
}

/** Input register a of unit u holds 2000u + a (daisyChainDevices). */
const inputOf = (unit: number, address: number): number => 2000 * unit + address;

describe.skipIf(skipWithoutTool(socatAvailable))('comm faults on an RTU pty, seen by modbus-serial', () => {
  const policy = new CommFaultPolicy({ seed: 5 });
  const client = new ModbusRTU();
  let rtu: RtuOnPty;

  beforeAll(async () => {
    rtu = await serveRtuOnPty(daisyChainDevices([1, 2]), { baudRate: 19200, parity: 'even', faults: policy.forEndpoint('rtu:pty', rtuFraming) });
    await client.connectRTUBuffered(rtu.clientPath, { baudRate: 19200, parity: 'even' });
    client.setTimeout(300);
  });
  afterEach(() => {
    policy.clearAll();
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => client.close(() => resolve()));
    await rtu.close();
  });

  it('a corrupted CRC is rejected by the client; the next answer is good', async () => {
    policy.apply({ kind: 'corrupt-crc', count: 1 });
    client.setID(1);
    expect((await failure(client.readInputRegisters(3, 2))).message).toMatch(/CRC/i);
    expect((await client.readInputRegisters(3, 2)).data).toEqual([inputOf(1, 3), inputOf(1, 4)]);
  });

  it('exception 06 (busy) on unit 2 only', async () => {
    policy.apply({ kind: 'exception', code: 6, scope: { unitId: 2 }, count: 1 });
    client.setID(1);
    expect((await client.readInputRegisters(0, 1)).data).toEqual([inputOf(1, 0)]);
    client.setID(2);
    expect((await failure(client.readInputRegisters(0, 1))).modbusCode).toBe(6);
    expect((await client.readInputRegisters(0, 1)).data).toEqual([inputOf(2, 0)]);
  });

  it('disconnect on a serial line is no answer: the client times out, the port stays open', async () => {
    policy.apply({ kind: 'disconnect', count: 1 });
    client.setID(1);
    expect((await failure(client.readInputRegisters(0, 1))).message).toMatch(/Timed out/i);
    expect(rtu.server.isOpen).toBe(true);
    expect((await client.readInputRegisters(8, 1)).data).toEqual([inputOf(1, 8)]);
  });

  it('no response: the client times out; the bus framed the request normally', async () => {
    const before = rtu.server.framerCounters.delivered;
    policy.apply({ kind: 'no-response', count: 1 });
    client.setID(1);
    expect((await failure(client.readInputRegisters(0, 1))).message).toMatch(/Timed out/i);
    expect(rtu.server.framerCounters.delivered).toBe(before + 1);
    expect((await client.readInputRegisters(9, 1)).data).toEqual([inputOf(1, 9)]);
  });

  // The last two cases leave bytes in modbus-serial's receive buffer (it does not resynchronise
  // on silence), so they run last.
  it('a truncated answer never completes: the client times out', async () => {
    policy.apply({ kind: 'truncate', bytes: 3, count: 1 });
    client.setID(2);
    expect((await failure(client.readInputRegisters(0, 4))).message).toMatch(/Timed out/i);
  });


  it('an answer from the wrong unit id (valid CRC) is ignored by the client: it times out', async () => {
    policy.apply({ kind: 'wrong-unit-id', unitId: 2, count: 1 });
    client.setID(1);
    expect((await failure(client.readInputRegisters(0, 1))).message).toMatch(/Timed out/i);
    expect((await client.readInputRegisters(1, 1)).data).toEqual([inputOf(1, 1)]);
  });
});

describe.skipIf(skipWithoutTool(socatAvailable && pymodbusAvailable))('comm faults on an RTU pty, seen by pymodbus', () => {
  const policy = new CommFaultPolicy();
  let rtu: RtuOnPty;
  // pyserial cannot set even parity on a pty (EINVAL): 8N1 on both ends.
  const reads = async (unit: number, count: number): Promise<unknown[]> => {
    const { stdout } = await run(PYTHON3, [pythonScript('pymodbus_rtu_reads.py'), rtu.clientPath, String(unit), '5', '2', String(count)], { timeout: 20_000 });
    return stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown);
  };

  beforeAll(async () => {
    rtu = await serveRtuOnPty(daisyChainDevices([7]), { baudRate: 19200, parity: 'none', faults: policy.forEndpoint('rtu:pty', rtuFraming) });
  });
  afterAll(async () => {
    await rtu.close();
  });

  it('rejects the corrupted CRC, then reads; sees exception 06', async () => {
    policy.apply({ kind: 'corrupt-crc', count: 1 });
    const [bad, good] = await reads(7, 2);
    expect(bad).toEqual({ error: expect.stringMatching(/No Response|Unable to decode/) });
    expect(good).toEqual({ ok: [inputOf(7, 5), inputOf(7, 6)] });
    policy.apply({ kind: 'exception', code: 6, count: 1 });
    expect(await reads(7, 2)).toEqual([{ exception: 6 }, { ok: [inputOf(7, 5), inputOf(7, 6)] }]);
  });
});

describe('comm faults on RTU over TCP, seen by modbus-serial (telnet port: raw RTU frames over TCP)', () => {
  const policy = new CommFaultPolicy();
  let server: RtuOverTcpServer;
  const clients: InstanceType<typeof ModbusRTU>[] = [];
  // A fresh connection per case: modbus-serial keeps a discarded frame's bytes in its buffer.
  const connect = async (): Promise<InstanceType<typeof ModbusRTU>> => {
    const client = new ModbusRTU();
    await client.connectTelnet('127.0.0.1', { port: server.address.port });
    client.setID(3);
    client.setTimeout(300);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await RtuOverTcpServer.listen(new RtuBus(daisyChainDevices([3])), { port: 0, faults: policy.forEndpoint('rtu-tcp', rtuFraming) });
  });
  afterAll(async () => {
    for (const client of clients) await new Promise<void>((resolve) => (client.isOpen ? client.close(() => resolve()) : resolve()));
    await server.close();
  });

  it('a corrupted CRC is rejected by the client', async () => {
    policy.apply({ kind: 'corrupt-crc', count: 1 });
    expect((await failure((await connect()).readInputRegisters(0, 1))).message).toMatch(/CRC/i);
  });

  it('a dropped connection: the client sees it closed, reconnects and reads', async () => {
    const client = await connect();
    policy.apply({ kind: 'disconnect', count: 1 });
    const closed = new Promise<void>((resolve) => client.on('close', () => resolve()));
    await failure(client.readInputRegisters(0, 1));
    await closed;
    expect(client.isOpen).toBe(false);
    expect((await (await connect()).readInputRegisters(4, 1)).data).toEqual([inputOf(3, 4)]);
  });

  it('exception 04 and a delayed answer arrive', async () => {
    const client = await connect();
    policy.apply({ kind: 'exception', code: 4, count: 1 });
    expect((await failure(client.readInputRegisters(0, 1))).modbusCode).toBe(4);
    policy.apply({ kind: 'delay', delayMs: 20, count: 1 });
    expect((await client.readInputRegisters(0, 1)).data).toEqual([inputOf(3, 0)]);
    expect(policy.list()).toEqual([]);
  });
});
