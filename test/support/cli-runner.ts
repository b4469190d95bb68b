/**
 * The one way tests run the `submeter` command as a user runs it: a child process, either from the
 * sources through tsx (`from: 'source'`, the default: no build needed) or the BUILT command
 * (`from: 'built'`: `node dist/cli/main.js`, as after `npm run build`; npm test builds first).
 * Output is collected; waits are on output or on the exit, never on sleeps, and a wait fails at once
 * (naming the exit code and stderr) when the process exits before printing what was awaited.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const sourceMain = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
export const builtMain = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliOptions {
  /** Run the sources through tsx (default) or the built dist/cli/main.js. */
  from?: 'source' | 'built';
  /** Extra environment variables. */
  env?: Readonly<Record<string, string>>;
  /** Feed this to stdin (default: stdin closed). */
  stdin?: string;
}

export interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Exit code (null when killed by a signal). */
  exit: Promise<number | null>;
  /** Resolves with the first match of `pattern` in stdout (or stderr); rejects as soon as the process exits without it. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpExecArray>;
  /** SIGTERM (or `signal`) and the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function assertBuilt(): void {
  if (!existsSync(builtMain)) throw new Error(`${builtMain} is missing: run \`npm run build\` first (npm test does)`);
}

const running = new Set<ChildProcess>();

/** The command line that runs `submeter args` (node [--import tsx] main ...). */
export function cliCommand(args: readonly string[], from: 'source' | 'built' = 'source'): string[] {
  if (from === 'built') {
    assertBuilt();
    return [builtMain, ...args];
  }
  return ['--import', 'tsx', sourceMain, ...args];
}

export function runCli(args: readonly string[], options: CliOptions = {}): CliRun {
  const child = spawn(process.execPath, cliCommand(args, options.from), {
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  running.add(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  let exited = false;
  const exit = once(child, 'exit').then(([code]) => {
    exited = true;
    running.delete(child);
    return code as number | null;
  });
  const waitFor = async (pattern: RegExp, stream: 'stdout' | 'stderr' = 'stdout'): Promise<RegExpExecArray> => {
    const source = stream === 'stdout' ? child.stdout : child.stderr;
    for (;;) {
      const match = pattern.exec(stream === 'stdout' ? out : err);
      if (match !== null) return match;
      if (exited || child.exitCode !== null || child.signalCode !== null || source === null) {
        throw new Error(`submeter ${args.join(' ')} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}; stderr: ${err}`);
      }
      await Promise.race([once(source, 'data'), exit]);
    }
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitFor,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exit;
    },
  };
}

/** Runs to completion: exit code and output. */
export async function runCliToEnd(args: readonly string[], options: CliOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = runCli(args, options);
  const code = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** The built command (e2e tests). */
export function runBuilt(args: readonly string[]): CliRun {
  return runCli(args, { from: 'built' });
}

export function runBuiltToEnd(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCliToEnd(args, { from: 'built' });
}

/** SIGKILLs every CLI child this test file started that is still running (call from afterAll). */
export function killCliChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

export interface ReadJson {
  values: Array<{ name: string; quantity: string; value: number | string; unit: string; address: number; space: string }>;
  errors: Array<{ error: string }>;
}

/** `submeter read ... --json` (built), parsed. */
export async function readJson(args: readonly string[]): Promise<ReadJson> {
  const result = await runBuiltToEnd(['read', ...args, '--json']);
  if (result.code !== 0) throw new Error(`submeter read ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as ReadJson;
}

export function valueOf(read: ReadJson, quantity: string): number {
  const found = read.values.find((v) => v.quantity === quantity);
  if (found === undefined || typeof found.value !== 'number') throw new Error(`no numeric ${quantity} in the read`);
  return found.value;
}
