import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutTool } from '../../support/external-tool.js';
import { ModbusRTU } from '../../support/modbus-serial.js';
import { daisyChainDevices, serveRtuOnPty, socatAvailable, type RtuOnPty } from '../../support/rtu-pty.js';
import { referenceCrc16, withCrc } from '../../support/rtu-frames.js';

const polls = 10_000;
const units = [1, 2, 3, 4];

/** A bare master on the port: one request, waits for exactly `responseLength` bytes. */
class RawMaster {
  private received = Buffer.alloc(0);
  private waiter: (() => void) | undefined;

  constructor(private readonly port: SerialPort) {
    port.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.waiter?.();
    });
  }

  async exchange(request: Buffer, responseLength: number): Promise<Buffer> {
    this.received = Buffer.alloc(0);
    const complete = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${request.toString('hex')} (got ${this.received.toString('hex')})`)), 5000);
      this.waiter = () => {
        if (this.received.length >= responseLength) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    this.port.write(request);
    await complete;
    return this.received;
  }
}

describe.skipIf(skipWithoutTool(socatAvailable))(`four meters on one bus, polled round-robin ${polls} times`, () => {
  let rtu: RtuOnPty;

  beforeAll(async () => {
    rtu = await serveRtuOnPty(daisyChainDevices(units), { baudRate: 115200, parity: 'even' });
  });
  afterAll(async () => {
    await rtu?.close();
  });

  it('answers every poll from the addressed meter, and the FC08 counters agree with what was sent', async () => {
    const client = new ModbusRTU();
    await client.connectRTUBuffered(rtu.clientPath, { baudRate: 115200, parity: 'even' });
    client.setTimeout(2000);
    const sentTo = new Map(units.map((unit) => [unit, 0]));
    const exceptionsTo = new Map(units.map((unit) => [unit, 0]));
    let answered = 0;
    try {
      for (let i = 0; i < polls; i += 1) {
        const unit = units[i % units.length];
        client.setID(unit);
        sentTo.set(unit, (sentTo.get(unit) ?? 0) + 1);
        if (i % 97 === 0) {
          // beyond the 200-register map: exception 02 from this unit
          const error: unknown = await client.readHoldingRegisters(198, 4).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toMatchObject({ modbusCode: 2 });
          exceptionsTo.set(unit, (exceptionsTo.get(unit) ?? 0) + 1);
          answered += 1;
          continue;
        }
        const address = (i * 7) % 150;
        const quantity = 1 + (i % 40);
        const useInput = i % 2 === 1;
        const { data } = useInput ? await client.readInputRegisters(address, quantity) : await client.readHoldingRegisters(address, quantity);
        const base = (useInput ? 2000 : 1000) * unit + address;
        expect(data.length).toBe(quantity);
        // first and last value identify the unit, the table, the address and the length
        if (data[0] !== base || data[quantity - 1] !== base + quantity - 1) {
          throw new Error(`poll ${i}: unit ${unit} ${useInput ? 'input' : 'holding'} ${address}+${quantity} answered ${data[0]}..${data[quantity - 1]}`);
        }
        answered += 1;
      }
    } finally {
      await new Promise<void>((resolve) => client.close(() => resolve()));
    }
    expect(answered).toBe(polls);
    expect(rtu.server.framerCounters).toMatchObject({ delivered: polls, crcErrors: 0, otherUnit: 0, incomplete: 0, overruns: 0 });

    // Read the counters back with FC08, unit by unit, with a bare master.
    const port = new SerialPort({ path: rtu.clientPath, baudRate: 115200, parity: 'even', autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    const master = new RawMaster(port);
    const subFunctions = [0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x12];
    const counters = new Map<number, number[]>();
    try {
      for (const unit of units) {
        const values: number[] = [];
        for (const sub of subFunctions) {
          const response = await master.exchange(withCrc([unit, 0x08, 0x00, sub, 0x00, 0x00]), 8);
          expect(response.length).toBe(8);
          expect(referenceCrc16(response.subarray(0, 6))).toBe(response.readUInt16LE(6));
          expect([response[0], response[1], response.readUInt16BE(2)]).toEqual([unit, 0x08, sub]);
          values.push(response.readUInt16BE(4));
        }
        counters.set(unit, values);
      }
    } finally {
      await new Promise<void>((resolve) => port.close(() => resolve()));
    }
    units.forEach((unit, u) => {
      const diagnosticsBefore = subFunctions.length * u;
      expect(counters.get(unit)).toEqual([
        polls + diagnosticsBefore + 1, // 0B bus messages: every poll on the bus, the FC08 so far and this one
        0, // 0C communication errors
        exceptionsTo.get(unit), // 0D exceptions answered by this meter
        (sentTo.get(unit) ?? 0) + 4, // 0E messages to this meter: its polls and FC08 0B, 0C, 0D, 0E
        0, // 0F no response
        0, // 12 character overruns
      ]);
    });
    expect([...exceptionsTo.values()].reduce((a, b) => a + b, 0)).toBe(Math.ceil(polls / 97));
  }, 60_000);
});
