/** `submeter ctl timeline [file]`: start a YAML timeline (replacing a running one), or show or stop it. */
import { FileTooLargeError, fileSizeLimits, readTextFileWithin } from '../../common/bounded-file.js';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { ControlClientError, type ControlResponse } from '../../control/http/control-client.js';
import { clientFor, print, run } from './ctl-action.js';

function readTimeline(file: string): string {
  try {
    return readTextFileWithin(file, fileSizeLimits.timeline, 'a timeline');
  } catch (error) {
    if (error instanceof FileTooLargeError) throw new ControlClientError(0, error.message);
    throw new ControlClientError(0, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function addTimelineCommand(ctl: Command): void {
  ctl
    .command('timeline [file]')
    .description('start a YAML timeline (replaces a running one), or show/stop it')
    .option('--status', 'show the progress of the running timeline')
    .option('--stop', 'stop the running timeline')
    .option('--json', 'print JSON')
    .action(
      run(async (file: string | undefined, opts: { status?: boolean; stop?: boolean; json?: boolean }, cmd: Command) => {
        const api = clientFor(cmd);
        if (opts.stop === true) {
          const body = await api.stopTimeline();
          process.stdout.write(body.stopped ? 'timeline stopped\n' : 'no timeline was running\n');
          return;
        }
        const body: ControlResponse<'timelineStatus'> =
          opts.status === true || file === undefined
            ? await api.timelineStatus()
            : await api.startTimeline({ query: { name: basename(file) }, body: readTimeline(file) });
        print(body, opts.json === true, () =>
          [
            `timeline ${body.name}: ${body.applied}/${body.total} steps applied${body.running ? ', running' : ', done'}`,
            ...body.history.map((h) => `  line ${h.line}: ${h.ok ? 'ok' : 'FAILED'} ${h.result}`),
          ].join('\n'),
        );
      }),
    );
}
