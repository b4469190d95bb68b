import Modbus from 'jsmodbus';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { skipWithoutTool } from '../../support/external-tool.js';
import { ModbusRTU } from '../../support/modbus-serial.js';
import { daisyChainDevices, serveRtuOnPty, socatAvailable, type RtuOnPty } from '../../support/rtu-pty.js';

function modbusCodeOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'modbusCode' in error && typeof error.modbusCode === 'number' ? error.modbusCode : undefined;
}

function deviceOf(devices: Array<[number, MemoryDevice]>, unit: number): MemoryDevice {
  const found = devices.find(([id]) => id === unit);
  if (found === undefined) throw new Error(`no device for unit ${unit}`);
  return found[1];
}

describe.skipIf(skipWithoutTool(socatAvailable))('modbus-serial (connectRTUBuffered) on a pty against a bus of four meters', () => {
  const devices = daisyChainDevices();
  const client = new ModbusRTU();
  let rtu: RtuOnPty;

  beforeAll(async () => {
    rtu = await serveRtuOnPty(devices, { baudRate: 19200, parity: 'even' });
    await client.connectRTUBuffered(rtu.clientPath, { baudRate: 19200, parity: 'even' });
    client.setTimeout(2000);
  });
  afterAll(async () => {
    if (client.isOpen) await new Promise<void>((resolve) => client.close(() => resolve()));
    await rtu?.close();
  });

  it('reads holding and input registers of each unit from that unit', async () => {
    for (const unit of [4, 2, 3, 1]) {
      client.setID(unit);
      expect((await client.readHoldingRegisters(10, 3)).data).toEqual([1000 * unit + 10, 1000 * unit + 11, 1000 * unit + 12]);
      expect((await client.readInputRegisters(125, 2)).data).toEqual([2000 * unit + 125, 2000 * unit + 126]);
    }
  });

  it('reads 125 registers (the largest read, a 255-byte frame)', async () => {
    client.setID(3);
    const { data } = await client.readHoldingRegisters(0, 125);
    expect(data).toHaveLength(125);
    expect(data[0]).toBe(3000);
    expect(data[124]).toBe(3124);
  });

  it('writes single and multiple registers and coils on one unit only', async () => {
    client.setID(2);
    await client.writeRegister(50, 0xbeef);
    await client.writeRegisters(60, [7, 8, 9]);
    await client.writeCoil(5, true);
    await client.writeCoils(8, [true, false, true, true]);
    const two = deviceOf(devices, 2);
    const three = deviceOf(devices, 3);
    expect([two.getHoldingRegister(50), two.getHoldingRegister(60), two.getHoldingRegister(61), two.getHoldingRegister(62)]).toEqual([0xbeef, 7, 8, 9]);
    expect(three.getHoldingRegister(50)).toBe(3050);
    expect([5, 8, 9, 10, 11].map((a) => two.getCoil(a))).toEqual([true, true, false, true, true]);
    expect((await client.readCoils(4, 8)).data.slice(0, 8)).toEqual([false, true, false, false, true, false, true, true]);
    client.setID(1);
    expect((await client.readDiscreteInputs(0, 4)).data.slice(0, 4)).toEqual([false, true, false, false]);
  });

  it('answers exception 02 beyond the map and 03 for 126 registers', async () => {
    client.setID(1);
    await expect(client.readHoldingRegisters(199, 2)).rejects.toSatisfy((error) => modbusCodeOf(error) === 2);
    await expect(client.readHoldingRegisters(0, 126)).rejects.toSatisfy((error) => modbusCodeOf(error) === 3);
  });

  // FC17 is checked with pymodbus: modbus-serial 8.0.25's promise reportServerID(code) passes its
  // callback in the wrong argument position and never settles.
  it('FC43 device identification per unit', async () => {
    client.setID(4);
    const identification = await client.readDeviceIdentification(1, 0);
    expect(identification.data).toEqual({ 0: 'meter-4', 1: 'SM-RTU', 2: '1.0' });
  });

  it('stays silent for a unit id not on the bus (the client times out), then answers the next poll', async () => {
    client.setID(9);
    client.setTimeout(300);
    await expect(client.readHoldingRegisters(0, 1)).rejects.toThrow(/Timed out/i);
    client.setTimeout(2000);
    client.setID(1);
    expect((await client.readHoldingRegisters(0, 1)).data).toEqual([1000]);
    expect(rtu.server.framerCounters.otherUnit).toBe(1);
  });
});

describe.skipIf(skipWithoutTool(socatAvailable))('jsmodbus (ModbusRTUClient over serialport) on a pty', () => {
  const devices = daisyChainDevices([7, 8]);
  let rtu: RtuOnPty;
  let port: SerialPort;

  beforeAll(async () => {
    rtu = await serveRtuOnPty(devices, { baudRate: 115200, parity: 'none', stopBits: 1 });
    port = new SerialPort({ path: rtu.clientPath, baudRate: 115200, parity: 'none', autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  });
  afterAll(async () => {
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    await rtu?.close();
  });

  it('reads and writes registers on two units of the bus', async () => {
    const unit7 = new Modbus.client.RTU(port, 7, 2000);
    const unit8 = new Modbus.client.RTU(port, 8, 2000);
    const read7 = await unit7.readHoldingRegisters(3, 2);
    expect(read7.response.body.values).toEqual([7003, 7004]);
    await unit8.writeMultipleRegisters(20, [111, 222]);
    const read8 = await unit8.readHoldingRegisters(19, 4);
    expect(read8.response.body.values).toEqual([8019, 111, 222, 8022]);
    expect(deviceOf(devices, 7).getHoldingRegister(20)).toBe(7020);
    const input = await unit7.readInputRegisters(0, 3);
    expect(input.response.body.values).toEqual([14000, 14001, 14002]);
  });

  it('gets exception 02 from the addressed unit', async () => {
    const unit8 = new Modbus.client.RTU(port, 8, 2000);
    await expect(unit8.readInputRegisters(198, 5)).rejects.toMatchObject({
      err: 'ModbusException',
      message: expect.stringMatching(/ILLEGAL DATA ADDRESS \(Code 2\) \(Device Address 8\)/),
    });
  });
});

describe.skipIf(skipWithoutTool(socatAvailable))('serial transport on a pty: optional ioctls', () => {
  const errors: string[] = [];
  let rtu: RtuOnPty;
  const client = new ModbusRTU();

  beforeAll(async () => {
    // low-latency mode is a serial-driver ioctl: a pty refuses it (ENOTTY), which must not matter
    rtu = await serveRtuOnPty(daisyChainDevices([1]), { baudRate: 38400, parity: 'none', lowLatency: true, onError: (error) => errors.push(error.message) });
    await client.connectRTUBuffered(rtu.clientPath, { baudRate: 38400 });
    client.setTimeout(2000);
    client.setID(1);
  });
  afterAll(async () => {
    if (client.isOpen) await new Promise<void>((resolve) => client.close(() => resolve()));
    await rtu?.close();
  });

  it('reports the refused low-latency ioctl once and serves anyway', async () => {
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/low-latency mode not available on .* \(ignored\)/);
    expect((await client.readInputRegisters(7, 2)).data).toEqual([2007, 2008]);
  });
});
