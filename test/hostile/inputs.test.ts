/**
 * Hostile and careless inputs against the built `submeter` (issue 13, defects 10 and 13): every
 * one ends in clear lines on stderr (file:line, the limit) and exit 2, or a 400 from the control
 * API; none crashes, hangs, prints a huge line or quotes a file it was not meant to show.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killCliChildren, runBuilt, runBuiltToEnd } from '../support/cli-runner.js';
import { aliasBombYaml } from '../support/hostile-inputs.js';

const dir = mkdtempSync(join(tmpdir(), 'submeter-hostile-'));
afterAll(() => {
  killCliChildren();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '');
}

describe('YAML alias bombs', () => {
  it('a panel config: one line with file:line, exit 2', async () => {
    const config = file('bomb-config.yaml', aliasBombYaml('meters'));
    const result = await runBuiltToEnd(['serve', '--config', config]);
    expect(result.code).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([`submeter: ${config}:2: YAML: aliases expand too often (more than 100 times; an alias bomb?)`]);
  });

  it('a register map: the same through map --file', async () => {
    const map = file('bomb-map.yaml', aliasBombYaml('registers'));
    const result = await runBuiltToEnd(['map', '--file', map]);
    expect(result.code).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([`submeter: ${map}:2: YAML: aliases expand too often (more than 100 times; an alias bomb?)`]);
  });

  it('a timeline posted to the control API: 400 naming the line, and the server keeps serving', async () => {
    const serve = runBuilt(['serve', '--profile', 'demo', '--tcp', '127.0.0.1:0', '--control', '127.0.0.1:0']);
    const [, url] = await serve.waitFor(/control API (http:\/\/127\.0\.0\.1:\d+)/);
    await serve.waitFor(/^ready/m);
    const response = await fetch(`${url}/timeline?name=bomb.yaml`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: aliasBombYaml('steps') });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/bomb\.yaml:2: YAML: aliases expand too often/);
    expect((await fetch(`${url}/meters`)).status).toBe(200);
    expect(await serve.stop()).toBe(0);
  });
});

describe('size limits', () => {
  it('a 1 GiB panel config is refused from its size in one line, at once', async () => {
    const config = file('huge.yaml', '');
    truncateSync(config, 1024 * 1024 * 1024);
    const result = await runBuiltToEnd(['serve', '--config', config]);
    expect(result.code).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([`submeter: ${config}: a panel config is larger than the limit of 64 MiB (1024 MiB)`]);
  });

  it('a 5 MiB register map is refused the same way', async () => {
    const map = file('huge-map.yaml', '');
    truncateSync(map, 5 * 1024 * 1024);
    const result = await runBuiltToEnd(['map', '--file', map]);
    expect(result.code).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([`submeter: ${map}: a register map is larger than the limit of 4 MiB (5 MiB)`]);
  });

  it('a config with a 10 MB string: one short line naming the line and the limit', async () => {
    const config = file('long-string.yaml', `meters:\n  a:\n    source: "${'z'.repeat(10_000_000)}"\nendpoints:\n  - tcp: 127.0.0.1:0\n    meters: [a]\n`);
    const result = await runBuiltToEnd(['serve', '--config', config]);
    expect(result.code).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([`submeter: ${config}:3: YAML: a string of 10000000 characters is longer than the limit of 65536`]);
  });
});

describe('messages', () => {
  it('map --file prints every problem on its own line, address: abc and scale: 1e400 as what they are', async () => {
    const map = file(
      'bad-map.yaml',
      [
        'profile: bad',
        'title: Bad map',
        'registers:',
        '  - { name: a, address: abc, space: input, type: u16, quantity: voltage_l1 }',
        '  - { name: b, address: 1, space: input, type: u16, scale: 1e400, quantity: voltage_l1 }',
        '',
      ].join('\n'),
    );
    const result = await runBuiltToEnd(['map', '--file', map]);
    expect(result.code).toBe(2);
    const lines = stderrLines(result.stderr);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((line) => line.startsWith(`submeter: ${map}:`))).toBe(true);
    expect(lines).toContain(`submeter: ${map}:4: registers["a"].address: Invalid input: expected number, received string`);
    expect(lines).toContain(`submeter: ${map}:5: registers["b"].scale: Invalid input: expected number, received Infinity`);
    expect(result.stderr).not.toMatch(/required field is missing/);
  });

  it('a non-COMTRADE file given as a source is named as such, its content not quoted', async () => {
    const secret = file('secret.cfg', 'root:x:0:0:root:/root:/bin/bash\nhunter2:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n');
    const result = await runBuiltToEnd(['serve', '--tcp', '127.0.0.1:0', '--source', `comtrade:${secret}`]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/not a COMTRADE configuration/);
    expect(result.stderr).not.toMatch(/hunter2|root:x|nologin/);
  });
});
