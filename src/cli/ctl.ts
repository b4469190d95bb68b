/**
 * `submeter ctl ...`: drive a running submeter through its control API (see docs/faults.md).
 *
 *   submeter ctl meters
 *   submeter ctl read m1 [--json]
 *   submeter ctl events m1 [--count 10]
 *   submeter ctl fault no-response --meter m1 --count 5
 *   submeter ctl fault delay --delay 300ms --jitter 50ms --duration 1m
 *   submeter ctl faults [--meter m1]        submeter ctl clear [FAULT_ID] [--meter m1]
 *   submeter ctl scenario m1 sag --phase 2 --depth 0.5 --duration 200ms
 *   submeter ctl scenarios m1               submeter ctl end m1 [SCENARIO_ID]
 *   submeter ctl timeline storm.yaml | --status | --stop
 *
 * --url (env SUBMETER_CONTROL_URL, default http://127.0.0.1:8502) and --token (env
 * SUBMETER_CONTROL_TOKEN) select the API.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ControlClient, ControlClientError } from '../control/http/control-client.js';
import { parseDuration } from '../control/timeline/duration.js';
import { COMM_FAULT_KINDS } from '../modbus/faults/comm-fault-schema.js';
import { PHYSICAL_SCENARIO_KINDS } from '../control/physical-scenario.js';

interface GlobalOptions {
  url: string;
  token?: string;
}

function num(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`"${value}" is not a number`);
  return n;
}

function ms(value: string): number {
  try {
    return parseDuration(/^\d+(\.\d+)?$/.test(value) ? `${value}ms` : value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function list(value: string): number[] {
  return value.split(',').map((v) => num(v));
}

function harmonic(value: string, previous: { order: number; ratio: number }[] = []): { order: number; ratio: number }[] {
  const match = /^(\d+):(\d+(?:\.\d+)?)$/.exec(value);
  if (match === null) throw new InvalidArgumentError(`"${value}" is not ORDER:RATIO (e.g. 5:0.3)`);
  return [...previous, { order: Number(match[1]), ratio: Number(match[2]) }];
}

/** `?meter=<id>` (encoded) when a meter is given, else nothing. */
function meterQuery(meter: string | undefined): string {
  return meter === undefined ? '' : `?meter=${encodeURIComponent(meter)}`;
}

/** The options that were given, under the API's field names: `[optionName, fieldName]` pairs. */
function renamed(options: Record<string, unknown>, fields: [string, string][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [from, to] of fields) if (options[from] !== undefined) out[to] = options[from];
  return out;
}

