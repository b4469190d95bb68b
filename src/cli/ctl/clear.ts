/** `submeter ctl clear [faultId]`: clear one communication fault, all of them, or one meter's. */
import type { Command } from 'commander';
import { clientFor, run } from './ctl-action.js';

export function addClearCommand(ctl: Command): void {
  ctl
    .command('clear [faultId]')
    .description('clear one communication fault, or all of them (or one meter’s)')
    .option('--meter <id>', "only this meter's")
    .action(
      run(async (faultId: string | undefined, opts: { meter?: string }, cmd: Command) => {
        const api = clientFor(cmd);
        const body = faultId !== undefined ? await api.clearFault({ params: { faultId } }) : await api.clearFaults({ query: { meter: opts.meter } });
        process.stdout.write(`${body.cleared} fault(s) cleared\n`);
      }),
    );
}
