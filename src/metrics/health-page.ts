/**
 * `GET /healthz` for containers and load balancers: 200 `{"status":"ok", ...}` when the process
 * serves, every endpoint is open and (with a state directory) the last state flush succeeded
 * within three flush intervals (at least 5 s); else 503 with the reasons. `checks` says what was
 * looked at.
 */
import type { HttpPage } from '../control/http/http-page.js';
import type { Panel } from '../runtime/panel.js';

export interface HealthReport {
  status: 'ok' | 'failing';
  problems: string[];
  checks: { endpoints: number; endpointsOpen: number; stateFlush: 'off' | 'ok' | 'stale' | 'failing'; lastFlushAgeMs: number | undefined; meters: number };
}

export function panelHealth(panel: Panel, startedAtMs: number, nowMs: number = Date.now()): HealthReport {
  const problems: string[] = [];
  const open = panel.endpoints.filter((e) => e.open.isOpen?.() ?? true).length;
  if (open < panel.endpoints.length) problems.push(`${panel.endpoints.length - open} of ${panel.endpoints.length} endpoints closed`);
  const flush = panel.stateFlushStatus;
  const allowedAgeMs = Math.max(5000, 3 * flush.intervalMs);
  let stateFlush: HealthReport['checks']['stateFlush'] = 'off';
  const age = flush.lastSuccessMs === undefined ? undefined : nowMs - flush.lastSuccessMs;
  if (flush.enabled) {
    if (flush.lastFailed) stateFlush = 'failing';
    else if ((age ?? nowMs - startedAtMs) > allowedAgeMs) stateFlush = 'stale';
    else stateFlush = 'ok';
    if (stateFlush !== 'ok') problems.push(`state flush ${stateFlush}: last good save ${age === undefined ? 'never' : `${Math.round(age)} ms ago`}`);
  }
  return { status: problems.length === 0 ? 'ok' : 'failing', problems, checks: { endpoints: panel.endpoints.length, endpointsOpen: open, stateFlush, lastFlushAgeMs: age, meters: panel.meters.length } };
}

export function healthPage(panel: Panel): HttpPage {
  const startedAtMs = Date.now();
  return {
    serve(req, res, url) {
      if (url.pathname !== '/healthz') return false;
      const report = panelHealth(panel, startedAtMs);
      const text = JSON.stringify(report);
      res.writeHead(report.status === 'ok' ? 200 : 503, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
      return true;
    },
  };
}
