/**
 * `submeter serve --workers N`: the panel split over N worker processes (src/runtime/workers/),
 * each serving one slice (shardPanelSpec: contiguous endpoints and the meters behind them;
 * identities from the global index), so together they bind exactly the ports and unit ids one
 * process would, and each meter's state directory is where one process would keep it.
 *
 * The primary re-runs the same command line in each worker with SUBMETER_WORKER=w/N, prints
 * each worker's summary and one `ready` when all are ready, and on SIGINT/SIGTERM asks every
 * worker to stop (each saves its meters) and waits for all of them. A worker whose primary
 * disappears stops itself the same way. With `--control` the primary binds the one control API
 * of the fleet (src/runtime/workers/fleet-control.ts) before any worker starts.
 */
import type { ControlServer } from '../control/http/control-server.js';
import type { ControlOptions } from '../runtime/control-binding.js';
import type { Logger } from '../runtime/log/logger.js';
import type { PanelSpec } from '../runtime/panel-spec.js';
import { bindFleetControl } from '../runtime/workers/fleet-control.js';
import { WorkerFleet } from '../runtime/workers/worker-fleet.js';

export { WORKER_ENV } from '../runtime/workers/worker-fleet.js';

/** The summary line a worker prints about its own (loopback, secret) control API: the primary's replaces it. */
const WORKER_CONTROL_LINE = /^\s*control API https?:\/\//;

export async function runWorkers(count: number, logger: Logger, spec: PanelSpec, control: ControlOptions | undefined): Promise<void> {
  const started = performance.now();
  const entry = process.argv[1];
  if (entry === undefined) throw new Error('cannot find the submeter entry point to fork');
  let fleet: WorkerFleet | undefined;
  const server: ControlServer | undefined = control === undefined ? undefined : await bindFleetControl(spec, count, () => fleet, control);
  fleet = new WorkerFleet({
    count,
    entry,
    args: process.argv.slice(2),
    execArgv: process.execArgv,
    control: server !== undefined,
    onLine: (w, line) => {
      if (!WORKER_CONTROL_LINE.test(line)) process.stdout.write(`[worker ${w}/${count}] ${line}\n`);
    },
  });
  const workers = fleet;
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info(`${signal}: stopping ${count} workers (each saves its state)`);
    workers.stopAll();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A worker that exits early (a port in use, a bad source) takes the others down: the panel is all or nothing.
  const outcome = await Promise.race([workers.allReady.then(() => undefined), workers.firstExit]);
  if (outcome === undefined) {
    if (server !== undefined) process.stdout.write(`control API ${server.url} (submeter ctl --url ${server.url} meters)\n`);
    process.stdout.write(`${count} workers; ready in ${Math.round(performance.now() - started)} ms (Ctrl-C to stop)\n`);
    const early = await workers.firstExit;
    if (!workers.isStopping) logger.error(`worker ${early.worker}/${count} exited (code ${early.code}); stopping the others`);
  } else if (!workers.isStopping) {
    logger.error(`worker ${outcome.worker}/${count} exited (code ${outcome.code}) before it was ready; stopping the others`);
  }
  workers.stopAll();
  const codes = await workers.exits;
  await server?.close();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  const failed = codes.find((code) => code !== 0);
  if (failed !== undefined) process.exitCode = failed;
  logger.info('stopped');
}

/** In a worker: stop (saving state) when the primary goes away, as on SIGTERM. */
export function stopWhenPrimaryLeaves(): void {
  if (process.send === undefined) return;
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  // The channel alone must not keep a stopped worker alive.
  process.channel?.unref();
}
