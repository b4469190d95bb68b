import { once } from 'node:events';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtuBus } from '../../../src/modbus/rtu/rtu-bus.js';
import { RtuOverTcpServer } from '../../../src/modbus/rtu/rtu-over-tcp-server.js';
import { ModbusRTU } from '../../support/modbus-serial.js';
import { daisyChainDevices } from '../../support/rtu-pty.js';
import { withCrc } from '../../support/rtu-frames.js';
import { SeededRandom } from '../../../src/common/seeded-random.js';

describe('RTU over TCP under fuzz (seeded)', () => {
  const bus = new RtuBus(daisyChainDevices());
  let server: RtuOverTcpServer;

  beforeAll(async () => {
    server = await RtuOverTcpServer.listen(bus, { port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('junk, truncated and mutated frames on one connection never disturb a good client on another', async () => {
    const random = new SeededRandom(0x5eed);
    const fuzzer = new Socket();
    fuzzer.connect(server.address.port, '127.0.0.1');
    await once(fuzzer, 'connect');
    fuzzer.on('data', () => undefined); // whatever junk happens to be answered is not our concern here
    const good = new ModbusRTU();
    await good.connectTelnet('127.0.0.1', { port: server.address.port });
    good.setTimeout(2000);
    let segments = 0;
    try {
      for (let round = 0; round < 300; round += 1) {
        // a few segments of trouble: random bytes, a valid frame cut short, a frame with a flipped bit
        for (let k = 0; k < 4; k += 1) {
          const unit = random.int(0, 6);
          const valid = withCrc([unit, random.pick([1, 2, 3, 4, 5, 6, 8, 15, 16, 17, 22, 23, 43, 0x41]), ...random.bytes(random.int(0, 12))]);
          const kind = random.int(0, 2);
          const payload =
            kind === 0 ? random.bytes(random.int(1, 400)) : kind === 1 ? valid.slice(0, random.int(1, valid.length - 1)) : valid.map((b, i) => (i === random.int(0, valid.length - 1) ? b ^ (1 << random.int(0, 7)) : b));
          fuzzer.write(Buffer.from(payload));
          segments += 1;
        }
        const unit = 1 + (round % 4);
        good.setID(unit);
        const address = random.int(0, 150);
        const { data } = await good.readHoldingRegisters(address, 3);
        expect(data).toEqual([1000 * unit + address, 1000 * unit + address + 1, 1000 * unit + address + 2]);
      }
    } finally {
      fuzzer.destroy();
      await new Promise<void>((resolve) => good.close(() => resolve()));
    }
    expect(segments).toBe(1200);
  });
});
