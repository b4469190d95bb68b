/**
 * End to end: the real Meter (src/meter) behind register maps, served by our Modbus/TCP server,
 * polled and configured by modbus-serial over a real socket. Energy integrates power over
 * simulated time; writes reach the meter's settings (and its own validation); the relay coil
 * cuts the current; the event record window shows what the meter logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModbusTcpServer } from '../../../src/modbus/tcp/tcp-server.js';
import { UnitRouter } from '../../../src/modbus/unit-router.js';
import { Meter } from '../../../src/meter/meter.js';
import type { MeasurementSource } from '../../../src/metrology/measurement-source.js';
import { eventKindCode } from '../../../src/registers/event-kind-codes.js';
import { RegisterMapDevice } from '../../../src/registers/register-map-device.js';
import { loadRegisterMap } from '../../../src/registers/profiles.js';
import { makeSnapshot } from '../../support/fake-meter.js';
import { ModbusRTU } from '../../support/modbus-serial.js';

const window = makeSnapshot().measurement;
const source: MeasurementSource = { description: 'constant test window', measureAt: () => window };
const t0 = Date.UTC(2026, 0, 5, 12, 0, 0); // a Monday noon
const meter = new Meter({ source, identity: { serialNumber: 77_001, model: 'Titan 3P' } });
const titan = new RegisterMapDevice(loadRegisterMap('titan'), meter, { now: () => t0 });
const sdm630 = new RegisterMapDevice(loadRegisterMap('sdm630'), meter, { now: () => t0 });
const server = new ModbusTcpServer({ router: UnitRouter.gateway([[1, titan], [2, sdm630]]) });
const client = new ModbusRTU();

/** One meter tick (a metrology window) and the register images refreshed from its snapshot. */
function tick(atMs: number): void {
  meter.tick(atMs);
  const snapshot = meter.snapshot();
  titan.refresh(snapshot);
  sdm630.refresh(snapshot);
}

function float(buffer: Buffer, offset = 0): number {
  return buffer.readFloatBE(offset);
}

function f32Words(value: number): number[] {
  const b = Buffer.alloc(4);
  b.writeFloatBE(value);
  return [b.readUInt16BE(0), b.readUInt16BE(2)];
}

async function exceptionOf(request: Promise<unknown>): Promise<number | undefined> {
  return request.then(
    () => undefined,
    (error: unknown) => (typeof error === 'object' && error !== null && 'modbusCode' in error ? Number(error.modbusCode) : -1),
  );
}

beforeAll(async () => {
  tick(t0);
  tick(t0 + 3_600_000); // one hour at constant power
  const { port } = await server.listen(0, '127.0.0.1');
  await client.connectTCP('127.0.0.1', { port });
});
afterAll(async () => {
  await new Promise<void>((resolve) => client.close(() => resolve()));
  await server.close();
});

describe('the real meter behind the register maps, over TCP', () => {
  it('SDM630 import energy is the integral of the power: P x 1 h, in kWh', async () => {
    client.setID(2);
    const r = await client.readInputRegisters(0x0034, 2);
    expect(float(r.buffer)).toBeCloseTo(window.total.activePower, 2);
    const energy = await client.readInputRegisters(0x0048, 2);
    const expectedKWh = window.total.activePower / 1000; // one hour
    expect(Math.abs(float(energy.buffer) - expectedKWh)).toBeLessThan(expectedKWh * 1e-6 + 1e-4);
    // a long block read across reserved addresses (zeros) as polling software does
    const block = await client.readInputRegisters(0, 80);
    expect(float(block.buffer, 0x46 * 2)).toBeCloseTo(window.frequencyHz, 3);
    expect(block.buffer.readUInt32BE(0x2c * 2)).toBe(0);
  });

  it('titan per-phase energy and the serial number come from the meter', async () => {
    client.setID(1);
    const e = await client.readInputRegisters(0x0120, 4); // L1 active import, f64 Wh
    expect(e.buffer.readDoubleBE(0)).toBeCloseTo(window.phases[0].activePower, 3);
    const serial = await client.readInputRegisters(0x050a, 2);
    expect(serial.buffer.readUInt32BE(0)).toBe(77_001);
  });

  it('a demand period written over Modbus reaches the meter; the meter refuses 7 minutes with 03', async () => {
    client.setID(2);
    await client.writeRegisters(0x0002, f32Words(30));
    expect(meter.configuration.demandPeriodS).toBe(1800);
    tick(t0 + 3_600_200);
    expect(float((await client.readHoldingRegisters(0x0002, 2)).buffer)).toBe(30);
    expect(await exceptionOf(client.writeRegisters(0x0002, f32Words(7)))).toBe(3); // 420 s does not divide an hour
    expect(meter.configuration.demandPeriodS).toBe(1800);
    client.setID(1);
    const events = await client.readHoldingRegisters(0x0100, 12);
    expect(events.buffer.readUInt16BE(1 * 2)).toBe(1); // valid
    expect(events.buffer.readUInt16BE(4 * 2)).toBe(eventKindCode('configuration-change'));
  });

  it('the relay coil needs the password, then opens the load: current reads zero after the next window, and a relay-open event is logged', async () => {
    client.setID(1);
    await expect(client.writeCoil(0, false)).rejects.toMatchObject({ modbusCode: 3 });
    expect(meter.relayIsClosed).toBe(true);
    await client.writeRegisters(0x0000, [1234]);
    await client.writeCoil(0, false);
    expect(meter.relayIsClosed).toBe(false);
    tick(t0 + 3_600_400);
    const i = await client.readInputRegisters(0x0006, 2);
    expect(float(i.buffer)).toBe(0);
    const latest = await client.readInputRegisters(0x0510, 4);
    expect(latest.buffer.readUInt16BE(0)).toBe(1);
    expect(latest.buffer.readUInt16BE(3 * 2)).toBe(eventKindCode('relay-open'));
    expect((await client.readCoils(0, 1)).data[0]).toBe(false);
    await client.writeCoil(0, true);
    expect(meter.relayIsClosed).toBe(true);
    await client.writeRegisters(0x0000, [0]); // lock again
  });

  it('energy reset needs the password; then the energy registers read zero', async () => {
    client.setID(1);
    expect(await exceptionOf(client.writeRegister(0x0021, 1))).toBe(3);
    await client.writeRegister(0x0000, 1234);
    await client.writeRegister(0x0021, 1);
    tick(t0 + 3_600_600);
    const e = await client.readInputRegisters(0x0100, 4);
    expect(e.buffer.readDoubleBE(0)).toBeLessThan(window.total.activePower * (0.6 / 3600) + 1e-6); // at most the last window's energy
  });
});
