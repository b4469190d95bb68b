/** `submeter ctl scenarios <meter>`: the physical scenarios active on a meter. */
import type { Command } from 'commander';
import { renderTable } from '../text-table.js';
import { clientFor, print, run } from './ctl-action.js';

export function addScenariosCommand(ctl: Command): void {
  ctl
    .command('scenarios <meter>')
    .description('list the physical scenarios active on a meter')
    .option('--json', 'print JSON')
    .action(
      run(async (meter: string, opts: { json?: boolean }, cmd: Command) => {
        const body = await clientFor(cmd).listScenarios({ params: { id: meter } });
        print(body, opts.json === true, () =>
          body.scenarios.length === 0
            ? 'no active scenarios'
            : renderTable([
                ['id', 'scenario', 'start', 'end'],
                ...body.scenarios.map((s) => [
                  s.id,
                  Object.entries(s.scenario)
                    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
                    .join(' '),
                  new Date(s.startMs).toISOString(),
                  s.endMs === undefined ? '-' : new Date(s.endMs).toISOString(),
                ]),
              ]),
        );
      }),
    );
}
