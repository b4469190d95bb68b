/** `submeter ctl scenario <meter> <kind>`: begin a physical scenario built from the flags (the API validates it). */
import type { Command } from 'commander';
import { UncheckedBody } from '../../control/http/control-client.js';
import { PHYSICAL_SCENARIO_KINDS } from '../../control/physical-scenario.js';
import { clientFor, print, run } from './ctl-action.js';
import { harmonic, ms, num, renamed } from './ctl-options.js';

export function addScenarioCommand(ctl: Command): void {
  ctl
    .command('scenario <meter> <kind>')
    .description(`begin a physical scenario: ${PHYSICAL_SCENARIO_KINDS.join(', ')}`)
    .option('--phase <n>', 'phase 1..3 (default: all)', num)
    .option('--depth <x>', 'sag: fraction of the voltage lost (0.5 = to 50 %)', num)
    .option('--rise <x>', 'swell: fraction added (0.15 = to 115 %)', num)
    .option('--duration <time>', 'how long (e.g. 200ms, 10s); default until ended', ms)
    .option('--current <A>', 'load: current per phase (A)', num)
    .option('--pf <x>', 'load: power factor (negative = capacitive)', num)
    .option('--harmonic <order:ratio>', 'load: a current harmonic, repeatable (5:0.3)', harmonic)
    .option('--hz <f>', 'frequency: supply frequency (Hz)', num)
    .option('--json', 'print JSON')
    .action(
      run(async (meter: string, kind: string, o: Record<string, unknown> & { json?: boolean }, cmd: Command) => {
        const scenario: Record<string, unknown> = {
          kind,
          ...renamed(o, [
            ['phase', 'phase'],
            ['depth', 'depth'],
            ['rise', 'rise'],
            ['duration', 'durationMs'],
            ['current', 'currentA'],
            ['pf', 'powerFactor'],
            ['harmonic', 'harmonics'],
            ['hz', 'hz'],
          ]),
        };
        const body = await clientFor(cmd).beginScenario({ params: { id: meter }, body: new UncheckedBody(scenario) });
        print(body, o.json === true, () => {
          const s = body.scenario;
          const until = s.endMs === undefined ? 'until ended' : `until ${new Date(s.endMs).toISOString()}`;
          return `scenario ${s.id} (${kind}) on ${meter} from ${new Date(s.startMs).toISOString()} ${until}`;
        });
      }),
    );
}
