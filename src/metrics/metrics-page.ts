/** `GET /metrics`: the panel's Prometheus metrics (text exposition format 0.0.4). */
import type { HttpPage } from '../control/http/http-page.js';
import type { Panel } from '../runtime/panel.js';
import { panelMetrics, type PanelMetricsOptions } from './panel-metrics.js';

export function metricsPage(panel: Panel, options: PanelMetricsOptions = {}): HttpPage {
  const metrics = panelMetrics(panel, options);
  return {
    async serve(req, res, url) {
      if (url.pathname !== '/metrics') return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET', 'Content-Type': 'text/plain' }).end('GET only\n');
        return true;
      }
      const text = await metrics.render();
      res.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
      res.end(req.method === 'HEAD' ? undefined : text);
      return true;
    },
  };
}
