/**
 * Modbus/TCP Security over a running panel (startPanel, the titan map): the built-in roles decide
 * per register what a client may write. A reader writing a setting gets 01; an operator writes
 * settings but resetting energy or switching the relay gets 01; an admin can (after the meter's
 * own password); a certificate without a role gets 01 for everything unless a default role is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { panelFromFlags, startPanel, type Panel } from '../../../src/index.js';
import { skipWithoutTool } from '../../support/external-tool.js';
import { openSslAvailable, TestPki, type CertificateFiles } from '../../support/test-pki.js';
import { TlsMbapClient } from '../../support/tls-mbap-client.js';

const hex = (buffer: Buffer): string => buffer.toString('hex');

describe.skipIf(skipWithoutTool(openSslAvailable))('Modbus/TCP Security roles over a panel (titan)', () => {
  let pki: TestPki;
  let panel: Panel;
  let port = 0;
  const certs: Record<string, CertificateFiles> = {};
  const clients: TlsMbapClient[] = [];
  const connect = async (who: string, onPort = port): Promise<TlsMbapClient> => {
    const client = await TlsMbapClient.connect(onPort, pki.ca.cert, certs[who] ?? pki.server);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    pki = new TestPki();
    for (const role of ['reader', 'operator', 'admin']) certs[role] = pki.client(`${role}-client`, { role });
    certs.none = pki.client('anonymous');
    certs.unknown = pki.client('stranger-role', { role: 'janitor' });
    panel = await startPanel(
      panelFromFlags({ profile: 'titan', tls: '127.0.0.1:0', tlsCert: pki.server.cert, tlsKey: pki.server.key, tlsCa: pki.ca.cert, speed: 3600 }),
      { tickMs: 20 },
    );
    port = panel.endpoints[0]?.open.port ?? 0;
  }, 30_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await panel.stop();
    pki.remove();
  });

  it('serves only TLS when --tls is given without --tcp', () => {
    expect(panel.endpoints.map((e) => e.spec.kind)).toEqual(['tls']);
    expect(panel.summary().join('\n')).toMatch(/modbus\/tls 127\.0\.0\.1:\d+ unit 1 -> meter/);
  });

  it('a reader reads (FC3, FC4, FC43) and gets 01 for any write', async () => {
    const reader = await connect('reader');
    expect(hex(await reader.request(1, [3, 0, 0x0b, 0, 1]))).toBe('0302' + (900).toString(16).padStart(4, '0'));
    expect((await reader.request(1, [4, 0, 0, 0, 2]))[1]).toBe(4);
    expect(hex(await reader.request(1, [0x2b, 0x0e, 1, 0])).slice(0, 4)).toBe('2b0e');
    expect(hex(await reader.request(1, [6, 0, 0x0b, 0x03, 0x84]))).toBe('8601'); // demand period 900 s: a setting
    expect(hex(await reader.request(1, [5, 0, 0, 0xff, 0]))).toBe('8501'); // relay coil
    expect(hex(await reader.request(1, [0x10, 0, 0x0b, 0, 1, 2, 0x03, 0x84]))).toBe('9001');
  });

  it('an operator writes settings but gets 01 for reset energy and the relay', async () => {
    const operator = await connect('operator');
    expect(hex(await operator.request(1, [6, 0, 0x0b, 0x07, 0x08]))).toBe('06000b0708'); // demand period 1800 s
    expect(panel.meters[0]?.commands?.snapshot().settings.demandPeriodS).toBe(1800);
    expect(hex(await operator.request(1, [6, 0, 0, 0x04, 0xd2]))).toBe('06000004d2'); // the password (unlock) is an operator's
    expect(hex(await operator.request(1, [6, 0, 0x21, 0, 1]))).toBe('8601'); // reset energy: a command
    expect(hex(await operator.request(1, [6, 0, 0x22, 0, 0]))).toBe('8601'); // relay
    expect(hex(await operator.request(1, [5, 0, 1, 0xff, 0]))).toBe('8501'); // reset demand coil
    // A multi-register write touching a setting and a command is refused as a whole.
    expect(hex(await operator.request(1, [0x10, 0, 0x20, 0, 2, 4, 0, 1, 0, 1]))).toBe('9001');
    expect(panel.meters[0]?.commands?.snapshot().relayClosed).toBe(true);
  });

  it('an admin resets energy (after the password) and opens the relay', async () => {
    const admin = await connect('admin');
    const energy = async (): Promise<number> => (await admin.request(1, [4, 1, 0, 0, 4])).readDoubleBE(2);
    let before = 0;
    for (let i = 0; i < 200 && before < 1; i += 1) {
      before = await energy();
      if (before < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(before).toBeGreaterThan(1);
    expect(hex(await admin.request(1, [6, 0, 0, 0x04, 0xd2]))).toBe('06000004d2');
    expect(hex(await admin.request(1, [6, 0, 0x21, 0, 1]))).toBe('0600210001');
    expect(await energy()).toBeLessThan(before);
    expect(hex(await admin.request(1, [6, 0, 0x22, 0, 0]))).toBe('0600220000');
    expect(panel.meters[0]?.commands?.snapshot().relayClosed).toBe(false);
  });

  it('a certificate without a role, or with a role not in the table, gets 01 for everything', async () => {
    for (const who of ['none', 'unknown']) {
      const client = await connect(who);
      expect(hex(await client.request(1, [4, 0, 0, 0, 2]))).toBe('8401');
      expect(hex(await client.request(1, [0x2b, 0x0e, 1, 0]))).toBe('ab01');
    }
  });

  it('--tls-default-role gives a certificate without a role that role', async () => {
    const second = await startPanel(
      panelFromFlags({ profile: 'titan', tcp: '127.0.0.1:0', tls: '127.0.0.1:0', tlsCert: pki.server.cert, tlsKey: pki.server.key, tlsCa: pki.ca.cert, tlsDefaultRole: 'reader' }),
      { tickMs: 50 },
    );
    try {
      expect(second.endpoints.map((e) => e.spec.kind)).toEqual(['tcp', 'tls']);
      const client = await connect('none', second.endpoints[1]?.open.port);
      expect((await client.request(1, [4, 0, 0, 0, 2]))[1]).toBe(4);
      expect(hex(await client.request(1, [6, 0, 0x0b, 0x03, 0x84]))).toBe('8601');
    } finally {
      await second.stop();
    }
  });
});
