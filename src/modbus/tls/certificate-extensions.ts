/**
 * What a Modbus/TCP Security server reads from a client certificate's extensions (DER): the role
 * (OID 1.3.6.1.4.1.50316.802.1, an ASN.1 UTF8String, MB-TCP-Security v21 section 5.2), the key
 * usage bits and the extended key usages. node:crypto's X509Certificate shows neither an unknown
 * extension nor the key usage bits, so the certificate's raw DER is walked here (der.ts).
 */
import { derChildren, derOid, readDer, type DerElement } from './der.js';

/** The Modbus.org role extension. */
export const roleExtensionOid = '1.3.6.1.4.1.50316.802.1';
const keyUsageOid = '2.5.29.15';
const extendedKeyUsageOid = '2.5.29.37';
/** id-kp-clientAuth. */
export const clientAuthOid = '1.3.6.1.5.5.7.3.2';
/** KeyUsage bit 0 (digitalSignature) and bit 4 (keyAgreement), as BIT STRING bit numbers. */
export const KeyUsage = { digitalSignature: 0, keyEncipherment: 2, keyAgreement: 4, keyCertSign: 5 } as const;

export interface CertificateExtensions {
  /** The role text, when the certificate carries the role extension. */
  role: string | undefined;
  /** Key usage bits set (bit numbers as in RFC 5280), or undefined when the extension is absent. */
  keyUsage: ReadonlySet<number> | undefined;
  /** Extended key usage OIDs, or undefined when the extension is absent. */
  extendedKeyUsage: readonly string[] | undefined;
}

const stringTags = new Set([0x0c /* UTF8String */, 0x13 /* PrintableString */, 0x16 /* IA5String */]);

function roleText(data: Uint8Array, value: DerElement): string {
  const inner = readDer(data, value.start, value.end);
  if (!stringTags.has(inner.tag)) throw new RangeError(`role extension: expected a UTF8String, got tag 0x${inner.tag.toString(16)}`);
  return Buffer.from(data.subarray(inner.start, inner.end)).toString('utf8');
}

function keyUsageBits(data: Uint8Array, value: DerElement): Set<number> {
  const bits = readDer(data, value.start, value.end);
  if (bits.tag !== 0x03) throw new RangeError('key usage: expected a BIT STRING');
  const set = new Set<number>();
  for (let i = bits.start + 1; i < bits.end; i += 1) {
    const byte = data[i] ?? 0;
    for (let bit = 0; bit < 8; bit += 1) if (byte & (0x80 >> bit)) set.add((i - bits.start - 1) * 8 + bit);
  }
  return set;
}

function extendedKeyUsages(data: Uint8Array, value: DerElement): string[] {
  const sequence = readDer(data, value.start, value.end);
  return derChildren(data, sequence).map((oid) => derOid(data, oid));
}

/** Reads the extensions of a DER certificate; throws a RangeError when the DER is malformed. */
export function certificateExtensions(der: Uint8Array): CertificateExtensions {
  const result: CertificateExtensions = { role: undefined, keyUsage: undefined, extendedKeyUsage: undefined };
  const certificate = readDer(der, 0);
  const [tbs] = derChildren(der, certificate);
  if (tbs === undefined) throw new RangeError('certificate: empty');
  const explicit = derChildren(der, tbs).find((element) => element.tag === 0xa3);
  if (explicit === undefined) return result;
  const [extensions] = derChildren(der, explicit);
  if (extensions === undefined) return result;
  for (const extension of derChildren(der, extensions)) {
    const parts = derChildren(der, extension);
    const id = parts[0];
    const value = parts[parts.length - 1];
    if (id === undefined || value === undefined || value.tag !== 0x04) continue;
    const oid = derOid(der, id);
    if (oid === roleExtensionOid) result.role = roleText(der, value);
    else if (oid === keyUsageOid) result.keyUsage = keyUsageBits(der, value);
    else if (oid === extendedKeyUsageOid) result.extendedKeyUsage = extendedKeyUsages(der, value);
  }
  return result;
}

/**
 * Why a verified client certificate may still not be used for a client connection, or undefined
 * when it may: key usage present without digitalSignature or keyAgreement, extended key usage
 * present without clientAuth (RFC 5280 4.2.1.3 and 4.2.1.12; OpenSSL's "ssl_client" purpose).
 */
export function clientUsageProblem(extensions: CertificateExtensions): string | undefined {
  const usage = extensions.keyUsage;
  if (usage !== undefined && !usage.has(KeyUsage.digitalSignature) && !usage.has(KeyUsage.keyAgreement)) {
    return 'key usage allows neither digitalSignature nor keyAgreement';
  }
  const extended = extensions.extendedKeyUsage;
  if (extended !== undefined && !extended.includes(clientAuthOid)) return 'extended key usage lacks clientAuth';
  return undefined;
}
