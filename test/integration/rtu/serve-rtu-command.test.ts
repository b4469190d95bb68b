import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killCliChildren, runCli } from '../../support/cli-runner.js';
import { skipWithoutTool } from '../../support/external-tool.js';
import { ModbusRTU } from '../../support/modbus-serial.js';
import { socatAvailable } from '../../support/rtu-pty.js';

const scratch = mkdtempSync(join(tmpdir(), 'submeter-rtu-cli-'));

afterAll(() => {
  killCliChildren();
  rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(skipWithoutTool(socatAvailable))('submeter vpair + submeter serve --rtu', () => {
  it('serves two meters on one end of the pair; a client polls the other; both exit cleanly and the links go', async () => {
    const linkA = join(scratch, 'meter');
    const linkB = join(scratch, 'master');
    const vpair = runCli(['vpair', '--link-a', linkA, '--link-b', linkB, '--json']);
    const [line] = await vpair.waitFor(/^\{.*\}$/m);
    const paths = JSON.parse(line) as { a: string; b: string; ptyA: string; ptyB: string };
    expect(paths.a).toBe(linkA);
    expect(paths.ptyA).toMatch(/^\/dev\/pts\/\d+$/);
    expect(existsSync(linkA) && existsSync(linkB)).toBe(true);

    const serve = runCli(['serve', '--profile', 'demo', '--rtu', linkA, '--baud', '9600', '--parity', 'odd', '--unit', '5-6']);
    await serve.waitFor(/modbus\/rtu .* 9600 8O1 units 5 -> meter-1, 6 -> meter-2/);
    expect(serve.stdout()).not.toMatch(/modbus\/tcp/);

    const client = new ModbusRTU();
    await client.connectRTUBuffered(linkB, { baudRate: 9600, parity: 'odd' });
    client.setTimeout(2000);
    try {
      for (const unit of [5, 6]) {
        client.setID(unit);
        // the demonstration device: input register a = 1000 + a
        expect((await client.readInputRegisters(3, 2)).data).toEqual([1003, 1004]);
      }
      client.setID(5);
      await client.writeRegister(7, 77);
      expect((await client.readHoldingRegisters(7, 1)).data).toEqual([77]);
      client.setID(6);
      expect((await client.readHoldingRegisters(7, 1)).data).toEqual([0]); // its own device
    } finally {
      await new Promise<void>((resolve) => client.close(() => resolve()));
    }

    serve.child.kill('SIGTERM');
    expect(await serve.exit).toBe(0);
    vpair.child.kill('SIGINT');
    expect(await vpair.exit).toBe(0);
    expect(existsSync(linkA) || existsSync(linkB)).toBe(false);
  });
});

describe('submeter serve --rtu: bad settings are one clear line and a non-zero exit', () => {
  it.each([
    [['--rtu', '/dev/null', '--parity', 'mark'], /--parity.*mark.*none, even, odd/],
    [['--rtu', '/dev/null', '--baud', '300'], /--baud.*1200\.\.230400/],
    [['--rtu', '/dev/null', '--unit', '0'], /--unit.*outside 1\.\.247/],
    [['--rtu', '/dev/null', '--stop-bits', '3'], /--stop-bits.*1 or 2/],
    [['--rtu', join(scratch, 'no-such-port')], /cannot open serial port .*no-such-port/],
  ])('serve %j', async (args, message) => {
    const run = runCli(['serve', ...args]);
    const code = await run.exit;
    expect(code).not.toBe(0);
    expect(run.stderr()).toMatch(message);
    expect(run.stderr()).not.toMatch(/\n\s+at /); // no stack trace
  });
});
