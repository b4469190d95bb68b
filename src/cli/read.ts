/**
 * `submeter read`: poll a meter (Modbus/TCP, RTU on a serial port, or RTU over TCP) through a
 * profile's register map and print the decoded values with their units, once or every
 * `--interval` seconds with `--watch`; `--json` for scripts. Uses submeter's own Modbus client.
 */
import { Command } from 'commander';
import { connectRtuOverTcp, connectTcp, openRtuSerial } from '../modbus/client/connect.js';
import { ModbusClient } from '../modbus/client/modbus-client.js';
import { ModbusExceptionResponse } from '../modbus/client/modbus-exception-response.js';
import { ModbusTimeoutError, type ClientTransport } from '../modbus/client/client-transport.js';
import { errorMessage } from '../shared/error-message.js';
import { CliError } from './cli-error.js';
import { DEFAULT_PROFILE, DEFAULT_RTU_LINE } from './config/meter-defaults.js';
import { hostPort, integerIn, oneOf, positiveNumber, stopBits } from './option-parsers.js';
import { registerMapFor } from './panel/default-meter-factory.js';
import type { RegisterMap } from '../registers/register-map.js';
import { decodeBlock, planReads, type ReadBlock } from './read/read-plan.js';
import { formatTable, type ReadResult } from './read/format-table.js';
import { systemError } from './system-error.js';
import { parseTcpEndpoint } from './tcp-endpoint.js';

interface ReadOptions {
  tcp?: string;
  rtu?: string;
  rtuTcp?: string;
  baud?: number;
  parity?: 'none' | 'even' | 'odd';
  stopBits?: 1 | 2;
  unit: number;
  profile: string;
  option: string[];
  match?: string;
  json?: boolean;
  watch?: boolean;
  interval: number;
  timeout: number;
}

export interface ReadTarget {
  tcp?: string | undefined;
  rtu?: string | undefined;
  rtuTcp?: string | undefined;
  baud?: number | undefined;
  parity?: 'none' | 'even' | 'odd' | undefined;
  stopBits?: 1 | 2 | undefined;
  /** Connect timeout (ms). */
  timeoutMs?: number | undefined;
}

/** Opens the transport a read target names (exactly one of tcp, rtu, rtuTcp). */
export async function openReadTransport(target: ReadTarget, map?: RegisterMap): Promise<ClientTransport> {
  const given = [target.tcp, target.rtu, target.rtuTcp].filter((t) => t !== undefined).length;
  if (given !== 1) throw new CliError('give exactly one of --tcp HOST:PORT, --rtu PATH or --rtu-tcp HOST:PORT', 2);
  const timeoutMs = target.timeoutMs ?? 3000;
  if (target.rtu !== undefined) {
    const line = {
      baudRate: target.baud ?? map?.rtu?.baudRate ?? DEFAULT_RTU_LINE.baudRate,
      parity: target.parity ?? map?.rtu?.parity ?? DEFAULT_RTU_LINE.parity,
      stopBits: target.stopBits ?? map?.rtu?.stopBits ?? DEFAULT_RTU_LINE.stopBits,
    };
    try {
      return await openRtuSerial({ path: target.rtu, ...line });
    } catch (error) {
      throw systemError(`cannot open serial port ${target.rtu}`, error);
    }
  }
  const address = target.tcp ?? target.rtuTcp ?? '';
  const { host, port } = parseTcpEndpoint(address);
  try {
    return target.tcp !== undefined ? await connectTcp(host, port, timeoutMs) : await connectRtuOverTcp(host, port, timeoutMs);
  } catch (error) {
    throw systemError(`cannot connect to ${host}:${port}`, error);
  }
}

/** Reads every block once; exceptions are reported per block, a silent meter fails the read. */
export async function readOnce(client: ModbusClient, blocks: readonly ReadBlock[]): Promise<ReadResult> {
  const result: ReadResult = { values: [], errors: [] };
  let answered = 0;
  for (const block of blocks) {
    try {
      const data =
        block.space === 'input'
          ? await client.readInputRegisters(block.address, block.quantity)
          : block.space === 'holding'
            ? await client.readHoldingRegisters(block.address, block.quantity)
            : block.space === 'coil'
              ? await client.readCoils(block.address, block.quantity)
              : await client.readDiscreteInputs(block.address, block.quantity);
      answered += 1;
      result.values.push(...decodeBlock(block, data));
    } catch (error) {
      if (error instanceof ModbusExceptionResponse) {
        answered += 1;
        result.errors.push({ space: block.space, address: block.address, quantity: block.quantity, error: error.message });
      } else if (error instanceof ModbusTimeoutError && answered > 0) {
        result.errors.push({ space: block.space, address: block.address, quantity: block.quantity, error: error.message });
      } else {
        throw error instanceof Error ? new CliError(error.message) : error;
      }
    }
  }
  return result;
}

