import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTcpEndpoint } from '../../../src/runtime/endpoints/tcp-address.js';
import { killCliChildren, runCli } from '../../support/cli-runner.js';
import { RawTcpClient } from '../../support/raw-tcp-client.js';

afterAll(() => {
  killCliChildren();
});

describe('submeter serve --tcp', () => {
  it('serves the demonstration device, prints an mbpoll command, exits 0 on SIGTERM', async () => {
    const run = runCli(['serve', '--profile', 'demo', '--tcp', '127.0.0.1:0']);
    const [, port] = await run.waitFor(/modbus\/tcp 127\.0\.0\.1:(\d+)/);
    expect(run.stdout()).toMatch(new RegExp(`mbpoll -m tcp -p ${port} -a 1 .* 127\\.0\\.0\\.1`));
    const client = await RawTcpClient.connect(Number(port));
    const r = await client.request(1, 1, [0x04, 0, 0, 0, 3]);
    expect([r.pdu.readUInt16BE(2), r.pdu.readUInt16BE(4), r.pdu.readUInt16BE(6)]).toEqual([1000, 1001, 1002]);
    const floats = await client.request(2, 1, [0x04, 0, 100, 0, 6]);
    expect([floats.pdu.readFloatBE(2), floats.pdu.readFloatBE(6), floats.pdu.readFloatBE(10)]).toEqual([230, 5, 50]);
    client.close();
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('exits 0 on SIGINT too', async () => {
    const run = runCli(['serve', '--profile', 'demo', '--tcp', '127.0.0.1:0']);
    await run.waitFor(/^ready/m);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
  });

  it('reports a port in use in one line and exits non-zero', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const run = runCli(['serve', '--profile', 'demo', '--tcp', `127.0.0.1:${port}`]);
    const code = await run.exit;
    blocker.close();
    expect(code).not.toBe(0);
    expect(run.stderr().trim().split('\n')).toEqual([`submeter: cannot listen on 127.0.0.1:${port}: address already in use (another program, or another submeter, is listening there)`]);
  });

  it('refuses a malformed endpoint with a message naming the option', async () => {
    const run = runCli(['serve', '--tcp', 'localhost']);
    expect(await run.exit).not.toBe(0);
    expect(run.stderr()).toMatch(/^submeter: --tcp localhost: expected HOST:PORT, e\.g\. 127\.0\.0\.1:1502$/m);
  });
});

describe('parseTcpEndpoint', () => {
  it('parses host:port, [v6]:port, :port and port', () => {
    expect(parseTcpEndpoint('0.0.0.0:502')).toEqual({ host: '0.0.0.0', port: 502 });
    expect(parseTcpEndpoint('[::1]:1502')).toEqual({ host: '::1', port: 1502 });
    expect(parseTcpEndpoint(':1503')).toEqual({ host: '127.0.0.1', port: 1503 });
    expect(parseTcpEndpoint('1504')).toEqual({ host: '127.0.0.1', port: 1504 });
    expect(() => parseTcpEndpoint('host:70000')).toThrow(/outside 0..65535/);
  });
});

describe('submeter serve --option', () => {
  it('serves SunSpec model 213 when asked with --option model=213 (the meter model id at 40070, float32 values)', async () => {
    const run = runCli(['serve', '--profile', 'sunspec', '--option', 'model=213', '--tcp', '127.0.0.1:0']);
    const [, port] = await run.waitFor(/modbus\/tcp 127\.0\.0\.1:(\d+)/);
    const client = await RawTcpClient.connect(Number(port));
    const header = await client.request(1, 1, [0x03, 40070 >> 8, 40070 & 0xff, 0, 2]);
    expect([header.pdu.readUInt16BE(2), header.pdu.readUInt16BE(4)]).toEqual([213, 124]);
    const end = await client.request(2, 1, [0x03, 40196 >> 8, 40196 & 0xff, 0, 2]);
    expect([end.pdu.readUInt16BE(2), end.pdu.readUInt16BE(4)]).toEqual([0xffff, 0]);
    client.close();
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('refuses an option the profile does not have, naming it', async () => {
    const run = runCli(['serve', '--profile', 'sunspec', '--option', 'colour=red', '--tcp', '127.0.0.1:0']);
    expect(await run.exit).not.toBe(0);
    expect(run.stderr()).toMatch(/no option "colour"/);
  });
});
