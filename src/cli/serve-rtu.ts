/**
 * The RTU side of `submeter serve`: `--rtu PATH` (a serial port or one end of `submeter vpair`)
 * and `--rtu-tcp HOST:PORT` (RTU frames in a TCP stream), with line settings and the unit ids of
 * the bus. Each unit id is its own device (a daisy chain of meters on one RS485 pair).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { ModbusDevice } from '../modbus/device.js';
import { RtuBus } from '../modbus/rtu/rtu-bus.js';
import { RtuOverTcpServer } from '../modbus/rtu/rtu-over-tcp-server.js';
import { RtuSerialServer } from '../modbus/rtu/rtu-serial-server.js';
import { MaxBaudRate, MinBaudRate, type SerialParity } from '../modbus/rtu/serial-line-settings.js';
import { UnitRouter } from '../modbus/unit-router.js';
import { formatTcpEndpoint, parseTcpEndpoint, type TcpEndpoint } from './tcp-endpoint.js';

export interface RtuServeOptions {
  rtu?: string | undefined;
  rtuTcp?: TcpEndpoint | undefined;
  baud: number;
  parity: SerialParity;
  stopBits: 1 | 2;
  unit: number[];
  responseDelay: number;
}

function baudRate(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < MinBaudRate || value > MaxBaudRate) {
    throw new InvalidArgumentError(`must be an integer in ${MinBaudRate}..${MaxBaudRate}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function stopBits(text: string): 1 | 2 {
  if (text === '1') return 1;
  if (text === '2') return 2;
  throw new InvalidArgumentError(`must be 1 or 2, got ${JSON.stringify(text)}`);
}

/** "1", "1,2,3,4" or "1-4" (ranges and lists mix: "1-3,7"). */
export function parseUnitIds(text: string): number[] {
  const units: number[] = [];
  for (const part of text.split(',')) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (range === null) throw new InvalidArgumentError(`unit ids: ${JSON.stringify(part)} is not a number or a range like 1-4`);
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    if (first < 1 || last > 247 || first > last) throw new InvalidArgumentError(`unit ids: ${JSON.stringify(part)} is outside 1..247 (0 is broadcast)`);
    for (let unit = first; unit <= last; unit += 1) {
      if (units.includes(unit)) throw new InvalidArgumentError(`unit ids: ${unit} is given twice`);
      units.push(unit);
    }
  }
  return units;
}

function milliseconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 10_000) throw new InvalidArgumentError(`must be a number of ms in 0..10000, got ${JSON.stringify(text)}`);
  return value;
}

function rtuTcpEndpoint(text: string): TcpEndpoint {
  try {
    return parseTcpEndpoint(text);
  } catch (error) {
    throw new InvalidArgumentError((error instanceof Error ? error.message : String(error)).replace('--tcp', '--rtu-tcp'));
  }
}

/** Adds the RTU options to the serve command. */
export function addRtuServeOptions(command: Command): Command {
  return command
    .option('--rtu <path>', 'serve Modbus RTU on this serial port (e.g. /dev/ttyUSB0, or a path from `submeter vpair`)')
    .option('--rtu-tcp <host:port>', 'serve Modbus RTU frames (with CRC) over TCP, as serial-to-Ethernet gateways do', rtuTcpEndpoint)
    .option('--baud <rate>', `RTU baud rate (${MinBaudRate}..${MaxBaudRate})`, baudRate, 19200)
    .addOption(new Option('--parity <parity>', 'RTU parity').choices(['none', 'even', 'odd']).default('even'))
    .option('--stop-bits <n>', 'RTU stop bits (1 or 2)', stopBits, 1)
    .option('--unit <ids>', 'RTU unit ids on the bus, each its own meter: 1, 1,2,3 or 1-4', parseUnitIds, [1])
    .option('--response-delay <ms>', 'wait this long before each RTU answer', milliseconds, 0);
}

/** True when an RTU transport was asked for. */
export function wantsRtu(options: RtuServeOptions): boolean {
  return options.rtu !== undefined || options.rtuTcp !== undefined;
}

/** What `serve` has to say about a running RTU transport, and how to stop it. */
export interface RtuServing {
  readonly lines: string[];
  close(): Promise<void>;
}

/**
 * Starts the requested RTU transports on one bus. `deviceForUnit` gives each unit id its device
 * (a factory returning a router answers with the router's device for that unit).
 */
export async function startRtuServe(options: RtuServeOptions, deviceForUnit: (unitId: number) => Promise<ModbusDevice>): Promise<RtuServing> {
  const devices: Array<[number, ModbusDevice]> = [];
  for (const unit of options.unit) devices.push([unit, await deviceForUnit(unit)]);
  const bus = new RtuBus(devices);
  const closers: Array<() => Promise<void>> = [];
  const lines: string[] = [];
  const units = options.unit.join(',');
  const log = (error: Error): void => {
    process.stderr.write(`submeter serve: ${error.message}\n`);
  };
  try {
    if (options.rtu !== undefined) {
      const serial = await RtuSerialServer.open(bus, {
        path: options.rtu,
        baudRate: options.baud,
        parity: options.parity,
        stopBits: options.stopBits,
        responseDelayMs: options.responseDelay,
        onError: log,
      });
      closers.push(() => serial.close());
      const parityLetter = options.parity === 'none' ? 'N' : options.parity === 'even' ? 'E' : 'O';
      const parityFlag = options.parity === 'none' ? 'none' : options.parity;
      lines.push(
        `submeter: Modbus RTU on ${options.rtu} at ${options.baud} 8${parityLetter}${options.stopBits} (units ${units})`,
        `  try: mbpoll -m rtu -b ${options.baud} -P ${parityFlag} -s ${options.stopBits} -a ${options.unit[0]} -0 -r 0 -c 10 -t 3 -1 <other end of the line>`,
      );
    }
    if (options.rtuTcp !== undefined) {
      const server = await RtuOverTcpServer.listen(bus, { host: options.rtuTcp.host, port: options.rtuTcp.port, responseDelayMs: options.responseDelay, onError: log });
      closers.push(() => server.close());
      const { address, port } = server.address;
      lines.push(`submeter: Modbus RTU over TCP listening on ${formatTcpEndpoint({ host: address, port })} (units ${units})`);
    }
  } catch (error) {
    await Promise.all(closers.map((close) => close()));
    throw error;
  }
  return {
    lines,
    close: async () => {
      await Promise.all(closers.map((close) => close()));
    },
  };
}

/** A device for one unit from what a serve factory returned (a device, or a router of devices). */
export function deviceFromServed(served: ModbusDevice | UnitRouter, unitId: number): ModbusDevice {
  if (!(served instanceof UnitRouter)) return served;
  const device = served.route(unitId) ?? served.route(1);
  if (device === undefined) throw new Error(`the served router has no device for unit ${unitId}`);
  return device;
}
