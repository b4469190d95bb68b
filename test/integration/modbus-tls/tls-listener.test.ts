/**
 * The Modbus/TCP Security listener (src/modbus/tls) through real TLS sockets: Python's ssl module
 * with a raw MBAP socket and `openssl s_client` as clients we did not write; certificates made
 * with the openssl command line. Every refusal (no certificate, expired, other CA, wrong key
 * usage, no clientAuth, TLS 1.1, plain Modbus) closes that connection only: a client connected
 * before keeps being served.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { allowEverything, refuseEverything, type RequestAuthorizer } from '../../../src/modbus/request-authorizer.js';
import { ModbusTlsServer } from '../../../src/modbus/tls/tls-server.js';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { runTool, skipWithoutTool } from '../../support/external-tool.js';
import { PYTHON3, pythonScript, pythonHas } from '../../support/python.js';
import { openSslAvailable, TestPki, type CertificateFiles } from '../../support/test-pki.js';
import { TlsMbapClient } from '../../support/tls-mbap-client.js';
import { adu } from '../../support/raw-tcp-client.js';

const hasPython = await pythonHas('ssl');
const readsOnly: RequestAuthorizer = { allows: (_unit, pdu, start) => [1, 2, 3, 4, 43].includes(pdu[start] ?? 0) };

describe.skipIf(skipWithoutTool(openSslAvailable && hasPython))('Modbus/TCP Security listener', () => {
  let pki: TestPki;
  let server: ModbusTlsServer;
  let port = 0;
  let bystander: TlsMbapClient;
  const device = new MemoryDevice({ inputRegisters: { start: 0, count: 100 }, holdingRegisters: { start: 0, count: 100 } });
  for (let i = 0; i < 100; i += 1) device.setInputRegister(i, 1000 + i);
  const roles = new Map<string, CertificateFiles>();
  const peersSeen: (string | undefined)[] = [];

  beforeAll(async () => {
    pki = new TestPki();
    roles.set('reader', pki.client('reader-1', { role: 'reader' }));
    roles.set('admin', pki.client('admin-1', { role: 'admin' }));
    roles.set('none', pki.client('no-role'));
    server = new ModbusTlsServer({
      router: device,
      cert: readFileSync(pki.server.cert),
      key: readFileSync(pki.server.key),
      ca: readFileSync(pki.ca.cert),
      authorize: (peer) => {
        peersSeen.push(peer.role);
        return peer.role === 'admin' ? allowEverything : peer.role === 'reader' ? readsOnly : refuseEverything;
      },
    });
    port = (await server.listen(0)).port;
    bystander = await TlsMbapClient.connect(port, pki.ca.cert, roles.get('reader') ?? pki.server);
  }, 30_000);

  afterAll(async () => {
    bystander.close();
    await server.close();
    pki.remove();
  });

  async function python(client: CertificateFiles | undefined, requests: [number, string][], ...options: string[]): Promise<Record<string, unknown>> {
    const run = await runTool(PYTHON3, [
      pythonScript('mbap_tls_client.py'), '127.0.0.1', String(port), pki.ca.cert, client?.cert ?? '-', client?.key ?? '-', JSON.stringify(requests), ...options,
    ]);
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout) as Record<string, unknown>;
  }

  async function bystanderStillServed(): Promise<void> {
    expect((await bystander.request(1, [4, 0, 7, 0, 1])).toString('hex')).toBe('040203ef'); // 1007
  }

  it('serves MBAP inside TLS 1.3 to Python ssl with a raw socket, the role read from the certificate', async () => {
    const out = await python(roles.get('reader'), [[1, '0400000002'], [1, '0300000001']]);
    expect(out.version).toBe('TLSv1.3');
    expect(out.responses).toEqual(['040403e803e9', '03020000']);
    expect(peersSeen).toContain('reader');
  });

  it('speaks TLS 1.2 too, and resumes sessions', async () => {
    const out = await python(roles.get('reader'), [[1, '0400050001']], '--max-version', 'TLSv1_2', '--resume');
    expect(out.version).toBe('TLSv1.2');
    expect(out.responses).toEqual(['040203ed']);
    expect(out.reused).toBe(true);
    expect(out.resumed_responses).toEqual(['040203ed']);
  });

  it('answers exception 01 to what the role may not do, and counts it', async () => {
    const before = server.deniedCount;
    const reader = await python(roles.get('reader'), [[1, '0600010007'], [1, '0400000001']]);
    expect(reader.responses).toEqual(['8601', '040203e8']);
    const none = await python(roles.get('none'), [[1, '0400000001']]);
    expect(none.responses).toEqual(['8401']);
    const admin = await python(roles.get('admin'), [[1, '0600010007']]);
    expect(admin.responses).toEqual(['0600010007']);
    expect(device.getHoldingRegister(1)).toBe(7);
    expect(server.deniedCount - before).toBe(2);
  });

  it('is reachable with openssl s_client', async () => {
    const reader = roles.get('reader') ?? pki.server;
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', pki.ca.cert, '-cert', reader.cert, '-key', reader.key, '-quiet', '-verify_return_error'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const response = await new Promise<Buffer>((resolve, reject) => {
      let received = Buffer.alloc(0);
      child.stdout.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length >= 13) resolve(received);
      });
      child.on('error', reject);
      child.on('exit', () => resolve(received));
      child.stdin.write(adu(0x1234, 1, [4, 0, 2, 0, 2]));
    });
    child.kill();
    expect(response.toString('hex')).toBe('12340000000701' + '040403ea03eb');
  });

  const refusals: [string, () => Promise<Record<string, unknown>>][] = [
    ['no client certificate', () => python(undefined, [[1, '0400000001']])],
    ['an expired certificate', () => python(pki.client('expired', { role: 'admin', expired: true }), [[1, '0400000001']])],
    ['a certificate from another CA', () => python(pki.client('stranger', { role: 'admin', otherCa: true }), [[1, '0400000001']])],
    ['a certificate without clientAuth', () => python(pki.client('server-only', { role: 'admin', extendedKeyUsage: 'serverAuth' }), [[1, '0400000001']])],
    ['a key usage without digitalSignature', () => python(pki.client('wrong-usage', { role: 'admin', keyUsage: 'critical,nonRepudiation' }), [[1, '0400000001']])],
    ['TLS 1.1', () => python(roles.get('admin'), [[1, '0400000001']], '--max-version', 'TLSv1_1')],
  ];
  for (const [what, attempt] of refusals) {
    it(`refuses ${what} without disturbing a connected client`, async () => {
      const before = server.refusedCount;
      const out = await attempt();
      expect(out.error, JSON.stringify(out)).toMatch(/Error/);
      expect(out.responses).toBeUndefined();
      await bystanderStillServed();
      expect(server.refusedCount).toBeGreaterThan(before);
    });
  }

  it('closes a connection that sends plain Modbus/TCP to the TLS port', async () => {
    const before = server.refusedCount;
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    const answer = await new Promise<Buffer>((resolve) => {
      let received = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
      socket.on('close', () => resolve(received));
      socket.write(adu(1, 1, [4, 0, 0, 0, 1]));
    });
    expect(answer.subarray(0, 2).toString('hex')).not.toBe('0001'); // never a Modbus answer (at most a TLS alert)
    expect(server.refusedCount).toBe(before + 1);
    await bystanderStillServed();
  });
});
