/**
 * The submeter CLI run as a user runs it (a child process through tsx), for integration tests:
 * start it, collect its output, wait for a line, and kill whatever is left in afterAll.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const mainScript = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const children: ChildProcess[] = [];

export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

export function runCli(args: string[]): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', mainScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** Resolves with the first match of `pattern` in the output read so far, waiting for more data until it appears. */
export async function waitForLine(read: () => string, stream: NodeJS.ReadableStream | null, pattern: RegExp): Promise<RegExpExecArray> {
  for (;;) {
    const match = pattern.exec(read());
    if (match !== null) return match;
    if (stream === null) throw new Error('no stream');
    await once(stream, 'data');
  }
}

/** SIGKILLs every CLI child this test file started that has not exited (call from afterAll). */
export function killCliChildren(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
}