export interface ReadMeterOptions extends ReadTarget {
  /** Register map to decode with (default titan). */
  profile?: string | undefined;
  profileOptions?: Readonly<Record<string, string | number>> | undefined;
  unit?: number | undefined;
  /** Only registers whose name or quantity contains this text. */
  match?: string | undefined;
}

/** Library form of `submeter read`: one poll of a meter, decoded to SI values with units. */
export async function readMeter(options: ReadMeterOptions): Promise<ReadResult> {
  const map = registerMapFor(options.profile ?? DEFAULT_PROFILE, options.profileOptions ?? {});
  const transport = await openReadTransport(options, map);
  const client = new ModbusClient(transport, { unitId: options.unit ?? 1, timeoutMs: options.timeoutMs ?? 1000 });
  try {
    return await readOnce(client, planReads(map, options.match));
  } finally {
    await client.close();
  }
}

function mapOptions(pairs: readonly string[]): Record<string, string | number> {
  const options: Record<string, string | number> = {};
  for (const pair of pairs) {
    const [key, value] = pair.split('=', 2);
    if (key === undefined || value === undefined || key === '') throw new CliError(`--option expects key=value, got "${pair}"`, 2);
    options[key] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return options;
}

export function readCommand(): Command {
  return new Command('read')
    .description("poll a meter through a profile's register map and print the decoded values with units")
    .option('--tcp <host:port>', 'Modbus/TCP address of the meter', hostPort)
    .option('--rtu <path>', 'serial device of the RTU bus')
    .option('--rtu-tcp <host:port>', 'RTU over TCP address', hostPort)
    .option('--baud <rate>', "RTU baud rate (default: the profile's, else 19200)", integerIn(1200, 230_400))
    .option('--parity <parity>', "RTU parity none|even|odd (default: the profile's, else even)", oneOf(['none', 'even', 'odd'] as const))
    .option('--stop-bits <n>', 'RTU stop bits 1|2', stopBits)
    .option('--unit <id>', 'unit id', integerIn(0, 255), 1)
    .option('--profile <name>', 'register map to decode with (titan, sdm630, sunspec, em24)', DEFAULT_PROFILE)
    .option('--option <key=value>', 'profile option (e.g. model=213 for sunspec); repeatable', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--match <text>', 'only registers whose name or quantity contains this text')
    .option('--json', 'print JSON (one object per poll with --watch)')
    .option('--watch', 'poll again every --interval seconds until Ctrl-C')
    .option('--interval <seconds>', 'seconds between polls with --watch', positiveNumber, 1)
    .option('--timeout <ms>', 'answer timeout per request', integerIn(10, 60_000), 1000)
    .action(async (options: ReadOptions) => {
      let map: RegisterMap;
      try {
        map = registerMapFor(options.profile, mapOptions(options.option));
      } catch (error) {
        throw new CliError(`--profile ${options.profile}: ${errorMessage(error).split('\n')[0] ?? ''}`, 2);
      }
      const blocks = planReads(map, options.match);
      if (blocks.length === 0) throw new CliError(`no register of ${options.profile} matches "${options.match ?? ''}"`, 2);
      const transport = await openReadTransport({ ...options, timeoutMs: options.timeout }, map);
      const client = new ModbusClient(transport, { unitId: options.unit, timeoutMs: options.timeout });
      let stop = false;
      const onSignal = (): void => {
        stop = true;
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        do {
          const result = await readOnce(client, blocks);
          const time = new Date().toISOString();
          if (options.json === true) {
            process.stdout.write(JSON.stringify({ time, profile: options.profile, unit: options.unit, transport: transport.description, values: result.values, errors: result.errors }) + '\n');
          } else {
            const header = `${options.profile} unit ${options.unit} on ${transport.description} at ${time}`;
            process.stdout.write(`${header}\n${formatTable(result)}\n${options.watch === true ? '\n' : ''}`);
          }
          if (options.watch !== true) break;
          await new Promise<void>((resolve) => {
            const done = (): void => {
              clearTimeout(timer);
              process.off('SIGINT', done);
              process.off('SIGTERM', done);
              resolve();
            };
            const timer = setTimeout(done, options.interval * 1000);
            process.on('SIGINT', done);
            process.on('SIGTERM', done);
          });
        } while (!stop);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await client.close();
      }
    });
}
