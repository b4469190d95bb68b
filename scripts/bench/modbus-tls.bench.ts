/**
 * Modbus/TCP Security benchmark: submeter's TLS listener against its plain TCP listener, in the
 * same run and the same server process (60 input registers, the reader role checked on every TLS
 * request), driven by the same Node load generator in its own process (closed loop, one
 * outstanding FC04 60-register request per connection) at 1 and 8 connections; then the rate of
 * new full TLS handshakes (connect, verify both certificates, one request, close) from one client.
 * Target: steady-state TLS throughput >= 0.7x plain. Certificates: submeter certs' library (openssl).
 * The load generator is Node too and pays the client's half of TLS on the same cores, so besides
 * req/s the server's own cost is shown as requests per server CPU-second.
 *
 *   node --import tsx scripts/bench/modbus-tls.bench.ts
 *   BENCH_SECONDS=2 BENCH_ROUNDS=2 BENCH_CONNECTIONS=1,8 ...
 *
 * The machine is shared: every cell is the best of BENCH_ROUNDS rounds, TCP and TLS interleaved
 * within a round; the load average is printed so a reader can judge the noise.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCertificates } from '../../src/runtime/security/make-certificates.js';
import { startServerProcess, stopServer } from './support/bench-server-process.js';

const here = join(dirname(fileURLToPath(import.meta.url)), 'modbus-tls');
const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const warmupSeconds = 0.5;
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const connectionLevels = (process.env.BENCH_CONNECTIONS ?? '1,8').split(',').map(Number);

interface Cell {
  rps: number;
  p50us: number;
  p99us: number;
  /** Requests per CPU-second of the server process (less sensitive to neighbours than req/s). */
  perCpuS: number;
}

/** utime + stime of a process in seconds, from /proc (Linux); NaN elsewhere. */
function processCpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function load(mode: string, port: number, connections: number, dir: string): Record<string, number> {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'tls-load.ts'), mode, String(port), String(connections), String(warmupSeconds), String(seconds), dir], {
    encoding: 'utf8',
    timeout: (seconds + warmupSeconds + 30) * 1000,
  });
  if (run.status !== 0) throw new Error(`load generator failed (${run.status ?? run.signal}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, number>;
}

const pad = (text: string, width: number): string => (text.length >= width ? text : ' '.repeat(width - text.length) + text);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'submeter-bench-tls-'));
  try {
    makeCertificates({ dir, hosts: ['localhost', '127.0.0.1'], clients: [{ name: 'reader', role: 'reader' }], days: 2 });
    const { child, ready } = await startServerProcess('submeter tls', process.execPath, ['--import', 'tsx', join(here, 'tls-bench-server.ts'), dir], /READY (\d+) (\d+)/);
    const ports = { tcp: Number(ready[1]), tls: Number(ready[2]) };
    process.stdout.write(
      `Modbus/TCP vs Modbus/TCP Security (TLS 1.3, EC P-256, reader role checked), FC04 60 input registers, closed loop, ` +
        `${seconds} s per cell after ${warmupSeconds} s warm-up, best of ${rounds} round(s); load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`,
    );
    const best = new Map<string, Cell>();
    let handshake: Record<string, number> | undefined;
    try {
      for (let round = 0; round < rounds; round += 1) {
        for (const connections of connectionLevels) {
          for (const mode of ['tcp', 'tls'] as const) {
            const cpuBefore = processCpuSeconds(child.pid);
            const measured = load(mode, ports[mode], connections, dir);
            const cpu = processCpuSeconds(child.pid) - cpuBefore;
            const requests = measured.requests ?? 0;
            const cell: Cell = { rps: measured.rps ?? 0, p50us: measured.p50us ?? 0, p99us: measured.p99us ?? 0, perCpuS: requests / cpu };
            const key = `${mode} ${connections}`;
            const previous = best.get(key);
            if (previous === undefined || cell.rps > previous.rps) best.set(key, cell);
          }
        }
        const h = load('handshake', ports.tls, 1, dir);
        if (handshake === undefined || (h.perSecond ?? 0) > (handshake.perSecond ?? 0)) handshake = h;
      }
    } finally {
      await stopServer(child);
    }
    process.stdout.write(`${pad('connections', 11)} ${pad('transport', 9)} ${pad('req/s', 9)} ${pad('p50 us', 8)} ${pad('p99 us', 8)} ${pad('tls/tcp', 8)} ${pad('req/srv-cpu-s', 13)} ${pad('tls/tcp', 8)}\n`);
    let worst = Number.POSITIVE_INFINITY;
    for (const connections of connectionLevels) {
      const tcp = best.get(`tcp ${connections}`);
      const tls = best.get(`tls ${connections}`);
      for (const [name, cell] of [['tcp', tcp], ['tls', tls]] as const) {
        if (cell === undefined) continue;
        const ratio = name === 'tls' && tcp !== undefined ? cell.rps / tcp.rps : undefined;
        const cpuRatio = name === 'tls' && tcp !== undefined ? cell.perCpuS / tcp.perCpuS : undefined;
        if (ratio !== undefined) worst = Math.min(worst, ratio);
        process.stdout.write(
          `${pad(String(connections), 11)} ${pad(name, 9)} ${pad(cell.rps.toFixed(0), 9)} ${pad(cell.p50us.toFixed(0), 8)} ${pad(cell.p99us.toFixed(0), 8)} ${pad(ratio === undefined ? '' : ratio.toFixed(2), 8)} ` +
            `${pad(cell.perCpuS.toFixed(0), 13)} ${pad(cpuRatio === undefined ? '' : cpuRatio.toFixed(2), 8)}\n`,
        );
      }
    }
    if (handshake !== undefined) {
      process.stdout.write(`new TLS handshakes (full, mutual, one request each, one client): ${(handshake.perSecond ?? 0).toFixed(0)}/s, p50 ${(handshake.p50us ?? 0).toFixed(0)} us, p99 ${(handshake.p99us ?? 0).toFixed(0)} us\n`);
    }
    process.stdout.write(`steady-state TLS/TCP throughput, worst cell: ${worst.toFixed(2)} (target >= 0.70): ${worst >= 0.7 ? 'met' : 'NOT met'}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
