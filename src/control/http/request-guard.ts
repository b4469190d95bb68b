/**
 * The checks every request to the runtime's HTTP server passes before any route or page sees it
 * (docs/control.md, "Security"):
 * - DNS rebinding: the `Host` header must name the bound address, a loopback name, or one of
 *   `allowedHosts`; a page on `rebind.evil.example` that resolved to 127.0.0.1 gets 403.
 * - Cross-site requests: an `Origin` header, when present, must be this server's own origin
 *   (`http://` + the request's Host); a foreign origin (or `null`) gets 403.
 * - The bearer token, when one is set (`authorised`): `Authorization: Bearer <token>`, the scheme
 *   in any case, compared in constant time. The server checks it (or a TLS client role) after
 *   Host and Origin.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from './loopback.js';

export interface RequestGuardOptions {
  /** The address the server is bound to (127.0.0.1, ::1, 0.0.0.0, a LAN address, a name). */
  readonly boundHost: string;
  /** More host names a `Host` header may carry (e.g. the name of the machine on the LAN). */
  readonly allowedHosts?: readonly string[] | undefined;
  /** The bearer token every request must carry, when set. */
  readonly token?: string | undefined;
  /** The server's scheme (an Origin is `scheme://host`); default http. */
  readonly scheme?: 'http' | 'https' | undefined;
}

/** Why a request is refused: the status and a message; undefined when it may go on. */
export interface Refusal {
  readonly status: 403;
  readonly message: string;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/** The host name of a `Host` header value (`[::1]:8502` -> `::1`, `localhost:80` -> `localhost`). */
export function hostNameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(1, end);
  }
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/** Whether a host name is an IP literal (a rebinding attack needs a DNS name). */
function isIpLiteral(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(':');
}

export class RequestGuard {
  private readonly boundHost: string;
  private readonly wildcard: boolean;
  private readonly allowed: ReadonlySet<string>;
  private readonly token: Buffer | undefined;
  private readonly scheme: string;

  constructor(options: RequestGuardOptions) {
    this.boundHost = hostNameOf(options.boundHost);
    this.wildcard = WILDCARD_HOSTS.has(options.boundHost.trim());
    this.allowed = new Set((options.allowedHosts ?? []).map(hostNameOf));
    this.token = options.token === undefined || options.token === '' ? undefined : Buffer.from(options.token);
    this.scheme = options.scheme ?? 'http';
  }

  /** Whether a bearer token is set. */
  get hasToken(): boolean {
    return this.token !== undefined;
  }

  /** Whether a `Host` header names this server. */
  hostAllowed(hostHeader: string | undefined): boolean {
    if (hostHeader === undefined || hostHeader.trim() === '') return false;
    const name = hostNameOf(hostHeader);
    if (isLoopbackHost(name) || name === this.boundHost || this.allowed.has(name)) return true;
    // Bound to every interface: any address of the machine may be used, but not a DNS name
    // that is not listed (that is what a rebinding page sends).
    return this.wildcard && isIpLiteral(name);
  }

  /** Whether an `Origin` header (when present) is this server's own origin. */
  originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
    if (origin === undefined) return true;
    if (hostHeader === undefined) return false;
    return origin.trim().toLowerCase() === `${this.scheme}://${hostHeader.trim().toLowerCase()}`;
  }

  /** Whether an `Authorization` header carries the token (always true without a token). */
  authorised(header: string | undefined): boolean {
    if (this.token === undefined) return true;
    if (header === undefined) return false;
    const match = /^bearer[ \t]+(.*)$/i.exec(header.trim());
    if (match === null) return false;
    const given = Buffer.from(match[1] ?? '');
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }

  /** The Host or Origin rule a request breaks (403), or undefined. Authentication is checked after it. */
  check(req: IncomingMessage): Refusal | undefined {
    const host = req.headers.host;
    if (!this.hostAllowed(host)) return { status: 403, message: `Host "${host ?? ''}" is not this server (DNS rebinding?); use its address or a loopback name` };
    if (!this.originAllowed(req.headers.origin, host)) return { status: 403, message: `cross-origin request from ${req.headers.origin ?? ''} refused` };
    return undefined;
  }
}
