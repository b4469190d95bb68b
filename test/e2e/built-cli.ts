/**
 * Runs the BUILT command (`node dist/cli/main.js ...`, as a user runs it after `npm run build`)
 * as a child process, collecting its output; waits on its output, never on sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const builtMain = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(builtMain)) throw new Error(`${builtMain} is missing: run \`npm run build\` first (npm test does)`);
}

export interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exit: Promise<number | null>;
  /** Resolves with the first match of `pattern` in stdout (rejects if the process exits first). */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** SIGTERM (or `signal`) and the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcess>();

export function runBuilt(args: string[]): CliRun {
  assertBuilt();
  const child = spawn(process.execPath, [builtMain, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = once(child, 'exit').then(([code]) => {
    running.delete(child);
    return code as number | null;
  });
  const waitFor = async (pattern: RegExp): Promise<RegExpExecArray> => {
    let exited = false;
    void exit.then(() => (exited = true));
    for (;;) {
      const match = pattern.exec(out);
      if (match !== null) return match;
      if (exited || child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before printing ${pattern}; stderr: ${err}`);
      await Promise.race([once(child.stdout as NodeJS.ReadableStream, 'data'), exit]);
    }
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitFor,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exit;
    },
  };
}

/** Runs to completion: exit code and output. */
export async function runBuiltToEnd(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = runBuilt(args);
  const code = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** Kills whatever is still running (afterAll). */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

export interface ReadJson {
  values: Array<{ name: string; quantity: string; value: number | string; unit: string; address: number; space: string }>;
  errors: Array<{ error: string }>;
}

/** `submeter read ... --json`, parsed. */
export async function readJson(args: string[]): Promise<ReadJson> {
  const result = await runBuiltToEnd(['read', ...args, '--json']);
  if (result.code !== 0) throw new Error(`submeter read ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as ReadJson;
}

export function valueOf(read: ReadJson, quantity: string): number {
  const found = read.values.find((v) => v.quantity === quantity);
  if (found === undefined || typeof found.value !== 'number') throw new Error(`no numeric ${quantity} in the read`);
  return found.value;
}
