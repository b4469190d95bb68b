/**
 * Register-map benchmark.
 *
 * 1. In process: a 125-register read from the compiled titan and sdm630 images (RegisterMapDevice)
 *    against a plain memory copy of 250 bytes and against the plain register device of the
 *    protocol layer (MemoryDevice); plus the cost of re-encoding a whole map from a snapshot (done
 *    once per 200 ms metrology window, not per poll).
 * 2. Over TCP: the modbus-tcp benchmark's closed-loop load (its C load generator: FC04 60 input
 *    registers from address 0, one outstanding request per connection) against our server serving
 *    the titan and the sdm630 map (meter ticking every 200 ms) and the plain register device.
 *    Target: the maps within 5 % of the plain device's req/s.
 *
 *   node --import tsx scripts/bench/registers.bench.ts
 *   BENCH_SECONDS=2 BENCH_ROUNDS=5 BENCH_CONNECTIONS=1,8 BENCH_TCP=0 (skip part 2)
 *
 * The machine is shared (2 cores): the devices take turns within every round; the table gives the
 * best round and the median of the per-round ratios, and the load average so a reader can judge
 * the noise.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryDevice } from '../../src/modbus/memory-device.js';
import type { ModbusDevice } from '../../src/modbus/device.js';
import { Meter } from '../../src/meter/meter.js';
import { RegisterMapDevice } from '../../src/registers/register-map-device.js';
import { loadRegisterMap } from '../../src/registers/profiles.js';
import { makeSnapshot } from '../../test/support/fake-meter.js';
import { freePort, startServerProcess, stopServer } from './support/bench-server-process.js';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const connectionLevels = (process.env.BENCH_CONNECTIONS ?? '1,8').split(',').map(Number);
const runTcp = process.env.BENCH_TCP !== '0';

const pad = (text: string, width: number): string => (text.length >= width ? text : ' '.repeat(width - text.length) + text);
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Best-of-rounds nanoseconds per call of each op; the ops take turns within every round, so noise from other work hits them alike. */
function timeOps(ops: ReadonlyArray<() => void>, iterations: number, rounds = 9): number[] {
  const best = ops.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < rounds; round += 1) {
    ops.forEach((op, i) => {
      const start = process.hrtime.bigint();
      for (let n = 0; n < iterations; n += 1) op();
      const ns = Number(process.hrtime.bigint() - start) / iterations;
      if (ns < (best[i] as number)) best[i] = ns;
    });
  }
  return best;
}

function inProcess(): void {
  const window = makeSnapshot().measurement;
  const meter = new Meter({ source: { description: 'bench', measureAt: () => window } });
  meter.tick(Date.now());
  const titan = new RegisterMapDevice(loadRegisterMap('titan'), meter);
  const sdm630 = new RegisterMapDevice(loadRegisterMap('sdm630'), meter);
  const memory = new MemoryDevice({ inputRegisters: { start: 0, count: 125 } });
  const source = new Uint8Array(0x20000);
  const target = new Uint8Array(260);
  const iterations = 200_000;
  const read = (d: ModbusDevice, address: number, quantity = 125) => (): void => d.readInputRegisters(address, quantity, target, 9);
  const reads: Array<[string, () => void]> = [
    ['memcpy 250 bytes (Uint8Array.set of a subarray)', () => target.set(source.subarray(0x2000, 0x2000 + 250), 9)],
    ['MemoryDevice (plain registers), 125 regs', read(memory, 0)],
    ['titan image, 125 regs (harmonics 0x1000)', read(titan, 0x1000)],
    ['titan image, 60 regs (per-phase block 0x0000)', read(titan, 0, 60)],
    ['sdm630 image, 125 regs (0x0000, gaps as zeros)', read(sdm630, 0)],
  ];
  const times = timeOps(reads.map(([, op]) => op), iterations);
  const memcpy = times[0] ?? 1;
  process.stdout.write(`\n1. In process, best of 9 interleaved rounds x ${iterations} calls; load average ${load()}\n`);
  process.stdout.write(`${pad('read', 48)} ${pad('ns/op', 8)} ${pad('x memcpy', 9)}\n`);
  reads.forEach(([name], i) => {
    const ns = times[i] ?? 0;
    process.stdout.write(`${pad(name, 48)} ${pad(ns.toFixed(0), 8)} ${pad((ns / memcpy).toFixed(2), 9)}\n`);
  });
  const snapshot = meter.snapshot();
  const [refreshTitan = 0, refreshSdm = 0, snapshotCost = 0] = timeOps([() => titan.refresh(snapshot), () => sdm630.refresh(snapshot), () => meter.snapshot()], 2_000);
  process.stdout.write(
    `re-encode a whole map from a snapshot (once per 200 ms window): titan ${(refreshTitan / 1000).toFixed(1)} us ` +
      `(${titan.map.registers.length} registers), sdm630 ${(refreshSdm / 1000).toFixed(1)} us; meter.snapshot() ${(snapshotCost / 1000).toFixed(1)} us\n`,
  );
}

interface Measurement {
  requests: number;
  rps: number;
  p50us: number;
  p99us: number;
  errors: number;
  /** Server CPU time (user + system) per request, from /proc (robust to other load on the machine). */
  cpuUsPerRequest?: number;
}

/** CPU time (us) a process has used, from /proc/PID/stat (Linux); undefined elsewhere. */
function cpuTimeUs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
    return Number.isFinite(ticks) ? (ticks * 1e6) / 100 : undefined; // USER_HZ = 100
  } catch {
    return undefined;
  }
}

