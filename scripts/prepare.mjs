#!/usr/bin/env node
/**
 * `npm prepare` (run by `npm install` from a clone, `npm install -g <clone>`, `npm pack`): builds
 * dist/ so that an installed `submeter` works. A global install from a clone runs this in the clone
 * without its dev dependencies; then the compiler is installed first (into the clone, not saved).
 * From a packed tarball nothing runs: dist/ is already inside.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The parent npm's settings (global, prefix ...) must not reach the nested install. */
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_config_')));

function run(args) {
  const result = spawnSync(npm, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`submeter: prepare: npm ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

if (!existsSync(join(root, 'src'))) process.exit(0); // an installed tarball: dist/ is shipped
if (!existsSync(join(root, 'node_modules', 'typescript', 'bin', 'tsc'))) {
  run(['install', '--include=dev', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund']);
}
run(['run', 'build']);