function print(value: unknown, asJson: boolean, human: () => string): void {
  process.stdout.write(asJson ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

function table(rows: (string | number)[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => String(cell).padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

const fixed = (value: unknown, digits: number): string => (typeof value === 'number' ? value.toFixed(digits) : '-');

interface FaultView {
  id: string;
  spec: Record<string, unknown> & { kind: string; scope?: Record<string, unknown> };
  fired: number;
  remaining?: number;
  expiresAtMs?: number;
}

function faultRows(faults: FaultView[]): string {
  if (faults.length === 0) return 'no active faults';
  return table([
    ['id', 'kind', 'scope', 'parameters', 'fired', 'left'],
    ...faults.map((f) => {
      const { kind, scope, ...rest } = f.spec;
      return [
        f.id,
        kind,
        scope === undefined ? 'everywhere' : Object.entries(scope).map(([k, v]) => `${k}=${String(v)}`).join(' '),
        Object.entries(rest).map(([k, v]) => `${k}=${String(v)}`).join(' '),
        f.fired,
        f.remaining ?? '-',
      ];
    }),
  ]);
}

interface SnapshotView {
  timeMs: number;
  measurement: {
    frequencyHz: number;
    phases: { voltageRms: number; currentRms: number; activePower: number; reactivePower: number; powerFactor: number; voltageThd: number; currentThd: number }[];
    total: { activePower: number; reactivePower: number; apparentPower: number; powerFactor: number };
  };
  energy: { total: { activeImportWh: number; activeExportWh: number } };
  eventCount: number;
}

function snapshotText(id: string, s: SnapshotView): string {
  const m = s.measurement;
  const rows: (string | number)[][] = [['', 'U (V)', 'I (A)', 'P (W)', 'Q (var)', 'PF', 'THD-U %', 'THD-I %']];
  m.phases.forEach((p, i) =>
    rows.push([`L${i + 1}`, fixed(p.voltageRms, 2), fixed(p.currentRms, 3), fixed(p.activePower, 1), fixed(p.reactivePower, 1), fixed(p.powerFactor, 3), fixed(p.voltageThd * 100, 2), fixed(p.currentThd * 100, 2)]),
  );
  rows.push(['total', '', '', fixed(m.total.activePower, 1), fixed(m.total.reactivePower, 1), fixed(m.total.powerFactor, 3), '', '']);
  return [
    `meter ${id} at ${new Date(s.timeMs).toISOString()}   f = ${fixed(m.frequencyHz, 3)} Hz`,
    table(rows),
    `import ${fixed(s.energy.total.activeImportWh / 1000, 3)} kWh   export ${fixed(s.energy.total.activeExportWh / 1000, 3)} kWh   events logged ${s.eventCount}`,
  ].join('\n');
}

export function ctlCommand(): Command {
  const ctl = new Command('ctl')
    .description('control a running submeter: live values, communication faults, physical scenarios, timelines')
    .option('--url <url>', 'control API base URL', process.env.SUBMETER_CONTROL_URL ?? 'http://127.0.0.1:8502')
    .option('--token <token>', 'bearer token (default: env SUBMETER_CONTROL_TOKEN)');

  const client = (cmd: Command): ControlClient => {
    const o = cmd.optsWithGlobals<GlobalOptions>();
    return new ControlClient({ url: o.url, token: o.token ?? process.env.SUBMETER_CONTROL_TOKEN });
  };
  const run =
    <A extends unknown[]>(action: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      try {
        await action(...args);
      } catch (error) {
        if (error instanceof ControlClientError) {
          process.stderr.write(`submeter ctl: ${error.message}\n`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
    };

  ctl
    .command('meters')
    .description('list the meters')
    .option('--json', 'print JSON')
    .action(
      run(async (opts: { json?: boolean }, cmd: Command) => {
        const body = await client(cmd).get<{ meters: { id: string; description: string; faultScopes: { endpoint: string; unitId: number }[]; physical: boolean }[] }>('/meters');
        print(body, opts.json === true, () =>
          table([
            ['id', 'served on', 'scenarios', 'description'],
            ...body.meters.map((m) => [m.id, m.faultScopes.map((s) => `${s.endpoint}#${s.unitId}`).join(' ') || '-', m.physical ? 'yes' : 'no', m.description]),
          ]),
        );
      }),
    );

  ctl
    .command('read <meter>')
    .description("print a meter's live values")
    .option('--json', 'print the whole snapshot as JSON')
    .action(
      run(async (meter: string, opts: { json?: boolean }, cmd: Command) => {
        const body = await client(cmd).get<{ id: string; snapshot: SnapshotView }>(`/meters/${encodeURIComponent(meter)}`);
        print(body.snapshot, opts.json === true, () => snapshotText(body.id, body.snapshot));
      }),
    );

  ctl
    .command('events <meter>')
    .description("print a meter's newest event-log records")
    .option('--count <n>', 'how many', num, 16)
    .option('--json', 'print JSON')
    .action(
      run(async (meter: string, opts: { count: number; json?: boolean }, cmd: Command) => {
        const body = await client(cmd).get<{ events: { sequence: number; kind: string; phase: number; startMs: number; endMs: number; extremeValue: number }[] }>(
          `/meters/${encodeURIComponent(meter)}/events?count=${opts.count}`,
        );
        print(body.events, opts.json === true, () =>
          body.events.length === 0
            ? 'no events'
            : table([
                ['#', 'kind', 'phase', 'start', 'duration', 'extreme'],
                ...body.events.map((e) => [e.sequence, e.kind, e.phase === 0 ? '-' : `L${e.phase}`, new Date(e.startMs).toISOString(), e.endMs === 0 ? 'active' : `${((e.endMs - e.startMs) / 1000).toFixed(3)} s`, fixed(e.extremeValue, 2)]),
              ]),
        );
      }),
    );

  ctl
    .command('faults')
    .description('list the active communication faults')
    .option('--meter <id>', "only this meter's")
    .option('--json', 'print JSON')
    .action(
      run(async (opts: { meter?: string; json?: boolean }, cmd: Command) => {
        const query = meterQuery(opts.meter);
        const body = await client(cmd).get<{ faults: FaultView[] }>(`/faults${query}`);
        print(body, opts.json === true, () => faultRows(body.faults));
      }),
    );

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
        const query = meterQuery(o.meter);
        const body = await client(cmd).post<{ faults: FaultView[] }>(`/faults${query}`, spec);
        print(body, o.json === true, () => faultRows(body.faults));
      }),
    );

  ctl
    .command('clear [faultId]')
    .description('clear one communication fault, or all of them (or one meter’s)')
    .option('--meter <id>', "only this meter's")
    .action(
      run(async (faultId: string | undefined, opts: { meter?: string }, cmd: Command) => {
        const c = client(cmd);
        const body =
          faultId !== undefined
            ? await c.delete<{ cleared: number }>(`/faults/${encodeURIComponent(faultId)}`)
            : await c.delete<{ cleared: number }>(`/faults${meterQuery(opts.meter)}`);
        process.stdout.write(`${body.cleared} fault(s) cleared\n`);
      }),
    );

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
        const body = await client(cmd).post<{ scenario: { id: string; startMs: number; endMs?: number } }>(`/meters/${encodeURIComponent(meter)}/scenarios`, scenario);
        print(body, o.json === true, () => {
          const s = body.scenario;
          const until = s.endMs === undefined ? 'until ended' : `until ${new Date(s.endMs).toISOString()}`;
          return `scenario ${s.id} (${kind}) on ${meter} from ${new Date(s.startMs).toISOString()} ${until}`;
        });
      }),
    );

  ctl
    .command('scenarios <meter>')
    .description('list the physical scenarios active on a meter')
    .option('--json', 'print JSON')
    .action(
      run(async (meter: string, opts: { json?: boolean }, cmd: Command) => {
        const body = await client(cmd).get<{ scenarios: { id: string; scenario: Record<string, unknown>; startMs: number; endMs?: number }[] }>(`/meters/${encodeURIComponent(meter)}/scenarios`);
        print(body, opts.json === true, () =>
          body.scenarios.length === 0
            ? 'no active scenarios'
            : table([
                ['id', 'scenario', 'start', 'end'],
                ...body.scenarios.map((s) => [s.id, Object.entries(s.scenario).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' '), new Date(s.startMs).toISOString(), s.endMs === undefined ? '-' : new Date(s.endMs).toISOString()]),
              ]),
        );
      }),
    );

  ctl
    .command('end <meter> [scenarioId]')
    .description('end one physical scenario, or all on the meter')
    .action(
      run(async (meter: string, scenarioId: string | undefined, _opts: unknown, cmd: Command) => {
        const path = `/meters/${encodeURIComponent(meter)}/scenarios${scenarioId === undefined ? '' : `/${encodeURIComponent(scenarioId)}`}`;
        const body = await client(cmd).delete<{ ended: number }>(path);
        process.stdout.write(`${body.ended} scenario(s) ended\n`);
      }),
    );

  ctl
    .command('timeline [file]')
    .description('start a YAML timeline (replaces a running one), or show/stop it')
    .option('--status', 'show the progress of the running timeline')
    .option('--stop', 'stop the running timeline')
    .option('--json', 'print JSON')
    .action(
      run(async (file: string | undefined, opts: { status?: boolean; stop?: boolean; json?: boolean }, cmd: Command) => {
        const c = client(cmd);
        if (opts.stop === true) {
          const body = await c.delete<{ stopped: boolean }>('/timeline');
          process.stdout.write(body.stopped ? 'timeline stopped\n' : 'no timeline was running\n');
          return;
        }
        type Status = { running: boolean; name: string; total: number; applied: number; history: { line: number; ok: boolean; result: string }[] };
        let body: Status;
        if (opts.status === true || file === undefined) {
          body = await c.get<Status>('/timeline');
        } else {
          let text: string;
          try {
            text = readFileSync(file, 'utf8');
          } catch (error) {
            throw new ControlClientError(0, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
          }
          body = await c.postText<Status>(`/timeline?name=${encodeURIComponent(basename(file))}`, text, 'application/yaml');
        }
        print(body, opts.json === true, () =>
          [
            `timeline ${body.name}: ${body.applied}/${body.total} steps applied${body.running ? ', running' : ', done'}`,
            ...body.history.map((h) => `  line ${h.line}: ${h.ok ? 'ok' : 'FAILED'} ${h.result}`),
          ].join('\n'),
        );
      }),
    );
  return ctl;
}
