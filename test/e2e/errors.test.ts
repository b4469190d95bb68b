/** Start-up failures a user can cause: one line `submeter: ...`, a non-zero exit, no stack trace. */
import { once } from 'node:events';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killCliChildren, runBuiltToEnd } from '../support/cli-runner.js';

const scratch = mkdtempSync(join(tmpdir(), 'submeter-e2e-errors-'));
afterAll(() => {
  killCliChildren();
  rmSync(scratch, { recursive: true, force: true });
});

function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^submeter: /);
  expect(lines[0]).toMatch(pattern);
}

describe('one-line errors', () => {
  it('an unknown flag: exit 2', async () => {
    const result = await runBuiltToEnd(['serve', '--bogus']);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /unknown option '--bogus'/);
  });

  it('a bad flag value: exit 2, naming the flag and what it expects', async () => {
    const result = await runBuiltToEnd(['serve', '--count', 'many']);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /--count <n>.*'many'.*integer in 1\.\.100000/);
  });

  it('an unknown profile and an unknown scenario name what exists', async () => {
    const profile = await runBuiltToEnd(['serve', '--profile', 'sdm999', '--tcp', '127.0.0.1:0']);
    expect(profile.code).not.toBe(0);
    expectOneLine(profile.stderr, /profile "sdm999".*profiles: .*sdm630/);
    const source = await runBuiltToEnd(['serve', '--source', 'synthetic:factory', '--tcp', '127.0.0.1:0']);
    expect(source.code).not.toBe(0);
    expectOneLine(source.stderr, /source "synthetic:factory".*unknown synthetic scenario 'factory'.*office/);
  });

  it('a port in use (EADDRINUSE): exit 1', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const result = await runBuiltToEnd(['serve', '--tcp', `127.0.0.1:${port}`]);
    blocker.close();
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: address already in use`));
  });

  it('a missing serial device (ENOENT): exit 1', async () => {
    const result = await runBuiltToEnd(['serve', '--rtu', join(scratch, 'ttyUSB9')]);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /cannot open serial port .*ttyUSB9: no such file or device/);
  });

  it('a meter that cannot be reached by read: exit 1', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise((resolve) => server.close(resolve));
    const result = await runBuiltToEnd(['read', '--tcp', `127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /cannot connect to 127\.0\.0\.1:\d+: connection refused/);
  });

  it('--config with meter flags is refused', async () => {
    const result = await runBuiltToEnd(['serve', '--config', join(scratch, 'x.yaml'), '--count', '3']);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /--count cannot be combined with --config/);
  });
});
