/**
 * The control API over HTTPS (serve --control --control-tls): a client certificate with role
 * `reader` reads, `admin` changes state, anything else needs the bearer token; without either,
 * 401. Certificates made with the openssl command line.
 */
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { panelFromFlags, startPanel, type Panel } from '../../../src/index.js';
import { skipWithoutTool } from '../../support/external-tool.js';
import { openSslAvailable, TestPki, type CertificateFiles } from '../../support/test-pki.js';

interface Answer {
  status: number;
  body: string;
}

describe.skipIf(skipWithoutTool(openSslAvailable))('control API over HTTPS', () => {
  let pki: TestPki;
  let panel: Panel;
  const certs: Record<string, CertificateFiles> = {};

  beforeAll(async () => {
    pki = new TestPki();
    for (const role of ['reader', 'operator', 'admin']) certs[role] = pki.client(`${role}-http`, { role });
    certs.stranger = pki.client('stranger-http', { role: 'admin', otherCa: true });
    panel = await startPanel(panelFromFlags({ profile: 'titan', tcp: '127.0.0.1:0' }), {
      tickMs: 50,
      control: { port: 0, token: 's3cret', tls: { certFile: pki.server.cert, keyFile: pki.server.key, caFile: pki.ca.cert } },
    });
  }, 30_000);

  afterAll(async () => {
    await panel.stop();
    pki.remove();
  });

  const call = (method: string, path: string, who?: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const client = who === undefined ? undefined : certs[who];
      const url = new URL(path, panel.controlUrl);
      const req = request(
        url,
        { method, ca: readFileSync(pki.ca.cert), headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers }, ...(client === undefined ? {} : { cert: readFileSync(client.cert), key: readFileSync(client.key) }) },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  const sag = { kind: 'sag', phase: 1, depth: 0.5, durationMs: 1000 };

  it('is served over https', () => {
    expect(panel.controlUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('a reader certificate reads and may not change state (403)', async () => {
    const meters = await call('GET', '/meters', 'reader');
    expect(meters.status).toBe(200);
    expect(JSON.parse(meters.body)).toMatchObject({ meters: [{ id: 'meter' }] });
    expect((await call('POST', '/meters/meter/scenarios', 'reader', {}, sag)).status).toBe(403);
    expect((await call('POST', '/meters/meter/scenarios', 'operator', {}, sag)).status).toBe(403);
  });

  it('an admin certificate changes state', async () => {
    expect((await call('POST', '/meters/meter/scenarios', 'admin', {}, sag)).status).toBe(201);
  });

  it('without a certificate: 401, unless the bearer token is given; a certificate of another CA counts as none', async () => {
    expect((await call('GET', '/meters')).status).toBe(401);
    expect((await call('GET', '/meters', 'stranger')).status).toBe(401);
    expect((await call('GET', '/meters', undefined, { Authorization: 'Bearer s3cret' })).status).toBe(200);
    expect((await call('POST', '/meters/meter/scenarios', undefined, { Authorization: 'Bearer s3cret' }, sag)).status).toBe(201);
  });
});
