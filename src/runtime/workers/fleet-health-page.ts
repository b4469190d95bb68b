/**
 * `GET /healthz` of `serve --workers N`'s primary: 200 only when every worker is running, ready
 * and answers its own /healthz with 200; else 503 with the reasons, each naming its worker. The
 * body has the shape one process's /healthz has (status, problems, checks summed over the
 * workers: endpoints, endpointsOpen, meters; the worst state flush; the oldest flush age) plus
 * `workers`: each worker's pid, whether it is ready and its own status.
 */
import type { HttpPage } from '../../control/http/http-page.js';
import type { WorkerFleet } from './worker-fleet.js';

/** One process's /healthz body (src/metrics/health-page.ts), as a worker sends it. */
export interface HealthReport {
  status: 'ok' | 'failing';
  problems: string[];
  checks: { endpoints: number; endpointsOpen: number; stateFlush: 'off' | 'ok' | 'stale' | 'failing'; lastFlushAgeMs: number | undefined; meters: number };
}

export interface FleetHealthReport extends HealthReport {
  workers: { worker: number; pid: number | undefined; ready: boolean; status: 'ok' | 'failing' | 'not ready' | 'exited' }[];
}

const FLUSH_SEVERITY: readonly HealthReport['checks']['stateFlush'][] = ['off', 'ok', 'stale', 'failing'];

function isHealthReport(body: unknown): body is HealthReport {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return typeof b.status === 'string' && Array.isArray(b.problems) && typeof b.checks === 'object' && b.checks !== null;
}

export async function fleetHealth(count: number, fleet: WorkerFleet | undefined): Promise<FleetHealthReport> {
  const problems: string[] = [];
  if (fleet === undefined) {
    return { status: 'failing', problems: [`${count} workers are starting`], checks: { endpoints: 0, endpointsOpen: 0, stateFlush: 'off', lastFlushAgeMs: undefined, meters: 0 }, workers: [] };
  }
  const checks: HealthReport['checks'] = { endpoints: 0, endpointsOpen: 0, stateFlush: 'off', lastFlushAgeMs: undefined, meters: 0 };
  const workers = await Promise.all(
    fleet.workers.map(async (state): Promise<FleetHealthReport['workers'][number]> => {
      const name = `worker ${state.index}/${fleet.count}`;
      const entry = { worker: state.index, pid: state.pid, ready: state.printedReady };
      if (state.exitCode !== undefined) {
        problems.push(`${name} exited (code ${state.exitCode})`);
        return { ...entry, ready: false, status: 'exited' };
      }
      const link = fleet.link(state.index);
      if (!state.printedReady || link === undefined) {
        problems.push(`${name} is not ready`);
        return { ...entry, ready: false, status: 'not ready' };
      }
      const answer = await link.ask({ method: 'GET', target: '/healthz' });
      if (!isHealthReport(answer.body)) {
        problems.push(`${name}: /healthz answered HTTP ${answer.status}`);
        return { ...entry, status: 'failing' };
      }
      const report = answer.body;
      for (const problem of report.problems) problems.push(`${name}: ${problem}`);
      checks.endpoints += report.checks.endpoints;
      checks.endpointsOpen += report.checks.endpointsOpen;
      checks.meters += report.checks.meters;
      if (FLUSH_SEVERITY.indexOf(report.checks.stateFlush) > FLUSH_SEVERITY.indexOf(checks.stateFlush)) checks.stateFlush = report.checks.stateFlush;
      const age = report.checks.lastFlushAgeMs;
      if (age !== undefined) checks.lastFlushAgeMs = Math.max(checks.lastFlushAgeMs ?? 0, age);
      const ok = answer.status === 200 && report.status === 'ok';
      if (!ok && report.problems.length === 0) problems.push(`${name}: /healthz answered HTTP ${answer.status}`);
      return { ...entry, status: ok ? 'ok' : 'failing' };
    }),
  );
  return { status: problems.length === 0 ? 'ok' : 'failing', problems, checks, workers };
}

/** The page; `fleet()` is the running fleet, undefined while it is being started. */
export function fleetHealthPage(count: number, fleet: () => WorkerFleet | undefined): HttpPage {
  return {
    async serve(req, res, url) {
      if (url.pathname !== '/healthz') return false;
      const report = await fleetHealth(count, fleet());
      res.writeHead(report.status === 'ok' ? 200 : 503, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(report));
      return true;
    },
  };
}
