/**
 * Fleet benchmark: `submeter serve --count N --gateway` (the BUILT command, in its own process,
 * started as users start it) for N = 1,000, 10,000 and 100,000 meters: time to "ready", resident
 * memory at ready and after FLEET_SETTLE_S (default 60) s, CPU over 10 s while nobody polls, then
 * a load generator (this process: 8 lanes of one request at a time over one connection per port,
 * support/lane-poller.ts)
 * polling random (port, unit) pairs for FLEET_POLL_S (default 20) s: requests/s, every poll
 * answered, p50/p99, the CPU of both processes per poll. (20 s, not 10: a major collection of the
 * 1.4 GB heap of 100,000 meters, ~1.5 s of CPU, falls in or out of a shorter window.)
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
 * (FLEET_SETTLE_S and FLEET_POLL_S shorten or lengthen the phases; FLEET_NODE_ARGS passes node flags to serve.)
 * Numbers on the shared 2-core machine are noisy (other engineers' tests run at the same time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closePool, openPool, pollLanes, type Pool } from './support/lane-poller.js';
import { cpuTicks, machineTicks, rssMb, TICKS_PER_SECOND, waitForServeReady } from './support/serve-process.js';

const main = process.env.SUBMETER_MAIN ?? fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const SETTLE_S = Number(process.env.FLEET_SETTLE_S ?? 60);
const POLL_S = Number(process.env.FLEET_POLL_S ?? 20);
/** Requests in flight: one per lane. */
const LANES = Number(process.env.FLEET_LANES ?? 8);
/**
 * Connections to every port (a gateway): 1, as a head-end keeps one per gateway (two lanes that
 * draw the same port pipeline on it); FLEET_CONNECTIONS_PER_PORT=8 gives every lane its own.
 */
const CONNECTIONS_PER_PORT = Number(process.env.FLEET_CONNECTIONS_PER_PORT ?? 1);
/** Extra node flags for the serve process (e.g. FLEET_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile it). */
const NODE_ARGS = (process.env.FLEET_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');

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
  /** CPU of the serve process while polled, per request (us): less noisy than req/s on a shared machine. */
  cpuPerRequestUs: number;
  /** CPU of the poller (this process) per request (us). */
  pollerCpuPerRequestUs: number;
  /** While polled: the share of the machine's CPU time busy (both processes and anything else) and stolen. */
  machineBusy: number;
  machineSteal: number;
  /** The same polling through a 5-minute boundary (100,000 meters only). */
  boundary: { requests: number; answered: number; requestsPerS: number; p99Ms: number; maxMs: number } | undefined;
  /** Every meter read once (random order) before the polling. */
  firstPass: { seconds: number; requests: number; answered: number; requestsPerS: number; cpuPerRequestUs: number; p99Ms: number };
}
const BOUNDARY_MS = 300_000;




type Target = { port: number; unit: number };
interface Load {
  requests: number;
  answered: number;
  seconds: number;
  latencies: Float64Array;
  /** CPU of the serve process meanwhile (s). */
  cpuS: number;
  /** CPU of this process (the poller) meanwhile (s): on 2 cores, what the server cannot have. */
  pollerCpuS: number;
  /** The machine meanwhile: the share of all cores' time busy, and stolen by the hypervisor. */
  machineBusy: number;
  machineSteal: number;
}

