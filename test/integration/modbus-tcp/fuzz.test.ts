import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { ModbusTcpServer } from '../../../src/modbus/tcp/tcp-server.js';
import { responseProblem } from '../../support/response-shape.js';
import { adu, RawTcpClient } from '../../support/raw-tcp-client.js';
import { SeededRandom } from '../../../src/common/seeded-random.js';

const seed = Number(process.env.FUZZ_SEED ?? 0x5eed2026);
const rounds = 60;
const framesPerRound = 80;

const servedCodes = [1, 2, 3, 4, 5, 6, 8, 15, 16, 17, 22, 23, 43];

/** A plausible request of a served function code: sometimes valid, sometimes out of range. */
function plausibleRequest(random: SeededRandom): number[] {
  const code = random.pick(servedCodes);
  const address = random.next() < 0.8 ? random.int(0, 1100) : random.int(0, 0xffff);
  const w = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
  switch (code) {
    case 1:
    case 2:
      return [code, ...w(address), ...w(random.next() < 0.9 ? random.int(1, 2000) : random.int(0, 0xffff))];
    case 3:
    case 4:
      return [code, ...w(address), ...w(random.next() < 0.9 ? random.int(1, 125) : random.int(0, 0xffff))];
    case 5:
      return [code, ...w(address), ...(random.next() < 0.8 ? random.pick([[0xff, 0], [0, 0]]) : random.bytes(2))];
    case 6:
      return [code, ...w(address), ...random.bytes(2)];
    case 15: {
      const quantity = random.int(1, 1968);
      const count = (quantity + 7) >> 3;
      return [code, ...w(address), ...w(quantity), count, ...random.bytes(count)];
    }
    case 16: {
      const quantity = random.int(1, 123);
      return [code, ...w(address), ...w(quantity), quantity * 2, ...random.bytes(quantity * 2)];
    }
    case 22:
      return [code, ...w(address), ...random.bytes(4)];
    case 23: {
      const writeQuantity = random.int(1, 121);
      return [code, ...w(address), ...w(random.int(1, 125)), ...w(random.int(0, 1100)), ...w(writeQuantity), writeQuantity * 2, ...random.bytes(writeQuantity * 2)];
    }
    case 43:
      return [code, random.next() < 0.9 ? 0x0e : random.int(0, 255), random.int(0, 5), random.int(0, 255)];
    default:
      return [code, ...random.bytes(random.int(0, 6))];
  }
}

/** Random PDU: plausible, mutated, random-with-served-code or fully random (1..253 bytes). */
function randomPdu(random: SeededRandom): number[] {
  const kind = random.next();
  let pdu: number[];
  if (kind < 0.4) pdu = plausibleRequest(random);
  else if (kind < 0.7) {
    pdu = plausibleRequest(random);
    for (let m = random.int(1, 3); m > 0; m -= 1) {
      const op = random.int(0, 2);
      if (op === 0) pdu[random.int(0, pdu.length - 1)] = random.int(0, 255);
      else if (op === 1 && pdu.length > 1) pdu.length = random.int(1, pdu.length - 1);
      else pdu.push(...random.bytes(random.int(1, 4)));
    }
  } else if (kind < 0.9) pdu = [random.pick(servedCodes), ...random.bytes(random.int(0, 40))];
  else pdu = random.bytes(random.int(1, 253));
  return pdu.slice(0, 253);
}

/** A header the server must refuse: protocol id != 0 or length outside 2..254. */
function brokenFrame(random: SeededRandom): Buffer {
  const frame = adu(random.int(0, 0xffff), 1, [0x03, 0, 0, 0, 1]);
  if (random.next() < 0.5) frame.writeUInt16BE(random.int(1, 0xffff), 2);
  else frame.writeUInt16BE(random.pick([0, 1, 255, 256, random.int(255, 0xffff)]), 4);
  return frame;
}

