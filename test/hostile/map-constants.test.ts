/**
 * `submeter map --file` (the built CLI) with constants that do not fit their register type: before,
 * u16 70000, u16 -1 and i16 1e300 were accepted and silently clamped on the wire.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../support/hostile-serve.js';

const scratch = mkdtempSync(join(tmpdir(), 'submeter-hostile-map-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('map --file with out-of-range constants', () => {
  it.each([
    ['u16', '70000', '70000 does not fit a u16 register (0..65535)'],
    ['u16', '-1', '-1 does not fit a u16 register (0..65535)'],
    ['i16', '1e300', '1e+300 does not fit a i16 register (-32768..32767)'],
    ['u32', '4294967296', '4294967296 does not fit a u32 register (0..4294967295)'],
    ['f32', '1e39', '1e+39 does not fit a f32 register (-3.4028234663852886e+38..3.4028234663852886e+38)'],
  ])('%s %s: exit 2, one line with file, line, register and field', async (type, value, message) => {
    const file = join(scratch, `constant-${type}-${value}.yaml`);
    writeFileSync(file, ['profile: hostile', 'title: hostile constants', 'defaults: { space: input, type: u16 }', 'registers:', '  - { name: Fine, address: 0, value: 1 }', `  - { name: Marker, address: 1, type: ${type}, value: ${value} }`, ''].join('\n'));
    const run = runBuiltCli(['map', '--file', file]);
    expect(await run.exit).toBe(2);
    expect(run.stdout()).toBe('');
    expect(run.stderr().trim().split('\n')).toEqual([`submeter: ${file}:6: registers["Marker"].value: ${message}`]);
  });

  it('a constant that fits after its scale (u16 655.35 x 100) is accepted', async () => {
    const file = join(scratch, 'fits.yaml');
    writeFileSync(file, ['profile: fine', 'title: fine constants', 'defaults: { space: input, type: u16 }', 'registers:', '  - { name: Max, address: 0, value: 655.35, scale: 100 }', ''].join('\n'));
    const run = runBuiltCli(['map', '--file', file, '--format', 'csv']);
    expect(await run.exit).toBe(0);
  });
});
