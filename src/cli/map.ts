/**
 * `submeter map --profile NAME [--format md|csv|json] [--option key=value] [--file map.yaml]`:
 * prints a register map as documentation (the generated docs/register-maps/*.md come from here).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadMapFile, type MapOptions } from '../registers/load-map.js';
import { MapLoadError } from '../registers/map-load-error.js';
import { MAP_FORMATS, renderCatalogue, renderMap, type MapFormat } from '../registers/map-documentation.js';
import { loadRegisterMap } from '../registers/profiles.js';
import { profileProblem } from '../runtime/meters/meter-name-problems.js';
import { formatProblem } from '../shared/source-problem.js';
import { CliError } from './cli-error.js';

function collectOption(text: string, previous: Record<string, string | number>): Record<string, string | number> {
  const match = /^([A-Za-z0-9_-]+)=(.+)$/.exec(text);
  if (match === null) throw new InvalidArgumentError(`expected key=value, got ${JSON.stringify(text)}`);
  const [, key = '', raw = ''] = match;
  const value = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  return { ...previous, [key]: value };
}

interface MapCommandOptions {
  profile?: string;
  file?: string;
  format: MapFormat;
  option: MapOptions;
  quantities?: boolean;
}

export function mapCommand(): Command {
  return new Command('map')
    .description('print a register map as documentation (Markdown, CSV or JSON)')
    .option('--profile <name>', 'shipped profile: titan, sdm630, sunspec, em24')
    .option('--file <path>', 'a register-map YAML file of your own (instead of --profile)')
    .addOption(new Option('--format <format>', 'output format').choices(MAP_FORMATS).default('md'))
    .option('--option <key=value>', 'profile option, e.g. model=213 for sunspec (repeatable)', collectOption, {})
    .option('--quantities', 'list the quantities, settings and commands a map may name (Markdown)')
    .action((options: MapCommandOptions, command: Command) => {
      if (options.quantities === true) {
        process.stdout.write(renderCatalogue());
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
        if (error instanceof MapLoadError) {
          const [first] = error.problems;
          const more = error.problems.length > 1 ? ` (and ${error.problems.length - 1} more problem${error.problems.length > 2 ? 's' : ''})` : '';
          throw new CliError(`${first === undefined ? error.message : formatProblem(first)}${more}`, 2);
        }
        throw error;
      }
    });
}
