/** `submeter ctl fault <kind>`: apply a communication fault built from the flags (the API validates it). */
import type { Command } from 'commander';
import { UncheckedBody } from '../../control/http/control-client.js';
import { COMM_FAULT_KINDS } from '../../modbus/faults/comm-fault-schema.js';
import { checkKind, clientFor, print, run } from './ctl-action.js';
import { addFieldOptions, givenFields, list, ms, num, type FieldOption } from './ctl-options.js';
import { faultRows } from './fault-rows.js';

/** Where the fault applies: the spec's `scope`. */
const SCOPE_OPTIONS: readonly FieldOption[] = [
  { flags: '--endpoint <name>', description: 'only this endpoint (e.g. tcp:127.0.0.1:1502)', field: 'endpoint' },
  { flags: '--unit <id>', description: 'only this unit id', parse: num, field: 'unitId' },
  { flags: '--fc <codes>', description: 'only these function codes, comma-separated', parse: list, field: 'functionCodes' },
];

/** What the fault does and how long: the spec's own fields. */
const SPEC_OPTIONS: readonly FieldOption[] = [
  { flags: '--count <n>', description: 'clear after firing n times (the next n requests)', parse: num, field: 'count' },
  { flags: '--duration <time>', description: 'clear after this time (e.g. 30s)', parse: ms, field: 'durationMs' },
  { flags: '--rate <p>', description: 'fire with this probability 0..1', parse: num, field: 'rate' },
  { flags: '--delay <time>', description: 'delay: how long (e.g. 300ms)', parse: ms, field: 'delayMs' },
  { flags: '--jitter <time>', description: 'delay: +- this much, uniformly', parse: ms, field: 'jitterMs' },
  { flags: '--code <n>', description: 'exception: the code (2, 4, 6 ...)', parse: num, field: 'code' },
  { flags: '--bytes <n>', description: 'truncate / extra-bytes: how many', parse: num, field: 'bytes' },
  { flags: '--answer-unit <id>', description: 'wrong-unit-id: answer as this unit', parse: num, field: 'unitId' },
];

export function addFaultCommand(ctl: Command): void {
  const command = ctl
    .command('fault <kind>')
    .description(`apply a communication fault: ${COMM_FAULT_KINDS.join(', ')}`)
    .option('--meter <id>', 'only this meter (every endpoint it is served on)');
  addFieldOptions(command, [...SCOPE_OPTIONS, ...SPEC_OPTIONS])
    .option('--json', 'print JSON')
    .action(
      run(async (kind: string, o: Record<string, unknown> & { meter?: string; json?: boolean }, cmd: Command) => {
        checkKind('fault kind', kind, COMM_FAULT_KINDS);
        const spec: Record<string, unknown> = { kind, ...givenFields(o, SPEC_OPTIONS) };
        const scope = givenFields(o, SCOPE_OPTIONS);
        if (Object.keys(scope).length > 0) spec.scope = scope;
        const body = await clientFor(cmd).applyFault({ query: { meter: o.meter }, body: new UncheckedBody(spec) });
        print(body, o.json === true, () => faultRows(body.faults));
      }),
    );
}
