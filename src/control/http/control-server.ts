/**
 * The control API over HTTP (node:http, JSON). Binds to 127.0.0.1 by default; binding anywhere
 * else requires a token, and with a token every request must carry `Authorization: Bearer <token>`
 * (the scheme in any case). Every request first passes the request guard (request-guard.ts: Host
 * and Origin checks against DNS rebinding and cross-site requests); a state-changing body must be
 * of the route's content type (415), no larger than the limit (413). Pages mounted by outputs
 * (the dashboard, /metrics, /healthz: `server.mount`) are served behind the same guard.
 * The routes are those of the route table (control-routes.ts; described at /openapi.json): a
 * request is matched on its method and path, its query and body read as the route declares,
 * and the route's handler answers with the route's status (or, for `serve --workers`' primary, a
 * RouteAnswerer that asks the worker processes). A path no route has is 404; a known path with
 * another method is 405.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { clientCertificateRole, roleAllows } from './client-certificate-access.js';
import type { AddressInfo } from 'node:net';
import { ControlError } from '../control-error.js';
import type { FaultController } from '../fault-controller.js';
import { isLoopbackHost } from './loopback.js';
import { controlOpenApi } from './openapi.js';
import { controlRouteList } from './control-routes.js';
import { patternSegments, type AnyRoute, type RequestBody, type RouteContext, type RouteRequest, type QueryParameters } from './route-definition.js';
import { RequestGuard } from './request-guard.js';
import type { HttpPage } from './http-page.js';
import { errorMessage } from '../../common/error-message.js';

export interface ControlServerOptions {
  /** Bind address (default 127.0.0.1). A non-loopback address requires `token`. */
  host?: string;
  /** Port (default 8502; 0 = any free port). */
  port?: number;
  /** Bearer token; when set, every request must carry it. */
  token?: string;
  /** Largest request body accepted (bytes, default 1 MiB); larger gets 413. */
  maxBodyBytes?: number;
  /** Host names a `Host` header may carry besides the bound address and loopback names. */
  allowedHosts?: readonly string[];
  /**
   * Serve HTTPS (TLS 1.2+) with this certificate and key; clients may present a certificate signed
   * by `ca` carrying a role (reader reads, admin changes state) instead of the bearer token. With
   * TLS every request needs one or the other, and binding beyond loopback needs no token.
   */
  tls?: { cert: string | Buffer; key: string | Buffer; ca: string | Buffer };
}

/** A route's request as the server has read it: path parameters, parsed query, parsed body. */
export type AnyRouteRequest = RouteRequest<string, QueryParameters, RequestBody | undefined>;

/**
 * Who answers a matched route (after the guard, the authentication, the query and the body checks):
 * by default the route's handler over a local FaultController; `serve --workers`' primary passes
 * one that asks the worker processes. A ControlError it throws becomes its status.
 */
export type RouteAnswerer = (route: AnyRoute, request: AnyRouteRequest) => Promise<{ status: number; body: unknown }>;

/** The default answerer: the route's handler over this controller, with the route's success status. */
export function localAnswerer(controller: FaultController): RouteAnswerer {
  const context: RouteContext = { controller, openApi: controlOpenApi };
  return (route, request) => Promise.resolve({ status: route.status, body: route.handle(context, request) });
}

export interface ControlServer {
  /** Base URL, e.g. http://127.0.0.1:8502 */
  readonly url: string;
  readonly server: Server;
  /** Serve an output's pages (dashboard, /metrics, /healthz) behind the same guard; returns the unmount. */
  mount(page: HttpPage): () => void;
  close(): Promise<void>;
}

export const DEFAULT_CONTROL_PORT = 8502;

