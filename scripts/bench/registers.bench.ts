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
 *   BENCH_SECONDS=3 BENCH_ROUNDS=4 BENCH_CONNECTIONS=1,8 BENCH_TCP=0 (skip part 2)
 *
 * The machine is shared (2 cores): each figure is the best of several rounds and the load average
 * is printed so a reader can judge the noise.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryDevice } from '../../src/modbus/memory-device.js';
import type { ModbusDevice } from '../../src/modbus/device.js';
import { Meter } from '../../src/meter/meter.js';
import { RegisterMapDevice } from '../../src/registers/register-map-device.js';
import { loadProfile } from '../../src/registers/profiles.js';
import { makeSnapshot } from '../../test/support/fake-meter.js';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
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
  const titan = new RegisterMapDevice(loadProfile('titan'), meter);
  const sdm630 = new RegisterMapDevice(loadProfile('sdm630'), meter);
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
  rps: number;
  p50us: number;
  p99us: number;
  errors: number;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function startServer(profile: string): Promise<{ child: ChildProcess; port: number; firstWord: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'registers', 'map-server.ts'), String(await freePort()), profile], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  for (;;) {
    const [chunk] = (await Promise.race([once(child.stdout ?? child, 'data'), once(child, 'exit').then(() => [undefined])])) as [Buffer | undefined];
    if (chunk === undefined) throw new Error(`${profile} server exited before it was ready`);
    output += chunk.toString();
    const ready = /READY (\d+) (\d+)/.exec(output);
    if (ready !== null) return { child, port: Number(ready[1]), firstWord: Number(ready[2]) };
  }
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
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
  try {
    const profiles = ['plain', 'titan', 'sdm630'];
    const best = new Map<string, Measurement>();
    process.stdout.write(`\n2. Over TCP: FC04 60 input registers from 0, closed loop, ${seconds} s per cell after 0.5 s warm-up, best of ${rounds} round(s); load average before: ${load()}\n`);
    for (let round = 0; round < rounds; round += 1) {
      for (const profile of profiles) {
        const { child, port, firstWord } = await startServer(profile);
        try {
          const generator = loadGenerator(work, firstWord);
          for (const connections of connectionLevels) {
            const run = spawnSync(generator, ['127.0.0.1', String(port), String(connections), '0.5', String(seconds)], { encoding: 'utf8', timeout: (seconds + 30) * 1000 });
            if (run.status !== 0) throw new Error(`load generator failed: ${run.stderr}`);
            const m = JSON.parse(run.stdout) as Measurement;
            if (m.errors > 0) throw new Error(`${profile}: ${m.errors} wrong responses`);
            const key = `${profile}@${connections}`;
            const previous = best.get(key);
            if (previous === undefined || m.rps > previous.rps) best.set(key, m);
          }
        } finally {
          await stopServer(child);
        }
      }
    }
    const header = `${pad('conns', 5)} ${pad('device', 8)} ${pad('req/s', 9)} ${pad('p50 us', 8)} ${pad('p99 us', 8)}   map / plain`;
    process.stdout.write(`${header}\n${'-'.repeat(header.length)}\n`);
    for (const connections of connectionLevels) {
      const plain = best.get(`plain@${connections}`);
      for (const profile of profiles) {
        const m = best.get(`${profile}@${connections}`);
        if (m === undefined) continue;
        const ratio = plain === undefined || profile === 'plain' ? '' : `${(m.rps / plain.rps).toFixed(3)}  (within 5 %: ${m.rps >= 0.95 * plain.rps ? 'yes' : 'NO'})`;
        process.stdout.write(`${pad(String(connections), 5)} ${pad(profile, 8)} ${pad(m.rps.toFixed(0), 9)} ${pad(String(m.p50us), 8)} ${pad(String(m.p99us), 8)}   ${ratio}\n`);
      }
    }
    process.stdout.write(`load average after: ${load()} (2 cores shared with other work: numbers are noisy)\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

inProcess();
if (runTcp) await overTcp();
