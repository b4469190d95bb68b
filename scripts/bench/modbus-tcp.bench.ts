/**
 * Modbus/TCP server benchmark: the same 60 input registers served by submeter, jsmodbus's TCP
 * server, modbus-serial's ServerTCP and (when libmodbus-dev and cc are installed) a libmodbus C
 * server, each in its own child process; each driven by the same closed-loop load (a C load
 * generator in its own process: one outstanding FC04 60-register request per connection) at 1, 8
 * and 64 connections. Prints req/s, p50, p99 and submeter's ratio to each peer.
 *
 *   node --import tsx scripts/bench/modbus-tcp.bench.ts
 *   BENCH_SECONDS=3 BENCH_ROUNDS=2 BENCH_CONNECTIONS=1,8,64 BENCH_SERVERS=submeter,libmodbus ...
 *
 * The machine is shared: every cell is the best of BENCH_ROUNDS rounds, servers interleaved within
 * a round, and the load average is printed so a reader can judge the noise. "srv cpu" is the server
 * process's CPU use during the run and "req/cpu-s" its requests per CPU-second (less sensitive to
 * neighbours than req/s); "load cpu" is the load generator's own CPU use (well under 100 % means
 * it is not the bottleneck).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startServerProcess, stopServer } from './support/bench-server-process.js';

const here = join(dirname(fileURLToPath(import.meta.url)), 'modbus-tcp');
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const warmupSeconds = 0.5;
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const connectionLevels = (process.env.BENCH_CONNECTIONS ?? '1,8,64').split(',').map(Number);
const onlyServers = process.env.BENCH_SERVERS?.split(',');

interface Measurement {
  requests: number;
  rps: number;
  p50us: number;
  p99us: number;
  errors: number;
  /** The load generator's own CPU use (1.0 = one core). */
  cpu: number;
  /** The server process's CPU use over the whole run (1.0 = one core); NaN where /proc is missing. */
  serverCpu: number;
}

/** utime + stime of a process in seconds, from /proc (Linux); NaN elsewhere. */
function processCpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

interface ServerSpec {
  name: string;
  command: (port: number) => [string, string[]];
}

function compile(source: string, output: string, libraries: string[]): boolean {
  const run = spawnSync('cc', ['-O2', '-o', output, join(here, source), ...libraries], { encoding: 'utf8' });
  if (run.error !== undefined || run.status !== 0) {
    process.stderr.write(`bench: cannot compile ${source}: ${run.error?.message ?? run.stderr}\n`);
    return false;
  }
  return true;
}

async function startServer(spec: ServerSpec): Promise<{ child: ChildProcess; port: number }> {
  const [command, args] = spec.command(await freePort());
  const { child, ready } = await startServerProcess(spec.name, command, args, /READY (\d+)/);
  return { child, port: Number(ready[1]) };
}

