/** `submeter ctl scenario <meter> <kind>`: begin a physical scenario built from the flags (the API validates it). */
import type { Command } from 'commander';
import { UncheckedBody } from '../../control/http/control-client.js';
import { PHYSICAL_SCENARIO_KINDS } from '../../control/physical-scenario.js';
import { checkKind, clientFor, print, run } from './ctl-action.js';
import { addFieldOptions, givenFields, harmonic, ms, num, type FieldOption } from './ctl-options.js';

const SCENARIO_OPTIONS: readonly FieldOption[] = [
  { flags: '--phase <n>', description: 'phase 1..3 (default: all)', parse: num, field: 'phase' },
  { flags: '--depth <x>', description: 'sag: fraction of the voltage lost (0.5 = to 50 %)', parse: num, field: 'depth' },
  { flags: '--rise <x>', description: 'swell: fraction added (0.15 = to 115 %)', parse: num, field: 'rise' },
  { flags: '--duration <time>', description: 'how long (e.g. 200ms, 10s); default until ended', parse: ms, field: 'durationMs' },
  { flags: '--current <A>', description: 'load: current per phase (A)', parse: num, field: 'currentA' },
  { flags: '--pf <x>', description: 'load: power factor (negative = capacitive)', parse: num, field: 'powerFactor' },
  { flags: '--harmonic <order:ratio>', description: 'load: a current harmonic, repeatable (5:0.3)', parse: harmonic, field: 'harmonics' },
  { flags: '--hz <f>', description: 'frequency: supply frequency (Hz)', parse: num, field: 'hz' },
];

export function addScenarioCommand(ctl: Command): void {
  const command = ctl.command('scenario <meter> <kind>').description(`begin a physical scenario: ${PHYSICAL_SCENARIO_KINDS.join(', ')}`);
  addFieldOptions(command, SCENARIO_OPTIONS)
    .option('--json', 'print JSON')
    .action(
      run(async (meter: string, kind: string, o: Record<string, unknown> & { json?: boolean }, cmd: Command) => {
        checkKind('scenario kind', kind, PHYSICAL_SCENARIO_KINDS);
        const scenario = { kind, ...givenFields(o, SCENARIO_OPTIONS) };
        const body = await clientFor(cmd).beginScenario({ params: { id: meter }, body: new UncheckedBody(scenario) });
        print(body, o.json === true, () => {
          const s = body.scenario;
          const until = s.endMs === undefined ? 'until ended' : `until ${new Date(s.endMs).toISOString()}`;
          return `scenario ${s.id} (${kind}) on ${meter} from ${new Date(s.startMs).toISOString()} ${until}`;
        });
      }),
    );
}
