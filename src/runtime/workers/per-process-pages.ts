/**
 * What the primary of `serve --workers N` answers for the pages one process mounts besides the
 * control API (the dashboard at /, its /assets/ and /live/ streams, /metrics): 404 saying why.
 * Those pages read one process's panel; merging N workers' Prometheus series and live streams is
 * not done yet, so rather than a bare "no route", the answer points to what works.
 */
import type { HttpPage } from '../../control/http/http-page.js';

function isPerProcessPage(path: string): boolean {
  return path === '/' || path === '/index.html' || path === '/metrics' || path.startsWith('/assets/') || path.startsWith('/live/');
}

export function perProcessPages(workers: number): HttpPage {
  return {
    serve(req, res, url) {
      if (!isPerProcessPage(url.pathname)) return false;
      const text = JSON.stringify({
        error: `${url.pathname}: with --workers ${workers} the dashboard and /metrics are not served yet (they read one process's meters); the control API and /healthz cover every worker, or run one process per slice with --shard`,
      });
      res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
      res.end(req.method === 'HEAD' ? undefined : text);
      return true;
    },
  };
}
