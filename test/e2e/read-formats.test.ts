/**
 * `submeter read --watch --format line|csv|json` against a served meter (the built command): one
 * line per poll with the chosen quantities, and `--changes` printing only what changed. The
 * energy register counts up between polls; the serial number never changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killCliChildren, runBuilt, runBuiltToEnd, type CliRun } from '../support/cli-runner.js';

let served: CliRun;
let meter = '';
const QUANTITIES = 'identity.serialNumber,energy.total.activeImportWh,voltage.l1';

beforeAll(async () => {
  served = runBuilt(['serve', '--tcp', '127.0.0.1:0', '--serial', '24000042', '--log-level', 'warn']);
  meter = `127.0.0.1:${(await served.waitFor(/modbus\/tcp 127\.0\.0\.1:(\d+)/))[1] ?? ''}`;
  await served.waitFor(/^ready/m);
}, 60_000);

afterAll(async () => {
  await served.stop();
  killCliChildren();
});

/** `read --watch` until it has printed `lines` lines, then Ctrl-C: the lines and the exit code. */
async function watch(args: readonly string[], lines: number): Promise<{ lines: string[]; code: number | null }> {
  const run = runBuilt(['read', '--tcp', meter, '--watch', '--interval', '0.3', ...args]);
  await run.waitFor(new RegExp(`^(?:.*\\n){${lines}}`));
  const code = await run.stop('SIGINT');
  return { lines: run.stdout().split('\n').filter((l) => l !== '').slice(0, lines), code };
}

/** "key=valueUNIT" pairs of a line. */
function pairs(line: string): Map<string, string> {
  return new Map(line.split(' ').slice(1).map((pair) => pair.split('=', 2) as [string, string]));
}

describe('submeter read --format', () => {
  it('line: one line per poll, the time then quantity=valueUNIT', async () => {
    const { lines, code } = await watch(['--format', 'line', '--quantities', QUANTITIES], 3);
    expect(code).toBe(0);
    for (const line of lines) {
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z /);
      const values = pairs(line);
      expect([...values.keys()].sort()).toEqual(['energy.total.activeImportWh', 'identity.serialNumber', 'voltage.l1']);
      expect(values.get('identity.serialNumber')).toBe('24000042');
      expect(Number(values.get('voltage.l1')?.replace(/V$/, ''))).toBeGreaterThan(200); // office: 230 V +- 2 %
      expect(Number(values.get('voltage.l1')?.replace(/V$/, ''))).toBeLessThan(260);
      expect(values.get('energy.total.activeImportWh')).toMatch(/^[\d.]+Wh$/);
    }
  });

  it('line --changes: the serial number once, then only the energy that counts up', async () => {
    const { lines } = await watch(['--format', 'line', '--quantities', 'identity.serialNumber,energy.total.activeImportWh', '--changes'], 3);
    expect(pairs(lines[0] ?? '').get('identity.serialNumber')).toBe('24000042');
    const energies = lines.map((line) => Number(pairs(line).get('energy.total.activeImportWh')?.replace(/Wh$/, '')));
    for (const line of lines.slice(1)) expect([...pairs(line).keys()]).toEqual(['energy.total.activeImportWh']);
    expect(energies[1]).toBeGreaterThan(energies[0] ?? Number.POSITIVE_INFINITY);
    expect(energies[2]).toBeGreaterThan(energies[1] ?? Number.POSITIVE_INFINITY);
  });

  it('csv: a header with units, then one row per poll; --changes leaves unchanged cells empty', async () => {
    const { lines } = await watch(['--format', 'csv', '--quantities', QUANTITIES, '--changes'], 3);
    const header = (lines[0] ?? '').split(',');
    expect(header[0]).toBe('time');
    expect(header.slice(1).sort()).toEqual(['energy.total.activeImportWh [Wh]', 'identity.serialNumber', 'voltage.l1 [V]']);
    const serial = header.indexOf('identity.serialNumber');
    const energy = header.indexOf('energy.total.activeImportWh [Wh]');
    const first = (lines[1] ?? '').split(',');
    const second = (lines[2] ?? '').split(',');
    expect(first).toHaveLength(4);
    expect(first[serial]).toBe('24000042');
    expect(second[serial]).toBe(''); // unchanged
    expect(Number(second[energy])).toBeGreaterThan(Number(first[energy]));
  });

  it('json: one object per poll with only the chosen quantities; --json is the same format', async () => {
    const { lines } = await watch(['--format', 'json', '--quantities', 'voltage.l1,identity.serialNumber'], 2);
    for (const line of lines) {
      const poll = JSON.parse(line) as { unit: number; values: { quantity: string; value: number }[]; errors: unknown[] };
      expect(poll.unit).toBe(1);
      expect(poll.values.map((v) => v.quantity).sort()).toEqual(['identity.serialNumber', 'voltage.l1']);
      expect(poll.errors).toEqual([]);
    }
    const once = await runBuiltToEnd(['read', '--tcp', meter, '--json', '--quantities', 'identity.serialNumber']);
    expect(once.code).toBe(0);
    expect((JSON.parse(once.stdout) as { values: { value: number }[] }).values.map((v) => v.value)).toEqual([24000042]);
  });

  it('table stays the default: the block with its heading', async () => {
    const once = await runBuiltToEnd(['read', '--tcp', meter, '--quantities', 'voltage.l1']);
    expect(once.code).toBe(0);
    const [heading, row] = once.stdout.trim().split('\n');
    expect(heading).toMatch(/^titan unit 1 on tcp 127\.0\.0\.1:\d+ at /);
    expect(row).toMatch(/^input\s+0\s+.*\s2[0-9]{2}\.\d+\s+V$/);
  });
});
