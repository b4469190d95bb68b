/** `--state DIR`: energy survives a stop (SIGINT) and a restart, and never goes back. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killCliChildren, readJson, runBuilt, valueOf } from '../support/cli-runner.js';

const scratch = mkdtempSync(join(tmpdir(), 'submeter-e2e-state-'));
afterAll(() => {
  killCliChildren();
  rmSync(scratch, { recursive: true, force: true });
});

async function serveAndRead(): Promise<{ energy: number; log: string }> {
  const serve = runBuilt(['serve', '--profile', 'titan', '--tcp', '127.0.0.1:0', '--speed', '3600', '--state', join(scratch, 'meter'), '--log-level', 'info']);
  const [, port] = await serve.waitFor(/modbus\/tcp 127\.0\.0\.1:(\d+)/);
  await serve.waitFor(/^ready in/m);
  const read = await readJson(['--tcp', `127.0.0.1:${port}`, '--profile', 'titan', '--match', 'energy.total.activeImport']);
  const energy = valueOf(read, 'energy.total.activeImportWh');
  expect(await serve.stop('SIGINT')).toBe(0);
  return { energy, log: serve.stderr() };
}

describe('serve --state', () => {
  it('restarts from the saved registers: energy continues and never goes back', async () => {
    const first = await serveAndRead();
    expect(first.energy).toBeGreaterThan(0); // an hour of office load per real second
    expect(first.log).not.toMatch(/state restored/);
    const second = await serveAndRead();
    expect(second.log).toMatch(/meter: state restored from .*meter/);
    expect(second.energy).toBeGreaterThan(first.energy);
  });
});
