/**
 * `submeter vpair`: a virtual serial pair (two ptys joined by socat) for running the meter's RTU
 * side without hardware. Serve on one end, poll the other; Ctrl-C stops socat and removes links.
 */
import { Command } from 'commander';
import { SocatMissingError, openVirtualSerialPair } from '../modbus/rtu/virtual-serial-pair.js';
import { errorMessage } from '../shared/error-message.js';

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
        const message = errorMessage(error);
        process.stderr.write(`submeter vpair: ${message}\n`);
        // exit here: nothing was started, and a top-level runner must not turn this into 0
        process.exit(error instanceof SocatMissingError ? 127 : 1);
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
            `serve on A:  submeter serve --rtu ${pair.pathA} --baud 19200 --parity even --unit 1`,
            `poll on B:   mbpoll -m rtu -b 19200 -P even -a 1 -r 1 -c 10 ${pair.pathB}`,
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
      process.stderr.write(`submeter vpair: socat exited (${code ?? 'signal'})\n`);
      process.exit(1);
    });
}