/** mulberry32 (integer arithmetic throughout: a float LCG loses its low bits past 2^53 and polls a few meters over and over). */
function randomIndex(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** CONNECTIONS_PER_PORT connections to every port, opened before any clock starts (a head-end keeps its connections). */
async function openConnections(targets: readonly Target[]): Promise<Pool> {
  return openPool([...new Set(targets.map((t) => t.port))], CONNECTIONS_PER_PORT);
}

/**
 * One request at a time on each of LANES lanes, each to the target `next` gives (until it
 * gives none or `seconds` have passed); every latency recorded, the CPU of both processes measured.
 */
async function load(pool: Pool, next: () => Target | undefined, seconds: number, profile: string, pid: number): Promise<Load> {
  // sdm630/titan: input 52 / 0 (float32); demo: input 100 (float32 230 V)
  const address = profile === 'demo' ? 100 : profile === 'sdm630' ? 52 : 0;
  const cpu0 = cpuTicks(pid);
  const pollerCpu0 = process.cpuUsage();
  const machine0 = machineTicks();
  const polled = await pollLanes(pool, LANES, next, seconds, address, 2);
  const pollerCpu = process.cpuUsage(pollerCpu0);
  const machine1 = machineTicks();
  const machineTotal = machine1.total - machine0.total;
  return {
    requests: polled.requests,
    answered: polled.answered,
    seconds: polled.seconds,
    cpuS: (cpuTicks(pid) - cpu0) / TICKS_PER_SECOND,
    pollerCpuS: (pollerCpu.user + pollerCpu.system) / 1e6,
    machineBusy: (machine1.busy - machine0.busy) / machineTotal,
    machineSteal: (machine1.steal - machine0.steal) / machineTotal,
    latencies: Float64Array.from(polled.latencies).sort(),
  };
}

/** Random (port, unit) pairs, uniformly over the whole fleet. */
function randomTargets(targets: readonly Target[], seed: number): () => Target {
  const random = randomIndex(seed);
  return () => targets[random(targets.length)] ?? { port: 0, unit: 1 };
}

/** Every target once, in a random order (Fisher-Yates). */
function everyTargetOnce(targets: readonly Target[], seed: number): () => Target | undefined {
  const random = randomIndex(seed);
  const order = [...targets];
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = random(i + 1);
    [order[i], order[j]] = [order[j] as Target, order[i] as Target];
  }
  let at = 0;
  return () => order[at++];
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
}

