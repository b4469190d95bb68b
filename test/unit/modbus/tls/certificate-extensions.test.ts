/** The role, key usage and extended key usage read from certificates made by the openssl command line. */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateExtensions, clientUsageProblem, KeyUsage } from '../../../../src/modbus/tls/certificate-extensions.js';
import { skipWithoutTool } from '../../../support/external-tool.js';
import { openSslAvailable, TestPki } from '../../../support/test-pki.js';

describe.skipIf(skipWithoutTool(openSslAvailable))('certificate extensions (DER)', () => {
  const pki = openSslAvailable ? new TestPki() : undefined;
  afterAll(() => pki?.remove());
  const extensionsOf = (file: string) => certificateExtensions(new X509Certificate(readFileSync(file)).raw);

  it('reads the role UTF8String, key usage bits and extended key usages', () => {
    const files = pki?.client('op', { role: 'opérateur-2' });
    const extensions = extensionsOf(files?.cert ?? '');
    expect(extensions.role).toBe('opérateur-2');
    expect([...(extensions.keyUsage ?? [])]).toEqual([KeyUsage.digitalSignature]);
    expect(extensions.extendedKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(clientUsageProblem(extensions)).toBeUndefined();
  });

  it('finds no role where there is none, and names what is wrong with a usage', () => {
    expect(extensionsOf(pki?.client('plain').cert ?? '').role).toBeUndefined();
    expect(clientUsageProblem(extensionsOf(pki?.server.cert ?? ''))).toBe('extended key usage lacks clientAuth');
    expect(clientUsageProblem(extensionsOf(pki?.client('nr', { keyUsage: 'nonRepudiation' }).cert ?? ''))).toBe('key usage allows neither digitalSignature nor keyAgreement');
  });

  it('throws a RangeError on truncated DER', () => {
    const der = new X509Certificate(readFileSync(pki?.ca.cert ?? '')).raw;
    expect(() => certificateExtensions(der.subarray(0, 100))).toThrow(RangeError);
  });
});
