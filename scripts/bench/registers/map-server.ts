/**
 * Benchmark server: our ModbusTcpServer serving PROFILE on unit 1, where PROFILE is `plain`
 * (MemoryDevice, 60 input registers 1000 + address: the modbus-tcp benchmark's device) or a
 * register map (titan, sdm630) over a real Meter fed a constant window, ticked and re-encoded
 * every 200 ms like a running meter. Prints "READY <port> <first input register>".
 * Usage: PORT PROFILE
 */
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import type { ModbusDevice } from '../../../src/modbus/device.js';
import { ModbusTcpServer } from '../../../src/modbus/tcp/tcp-server.js';
import { Meter } from '../../../src/meter/meter.js';
import { RegisterMapDevice } from '../../../src/registers/register-map-device.js';
import { loadRegisterMap } from '../../../src/registers/profiles.js';
import { makeSnapshot } from '../../../test/support/fake-meter.js';

const port = Number(process.argv[2] ?? 0);
const profile = process.argv[3] ?? 'plain';

let device: ModbusDevice;
if (profile === 'plain') {
  const memory = new MemoryDevice({ inputRegisters: { start: 0, count: 60 } });
  for (let address = 0; address < 60; address += 1) memory.setInputRegister(address, 1000 + address);
  device = memory;
} else {
  const window = makeSnapshot().measurement;
  const meter = new Meter({ source: { description: 'bench', measureAt: () => window } });
  let now = Date.now();
  meter.tick(now);
  const mapped = new RegisterMapDevice(loadRegisterMap(profile), meter);
  setInterval(() => {
    now += 200;
    meter.tick(now);
    mapped.refresh(meter.snapshot());
  }, 200).unref();
  device = mapped;
}
const first = new Uint8Array(2);
device.readInputRegisters(0, 1, first, 0);
const server = new ModbusTcpServer({ router: device, maxConnections: 256, idleTimeoutMs: 0 });
const { port: bound } = await server.listen(port, '127.0.0.1');
process.stdout.write(`READY ${bound} ${(first[0] ?? 0) * 256 + (first[1] ?? 0)}\n`);
process.on('SIGINT', () => process.exit(0));
