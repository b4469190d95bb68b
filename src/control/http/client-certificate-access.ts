/**
 * Who may use the control API over HTTPS: a client certificate signed by the configured CA,
 * carrying a Modbus/TCP Security role (extension 1.3.6.1.4.1.50316.802.1), or the bearer token.
 * Role `admin` may change state (POST, DELETE); `reader`, `operator` and `admin` may read (GET).
 */
import type { TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { certificateExtensions } from '../../modbus/tls/certificate-extensions.js';

/** Roles that may read, and the one that may change state. */
const readingRoles: ReadonlySet<string> = new Set(['reader', 'operator', 'admin']);
export const changingRole = 'admin';

/** The role of a verified client certificate on this connection, or undefined (no certificate, not verified, no role). */
export function clientCertificateRole(socket: Socket): string | undefined {
  const tls = socket as Partial<TLSSocket>;
  if (tls.authorized !== true || typeof tls.getPeerX509Certificate !== 'function') return undefined;
  const certificate = tls.getPeerX509Certificate();
  if (certificate === undefined) return undefined;
  try {
    return certificateExtensions(certificate.raw).role;
  } catch {
    return undefined;
  }
}

/** Whether `role` may make a request with `method` (GET reads; anything else changes state). */
export function roleAllows(role: string, method: string): boolean {
  return method === 'GET' || method === 'HEAD' ? readingRoles.has(role) : role === changingRole;
}
