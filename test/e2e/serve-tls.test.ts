/**
 * The built `submeter certs` and `submeter serve --tls` together, with clients we did not write:
 * Python's ssl module with a raw MBAP socket, `openssl s_client`, and pymodbus's asyncio TLS
 * client (Debian's 3.0.0rc1: with ModbusSocketFramer, MBAP inside TLS, it works; its default
 * ModbusTlsFramer sends the bare PDU without the MBAP header and gets no answer). The plain TCP
 * port of the same meter keeps serving alongside.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killCliChildren, runBuilt, runBuiltToEnd, type CliRun } from '../support/cli-runner.js';
import { runTool, skipWithoutTool } from '../support/external-tool.js';
import { PYTHON3, pythonHas, pythonScript } from '../support/python.js';
import { adu } from '../support/raw-tcp-client.js';
import { openSslAvailable } from '../support/test-pki.js';

const hasPymodbus = await pythonHas('pymodbus', 'ssl');
const dir = mkdtempSync(join(tmpdir(), 'submeter-e2e-tls-'));

describe.skipIf(skipWithoutTool(openSslAvailable && hasPymodbus))('submeter certs + submeter serve --tls', () => {
  let serve: CliRun;
  let port = 0;
  const file = (name: string): string => join(dir, name);

  beforeAll(async () => {
    const certs = await runBuiltToEnd(['certs', '--out', dir, '--host', 'localhost,127.0.0.1', '--client', 'reader:reader', '--client', 'operator:operator', '--client', 'admin:admin', '--client', 'anonymous']);
    expect(certs.stderr).toBe('');
    expect(certs.code).toBe(0);
    expect(certs.stdout).toMatch(/client .*admin\.pem .*\(role admin\)/);
    serve = runBuilt(['serve', '--profile', 'titan', '--tcp', '127.0.0.1:0', '--tls', '127.0.0.1:0', '--tls-cert', file('server.pem'), '--tls-key', file('server.key'), '--tls-ca', file('ca.pem'), '--speed', '3600', '--log-level', 'warn']);
    port = Number((await serve.waitFor(/modbus\/tls 127\.0\.0\.1:(\d+) unit 1 -> meter/))[1]);
    await serve.waitFor(/^ready in/m);
  }, 60_000);

  afterAll(async () => {
    await serve.stop();
    killCliChildren();
    rmSync(dir, { recursive: true, force: true });
  });

  const python = async (who: string, requests: [number, string][]): Promise<Record<string, unknown>> => {
    const run = await runTool(PYTHON3, [pythonScript('mbap_tls_client.py'), '127.0.0.1', String(port), file('ca.pem'), file(`${who}.pem`), file(`${who}.key`), JSON.stringify(requests)]);
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout) as Record<string, unknown>;
  };

  it('writes keys only its owner may read', () => {
    expect(statSync(file('admin.key')).mode & 0o777).toBe(0o600);
    expect(statSync(file('ca.key')).mode & 0o777).toBe(0o600);
  });

  it('a reader reads over TLS 1.3 and gets 01 writing a setting (Python ssl, raw MBAP)', async () => {
    const out = await python('reader', [[1, '03000b0001'], [1, '06000b0708']]);
    expect(out.version).toBe('TLSv1.3');
    expect(out.responses).toEqual(['0302' + (900).toString(16).padStart(4, '0'), '8601']);
  });

  it('an operator gets 01 resetting energy; an admin resets it after the password', async () => {
    const operator = await python('operator', [[1, '0600000' + '4d2'], [1, '0600210001']]);
    expect(operator.responses).toEqual(['06000004d2', '8601']);
    const admin = await python('admin', [[1, '0401000004'], [1, '06000004d2'], [1, '0600210001'], [1, '0401000004']]);
    const [before, unlock, reset, after] = (admin.responses as string[]).map((r) => Buffer.from(r, 'hex'));
    expect(unlock?.toString('hex')).toBe('06000004d2');
    expect(reset?.toString('hex')).toBe('0600210001');
    expect(after?.readDoubleBE(2)).toBeLessThan(before?.readDoubleBE(2) ?? 0);
  });

  it('a certificate without a role gets 01 for reads too (no --tls-default-role)', async () => {
    expect((await python('anonymous', [[1, '0400000002']])).responses).toEqual(['8401']);
  });

  it('answers openssl s_client with the admin certificate', async () => {
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', file('ca.pem'), '-cert', file('admin.pem'), '-key', file('admin.key'), '-quiet', '-verify_return_error'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const response = await new Promise<Buffer>((resolve, reject) => {
      let received = Buffer.alloc(0);
      child.stdout.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length >= 11) resolve(received);
      });
      child.on('error', reject);
      child.on('exit', () => resolve(received));
      child.stdin.write(adu(7, 1, [3, 0, 0x0b, 0, 1]));
    });
    child.kill();
    expect(response.toString('hex')).toBe('00070000000501' + '0302' + (900).toString(16).padStart(4, '0'));
  });

  it('pymodbus 3.0 TLS client: MBAP framer works (a reader gets 01 writing); its default TLS framer sends no MBAP header and gets no answer', async () => {
    const run = async (framer: string): Promise<Record<string, unknown>> => {
      const result = await runTool(PYTHON3, [pythonScript('pymodbus_tls_client.py'), '127.0.0.1', String(port), file('ca.pem'), file('reader.pem'), file('reader.key'), framer]);
      return JSON.parse(result.stdout) as Record<string, unknown>;
    };
    const socket = await run('socket');
    expect(socket.input).toHaveLength(2);
    expect(socket.write).toBe(1);
    const bare = await run('tls');
    expect(bare.input).toBeUndefined();
    expect(String(bare.error)).toMatch(/Timeout/);
  });

  it('still serves plain Modbus/TCP and stops cleanly', async () => {
    expect(serve.stdout()).toMatch(/modbus\/tcp 127\.0\.0\.1:\d+ unit 1 -> meter/);
    expect(serve.stderr()).toMatch(/function 6 not allowed for its role, exception 01/);
  });
});
