import { once } from 'node:events';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtuBus } from '../../../src/modbus/rtu/rtu-bus.js';
import { RtuOverTcpServer } from '../../../src/modbus/rtu/rtu-over-tcp-server.js';
import { ModbusRTU } from '../../support/modbus-serial.js';
import { daisyChainDevices } from '../../support/rtu-pty.js';
import { withCrc } from '../../support/rtu-frames.js';

/** Collects bytes from a socket until `length` have arrived. */
async function readBytes(socket: Socket, length: number, collected: { buffer: Buffer }): Promise<Buffer> {
  while (collected.buffer.length < length) {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    collected.buffer = Buffer.concat([collected.buffer, chunk]);
  }
  const result = collected.buffer.subarray(0, length);
  collected.buffer = collected.buffer.subarray(length);
  return result;
}

describe('RTU over TCP', () => {
  const devices = daisyChainDevices();
  let server: RtuOverTcpServer;
  let port = 0;

  beforeAll(async () => {
    server = await RtuOverTcpServer.listen(new RtuBus(devices), { port: 0 });
    port = server.address.port;
  });
  afterAll(async () => {
    await server.close();
  });

  // modbus-serial's connectTcpRTUBuffered, despite its name, strips the CRC and sends MBAP frames
  // (Modbus/TCP); its raw RTU-over-TCP transport is connectTelnet.
  it('modbus-serial connectTelnet (raw RTU frames over TCP) reads and writes each unit', async () => {
    const client = new ModbusRTU();
    await client.connectTelnet('127.0.0.1', { port });
    client.setTimeout(2000);
    try {
      for (const unit of [1, 2, 3, 4]) {
        client.setID(unit);
        expect((await client.readHoldingRegisters(60, 60)).data.slice(0, 2)).toEqual([1000 * unit + 60, 1000 * unit + 61]);
      }
      client.setID(3);
      await client.writeRegisters(5, [55, 66]);
      expect(devices[2][1].getHoldingRegister(6)).toBe(66);
      expect(devices[1][1].getHoldingRegister(6)).toBe(2006);
      await expect(client.readInputRegisters(150, 60)).rejects.toMatchObject({ modbusCode: 2 });
    } finally {
      await new Promise<void>((resolve) => client.close(() => resolve()));
    }
  });

  it('splits requests merged into one TCP write and answers them in order', async () => {
    const socket = new Socket();
    socket.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const collected = { buffer: Buffer.alloc(0) };
    const requests = [4, 1, 3, 2].map((unit) => withCrc([unit, 0x04, 0x00, 0x07, 0x00, 0x01]));
    socket.write(Buffer.concat(requests));
    for (const unit of [4, 1, 3, 2]) {
      const answer = await readBytes(socket, 7, collected);
      expect(answer).toEqual(withCrc([unit, 0x04, 0x02, ((2000 * unit + 7) >> 8) & 0xff, (2000 * unit + 7) & 0xff]));
    }
    socket.destroy();
  });

  it('skips garbage and a request with a bad CRC, then answers the next good request', async () => {
    const socket = new Socket();
    socket.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const collected = { buffer: Buffer.alloc(0) };
    const bad = withCrc([1, 0x03, 0x00, 0x00, 0x00, 0x01]);
    bad[7] ^= 0xff;
    const good = withCrc([2, 0x03, 0x00, 0x01, 0x00, 0x01]);
    // the good request arrives in two segments after the junk
    socket.write(Buffer.concat([Buffer.from([0x01, 0x03, 0x00]), bad, good.subarray(0, 3)]));
    socket.write(good.subarray(3));
    expect(await readBytes(socket, 7, collected)).toEqual(withCrc([2, 0x03, 0x02, 0x07, 0xd1]));
    socket.destroy();
  });
});
