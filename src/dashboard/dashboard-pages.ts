/**
 * The dashboard (docs/dashboard.md): static pages at `/` and `/assets/*` (plain ES modules and
 * CSS shipped in the package, no build step, no inline script: a strict Content-Security-Policy),
 * and the live stream over Server-Sent Events:
 *   GET /live/fleet?q=&page=&size=   a page of the fleet, every `interval` ms (default 1000)
 *   GET /live/meter?id=m1            one meter's view, every `interval` ms (default 500)
 * Each client is throttled on its own (interval 250..10,000 ms) and sent only on a panel tick, so
 * a page never gets more than one message per metrology window. Controls go through the control
 * API's routes (POST /meters/{id}/scenarios, /faults, /meters/{id}/relay ...), never through here:
 * every page here is a GET that changes nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpPage } from '../control/http/http-page.js';
import type { Panel } from '../runtime/panel.js';
import { fleetPage, meterSummaries, meterView, type MeterView } from './live-views.js';

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface Asset {
  body: Buffer;
  contentType: string;
}

/** The shipped assets, read once: src/dashboard/assets (tsx) or dist/dashboard/assets (built). */
function loadAssets(): Map<string, Asset> {
  const dir = fileURLToPath(new URL('./assets/', import.meta.url));
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (contentType !== undefined) assets.set(name, { body: readFileSync(`${dir}${name}`), contentType });
  }
  return assets;
}

interface LiveClient {
  readonly res: ServerResponse;
  readonly intervalMs: number;
  lastSentMs: number;
  readonly message: () => string | undefined;
}

function intervalOf(text: string | null, fallback: number): number {
  const value = Number(text ?? fallback);
  return Number.isFinite(value) ? Math.min(10_000, Math.max(250, value)) : fallback;
}

export interface DashboardPages extends HttpPage {
  /** Live clients connected now. */
  readonly clientCount: number;
  /** Ends every live stream and stops listening to the panel. */
  close(): void;
}

export function dashboardPages(panel: Panel): DashboardPages {
  const assets = loadAssets();
  const clients = new Set<LiveClient>();
  const controller = (): Panel['control'] => panel.control;
  const summaries = meterSummaries(panel.control?.controller);
  const byName = new Map(panel.meters.map((m) => [m.spec.name, m] as const));
  // One meter view per meter per tick, shared by every client showing it.
  let views = new Map<string, string | undefined>();
  const viewText = (id: string): string | undefined => {
    if (!views.has(id)) {
      const view: MeterView | undefined = meterView(panel, controller()?.controller, summaries, id);
      views.set(id, view === undefined ? undefined : JSON.stringify(view));
    }
    return views.get(id);
  };
  const unsubscribe = panel.on('tick', () => {
    views = new Map();
    const now = performance.now();
    for (const client of clients) {
      if (now - client.lastSentMs < client.intervalMs - 20) continue;
      client.lastSentMs = now;
      const message = client.message();
      if (message !== undefined) client.res.write(`data: ${message}\n\n`);
    }
  });

  const stream = (res: ServerResponse, req: { on(event: 'close', listener: () => void): unknown }, intervalMs: number, message: () => string | undefined): void => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    const client: LiveClient = { res, intervalMs, lastSentMs: performance.now(), message };
    const first = message();
    res.write(`retry: 2000\n\n${first === undefined ? '' : `data: ${first}\n\n`}`);
    clients.add(client);
    req.on('close', () => clients.delete(client));
  };

  return {
    get clientCount() {
      return clients.size;
    },
    close() {
      unsubscribe();
      for (const client of clients) client.res.end();
      clients.clear();
    },
    serve(req, res, url) {
      const path = url.pathname;
      const isAsset = path === '/' || path === '/index.html' || path.startsWith('/assets/');
      const isLive = path === '/live/fleet' || path === '/live/meter';
      if (!isAsset && !isLive) return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET', 'Content-Type': 'text/plain' }).end('GET only\n');
        return true;
      }
      res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.setHeader('X-Frame-Options', 'DENY');
      if (isAsset) {
        const asset = assets.get(path.startsWith('/assets/') ? path.slice('/assets/'.length) : 'index.html');
        if (asset === undefined) {
          res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such asset\n');
          return true;
        }
        res.writeHead(200, { 'Content-Type': asset.contentType, 'Content-Length': asset.body.length, 'Cache-Control': 'no-cache' });
        res.end(req.method === 'HEAD' ? undefined : asset.body);
        return true;
      }
      const q = url.searchParams;
      if (path === '/live/fleet') {
        const size = Math.min(200, Math.max(1, Number(q.get('size') ?? 50) || 50));
        const page = Math.max(0, Number(q.get('page') ?? 0) || 0);
        const query = q.get('q') ?? '';
        stream(res, req, intervalOf(q.get('interval'), 1000), () => JSON.stringify(fleetPage(panel, panel.control?.controller, summaries, query, page, size)));
        return true;
      }
      const id = q.get('id') ?? '';
      if (!byName.has(id)) {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: `no meter "${id}"` }));
        return true;
      }
      stream(res, req, intervalOf(q.get('interval'), 500), () => viewText(id));
      return true;
    },
  };
}
