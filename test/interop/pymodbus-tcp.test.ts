import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../src/modbus/memory-device.js';
import { ModbusTcpServer } from '../../src/modbus/tcp/tcp-server.js';
import { runTool, skipWithoutTool } from '../support/external-tool.js';
import { PYTHON3 as python, pythonHas, pythonScript } from '../support/python.js';

const hasPymodbus = await pythonHas('pymodbus');

const script = pythonScript('pymodbus_tcp_client.py');

describe.skipIf(skipWithoutTool(hasPymodbus))('pymodbus 3 sync client against the submeter server', () => {
  const device = new MemoryDevice({ inputRegisters: { start: 0, count: 100 }, holdingRegisters: { start: 0, count: 100 }, coils: { start: 0, count: 64 }, discreteInputs: { start: 0, count: 64 } });
  for (let i = 0; i < 100; i += 1) device.setInputRegister(i, 20000 + 3 * i);
  device.setDiscreteInput(2, true);
  device.setDiscreteInput(7, true);
  const server = new ModbusTcpServer({ router: device });
  let port = 0;

  beforeAll(async () => {
    port = (await server.listen(0)).port;
  });
  afterAll(async () => {
    await server.close();
  });

  it('reads, writes, mask-writes, read/writes and gets the right exceptions', async () => {
    const run = await runTool(python, [script, String(port)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out.input).toEqual([20015, 20018, 20021, 20024]);
    expect(out.holding).toEqual([11, 22, 33, 44]);
    expect(out.coils).toEqual([false, false, false, true, false, false, false, false, false, false, true, false, true, false, false, false]);
    expect(out.discrete).toEqual([false, false, true, false, false, false, false, true]);
    // mask write of 44 (0x2C), and 0xF2, or 0x25: (0x2C & 0xF2) | (0x25 & 0x0D) = 0x20 | 0x05
    expect(device.getHoldingRegister(43)).toBe(0x25);
    expect(out.readwrite).toEqual([11, 99]);
    expect(out.exception_outside).toBe(2);
    expect(out.exception_quantity).toBe(3);
    expect(out.exception_unit).toBe(0x0b);
    expect(out.identification).toEqual({ 0: 'submeter', 1: 'memory-device', 2: '1.0' });
  });
});
