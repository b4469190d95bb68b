import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtuBus } from '../../src/modbus/rtu/rtu-bus.js';
import { RtuOverTcpServer } from '../../src/modbus/rtu/rtu-over-tcp-server.js';
import { runTool, skipWithoutTool } from '../support/external-tool.js';
import { PYTHON3 as python, pythonHas, pythonScript } from '../support/python.js';
import { daisyChainDevices, serveRtuOnPty, socatAvailable, type RtuOnPty } from '../support/rtu-pty.js';

const hasPymodbus = await pythonHas('pymodbus', 'serial');
const script = pythonScript('pymodbus_rtu_client.py');

interface PymodbusReport {
  holding: Record<string, number[]>;
  input: number[];
  written: number[];
  coils: boolean[];
  server_id: { identifier: number[]; status: boolean };
  identification: Record<string, string>;
  exception_address: number | null;
  exception_quantity: number | null;
  echo: number[];
  counters: Record<string, number>;
}

function checkCommon(out: PymodbusReport): void {
  expect(out.holding).toEqual({ 1: [1005, 1006, 1007], 2: [2005, 2006, 2007], 3: [3005, 3006, 3007], 4: [4005, 4006, 4007] });
  expect(out.input).toEqual([6100, 6101]);
  expect(out.written).toEqual([2029, 101, 102, 2032, 7]);
  expect(out.coils).toEqual([false, false, true, false, false, false, false, false]);
  // pymodbus 3.0 puts the run indicator byte into `identifier` as well
  expect(out.server_id).toEqual({ identifier: [0x43, 0xff], status: true });
  expect(out.identification).toEqual({ 0: 'meter-4', 1: 'SM-RTU', 2: '1.0' });
  expect(out.exception_address).toBe(2);
  expect(out.exception_quantity).toBe(3);
  expect(out.echo).toEqual([0x1234]);
}

describe.skipIf(skipWithoutTool(hasPymodbus && socatAvailable))('pymodbus 3 ModbusSerialClient on a pty against four meters', () => {
  let rtu: RtuOnPty;
  beforeAll(async () => {
    // pyserial cannot set parity on a Linux pty (tcsetattr EINVAL), so this line runs 8N1
    rtu = await serveRtuOnPty(daisyChainDevices(), { baudRate: 19200, parity: 'none' });
  });
  afterAll(async () => {
    await rtu?.close();
  });

  it('reads, writes, FC17, FC43, exceptions, FC08 echo and counters (one bad-CRC frame counted)', async () => {
    const run = await runTool(python, [script, 'serial', rtu.clientPath, '19200', 'N']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as PymodbusReport;
    checkCommon(out);
    // after FC08 0A on unit 1: a read to 1, a read to 2, an exception from 1, then the 0B request
    expect(out.counters).toEqual({ bus_messages: 4, bus_errors: 1, exceptions: 1, server_messages: 6, no_response: 0 });
    expect(rtu.server.framerCounters.crcErrors).toBe(1);
  });
});

describe.skipIf(skipWithoutTool(hasPymodbus))('pymodbus 3 ModbusTcpClient with ModbusRtuFramer (RTU over TCP)', () => {
  let server: RtuOverTcpServer;
  beforeAll(async () => {
    server = await RtuOverTcpServer.listen(new RtuBus(daisyChainDevices()), { port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('reads, writes, FC17, FC43, exceptions, FC08 echo and counters', async () => {
    const run = await runTool(python, [script, 'tcp', '127.0.0.1', String(server.address.port)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as PymodbusReport;
    checkCommon(out);
    expect(out.counters).toEqual({ bus_messages: 4, bus_errors: 0, exceptions: 1, server_messages: 6, no_response: 0 });
  });
});
