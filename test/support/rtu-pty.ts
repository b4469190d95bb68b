/** A submeter RTU bus served on one end of a socat pty pair; clients open the other end. */
import type { ModbusDevice } from '../../src/modbus/device.js';
import { MemoryDevice } from '../../src/modbus/memory-device.js';
import { RtuBus } from '../../src/modbus/rtu/rtu-bus.js';
import { RtuSerialServer, type RtuSerialServerOptions } from '../../src/modbus/rtu/rtu-serial-server.js';
import { openVirtualSerialPair, type VirtualSerialPair } from '../../src/modbus/rtu/virtual-serial-pair.js';
import { toolAvailable } from './external-tool.js';

export const socatAvailable = toolAvailable('socat', ['-V']);

export interface RtuOnPty {
  readonly bus: RtuBus;
  readonly server: RtuSerialServer;
  readonly pair: VirtualSerialPair;
  /** Where a client connects. */
  readonly clientPath: string;
  close(): Promise<void>;
}

export async function serveRtuOnPty(devices: Iterable<readonly [number, ModbusDevice]>, options: Omit<RtuSerialServerOptions, 'path'> = {}): Promise<RtuOnPty> {
  const bus = new RtuBus(devices);
  const pair = await openVirtualSerialPair();
  let server: RtuSerialServer;
  try {
    server = await RtuSerialServer.open(bus, { ...options, path: pair.pathA });
  } catch (error) {
    await pair.close();
    throw error;
  }
  return {
    bus,
    server,
    pair,
    clientPath: pair.pathB,
    close: async () => {
      await server.close();
      await pair.close();
    },
  };
}

/**
 * Four meters as on a daisy chain: unit u has holding register a = 1000u + a and input register
 * a = 2000u + a, server id 0x40 + u, vendor name "meter-u".
 */
export function daisyChainDevices(units: readonly number[] = [1, 2, 3, 4]): Array<[number, MemoryDevice]> {
  return units.map((unit) => {
    const device = new MemoryDevice({
      holdingRegisters: { start: 0, count: 200 },
      inputRegisters: { start: 0, count: 200 },
      coils: { start: 0, count: 64 },
      discreteInputs: { start: 0, count: 64 },
      identification: new Map([
        [0, `meter-${unit}`],
        [1, 'SM-RTU'],
        [2, '1.0'],
      ]),
      serverId: Uint8Array.of(0x40 + unit),
    });
    for (let address = 0; address < 200; address += 1) {
      device.setHoldingRegister(address, 1000 * unit + address);
      device.setInputRegister(address, 2000 * unit + address);
    }
    device.setDiscreteInput(unit, true);
    return [unit, device];
  });
}
