/** `submeter ctl events <meter>`: the newest event-log records. */
import type { Command } from 'commander';
import { renderTable } from '../text-table.js';
import { clientFor, fixed, print, run } from './ctl-action.js';
import { num } from './ctl-options.js';

export function addEventsCommand(ctl: Command): void {
  ctl
    .command('events <meter>')
    .description("print a meter's newest event-log records")
    .option('--count <n>', 'how many', num, 16)
    .option('--json', 'print JSON')
    .action(
      run(async (meter: string, opts: { count: number; json?: boolean }, cmd: Command) => {
        const body = await clientFor(cmd).events({ params: { id: meter }, query: { count: opts.count } });
        print(body.events, opts.json === true, () =>
          body.events.length === 0
            ? 'no events'
            : renderTable([
                ['#', 'kind', 'phase', 'start', 'duration', 'extreme'],
                ...body.events.map((e) => [
                  e.sequence,
                  e.kind,
                  e.phase === 0 ? '-' : `L${e.phase}`,
                  new Date(e.startMs).toISOString(),
                  e.endMs === 0 ? 'active' : `${((e.endMs - e.startMs) / 1000).toFixed(3)} s`,
                  fixed(e.extremeValue, 2),
                ]),
              ]),
        );
      }),
    );
}
