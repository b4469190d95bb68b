/**
 * `submeter map --profile NAME [--format md|csv|json] [--option key=value] [--file map.yaml]`:
 * prints a register map as documentation (the generated docs/register-maps/*.md come from here).
 *
 * `submeter map --check-definition FILE --tcp HOST:PORT [--unit N] [--profile NAME | --file MAP]`:
 * reads every register of an independent definition table (test/fixtures/definitions shows the
 * format) from a running meter and checks that the table and the map (the table's profile unless
 * given) read the same bytes as the same quantity and value; exits 1 when any register differs.
 */
import { Command, Option } from 'commander';
import { loadMapFile, type MapOptions } from '../registers/load-map.js';
import { MapLoadError } from '../registers/map-load-error.js';
import { formatProblem } from '../common/source-problem.js';
import { CliError } from './cli-error.js';
import { MAP_FORMATS, renderCatalogue, renderMap, type MapFormat } from '../registers/map-documentation.js';
import { loadRegisterMap } from '../registers/profiles.js';
import { checkDefinition } from '../registers/definitions/definition-check.js';
import { renderDefinitionCheck } from '../registers/definitions/definition-report.js';
import { loadDefinitionTable, type DefinitionTable } from '../registers/definitions/definition-table.js';
import { mapExpectation } from '../registers/definitions/map-expectation.js';
import type { RegisterMap } from '../registers/register-map.js';
import { connectTcp } from '../modbus/client/connect.js';
import { ModbusClient } from '../modbus/client/modbus-client.js';
import { hostPort, integerIn, profileOption } from './option-parsers.js';
import { parseTcpEndpoint } from '../runtime/endpoints/tcp-address.js';
import { profileProblem } from '../runtime/meters/meter-name-problems.js';

interface MapCommandOptions {
  profile?: string;
  file?: string;
  format: MapFormat;
  option: MapOptions;
  quantities?: boolean;
  checkDefinition?: string;
  tcp?: string;
  unit?: number;
}

/** Check a definition table against the meter at `tcp`; prints the report, returns the exit code. */
async function runDefinitionCheck(table: DefinitionTable, map: RegisterMap, tcp: string, unit: number): Promise<number> {
  const { host, port } = parseTcpEndpoint(tcp);
  const client = new ModbusClient(await connectTcp(host, port), { unitId: unit, timeoutMs: 2000 });
  try {
    const results = await checkDefinition(
      table,
      (functionCode, address, count) => (functionCode === 3 ? client.readHoldingRegisters(address, count) : client.readInputRegisters(address, count)),
      mapExpectation(map),
    );
    process.stdout.write(renderDefinitionCheck(results));
    return results.every((r) => r.ok) ? 0 : 1;
  } finally {
    await client.close();
  }
}

export function mapCommand(): Command {
  return new Command('map')
    .description('print a register map as documentation (Markdown, CSV or JSON)')
    .option('--profile <name>', 'shipped profile: titan, sdm630, sunspec, em24')
    .option('--file <path>', 'a register-map YAML file of your own (instead of --profile)')
    .addOption(new Option('--format <format>', 'output format').choices(MAP_FORMATS).default('md'))
    .option('--option <key=value>', 'profile option, e.g. model=213 for sunspec (repeatable)', profileOption, {})
    .option('--quantities', 'list the quantities, settings and commands a map may name (Markdown)')
    .option('--check-definition <file>', 'check a running meter (--tcp) against an independent register definition table (YAML)')
    .option('--tcp <host:port>', 'the meter to check (with --check-definition)', hostPort)
    .option('--unit <n>', 'unit id of the meter to check (default: the table\'s, else 1)', integerIn(0, 255))
    .action(async (options: MapCommandOptions, command: Command) => {
      if (options.quantities === true) {
        process.stdout.write(renderCatalogue());
        return;
      }
      if (options.checkDefinition !== undefined) {
        if (options.tcp === undefined) command.error('error: --check-definition needs --tcp HOST:PORT (the running meter)');
        let table: DefinitionTable;
        let map: RegisterMap;
        try {
          table = loadDefinitionTable(options.checkDefinition);
          const mapOptions = { ...(table.options ?? {}), ...options.option };
          map = options.file !== undefined ? loadMapFile(options.file, mapOptions) : loadRegisterMap(options.profile ?? table.profile, mapOptions);
        } catch (error) {
          command.error(`error: ${(error as Error).message}`, { exitCode: 2 });
        }
        process.exitCode = await runDefinitionCheck(table, map, options.tcp ?? '', options.unit ?? table.unit ?? 1);
        return;
      }
      if ((options.profile === undefined) === (options.file === undefined)) {
        command.error('error: give either --profile NAME or --file PATH');
      }
      const profileError = options.profile === undefined ? undefined : profileProblem(options.profile, false);
      if (profileError !== undefined) throw new CliError(`--profile ${options.profile ?? ''}: ${profileError}`, 2);
      try {
        const map = options.file !== undefined ? loadMapFile(options.file, options.option) : loadRegisterMap(options.profile ?? '', options.option);
        process.stdout.write(renderMap(map, options.format));
      } catch (error) {
        if (error instanceof MapLoadError) throw new CliError(error.message, 2, error.problems.map(formatProblem));
        throw error;
      }
    });
}