function runLoad(loadGenerator: string, port: number, connections: number, serverPid: number | undefined): Measurement {
  const cpuBefore = processCpuSeconds(serverPid);
  const started = performance.now();
  const run = spawnSync(loadGenerator, ['127.0.0.1', String(port), String(connections), String(warmupSeconds), String(seconds)], {
    encoding: 'utf8',
    timeout: (seconds + warmupSeconds + 30) * 1000,
  });
  if (run.status !== 0) throw new Error(`load generator failed (${run.status ?? run.signal}): ${run.stderr}`);
  const wall = (performance.now() - started) / 1000;
  const serverCpu = (processCpuSeconds(serverPid) - cpuBefore) / wall;
  return { ...(JSON.parse(run.stdout) as Omit<Measurement, 'serverCpu'>), serverCpu };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'submeter-bench-'));
  try {
    const loadGenerator = join(work, 'load-generator');
    if (!compile('load-generator.c', loadGenerator, [])) throw new Error('the load generator needs a C compiler (cc)');
    const tsxServer = (file: string) => (port: number): [string, string[]] => [process.execPath, ['--import', 'tsx', join(here, file), String(port)]];
    const servers: ServerSpec[] = [
      { name: 'submeter', command: tsxServer('submeter-server.ts') },
      { name: 'jsmodbus', command: tsxServer('jsmodbus-server.ts') },
      { name: 'modbus-serial', command: tsxServer('modbus-serial-server.ts') },
    ];
    if (existsSync('/usr/include/modbus/modbus.h')) {
      const binary = join(work, 'libmodbus-server');
      if (compile('libmodbus-server.c', binary, ['-I/usr/include/modbus', '-lmodbus'])) servers.push({ name: 'libmodbus', command: (port) => [binary, [String(port)]] });
    } else {
      process.stdout.write('libmodbus-dev not installed (/usr/include/modbus): the C peer is skipped\n');
    }
    const measured = servers.filter((s) => onlyServers === undefined || onlyServers.includes(s.name));

    process.stdout.write(
      `Modbus/TCP, FC04 60 input registers, closed loop (1 outstanding request per connection), ` +
        `${seconds} s per cell after ${warmupSeconds} s warm-up, best of ${rounds} round(s); load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`,
    );
    const best = new Map<string, Measurement>();
    for (let round = 0; round < rounds; round += 1) {
      for (const spec of measured) {
        const { child, port } = await startServer(spec);
        try {
          for (const connections of connectionLevels) {
            const m = runLoad(loadGenerator, port, connections, child.pid);
            if (m.errors > 0) throw new Error(`${spec.name}: ${m.errors} wrong responses at ${connections} connections`);
            const key = `${spec.name}@${connections}`;
            const previous = best.get(key);
            if (previous === undefined || m.rps > previous.rps) best.set(key, m);
          }
        } finally {
          await stopServer(child);
        }
      }
    }

    const header = `${pad('conns', 5)} ${pad('server', 14)} ${pad('req/s', 9)} ${pad('p50 us', 8)} ${pad('p99 us', 8)} ${pad('srv cpu', 8)} ${pad('req/cpu-s', 10)} ${pad('load cpu', 8)}   submeter / server`;
    process.stdout.write(`\n${header}\n${'-'.repeat(header.length)}\n`);
    for (const connections of connectionLevels) {
      const ours = best.get(`submeter@${connections}`);
      for (const spec of measured) {
        const m = best.get(`${spec.name}@${connections}`);
        if (m === undefined) continue;
        const ratio = ours === undefined || spec.name === 'submeter' ? '' : `${(ours.rps / m.rps).toFixed(2)}x`;
        const perCpu = Number.isFinite(m.serverCpu) && m.serverCpu > 0 ? (m.rps / m.serverCpu).toFixed(0) : '-';
        process.stdout.write(
          `${pad(String(connections), 5)} ${pad(spec.name, 14)} ${pad(m.rps.toFixed(0), 9)} ${pad(String(m.p50us), 8)} ${pad(String(m.p99us), 8)} ` +
            `${pad(Number.isFinite(m.serverCpu) ? `${(100 * m.serverCpu).toFixed(0)}%` : '-', 8)} ${pad(perCpu, 10)} ${pad(`${(100 * m.cpu).toFixed(0)}%`, 8)}   ${ratio}\n`,
        );
      }
    }
    const at8 = best.get('submeter@8');
    const lib8 = best.get('libmodbus@8');
    if (at8 !== undefined) {
      process.stdout.write(`\ntargets at 8 connections: p99 ${at8.p99us} us (< 1000: ${at8.p99us < 1000 ? 'yes' : 'NO'})`);
      if (lib8 !== undefined) process.stdout.write(`; ${(at8.rps / lib8.rps).toFixed(2)}x libmodbus (>= 0.8: ${at8.rps / lib8.rps >= 0.8 ? 'yes' : 'NO'})`);
      for (const peer of ['jsmodbus', 'modbus-serial']) {
        const p = best.get(`${peer}@8`);
        if (p !== undefined) process.stdout.write(`; ahead of ${peer}: ${at8.rps > p.rps ? 'yes' : 'NO'}`);
      }
      process.stdout.write('\n');
    }
    process.stdout.write(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (2 cores shared with other work: numbers are noisy)\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