describe('fuzz: random and mutated frames against a running server', () => {
  const device = new MemoryDevice({
    inputRegisters: { start: 0, count: 1000 },
    holdingRegisters: { start: 0, count: 1000 },
    coils: { start: 0, count: 2000 },
    discreteInputs: { start: 0, count: 2000 },
  });
  for (let i = 0; i < 1000; i += 1) device.setInputRegister(i, (i * 13) & 0xffff);
  const server = new ModbusTcpServer({ router: device });
  let port = 0;

  beforeAll(async () => {
    port = (await server.listen(0)).port;
  });
  afterAll(async () => {
    await server.close();
  });

  it(`never crashes, never answers garbage, keeps serving a good client (seed ${seed})`, async () => {
    const random = new SeededRandom(seed);

    // The well-behaved client polls on its own connection for the whole run.
    const good = await RawTcpClient.connect(port);
    let fuzzing = true;
    let goodAnswers = 0;
    const goodLoop = (async () => {
      for (let id = 0; fuzzing; id = (id + 1) & 0xffff) {
        const address = id % 900;
        const r = await good.request(id, 1, [0x04, address >> 8, address & 0xff, 0, 3]);
        expect(r.transactionId).toBe(id);
        expect([r.pdu.readUInt16BE(2), r.pdu.readUInt16BE(4), r.pdu.readUInt16BE(6)]).toEqual([0, 1, 2].map((k) => ((address + k) * 13) & 0xffff));
        goodAnswers += 1;
      }
    })();

    let answered = 0;
    let closedByServer = 0;
    for (let round = 0; round < rounds; round += 1) {
      const client = await RawTcpClient.connect(port);
      const sent: { transactionId: number; unit: number; pdu: number[] }[] = [];
      const frames: Buffer[] = [];
      for (let i = 0; i < framesPerRound; i += 1) {
        const unit = random.next() < 0.85 ? 1 : random.int(0, 255);
        const pdu = randomPdu(random);
        const transactionId = random.int(0, 0xffff);
        sent.push({ transactionId, unit, pdu });
        frames.push(adu(transactionId, unit, pdu));
      }
      const broken = random.next() < 0.3;
      if (broken) frames.push(brokenFrame(random));
      const stream = Buffer.concat(frames);
      // Deliver in random pieces so frames straddle segment boundaries.
      for (let at = 0; at < stream.length; ) {
        const piece = random.int(1, 600);
        client.send(stream.subarray(at, at + piece));
        at += piece;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (broken) {
        await client.closed;
        closedByServer += 1;
      } else {
        await client.waitFor(sent.length);
      }
      expect(client.received.length).toBe(sent.length);
      client.received.forEach((response, i) => {
        const request = sent[i];
        expect(response.transactionId).toBe(request.transactionId);
        expect(response.unit).toBe(request.unit);
        const pdu = Uint8Array.from(request.pdu);
        if (![0, 1, 255].includes(request.unit)) {
          expect([...response.pdu]).toEqual([(request.pdu[0] | 0x80) & 0xff, 0x0b]);
          return;
        }
        const problem = responseProblem(pdu, response.pdu);
        if (problem !== undefined) throw new Error(`round ${round} frame ${i}: ${problem}; request ${Buffer.from(pdu).toString('hex')} response ${response.pdu.toString('hex')}`);
        if (request.pdu[0] === 0x04 && response.pdu[0] === 0x04) {
          const address = (request.pdu[1] << 8) | request.pdu[2];
          for (let k = 0; k < response.pdu[1] / 2; k += 1) expect(response.pdu.readUInt16BE(2 + 2 * k)).toBe(((address + k) * 13) & 0xffff);
        }
      });
      answered += client.received.length;
      client.close();
    }
    fuzzing = false;
    await goodLoop;
    good.close();

    expect(answered).toBe(rounds * framesPerRound);
    expect(closedByServer).toBeGreaterThan(5);
    expect(goodAnswers).toBeGreaterThan(10);
  });
});
