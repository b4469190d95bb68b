import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const mainScript = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
const emptyDir = mkdtempSync(join(tmpdir(), 'submeter-no-socat-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  rmSync(emptyDir, { recursive: true, force: true });
});

describe('submeter vpair without socat', () => {
  it('names the Debian package in one line and exits 127', async () => {
    // an empty PATH: socat cannot be found (node itself is started by its full path)
    const child = spawn(process.execPath, ['--import', 'tsx', mainScript, 'vpair'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: emptyDir },
    });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(127);
    expect(stderr.trim().split('\n')).toEqual(['submeter vpair: socat was not found: virtual serial pairs need socat (Debian/Ubuntu: apt-get install socat)']);
  });
});
