/** Benchmark server: submeter's ModbusTcpServer with 60 input registers (1000 + address). Usage: PORT. */
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { ModbusTcpServer } from '../../../src/modbus/tcp/tcp-server.js';

const port = Number(process.argv[2] ?? 0);
const device = new MemoryDevice({ inputRegisters: { start: 0, count: 60 } });
for (let address = 0; address < 60; address += 1) device.setInputRegister(address, 1000 + address);
const server = new ModbusTcpServer({ router: device, maxConnections: 256, idleTimeoutMs: 0 });
const { port: bound } = await server.listen(port, '127.0.0.1');
process.stdout.write(`READY ${bound}\n`);
process.on('SIGINT', () => process.exit(0)); // lets --cpu-prof write its profile
