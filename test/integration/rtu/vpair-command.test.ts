import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const mainScript = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));

describe('submeter vpair without socat', () => {
  it('names the Debian package in one line and exits 127', async () => {
    // a PATH holding only node: socat cannot be found
    const child = spawn(process.execPath, ['--import', 'tsx', mainScript, 'vpair'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: dirname(process.execPath) },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(127);
    expect(stderr.trim().split('\n')).toEqual(['submeter vpair: socat was not found: virtual serial pairs need socat (Debian/Ubuntu: apt-get install socat)']);
  });
});
