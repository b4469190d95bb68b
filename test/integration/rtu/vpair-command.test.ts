import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killCliChildren, runCliToEnd } from '../../support/cli-runner.js';

const emptyDir = mkdtempSync(join(tmpdir(), 'submeter-no-socat-'));
afterAll(() => {
  killCliChildren();
  rmSync(emptyDir, { recursive: true, force: true });
});

describe('submeter vpair without socat', () => {
  it('names the Debian package in one line and exits 127', async () => {
    // an empty PATH: socat cannot be found (node itself is started by its full path)
    const { code, stderr } = await runCliToEnd(['vpair'], { env: { PATH: emptyDir } });
    expect(code).toBe(127);
    expect(stderr.trim().split('\n')).toEqual(['submeter: vpair: socat was not found: virtual serial pairs need socat (Debian/Ubuntu: apt-get install socat)']);
  });
});
