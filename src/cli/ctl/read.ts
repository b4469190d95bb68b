/** `submeter ctl read <meter>`: a meter's live values (per-phase table, energy, events). */
import type { Command } from 'commander';
import type { ControlResponse } from '../../control/http/control-client.js';
import { renderTable } from '../text-table.js';
import { clientFor, fixed, print, run } from './ctl-action.js';

type Snapshot = ControlResponse<'snapshot'>['snapshot'];

function snapshotText(id: string, s: Snapshot): string {
  const m = s.measurement;
  const rows: (string | number)[][] = [['', 'U (V)', 'I (A)', 'P (W)', 'Q (var)', 'PF', 'THD-U %', 'THD-I %']];
  m.phases.forEach((p, i) =>
    rows.push([`L${i + 1}`, fixed(p.voltageRms, 2), fixed(p.currentRms, 3), fixed(p.activePower, 1), fixed(p.reactivePower, 1), fixed(p.powerFactor, 3), fixed(p.voltageThd * 100, 2), fixed(p.currentThd * 100, 2)]),
  );
  rows.push(['total', '', '', fixed(m.total.activePower, 1), fixed(m.total.reactivePower, 1), fixed(m.total.powerFactor, 3), '', '']);
  return [
    `meter ${id} at ${new Date(s.timeMs).toISOString()}   f = ${fixed(m.frequencyHz, 3)} Hz`,
    renderTable(rows),
    `import ${fixed(s.energy.total.activeImportWh / 1000, 3)} kWh   export ${fixed(s.energy.total.activeExportWh / 1000, 3)} kWh   events logged ${s.eventCount}`,
  ].join('\n');
}

export function addReadCommand(ctl: Command): void {
  ctl
    .command('read <meter>')
    .description("print a meter's live values")
    .option('--json', 'print the whole snapshot as JSON')
    .action(
      run(async (meter: string, opts: { json?: boolean }, cmd: Command) => {
        const body = await clientFor(cmd).snapshot({ params: { id: meter } });
        print(body.snapshot, opts.json === true, () => snapshotText(body.id, body.snapshot));
      }),
    );
}
