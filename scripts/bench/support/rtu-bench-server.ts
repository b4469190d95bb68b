/**
 * One RTU server for scripts/bench/modbus-rtu.bench.ts, in its own process so that the measuring
 * client and the server do not share an event loop. Usage:
 *   node --import tsx rtu-bench-server.ts submeter PATH BAUD
 *   node --import tsx rtu-bench-server.ts modbus-serial PATH BAUD INTERVAL_MS
 * Serves unit 1, holding register a = 10000 + a (a < 200). Prints "ready" when the port is open;
 * exits on SIGTERM.
 */
import { createRequire } from 'node:module';
import type { ServerSerial as ServerSerialClass } from 'modbus-serial/ServerSerial.js';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { RtuBus } from '../../../src/modbus/rtu/rtu-bus.js';
import { RtuSerialServer } from '../../../src/modbus/rtu/rtu-serial-server.js';

const [kind, path, baudText, intervalText] = process.argv.slice(2);
const baudRate = Number(baudText);
const registerValue = (address: number): number => 10000 + address;

async function startSubmeter(): Promise<() => Promise<void>> {
  const device = new MemoryDevice({ holdingRegisters: { start: 0, count: 200 } });
  for (let address = 0; address < 200; address += 1) device.setHoldingRegister(address, registerValue(address));
  const server = await RtuSerialServer.open(RtuBus.single(device, 1), { path, baudRate, parity: 'even' });
  return () => server.close();
}

async function startModbusSerial(): Promise<() => Promise<void>> {
  const require = createRequire(import.meta.url);
  const { ServerSerial } = require('modbus-serial') as { ServerSerial: typeof ServerSerialClass };
  const vector = {
    getHoldingRegister: (address: number): number => registerValue(address),
    getMultipleHoldingRegisters: (address: number, length: number): number[] => Array.from({ length }, (_, i) => registerValue(address + i)),
  };
  const options = { path, baudRate, parity: 'even', unitID: 1, interval: Number(intervalText) };
  const server = await new Promise<ServerSerialClass>((resolve, reject) => {
    const created: ServerSerialClass = new ServerSerial(vector, {
      ...options,
      openCallback: (error) => (error ? reject(error) : resolve(created)),
    });
  });
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

const stop = kind === 'submeter' ? await startSubmeter() : await startModbusSerial();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void stop().then(() => process.exit(0));
});
