/** Benchmark peer: modbus-serial's ServerTCP with the same 60 input registers (synchronous vector). Usage: PORT. */
import { ServerTCP } from '../../../test/support/modbus-serial.js';

const port = Number(process.argv[2]);
const registers = Array.from({ length: 60 }, (_, address) => 1000 + address);
const server = new ServerTCP(
  {
    getInputRegister: (address: number) => registers[address] ?? 0,
    getMultipleInputRegisters: (address: number, length: number) => registers.slice(address, address + length),
  },
  { host: '127.0.0.1', port, unitID: 1 },
);
server.on('initialized', () => process.stdout.write(`READY ${port}\n`));
server.on('socketError', () => {});
