/**
 * Benchmark server: submeter's ModbusTcpServer with 60 input registers, and a fault hook in one
 * of three modes. Usage: PORT MODE, MODE = none (no hook) | idle (hook, no fault active) |
 * other-unit (hook, 4 faults active for unit 9: every request walks the list, none fires).
 */
import { CommFaultPolicy } from '../../../src/modbus/faults/comm-fault-policy.js';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { ModbusTcpServer } from '../../../src/modbus/tcp/tcp-server.js';
import { mbapFraming } from '../../../src/modbus/framing/mbap-framing.js';

const port = Number(process.argv[2] ?? 0);
const mode = process.argv[3] ?? 'none';
const device = new MemoryDevice({ inputRegisters: { start: 0, count: 60 } });
for (let address = 0; address < 60; address += 1) device.setInputRegister(address, 1000 + address);
const policy = new CommFaultPolicy();
if (mode === 'other-unit') {
  policy.apply({ kind: 'delay', delayMs: 100, scope: { unitId: 9 } });
  policy.apply({ kind: 'exception', code: 6, scope: { unitId: 9 } });
  policy.apply({ kind: 'no-response', rate: 0.5, scope: { unitId: 9 } });
  policy.apply({ kind: 'wrong-transaction-id', scope: { unitId: 9 } });
}
const faults = mode === 'none' ? undefined : policy.forEndpoint('tcp:bench', mbapFraming);
const server = new ModbusTcpServer({ router: device, maxConnections: 256, idleTimeoutMs: 0, faults });
const { port: bound } = await server.listen(port, '127.0.0.1');
process.stdout.write(`READY ${bound}\n`);
process.on('SIGINT', () => process.exit(0));
