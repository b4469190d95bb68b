/**
 * The control API over HTTP (node:http, JSON). Binds to 127.0.0.1 by default; binding anywhere
 * else requires a token, and with a token every request must carry `Authorization: Bearer <token>`.
 * Routes (see openapi.ts, served at /openapi.json):
 *
 *   GET    /meters                         meters, their endpoints and whether they take scenarios
 *   GET    /meters/{id}                    live values (the MeterSnapshot)
 *   GET    /meters/{id}/events?count=N     newest event-log records
 *   GET    /faults[?meter=id]              active communication faults
 *   POST   /faults[?meter=id]              apply one (body: a CommFaultSpec)
 *   DELETE /faults[?meter=id]              clear all (or one meter's)
 *   DELETE /faults/{faultId}               clear one
 *   GET    /meters/{id}/scenarios          active physical scenarios
 *   POST   /meters/{id}/scenarios          begin one (body: a PhysicalScenario)
 *   DELETE /meters/{id}/scenarios          end all
 *   DELETE /meters/{id}/scenarios/{sid}    end one
 *   POST   /timeline                       start a YAML timeline (body: the YAML text)
 *   GET    /timeline                       its progress
 *   DELETE /timeline                       stop it
 *   GET    /openapi.json                   this API's OpenAPI 3.1 description
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { ControlError } from '../control-error.js';
import type { FaultController } from '../fault-controller.js';
import { isLoopbackHost } from './loopback.js';
import { controlOpenApi } from './openapi.js';
import { errorMessage } from '../../shared/error-message.js';

export interface ControlServerOptions {
  /** Bind address (default 127.0.0.1). A non-loopback address requires `token`. */
  host?: string;
  /** Port (default 8502; 0 = any free port). */
  port?: number;
  /** Bearer token; when set, every request must carry it. */
  token?: string;
  /** Largest request body accepted (bytes, default 1 MiB). */
  maxBodyBytes?: number;
}

export interface ControlServer {
  /** Base URL, e.g. http://127.0.0.1:8502 */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

export const DEFAULT_CONTROL_PORT = 8502;

export async function startControlServer(controller: FaultController, options: ControlServerOptions = {}): Promise<ControlServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token === undefined || options.token === '' ? undefined : options.token;
  if (!isLoopbackHost(host) && token === undefined) {
    throw new Error(`refusing to bind the control API to ${host} without a token (it would let anyone on the network break the meters); pass a token or bind to 127.0.0.1`);
  }
  const maxBody = options.maxBodyBytes ?? 1 << 20;
  const expected = token === undefined ? undefined : Buffer.from(`Bearer ${token}`);

  const server = createServer((req, res) => {
    handle(controller, req, res, expected, maxBody).catch((error: unknown) => {
      send(res, 500, { error: errorMessage(error) });
    });
  });
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
    url: `http://${urlHost}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  controller: FaultController,
  req: IncomingMessage,
  res: ServerResponse,
  expected: Buffer | undefined,
  maxBody: number,
): Promise<void> {
  if (expected !== undefined && !authorised(req.headers.authorization, expected)) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    send(res, 401, { error: 'missing or wrong bearer token' });
    return;
  }
  const url = new URL(req.url ?? '/', 'http://control');
  const method = req.method ?? 'GET';
  const meterParam = url.searchParams.get('meter') ?? undefined;
  try {
    const parts = pathParts(url.pathname);
    const route = `${method} /${parts.map((p, i) => (i % 2 === 1 ? '*' : p)).join('/')}`;
    switch (route) {
      case 'GET /openapi.json':
        return send(res, 200, controlOpenApi());
      case 'GET /meters':
        return send(res, 200, { meters: controller.listMeters() });
      case 'GET /meters/*':
        return send(res, 200, { id: parts[1], snapshot: controller.snapshot(parts[1]) });
      case 'GET /meters/*/events': {
        const count = intParam(url.searchParams.get('count'), 'count', 16, 1, 10_000);
        return send(res, 200, { id: parts[1], events: controller.events(parts[1], count) });
      }
      case 'GET /faults':
        return send(res, 200, { faults: controller.listFaults(meterParam) });
      case 'POST /faults':
        return send(res, 201, { faults: controller.applyFault(await jsonBody(req, maxBody), meterParam) });
      case 'DELETE /faults':
        return send(res, 200, { cleared: controller.clearFaults(meterParam) });
      case 'DELETE /faults/*':
        controller.clearFault(parts[1]);
        return send(res, 200, { cleared: 1 });
      case 'GET /meters/*/scenarios':
        return send(res, 200, { scenarios: controller.listScenarios(parts[1]) });
      case 'POST /meters/*/scenarios':
        return send(res, 201, { scenario: controller.beginScenario(parts[1], await jsonBody(req, maxBody)) });
      case 'DELETE /meters/*/scenarios':
        return send(res, 200, { ended: controller.endScenarios(parts[1]) });
      case 'DELETE /meters/*/scenarios/*':
        controller.endScenario(parts[1], parts[3]);
        return send(res, 200, { ended: 1 });
      case 'POST /timeline': {
        const text = await textBody(req, maxBody);
        const name = url.searchParams.get('name') ?? 'timeline';
        return send(res, 201, controller.startTimeline(text, name));
      }
      case 'GET /timeline':
        return send(res, 200, controller.timelineStatus());
      case 'DELETE /timeline':
        return send(res, 200, { stopped: controller.stopTimeline() });
      default: {
        const known = knownPath(parts);
        return send(res, known ? 405 : 404, { error: known ? `${method} is not allowed on ${url.pathname}` : `no route ${url.pathname}` });
      }
    }
  } catch (error) {
    if (error instanceof ControlError) return send(res, error.status, { error: error.message });
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

function knownPath(parts: string[]): boolean {
  const shape = parts.map((p, i) => (i % 2 === 1 ? '*' : p)).join('/');
  return ['openapi.json', 'meters', 'meters/*', 'meters/*/events', 'faults', 'faults/*', 'meters/*/scenarios', 'meters/*/scenarios/*', 'timeline'].includes(shape);
}

function authorised(header: string | undefined, expected: Buffer): boolean {
  if (header === undefined) return false;
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function intParam(text: string | null, name: string, fallback: number, min: number, max: number): number {
  if (text === null) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new ControlError(400, `${name} must be an integer ${min}..${max}, got "${text}"`);
  return value;
}

async function textBody(req: IncomingMessage, maxBody: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBody) throw new ControlError(400, `request body larger than ${maxBody} bytes`);
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
