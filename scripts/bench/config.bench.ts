/**
 * Panel-config benchmark: a valid 100,000-meter config (~5.5 MB, as test/support/hostile-inputs.ts
 * builds it) parsed and checked the way `submeter serve --config` does it (parsePanelConfig, then
 * panelSpecProblems). Target (issue 13): well under 5 s.
 *
 * Peer in the same run: the YAML step alone, by the fast subset reader that parseYaml uses
 * (src/common/yaml-plain-subset.ts) and by the yaml package (parseYamlFully: parseDocument, the
 * scan for repeated keys and long strings, toJS), which read the whole config before.
 *
 *   node --import tsx scripts/bench/config.bench.ts
 *   BENCH_ROUNDS=3 BENCH_METERS=100000
 *
 * The machine is shared (2 cores): each step gives its best round (wall and CPU time) and the
 * load average, so a reader can judge the noise.
 */
import { loadavg } from 'node:os';
import { maxYamlStringChars, parseYamlFully } from '../../src/common/yaml-document.js';
import { parseYamlSubset } from '../../src/common/yaml-plain-subset.js';
import { panelSpecProblems } from '../../src/runtime/check-panel-spec.js';
import { parsePanelConfig } from '../../src/runtime/config/load-panel-config.js';
import { bigPanelConfig } from '../../test/support/hostile-inputs.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const meters = Number(process.env.BENCH_METERS ?? 100_000);

const pad = (text: string, width: number): string => (text.length >= width ? text : ' '.repeat(width - text.length) + text);
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Best wall and best CPU time of `rounds` runs. */
function best(work: () => void): Timing {
  let wallMs = Number.POSITIVE_INFINITY;
  let cpuMs = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round += 1) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    work();
    const wall = Number(process.hrtime.bigint() - start) / 1e6;
    const used = process.cpuUsage(cpu);
    wallMs = Math.min(wallMs, wall);
    cpuMs = Math.min(cpuMs, (used.user + used.system) / 1000);
  }
  return { wallMs, cpuMs };
}

const text = bigPanelConfig(meters);
const file = 'bench-panel.yaml';

const check = best(() => {
  const spec = parsePanelConfig(text, file);
  if (spec.meters.length !== meters) throw new Error(`expected ${meters} meters, got ${spec.meters.length}`);
  const problems = panelSpecProblems(spec);
  if (problems.length > 0) throw new Error(`unexpected problems: ${problems.length}`);
});
const subset = best(() => {
  if (parseYamlSubset(text, maxYamlStringChars) === undefined) throw new Error('the subset reader refused the config');
});
const full = best(() => {
  if (!parseYamlFully(text, file).ok) throw new Error('the yaml package refused the config');
});

process.stdout.write(`\n${meters.toLocaleString('en')}-meter panel config (${(text.length / 1e6).toFixed(1)} MB), best of ${rounds} rounds; load average ${load()}\n`);
process.stdout.write(`${pad('step', 52)} ${pad('wall ms', 9)} ${pad('CPU ms', 9)}\n`);
const rows: Array<[string, Timing]> = [
  ['parse + check (parsePanelConfig, panelSpecProblems)', check],
  ['YAML only: subset reader (what parseYaml uses)', subset],
  ['YAML only: yaml package (parseYamlFully)', full],
];
for (const [name, timing] of rows) process.stdout.write(`${pad(name, 52)} ${pad(timing.wallMs.toFixed(0), 9)} ${pad(timing.cpuMs.toFixed(0), 9)}\n`);
process.stdout.write(`YAML step: the yaml package takes ${(full.wallMs / subset.wallMs).toFixed(1)}x the subset reader's time; target parse + check < 5000 ms: ${check.wallMs < 5000 ? 'met' : 'MISSED'}\n`);
