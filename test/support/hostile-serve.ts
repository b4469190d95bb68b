/**
 * The BUILT `submeter serve` for hostile tests: started as a user runs it (node dist/cli/main.js),
 * optionally without root privileges (a read-only directory stops only an unprivileged process:
 * when the tests run as root, the server is started as `nobody` through setpriv), with its output
 * collected and waited on.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync } from 'node:fs';
import { assertBuilt, builtMain } from './cli-runner.js';

const NOBODY = 65_534;
const isRoot = process.getuid?.() === 0;
const setprivAvailable = isRoot && spawnSync('setpriv', ['--version']).status === 0;

/** Can the tests make a directory the server cannot write (chmod works on it)? */
export const canDropPrivileges = !isRoot || setprivAvailable;

export interface ServeRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exit: Promise<number | null>;
  /** Waits until `pattern` appears in stderr (rejects when the process exits first). */
  waitForStderr(pattern: RegExp): Promise<RegExpExecArray>;
  /** Waits for `ready` and returns the first Modbus/TCP port of the summary. */
  ready(): Promise<number>;
}

const running = new Set<ChildProcess>();

async function waitIn(read: () => string, stream: NodeJS.ReadableStream | null, exit: Promise<unknown>, child: ChildProcess, pattern: RegExp, what: string, stderr: () => string): Promise<RegExpExecArray> {
  for (;;) {
    const match = pattern.exec(read());
    if (match !== null) return match;
    if (child.exitCode !== null || child.signalCode !== null || stream === null) throw new Error(`exited (${child.exitCode ?? child.signalCode}) before ${what} showed ${pattern}; stderr: ${stderr().trim()}`);
    await Promise.race([once(stream, 'data'), exit]);
  }
}

/** Starts the built CLI with `args` (unprivileged when asked and possible). */
export function runBuiltCli(args: string[], options: { unprivileged?: boolean } = {}): ServeRun {
  assertBuilt();
  const command = options.unprivileged === true && isRoot ? 'setpriv' : process.execPath;
  const prefix = options.unprivileged === true && isRoot ? [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath] : [];
  const child = spawn(command, [...prefix, builtMain, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = once(child, 'exit').then(([code]) => {
    running.delete(child);
    return code as number | null;
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitForStderr: (pattern) => waitIn(() => err, child.stderr, exit, child, pattern, 'stderr', () => err),
    ready: async () => {
      const [, port] = await waitIn(() => out, child.stdout, exit, child, /modbus\/tcp 127\.0\.0\.1:(\d+)/, 'stdout', () => err);
      await waitIn(() => out, child.stdout, exit, child, /^ready in/m, 'stdout', () => err);
      return Number(port);
    },
  };
}

/** Lets the unprivileged server write `directory` (when the tests run as root). */
export function giveToServer(directory: string): void {
  if (isRoot) chownSync(directory, NOBODY, NOBODY);
  chmodSync(directory, 0o755);
}

/** SIGKILLs whatever is still running (afterAll). */
export function killServers(): void {
  for (const child of running) child.kill('SIGKILL');
}
