/**
 * Plumbing for benchmarks that run a server in a child process: a free port to give it, waiting
 * for the line it prints when it is ready (`READY <port> ...`), and stopping it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A port free on 127.0.0.1 right now (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Spawns `command args` (stdout piped, stderr inherited) and resolves once its stdout matches
 * `ready`, with the child and the match; rejects if it exits first.
 */
export async function startServerProcess(name: string, command: string, args: string[], ready: RegExp): Promise<{ child: ChildProcess; ready: RegExpExecArray }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  for (;;) {
    const [chunk] = (await Promise.race([once(child.stdout ?? child, 'data'), once(child, 'exit').then(() => [undefined])])) as [Buffer | undefined];
    if (chunk === undefined) throw new Error(`${name} server exited before it was ready`);
    output += chunk.toString();
    const match = ready.exec(output);
    if (match !== null) return { child, ready: match };
  }
}

/** SIGKILLs the child (if still running) and waits for it to exit. */
export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}
