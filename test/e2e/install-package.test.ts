/**
 * The package as a stranger installs it: `npm pack` (which builds through `prepare`) in a copy of
 * the repository (the build must not rewrite the dist/ other tests are running), the tarball
 * installed into a temporary global prefix with its production dependencies from the registry, and
 * the installed `submeter` run from another directory: --version, serve + read (the Containerfile's
 * own command and health check), analyze on a recording the package ships. The Containerfile's build
 * stage must copy everything the packed file list needs.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, existsSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; files: string[] };
const containerfile = readFileSync(join(repoRoot, 'Containerfile'), 'utf8');

interface PackResult {
  filename: string;
  size: number;
  files: { path: string }[];
}

/** The instruction lines of one stage of the Containerfile (continuations joined). */
function stageLines(stage: string): string[] {
  const joined = containerfile.replace(/\\\n/g, ' ');
  const stages = joined.split(/^FROM /m).slice(1);
  const found = stages.find((text) => text.split('\n')[0]?.trim().endsWith(`AS ${stage}`));
  if (found === undefined) throw new Error(`Containerfile has no stage ${stage}`);
  return found.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
}

/** The exec-form arguments of an instruction such as CMD ["serve", ...]. */
function execForm(line: string): string[] {
  const start = line.indexOf('[');
  return JSON.parse(line.slice(start)) as string[];
}

let scratch = '';
let packed: PackResult;
let bin = '';
let installedRoot = '';
let elsewhere = '';

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'submeter-install-'));
  // The sources as a clone has them (no build output, no dependencies: those are linked).
  const clone = join(scratch, 'clone');
  const skipped = new Set(['node_modules', 'dist', '.git'].map((name) => join(repoRoot, name)));
  cpSync(repoRoot, clone, { recursive: true, filter: (source) => !skipped.has(source) });
  symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'), 'dir');
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: clone, maxBuffer: 64 * 1024 * 1024 });
  const list = JSON.parse(stdout.slice(stdout.indexOf('['))) as PackResult[];
  const first = list[0];
  if (first === undefined) throw new Error('npm pack printed no package');
  packed = first;
  const prefix = join(scratch, 'prefix');
  await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(scratch, packed.filename)], { cwd: scratch });
  bin = join(prefix, 'bin', 'submeter');
  installedRoot = join(prefix, 'lib', 'node_modules', 'submeter');
  elsewhere = mkdtempSync(join(scratch, 'elsewhere-'));
}, 240_000);

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

describe('installed from the packed tarball', () => {
  it('ships the build, the maps and the recordings, and no sources or tests', () => {
    const paths = packed.files.map((file) => file.path);
    expect(paths).toContain('dist/cli/main.js');
    expect(paths).toContain('register-map/sdm630.yaml');
    expect(paths).toContain('examples/recordings/wisp-4.CFG');
    expect(paths).toContain('examples/recordings/SOURCES.md');
    expect(paths.filter((path) => path.startsWith('src/') || path.startsWith('test/'))).toEqual([]);
    expect(packed.size).toBeLessThan(5 * 1024 * 1024);
  });

  it('prints its version from any directory', async () => {
    const { stdout } = await run(bin, ['--version'], { cwd: elsewhere });
    expect(stdout.trim()).toBe(packageJson.version);
  });

  it("serves with the container's command, answers reads and its health check, saves state on SIGTERM", async () => {
    const command = execForm(stageLines('runtime').find((line) => line.startsWith('CMD')) ?? '');
    const state = join(elsewhere, 'state');
    const args = command.map((arg) => (arg === '0.0.0.0:1502' ? '127.0.0.1:0' : arg === '/var/lib/submeter' ? state : arg));
    expect(args).toContain('127.0.0.1:0');
    const server = spawn(bin, args, { cwd: elsewhere, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      server.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const exited = once(server, 'exit');
      while (!/ready in/.test(out)) {
        const next = await Promise.race([once(server.stdout, 'data').then(() => 'data'), exited.then(() => 'exit')]);
        if (next === 'exit') throw new Error(`serve exited before ready: ${out}`);
      }
      const port = /modbus\/tcp 127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      expect(port).toMatch(/^\d+$/);

      const read = await run(bin, ['read', '--profile', 'sdm630', '--tcp', `127.0.0.1:${port}`, '--match', 'line to neutral'], { cwd: elsewhere });
      const volts = [...read.stdout.matchAll(/Phase \d line to neutral volts\s+([\d.]+)\s+V/g)].map((match) => Number(match[1]));
      expect(volts).toHaveLength(3);
      for (const value of volts) expect(value).toBeGreaterThan(200);

      const health = execForm(stageLines('runtime').find((line) => line.startsWith('HEALTHCHECK')) ?? '');
      expect(health[0]).toBe('submeter');
      const healthArgs = health.slice(1).map((arg) => (arg === '127.0.0.1:1502' ? `127.0.0.1:${port}` : arg));
      await expect(run(bin, healthArgs, { cwd: elsewhere })).resolves.toBeDefined();

      server.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(readdirSync(state).length).toBeGreaterThan(0);
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
    }
  }, 60_000);

  it('analyzes a recording the package ships', async () => {
    const recording = join(installedRoot, 'examples', 'recordings', 'wisp-4.CFG');
    expect(existsSync(recording)).toBe(true);
    const { stdout } = await run(bin, ['analyze', recording, '--json'], { cwd: elsewhere, maxBuffer: 64 * 1024 * 1024 });
    const report = JSON.parse(stdout) as { windows?: unknown[] };
    expect(Array.isArray(report.windows)).toBe(true);
    expect(report.windows?.length ?? 0).toBeGreaterThan(5);
  }, 60_000);
});

describe('Containerfile', () => {
  it('copies into its build stage every file the package is made of', () => {
    const copied = stageLines('build')
      .filter((line) => line.startsWith('COPY '))
      .flatMap((line) => line.slice('COPY '.length).trim().split(/\s+/).slice(0, -1));
    const produced = new Set(['dist']); // made by `npm run build` inside the stage
    for (const entry of packageJson.files) {
      if (!produced.has(entry)) expect(copied, `package.json files entry ${entry}`).toContain(entry);
    }
    for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts/prepare.mjs']) {
      expect(copied).toContain(needed);
    }
    for (const path of copied) expect(existsSync(join(repoRoot, path)), `${path} exists`).toBe(true);
  });

  it('runs the packed package as a non-root user, with a volume, a health check and port 1502', () => {
    const runtime = stageLines('runtime');
    expect(runtime.some((line) => /npm install -g .*submeter\.tgz/.test(line))).toBe(true);
    expect(stageLines('build').some((line) => /npm pack/.test(line))).toBe(true);
    const user = runtime.find((line) => line.startsWith('USER '));
    expect(user).toBeDefined();
    expect(user).not.toMatch(/root|\b0\b/);
    expect(runtime.some((line) => /^EXPOSE .*\b1502\b/.test(line))).toBe(true);
    expect(runtime.some((line) => line.startsWith('VOLUME '))).toBe(true);
    expect(runtime.some((line) => line.startsWith('HEALTHCHECK '))).toBe(true);
    expect(execForm(runtime.find((line) => line.startsWith('CMD')) ?? '')).toContain('--state');
  });
});
