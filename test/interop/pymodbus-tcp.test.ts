import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../src/modbus/memory-device.js';
import { ModbusTcpServer } from '../../src/modbus/tcp/tcp-server.js';
import { runTool, skipWithoutTool, toolAvailable } from '../support/external-tool.js';

/** Debian's python3 carries pymodbus; the python3 on PATH may not. */
const python = '/usr/bin/python3';
const hasPymodbus = toolAvailable(python, ['-c', 'import pymodbus']) && (await runTool(python, ['-c', 'import pymodbus'])).code === 0;

const script = String.raw`
import json, sys
from pymodbus.client import ModbusTcpClient
from pymodbus.mei_message import ReadDeviceInformationRequest
port = int(sys.argv[1])
c = ModbusTcpClient('127.0.0.1', port=port, timeout=5)
assert c.connect()
out = {}
out['input'] = c.read_input_registers(5, 4, slave=1).registers
c.write_registers(40, [11, 22, 33], slave=1)
c.write_register(43, 44, slave=1)
out['holding'] = c.read_holding_registers(40, 4, slave=1).registers
c.write_coil(3, True, slave=1)
c.write_coils(10, [True, False, True], slave=1)
out['coils'] = c.read_coils(0, 16, slave=1).bits[:16]
out['discrete'] = c.read_discrete_inputs(0, 8, slave=1).bits[:8]
c.mask_write_register(43, 0xF2, 0x25, slave=1)
rw = c.readwrite_registers(read_address=40, read_count=2, write_address=41, write_registers=[99], slave=1)
out['readwrite'] = rw.registers
e = c.read_input_registers(98, 5, slave=1)
out['exception_outside'] = e.exception_code if e.isError() else None
e = c.read_holding_registers(0, 126, slave=1)
out['exception_quantity'] = e.exception_code if e.isError() else None
e = c.read_input_registers(0, 1, slave=9)
out['exception_unit'] = e.exception_code if e.isError() else None
info = c.execute(ReadDeviceInformationRequest(read_code=1, object_id=0, slave=1))
out['identification'] = {str(k): v.decode() for k, v in info.information.items()}
c.close()
print(json.dumps(out))
`;

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
    const run = await runTool(python, ['-c', script, String(port)]);
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
