/**
 * Benchmark server for modbus-tls.bench.ts: the same 60 input registers (1000 + address) served
 * by submeter's ModbusTcpServer and its ModbusTlsServer (with the built-in reader role checked
 * on every request) in one process. Usage: CERT_DIR (ca.pem, server.pem, server.key). Prints
 * `READY <tcp port> <tls port>`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { ModbusTcpServer } from '../../../src/modbus/tcp/tcp-server.js';
import { ModbusTlsServer } from '../../../src/modbus/tls/tls-server.js';
import { RoleAuthorizer } from '../../../src/runtime/security/role-authorizer.js';
import { builtInRoles } from '../../../src/runtime/security/role-table.js';

const dir = process.argv[2] ?? '.';
const device = new MemoryDevice({ inputRegisters: { start: 0, count: 60 } });
for (let address = 0; address < 60; address += 1) device.setInputRegister(address, 1000 + address);
const reader = new RoleAuthorizer(builtInRoles.reader, new Map([[1, { profile: 'bench', targets: undefined }]]));
const plain = new ModbusTcpServer({ router: device, maxConnections: 256, idleTimeoutMs: 0 });
const secured = new ModbusTlsServer({
  router: device,
  maxConnections: 256,
  idleTimeoutMs: 0,
  cert: readFileSync(join(dir, 'server.pem')),
  key: readFileSync(join(dir, 'server.key')),
  ca: readFileSync(join(dir, 'ca.pem')),
  authorize: () => reader,
});
const tcp = await plain.listen(0, '127.0.0.1');
const tls = await secured.listen(0, '127.0.0.1');
process.stdout.write(`READY ${tcp.port} ${tls.port}\n`);
process.on('SIGINT', () => process.exit(0));
