/**
 * Every error the command prints, as a table: the arguments, the exit code (2 for a bad flag,
 * config, profile, scenario or kind name; 1 for a failure while running) and the one line on
 * stderr. Run through the built command against a served meter (with its control API), a closed
 * port, a port in use and config files with one mistake each.
 */
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killCliChildren, runBuilt, runBuiltToEnd, type CliRun } from '../support/cli-runner.js';
import { toolAvailable } from '../support/external-tool.js';

const scratch = mkdtempSync(join(tmpdir(), 'submeter-e2e-errors-'));
let served: CliRun;
let meter = '';
let control = '';
let closedPort = 0;
let blocker: Server;
let busyPort = 0;

function portOf(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

beforeAll(async () => {
  served = runBuilt(['serve', '--tcp', '127.0.0.1:0', '--control', '127.0.0.1:0', '--log-level', 'warn']);
  meter = `127.0.0.1:${(await served.waitFor(/modbus\/tcp 127\.0\.0\.1:(\d+)/))[1] ?? ''}`;
  control = (await served.waitFor(/control API (http:\/\/\S+)/))[1] ?? '';
  await served.waitFor(/^ready/m);
  const closed = createServer().listen(0, '127.0.0.1');
  await once(closed, 'listening');
  closedPort = portOf(closed);
  await new Promise((resolve) => closed.close(resolve));
  blocker = createServer().listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  busyPort = portOf(blocker);
}, 60_000);

afterAll(async () => {
  await served.stop();
  blocker.close();
  killCliChildren();
  rmSync(scratch, { recursive: true, force: true });
});

/** A config file with one mistake, written into the scratch directory. */
function config(name: string, text: string): string {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
}

const GOOD_ENDPOINT = 'endpoints:\n  - tcp: 127.0.0.1:0\n    units: { 1: a }\n';

interface ErrorCase {
  /** What the user did wrong. */
  what: string;
  args: () => string[];
  code: number;
  /** The one line on stderr. */
  line: RegExp;
  /** Something else that must hold afterwards. */
  after?: () => void;
}

const cases: ErrorCase[] = [
  // Flags (commander): exit 2.
  { what: 'unknown command', args: () => ['bogus'], code: 2, line: /^submeter: unknown command 'bogus'$/ },
  { what: 'unknown flag', args: () => ['serve', '--bogus'], code: 2, line: /^submeter: unknown option '--bogus'$/ },
  { what: 'misspelt flag', args: () => ['serve', '--profle', 'sdm630'], code: 2, line: /^submeter: unknown option '--profle' \(Did you mean --profile\?\)$/ },
  { what: 'bad integer', args: () => ['serve', '--count', 'many'], code: 2, line: /^submeter: --count many: expected an integer in 1\.\.100000, got "many"$/ },
  { what: 'port out of range (prefix once)', args: () => ['serve', '--tcp', '127.0.0.1:99999'], code: 2, line: /^submeter: --tcp 127\.0\.0\.1:99999: port 99999 is outside 0\.\.65535$/ },
  { what: 'not HOST:PORT', args: () => ['serve', '--tcp', 'localhost'], code: 2, line: /^submeter: --tcp localhost: expected HOST:PORT, e\.g\. 127\.0\.0\.1:1502$/ },
  { what: 'bad parity', args: () => ['serve', '--parity', 'evn'], code: 2, line: /^submeter: --parity evn: expected one of none, even, odd \(did you mean "even"\?\)$/ },
  { what: 'bad log level', args: () => ['serve', '--log-level', 'debgu'], code: 2, line: /^submeter: --log-level debgu: unknown log level "debgu" \(did you mean "debug"\? log levels: error, warn, info, debug\)$/ },
  { what: 'bad control address', args: () => ['serve', '--control', 'x:y'], code: 2, line: /^submeter: --control x:y: expected HOST:PORT/ },
  { what: 'unit list and count disagree', args: () => ['serve', '--count', '3', '--unit', '1,2'], code: 2, line: /^submeter: --unit lists 2 unit ids but --count is 3$/ },
  // Names: exit 2 with the closest known one.
  { what: 'profile typo (serve)', args: () => ['serve', '--profile', 'sdm360', '--tcp', '127.0.0.1:0'], code: 2, line: /^submeter: --profile sdm360: unknown profile "sdm360" \(did you mean "sdm630"\? profiles: em24, sdm630, sunspec, titan, demo\)$/ },
  { what: 'scenario typo', args: () => ['serve', '--source', 'synthetic:ofice', '--tcp', '127.0.0.1:0'], code: 2, line: /^submeter: --source synthetic:ofice: unknown synthetic scenario "ofice" \(did you mean "office"\? scenarios: balanced-resistive, office, / },
  { what: 'source kind typo', args: () => ['serve', '--source', 'sythetic:office', '--tcp', '127.0.0.1:0'], code: 2, line: /^submeter: --source sythetic:office: unknown source kind "sythetic" \(did you mean "synthetic"\? kinds: synthetic, comtrade, csv\)$/ },
  { what: 'profile typo (read)', args: () => ['read', '--profile', 'sdm360', '--tcp', meter], code: 2, line: /^submeter: --profile sdm360: unknown profile "sdm360" \(did you mean "sdm630"\? profiles: em24, sdm630, sunspec, titan\)$/ },
  { what: 'profile typo (map)', args: () => ['map', '--profile', 'sdm360'], code: 2, line: /^submeter: --profile sdm360: unknown profile "sdm360" \(did you mean "sdm630"\?/ },
  { what: 'quantity typo (read)', args: () => ['read', '--tcp', meter, '--quantities', 'voltage.l1,curent.l1'], code: 2, line: /^submeter: --quantities: unknown quantity "curent\.l1" \(did you mean "current\.l1"\? quantities of titan: voltage\.l1, .*, \.\.\. \(\d+ in all\)\)$/ },
  { what: 'read format typo', args: () => ['read', '--tcp', meter, '--format', 'cvs'], code: 2, line: /^submeter: --format cvs: expected one of table, json, line, csv \(did you mean "csv"\?\)$/ },
  { what: '--json with another format', args: () => ['read', '--tcp', meter, '--json', '--format', 'csv'], code: 2, line: /^submeter: --json cannot be combined with --format csv$/ },
  { what: 'nothing matches', args: () => ['read', '--tcp', meter, '--match', 'no such register'], code: 2, line: /^submeter: no register of titan matches "no such register"$/ },
  { what: 'map without a map', args: () => ['map'], code: 2, line: /^submeter: give either --profile NAME or --file PATH$/ },
  { what: 'scenario kind typo (ctl)', args: () => ['ctl', '--url', control, 'scenario', 'meter', 'sagg'], code: 2, line: /^submeter: unknown scenario kind "sagg" \(did you mean "sag"\? kinds: load, sag, / },
  { what: 'fault kind typo (ctl)', args: () => ['ctl', '--url', control, 'fault', 'delayy'], code: 2, line: /^submeter: unknown fault kind "delayy" \(did you mean "delay"\?/ },
  { what: 'unknown meter (ctl)', args: () => ['ctl', '--url', control, 'scenario', 'metr', 'sag'], code: 2, line: /^submeter ctl: no meter "metr"/ },
  { what: 'analyze: bad harmonic method', args: () => ['analyze', 'x.cfg', '--harmonics', 'fftt'], code: 2, line: /^submeter: --harmonics fftt: expected fft or dft/ },
  // Config files: exit 2, the file and the right line.
  { what: 'config missing', args: () => ['serve', '--config', join(scratch, 'none.yaml')], code: 2, line: /^submeter: .*none\.yaml: cannot read config: no such file$/ },
  {
    what: 'YAML error on line 5 reported on line 5',
    args: () => ['serve', '--config', config('yaml.yaml', 'meters:\n  a:\n    profile: titan\nendpoints:\n  - tcp: [1\n')],
    code: 2,
    line: /^submeter: .*yaml\.yaml:5: YAML: /,
  },
  {
    what: 'unclosed quote on line 5',
    args: () => ['serve', '--config', config('quote.yaml', 'meters:\n  a:\n    profile: titan\nendpoints:\n  - tcp: "127.0.0.1:0\n')],
    code: 2,
    line: /^submeter: .*quote\.yaml:5: YAML: Missing closing "quote$/,
  },
  { what: 'config unknown field', args: () => ['serve', '--config', config('field.yaml', `meters:\n  a: {}\n${GOOD_ENDPOINT}    gatway: true\n`)], code: 2, line: /^submeter: .*field\.yaml:6: endpoints\[0\]\.gatway: unknown field "gatway"$/ },
  {
    what: 'config profile typo',
    args: () => ['serve', '--config', config('profile.yaml', `meters:\n  a:\n    profile: sdm360\n${GOOD_ENDPOINT}`)],
    code: 2,
    line: /^submeter: .*profile\.yaml:3: meters\.a: unknown profile "sdm360" \(did you mean "sdm630"\? profiles: /,
  },
  {
    what: 'config scenario typo',
    args: () => ['serve', '--config', config('scenario.yaml', `meters:\n  a:\n    source: synthetic:ofice\n${GOOD_ENDPOINT}`)],
    code: 2,
    line: /^submeter: .*scenario\.yaml:3: meters\.a: source "synthetic:ofice": unknown synthetic scenario "ofice" \(did you mean "office"\?/,
  },
  {
    what: 'config setting out of bounds, in plain words',
    args: () => ['serve', '--config', config('bounds.yaml', `meters:\n  a:\n    settings: { ctRatio: -5 }\n${GOOD_ENDPOINT}`)],
    code: 2,
    line: /^submeter: .*bounds\.yaml:3: meters\.a\.settings\.ctRatio: must be > 0$/,
  },
  {
    what: 'config enum in plain words',
    args: () => ['serve', '--config', config('parity.yaml', `meters:\n  a: {}\nendpoints:\n  - rtu: /dev/null\n    parity: evn\n    units: { 1: a }\n`)],
    code: 2,
    line: /^submeter: .*parity\.yaml:5: endpoints\[0\]\.parity: must be one of "none", "even", "odd"$/,
  },
  { what: 'config with meter flags', args: () => ['serve', '--config', join(scratch, 'x.yaml'), '--count', '3'], code: 2, line: /^submeter: --count cannot be combined with --config/ },
  // Run-time failures: exit 1.
  {
    what: 'port in use; the state directory is not left behind',
    args: () => ['serve', '--tcp', `127.0.0.1:${busyPort}`, '--state', join(scratch, 'state-of-a-failed-start')],
    code: 1,
    line: /^submeter: cannot listen on 127\.0\.0\.1:\d+: address already in use/,
    after: () => expect(existsSync(join(scratch, 'state-of-a-failed-start'))).toBe(false),
  },
  { what: 'serial device missing', args: () => ['serve', '--rtu', join(scratch, 'ttyUSB9')], code: 1, line: /^submeter: cannot open serial port .*ttyUSB9: no such file or device$/ },
  { what: 'meter not reachable', args: () => ['read', '--tcp', `127.0.0.1:${closedPort}`], code: 1, line: /^submeter: cannot connect to 127\.0\.0\.1:\d+: connection refused/ },
  {
    what: 'absent unit: only exceptions',
    args: () => ['read', '--tcp', meter, '--unit', '7'],
    code: 1,
    line: /^submeter: unit 7 on tcp 127\.0\.0\.1:\d+ answered only exceptions: exception 0b \(gateway target device failed to respond\) \(\d+ requests\)$/,
  },
  { what: 'control API not running', args: () => ['ctl', '--url', `http://127.0.0.1:${closedPort}`, 'meters'], code: 1, line: /^submeter ctl: cannot reach the control API at http:\/\/127\.0\.0\.1:\d+/ },
  { what: 'recording missing', args: () => ['analyze', join(scratch, 'none.cfg')], code: 1, line: /^submeter analyze: .*none\.cfg: cannot read: no such file$/ },
];

if (toolAvailable('socat', ['-V'])) {
  cases.push({
    what: 'vpair failure: socat in one line',
    args: () => ['vpair', '--link-a', join(scratch, 'no-such-dir', 'a')],
    code: 1,
    line: /^submeter: vpair: socat exited \(1\) before the pair was ready: symlink\(.*no-such-dir\/a"\): No such file or directory$/,
  });
}

describe('every error the command prints: one line, the right exit code', () => {
  it.concurrent.each(cases.map((c) => [c.what, c] as const))('%s', async (_what, c) => {
    const result = await runBuiltToEnd(c.args());
    const lines = result.stderr.trim().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(c.line);
    expect(lines[0]).not.toMatch(/Invalid (input|option|discriminator)|Too (small|big)|register-map\/\w+\.yaml:0/);
    expect(result.code, result.stderr).toBe(c.code);
    c.after?.();
  });
});
