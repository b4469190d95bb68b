/**
 * Watching a `submeter serve` child process from a benchmark: its "ready in" line, its CPU time
 * and resident memory from /proc (Linux).
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

/** Linux USER_HZ: the unit of utime and stime in /proc/<pid>/stat. */
export const TICKS_PER_SECOND = 100;

/** Everything `serve` printed up to and including its `ready in ...` line (rejects if it exits first). */
export async function waitForServeReady(child: ChildProcess): Promise<string> {
  let out = '';
  for (;;) {
    if (/^ready in/m.test(out)) return out;
    const chunk = await Promise.race([once(child.stdout as NodeJS.ReadableStream, 'data'), once(child, 'exit').then(() => undefined)]);
    if (chunk === undefined) throw new Error(`serve exited before ready: ${out}`);
    out += String(chunk[0]);
  }
}

/** CPU time (user + system) the process has used, in ticks of 1/TICKS_PER_SECOND s. */
export function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

/** Resident memory (MB). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** The whole machine's CPU time from /proc/stat (ticks, all cores): busy (not idle, not waiting on I/O), stolen by the hypervisor, and all. */
export interface MachineTicks {
  busy: number;
  steal: number;
  total: number;
}

export function machineTicks(): MachineTicks {
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}
