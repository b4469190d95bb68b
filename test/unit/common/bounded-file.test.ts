import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileTooLargeError, MiB, readFileWithin, readFileWithinAsync, readTextFileWithin } from '../../../src/common/bounded-file.js';

const dir = mkdtempSync(join(tmpdir(), 'submeter-bounded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading a file within a size limit', () => {
  it('reads a file at the limit whole', () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, 'x'.repeat(1000));
    expect(readTextFileWithin(file, 1000, 'a map')).toHaveLength(1000);
  });

  it('refuses a 1 GiB (sparse) file from its size, in one line naming the file and the limit, without reading it', async () => {
    const file = join(dir, 'huge.state');
    writeFileSync(file, '');
    truncateSync(file, 1024 * MiB);
    const started = performance.now();
    expect(() => readFileWithin(file, 64 * MiB, 'a state file')).toThrow(`${file}: a state file is larger than the limit of 64 MiB (1024 MiB)`);
    await expect(readFileWithinAsync(file, 64 * MiB, 'a state file')).rejects.toBeInstanceOf(FileTooLargeError);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('stops one byte past the limit on a file whose size says nothing (/dev/zero)', async () => {
    expect(() => readFileWithin('/dev/zero', MiB, 'a config')).toThrow('/dev/zero: a config is larger than the limit of 1 MiB (more than that)');
    await expect(readFileWithinAsync('/dev/zero', MiB, 'a config')).rejects.toThrow(/larger than the limit of 1 MiB/);
  });

  it('passes file-system errors through', () => {
    expect(() => readFileWithin(join(dir, 'absent'), 10, 'a map')).toThrow(/ENOENT/);
  });
});