async function measure(label: string, count: number, profile: string): Promise<Run> {
  const start = performance.now();
  const child = spawn(process.execPath, [...NODE_ARGS, main, 'serve', '--count', String(count), '--gateway', '--tcp', '127.0.0.1:0', '--profile', profile, '--log-level', 'warn', '--all-endpoints'], {
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
    let pool = await openConnections(targets);
    try {
      // Every meter read once, in a random order: a meter's first read builds its model's parts
      // (about 60 us of metrology), a one-off per meter, reported apart from the steady polling.
      const first = await load(pool, everyTargetOnce(targets, 1), Number.POSITIVE_INFINITY, profile, pid);
      const firstPass = { seconds: first.seconds, requests: first.requests, answered: first.answered, requestsPerS: first.requests / first.seconds, cpuPerRequestUs: (first.cpuS / first.requests) * 1e6, p99Ms: quantile(first.latencies, 0.99) };
      const polled = await load(pool, randomTargets(targets, 2), POLL_S, profile, pid);
      const cpuPerRequestUs = (polled.cpuS / polled.requests) * 1e6;
      const pollerCpuPerRequestUs = (polled.pollerCpuS / polled.requests) * 1e6;
      const rssAfter = rssMb(pid);
      // Through a recording boundary (every meter has one each 5 minutes of wall time): from 2 s
      // before the next to 8 s after, with the same load. FLEET_BOUNDARY=0 skips it (a wait of up to 5 min).
      let boundary: Run['boundary'];
      if (count >= 100_000 && process.env.FLEET_BOUNDARY !== '0') {
        const nextMs = Math.ceil((Date.now() + 8000) / BOUNDARY_MS) * BOUNDARY_MS;
        await new Promise((resolve) => setTimeout(resolve, nextMs - 7000 - Date.now()));
        // Connected afresh (the server closes connections idle for a minute, as a meter does).
        closePool(pool);
        pool = await openConnections(targets);
        await new Promise((resolve) => setTimeout(resolve, nextMs - 2000 - Date.now()));
        const through = await load(pool, randomTargets(targets, 3), 10, profile, pid);
        boundary = { requests: through.requests, answered: through.answered, requestsPerS: through.requests / through.seconds, p99Ms: quantile(through.latencies, 0.99), maxMs: through.latencies[through.latencies.length - 1] ?? NaN };
      }
      return {
        label, count, readyMs, rssMb: rss, idleCpu, requests: polled.requests, answered: polled.answered, requestsPerS: polled.requests / polled.seconds,
        rssAfterMb: rssAfter, rssSettledMb: rssSettled, cpuPerRequestUs, pollerCpuPerRequestUs, machineBusy: polled.machineBusy, machineSteal: polled.machineSteal, boundary, firstPass, p50Ms: quantile(polled.latencies, 0.5), p99Ms: quantile(polled.latencies, 0.99),
      };
    } finally {
      closePool(pool);
    }
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
  if (count <= 10_000 || process.env.FLEET_PEER === '1') runs.push(await measure(`demo x${count} (peer)`, count, 'demo'));
}

console.log(`\nfleet in one process (gateway mode, 247 unit ids per port), then polled at random, ${LANES} requests in flight over ${CONNECTIONS_PER_PORT} connection(s) per port (every meter read once first)`);
console.log(`${'fleet'.padEnd(22)} ${'ready ms'.padStart(9)} ${'RSS MB'.padStart(7)} ${`RSS ${SETTLE_S}s`.padStart(8)} ${'idle CPU'.padStart(9)} ${'polls'.padStart(7)} ${'answered'.padStart(9)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'RSS end'.padStart(8)} ${'CPU/req us'.padStart(10)} ${'poller us'.padStart(9)}`);
for (const r of runs) {
  console.log(
    `${r.label.padEnd(22)} ${r.readyMs.toFixed(0).padStart(9)} ${r.rssMb.toFixed(0).padStart(7)} ${r.rssSettledMb.toFixed(0).padStart(8)} ${(r.idleCpu * 100).toFixed(0).padStart(8)}% ${String(r.requests).padStart(7)} ${String(r.answered).padStart(9)} ${r.requestsPerS.toFixed(0).padStart(8)} ${r.p50Ms.toFixed(2).padStart(7)} ${r.p99Ms.toFixed(2).padStart(7)} ${r.rssAfterMb.toFixed(0).padStart(8)} ${r.cpuPerRequestUs.toFixed(1).padStart(10)} ${r.pollerCpuPerRequestUs.toFixed(1).padStart(9)}`,
  );
}
console.log('\nthe machine while polled (all cores; busy includes both processes and anything else):');
for (const r of runs) console.log(`  ${r.label.padEnd(22)} ${(r.machineBusy * 100).toFixed(0)} % busy, ${(r.machineSteal * 100).toFixed(1)} % stolen by the hypervisor`);
console.log('\nfirst read of every meter (random order, before the polling above):');
for (const r of runs) {
  const f = r.firstPass;
  console.log(`  ${r.label.padEnd(22)} ${f.seconds.toFixed(1)} s, ${f.requestsPerS.toFixed(0)} req/s, ${f.answered}/${f.requests} answered, p99 ${f.p99Ms.toFixed(2)} ms, ${f.cpuPerRequestUs.toFixed(0)} us CPU per read`);
}
for (const r of runs) {
  const b = r.boundary;
  if (b !== undefined) console.log(`${r.label} polled through a 5-minute boundary: ${b.requestsPerS.toFixed(0)} req/s, ${b.answered}/${b.requests} answered, p99 ${b.p99Ms.toFixed(2)} ms, max ${b.maxMs.toFixed(1)} ms`);
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
const unanswered = runs.filter((r) => r.answered !== r.requests || r.firstPass.answered !== r.firstPass.requests || (r.boundary !== undefined && r.boundary.answered !== r.boundary.requests));
if (unanswered.length > 0) {
  console.error(`unanswered polls in: ${unanswered.map((r) => r.label).join(', ')}`);
  process.exitCode = 1;
}