export async function startControlServer(controller: FaultController | RouteAnswerer, options: ControlServerOptions = {}): Promise<ControlServer> {
  const answer = typeof controller === 'function' ? controller : localAnswerer(controller);
  const host = options.host ?? '127.0.0.1';
  const token = options.token === undefined || options.token === '' ? undefined : options.token;
  if (!isLoopbackHost(host) && token === undefined && options.tls === undefined) {
    throw new Error(`refusing to bind the control API to ${host} without a token (it would let anyone on the network break the meters); pass a token or bind to 127.0.0.1`);
  }
  const maxBody = options.maxBodyBytes ?? 1 << 20;
  const guard = new RequestGuard({ boundHost: host, allowedHosts: options.allowedHosts, token, scheme: options.tls === undefined ? 'http' : 'https' });
  const pages = new Set<HttpPage>();

  const tls = options.tls;
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(answer, req, res, guard, pages, maxBody, tls !== undefined).catch((error: unknown) => {
      send(res, 500, { error: errorMessage(error) });
    });
  };
  const server: Server =
    tls === undefined
      ? createServer(listener)
      : createHttpsServer({ ...tls, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' }, listener);
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_CONTROL_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://${urlHost}:${address.port}`,
    server,
    mount(page) {
      pages.add(page);
      return () => pages.delete(page);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A route of the table with its path pattern split into segments. */
interface CompiledRoute {
  readonly definition: AnyRoute;
  readonly segments: { literal?: string; param?: string }[];
}

const ROUTES: readonly CompiledRoute[] = controlRouteList.map((definition) => ({
  definition,
  segments: patternSegments(definition.path),
}));

/** The path parameters when `parts` fit the route's pattern, else undefined. */
function matchPath(route: CompiledRoute, parts: string[]): Record<string, string> | undefined {
  if (route.segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of route.segments.entries()) {
    const part = parts[i] ?? '';
    if (segment.param !== undefined) params[segment.param] = part;
    else if (segment.literal !== part) return undefined;
  }
  return params;
}

async function handle(
  answer: RouteAnswerer,
  req: IncomingMessage,
  res: ServerResponse,
  guard: RequestGuard,
  pages: ReadonlySet<HttpPage>,
  maxBody: number,
  overTls: boolean,
): Promise<void> {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  const refusal = guard.check(req);
  if (refusal !== undefined) {
    send(res, refusal.status, { error: refusal.message });
    req.resume();
    return;
  }
  const role = overTls ? clientCertificateRole(req.socket) : undefined;
  if (role !== undefined) {
    if (!roleAllows(role, req.method ?? 'GET')) {
      send(res, 403, { error: `role "${role}" may not ${req.method ?? 'GET'} (reads need reader, operator or admin; changes need admin)` });
      return;
    }
  } else if ((!guard.hasToken && overTls) || !guard.authorised(req.headers.authorization)) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    send(res, 401, { error: overTls ? 'a client certificate with a role, or the bearer token, is required' : 'missing or wrong bearer token' });
    return;
  }
  const url = new URL(req.url ?? '/', 'http://control');
  const method = req.method ?? 'GET';
  for (const page of pages) {
    if (await page.serve(req, res, url)) return;
  }
  try {
    const parts = pathParts(url.pathname);
    let known = false;
    for (const route of ROUTES) {
      const params = matchPath(route, parts);
      if (params === undefined) continue;
      known = true;
      if (route.definition.method !== method) continue;
      const { definition } = route;
      const query: Record<string, unknown> = {};
      for (const [name, parameter] of Object.entries(definition.query ?? {})) query[name] = parameter.parse(url.searchParams.get(name), name);
      if (definition.body !== undefined) checkContentType(req.headers['content-type'], definition.body);
      const body = definition.body === undefined ? undefined : definition.body.kind === 'text' ? await textBody(req, maxBody) : await jsonBody(req, maxBody);
      const answered = await answer(definition, { params, query, body });
      return send(res, answered.status, answered.body);
    }
    return send(res, known ? 405 : 404, { error: known ? `${method} is not allowed on ${url.pathname}` : `no route ${url.pathname}` });
  } catch (error) {
    if (error instanceof ControlError) {
      // An unread body (refused before reading) must not keep the connection busy.
      if (error.status === 413 || error.status === 415) res.setHeader('Connection', 'close');
      return send(res, error.status, { error: error.message });
    }
    throw error;
  }
}

function pathParts(pathname: string): string[] {
  try {
    return pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  } catch {
    throw new ControlError(400, `malformed path ${pathname}`);
  }
}

/** Media types a YAML text body may be declared as (besides the route's own). */
const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);

/**
 * A body must be declared as what the route takes: `application/json`, or a YAML type for the
 * timeline. `text/plain` (what a cross-site form or fetch sends without a preflight) gets 415.
 */
function checkContentType(header: string | undefined, body: RequestBody): void {
  const media = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const wanted = body.kind === 'json' ? 'application/json' : body.contentType;
  const fits = media === wanted || (body.kind === 'text' && YAML_TYPES.has(wanted) && YAML_TYPES.has(media));
  if (!fits) throw new ControlError(415, `the body must be ${wanted}, got ${media === '' ? 'no Content-Type' : media}`);
}

async function textBody(req: IncomingMessage, maxBody: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > maxBody) throw new ControlError(413, `request body larger than ${maxBody} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBody) throw new ControlError(413, `request body larger than ${maxBody} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function jsonBody(req: IncomingMessage, maxBody: number): Promise<unknown> {
  const text = await textBody(req, maxBody);
  if (text.trim() === '') throw new ControlError(400, 'the request needs a JSON body');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ControlError(400, `the body is not JSON: ${errorMessage(error)}`);
  }
}

/** JSON with typed arrays (harmonics) as plain arrays. */
function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body, (_key, value: unknown) =>
    ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value as Float64Array) : value,
  );
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
