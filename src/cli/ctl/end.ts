/** `submeter ctl end <meter> [scenarioId]`: end one physical scenario, or all on the meter. */
import type { Command } from 'commander';
import { clientFor, run } from './ctl-action.js';

export function addEndCommand(ctl: Command): void {
  ctl
    .command('end <meter> [scenarioId]')
    .description('end one physical scenario, or all on the meter')
    .action(
      run(async (meter: string, scenarioId: string | undefined, _opts: unknown, cmd: Command) => {
        const api = clientFor(cmd);
        const body = scenarioId === undefined ? await api.endScenarios({ params: { id: meter } }) : await api.endScenario({ params: { id: meter, scenarioId } });
        process.stdout.write(`${body.ended} scenario(s) ended\n`);
      }),
    );
}
