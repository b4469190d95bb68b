/**
 * A panel from a config file, as a user runs it: a TCP meter, a gateway of two meters and a
 * two-meter RTU bus on a virtual serial pair (`submeter vpair`, socat); every meter read back
 * with `submeter read --json` over its own transport; state persisted on SIGTERM.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipWithoutTool, toolAvailable } from '../support/external-tool.js';
import { killCliChildren, readJson, runBuilt, runBuiltToEnd, valueOf } from '../support/cli-runner.js';

const scratch = mkdtempSync(join(tmpdir(), 'submeter-e2e-panel-'));
afterAll(() => {
  killCliChildren();
  rmSync(scratch, { recursive: true, force: true });
});

const socatAvailable = toolAvailable('socat', ['-V']);

describe.skipIf(skipWithoutTool(socatAvailable))('submeter serve --config: TCP meter, gateway, RTU bus', () => {
  it('serves every meter on its endpoint; each reads back with its own values; state is saved on exit', async () => {
    const meterEnd = join(scratch, 'bus');
    const masterEnd = join(scratch, 'bms');
    const vpair = runBuilt(['vpair', '--link-a', meterEnd, '--link-b', masterEnd, '--json']);
    await vpair.waitFor(/^\{.*\}$/m);

    const config = join(scratch, 'panel.yaml');
    writeFileSync(
      config,
      [
        'state: state',
        'defaults: { profile: sdm630, source: "synthetic:office" }',
        'meters:',
        '  incomer: { profile: titan, source: "synthetic:balanced-resistive", serialNumber: 31000001 }',
        '  shop-a: { serialNumber: 31000002, seed: 7 }',
        '  shop-b: { serialNumber: 31000003, seed: 8 }',
        '  pump-1: { serialNumber: 31000004, seed: 9 }',
        '  pump-2: { serialNumber: 31000005, seed: 10 }',
        'endpoints:',
        '  - tcp: 127.0.0.1:0',
        '    units: { 1: incomer }',
        '  - tcp: 127.0.0.1:0',
        '    gateway: true',
        '    units: { 1: shop-a, 2: shop-b }',
        `  - rtu: ${meterEnd}`,
        '    baud: 9600',
        '    parity: none',
        '    units: { 21: pump-1, 22: pump-2 }',
        '',
      ].join('\n'),
    );
    const serve = runBuilt(['serve', '--config', config, '--log-level', 'warn']);
    await serve.waitFor(/^ready in/m);
    const [, incomerPort] = /modbus\/tcp 127\.0\.0\.1:(\d+) unit 1 -> incomer/.exec(serve.stdout()) ?? [];
    const [, gatewayPort] = /modbus\/tcp 127\.0\.0\.1:(\d+) gateway units 1 -> shop-a, 2 -> shop-b/.exec(serve.stdout()) ?? [];
    expect(serve.stdout()).toMatch(/modbus\/rtu .*bus 9600 8N1 units 21 -> pump-1, 22 -> pump-2/);
    expect(incomerPort).toBeDefined();
    expect(gatewayPort).toBeDefined();

    const incomer = await readJson(['--tcp', `127.0.0.1:${incomerPort ?? ''}`, '--profile', 'titan', '--match', 'L1']);
    expect(valueOf(incomer, 'voltage.l1')).toBeGreaterThan(200);
    expect(valueOf(incomer, 'powerFactor.l1')).toBeGreaterThan(0.99); // resistive

    const reads = [];
    for (const unit of ['1', '2']) reads.push(await readJson(['--tcp', `127.0.0.1:${gatewayPort ?? ''}`, '--unit', unit, '--profile', 'sdm630']));
    for (const unit of ['21', '22']) {
      reads.push(await readJson(['--rtu', masterEnd, '--baud', '9600', '--parity', 'none', '--unit', unit, '--profile', 'sdm630', '--timeout', '2000']));
    }
    const serials = reads.map((r) => r.values.find((v) => v.name === 'Serial number')?.value);
    expect(serials).toEqual([31000002, 31000003, 31000004, 31000005]);
    const powers = reads.map((r) => valueOf(r, 'power.active.total'));
    expect(new Set(powers.map((p) => p.toFixed(3))).size).toBe(4); // four seeds, four loads
    for (const p of powers) expect(p).toBeGreaterThan(0); // office load imports

    // A unit the gateway does not have: exception 0B on every request, one line and exit 1.
    const absent = await runBuiltToEnd(['read', '--tcp', `127.0.0.1:${gatewayPort ?? ''}`, '--unit', '3', '--profile', 'sdm630', '--match', 'volts', '--json']);
    expect(absent.code).toBe(1);
    expect(absent.stderr.trim().split('\n')).toHaveLength(1);
    expect(absent.stderr).toMatch(/unit 3 .* answered only exceptions: exception 0b \(gateway target device failed to respond\)/);

    expect(await serve.stop('SIGTERM')).toBe(0);
    expect(readdirSync(join(scratch, 'state')).sort()).toEqual(['incomer', 'pump-1', 'pump-2', 'shop-a', 'shop-b']);
    expect(existsSync(join(scratch, 'state', 'pump-2', 'meter-state.json'))).toBe(true);
    expect(await vpair.stop('SIGINT')).toBe(0);
  });
});

describe('submeter serve --config: bad files point at the line', () => {
  it.each([
    ['meters:\n  a: { profile: sdm630, serialNumber: -4 }\nendpoints:\n  - tcp: 127.0.0.1:0\n    units: { 1: a }\n', /panel\.yaml:2: meters\.a\.serialNumber: /],
    ['meters:\n  a: {}\nendpoints:\n  - tcp: 127.0.0.1:0\n    units: { 1: b }\n', /panel\.yaml:5: endpoints\[0\]\.units\.1: no meter named "b"/],
    ['meters:\n  a: {}\nendpoints:\n  - tcp: 127.0.0.1:0\n    units: { 1: a }\n    baud: 9600\n', /panel\.yaml:6: endpoints\[0\]\.baud: unknown field "baud"/],
    ['meters:\n  a: { profile: nope }\nendpoints:\n  - tcp: 127.0.0.1:0\n    units: { 1: a }\n', /panel\.yaml:2: meters\.a: unknown profile "nope" \(profiles: /],
    ['meters:\n  a: {}\n  a: {}\n', /panel\.yaml:3: YAML: /],
  ])('%#: one line naming file, line and field, exit 2', async (text, message) => {
    const file = join(scratch, 'panel.yaml');
    writeFileSync(file, text);
    const result = await runBuiltToEnd(['serve', '--config', file]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/^submeter: /);
  });
});
