/**
 * Hostile state files against the built `submeter serve --state` (issue 13, defects 10 and 13): a
 * 1 GiB state file is refused from its size (never read whole); a file with a good checksum whose
 * contents do not fit the meter is refused in words, never with JavaScript's internals.
 */
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STATE_FILE } from '../../src/meter/store/file-state-store.js';
import { METER_STATE_FORMAT_VERSION } from '../../src/meter/meter-state.js';
import { killCliChildren, runBuiltToEnd } from '../support/cli-runner.js';

const scratch = mkdtempSync(join(tmpdir(), 'submeter-hostile-state-'));
afterAll(() => {
  killCliChildren();
  rmSync(scratch, { recursive: true, force: true });
});

function sealed(body: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  const digest = createHash('sha256').update(bytes).digest('hex');
  return Buffer.concat([Buffer.from(`submeter-state v${METER_STATE_FORMAT_VERSION} bytes=${bytes.length} sha256=${digest}\n`), bytes]);
}

describe('state files', () => {
  it('a 1 GiB state file: one line naming the file and the limit, at once', async () => {
    const dir = join(scratch, 'huge');
    const file = join(dir, STATE_FILE);
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, '');
    truncateSync(file, 1024 * 1024 * 1024);
    const started = performance.now();
    const result = await runBuiltToEnd(['serve', '--tcp', '127.0.0.1:0', '--state', dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${file}: a state file is larger than the limit of 64 MiB (1024 MiB)`);
    expect(result.stderr.split('\n').every((line) => line.length < 500)).toBe(true);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('a sealed state whose fields are missing: refused in words, not "Cannot read properties of undefined"', async () => {
    const dir = join(scratch, 'hollow');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, STATE_FILE), sealed(JSON.stringify({ formatVersion: METER_STATE_FORMAT_VERSION, timeMs: 1, profile: { records: [] } })));
    const result = await runBuiltToEnd(['serve', '--tcp', '127.0.0.1:0', '--state', dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).not.toMatch(/Cannot read properties|undefined \(reading|is not a function|TypeError/);
    expect(result.stderr).toMatch(/refusing to start/);
  });
});
