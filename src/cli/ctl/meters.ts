/** `submeter ctl meters`: the meters, where they are served and whether they take scenarios. */
import type { Command } from 'commander';
import { renderTable } from '../text-table.js';
import { clientFor, print, run } from './ctl-action.js';

export function addMetersCommand(ctl: Command): void {
  ctl
    .command('meters')
    .description('list the meters')
    .option('--json', 'print JSON')
    .action(
      run(async (opts: { json?: boolean }, cmd: Command) => {
        const body = await clientFor(cmd).listMeters();
        print(body, opts.json === true, () =>
          renderTable([
            ['id', 'served on', 'scenarios', 'description'],
            ...body.meters.map((m) => [m.id, m.faultScopes.map((s) => `${s.endpoint}#${s.unitId}`).join(' ') || '-', m.physical ? 'yes' : 'no', m.description]),
          ]),
        );
      }),
    );
}
