/**
 * The one control API of `serve --workers N`, bound by the primary where the user asked
 * (`--control`), with the user's token, TLS and allowed host names: the same control server as one
 * process's (src/control/http/control-server.ts: Host and Origin checks, bearer token or client
 * certificate role, 413/415, the route table), whose routes are answered by the workers
 * (fleet-answerer.ts) and whose /healthz covers every worker (fleet-health-page.ts). The dashboard
 * and /metrics are not merged yet: the primary answers them 404 saying so (per-process-pages.ts).
 *
 * Why each worker serves its own control API over HTTP on 127.0.0.1 (a free port, a random secret
 * per run, announced over the IPC channel) rather than answering over IPC: the worker's API is
 * the very server one process runs, so every validation, status and message a worker gives is the
 * one-process answer with nothing re-implemented; the primary only routes and merges. IPC would
 * need a second dispatcher in every worker and a protocol of its own for statuses and errors, and
 * a large answer (a register map) would cross the same channel the primary uses to supervise.
 */
import { DEFAULT_CONTROL_PORT, startControlServer, type ControlServer } from '../../control/http/control-server.js';
import type { ControlOptions } from '../control-binding.js';
import { readTlsCredentials } from '../endpoints/open-tls-endpoint.js';
import type { PanelSpec } from '../panel-spec.js';
import { RunFailure } from '../runtime-error.js';
import { errorCode, systemError } from '../system-error-message.js';
import { fleetAnswerer } from './fleet-answerer.js';
import { fleetHealthPage } from './fleet-health-page.js';
import { FleetOwnership } from './fleet-ownership.js';
import { perProcessPages } from './per-process-pages.js';
import type { WorkerFleet } from './worker-fleet.js';

/**
 * Binds the fleet's control API. `fleet()` is the running fleet, or undefined while the workers
 * are being started (requests then answer 503): the API is bound first, so a port in use fails
 * before any worker starts.
 */
export async function bindFleetControl(spec: PanelSpec, workers: number, fleet: () => WorkerFleet | undefined, options: ControlOptions): Promise<ControlServer> {
  const tls = options.tls === undefined ? undefined : readTlsCredentials(options.tls, '--tls');
  const ownership = new FleetOwnership(spec, workers);
  const links = { count: workers, link: (worker: number) => fleet()?.link(worker) };
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_CONTROL_PORT;
  let server: ControlServer;
  try {
    server = await startControlServer(fleetAnswerer(ownership, links), {
      host,
      port,
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(tls === undefined ? {} : { tls }),
      ...(options.allowedHosts === undefined ? {} : { allowedHosts: options.allowedHosts }),
    });
  } catch (error) {
    if (errorCode(error) !== undefined) throw systemError(`cannot start the control API on ${host}:${port}`, error);
    throw new RunFailure(`control API: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  server.mount(fleetHealthPage(workers, fleet));
  server.mount(perProcessPages(workers));
  return server;
}
