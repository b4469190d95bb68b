/**
 * `submeter vpair`: a virtual serial pair (two ptys joined by socat) for running the meter's RTU
 * side without hardware. Serve on one end, poll the other; Ctrl-C stops socat and removes links.
 */
import { Command } from 'commander';
import { SocatMissingError, openVirtualSerialPair } from '../modbus/rtu/virtual-serial-pair.js';
import { errorMessage } from '../common/error-message.js';
import { CliError } from './cli-error.js';

/**
 * socat's own log ("2026/11/30 08:06:58 socat[22890] E symlink(...): No such file or directory")
 * reduced to its error lines, so a failure is one line: what socat said went wrong.
 */
export function withoutSocatLog(message: string): string {
  const [first = '', ...rest] = message.split('\n');
  if (rest.length === 0 && !/socat\[\d+\] [A-Z] /.test(first)) return first;
  const head = first.replace(/:?\s*\d{4}\/\d\d\/\d\d [\d:]+ socat\[\d+\] [A-Z] .*$/, '');
  const errors = message
    .split('\n')
    .map((line) => / socat\[\d+\] [EF] (.*)$/.exec(line)?.[1])
    .filter((line): line is string => line !== undefined);
  return errors.length === 0 ? head : `${head}: ${errors.join('; ')}`;
}

interface VpairOptions {
  linkA?: string;
  linkB?: string;
  json?: boolean;
}

export function vpairCommand(): Command {
  return new Command('vpair')
    .description('start a virtual serial pair (two linked ptys via socat), print both paths, remove them on exit')
    .option('--link-a <path>', 'symlink to create for the first pty (e.g. /tmp/ttyMeter)')
    .option('--link-b <path>', 'symlink to create for the second pty (e.g. /tmp/ttyMaster)')
    .option('--json', 'print the two paths as one JSON line {"a": ..., "b": ...}')
    .action(async (options: VpairOptions) => {
      let pair;
      try {
        pair = await openVirtualSerialPair({ linkA: options.linkA, linkB: options.linkB });
      } catch (error) {
        throw new CliError(`vpair: ${withoutSocatLog(errorMessage(error))}`, error instanceof SocatMissingError ? 127 : 1);
      }
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify({ a: pair.pathA, b: pair.pathB, ptyA: pair.ptyA, ptyB: pair.ptyB })}\n`);
      } else {
        const label = (path: string, pty: string): string => (path === pty ? pty : `${path} -> ${pty}`);
        process.stdout.write(
          [
            'virtual serial pair ready:',
            `  A  ${label(pair.pathA, pair.ptyA)}`,
            `  B  ${label(pair.pathB, pair.ptyB)}`,
            `serve on A:  submeter serve --profile sdm630 --rtu ${pair.pathA} --unit 1          (sdm630's line: 9600 8N1)`,
            `poll on B:   mbpoll -m rtu -b 9600 -P none -a 1 -t 3:float -B -r 1 -c 6 -1 ${pair.pathB}`,
            'Ctrl-C stops the pair.',
            '',
          ].join('\n'),
        );
      }
      let stopping = false;
      const stop = (): void => {
        stopping = true;
        void pair.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const code = await pair.exited;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (stopping) return;
      throw new CliError(`vpair: socat exited (${code ?? 'signal'})`, 1);
    });
}
