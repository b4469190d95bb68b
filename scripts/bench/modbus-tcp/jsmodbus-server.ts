/** Benchmark peer: jsmodbus 5's TCP server with the same 60 input registers. Usage: PORT. */
import { createServer } from 'node:net';
import Modbus from 'jsmodbus';

const port = Number(process.argv[2] ?? 0);
const input = Buffer.alloc(120);
for (let address = 0; address < 60; address += 1) input.writeUInt16BE(1000 + address, 2 * address);
const net = createServer();
new Modbus.server.TCP(net, { input });
net.listen(port, '127.0.0.1', () => {
  const address = net.address();
  process.stdout.write(`READY ${typeof address === 'object' && address !== null ? address.port : port}\n`);
});
