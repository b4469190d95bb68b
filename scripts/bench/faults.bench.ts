/**
 * Cost of the fault hook on the Modbus/TCP hot path: the same server (60 input registers, FC04)
 * without a hook, with a hook and no active fault, and with four active faults scoped to another
 * unit (each request is checked against all four, none fires). Same closed-loop C load generator
 * as the Modbus/TCP benchmark, servers in their own processes, interleaved, best of N rounds.
 *
 *   node --import tsx scripts/bench/faults.bench.ts
 *   BENCH_SECONDS=3 BENCH_ROUNDS=3 BENCH_CONNECTIONS=1,8 ...
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { CommFaultPolicy } from '../../src/modbus/faults/comm-fault-policy.js';
import { mbapFraming } from '../../src/modbus/framing/mbap-framing.js';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const warmupSeconds = 0.5;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connectionLevels = (process.env.BENCH_CONNECTIONS ?? '1,8').split(',').map(Number);
const modes = ['none', 'idle', 'other-unit'] as const;
const labels: Record<(typeof modes)[number], string> = {
  none: 'no hook',
  idle: 'hook, no fault',
  'other-unit': 'hook, 4 faults elsewhere',
};

interface Measurement {
  rps: number;
  p50us: number;
  p99us: number;
  errors: number;
}

async function startServer(mode: string): Promise<ChildProcess & { port?: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'faults', 'submeter-faults-server.ts'), '0', mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  for (;;) {
    const [chunk] = (await Promise.race([once(child.stdout, 'data'), once(child, 'exit').then(() => [undefined])])) as [Buffer | undefined];
    if (chunk === undefined) throw new Error(`server (${mode}) exited before it was ready`);
    output += chunk.toString();
    const ready = /READY (\d+)/.exec(output);
    if (ready !== null) return Object.assign(child, { port: Number(ready[1]) });
  }
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

/** ns per hook.decide() call in this process, for the same three modes (best of 5 runs of 2M calls). */
function decideCost(): void {
  const calls = 2_000_000;
  const idle = new CommFaultPolicy();
  const busy = new CommFaultPolicy();
  busy.apply({ kind: 'delay', delayMs: 100, scope: { unitId: 9 } });
  busy.apply({ kind: 'exception', code: 6, scope: { unitId: 9 } });
  busy.apply({ kind: 'no-response', rate: 0.5, scope: { unitId: 9 } });
  busy.apply({ kind: 'wrong-transaction-id', scope: { unitId: 9 } });
  const request = { unitId: 1, functionCode: 4 };
  const cases: [string, () => unknown][] = [
    ['no hook (optional call)', () => undefined],
    ['hook, no fault', ((hook) => () => hook.decide(request))(idle.forEndpoint('tcp:bench', mbapFraming))],
    ['hook, 4 faults elsewhere', ((hook) => () => hook.decide(request))(busy.forEndpoint('tcp:bench', mbapFraming))],
  ];
  process.stdout.write(`\nhook.decide() in process, ${calls} calls, best of 5:\n`);
  for (const [label, call] of cases) {
    let bestNs = Infinity;
    let sink = 0;
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      for (let i = 0; i < calls; i++) if (call() !== undefined) sink++;
      bestNs = Math.min(bestNs, ((performance.now() - start) * 1e6) / calls);
    }
    if (sink !== 0) throw new Error('a fault fired where none should');
    process.stdout.write(`  ${pad(label, 26)} ${bestNs.toFixed(1)} ns/request\n`);
  }
}

decideCost();

const work = mkdtempSync(join(tmpdir(), 'submeter-bench-faults-'));
try {
  const loadGenerator = join(work, 'load-generator');
  const cc = spawnSync('cc', ['-O2', '-o', loadGenerator, join(here, 'modbus-tcp', 'load-generator.c')], { encoding: 'utf8' });
  if (cc.error !== undefined || cc.status !== 0) throw new Error(`cannot compile the load generator: ${cc.error?.message ?? cc.stderr}`);
  process.stdout.write(
    `fault hook cost: Modbus/TCP FC04 60 registers, closed loop, ${seconds} s per cell, best of ${rounds}; load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`,
  );
  const best = new Map<string, Measurement>();
  for (let round = 0; round < rounds; round++) {
    for (const mode of modes) {
      const child = await startServer(mode);
      try {
        for (const connections of connectionLevels) {
          const run = spawnSync(loadGenerator, ['127.0.0.1', String(child.port), String(connections), String(warmupSeconds), String(seconds)], { encoding: 'utf8', timeout: (seconds + 30) * 1000 });
          if (run.status !== 0) throw new Error(`load generator failed: ${run.stderr}`);
          const m = JSON.parse(run.stdout) as Measurement;
          if (m.errors > 0) throw new Error(`${mode}: ${m.errors} wrong responses`);
          const key = `${mode}@${connections}`;
          const previous = best.get(key);
          if (previous === undefined || m.rps > previous.rps) best.set(key, m);
        }
      } finally {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
    }
  }
  const header = `${pad('conns', 5)} ${pad('server', 26)} ${pad('req/s', 9)} ${pad('p50 us', 7)} ${pad('p99 us', 7)}  vs no hook`;
  process.stdout.write(`\n${header}\n${'-'.repeat(header.length)}\n`);
  for (const connections of connectionLevels) {
    const base = best.get(`none@${connections}`);
    for (const mode of modes) {
      const m = best.get(`${mode}@${connections}`);
      if (m === undefined) continue;
      const ratio = base === undefined || mode === 'none' ? '' : `${(m.rps / base.rps).toFixed(3)}x`;
      process.stdout.write(`${pad(String(connections), 5)} ${pad(labels[mode], 26)} ${pad(m.rps.toFixed(0), 9)} ${pad(String(m.p50us), 7)} ${pad(String(m.p99us), 7)}  ${ratio}\n`);
    }
  }
  process.stdout.write(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (2 shared cores: noisy; differences of a few % are noise)\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
