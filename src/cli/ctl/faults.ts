/** `submeter ctl faults`: the active communication faults (all, or one meter's). */
import type { Command } from 'commander';
import { clientFor, print, run } from './ctl-action.js';
import { faultRows } from './fault-rows.js';

export function addFaultsCommand(ctl: Command): void {
  ctl
    .command('faults')
    .description('list the active communication faults')
    .option('--meter <id>', "only this meter's")
    .option('--json', 'print JSON')
    .action(
      run(async (opts: { meter?: string; json?: boolean }, cmd: Command) => {
        const body = await clientFor(cmd).listFaults({ query: { meter: opts.meter } });
        print(body, opts.json === true, () => faultRows(body.faults));
      }),
    );
}
