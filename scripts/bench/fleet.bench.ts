/**
 * Fleet benchmark: `submeter serve --count N --gateway` (the BUILT command, in its own process,
 * started as users start it) for N = 1,000, 10,000 and 100,000 meters: time to "ready", resident
 * memory at ready and after FLEET_SETTLE_S (default 60) s, CPU over 10 s while nobody polls, then
 * a load generator (this process, 8 connections, submeter's own client) polling random
 * (port, unit) pairs for FLEET_POLL_S (default 10) s: requests/s, every poll answered, p50/p99.
 * Targets (issue 18): 100,000 sdm630 meters ready < 15 s, RSS < 2 GB after 60 s, idle CPU < 20 %
 * of a core, >= 20,000 req/s with every request answered and p99 < 5 ms.
 *
 * Before/after: SUBMETER_MAIN=path/to/dist/cli/main.js runs another build (e.g. main's) instead
 * of this checkout's.
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
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connectTcp } from '../../src/modbus/client/connect.js';
import { ModbusClient } from '../../src/modbus/client/modbus-client.js';
import { cpuTicks, rssMb, TICKS_PER_SECOND, waitForServeReady } from './support/serve-process.js';

const main = process.env.SUBMETER_MAIN ?? fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const SETTLE_S = Number(process.env.FLEET_SETTLE_S ?? 60);
const POLL_S = Number(process.env.FLEET_POLL_S ?? 10);
const CONNECTIONS = 8;

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
  rssSettledMb: number;
  p50Ms: number;
  p99Ms: number;
}




/** Random (port, unit) pairs over CONNECTIONS connections per port-set for `seconds`; every latency recorded. */
async function poll(targets: Array<{ port: number; unit: number }>, seconds: number, profile: string): Promise<{ requests: number; answered: number; seconds: number; latencies: Float64Array }> {
  // sdm630/titan: input 52 / 0 (float32); demo: input 100 (float32 230 V)
  const address = profile === 'demo' ? 100 : profile === 'sdm630' ? 52 : 0;
  const ports = [...new Set(targets.map((t) => t.port))];
  const unitsOf = new Map<number, number[]>();
  for (const t of targets) (unitsOf.get(t.port) ?? unitsOf.set(t.port, []).get(t.port))?.push(t.unit);
  let answered = 0;
  let requests = 0;
  const latencies: number[] = [];
  let seed = 12345;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const clients = new Map<number, ModbusClient>();
      const clientFor = async (port: number): Promise<ModbusClient> => {
        let client = clients.get(port);
        if (client === undefined) {
          client = new ModbusClient(await connectTcp('127.0.0.1', port), { timeoutMs: 5000 });
          clients.set(port, client);
        }
        return client;
      };
      while (performance.now() < until) {
        const port = ports[random(ports.length)] ?? 0;
        const units = unitsOf.get(port) ?? [1];
        const client = await clientFor(port);
        client.unitId = units[random(units.length)] ?? 1;
        requests += 1;
        const sent = performance.now();
        try {
          const bytes = await client.readInputRegisters(address, 2);
          if (bytes.length === 4) answered += 1;
          latencies.push(performance.now() - sent);
        } catch {
          // counted as unanswered
        }
      }
      await Promise.all([...clients.values()].map((c) => c.close()));
    }),
  );
  return { requests, answered, seconds: (performance.now() - t0) / 1000, latencies: Float64Array.from(latencies).sort() };
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
}

