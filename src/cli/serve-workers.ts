/**
 * `submeter serve --workers N`: the panel split over N worker processes, each serving one slice
 * (shardPanelSpec: contiguous endpoints and the meters behind them; identities from the global
 * index), so together they bind exactly the ports and unit ids one process would, and each
 * meter's state directory is where one process would keep it.
 *
 * Processes, not threads: each worker has its own heap and garbage collector (a 50,000-meter
 * slice collecting does not pause the others) and binds its own ports directly. The workers are
 * forked with node:child_process rather than node:cluster: cluster would route every listen
 * through the primary's shared handles (and give every worker asking for port 0 the same port),
 * which a panel of distinct ports does not want.
 *
 * The primary re-runs the same command line in each worker with SUBMETER_WORKER=w/N, prints
 * each worker's summary and one `ready` when all are ready, and on SIGINT/SIGTERM asks every
 * worker to stop (each saves its meters) and waits for all of them. A worker whose primary
 * disappears stops itself the same way.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '../runtime/log/logger.js';

/** The environment variable that makes a `serve` process the w-th of N workers ("w/N"). */
export const WORKER_ENV = 'SUBMETER_WORKER';

export async function runWorkers(count: number, logger: Logger): Promise<void> {
  const started = performance.now();
  const entry = process.argv[1];
  if (entry === undefined) throw new Error('cannot find the submeter entry point to fork');
  const children: ChildProcess[] = [];
  const exits: Array<Promise<number>> = [];
  let ready = 0;
  let stopping = false;
  let resolveAllReady: () => void = () => undefined;
  const allReady = new Promise<void>((resolve) => (resolveAllReady = resolve));
  for (let w = 1; w <= count; w += 1) {
    const child = fork(entry, process.argv.slice(2), {
      execArgv: process.execArgv,
      env: { ...process.env, [WORKER_ENV]: `${w}/${count}` },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      // Its own process group: a Ctrl-C reaches the primary only, which stops each worker once.
      detached: true,
    });
    children.push(child);
    exits.push(new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal === null ? 0 : 1)))));
    if (child.stdout !== null) {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (/^ready in \d+ ms/.test(line)) {
          ready += 1;
          if (ready === count) resolveAllReady();
          return;
        }
        process.stdout.write(`[worker ${w}/${count}] ${line}\n`);
      });
    }
  }
  const stopAll = (): void => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info(`${signal}: stopping ${count} workers (each saves its state)`);
    stopAll();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A worker that exits early (a port in use, a bad source) takes the others down: the panel is all or nothing.
  const firstExit = Promise.race(exits.map((exit, i) => exit.then((code) => ({ code, worker: i + 1 }))));
  const outcome = await Promise.race([allReady.then(() => undefined), firstExit]);
  if (outcome === undefined) {
    process.stdout.write(`${count} workers; ready in ${Math.round(performance.now() - started)} ms (Ctrl-C to stop)\n`);
    const early = await firstExit;
    if (!stopping) logger.error(`worker ${early.worker}/${count} exited (code ${early.code}); stopping the others`);
  } else if (!stopping) {
    logger.error(`worker ${outcome.worker}/${count} exited (code ${outcome.code}) before it was ready; stopping the others`);
  }
  stopAll();
  const codes = await Promise.all(exits);
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
