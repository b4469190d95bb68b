/**
 * Fleet benchmark: `submeter serve --count N --gateway` (the BUILT command, in its own process)
 * for N = 100, 1,000 and 5,000 meters: time to "ready", resident memory, CPU the process spends
 * keeping the fleet ticking while nobody polls, and requests/s when a load generator (this
 * process, 8 connections, submeter's own client) polls every meter round-robin; every poll must
 * be answered. Targets (issue 7): 1,000 meters ready in < 3 s, < 300 MB RSS, every poll answered.
 *
 * Peer in the same run: the same fleet of `--profile demo` devices (the transport and the panel
 * without meters: no metrology, no meter, no register map), so the ratios show what the meters
 * themselves cost. Also sdm630 vs titan at 1,000 (a small map vs the native map).
 *
 * Run: npm run build && node --import tsx scripts/bench/fleet.bench.ts [N ...]
 * Numbers on the shared 2-core machine are noisy (other engineers' tests run at the same time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connectTcp } from '../../src/modbus/client/connect.js';
import { ModbusClient } from '../../src/modbus/client/modbus-client.js';

const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const CONNECTIONS = 8;
const ticksPerSecond = 100; // Linux USER_HZ for /proc/<pid>/stat

interface Run {
  label: string;
  count: number;
  readyMs: number;
  rssMb: number;
  idleCpu: number;
  requests: number;
  answered: number;
  requestsPerS: number;
  rssAfterMb: number;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

async function waitForReady(child: ChildProcess): Promise<string> {
  let out = '';
  for (;;) {
    if (/^ready in/m.test(out)) return out;
    const chunk = await Promise.race([once(child.stdout as NodeJS.ReadableStream, 'data'), once(child, 'exit').then(() => undefined)]);
    if (chunk === undefined) throw new Error(`serve exited before ready: ${out}`);
    out += String(chunk[0]);
  }
}

async function poll(targets: Array<{ port: number; unit: number }>, rounds: number, profile: string): Promise<{ requests: number; answered: number; seconds: number }> {
  // sdm630/titan: input 52 / 0 (float32); demo: input 100 (float32 230 V)
  const address = profile === 'demo' ? 100 : profile === 'sdm630' ? 52 : 0;
  const workers = Array.from({ length: CONNECTIONS }, (_, w) => targets.filter((_, i) => i % CONNECTIONS === w));
  let answered = 0;
  let requests = 0;
  const t0 = performance.now();
  await Promise.all(
    workers.map(async (mine) => {
      const clients = new Map<number, ModbusClient>();
      for (const { port } of mine) if (!clients.has(port)) clients.set(port, new ModbusClient(await connectTcp('127.0.0.1', port), { timeoutMs: 5000 }));
      for (let r = 0; r < rounds; r += 1) {
        for (const { port, unit } of mine) {
          const client = clients.get(port);
          if (client === undefined) continue;
          client.unitId = unit;
          requests += 1;
          try {
            const bytes = await client.readInputRegisters(address, 2);
            if (bytes.length === 4) answered += 1;
          } catch {
            // counted as unanswered
          }
        }
      }
      await Promise.all([...clients.values()].map((c) => c.close()));
    }),
  );
  return { requests, answered, seconds: (performance.now() - t0) / 1000 };
}

async function measure(label: string, count: number, profile: string): Promise<Run> {
  const start = performance.now();
  const child = spawn(process.execPath, [main, 'serve', '--count', String(count), '--gateway', '--tcp', '127.0.0.1:0', '--profile', profile, '--log-level', 'warn', '--all-endpoints'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const out = await waitForReady(child);
    const readyMs = performance.now() - start;
    const pid = child.pid ?? 0;
    const rss = rssMb(pid);
    const ports = [...out.matchAll(/modbus\/tcp 127\.0\.0\.1:(\d+) gateway units (\d+)\.\.(\d+)/g)].map((m) => ({ port: Number(m[1]), first: Number(m[2]), last: Number(m[3]) }));
    const targets = ports.flatMap(({ port, first, last }) => Array.from({ length: last - first + 1 }, (_, i) => ({ port, unit: first + i })));
    if (targets.length !== count) throw new Error(`${label}: the summary lists ${targets.length} units, expected ${count}`);
    // CPU over 3 s with nobody polling: the cost of keeping the fleet's meters ticking.
    const cpu0 = cpuTicks(pid);
    const idleStart = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const idleCpu = (cpuTicks(pid) - cpu0) / ticksPerSecond / ((performance.now() - idleStart) / 1000);
    const rounds = Math.max(1, Math.round(20_000 / count));
    const load = await poll(targets, rounds, profile);
    const rssAfter = rssMb(pid);
    return { label, count, readyMs, rssMb: rss, idleCpu, requests: load.requests, answered: load.answered, requestsPerS: load.requests / load.seconds, rssAfterMb: rssAfter };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

if (!existsSync(main)) {
  console.error(`${main} is missing: run npm run build first (npm run bench does)`);
  process.exit(1);
}

const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
const sizes = counts.length > 0 ? counts : [100, 1000, 5000];
const runs: Run[] = [];
for (const count of sizes) {
  runs.push(await measure(`sdm630 x${count}`, count, 'sdm630'));
  runs.push(await measure(`demo x${count} (peer)`, count, 'demo'));
  if (count === 1000) runs.push(await measure(`titan x${count}`, count, 'titan'));
}

console.log('\nfleet in one process (gateway mode, 247 unit ids per port), polled round-robin over 8 connections');
console.log(`${'fleet'.padEnd(22)} ${'ready ms'.padStart(9)} ${'RSS MB'.padStart(7)} ${'RSS after'.padStart(9)} ${'idle CPU'.padStart(9)} ${'polls'.padStart(7)} ${'answered'.padStart(9)} ${'req/s'.padStart(8)}`);
for (const r of runs) {
  console.log(
    `${r.label.padEnd(22)} ${r.readyMs.toFixed(0).padStart(9)} ${r.rssMb.toFixed(0).padStart(7)} ${r.rssAfterMb.toFixed(0).padStart(9)} ${(r.idleCpu * 100).toFixed(0).padStart(8)}% ${String(r.requests).padStart(7)} ${String(r.answered).padStart(9)} ${r.requestsPerS.toFixed(0).padStart(8)}`,
  );
}
console.log('\nratios, meters vs the demo peer (same count):');
for (const count of sizes) {
  const real = runs.find((r) => r.label === `sdm630 x${count}`);
  const peer = runs.find((r) => r.label === `demo x${count} (peer)`);
  if (real === undefined || peer === undefined) continue;
  console.log(`  x${count}: ready ${(real.readyMs / peer.readyMs).toFixed(1)}x, RSS ${(real.rssMb / peer.rssMb).toFixed(1)}x, req/s ${(real.requestsPerS / peer.requestsPerS).toFixed(2)}x`);
}
const target = runs.find((r) => r.label === 'sdm630 x1000');
if (target !== undefined) {
  const ok = (b: boolean): string => (b ? 'met' : 'NOT met');
  console.log(`\ntargets at 1,000 meters (sdm630): ready < 3 s: ${ok(target.readyMs < 3000)} (${(target.readyMs / 1000).toFixed(2)} s); RSS < 300 MB: ${ok(target.rssAfterMb < 300)} (${target.rssAfterMb.toFixed(0)} MB); every poll answered: ${ok(target.answered === target.requests)} (${target.answered}/${target.requests})`);
}
const unanswered = runs.filter((r) => r.answered !== r.requests);
if (unanswered.length > 0) {
  console.error(`unanswered polls in: ${unanswered.map((r) => r.label).join(', ')}`);
  process.exitCode = 1;
}
