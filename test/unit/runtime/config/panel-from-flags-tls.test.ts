/** serve --tls: the TLS twins of the TCP endpoints, the default port 802, the flags it needs. */
import { describe, expect, it } from 'vitest';
import { panelFromFlags } from '../../../../src/runtime/config/panel-from-flags.js';
import { parseTlsEndpoint } from '../../../../src/runtime/endpoints/tcp-address.js';
import { RateLimitedLog } from '../../../../src/runtime/security/rate-limited-log.js';

const files = { tlsCert: 's.pem', tlsKey: 's.key', tlsCa: 'ca.pem' };

describe('--tls flags', () => {
  it('reads HOST alone as port 802, HOST:PORT as given', () => {
    expect(parseTlsEndpoint('0.0.0.0')).toEqual({ host: '0.0.0.0', port: 802 });
    expect(parseTlsEndpoint('localhost')).toEqual({ host: 'localhost', port: 802 });
    expect(parseTlsEndpoint('[::1]')).toEqual({ host: '::1', port: 802 });
    expect(parseTlsEndpoint('::')).toEqual({ host: '::', port: 802 });
    expect(parseTlsEndpoint('127.0.0.1:8802')).toEqual({ host: '127.0.0.1', port: 8802 });
    expect(parseTlsEndpoint('[::1]:8802')).toEqual({ host: '::1', port: 8802 });
    expect(() => parseTlsEndpoint('host:port')).toThrow(/expected HOST or HOST:PORT/);
  });

  it('serves only TLS without --tcp; both with it; a fleet gets one TLS port per TCP port', () => {
    expect(panelFromFlags({ tls: '127.0.0.1', ...files }).endpoints.map((e) => [e.kind, 'port' in e ? e.port : 0])).toEqual([['tls', 802]]);
    const fleet = panelFromFlags({ count: 3, tcp: '127.0.0.1:1502', tls: '127.0.0.1:8802', tlsDefaultRole: 'reader', ...files });
    expect(fleet.endpoints.map((e) => [e.kind, 'port' in e ? e.port : 0, e.units[0]?.meter])).toEqual([
      ['tcp', 1502, 'meter-1'], ['tcp', 1503, 'meter-2'], ['tcp', 1504, 'meter-3'],
      ['tls', 8802, 'meter-1'], ['tls', 8803, 'meter-2'], ['tls', 8804, 'meter-3'],
    ]);
    const tls = fleet.endpoints[3];
    expect(tls?.kind === 'tls' && [tls.defaultRole, tls.credentials]).toEqual(['reader', { certFile: 's.pem', keyFile: 's.key', caFile: 'ca.pem' }]);
  });

  it('names what is missing', () => {
    expect(() => panelFromFlags({ tls: '127.0.0.1', tlsCert: 's.pem' })).toThrow(/--tls needs --tls-key, --tls-ca/);
    expect(() => panelFromFlags({ tlsCa: 'ca.pem' })).toThrow(/--tls-ca needs --tls HOST\[:PORT\]/);
  });
});

describe('rate-limited log', () => {
  it('writes the first line, then at most one per interval with the count left out', () => {
    const lines: string[] = [];
    let now = 0;
    const log = new RateLimitedLog((line) => lines.push(line), 1000, () => now);
    for (let i = 0; i < 5; i += 1) log.note(`refused ${i}`);
    now = 1000;
    log.note('refused 5');
    expect(lines).toEqual(['refused 0', 'refused 5 (and 4 more since the last line)']);
  });
});
