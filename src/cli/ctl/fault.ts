/** `submeter ctl fault <kind>`: apply a communication fault built from the flags (the API validates it). */
import type { Command } from 'commander';
import { UncheckedBody } from '../../control/http/control-client.js';
import { COMM_FAULT_KINDS } from '../../modbus/faults/comm-fault-schema.js';
import { clientFor, print, run } from './ctl-action.js';
import { list, ms, num, renamed } from './ctl-options.js';
import { faultRows } from './fault-rows.js';

export function addFaultCommand(ctl: Command): void {
  ctl
    .command('fault <kind>')
    .description(`apply a communication fault: ${COMM_FAULT_KINDS.join(', ')}`)
    .option('--meter <id>', 'only this meter (every endpoint it is served on)')
    .option('--endpoint <name>', 'only this endpoint (e.g. tcp:127.0.0.1:1502)')
    .option('--unit <id>', 'only this unit id', num)
    .option('--fc <codes>', 'only these function codes, comma-separated', list)
    .option('--count <n>', 'clear after firing n times (the next n requests)', num)
    .option('--duration <time>', 'clear after this time (e.g. 30s)', ms)
    .option('--rate <p>', 'fire with this probability 0..1', num)
    .option('--delay <time>', 'delay: how long (e.g. 300ms)', ms)
    .option('--jitter <time>', 'delay: +- this much, uniformly', ms)
    .option('--code <n>', 'exception: the code (2, 4, 6 ...)', num)
    .option('--bytes <n>', 'truncate / extra-bytes: how many', num)
    .option('--answer-unit <id>', 'wrong-unit-id: answer as this unit', num)
    .option('--json', 'print JSON')
    .action(
      run(async (kind: string, o: Record<string, unknown> & { meter?: string; json?: boolean }, cmd: Command) => {
        const spec: Record<string, unknown> = {
          kind,
          ...renamed(o, [
            ['count', 'count'],
            ['duration', 'durationMs'],
            ['rate', 'rate'],
            ['delay', 'delayMs'],
            ['jitter', 'jitterMs'],
            ['code', 'code'],
            ['bytes', 'bytes'],
            ['answerUnit', 'unitId'],
          ]),
        };
        const scope = renamed(o, [
          ['endpoint', 'endpoint'],
          ['unit', 'unitId'],
          ['fc', 'functionCodes'],
        ]);
        if (Object.keys(scope).length > 0) spec.scope = scope;
        const body = await clientFor(cmd).applyFault({ query: { meter: o.meter }, body: new UncheckedBody(spec) });
        print(body, o.json === true, () => faultRows(body.faults));
      }),
    );
}