async function startServer(profile: string): Promise<{ child: ChildProcess; port: number; firstWord: number }> {
  const args = ['--import', 'tsx', join(here, 'registers', 'map-server.ts'), String(await freePort()), profile];
  const { child, ready } = await startServerProcess(profile, process.execPath, args, /READY (\d+) (\d+)/);
  return { child, port: Number(ready[1]), firstWord: Number(ready[2]) };
}

/**
 * The modbus-tcp benchmark's load generator checks that the first register reads 1000 (its plain
 * device); compile it once per expected first word so it checks our maps' first register instead.
 */
function loadGenerator(work: string, firstWord: number): string {
  const binary = join(work, `load-generator-${firstWord}`);
  const source = readFileSync(join(here, 'modbus-tcp', 'load-generator.c'), 'utf8')
    .replace('(1000 >> 8)', `(${firstWord} >> 8)`)
    .replace('(1000 & 0xff)', `(${firstWord} & 0xff)`);
  const file = `${binary}.c`;
  writeFileSync(file, source);
  const run = spawnSync('cc', ['-O2', '-o', binary, file], { encoding: 'utf8' });
  if (run.error !== undefined || run.status !== 0) throw new Error(`cannot compile the load generator: ${run.error?.message ?? run.stderr}`);
  return binary;
}

async function overTcp(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'submeter-registers-bench-'));
  const profiles = ['plain', 'titan', 'sdm630'];
  const servers = new Map<string, { child: ChildProcess; port: number; generator: string }>();
  try {
    for (const profile of profiles) {
      const { child, port, firstWord } = await startServer(profile);
      servers.set(profile, { child, port, generator: loadGenerator(work, firstWord) });
    }
    // All servers stay up (idle when not measured); every round measures each device in turn at
    // each connection count, so a burst of foreign load hits one round of all three, not one device.
    const samples = new Map<string, Measurement[]>();
    process.stdout.write(
      `\n2. Over TCP: FC04 60 input registers from 0, closed loop, ${seconds} s per cell after 0.5 s warm-up, ` +
        `${rounds} interleaved rounds; load average before: ${load()}\n`,
    );
    for (let round = 0; round < rounds; round += 1) {
      for (const connections of connectionLevels) {
        for (const profile of profiles) {
          const server = servers.get(profile);
          if (server === undefined) continue;
          const cpuBefore = cpuTimeUs(server.child.pid);
          const run = spawnSync(server.generator, ['127.0.0.1', String(server.port), String(connections), '0.5', String(seconds)], { encoding: 'utf8', timeout: (seconds + 30) * 1000 });
          if (run.status !== 0) throw new Error(`load generator failed: ${run.stderr}`);
          const m = JSON.parse(run.stdout) as Measurement;
          const cpuAfter = cpuTimeUs(server.child.pid);
          // CPU over warm-up + measurement, per request answered in that span (rps x span)
          if (cpuBefore !== undefined && cpuAfter !== undefined) m.cpuUsPerRequest = (cpuAfter - cpuBefore) / (m.rps * (seconds + 0.5));
          if (m.errors > 0) throw new Error(`${profile}: ${m.errors} wrong responses`);
          const key = `${profile}@${connections}`;
          samples.set(key, [...(samples.get(key) ?? []), m]);
        }
      }
    }
    const median = (values: number[]): number => {
      const sorted = [...values].sort((x, y) => x - y);
      const mid = sorted.length >> 1;
      return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
    };
    const header = `${pad('conns', 5)} ${pad('device', 8)} ${pad('best req/s', 11)} ${pad('p50 us', 7)} ${pad('p99 us', 7)} ${pad('cpu us/req', 10)}   map/plain req/s: best  median;  cpu/req median`;
    process.stdout.write(`${header}\n${'-'.repeat(header.length)}\n`);
    for (const connections of connectionLevels) {
      const plain = samples.get(`plain@${connections}`) ?? [];
      const plainBest = Math.max(...plain.map((m) => m.rps));
      for (const profile of profiles) {
        const runs = samples.get(`${profile}@${connections}`) ?? [];
        const best = runs.reduce((x, y) => (y.rps > x.rps ? y : x));
        const cpu = median(runs.map((m) => m.cpuUsPerRequest ?? Number.NaN));
        let ratio = '';
        if (profile !== 'plain') {
          const bestRatio = best.rps / plainBest;
          const medianRatio = median(runs.map((m, i) => m.rps / (plain[i]?.rps ?? Number.NaN)));
          const cpuRatio = cpu / median(plain.map((m) => m.cpuUsPerRequest ?? Number.NaN));
          ratio = `${bestRatio.toFixed(3)}  ${medianRatio.toFixed(3)};  ${cpuRatio.toFixed(3)}  (req/s within 5 %: ${bestRatio >= 0.95 ? 'yes' : 'NO'}; cpu/req within 5 %: ${cpuRatio <= 1.05 ? 'yes' : 'NO'})`;
        }
        process.stdout.write(`${pad(String(connections), 5)} ${pad(profile, 8)} ${pad(best.rps.toFixed(0), 11)} ${pad(String(best.p50us), 7)} ${pad(String(best.p99us), 7)} ${pad(cpu.toFixed(2), 10)}   ${ratio}\n`);
      }
    }
    process.stdout.write(`load average after: ${load()} (2 cores shared with other work: numbers are noisy)\n`);
  } finally {
    for (const { child } of servers.values()) await stopServer(child);
    rmSync(work, { recursive: true, force: true });
  }
}

inProcess();
if (runTcp) await overTcp();
