/**
 * `submeter map --check-definition FILE --tcp HOST:PORT`: a running meter (the built CLI's
 * `serve`) checked against the independent definition tables of test/fixtures/definitions, and a
 * table with a mistake in it reported register by register with exit code 1.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killCliChildren, runBuilt, runBuiltToEnd } from '../support/cli-runner.js';

const DEFINITIONS = join(import.meta.dirname, '..', 'fixtures', 'definitions');
const scratch = mkdtempSync(join(tmpdir(), 'submeter-e2e-definition-'));
afterAll(() => {
  killCliChildren();
  rmSync(scratch, { recursive: true, force: true });
});

function registerCount(file: string): number {
  return readFileSync(join(DEFINITIONS, file), 'utf8').split('\n').filter((line) => /^\s+- \{ name: /.test(line)).length;
}

describe('submeter map --check-definition against a running meter', () => {
  it('sdm630: every register of the table agrees; a wrong scale and a wrong address are reported', async () => {
    const serve = runBuilt(['serve', '--profile', 'sdm630', '--tcp', '127.0.0.1:0', '--log-level', 'warn']);
    const [, port] = await serve.waitFor(/modbus\/tcp 127\.0\.0\.1:(\d+)/);
    await serve.waitFor(/^ready/m);

    const good = await runBuiltToEnd(['map', '--check-definition', join(DEFINITIONS, 'sdm630.yaml'), '--tcp', `127.0.0.1:${port}`]);
    expect(good.stderr).toBe('');
    const count = registerCount('sdm630.yaml');
    expect(count).toBeGreaterThan(100);
    expect(good.stdout).toContain(`${count} of ${count} registers agree with the definition`);
    expect(good.stdout).not.toMatch(/^FAIL/m);
    expect(good.code).toBe(0);

    const wrong = readFileSync(join(DEFINITIONS, 'sdm630.yaml'), 'utf8')
      .replace('address: 0x0048, type: float32, unit: kWh', 'address: 0x0048, type: float32, unit: Wh')
      .replace('name: Frequency, function: 4, address: 0x0046', 'name: Frequency, function: 4, address: 0x0044');
    const wrongFile = join(scratch, 'sdm630-wrong.yaml');
    writeFileSync(wrongFile, wrong);
    const bad = await runBuiltToEnd(['map', '--check-definition', wrongFile, '--tcp', `127.0.0.1:${port}`]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL input 0x0048 Import active energy: value differs/m);
    expect(bad.stdout).toMatch(/^FAIL input 0x0044 Frequency: no register of map sdm630 starts at input 68/m);
    expect(bad.stdout).toContain(`${count - 2} of ${count} registers agree with the definition`);
    expect(await serve.stop()).toBe(0);
  });

  it('sunspec model 213 (served with --option model=213): every register agrees', async () => {
    const serve = runBuilt(['serve', '--profile', 'sunspec', '--option', 'model=213', '--tcp', '127.0.0.1:0', '--log-level', 'warn']);
    const [, port] = await serve.waitFor(/modbus\/tcp 127\.0\.0\.1:(\d+)/);
    await serve.waitFor(/^ready/m);
    const run = await runBuiltToEnd(['map', '--check-definition', join(DEFINITIONS, 'sunspec-213.yaml'), '--tcp', `127.0.0.1:${port}`]);
    const count = registerCount('sunspec-213.yaml');
    expect(run.stdout).toContain(`${count} of ${count} registers agree with the definition`);
    expect(run.code).toBe(0);
    expect(await serve.stop()).toBe(0);
  });

  it('refuses --check-definition without --tcp', async () => {
    const run = await runBuiltToEnd(['map', '--check-definition', join(DEFINITIONS, 'em24.yaml')]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--check-definition needs --tcp/);
  });
});