async function measure(label: string, count: number, profile: string): Promise<Run> {
  const start = performance.now();
  const child = spawn(process.execPath, [main, 'serve', '--count', String(count), '--gateway', '--tcp', '127.0.0.1:0', '--profile', profile, '--log-level', 'warn', '--all-endpoints'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const out = await waitForServeReady(child);
    const readyMs = performance.now() - start;
    const pid = child.pid ?? 0;
    const rss = rssMb(pid);
    const ports = [...out.matchAll(/modbus\/tcp 127\.0\.0\.1:(\d+) gateway units (\d+)\.\.(\d+)/g)].map((m) => ({ port: Number(m[1]), first: Number(m[2]), last: Number(m[3]) }));
    const targets = ports.flatMap(({ port, first, last }) => Array.from({ length: last - first + 1 }, (_, i) => ({ port, unit: first + i })));
    if (targets.length !== count) throw new Error(`${label}: the summary lists ${targets.length} units, expected ${count}`);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_S * 1000));
    const rssSettled = rssMb(pid);
    // CPU over 10 s with nobody polling: the cost of keeping the fleet's meters going.
    const cpu0 = cpuTicks(pid);
    const idleStart = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const idleCpu = (cpuTicks(pid) - cpu0) / TICKS_PER_SECOND / ((performance.now() - idleStart) / 1000);
    const load = await poll(targets, POLL_S, profile);
    const rssAfter = rssMb(pid);
    return {
      label, count, readyMs, rssMb: rss, idleCpu, requests: load.requests, answered: load.answered, requestsPerS: load.requests / load.seconds,
      rssAfterMb: rssAfter, rssSettledMb: rssSettled, p50Ms: quantile(load.latencies, 0.5), p99Ms: quantile(load.latencies, 0.99),
    };
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
const sizes = counts.length > 0 ? counts : [1000, 10_000, 100_000];
const runs: Run[] = [];
for (const count of sizes) {
  runs.push(await measure(`sdm630 x${count}`, count, 'sdm630'));
  if (count <= 10_000) runs.push(await measure(`demo x${count} (peer)`, count, 'demo'));
}

console.log('\nfleet in one process (gateway mode, 247 unit ids per port), polled round-robin over 8 connections');
console.log(`${'fleet'.padEnd(22)} ${'ready ms'.padStart(9)} ${'RSS MB'.padStart(7)} ${`RSS ${SETTLE_S}s`.padStart(8)} ${'idle CPU'.padStart(9)} ${'polls'.padStart(7)} ${'answered'.padStart(9)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'RSS end'.padStart(8)}`);
for (const r of runs) {
  console.log(
    `${r.label.padEnd(22)} ${r.readyMs.toFixed(0).padStart(9)} ${r.rssMb.toFixed(0).padStart(7)} ${r.rssSettledMb.toFixed(0).padStart(8)} ${(r.idleCpu * 100).toFixed(0).padStart(8)}% ${String(r.requests).padStart(7)} ${String(r.answered).padStart(9)} ${r.requestsPerS.toFixed(0).padStart(8)} ${r.p50Ms.toFixed(2).padStart(7)} ${r.p99Ms.toFixed(2).padStart(7)} ${r.rssAfterMb.toFixed(0).padStart(8)}`,
  );
}
console.log('\nratios, meters vs the demo peer (same count):');
for (const count of sizes) {
  const real = runs.find((r) => r.label === `sdm630 x${count}`);
  const peer = runs.find((r) => r.label === `demo x${count} (peer)`);
  if (real === undefined || peer === undefined) continue;
  console.log(`  x${count}: ready ${(real.readyMs / peer.readyMs).toFixed(1)}x, RSS ${(real.rssMb / peer.rssMb).toFixed(1)}x, req/s ${(real.requestsPerS / peer.requestsPerS).toFixed(2)}x`);
}
const target = runs.find((r) => r.label === 'sdm630 x100000');
if (target !== undefined) {
  const ok = (b: boolean): string => (b ? 'met' : 'NOT met');
  console.log(
    `\ntargets at 100,000 meters (sdm630): ready < 15 s: ${ok(target.readyMs < 15_000)} (${(target.readyMs / 1000).toFixed(1)} s); ` +
      `RSS < 2 GB after ${SETTLE_S} s: ${ok(target.rssSettledMb < 2048)} (${target.rssSettledMb.toFixed(0)} MB); idle CPU < 20 %: ${ok(target.idleCpu < 0.2)} (${(target.idleCpu * 100).toFixed(0)} %); ` +
      `>= 20,000 req/s: ${ok(target.requestsPerS >= 20_000)} (${target.requestsPerS.toFixed(0)}); every poll answered: ${ok(target.answered === target.requests)}; p99 < 5 ms: ${ok(target.p99Ms < 5)} (${target.p99Ms.toFixed(2)} ms)`,
  );
}
const unanswered = runs.filter((r) => r.answered !== r.requests);
if (unanswered.length > 0) {
  console.error(`unanswered polls in: ${unanswered.map((r) => r.label).join(', ')}`);
  process.exitCode = 1;
}
