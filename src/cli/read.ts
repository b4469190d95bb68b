/**
 * `submeter read`: poll a meter (Modbus/TCP, RTU on a serial port, or RTU over TCP) through a
 * profile's register map and print the decoded values with their units, once or every
 * `--interval` seconds with `--watch`; `--json` for scripts. The polling is the runtime's
 * (src/runtime/read/read-meter.ts); this file parses the flags and prints.
 */
import { Command } from 'commander';
import { ModbusClient } from '../modbus/client/modbus-client.js';
import { errorMessage } from '../common/error-message.js';
import type { RegisterMap } from '../registers/register-map.js';
import { DEFAULT_PROFILE } from '../runtime/config/meter-defaults.js';
import { registerMapFor } from '../runtime/meters/default-meter-factory.js';
import { openReadTransport, readOnce } from '../runtime/read/read-meter.js';
import { planReads, readableQuantities } from '../runtime/read/read-plan.js';
import { CliError } from './cli-error.js';
import { hostPort, integerIn, oneOf, positiveNumber, stopBits } from './option-parsers.js';
import { PollPrinter, READ_FORMATS, type ReadFormat } from './read/poll-printer.js';
import { unknownName } from '../common/name-suggestion.js';
import { profileProblem } from '../runtime/meters/meter-name-problems.js';
import type { ReadResult } from '../runtime/read/read-result.js';

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
  quantities?: string[];
  format?: ReadFormat;
  changes?: boolean;
  json?: boolean;
  watch?: boolean;
  interval: number;
  timeout: number;
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

/** "exception 0b (gateway target device failed to respond) to function 4 (4 requests)": the distinct answers, once each. */
function onlyExceptions(result: ReadResult): string {
  const distinct = [...new Set(result.errors.map((e) => e.error.replace(/ to function \d+$/, '')))];
  const count = result.errors.length;
  return `${distinct.join('; ')} (${count} request${count === 1 ? '' : 's'})`;
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
    .option('--quantities <a,b,c>', 'only these quantities (e.g. voltage.l1,power.active.total)', (v: string) => v.split(',').map((q) => q.trim()).filter((q) => q !== ''))
    .option('--format <format>', 'table (default), json, line (one key=value line per poll) or csv (a header, then one row per poll)', oneOf(READ_FORMATS))
    .option('--changes', 'print only the values that changed since the previous poll (with --watch)')
    .option('--json', 'print JSON (one object per poll with --watch); the same as --format json')
    .option('--watch', 'poll again every --interval seconds until Ctrl-C')
    .option('--interval <seconds>', 'seconds between polls with --watch', positiveNumber, 1)
    .option('--timeout <ms>', 'answer timeout per request', integerIn(10, 60_000), 1000)
    .action(async (options: ReadOptions) => {
      if (options.json === true && options.format !== undefined && options.format !== 'json') throw new CliError(`--json cannot be combined with --format ${options.format}`, 2);
      const format: ReadFormat = options.json === true ? 'json' : (options.format ?? 'table');
      const profileError = profileProblem(options.profile, false);
      if (profileError !== undefined) throw new CliError(`--profile ${options.profile}: ${profileError}`, 2);
      let map: RegisterMap;
      try {
        map = registerMapFor(options.profile, mapOptions(options.option));
      } catch (error) {
        throw new CliError(`--profile ${options.profile}: ${errorMessage(error).split('\n')[0] ?? ''}`, 2);
      }
      const known = readableQuantities(map);
      for (const quantity of options.quantities ?? []) {
        if (!known.includes(quantity)) throw new CliError(`--quantities: ${unknownName('quantity', quantity, known, `quantities of ${options.profile}`)}`, 2);
      }
      const blocks = planReads(map, options.match, options.quantities);
      if (blocks.length === 0) throw new CliError(`no register of ${options.profile} matches "${options.match ?? ''}"`, 2);
      const transport = await openReadTransport({ ...options, timeoutMs: options.timeout }, map);
      const client = new ModbusClient(transport, { unitId: options.unit, timeoutMs: options.timeout });
      const printer = new PollPrinter(format, { profile: options.profile, unit: options.unit, transport: transport.description, watch: options.watch === true }, options.changes === true);
      const target = `unit ${options.unit} on ${transport.description}`;
      let stop = false;
      const onSignal = (): void => {
        stop = true;
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        do {
          const result = await readOnce(client, blocks);
          if (result.values.length === 0) {
            // A meter that answers every request with an exception (an absent unit behind a gateway): one line, not a table of them.
            const message = `${target} answered only exceptions: ${onlyExceptions(result)}`;
            if (options.watch !== true) throw new CliError(message, 1);
            process.stderr.write(`submeter: ${new Date().toISOString()} ${message}\n`);
          } else {
            process.stdout.write(printer.print(result, new Date().toISOString()));
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
